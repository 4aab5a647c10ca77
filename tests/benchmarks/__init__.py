"""Benchmarks: scripts that print figures (`make bench`: bench.py); never part of `make test`."""
