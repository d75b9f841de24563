"""The monthly on-call pay run as an On-Call Coordinator and HR meet it (issue 10): Jour Weeks and
Activations in; a pay statement per employee and month and an HRMS Additional Salary per component out,
picked up by the month's Salary Slip — exactly once (re-run, two runs at once, a worker killed with
SIGKILL), corrections of a paid month in the next, statements only without HRMS. The run commits per
employee, so each test works on committed data and removes what it made."""

from decimal import Decimal
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from support_contracts.adapters import payroll
from support_contracts.adapters.payroll import hrms
from support_contracts.adapters.payroll import run as payroll_run
from support_contracts.adapters.payroll.hrms import SalaryError
from support_contracts.tests.factories import (
	in_threads,
	jobs_done,
	kill_mid_run,
	make_pay_scheme,
	rq_workers,
	wait_until,
)

D = Decimal
SCHEME = "SC Pay Jour"
STRUCTURE = "SC Pay Monthly 30000"


def company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]


def pay_fixtures() -> None:
	"""Made once and kept: the pay scheme (EZY's Jour 2, docs/rules.md C5/C6, with its salary components),
	a holiday list, a basic-salary component and a monthly salary structure paying ``base``."""
	payroll.make_salary_components()
	frappe.db.set_single_value("Support Contract Settings", "submit_additional_salary", 1)
	if not frappe.db.exists("Jour Pay Scheme", SCHEME):
		make_pay_scheme(SCHEME)
	if not frappe.db.exists("Holiday List", "SC Pay 2026"):
		frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "SC Pay 2026",
				"from_date": "2026-01-01",
				"to_date": "2026-12-31",
			}
		).insert()
	if not frappe.db.get_value("Company", company(), "default_holiday_list"):
		frappe.db.set_value("Company", company(), "default_holiday_list", "SC Pay 2026")
	if not frappe.db.exists("Salary Component", "SC Pay Basic"):
		frappe.get_doc(
			{
				"doctype": "Salary Component",
				"salary_component": "SC Pay Basic",
				"salary_component_abbr": "SCPB",
				"type": "Earning",
				"depends_on_payment_days": 0,
			}
		).insert()
	if not frappe.db.exists("Salary Structure", STRUCTURE):
		frappe.get_doc(
			{
				"doctype": "Salary Structure",
				"name": STRUCTURE,
				"company": company(),
				"payroll_frequency": "Monthly",
				"currency": "SEK",
				"is_active": "Yes",
				"earnings": [
					{
						"salary_component": "SC Pay Basic",
						"abbr": "SCPB",
						"amount_based_on_formula": 1,
						"formula": "base",
						"depends_on_payment_days": 0,
					}
				],
			}
		).insert().submit()
	frappe.db.commit()


def activity_type() -> str:
	if not frappe.db.exists("Activity Type", "SC On-call"):
		frappe.get_doc({"doctype": "Activity Type", "activity_type": "SC On-call"}).insert()
	return "SC On-call"


class PayCase(FrappeTestCase):
	def setUp(self):
		super().setUp()
		if not payroll.hrms_installed():  # reported as skipped, with the reason
			self.skipTest("HRMS is not installed on this site: salary structures and slips need it")
		pay_fixtures()
		self.employees: list[str] = []
		self.runs: list[str] = []

	def tearDown(self):
		frappe.db.rollback()
		emps = self.employees or [""]
		statements = frappe.get_all(payroll.STATEMENT, filters={"employee": ("in", emps)}, pluck="name")
		frappe.db.delete("On-Call Pay Statement Line", {"parent": ("in", statements or [""])})
		frappe.db.delete(payroll.STATEMENT, {"name": ("in", statements or [""])})
		slips = frappe.get_all("Salary Slip", filters={"employee": ("in", emps)}, pluck="name")
		frappe.db.delete("Salary Detail", {"parent": ("in", slips or [""])})
		frappe.db.delete("Salary Slip", {"name": ("in", slips or [""])})
		acts = frappe.get_all("Jour Activation", filters={"employee": ("in", emps)}, pluck="name")
		frappe.db.delete("Jour Activation Split", {"parent": ("in", acts or [""])})
		for doctype in ("Additional Salary", "Salary Structure Assignment", "Jour Activation", "Jour Week"):
			frappe.db.delete(doctype, {"employee": ("in", emps)})
		for ts in frappe.get_all("Timesheet", filters={"employee": ("in", emps)}, pluck="name"):
			frappe.db.delete("Timesheet Detail", {"parent": ts})
			frappe.db.delete("Timesheet", {"name": ts})
		frappe.db.delete("On-Call Pay Run Result", {"parent": ("in", self.runs or [""])})
		frappe.db.delete("On-Call Pay Run", {"name": ("in", self.runs or [""])})
		frappe.db.delete("Employee", {"name": ("in", emps)})
		frappe.db.commit()
		super().tearDown()

	def employee(self, first_name: str, salary: int | None = 30000) -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": first_name,
				"last_name": "SC Pay",
				"company": company(),
				"gender": frappe.get_all("Gender", pluck="name", limit=1)[0],
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"status": "Active",
			}
		).insert()
		self.employees.append(doc.name)
		if salary:
			frappe.get_doc(
				{
					"doctype": "Salary Structure Assignment",
					"employee": doc.name,
					"salary_structure": STRUCTURE,
					"company": company(),
					"currency": "SEK",
					"from_date": "2026-01-01",
					"base": salary,
				}
			).insert().submit()
		return doc.name

	def week(self, employee, iso_week, year=2026):
		return frappe.get_doc(
			{
				"doctype": "Jour Week",
				"employee": employee,
				"scheme": SCHEME,
				"iso_year": year,
				"iso_week": iso_week,
				"rota": f"SC Pay {employee}",  # each employee the primary of their own rota
			}
		).insert()

	def activation(self, employee, start, end):
		return frappe.get_doc(
			{"doctype": "Jour Activation", "employee": employee, "from_time": start, "to_time": end}
		).insert()

	def june_salary_slip(self, employee):
		"""HRMS's own June 2026 Salary Slip of the employee, as HR makes it (draft)."""
		return frappe.get_doc(
			{
				"doctype": "Salary Slip",
				"employee": employee,
				"company": company(),
				"start_date": "2026-06-01",
				"posting_date": "2026-06-30",
				"payroll_frequency": "Monthly",
			}
		).insert()

	def midsummer(self, employee):
		"""Week 25 of 2026 holds Midsummer Eve (Fri 19 June): 4,500 + 50 % = 6,750 (C5). Activations (C6):
		Wed 17 June 21:00–23:30 → band 1 1 h × 290 + band 3 1.5 h × 600; Midsummer Eve 10:00–14:00 → band 2
		4 h × 400. In all 6,750 + 290 + 900 + 1,600 = 9,540."""
		self.week(employee, 25)
		self.activation(employee, "2026-06-17 21:00:00", "2026-06-17 23:30:00")
		self.activation(employee, "2026-06-19 10:00:00", "2026-06-19 14:00:00")

	def pay_run(self, year=2026, month=6, **kw):
		doc = frappe.get_doc(
			{
				"doctype": "On-Call Pay Run",
				"company": company(),
				"payroll_month": f"{year}-{month:02d}-01",
				**kw,
			}
		).insert()
		frappe.db.commit()
		self.runs.append(doc.name)
		return doc

	def pay(self, employee, year=2026, month=6):
		return payroll.pay_employee(employee, year, month, company=company())

	def salaries(self, employee, year=2026, month=6):
		rows = frappe.get_all(
			"Additional Salary",
			filters={
				"employee": employee,
				"payroll_date": ("between", payroll_run.month_bounds(year, month)),
			},
			fields=["name", "salary_component", "amount", "docstatus", "ref_doctype", "ref_docname", "type"],
		)
		return {r.salary_component: r for r in rows}


class TestPayRun(PayCase):
	def test_midsummer_week_reaches_the_june_salary_slip_to_the_ore(self):
		anna = self.employee("Anna")
		self.midsummer(anna)
		frappe.db.commit()
		run = self.pay_run()
		[preview] = run.preview()
		self.assertEqual(preview["total"], 9540)
		run.create_statements()
		frappe.db.commit()
		[result] = frappe.get_all(
			"On-Call Pay Run Result",
			filters={"parent": run.name},
			fields=["employee", "outcome", "statement", "amount"],
		)
		self.assertEqual((result.employee, result.outcome, result.amount), (anna, payroll.PAID, 9540))
		st = frappe.get_doc(payroll.STATEMENT, result.statement)
		self.assertEqual(st.docstatus, 1)
		self.assertEqual(st.summary, "1 × Jourvecka; Band 1: 1h; Band 2: 4h; Band 3: 1h30m")
		self.assertEqual(
			{(line.salary_component, line.amount) for line in st.lines},
			{
				("On-call Stipend", 6750),
				("On-call Band 1", 290),
				("On-call Band 3", 900),
				("On-call Band 2", 1600),
			},
		)
		self.assertIn("Midsummer", st.lines[0].why)
		ads = self.salaries(anna)
		self.assertEqual(
			{c: (r.amount, r.docstatus, r.ref_docname) for c, r in ads.items()},
			{
				"On-call Stipend": (6750, 1, st.name),
				"On-call Band 1": (290, 1, st.name),
				"On-call Band 2": (1600, 1, st.name),
				"On-call Band 3": (900, 1, st.name),
			},
		)
		self.assertEqual(
			{line.additional_salary for line in st.lines},
			{r.name for r in frappe.get_all("Additional Salary", filters={"employee": anna})},
		)

		slip = self.june_salary_slip(anna)
		self.assertEqual(D(str(slip.gross_pay)).quantize(D("0.01")), D("39540.00"))

		# run again: nothing new
		self.assertEqual(self.pay(anna)["outcome"], payroll.ALREADY)
		self.assertEqual(frappe.db.count("Additional Salary", {"employee": anna}), 4)

	def test_the_on_call_pay_report_shows_the_month_as_the_run_pays_it(self):
		from support_contracts.support_contracts.report.on_call_pay import on_call_pay

		anna = self.employee("Anna")
		self.midsummer(anna)
		frappe.db.commit()
		filters = {"company": company(), "month": "2026-06"}
		row = {r["employee"]: r for r in on_call_pay.execute(filters)[1]}[anna]
		# the Midsummer jour week: 6,750 uplifted stipend + band hours 290 + 1,600 + 900 (docs/rules.md C5–C7)
		self.assertEqual(
			(row["summary"], row["total"], row["statement"]),
			("1 × Jourvecka; Band 1: 1h; Band 2: 4h; Band 3: 1h30m", 9540, None),
		)
		self.pay_run().create_statements()
		frappe.db.commit()
		row = {r["employee"]: r for r in on_call_pay.execute(filters)[1]}[anna]
		self.assertEqual(row["statement"], frappe.db.get_value(payroll.STATEMENT, {"employee": anna}))
		with self.assertRaises(frappe.ValidationError):
			on_call_pay.execute({"company": company(), "month": "June"})

	def test_a_late_activation_and_a_removed_one_are_paid_next_month_as_corrections(self):
		anna = self.employee("Anna")
		self.midsummer(anna)
		frappe.db.commit()
		self.pay(anna)
		frappe.db.commit()
		# after June was paid: a Sunday 21 June call-in 08:00–09:30 logged late (band 2, 1.5 h × 400 = 600),
		# and the Wednesday evening activation removed (band 1 −290, band 3 −900)
		late = self.activation(anna, "2026-06-21 08:00:00", "2026-06-21 09:30:00").name
		wednesday = frappe.get_all(
			"Jour Activation", filters={"employee": anna, "from_time": "2026-06-17 21:00:00"}, pluck="name"
		)[0]
		frappe.delete_doc("Jour Activation", wednesday)
		frappe.db.commit()
		result = self.pay(anna, 2026, 7)
		frappe.db.commit()
		st = frappe.get_doc(payroll.STATEMENT, result["statement"])
		got = {(line.work_month, line.salary_component, line.amount) for line in st.lines}
		self.assertEqual(
			got,
			{
				("2026-06", "On-call Band 2", 600),
				("2026-06", "On-call Band 1", -290),
				("2026-06", "On-call Band 3", -900),
			},
		)
		band2 = next(line for line in st.lines if line.salary_component == "On-call Band 2")
		self.assertIn(late, band2.why)
		band3 = next(line for line in st.lines if line.salary_component == "On-call Band 3")
		self.assertIn(wednesday, band3.why)
		self.assertEqual(st.summary, "corrections of 2026-06")
		# July's Additional Salaries: +600 as band 2; the negative nets as the deduction component
		ads = self.salaries(anna, 2026, 7)
		self.assertEqual(ads["On-call Band 2"].amount, 600)
		self.assertEqual(
			(ads["On-call Correction"].amount, ads["On-call Correction"].type), (1190, "Deduction")
		)
		self.assertEqual(len(ads), 2)  # band 1 and band 3 both go to the one deduction component

	def test_a_paid_month_whose_weeks_are_all_removed_is_taken_back(self):
		johan = self.employee("Johan")
		self.midsummer(johan)
		frappe.db.commit()
		self.pay(johan)
		frappe.db.commit()
		for doctype in ("Jour Activation", "Jour Week"):
			for name in frappe.get_all(doctype, filters={"employee": johan}, pluck="name"):
				frappe.delete_doc(doctype, name)
		frappe.db.commit()
		self.assertIn(johan, [e.name for e in payroll.employees_to_pay(company(), 2026, 7)])
		st = frappe.get_doc(payroll.STATEMENT, self.pay(johan, 2026, 7)["statement"])
		frappe.db.commit()
		self.assertEqual(st.total, -9540)
		self.assertEqual(self.salaries(johan, 2026, 7)["On-call Correction"].amount, 9540)

	def test_a_salary_of_a_statement_is_not_cancelled_alone(self):
		anna = self.employee("Anna")
		self.midsummer(anna)
		frappe.db.commit()
		self.pay(anna)
		frappe.db.commit()
		ads = frappe.get_doc("Additional Salary", self.salaries(anna)["On-call Stipend"].name)
		with self.assertRaisesRegex(frappe.ValidationError, "cancel the statement"):
			ads.cancel()

	def test_statements_are_the_employees_own(self):
		anna, johan = self.employee("Anna"), self.employee("Johan")
		self.midsummer(anna)
		self.midsummer(johan)
		for e, email in ((anna, "sc-pay-anna@example.com"), (johan, "sc-pay-johan@example.com")):
			if not frappe.db.exists("User", email):
				frappe.get_doc(
					{
						"doctype": "User",
						"email": email,
						"first_name": email.split("@")[0],
						"send_welcome_email": 0,
					}
				).insert()
			# ERPNext drops the Employee role from a user no Employee record names: link first
			frappe.db.set_value("Employee", e, "user_id", email)
			frappe.get_doc("User", email).add_roles("Employee")
		frappe.db.commit()
		mine = self.pay(anna)["statement"]
		theirs = self.pay(johan)["statement"]
		frappe.db.commit()
		frappe.set_user("sc-pay-anna@example.com")
		try:
			self.assertEqual(frappe.get_list(payroll.STATEMENT, pluck="name"), [mine])
			self.assertTrue(frappe.has_permission(payroll.STATEMENT, "read", mine))
			self.assertFalse(frappe.has_permission(payroll.STATEMENT, "read", theirs))
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(payroll.STATEMENT, theirs).check_permission("read")
		finally:
			frappe.set_user("Administrator")


class TestExactlyOnce(PayCase):
	def test_two_runs_at_once_and_a_run_again_pay_once(self):
		names = [self.employee(f"Twin{i}") for i in range(3)]
		for e in names:
			self.midsummer(e)
		frappe.db.commit()
		runs = [self.pay_run() for _ in range(2)]
		in_threads(lambda i: payroll.run_chunk(runs[i].name, names), 2)
		payroll.run_chunk(runs[0].name, names)
		frappe.db.rollback()
		for e in names:
			self.assertEqual(frappe.db.count(payroll.STATEMENT, {"employee": e, "docstatus": 1}), 1, e)
			self.assertEqual(frappe.db.count("Additional Salary", {"employee": e}), 4, e)
		outcomes = [
			frappe.get_all("On-Call Pay Run Result", filters={"parent": r.name}, pluck="outcome")
			for r in runs
		]
		self.assertEqual(outcomes[0], [payroll.ALREADY] * 3)  # the run again: its results replaced
		self.assertEqual(len(outcomes[1]), 3)
		self.assertTrue(set(outcomes[1]) <= {payroll.PAID, payroll.ALREADY}, outcomes[1])

	def test_two_rq_workers_running_two_runs_at_once_pay_each_employee_once(self):
		"""Two runs of the same month queued at once, one job each, taken by two real RQ workers."""
		names = [self.employee(f"Rq{i}") for i in range(6)]
		for e in names:
			self.midsummer(e)
		frappe.db.commit()
		runs = [self.pay_run() for _ in range(2)]

		def results():
			frappe.db.rollback()
			return frappe.db.count("On-Call Pay Run Result", {"parent": ("in", [r.name for r in runs])})

		with rq_workers(2) as logs:
			self.assertEqual([run.queue_chunks() for run in runs], [1, 1])
			frappe.db.commit()
			wait_until(lambda: results() == 12, 300, "both runs' results")
		self.assertEqual([jobs_done(log, runs) for log in logs], [1, 1])
		for e in names:
			self.assertEqual(frappe.db.count(payroll.STATEMENT, {"employee": e}), 1, e)
			self.assertEqual(frappe.db.count("Additional Salary", {"employee": e}), 4, e)
		outcomes = frappe.get_all(
			"On-Call Pay Run Result", filters={"parent": ("in", [r.name for r in runs])}, pluck="outcome"
		)
		self.assertEqual(outcomes.count(payroll.PAID), 6)
		self.assertEqual(outcomes.count(payroll.ALREADY), 6)

	def test_a_worker_killed_mid_run_leaves_nothing_half_made_and_a_rerun_pays_the_rest(self):
		names = [self.employee(f"Kill{i:02d}") for i in range(12)]
		for e in names:
			self.midsummer(e)
		frappe.db.commit()
		run = self.pay_run()
		kill_mid_run(
			"support_contracts.adapters.payroll.run_chunk",
			{"run": run.name, "employees": names},
			lambda: frappe.db.count(payroll.STATEMENT, {"employee": ("in", names)}),
		)
		before = frappe.db.count(payroll.STATEMENT, {"employee": ("in", names)})
		self.assertGreaterEqual(before, 1)
		self.assertLess(before, len(names), "the worker finished before it was killed: nothing was tested")
		for st in frappe.get_all(
			payroll.STATEMENT, filters={"employee": ("in", names)}, fields=["name", "employee", "docstatus"]
		):
			# whole: submitted, four lines, four Additional Salaries
			self.assertEqual(st.docstatus, 1)
			self.assertEqual(frappe.db.count("Additional Salary", {"ref_docname": st.name}), 4)

		payroll.run_chunk(run.name, names)
		frappe.db.rollback()
		for e in names:
			self.assertEqual(frappe.db.count(payroll.STATEMENT, {"employee": e}), 1, e)
			self.assertEqual(frappe.db.count("Additional Salary", {"employee": e}), 4, e)
		outcomes = frappe.get_all("On-Call Pay Run Result", filters={"parent": run.name}, pluck="outcome")
		self.assertEqual(outcomes.count(payroll.PAID), len(names) - before)
		self.assertEqual(outcomes.count(payroll.ALREADY), before)

	def test_cancelling_a_statement_cancels_its_salaries_and_frees_the_month(self):
		anna = self.employee("Anna")
		self.midsummer(anna)
		frappe.db.commit()
		first = self.pay(anna)["statement"]
		frappe.db.commit()
		coordinator = "sc-pay-coordinator@example.com"
		if not frappe.db.exists("User", coordinator):
			user = {
				"doctype": "User",
				"email": coordinator,
				"first_name": "Coordinator",
				"send_welcome_email": 0,
			}
			frappe.get_doc(user).insert().add_roles("On-Call Coordinator")
		frappe.set_user(coordinator)  # the coordinator cancels; HRMS's salaries follow the statement
		try:
			frappe.get_doc(payroll.STATEMENT, first).cancel()
		finally:
			frappe.set_user("Administrator")
		frappe.db.commit()
		self.assertEqual({r.docstatus for r in self.salaries(anna).values()}, {2})
		second = self.pay(anna)
		frappe.db.commit()
		self.assertEqual(second["outcome"], payroll.PAID)
		self.assertNotEqual(second["statement"], first)
		self.assertEqual(frappe.db.count("Additional Salary", {"employee": anna, "docstatus": 1}), 4)


class TestWithoutHrmsAndBadInput(PayCase):
	def test_without_hrms_statements_only_and_csv(self):
		anna = self.employee("Anna", salary=None)
		self.midsummer(anna)
		frappe.db.commit()
		run = self.pay_run()
		with patch.object(hrms, "hrms_installed", return_value=False):  # the one seam
			run.create_statements()
		frappe.db.commit()
		[result] = frappe.get_all(
			"On-Call Pay Run Result", filters={"parent": run.name}, fields=["outcome", "message", "statement"]
		)
		self.assertEqual(result.outcome, payroll.STATEMENT_ONLY)
		self.assertIn("HRMS", result.message)
		self.assertEqual(frappe.db.count("Additional Salary", {"employee": anna}), 0)
		rows = payroll.statements_csv_rows(run.name)
		self.assertEqual(len(rows), 1 + 4)
		self.assertEqual(sum(D(str(r[9])) for r in rows[1:]), D("9540"))

	def test_a_pay_month_too_far_ahead_or_a_payroll_date_outside_its_period_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Payroll Month.*2199-12 is after next month"):
			self.pay_run(2199, 12)
		with self.assertRaisesRegex(frappe.ValidationError, "Payroll Date.*2199-01-01 must lie from"):
			self.pay_run(2026, 8, payroll_date="2199-01-01")

	def test_a_setting_added_by_an_update_starts_at_its_default(self):
		from support_contracts.adapters.settings import setting
		from support_contracts.setup.install import settings_defaults

		frappe.db.delete(
			"Singles", {"doctype": "Support Contract Settings", "field": "submit_additional_salary"}
		)
		settings = frappe.get_single("Support Contract Settings")
		settings.save()  # a save of settings that never held the field stores it empty
		self.assertEqual(setting("submit_additional_salary"), 0)
		frappe.db.delete(
			"Singles", {"doctype": "Support Contract Settings", "field": "submit_additional_salary"}
		)
		settings_defaults()  # what install and migrate do
		self.assertEqual(setting("submit_additional_salary"), 1)
		frappe.db.rollback()

	def test_an_employee_without_salary_structure_is_reported_and_nothing_is_kept(self):
		anna = self.employee("Anna", salary=None)
		self.midsummer(anna)
		frappe.db.commit()
		run = self.pay_run()
		run.create_statements()
		frappe.db.commit()
		[result] = frappe.get_all(
			"On-Call Pay Run Result", filters={"parent": run.name}, fields=["outcome", "message"]
		)
		self.assertEqual(result.outcome, payroll.ERROR)
		self.assertIn("Salary Structure", result.message)
		self.assertEqual(frappe.db.count(payroll.STATEMENT, {"employee": anna}), 0)
		self.assertEqual(frappe.db.get_value("On-Call Pay Run", run.name, "status"), "Failed")  # nothing paid

	def test_a_submitted_salary_slip_is_never_touched(self):
		anna = self.employee("Anna")
		slip = self.june_salary_slip(anna)
		slip.submit()
		self.midsummer(anna)
		frappe.db.commit()
		with self.assertRaisesRegex(SalaryError, "is submitted already"):
			self.pay(anna)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count(payroll.STATEMENT, {"employee": anna}), 0)
		self.assertEqual(frappe.db.get_value("Salary Slip", slip.name, "gross_pay"), 30000)
		# a later payroll date pays it in July's slip
		result = payroll.pay_employee(anna, 2026, 6, company=company(), payroll_date="2026-07-01")
		self.assertEqual(result["outcome"], payroll.PAID)


class TestActivationFromTimesheet(PayCase):
	def logged(self, employee: str, ticket_type: str, ticket: str):
		"""A submitted Timesheet of ``employee``: Fri 19 June 2026 10:00–14:00 of remote work on the ticket."""
		frappe.db.set_value(ticket_type, ticket, "sc_on_call", 1)
		ts = frappe.get_doc(
			{
				"doctype": "Timesheet",
				"company": company(),
				"employee": employee,
				"time_logs": [
					{
						"from_time": "2026-06-19 10:00:00",
						"to_time": "2026-06-19 14:00:00",
						"hours": 4,
						"sc_ticket_type": ticket_type,
						"sc_issue": ticket,
						"sc_work_kind": "Remote",
						"activity_type": activity_type(),
					}
				],
			}
		).insert()
		ts.submit()
		return ts

	def activation(self, ts) -> tuple:
		[act] = frappe.get_all(
			"Jour Activation",
			filters={"timesheet": ts.name},
			fields=["employee", "ticket_type", "issue", "total_amount"],
		)
		return act.employee, act.ticket_type, act.issue, act.total_amount

	def test_time_on_an_on_call_issue_in_the_jour_week_is_the_activation(self):
		anna = self.employee("Anna", salary=None)
		self.week(anna, 25)
		issue = frappe.get_doc(
			{"doctype": "Issue", "subject": "Shop down at night", "priority": "P1"}
		).insert()
		ts = self.logged(anna, "Issue", issue.name)
		self.assertEqual(self.activation(ts), (anna, "Issue", issue.name, 1600))  # band 2, 4 h × 400
		ts.cancel()
		self.assertEqual(frappe.get_all("Jour Activation", filters={"timesheet": ts.name}), [])

	def test_time_on_an_on_call_hd_ticket_in_the_jour_week_is_the_activation(self):
		if "helpdesk" not in frappe.get_installed_apps():
			self.skipTest(
				"Frappe Helpdesk is not installed on this site (HD Tickets are tested on one with it)"
			)
		anna = self.employee("Anna", salary=None)
		self.week(anna, 25)
		ticket = frappe.get_doc(
			{
				"doctype": "HD Ticket",
				"subject": "Shop down at night",
				"description": "The web shop answers 502.",
				"raised_by": "sc-hd-caller@example.com",
			}
		).insert(ignore_permissions=True)
		ts = self.logged(anna, "HD Ticket", ticket.name)
		# band 2, 4 h × 400, as on an Issue
		self.assertEqual(self.activation(ts), (anna, "HD Ticket", str(ticket.name), 1600))
