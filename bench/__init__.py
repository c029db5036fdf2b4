"""Benchmarks that print figures measured side by side in one run; never part of the tests."""
