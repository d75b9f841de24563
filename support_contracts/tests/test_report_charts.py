"""Each report's chart on a small data set made by hand, its figures worked out by hand (issue 31, "Charts
that tell"): SLA Compliance, Production Bugs, Incident Fees, Hour Bank Usage and On-Call Pay draw one;
Hour Bank Check draws none."""

import datetime as dt
from zoneinfo import ZoneInfo

import frappe

from support_contracts.adapters.times import naive
from support_contracts.tests.factories import (
	SCTestCase,
	make_calendar,
	make_contract,
	make_customer,
	make_employee,
	make_issue,
	make_tier,
)

STHLM = ZoneInfo("Europe/Stockholm")


def at(*args):
	return dt.datetime(*args, tzinfo=STHLM)


def pin(t):
	frappe.flags.current_time = naive(t)


def series(chart) -> dict:
	"""A chart's datasets by name."""
	return {d["name"]: d["values"] for d in chart["data"]["datasets"]}


class TestSLAComplianceChart(SCTestCase):
	"""One target per Issue (P1 action start, 1 h of 08–17 business time). April: one started in time and
	one late; May: one never started, long overdue; June: one opened a quarter of an hour ago, not yet due.
	Now: Monday 22 June 2026, 10:15."""

	def setUp(self):
		super().setUp()
		self.customer = make_customer("SC Chart Customer")
		tier = make_tier(
			"SC Chart Tier",
			make_calendar("SC Chart Office"),
			targets=[("P1", "Action Start", "Business Time", 3600)],
		)
		make_contract(self.customer, tier)
		met = self.opened(at(2026, 4, 13, 10))  # due 11:00
		late = self.opened(at(2026, 4, 13, 10))
		self.started(met, at(2026, 4, 13, 10, 30))  # in time
		self.started(late, at(2026, 4, 13, 12))  # an hour late
		self.opened(at(2026, 5, 11, 10))  # due 11:00 that day, never started: breached since
		self.opened(at(2026, 6, 22, 10))  # due 11:00 today: not yet
		pin(at(2026, 6, 22, 10, 15))

	def opened(self, t):
		pin(t)
		return make_issue(self.customer, t, "P1")

	def started(self, issue, t):
		pin(t)
		issue.reload()
		issue.sc_action_started_on = naive(t)
		issue.save()

	def test_met_breached_and_not_yet_due_stacked_per_month_with_each_months_compliance(self):
		from support_contracts.support_contracts.report.sla_compliance import sla_compliance

		_columns, _data, _message, chart, summary = sla_compliance.execute(
			{"from_month": "2026-03", "to_month": "2026-07", "customer": self.customer}
		)
		self.assertEqual((chart["type"], chart["barOptions"]), ("bar", {"stacked": 1}))
		self.assertEqual(chart["colors"], ["green", "red", "grey"])
		# every month of the range; April 1 of 2 decided met, May 0 of 1, June nothing decided yet (not 0 %),
		# March and July nothing at all
		self.assertEqual(
			chart["data"]["labels"],
			["2026-03 · —", "2026-04 · 50 %", "2026-05 · 0 %", "2026-06 · —", "2026-07 · —"],
		)
		self.assertEqual(
			series(chart),
			{
				"Met": [0, 1, 0, 0, 0],
				"Breached": [0, 1, 1, 0, 0],
				"Not Yet Due": [0, 0, 0, 1, 0],  # June's grey bar
			},
		)
		# the whole range: 1 met of 3 decided = 33.3 %
		self.assertEqual(
			[(s["label"], s["value"]) for s in summary],
			[
				("Compliance over the period", 33.3),
				("Met", 1),
				("Breached", 2),
				("Not Yet Due", 1),
				("Customers' Rating", "—"),  # nobody rated these tickets
			],
		)

	def test_run_with_only_the_defaults_as_a_dashboard_chart_runs_it(self):
		"""No months given: the form's defaults, the twelve months up to this one (July 2025 – June 2026)."""
		from support_contracts.support_contracts.report.sla_compliance import sla_compliance

		_columns, _data, _message, chart, summary = sla_compliance.execute({"customer": self.customer})
		labels = chart["data"]["labels"]
		self.assertEqual(len(labels), 12)
		self.assertEqual(
			(labels[0], labels[-3:]), ("2025-07 · —", ["2026-04 · 50 %", "2026-05 · 0 %", "2026-06 · —"])
		)
		self.assertEqual(series(chart)["Not Yet Due"], [0] * 11 + [1])
		self.assertEqual(summary[0]["value"], 33.3)

	def test_no_decided_target_in_the_range_is_a_dash_not_zero(self):
		from support_contracts.support_contracts.report.sla_compliance import sla_compliance

		_columns, _data, _message, chart, summary = sla_compliance.execute(
			{"from_month": "2026-06", "to_month": "2026-06", "customer": self.customer}
		)
		self.assertEqual(chart["data"]["labels"], ["2026-06 · —"])
		self.assertEqual((summary[0]["value"], summary[0]["datatype"]), ("—", "Data"))


class TestProductionBugsChart(SCTestCase):
	def test_production_bugs_per_month_on_call_and_not_stacked(self):
		from support_contracts.support_contracts.report.production_bugs import production_bugs

		customer = make_customer("SC Chart Customer")
		make_contract(customer, make_tier("SC Chart Tier", make_calendar("SC Chart Office")))
		for opened, production, jour in (
			(at(2026, 8, 31, 10), 1, 1),  # before the period
			(at(2026, 9, 7, 10), 1, 1),
			(at(2026, 9, 8, 10), 1, 0),
			(at(2026, 11, 2, 10), 1, 1),
			(at(2026, 11, 3, 10), 0, 0),  # an ordinary question: no production bug
			(at(2026, 11, 30, 16), 1, 1),  # the period's last day
			(at(2026, 12, 1, 9), 1, 0),  # after it
		):
			pin(opened)  # logged as it came in
			issue = make_issue(customer, opened, "P1", subject=f"Bug {opened:%Y-%m-%d}")
			frappe.db.set_value("Issue", issue.name, {"sc_production": production, "sc_jour": jour})
		_columns, _data, _message, chart = production_bugs.execute(
			{"from_date": "2026-09-01", "to_date": "2026-11-30", "customer": customer}
		)
		self.assertEqual((chart["type"], chart["barOptions"]), ("bar", {"stacked": 1}))
		# October had none: an empty month, not a gap
		self.assertEqual(chart["data"]["labels"], ["2026-09", "2026-10", "2026-11"])
		self.assertEqual(series(chart), {"On-call": [1, 0, 2], "Not on-call": [1, 0, 0]})


class TestIncidentFeesChart(SCTestCase):
	def test_call_ins_per_month_billed_and_unbilled_counted_whatever_their_currency(self):
		from support_contracts.support_contracts.report.incident_fees import incident_fees

		customer = make_customer("SC Chart Customer")
		contract = make_contract(customer, make_tier("SC Chart Tier", make_calendar("SC Chart Office")))
		for called, fee, currency, billed in (
			(at(2026, 8, 31, 23, 59), 1750, "SEK", True),  # before the period
			(at(2026, 9, 5, 2), 1750, "SEK", True),
			(at(2026, 9, 20, 22), 2100, "NOK", False),
			(at(2026, 11, 14, 3), 1750, "SEK", False),
			(at(2026, 11, 30, 23, 30), 2100, "NOK", False),  # the period's last evening
		):
			pin(called)  # the Issue opened as the call came in, its fee called in then
			issue = make_issue(customer, called, "P1", subject=f"Call-in {called:%Y-%m-%d %H:%M}")
			name = (
				frappe.get_doc(
					{
						"doctype": "Incident Fee",
						"issue": issue.name,
						"customer": customer,
						"support_contract": contract,
						"called_at": naive(called),
						"fee": fee,
						"currency": currency,
					}
				)
				.insert()
				.name
			)
			if billed:  # as the invoicing run marks a fee it billed
				frappe.db.set_value(
					"Incident Fee", name, {"status": "Billed", "sales_invoice": "ACC-SINV-2026-00001"}
				)
		pin(at(2026, 12, 1, 10))
		_columns, _data, _message, chart, _summary = incident_fees.execute(
			{"from_date": "2026-09-01", "to_date": "2026-11-30", "customer": customer}
		)
		self.assertEqual((chart["type"], chart["barOptions"]), ("bar", {"stacked": 1}))
		self.assertEqual(chart["data"]["labels"], ["2026-09", "2026-10", "2026-11"])
		# counts: SEK and NOK fees are never added up
		self.assertEqual(series(chart), {"Billed": [1, 0, 0], "Unbilled": [1, 0, 2]})


class TestHourBankUsageChart(SCTestCase):
	def ledger(self, contract, customer, period, entry_type, minutes, posted, cancelled=0):
		frappe.get_doc(
			{
				"doctype": "Hour Bank Ledger Entry",
				"support_contract": contract,
				"customer": customer,
				"period": period,
				"entry_type": entry_type,
				"minutes": minutes,
				"posting_date": posted,
				"is_cancelled": cancelled,
			}
		).insert(ignore_permissions=True)

	def test_each_contracts_latest_period_used_left_and_expired_stacked(self):
		from support_contracts.support_contracts.report.hour_bank_usage import hour_bank_usage

		tier = make_tier("SC Chart Tier", make_calendar("SC Chart Office"))
		a_customer, b_customer = make_customer("SC Chart Bank A"), make_customer("SC Chart Bank B")
		a = make_contract(a_customer, tier)
		b = make_contract(b_customer, tier, start="2025-01-01")
		for contract, customer, period, entry_type, minutes, posted, cancelled in (
			# A: Q2 15 h, 14 h used, 1 h expired; Q3 (begins later) 15 h, 90 min used, 5 h cancelled
			(a, a_customer, "Q2 2026", "Allocation", 900, "2026-04-01", 0),
			(a, a_customer, "Q2 2026", "Consumption", -840, "2026-07-01", 0),
			(a, a_customer, "Q2 2026", "Expiry", -60, "2026-07-01", 0),
			(a, a_customer, "Q3 2026", "Allocation", 900, "2026-07-01", 0),
			(a, a_customer, "Q3 2026", "Consumption", -90, "2026-08-01", 0),
			(a, a_customer, "Q3 2026", "Consumption", -300, "2026-08-01", 1),
			# B: 2025 10 h, 8 h used, 2 h expired when 2026 began; 2026 20 h, 5 h used
			(b, b_customer, "2025", "Allocation", 600, "2025-01-31", 0),
			(b, b_customer, "2025", "Consumption", -480, "2025-06-30", 0),
			(b, b_customer, "2025", "Expiry", -120, "2026-01-31", 0),
			(b, b_customer, "2026", "Allocation", 1200, "2026-01-31", 0),
			(b, b_customer, "2026", "Consumption", -300, "2026-03-31", 0),
		):
			self.ledger(contract, customer, period, entry_type, minutes, posted, cancelled)
		_columns, _data, _message, chart = hour_bank_usage.execute({})
		self.assertEqual((chart["type"], chart["barOptions"]), ("bar", {"stacked": 1}))
		self.assertEqual([d["name"] for d in chart["data"]["datasets"]], ["Used", "Left", "Expired"])
		bars = {
			label: tuple(d["values"][i] for d in chart["data"]["datasets"])
			for i, label in enumerate(chart["data"]["labels"])
			if label.startswith("SC Chart Bank")  # the site may hold other contracts' banks
		}
		self.assertEqual(
			bars,
			{
				"SC Chart Bank A · Q3 2026": (1.5, 13.5, 0.0),  # 15 h − 1.5 h used
				"SC Chart Bank B · 2026": (5.0, 15.0, 0.0),  # 20 h − 5 h used
			},
		)


class TestOnCallPayChart(SCTestCase):
	"""Statements as the pay run submits them, of payroll months far from any other test's (2030–31)."""

	def statement(self, employee, period, currency, total, docstatus=1):
		doc = frappe.get_doc(
			{
				"doctype": "On-Call Pay Statement",
				"employee": employee,
				"company": self.company,
				"payroll_month": f"{period}-01",
				"payroll_period": period,
				"pay_key": f"{employee}|{period}|chart-test",
				"currency": currency,
				"total": total,
				"docstatus": docstatus,
			}
		)
		doc.name = f"OCS-CHART-{employee}-{period}"
		doc.creation = doc.modified = frappe.utils.now_datetime()
		doc.db_insert()  # as submitted (or cancelled): the chart reads the stored statements

	def test_paid_per_payroll_month_per_currency_side_by_side(self):
		from support_contracts.support_contracts.report.on_call_pay import on_call_pay

		anna, bo, cia = make_employee("Anna"), make_employee("Bo"), make_employee("Cia")
		self.company = frappe.db.get_value("Employee", anna, "company")
		for employee, period, currency, total, docstatus in (
			(anna, "2030-06", "SEK", "111.00", 1),  # thirteen months before June 2031: not charted
			(anna, "2030-07", "SEK", "200.00", 1),
			(anna, "2031-04", "SEK", "4500.50", 1),
			(bo, "2031-04", "SEK", "1000.25", 1),
			(anna, "2031-05", "SEK", "6750.00", 1),
			(cia, "2031-05", "NOK", "3000.00", 1),
			(bo, "2031-06", "SEK", "999.00", 2),  # cancelled: not paid
		):
			self.statement(employee, period, currency, total, docstatus)
		pin(at(2031, 7, 1, 9))
		_columns, _data, _message, chart = on_call_pay.execute({"company": self.company, "month": "2031-06"})
		self.assertEqual((chart["type"], chart["barOptions"]), ("bar", {"stacked": 0}))  # never added up
		self.assertEqual(
			chart["data"]["labels"],
			[f"2030-{m:02d}" for m in range(7, 13)] + [f"2031-{m:02d}" for m in range(1, 7)],
		)
		self.assertEqual(
			series(chart),
			{
				# April: 4,500.50 + 1,000.25 = 5,500.75 SEK; May 6,750 SEK and 3,000 NOK apart
				"Paid (NOK)": [0.0] * 10 + [3000.0, 0.0],
				"Paid (SEK)": [200.0] + [0.0] * 8 + [5500.75, 6750.0, 0.0],
			},
		)


class TestHourBankCheckHasNoChart(SCTestCase):
	def test_a_list_of_problems_draws_none(self):
		from support_contracts.support_contracts.report.hour_bank_check import hour_bank_check

		self.assertEqual(len(hour_bank_check.execute({})), 3)  # columns, rows, message: no chart
