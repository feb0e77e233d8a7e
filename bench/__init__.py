"""Benchmark tools: a seeded corpus generator (corpus.py) and the runner (run.py).

Not part of the package and not a timed test: `python -m bench.run` from the repository root.
"""
