"""Benchmarks that need a site (they print figures; they are not tests). Each rolls back what it made:

bench --site SITE execute support_contracts.benchmarks.enforcement.run
bench --site SITE execute support_contracts.benchmarks.deadlines.run
"""
