"""The support manager's reports over a firm's year (goal: each < 2 s): 100,000 governed Issues with their
targets on record (SLA Outcome, three metrics each), a year of hour-bank ledger for 1,000 contracts,
20,000 incident fees. Bulk-inserts them and commits (a manager reads committed rows: rows the reading
transaction wrote itself cannot be read from an index alone, so a rolled-back run would measure
InnoDB's check of its own rows, not the report), runs each report as a manager would open it, prints
the wall time of each, then deletes its rows again — also the leftovers of a run that was killed.

    bench --site SITE execute support_contracts.benchmarks.bench_reports.run [--kwargs "{'issues': 100000}"]
"""

import random
import time

import frappe

from support_contracts.support_contracts.report.hour_bank_usage import hour_bank_usage
from support_contracts.support_contracts.report.incident_fees import incident_fees
from support_contracts.support_contracts.report.production_bugs import production_bugs
from support_contracts.support_contracts.report.sla_compliance import sla_compliance

META = ("owner", "creation", "modified", "modified_by")


def _insert(doctype: str, fields: list[str], rows: list[tuple]) -> None:
	frappe.db.bulk_insert(doctype, fields=[*fields, *META], values=rows, chunk_size=10_000)


def _time(label: str, fn) -> float:
	start = time.perf_counter()
	result = fn()
	took = time.perf_counter() - start
	print(f"{label:<48} {took:6.2f} s  ({len(result[1])} rows)")
	return took


def run(issues: int = 100_000, contracts: int = 1_000, fees: int = 20_000):
	issues, contracts, fees = int(issues), int(contracts), int(fees)
	rnd = random.Random(11)
	now = frappe.utils.now_datetime()
	meta = ("Administrator", now, now, "Administrator")
	_delete()
	try:
		customers = [f"SC Bench Customer {i:04d}" for i in range(contracts)]
		_insert(
			"Customer",
			["name", "customer_name", "customer_type"],
			[(c, c, "Company", *meta) for c in customers],
		)
		issue_rows, outcome_rows = [], []
		for i in range(issues):
			name = f"SC-BENCH-R-{i:06d}"
			customer = customers[i % contracts]
			month = f"2026-{rnd.randint(1, 12):02d}"
			opened = f"{month}-{rnd.randint(1, 28):02d} 10:00:00"
			production = 1 if i % 10 == 0 else 0
			issue_rows.append(
				(name, f"Bench {i}", "Closed", customer, "P1", opened[:10], production, production, *meta)
			)
			for metric in ("first_response", "action_start", "resolution"):
				met = rnd.random() < 0.9
				late = rnd.random() < 0.1
				outcome_rows.append(
					(
						f"{name}|{metric}",
						name,
						metric,
						"Breached" if late else "Met",
						"P1",
						customer,
						"SC Bench Tier",
						opened,
						month,
						opened,
						opened if met else None,
						rnd.randint(60, 8 * 3600),
						*meta,
					)
				)
		_insert(
			"Issue",
			["name", "subject", "status", "customer", "priority", "opening_date", "sc_production", "sc_jour"],
			issue_rows,
		)
		_insert(
			"SLA Outcome",
			[
				"name",
				"issue",
				"metric",
				"status",
				"priority",
				"customer",
				"support_tier",
				"opened_at",
				"month",
				"due",
				"met_at",
				"business_seconds",
			],
			outcome_rows,
		)
		ledger = []
		for c, customer in enumerate(customers):
			for q in range(1, 5):
				period = f"Q{q} 2026"
				ledger.append(
					(
						frappe.generate_hash(length=12),
						f"SC-BENCH-R-{c}",
						customer,
						period,
						"Allocation",
						900,
						f"2026-{3 * q - 2:02d}-01",
						0,
						*meta,
					)
				)
				for k in range(3):
					ledger.append(
						(
							frappe.generate_hash(length=12),
							f"SC-BENCH-R-{c}",
							customer,
							period,
							"Consumption",
							-rnd.randint(30, 240),
							f"2026-{3 * q - 2 + k:02d}-01",
							0,
							*meta,
						)
					)
				ledger.append(
					(
						frappe.generate_hash(length=12),
						f"SC-BENCH-R-{c}",
						customer,
						period,
						"Expiry",
						-60,
						f"2026-{3 * q:02d}-28",
						0,
						*meta,
					)
				)
		_insert(
			"Hour Bank Ledger Entry",
			[
				"name",
				"support_contract",
				"customer",
				"period",
				"entry_type",
				"minutes",
				"posting_date",
				"is_cancelled",
			],
			ledger,
		)
		_insert(
			"Incident Fee",
			["name", "issue", "customer", "called_at", "fee", "currency", "status"],
			[
				(
					f"IF-BENCH-{i:06d}",
					f"SC-BENCH-R-{i:06d}",
					customers[i % contracts],
					f"2026-{rnd.randint(1, 12):02d}-15 22:00:00",
					1750,
					"SEK",
					"Billed" if i % 3 else "Unbilled",
					*meta,
				)
				for i in range(min(fees, issues))
			],
		)
		frappe.db.commit()
		print(
			f"{issues:,} Issues, {len(outcome_rows):,} SLA Outcomes, {len(ledger):,} hour-bank ledger rows, "
			f"{min(fees, issues):,} incident fees (one year)"
		)
		year = {"from_date": "2026-01-01", "to_date": "2026-12-31"}
		_time(
			"SLA Compliance, the year, all customers",
			lambda: sla_compliance.execute({"from_month": "2026-01", "to_month": "2026-12"}),
		)
		_time("Hour Bank Usage, all contracts", lambda: hour_bank_usage.execute({}))
		_time("Incident Fees, the year", lambda: incident_fees.execute(year))
		_time("Production Bugs, the year", lambda: production_bugs.execute(year))
	finally:
		frappe.db.rollback()
		_delete()


def _delete() -> None:
	"""This benchmark's rows, by their names (nothing else on the site is named so)."""
	for doctype, condition in (
		("SLA Outcome", "issue like 'SC-BENCH-R-%%'"),
		("Issue", "name like 'SC-BENCH-R-%%'"),
		("Hour Bank Ledger Entry", "support_contract like 'SC-BENCH-R-%%'"),
		("Incident Fee", "name like 'IF-BENCH-%%'"),
		("Customer", "name like 'SC Bench Customer %%'"),
	):
		frappe.db.sql(f"delete from `tab{doctype}` where {condition}")
	frappe.db.commit()
