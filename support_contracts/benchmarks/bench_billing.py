"""The invoicing run at scale (issue 9): ``n`` contracts with ``rows`` submitted Timesheet rows each, billed
by one real RQ worker and by two, next to bare ERPNext draft Sales Invoice inserts with the same rows, in
the same run. Goal: ≥ 0.9× the bare insert rate with one worker, about 1.8× with two.

    bench --site SITE execute support_contracts.benchmarks.bench_billing.run --kwargs "{'n': 1000, 'rows': 50}"

The workers are other processes, so the data is committed (names start with ``SC-BENCH-BILL``; billing
month the current one, usage the month before, so that the site's fiscal year holds the invoices) and
removed at the end. No other worker should serve the long queue meanwhile.
"""

import datetime as dt
import time

import frappe
from frappe.utils import add_months, get_first_day, getdate, now_datetime, today
from frappe.utils.nestedset import get_root_of

from support_contracts.tests.factories import bench_process, make_calendar, make_tier

PREFIX = "SC-BENCH-BILL"


def billing_month() -> dt.date:
	return get_first_day(today())


def usage_month() -> dt.date:
	return getdate(add_months(billing_month(), -1))


def run(n: int = 1000, rows: int = 50):
	n, rows = int(n), int(rows)
	_clean()
	company = frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]
	try:
		t0 = time.perf_counter()
		tier, customers = _setup(n, rows, company)
		print(f"set-up: {n:,} contracts × {rows} Timesheet rows in {time.perf_counter() - t0:.1f} s")

		startup = _workers(1, lambda: None)
		print(f"an idle burst worker starts and stops in {startup:.1f} s (included in the figures below)")

		one, made_one = _run_with_workers(1, tier, company, n)
		rows_of = _rows_of_an_invoice()
		lines = len(rows_of)
		_unbill()
		two, made_two = _run_with_workers(2, tier, company, n)
		_unbill()
		bare = _bare_inserts(customers, rows_of, company)

		print(f"{n:,} invoices of {lines} rows each (from {rows} Timesheet rows per contract):")
		print(
			f"  bare ERPNext draft Sales Invoice inserts, one process: {n / bare:7.1f} invoices/s ({bare:.1f} s)"
		)
		print(
			f"  invoicing run, one worker:                             {n / one:7.1f} invoices/s ({one:.1f} s)"
		)
		print(
			f"  invoicing run, two workers:                            {n / two:7.1f} invoices/s ({two:.1f} s)"
		)
		print(
			f"  one worker / bare: {bare / one:.2f}× (goal ≥ 0.9×); two workers / bare: {bare / two:.2f}× (goal ~1.8×)"
		)
		return {"invoiced": (made_one, made_two), "lines": lines}
	finally:
		_clean()


def _setup(n: int, rows: int, company: str):
	calendar = make_calendar("SC Bench Bill Office")
	tier = make_tier("SC Bench Bill Tier", calendar=calendar)
	stamp = now_datetime()
	meta = ("Administrator", stamp, stamp, "Administrator")
	group, territory = get_root_of("Customer Group"), get_root_of("Territory")
	customers = [f"{PREFIX} Customer {i:05d}" for i in range(n)]
	frappe.db.bulk_insert(
		"Customer",
		[
			"name",
			"customer_name",
			"customer_type",
			"customer_group",
			"territory",
			"owner",
			"creation",
			"modified",
			"modified_by",
		],
		[(c, c, "Company", group, territory, *meta) for c in customers],
	)
	frappe.db.bulk_insert(
		"Support Contract",
		[
			"name",
			"customer",
			"tier",
			"company",  # a run bills its own company's contracts
			"start_date",
			"status",
			"owner",
			"creation",
			"modified",
			"modified_by",
		],
		[
			(f"{PREFIX}-{i:05d}", c, tier, company, usage_month().replace(month=1), "Active", *meta)
			for i, c in enumerate(customers)
		],
	)
	frappe.db.bulk_insert(
		"Issue",
		[
			"name",
			"subject",
			"status",
			"customer",
			"priority",
			"sc_support_contract",
			"owner",
			"creation",
			"modified",
			"modified_by",
		],
		[
			(f"{PREFIX}-ISS-{i:05d}", "Bench", "Closed", c, "P3", f"{PREFIX}-{i:05d}", *meta)
			for i, c in enumerate(customers)
		],
	)
	frappe.db.bulk_insert(
		"Timesheet",
		["name", "company", "docstatus", "status", "owner", "creation", "modified", "modified_by"],
		[(f"{PREFIX}-TS-{i:05d}", company, 1, "Submitted", *meta) for i in range(n)],
	)
	details = []
	for i in range(n):
		for j in range(rows):
			first = usage_month()
			start = dt.datetime(first.year, first.month, 1 + j % 28, 9) + dt.timedelta(minutes=30 * (j // 28))
			details.append(
				(
					f"{PREFIX}-TD-{i:05d}-{j:03d}",
					f"{PREFIX}-TS-{i:05d}",
					"Timesheet",
					"time_logs",
					j + 1,
					1,
					start,
					start + dt.timedelta(minutes=20),
					20 / 60,
					f"{PREFIX}-ISS-{i:05d}",
					"Remote",
					*meta,
				)
			)
	frappe.db.bulk_insert(
		"Timesheet Detail",
		[
			"name",
			"parent",
			"parenttype",
			"parentfield",
			"idx",
			"docstatus",
			"from_time",
			"to_time",
			"hours",
			"sc_issue",
			"sc_work_kind",
			"owner",
			"creation",
			"modified",
			"modified_by",
		],
		details,
		chunk_size=5000,
	)
	frappe.db.commit()
	return tier, customers


def _workers(count: int, queue) -> float:
	"""Queue the work, start ``count`` burst workers on the long queue and wait for them: wall seconds."""
	queue()
	frappe.db.commit()
	t0 = time.perf_counter()
	procs = [bench_process("worker", "--queue", "long", "--burst") for _ in range(count)]
	for p in procs:
		p.wait()
	return time.perf_counter() - t0


def _run_with_workers(count: int, tier: str, company: str, n: int) -> float:
	run = frappe.get_doc(
		{
			"doctype": "Support Billing Run",
			"company": company,
			"billing_month": billing_month(),
			"posting_date": billing_month(),
			"tier": tier,
		}
	).insert(ignore_permissions=True)
	wall = _workers(count, run.queue_chunks)
	frappe.db.rollback()
	made = frappe.db.count("Sales Invoice", {"sc_billing_key": ("like", f"{PREFIX}%")})
	status = frappe.db.get_value("Support Billing Run", run.name, "status")
	print(f"run with {count} worker(s): {made:,} invoices, status {status}, {wall:.1f} s")
	if made != n:
		print(f"  WARNING: {n - made} contracts not billed")
	return wall, made


def _rows_of_an_invoice() -> list[dict]:
	"""The rows of one invoice the run made: the bare inserts carry the same items, quantities and rates."""
	name = frappe.get_all(
		"Sales Invoice", filters={"sc_billing_key": ("like", f"{PREFIX}%")}, pluck="name", limit=1
	)[0]
	return frappe.get_all(
		"Sales Invoice Item",
		filters={"parent": name},
		fields=["item_code", "qty", "rate", "description"],
		order_by="idx",
	)


def _bare_inserts(customers: list[str], rows: list[dict], company: str) -> float:
	"""ERPNext alone: a draft Sales Invoice per customer with the same rows, each committed, as the run
	commits each contract."""
	t0 = time.perf_counter()
	for c in customers:
		frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"company": company,
				"customer": c,
				"posting_date": billing_month(),
				"set_posting_time": 1,
				"remarks": PREFIX,
				"items": [dict(r) for r in rows],
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
	return time.perf_counter() - t0


def _unbill():
	"""Remove the invoices a run made, so that the next mode bills the same work again."""
	frappe.db.rollback()
	names = frappe.get_all("Sales Invoice", filters={"customer": ("like", f"{PREFIX}%")}, pluck="name")
	for child in ("Sales Invoice Item", "Sales Taxes and Charges", "Payment Schedule"):
		frappe.db.delete(child, {"parent": ("in", names or [""])})
	frappe.db.delete("Sales Invoice", {"name": ("in", names or [""])})
	frappe.db.sql("update `tabTimesheet Detail` set sales_invoice = null where name like %s", f"{PREFIX}%")
	runs = frappe.get_all(
		"Support Billing Run",
		filters={"tier": "SC Bench Bill Tier", "billing_month": billing_month()},
		pluck="name",
	)
	frappe.db.delete("Support Billing Run Result", {"parent": ("in", runs or [""])})
	frappe.db.delete("Support Billing Run", {"name": ("in", runs or [""])})
	frappe.db.commit()


def _clean():
	_unbill()
	for doctype, field in (
		("Timesheet Detail", "name"),
		("Timesheet", "name"),
		("Issue", "name"),
		("Support Contract", "name"),
		("Customer", "name"),
	):
		frappe.db.delete(doctype, {field: ("like", f"{PREFIX}%")})
	frappe.db.commit()
