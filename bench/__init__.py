"""Benchmarks: each runs as `python -m bench.NAME` and prints a JSON object of its figures last."""
