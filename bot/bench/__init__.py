"""Benchmarks: `python -m bot.bench` (make bench), `--smoke` (CI) and `--soak SECONDS` (make soak)."""
