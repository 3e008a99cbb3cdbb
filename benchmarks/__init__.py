"""Benchmarks of Run Wellbeing (run with scripts/benchmark)."""
