"""The command lines behind the Makefile: `serve` (make run/serve/shell), `scale` (make scale-up/down),
`purge` (make purge), `bench` (make bench/soak) and `eval` (make eval/crossval)."""
