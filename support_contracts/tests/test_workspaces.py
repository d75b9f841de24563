"""Each role's workspace (issue 31): the figures of its number cards and charts on known data, who sees
which (an agent sees no money), the agent's queue in the order things fall due, and the module onboarding
marking its steps done as the documents they ask for are made. Every expected figure is worked out by hand
from the rows the test makes; where other tests' rows may stand on the site, a figure is read before and
after and the test's own rows must account for the difference exactly."""

import datetime as dt
from unittest.mock import patch

import frappe
from frappe.desk.desktop import get_desktop_page, get_workspace_sidebar_items
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.tests.utils import FrappeTestCase

from support_contracts.adapters import dashboards, onboarding, runs
from support_contracts.adapters.payroll import hrms
from support_contracts.adapters.times import naive
from support_contracts.support_contracts.report.support_queue.support_queue import execute as support_queue
from support_contracts.tests.factories import (
	SCTestCase,
	make_api_user,
	make_calendar,
	make_contract,
	make_customer,
	make_issue,
	make_tier,
)
from support_contracts.tests.test_issue_sla import at
from support_contracts.tests.test_payroll import PayCase
from support_contracts.tests.test_payroll import company as pay_company

AGENT = "sc-ws-agent@example.com"
MONEY_CARDS = {
	"Billing Run This Month",
	"Unbilled Incident Fees",
	"Unbilled Support Hours",
	"Billing Runs with Errors",
	"Hour Banks Running Low",
	"On-Call Pay Run This Month",
	"Pay Statements Not in Payroll",
}
MONEY_CHARTS = {"Billed per Month", "On-Call Pay per Month"}


def company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]


def pin(*args) -> None:
	"""Now is ``at(*args)`` (Stockholm) for the app (``adapters/times.now``)."""
	frappe.flags.current_time = naive(at(*args))


def card(name: str, user: str | None = None, extra_filters=()) -> float:
	"""A Document Type number card's figure as Frappe's widget asks for it (its filters, and the dynamic
	ones the browser evaluates, given here already evaluated)."""
	doc = frappe.get_doc("Number Card", name)
	filters = [*frappe.parse_json(doc.filters_json), *extra_filters]
	previous = frappe.session.user
	try:
		if user:
			frappe.set_user(user)
		return get_result(doc.as_json(), frappe.as_json(filters))
	finally:
		frappe.set_user(previous)


class TestComplianceFigures(SCTestCase):
	"""SLA Outcome rows as the Issue adapter records them, in months no other test uses (2031), so the
	figures are the test's alone; now is pinned into 2031."""

	def outcome(self, month: str, tier: str, priority: str, status: str) -> None:
		"""One target of an Issue opened on the 10th of ``month``, due 8 h later: ``status`` Met (in 4 h),
		Breached (met in 12 h) or Open (not met, and due on the 31st: not yet due on the 20th)."""
		year, mon = map(int, month.split("-"))
		opened = dt.datetime(year, mon, 10, 9)
		met = status in ("Met", "Breached")
		frappe.get_doc(
			{
				"doctype": "SLA Outcome",
				"name": frappe.generate_hash(length=12),
				"issue": f"SC-WS-{frappe.generate_hash(length=6)}",
				"metric": "resolution",
				"status": status,
				"priority": priority,
				"customer": "SC WS Customer",
				"support_tier": tier,
				"opened_at": opened,
				"month": month,
				"due": opened + (dt.timedelta(hours=8) if met else dt.timedelta(days=21)),
				"met_at": opened + dt.timedelta(hours=4 if status == "Met" else 12) if met else None,
				"business_seconds": (4 if status == "Met" else 12) * 3600 if met else None,
			}
		).db_insert()

	def setUp(self):
		super().setUp()
		# March 2031: Gold P1 met, met, breached; Silver P2 not yet due. February 2031: Silver P2 breached.
		for status in ("Met", "Met", "Breached"):
			self.outcome("2031-03", "SC WS Gold", "P1", status)
		self.outcome("2031-03", "SC WS Silver", "P2", "Open")
		self.outcome("2031-02", "SC WS Silver", "P2", "Breached")

	def test_compliance_this_month_and_last(self):
		"""March: 2 met of 3 decided = 66.7 % (the pending one is not decided); February: 0 of 1 = 0 %."""
		pin(2031, 3, 20, 12)
		this, last = dashboards.compliance_of_month(0), dashboards.compliance_of_month(1)
		self.assertEqual((this["value"], this["fieldtype"]), (66.7, "Percent"))
		self.assertEqual(this["route_options"], {"from_month": "2031-03", "to_month": "2031-03"})
		self.assertEqual(last["value"], 0.0)

	def test_a_month_with_nothing_decided_shows_a_dash_not_zero(self):
		"""In February 2031 the month before, January, has no target at all: "—"."""
		pin(2031, 2, 20, 12)
		self.assertEqual(dashboards.compliance_of_month(1), "—")

	def test_breaches_by_tier_and_by_priority_last_month_beside_this(self):
		"""February: Silver 1 breached; March: Gold 1 breached (Silver's March target is not yet due)."""
		pin(2031, 3, 20, 12)
		self.assertEqual(
			dashboards.sla_breaches("support_tier"),
			{
				"labels": ["SC WS Gold", "SC WS Silver"],
				"datasets": [{"name": "2031-02", "values": [0, 1]}, {"name": "2031-03", "values": [1, 0]}],
			},
		)
		self.assertEqual(
			dashboards.sla_breaches("priority"),
			{
				"labels": ["P1", "P2"],
				"datasets": [{"name": "2031-02", "values": [0, 1]}, {"name": "2031-03", "values": [1, 0]}],
			},
		)
		with self.assertRaises(frappe.ValidationError):
			dashboards.sla_breaches("customer")


class TestBillingFigures(SCTestCase):
	def test_billed_per_month_net_submitted_and_draft_apart(self):
		"""February 2031 (pinned in March 2031): submitted 1,000.10 + 2,500.00 = 3,500.10, draft 99.90; a
		cancelled invoice and one of December 2029 (outside the twelve months) count nowhere."""
		pin(2031, 3, 15, 12)
		currency = frappe.get_cached_value("Company", company(), "default_currency")
		for period, docstatus, net in (
			("2031-02", 1, "1000.10"),
			("2031-02", 1, "2500.00"),
			("2031-02", 0, "99.90"),
			("2031-02", 2, "5000.00"),
			("2029-12", 1, "700.00"),
		):
			frappe.get_doc(
				{
					"doctype": "Sales Invoice",
					"name": f"SC-WS-SINV-{frappe.generate_hash(length=8)}",
					"company": company(),
					"customer": "SC WS Customer",
					"posting_date": "2031-03-01",
					"currency": currency,
					"docstatus": docstatus,
					"base_net_total": net,
					"sc_billing_period": period,
				}
			).db_insert()
		chart = dashboards.billed_per_month()
		self.assertEqual(chart["labels"][0], "2030-04")
		self.assertEqual(chart["labels"][-1], "2031-03")
		february = chart["labels"].index("2031-02")
		values = {d["name"]: d["values"] for d in chart["datasets"]}
		self.assertEqual(values[f"Submitted ({currency})"][february], 3500.10)
		self.assertEqual(values[f"Draft ({currency})"][february], 99.90)
		self.assertEqual(sum(sum(v) for v in values.values()), 3500.10 + 99.90)

	def test_unbilled_incident_fees_count_only_the_unbilled(self):
		before = dashboards.unbilled_incident_fees()["value"]
		for status in ("Unbilled", "Unbilled", "Billed"):
			frappe.get_doc(
				{
					"doctype": "Incident Fee",
					"name": f"SC-WS-IF-{frappe.generate_hash(length=8)}",
					"issue": f"SC-WS-ISSUE-{frappe.generate_hash(length=6)}",  # one fee per Issue
					"customer": "SC WS Customer",
					"called_at": "2026-11-03 22:10:00",
					"fee": 1750,
					"status": status,
				}
			).db_insert()
		after = dashboards.unbilled_incident_fees()
		self.assertEqual(after["value"] - before, 2)
		self.assertEqual(after["route_options"], {"status": "Unbilled"})

	def test_unbilled_work_is_real_time_across_the_autumn_clock_change(self):
		"""Sunday 25 October 2026, Stockholm: 01:30–03:30 on the wall clock is 3 h of real time (the clock
		turns back from 03:00 to 02:00); with 1 h 30 min on Monday that is 4.50 h unbilled. A row already
		on an invoice counts nowhere."""
		customer = make_customer("SC WS Unbilled Customer")
		make_contract(customer, make_tier("SC WS Unbilled Tier", calendar=make_calendar("SC WS Office")))
		pin(2026, 10, 27, 8)
		issue = make_issue(customer, at(2026, 10, 24, 9), "P3").name
		before = dashboards.unbilled_work()["value"]
		ts = frappe.get_doc(
			{
				"doctype": "Timesheet",
				"company": company(),
				"time_logs": [
					{
						"from_time": "2026-10-25 01:30:00",
						"to_time": "2026-10-25 03:30:00",
						"hours": 2,
						"sc_issue": issue,
						"sc_work_kind": "Remote",
					},
					{
						"from_time": "2026-10-26 09:00:00",
						"to_time": "2026-10-26 10:30:00",
						"hours": 1.5,
						"sc_issue": issue,
						"sc_work_kind": "Remote",
					},
				],
			}
		).insert(ignore_permissions=True)
		ts.submit()
		self.assertEqual(round(dashboards.unbilled_work()["value"] - before, 2), 4.5)
		frappe.db.set_value("Timesheet Detail", ts.time_logs[1].name, "sales_invoice", "SC-WS-BILLED")
		self.assertEqual(round(dashboards.unbilled_work()["value"] - before, 2), 3.0)

	def test_runs_with_errors_count_failed_interrupted_and_partly_failed_runs(self):
		before = card("Billing Runs with Errors")
		for status in ("Failed", "Interrupted", "Completed with Errors", "Completed", "Draft"):
			run = frappe.get_doc(
				{
					"doctype": "Support Billing Run",
					"company": company(),
					"billing_month": "2026-06-01",
					"posting_date": "2026-06-01",
				}
			).insert(ignore_permissions=True)
			frappe.db.set_value("Support Billing Run", run.name, "status", status)
		self.assertEqual(card("Billing Runs with Errors") - before, 3)

	def test_this_months_run_is_the_latest_of_the_month_and_opens_it(self):
		pin(2026, 12, 6, 10)
		run = frappe.get_doc(
			{
				"doctype": "Support Billing Run",
				"company": company(),
				"billing_month": "2026-12-01",
				"posting_date": "2026-12-06",
			}
		).insert(ignore_permissions=True)
		self.assertEqual(
			dashboards.billing_run_this_month(),
			f'<a href="/app/support-billing-run/{run.name}">Draft</a>',
		)
		pin(2031, 1, 6, 10)
		self.assertEqual(dashboards.billing_run_this_month(), "Not started")

	def test_hour_banks_running_low_below_a_quarter(self):
		"""A 10 h bank a month: 8 h used leaves 2 h, less than a quarter (2.5 h): low; 5 h used leaves 5 h:
		not low; 10 h used leaves none: low."""
		pin(2026, 12, 6, 10)
		tier = make_tier(
			"SC WS Bank Tier",
			calendar=make_calendar("SC WS Bank Office"),
			hour_bank_hours=10,
			hour_bank_period="Month",
		)
		before = set(dashboards.contracts_running_low())
		made = {}
		for name, used in (("SC WS Low", 480), ("SC WS Fine", 300), ("SC WS Empty", 600)):
			contract = make_contract(make_customer(name), tier)
			made[name] = contract
			for entry_type, minutes in (("Allocation", 600), ("Consumption", -used)):
				frappe.get_doc(
					{
						"doctype": "Hour Bank Ledger Entry",
						"name": frappe.generate_hash(length=12),
						"support_contract": contract,
						"customer": name,
						"period": "2026-12",
						"entry_type": entry_type,
						"minutes": minutes,
						"posting_date": "2026-12-01",
						"billing_month": "2026-12",
					}
				).db_insert()
		self.assertEqual(
			set(dashboards.contracts_running_low()) - before, {made["SC WS Low"], made["SC WS Empty"]}
		)


class TestPayFigures(PayCase):
	"""The HR workspace's figures on HRMS's own documents: a June 2026 pay statement of 9,540 (the
	Midsummer week of test_payroll) and June's Salary Slip."""

	def tearDown(self):
		frappe.flags.current_time = None
		super().tearDown()

	def test_a_statement_is_not_in_payroll_until_its_salary_slip_is_submitted(self):
		anna = self.employee("Anna WS")
		self.midsummer(anna)
		frappe.db.commit()
		pin(2026, 6, 30, 12)
		paid_before = dashboards.on_call_pay_per_month()
		out = self.pay(anna)
		statement = out["statement"]
		self.assertIn(statement, hrms.statements_not_in_payroll())
		june = paid_before["labels"].index("2026-06")

		def june_sek(chart):
			return {d["name"]: d["values"][june] for d in chart["datasets"]}.get("On-call pay (SEK)", 0)

		self.assertEqual(round(june_sek(dashboards.on_call_pay_per_month()) - june_sek(paid_before), 2), 9540)
		slip = self.june_salary_slip(anna)
		self.assertIn(statement, hrms.statements_not_in_payroll())  # a draft slip pays nothing yet
		slip.submit()
		self.assertNotIn(statement, hrms.statements_not_in_payroll())

	def test_this_months_pay_run(self):
		pin(2026, 6, 30, 12)
		run = self.pay_run()
		self.assertEqual(
			dashboards.pay_run_this_month(),
			f'<a href="/app/on-call-pay-run/{run.name}">Draft</a>',
		)
		self.assertEqual(pay_company(), run.company)


class TestWhoSeesWhat(SCTestCase):
	def setUp(self):
		super().setUp()
		make_api_user(AGENT, ("Support Agent",))

	def tearDown(self):
		frappe.set_user("Administrator")
		super().tearDown()

	def test_an_agent_sees_no_money_card_or_chart_and_no_money_workspace(self):
		frappe.set_user(AGENT)
		sidebar = {page["name"] for page in get_workspace_sidebar_items()["pages"]}
		self.assertTrue({"Support Desk", "Support Contracts"} <= sidebar, sidebar)
		self.assertFalse({"Support Billing", "On-Call"} & sidebar, sidebar)
		for workspace in ("Support Desk", "Support Contracts"):
			page = get_desktop_page(frappe.as_json({"name": workspace}))
			cards = {c.number_card_name for c in page["number_cards"]["items"]}
			charts = {c.chart_name for c in page["charts"]["items"]}
			self.assertFalse(cards & MONEY_CARDS, (workspace, cards))
			self.assertFalse(charts & MONEY_CHARTS, (workspace, charts))
		# what the agent's workspaces do show
		desk = get_desktop_page(frappe.as_json({"name": "Support Desk"}))
		self.assertEqual(
			{c.number_card_name for c in desk["number_cards"]["items"]},
			{"My Open Support Issues", "Breached Support Issues", "Support Issues Due Soon", "On Call Now"},
		)
		# and the money methods refuse the agent, whatever calls them
		for method in (
			dashboards.billed_per_month,
			dashboards.on_call_pay_per_month,
			dashboards.billing_run_this_month,
			dashboards.unbilled_incident_fees,
			dashboards.unbilled_work,
			dashboards.low_hour_banks,
			dashboards.pay_run_this_month,
			dashboards.statements_not_in_payroll,
		):
			with self.assertRaises(frappe.PermissionError, msg=method.__name__):
				method()

	def test_a_billing_clerk_sees_the_billing_workspace_and_not_pay(self):
		clerk = "sc-ws-clerk@example.com"
		make_api_user(clerk, ("Accounts User",))
		frappe.set_user(clerk)
		sidebar = {page["name"] for page in get_workspace_sidebar_items()["pages"]}
		self.assertIn("Support Billing", sidebar)
		self.assertNotIn("On-Call", sidebar)
		page = get_desktop_page(frappe.as_json({"name": "Support Billing"}))
		self.assertEqual(
			{c.number_card_name for c in page["number_cards"]["items"]},
			{
				"Billing Run This Month",
				"Unbilled Incident Fees",
				"Unbilled Support Hours",
				"Billing Runs with Errors",
				"Hour Banks Running Low",
			},
		)
		self.assertEqual({c.chart_name for c in page["charts"]["items"]}, {"Billed per Month"})
		with self.assertRaises(frappe.PermissionError):
			dashboards.on_call_pay_per_month()


class TestAgentsQueue(SCTestCase):
	def setUp(self):
		super().setUp()
		make_api_user(AGENT, ("Support Agent",))
		self.customer = make_customer("SC WS Queue Customer")
		make_contract(
			self.customer, make_tier("SC WS Queue Tier", calendar=make_calendar("SC WS Queue Office"))
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		super().tearDown()

	def issue(self, subject: str, assigned: bool = True, **kw):
		pin(2026, 12, 7, 9)  # Monday 09:00, in business hours
		doc = make_issue(kw.pop("customer", self.customer), at(2026, 12, 7, 9), "P1", subject=subject, **kw)
		if assigned:
			frappe.db.set_value("Issue", doc.name, "_assign", frappe.as_json([AGENT]))
		return doc.name

	def test_my_open_issues_card_counts_my_open_governed_issues(self):
		"""Mine: two open governed Issues; not counted: a resolved one, one of a customer without a
		contract, one not assigned to me."""
		mine = [["Issue", "_assign", "like", f"%{AGENT}%"]]  # the card's dynamic filter, evaluated
		before = card("My Open Support Issues", AGENT, mine)
		self.issue("Mail down")
		self.issue("VPN down")
		resolved = self.issue("Printer jam")
		frappe.db.set_value("Issue", resolved, "status", "Resolved")
		self.issue("Walk-in", customer=make_customer("SC WS No Contract"))
		self.issue("Someone else's", assigned=False)
		self.assertEqual(card("My Open Support Issues", AGENT, mine) - before, 2)

	def test_the_queue_puts_the_next_due_first_and_paused_last(self):
		first, second, paused = self.issue("Second"), self.issue("First"), self.issue("Paused")
		frappe.db.set_value("Issue", first, "sc_breach_at", "2026-12-07 15:00:00")
		frappe.db.set_value("Issue", second, "sc_breach_at", "2026-12-07 11:00:00")
		frappe.db.set_value("Issue", paused, "sc_breach_at", None)
		frappe.set_user(AGENT)
		_columns, rows = support_queue({"assigned_to": AGENT, "customer": self.customer})
		self.assertEqual([r.name for r in rows], [second, first, paused])
		self.assertEqual(rows[0].assigned_to, AGENT)


class TestOnboarding(SCTestCase):
	"""On a site that has nothing yet (the app's documents hidden inside this test's transaction, which is
	rolled back; a commit would make that real, so one is refused here), each step is done exactly when
	its document exists."""

	def setUp(self):
		super().setUp()
		self.no_commit = patch.object(frappe.db, "commit", side_effect=AssertionError("no commit here"))
		self.no_commit.start()
		frappe.db.delete("Support Calendar")
		frappe.db.delete("Support Tier Target", {"parenttype": "Support Tier"})
		frappe.db.sql("update `tabSupport Contract` set status = 'Draft'")
		frappe.db.sql("update `tabIssue` set sc_support_contract = null")
		frappe.db.sql("update `tabSupport Billing Run` set status = 'Draft'")
		frappe.db.sql(
			"update `tabOnboarding Step` set is_complete = 0 where name in %s", [tuple(onboarding.STEPS)]
		)
		frappe.db.set_value("Module Onboarding", onboarding.ONBOARDING, "is_complete", 0)
		onboarding.forget_done()

	def tearDown(self):
		self.no_commit.stop()
		super().tearDown()
		onboarding.forget_done()

	def done(self) -> set[str]:
		return {
			s
			for s in onboarding.STEPS
			if frappe.db.get_value("Onboarding Step", s, "is_complete", order_by=None)
		}

	def test_each_step_is_marked_done_when_its_document_exists(self):
		onboarding.mark_done()
		self.assertEqual(self.done(), set())
		calendar = make_calendar("SC WS Onboarding Office")
		self.assertEqual(self.done(), {"Set Up a Support Calendar"})
		tier = make_tier("SC WS Onboarding Tier", calendar=calendar)
		self.assertEqual(self.done(), {"Set Up a Support Calendar", "Create a Support Tier"})
		customer = make_customer("SC WS Onboarding Customer")
		contract = make_contract(customer, tier, status="Draft")
		self.assertNotIn("Create a Support Contract", self.done())  # a draft is no contract yet
		doc = frappe.get_doc("Support Contract", contract)
		doc.status = "Active"
		doc.save()
		self.assertIn("Create a Support Contract", self.done())
		pin(2026, 12, 7, 9)
		make_issue(customer, at(2026, 12, 7, 9), "P1")
		self.assertIn("Open a Governed Issue", self.done())
		self.assertNotIn("Run the First Billing Run", self.done())
		self.assertFalse(frappe.db.get_value("Module Onboarding", onboarding.ONBOARDING, "is_complete"))
		# a billing run that completes (its progress counted from its results, as its workers do)
		run = frappe.get_doc(
			{
				"doctype": "Support Billing Run",
				"company": company(),
				"billing_month": "2026-12-01",
				"posting_date": "2026-12-07",
				"customer": customer,
			}
		).insert(ignore_permissions=True)
		runs.update_progress("Support Billing Run", "Support Billing Run Result", run.name, 2)
		self.assertNotIn("Run the First Billing Run", self.done())  # In Progress
		for unit in (contract, None):
			runs.store_result(
				"Support Billing Run",
				"Support Billing Run Result",
				run.name,
				{"support_contract": unit, "customer": customer},
				{"outcome": "Invoiced" if unit else "Nothing to Bill"},
			)
		runs.update_progress("Support Billing Run", "Support Billing Run Result", run.name, 2)
		self.assertEqual(self.done(), set(onboarding.STEPS))
		self.assertTrue(frappe.db.get_value("Module Onboarding", onboarding.ONBOARDING, "is_complete"))


class TestRecords(FrappeTestCase):
	def test_every_card_and_chart_a_workspace_names_exists_with_its_method(self):
		"""A workspace that names a missing card or chart shows an empty box; a Custom card's method must be
		a public method of the app (api/dashboards.py)."""
		for ws in frappe.get_all("Workspace", filters={"module": "Support Contracts"}, pluck="name"):
			doc = frappe.get_doc("Workspace", ws)
			for row in doc.number_cards:
				card_doc = frappe.get_doc("Number Card", row.number_card_name)
				if card_doc.type == "Custom":
					self.assertTrue(card_doc.method.startswith("support_contracts.api.dashboards."))
					self.assertIn(frappe.get_attr(card_doc.method), frappe.whitelisted)
			for row in doc.charts:
				self.assertTrue(frappe.db.exists("Dashboard Chart", row.chart_name), row.chart_name)
