"""The support manager's reports, on Issues whose clocks are worked out by hand (office 08–17, Trinax
Alert!-like tier: P1 action start 1 h and resolution 4 h of business time, P3 action start 8 h)."""

import datetime as dt
import email
import io
import shutil
import unittest
from decimal import Decimal
from zoneinfo import ZoneInfo

import frappe

from support_contracts.adapters.times import naive
from support_contracts.support_contracts.report.sla_compliance import sla_compliance
from support_contracts.tests.factories import (
	SCTestCase,
	make_calendar,
	make_contact,
	make_contract,
	make_customer,
	make_issue,
	make_outgoing_email_account,
	make_tier,
)
from support_contracts.tests.site_server import SiteServer

STHLM = ZoneInfo("Europe/Stockholm")


def at(*args):
	return dt.datetime(*args, tzinfo=STHLM)


class TestSLACompliance(SCTestCase):
	def setUp(self):
		super().setUp()
		self.customer = make_customer("SC Report Customer")
		self.tier = make_tier("SC Report Tier", make_calendar("SC Report Office"))
		make_contract(self.customer, self.tier)

	def now(self, t):
		frappe.flags.current_time = naive(t)

	def opened(self, t, priority="P1"):
		self.now(t)
		return make_issue(self.customer, t, priority)

	def started(self, issue, t):
		self.now(t)
		issue.reload()
		issue.sc_action_started_on = naive(t)
		issue.save()

	def resolved(self, issue, t):
		self.now(t)
		issue.reload()
		issue.status = "Resolved"
		issue.save()

	def test_met_breached_and_pending_targets_with_the_business_time_they_took(self):
		a = self.opened(at(2026, 6, 22, 10))  # due: action 11:00, resolution 14:00
		b = self.opened(at(2026, 6, 22, 10))
		self.started(a, at(2026, 6, 22, 10, 30))  # in time, 30 min
		self.started(b, at(2026, 6, 22, 12))  # late, 2 h
		self.resolved(a, at(2026, 6, 22, 13))  # in time, 3 h
		self.resolved(b, at(2026, 6, 22, 16))  # late, 6 h
		self.opened(at(2026, 6, 23, 9))  # C: action due 10:00 (overdue by noon), resolution 13:00 (not yet)
		self.opened(at(2026, 6, 23, 9), "P3")  # D: action due 17:00 (not yet)
		self.now(at(2026, 6, 23, 12))
		_columns, data, _message, chart, _summary = sla_compliance.execute(
			{"from_month": "2026-06", "to_month": "2026-06", "customer": self.customer}
		)
		rows = {(r["priority"], r["metric"]): r for r in data}
		got = {
			k: (
				r["targets"],
				r["met"],
				r["breached"],
				r["pending"],
				r["compliance"],
				r["median_hours"],
				r["p90_hours"],
			)
			for k, r in rows.items()
		}
		self.assertEqual(
			got,
			{
				# A 0.5 h in time, B 2 h late, C overdue: 1 of 3 kept; median 0.5 h, p90 2 h (of A and B)
				("P1", "action_start"): (3, 1, 2, 0, 33.3, 0.5, 2.0),
				# A 3 h in time, B 6 h late, C not yet due
				("P1", "resolution"): (3, 1, 1, 1, 50.0, 3.0, 6.0),
				("P3", "action_start"): (1, 0, 0, 1, None, None, None),
			},
		)
		# 2 of the 5 decided targets met; the chart's own test: test_report_charts
		self.assertEqual(chart["data"]["labels"], ["2026-06 · 40 %"])
		self.assertEqual([d["values"] for d in chart["data"]["datasets"]], [[2], [3], [2]])

	def test_a_resolved_tickets_targets_stay_on_record(self):
		a = self.opened(at(2026, 6, 22, 10))
		self.resolved(a, at(2026, 6, 22, 15))  # resolution due 14:00: missed by an hour
		outcomes = {
			o.metric: o
			for o in frappe.get_all(
				"SLA Outcome",
				filters={"issue": a.name},
				fields=["metric", "status", "due", "met_at", "business_seconds"],
			)
		}
		self.assertEqual(set(outcomes), {"action_start", "resolution"})  # no first-response target: no row
		res = outcomes["resolution"]
		self.assertEqual(
			(res.status, str(res.due), str(res.met_at), res.business_seconds),
			("Breached", "2026-06-22 14:00:00", "2026-06-22 15:00:00", 5 * 3600),
		)
		# resolving counts as starting the action: late too (due 11:00)
		self.assertEqual(outcomes["action_start"].status, "Breached")
		# reopened, the resolution is unmet again (and still overdue); the record follows the clock
		self.now(at(2026, 6, 22, 15, 30))
		a.reload()
		a.status = "Open"
		a.save()
		res = frappe.db.get_value(
			"SLA Outcome", {"issue": a.name, "metric": "resolution"}, ["status", "met_at"], as_dict=True
		)
		self.assertEqual((res.status, res.met_at), ("Breached", None))

	def test_months_are_checked(self):
		with self.assertRaises(frappe.ValidationError) as refused:
			sla_compliance.execute({"from_month": "2026-13", "to_month": "2026-06"})
		self.assertIn("From Month", str(refused.exception))


class TestLedgerReports(SCTestCase):
	def setUp(self):
		super().setUp()
		self.customer = make_customer("SC Report Customer")
		self.tier = make_tier("SC Report Tier", make_calendar("SC Report Office"))
		self.contract = make_contract(self.customer, self.tier)

	def ledger(self, period, entry_type, minutes, cancelled=0):
		frappe.get_doc(
			{
				"doctype": "Hour Bank Ledger Entry",
				"support_contract": self.contract,
				"customer": self.customer,
				"period": period,
				"entry_type": entry_type,
				"minutes": minutes,
				"posting_date": "2026-07-01",
				"is_cancelled": cancelled,
			}
		).insert(ignore_permissions=True)

	def test_hour_bank_usage_per_period(self):
		from support_contracts.support_contracts.report.hour_bank_usage import hour_bank_usage

		# Q2: 15 h allocated, 12 h + 2 h used, 1 h expired when Q3 began; Q3: 15 h, 90 min used; a
		# cancelled invoice's 5 h do not count
		for period, entry_type, minutes in (
			("Q2 2026", "Allocation", 900),
			("Q2 2026", "Consumption", -720),
			("Q2 2026", "Consumption", -120),
			("Q2 2026", "Expiry", -60),
			("Q3 2026", "Allocation", 900),
			("Q3 2026", "Consumption", -90),
		):
			self.ledger(period, entry_type, minutes)
		self.ledger("Q3 2026", "Consumption", -300, cancelled=1)
		_columns, data, *_ = hour_bank_usage.execute({"support_contract": self.contract})
		got = {r["period"]: (r["allocated"], r["carried"], r["used"], r["expired"], r["left"]) for r in data}
		self.assertEqual(
			got, {"Q2 2026": (15.0, 0.0, 14.0, 1.0, 0.0), "Q3 2026": (15.0, 0.0, 1.5, 0.0, 13.5)}
		)

	def test_incident_fees_billed_and_unbilled(self):
		from support_contracts.support_contracts.report.incident_fees import incident_fees

		for called, fee, billed in (
			("2026-06-20 22:00:00", 1750, True),
			("2026-06-27 03:00:00", 1750, False),
		):
			issue = make_issue(self.customer, None, "P1", subject=f"Call-in {called}")
			name = (
				frappe.get_doc(
					{
						"doctype": "Incident Fee",
						"issue": issue.name,
						"customer": self.customer,
						"support_contract": self.contract,
						"called_at": called,
						"fee": fee,
						"currency": "SEK",
					}
				)
				.insert()
				.name
			)
			if billed:  # as the invoicing run marks a fee it billed
				frappe.db.set_value(
					"Incident Fee", name, {"status": "Billed", "sales_invoice": "ACC-SINV-2026-00001"}
				)
		_columns, data, _m, _c, summary = incident_fees.execute(
			{"from_date": "2026-06-01", "to_date": "2026-06-30", "customer": self.customer}
		)
		self.assertEqual([(d.status, d.fee) for d in data], [("Billed", 1750), ("Unbilled", 1750)])
		self.assertEqual(
			[(s["label"], s["value"]) for s in summary], [("Billed (SEK)", 1750), ("Unbilled (SEK)", 1750)]
		)
		_columns, data, *_ = incident_fees.execute(
			{
				"from_date": "2026-06-01",
				"to_date": "2026-06-30",
				"customer": self.customer,
				"status": "Unbilled",
			}
		)
		self.assertEqual(len(data), 1)


class TestProductionBugs(SCTestCase):
	def test_on_call_cases_and_production_marked_issues_per_month(self):
		from support_contracts.support_contracts.report.production_bugs import production_bugs
		from support_contracts.tests.factories import make_on_call_calendar

		customer = make_customer("SC Report Customer")
		tier = make_tier("SC Report Tier", make_calendar("SC Report Office"))
		make_contract(customer, tier, on_call=1, on_call_calendar=make_on_call_calendar("SC Report On-call"))
		frappe.flags.current_time = naive(at(2026, 11, 21, 10))
		saturday = make_issue(
			customer, at(2026, 11, 21, 10), "P1", subject="Shop down on a Saturday"
		)  # on call
		frappe.flags.current_time = naive(at(2026, 11, 24, 11))
		office = make_issue(customer, at(2026, 11, 24, 11), "P1", subject="Office hours, marked by the agent")
		office.sc_production = 1
		office.save()
		make_issue(customer, at(2026, 11, 24, 11), "P1", subject="An ordinary question")
		_columns, data, _m, chart = production_bugs.execute(
			{"from_date": "2026-11-01", "to_date": "2026-11-30", "customer": customer}
		)
		self.assertEqual(
			[(d.name, d.sc_jour, d.month) for d in data],
			[(saturday.name, 1, "2026-11"), (office.name, 0, "2026-11")],
		)
		self.assertEqual(  # on call and not
			(chart["data"]["labels"], [d["values"] for d in chart["data"]["datasets"]]),
			(["2026-11"], [[1], [1]]),
		)


class TestWeeklyReport(SCTestCase):
	def test_last_week_is_the_iso_week_before(self):
		from support_contracts.adapters.reporting import last_week

		self.assertEqual(last_week(dt.date(2026, 11, 23)), (dt.date(2026, 11, 16), dt.date(2026, 11, 22)))
		self.assertEqual(last_week(dt.date(2026, 11, 29)), (dt.date(2026, 11, 16), dt.date(2026, 11, 22)))

	def test_a_week_summed_up_and_sent_to_the_support_managers_when_switched_on(self):
		from support_contracts.adapters import reporting
		from support_contracts.support_contracts.doctype.jour_week.test_jour_week import make_week
		from support_contracts.tests.factories import make_employee, make_on_call_calendar, make_pay_scheme

		# the site may hold other documents of that week: what this test adds is what it checks
		frappe.flags.current_time = naive(at(2026, 11, 23, 7))
		before = reporting.weekly_summary(dt.date(2026, 11, 16))
		customer = make_customer("SC Report Customer")
		tier = make_tier("SC Report Tier", make_calendar("SC Report Office"))
		make_contract(customer, tier, on_call=1, on_call_calendar=make_on_call_calendar("SC Report On-call"))
		frappe.flags.current_time = naive(at(2026, 11, 17, 10))
		tue = make_issue(customer, at(2026, 11, 17, 10), "P1", subject="Tuesday")
		frappe.flags.current_time = naive(at(2026, 11, 18, 9))
		tue.status = "Resolved"
		tue.save()
		frappe.flags.current_time = naive(at(2026, 11, 21, 10))
		make_issue(
			customer, at(2026, 11, 21, 10), "P1", subject="Saturday call-in"
		)  # on call: a production bug
		frappe.get_doc(
			{
				"doctype": "SLA Transition",
				"issue": tue.name,
				"transition": "Breached",
				"due": "2026-11-17 11:00:00",
				"at": "2026-11-17 11:05:00",
			}
		).insert(ignore_permissions=True)
		anna = make_employee("Anna")
		make_week(anna, 47, make_pay_scheme())
		frappe.flags.current_time = naive(at(2026, 11, 23, 7))  # the activation is entered once it is done
		frappe.get_doc(
			{
				"doctype": "Jour Activation",
				"employee": anna,
				"from_time": "2026-11-21 21:00:00",
				"to_time": "2026-11-21 23:30:00",
			}
		).insert()
		got = reporting.weekly_summary(dt.date(2026, 11, 16))
		self.assertEqual(
			{k: round(got[k] - before[k], 2) for k, _label in reporting.ROWS if k != "rating"},
			{
				"opened": 2,
				"opened_under_contract": 2,
				"resolved_under_contract": 1,
				"warnings": 0,
				"breaches": 1,
				"escalations": 0,
				"activations": 1,
				"activation_hours": 2.5,
				"production_bugs": 1,
				"rated": 0,
			},
		)
		# off by default: nothing is sent
		self.assertIsNone(reporting.send_weekly_report())
		manager = "sc-report-manager@example.com"
		if not frappe.db.exists("User", manager):
			frappe.get_doc(
				{"doctype": "User", "email": manager, "first_name": "Manager", "send_welcome_email": 0}
			).insert(ignore_permissions=True)
		frappe.get_doc("User", manager).add_roles("Support Manager")
		frappe.db.set_single_value("Support Contract Settings", "weekly_report", 1)
		make_outgoing_email_account()
		subject = reporting.send_weekly_report()
		self.assertEqual(subject, "Support week 2026-11-16 – 2026-11-22")
		queued = frappe.get_all(
			"Email Queue", filters={"message": ("like", "%Support week 2026-11-16%")}, pluck="name"
		)
		self.assertTrue(queued)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", queued)}, pluck="recipient"
		)
		self.assertIn(manager, recipients)


class TestCustomerReport(SCTestCase):
	"""docs/rules.md B4: a report per contract at the tier's cadence — here monthly, October 2026, sent on
	1 November."""

	def setUp(self):
		super().setUp()
		self.customer = make_customer("SC Report Customer")
		self.tier = make_tier(
			"SC Report Tier", make_calendar("SC Report Office"), reporting_cadence="Monthly"
		)
		contact = make_contact(self.customer, "Rut", "rut@sc-report.example.com")
		self.contract = make_contract(self.customer, self.tier, authorised_callers=[{"contact": contact}])
		frappe.flags.current_time = naive(at(2026, 10, 6, 9))
		self.issue = make_issue(self.customer, at(2026, 10, 6, 9), "P1", subject="Printer queue stuck")
		frappe.flags.current_time = naive(at(2026, 10, 6, 9, 30))
		self.issue.sc_action_started_on = naive(at(2026, 10, 6, 9, 30))
		self.issue.save()
		company = frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]
		frappe.get_doc(
			{
				"doctype": "Timesheet",
				"company": company,
				"time_logs": [
					{
						"from_time": "2026-10-06 09:30:00",
						"to_time": "2026-10-06 11:30:00",
						"hours": 2,
						"sc_issue": self.issue.name,
						"sc_work_kind": "Remote",
					}
				],
			}
		).insert(ignore_permissions=True).submit()
		frappe.flags.current_time = naive(at(2026, 11, 1, 6))

	def test_the_period_before_with_tickets_service_levels_and_work(self):
		from support_contracts.adapters import reporting

		r = reporting.report_for_print(self.contract)
		self.assertEqual((r["first"], r["last"]), (dt.date(2026, 10, 1), dt.date(2026, 10, 31)))
		self.assertEqual([t.name for t in r["tickets"]], [self.issue.name])
		action = {lv["metric"]: lv["c"] for lv in r["levels"]}["Action start"]
		self.assertEqual((action.tickets, action.met, action.breached, action.median), (1, 1, 0, 1800))
		self.assertEqual(r["work"], [("Remote", 2.0)])
		html = frappe.get_print("Support Contract", self.contract, print_format="Support Customer Report")
		self.assertIn("Printer queue stuck", html)
		self.assertIn("sc-report-levels", html)
		self.assertEqual(r["rating"], (None, 0))
		self.assertIn("No ticket of the period was rated.", html)
		# the customer rated the ticket 4 of 5 (docs/rules.md F4): the report sums it
		frappe.db.set_value("Issue", self.issue.name, "sc_rating", 4)
		self.assertEqual(reporting.report_for_print(self.contract)["rating"], (Decimal("4.0"), 1))
		html = frappe.get_print("Support Contract", self.contract, print_format="Support Customer Report")
		self.assertIn("4.0 of 5 (1 rated)", html)

	def test_sent_once_on_the_first_day_of_the_period_when_switched_on(self):
		from support_contracts.adapters import reporting

		self.assertEqual(reporting.send_customer_reports(), [])  # off by default
		frappe.db.set_single_value("Support Contract Settings", "customer_reports", 1)
		make_outgoing_email_account()
		sent = reporting.send_customer_reports()
		self.assertIn(self.contract, sent)
		self.assertNotIn(self.contract, reporting.send_customer_reports())  # once
		queued = frappe.get_all(
			"Email Queue", filters={"reference_name": self.contract}, fields=["name", "attachments"]
		)
		self.assertEqual(len(queued), 1)
		attachment = frappe.parse_json(queued[0].attachments)[0]
		self.assertEqual(
			(attachment["print_format_attachment"], attachment["name"], attachment["print_format"]),
			(1, self.contract, "Support Customer Report"),
		)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": queued[0].name}, pluck="recipient"
		)
		self.assertEqual(recipients, ["rut@sc-report.example.com"])
		# not the first day of a period: nothing
		frappe.flags.current_time = naive(at(2026, 11, 2, 6))
		self.assertNotIn(self.contract, reporting.send_customer_reports())

	@unittest.skipUnless(shutil.which("wkhtmltopdf"), "wkhtmltopdf (Frappe's PDF renderer) is not installed")
	def test_the_mail_carries_the_report_as_a_pdf(self):
		"""The message as the mail queue builds it when it sends (the PDF is rendered then, by Frappe's
		wkhtmltopdf): one PDF of the period, with the ticket and the service levels in its text."""
		from pypdf import PdfReader

		from frappe.email.doctype.email_queue.email_queue import SendMailContext

		from support_contracts.adapters import reporting

		frappe.db.set_single_value("Support Contract Settings", "customer_reports", 1)
		make_outgoing_email_account()
		self.assertIn(self.contract, reporting.send_customer_reports())
		queued = frappe.get_doc("Email Queue", {"reference_name": self.contract})
		host = frappe.local.conf.get("host_name")
		with SiteServer() as server:  # the print's style sheets come from the site's own address
			frappe.local.conf.host_name = server.url
			try:
				built = SendMailContext(queued).build_message("rut@sc-report.example.com")
			finally:
				frappe.local.conf.host_name = host
		message = email.message_from_bytes(built)
		pdfs = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
		self.assertEqual(len(pdfs), 1)
		content = pdfs[0].get_payload(decode=True)
		self.assertTrue(content.startswith(b"%PDF"))
		text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)
		self.assertIn("Printer queue stuck", text)
		self.assertIn(self.customer, text)
		self.assertIn("Action start 1 1 0 100.0 0.5 0.5", text)  # 30 min of business time, in hours


class TestReviewMeetings(SCTestCase):
	def test_booked_once_a_week_into_each_review_period_when_switched_on(self):
		from support_contracts.adapters import reporting

		customer = make_customer("SC Report Customer")
		tier = make_tier("SC Report Tier", make_calendar("SC Report Office"), review_cadence="Quarterly")
		contract = make_contract(customer, tier)
		frappe.flags.current_time = naive(at(2026, 10, 1, 6))  # Q4 begins
		self.assertEqual(reporting.schedule_review_meetings(), [])  # off by default
		frappe.db.set_single_value("Support Contract Settings", "review_meetings", 1)
		made = [
			e
			for e in reporting.schedule_review_meetings()
			if frappe.db.exists("Event Participants", {"parent": e, "reference_docname": contract})
		]
		self.assertEqual(len(made), 1)
		event = frappe.get_doc("Event", made[0])
		self.assertEqual(
			(str(event.starts_on), str(event.ends_on)), ("2026-10-08 10:00:00", "2026-10-08 11:00:00")
		)
		self.assertEqual(event.subject, "Review meeting: SC Report Customer (SC Report Tier)")
		again = reporting.schedule_review_meetings()
		self.assertFalse(
			[
				e
				for e in again
				if frappe.db.exists("Event Participants", {"parent": e, "reference_docname": contract})
			]
		)
		frappe.flags.current_time = naive(at(2026, 10, 2, 6))  # not the first day of a period
		self.assertEqual(reporting.schedule_review_meetings(), [])
