"""The on-call pay run at scale (issue 10): ``n`` employees, each with a month of jour weeks and
``activations`` activations, paid by one real RQ worker (goal: < 30 s for 500 employees). Prints the
time next to what the same number of bare HRMS Additional Salary inserts take in the same run.

    bench --site SITE execute support_contracts.benchmarks.bench_payroll.run --kwargs "{'n': 500}"

Needs HRMS. The workers are other processes, so the data is committed (names start with
``SC-BENCH-PAY``; payroll month June 2025) and removed at the end.
"""

import datetime as dt
import random
import time

import frappe
from frappe.utils import now_datetime

from support_contracts.adapters import payroll
from support_contracts.adapters.payroll import hrms
from support_contracts.tests.factories import bench_process, make_pay_scheme

PREFIX = "SC-BENCH-PAY"
MONTH = dt.date(2025, 6, 1)
SCHEME = "SC Bench Pay Jour"


def run(n: int = 500, activations: int = 8):
	n, activations = int(n), int(activations)
	if not payroll.hrms_installed():
		print("HRMS is not installed: nothing to measure")
		return
	_clean()
	company = frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]
	try:
		t0 = time.perf_counter()
		employees = _setup(n, activations, company)
		print(
			f"set-up: {n:,} employees, {n * 5:,} jour weeks, {n * activations:,} activations in {time.perf_counter() - t0:.1f} s"
		)
		pay = frappe.get_doc(
			{"doctype": "On-Call Pay Run", "company": company, "payroll_month": MONTH}
		).insert()
		frappe.db.commit()
		wall = _one_worker(pay.queue_chunks)
		frappe.db.rollback()
		statements = frappe.db.count(payroll.STATEMENT, {"employee": ("like", f"{PREFIX}%")})
		salaries = frappe.db.count("Additional Salary", {"employee": ("like", f"{PREFIX}%")})
		status = frappe.db.get_value("On-Call Pay Run", pay.name, "status")
		print(
			f"pay run, one worker: {statements:,} statements, {salaries:,} Additional Salaries, {status}, {wall:.1f} s (goal < 30 s)"
		)
		bare = _bare_additional_salaries(employees, salaries // max(statements, 1), company)
		print(f"bare HRMS: {salaries:,} submitted Additional Salary inserts in one process: {bare:.1f} s")
		print(f"  the run / bare inserts: {wall / bare:.2f}×")
		return {"statements": statements, "salaries": salaries, "status": status}
	finally:
		_clean()


def _setup(n: int, activations: int, company: str) -> list[str]:
	payroll.make_salary_components()
	if not frappe.db.exists("Jour Pay Scheme", SCHEME):
		make_pay_scheme(SCHEME)  # EZY's Jour 2, paid as the On-call salary components
	structure = frappe.db.get_value("Salary Structure", {"docstatus": 1, "company": company})
	if not structure:
		raise SystemExit("no submitted Salary Structure for the company: make one first")
	stamp = now_datetime()
	meta = ("Administrator", stamp, stamp, "Administrator")
	gender = frappe.get_all("Gender", pluck="name", limit=1)[0]
	employees = [f"{PREFIX}-{i:05d}" for i in range(n)]
	frappe.db.bulk_insert(
		"Employee",
		[
			"name",
			"first_name",
			"employee_name",
			"company",
			"status",
			"gender",
			"date_of_birth",
			"date_of_joining",
			"owner",
			"creation",
			"modified",
			"modified_by",
		],
		[(e, e, e, company, "Active", gender, "1990-01-01", "2020-01-01", *meta) for e in employees],
	)
	frappe.db.bulk_insert(
		"Salary Structure Assignment",
		[
			"name",
			"employee",
			"salary_structure",
			"company",
			"currency",
			"from_date",
			"base",
			"docstatus",
			"owner",
			"creation",
			"modified",
			"modified_by",
		],
		[(f"{e}-SSA", e, structure, company, "SEK", "2025-01-01", 30000, 1, *meta) for e in employees],
	)
	weeks, acts = [], []
	rng = random.Random(7)
	for e in employees:
		for w in range(22, 27):  # the ISO weeks that touch June 2025
			monday = dt.date.fromisocalendar(2025, w, 1)
			weeks.append(
				(
					f"{e}-W{w}",
					e,
					SCHEME,
					f"SC Bench {e}",
					"Primary",
					2025,
					w,
					monday,
					monday + dt.timedelta(days=6),
					4500,
					*meta,
				)
			)
		for k in range(activations):
			start = dt.datetime(
				2025, 6, 1 + (k * 29 // activations), rng.randint(0, 22), rng.choice((0, 15, 30))
			)
			acts.append(
				(f"{e}-A{k}", e, SCHEME, start, start + dt.timedelta(minutes=rng.randint(20, 90)), *meta)
			)
	frappe.db.bulk_insert(
		"Jour Week",
		[
			"name",
			"employee",
			"scheme",
			"rota",
			"on_call_role",
			"iso_year",
			"iso_week",
			"week_start",
			"week_end",
			"stipend",
			"owner",
			"creation",
			"modified",
			"modified_by",
		],
		weeks,
	)
	frappe.db.bulk_insert(
		"Jour Activation",
		[
			"name",
			"employee",
			"scheme",
			"from_time",
			"to_time",
			"owner",
			"creation",
			"modified",
			"modified_by",
		],
		acts,
	)
	frappe.db.commit()
	return employees


def _one_worker(queue) -> float:
	queue()
	frappe.db.commit()
	t0 = time.perf_counter()
	bench_process("worker", "--queue", "long", "--burst").wait()
	return time.perf_counter() - t0


def _bare_additional_salaries(employees: list[str], per_employee: int, company: str) -> float:
	"""HRMS alone: the same number of submitted Additional Salaries, one commit per employee."""
	components = list(hrms.COMPONENTS)[:per_employee]
	t0 = time.perf_counter()
	for e in employees:
		for c in components:
			frappe.get_doc(
				{
					"doctype": "Additional Salary",
					"employee": e,
					"company": company,
					"salary_component": c,
					"amount": 100,
					"payroll_date": "2025-07-15",
					"currency": "SEK",
				}
			).insert(ignore_permissions=True).submit()
		frappe.db.commit()
	return time.perf_counter() - t0


def _clean():
	frappe.db.rollback()
	like = ("like", f"{PREFIX}%")
	statements = frappe.get_all(payroll.STATEMENT, filters={"employee": like}, pluck="name")
	frappe.db.delete("On-Call Pay Statement Line", {"parent": ("in", statements or [""])})
	frappe.db.delete(payroll.STATEMENT, {"name": ("in", statements or [""])})
	runs = frappe.get_all("On-Call Pay Run", filters={"payroll_month": MONTH}, pluck="name")
	frappe.db.delete("On-Call Pay Run Result", {"parent": ("in", runs or [""])})
	frappe.db.delete("On-Call Pay Run", {"name": ("in", runs or [""])})
	for doctype in ("Additional Salary", "Salary Structure Assignment", "Jour Activation", "Jour Week"):
		frappe.db.delete(doctype, {"employee": like})
	frappe.db.delete("Employee", {"name": like})
	frappe.db.commit()
