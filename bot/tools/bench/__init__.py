"""Benchmarks: `python -m bot.tools.bench` (make bench), `--smoke` (CI) and `--soak SECONDS` (make soak)."""
