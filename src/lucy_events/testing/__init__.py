"""Helpers for tests and benchmarks: real brokers and storage run as child processes."""
