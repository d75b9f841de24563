"""Benchmarks, in one place: scripts that print figures (they are not tests).

Engine only (no bench), ``make benchmark``::

    python -m support_contracts.benchmarks.engine_deadlines [--seconds 1.0]
    python -m support_contracts.benchmarks.engine_rating

In a site (each rolls back what it made)::

    bench --site SITE execute support_contracts.benchmarks.bench_enforcement.run
    bench --site SITE execute support_contracts.benchmarks.bench_deadlines.run
"""
