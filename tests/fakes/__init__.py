"""Fake messenger servers for the tests and the benchmarks (bench/ imports them too)."""
