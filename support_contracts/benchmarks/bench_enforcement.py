"""One enforcement run over 10,000 open governed Issues (goal: < 1 s of database time per 10,000).

Bulk-inserts the Issues (all past their breach time), runs :func:`enforce` once, prints wall time and the
time spent in the database, then rolls everything back.
"""

import time

import frappe

from support_contracts.adapters import enforcement
from support_contracts.tests.factories import make_contract, make_customer, make_tier


def run(n: int = 10_000):
	n = int(n)
	frappe.db.savepoint("sc_bench")
	try:
		tier = make_tier("SC Bench Tier", targets=[("P1", "Action Start", "Business Time", 3600)])
		customer = make_customer("SC Bench Customer")
		contract = make_contract(customer, tier)
		now = frappe.utils.now_datetime()
		breach = frappe.utils.add_to_date(now, hours=-1)
		warn = frappe.utils.add_to_date(now, hours=-2)
		rows = [
			(
				f"SC-BENCH-{i:06d}",
				f"Bench issue {i}",
				"Open",
				customer,
				"P1",
				contract,
				tier,
				warn,
				breach,
				"",
				"Level 2",
				"Administrator",
				now,
				now,
				"Administrator",
			)
			for i in range(n)
		]
		fields = [
			"name",
			"subject",
			"status",
			"customer",
			"priority",
			"sc_support_contract",
			"sc_support_tier",
			"sc_warning_at",
			"sc_breach_at",
			"sc_alert_state",
			"sc_escalation_level",
			"owner",
			"creation",
			"modified",
			"modified_by",
		]
		frappe.db.bulk_insert("Issue", fields, rows)

		db_time = [0.0]
		queries = [0]
		original = frappe.db.sql

		def timed(*args, **kwargs):
			t0 = time.perf_counter()
			try:
				return original(*args, **kwargs)
			finally:
				db_time[0] += time.perf_counter() - t0
				queries[0] += 1

		frappe.db.sql = timed
		try:
			t0 = time.perf_counter()
			moved = enforcement.enforce()
			wall = time.perf_counter() - t0
		finally:
			frappe.db.sql = original
		print(f"enforcement over {n:,} open governed issues: {moved}")
		print(
			f"  wall {wall:.2f} s, database {db_time[0]:.2f} s in {queries[0]} queries "
			f"({db_time[0] / n * 10_000:.2f} s of database time per 10,000)"
		)
		t0 = time.perf_counter()
		again = enforcement.enforce()
		print(f"  a second run right after: {again} in {time.perf_counter() - t0:.2f} s (nothing to do)")
	finally:
		frappe.db.rollback(save_point="sc_bench")
