"""Governed Issues in a real site: due times, pause/resume, priority change, first response, reopen,
rollback, on-call flagging and incident fees, and issues without a contract left to ERPNext."""

import datetime as dt
from zoneinfo import ZoneInfo

import frappe
from frappe.desk.doctype.tag.tag import DocTags
from frappe.utils import get_datetime

from support_contracts.adapters.times import naive
from support_contracts.tests.factories import (
	SCTestCase,
	make_calendar,
	make_contract,
	make_customer,
	make_issue,
	make_on_call_calendar,
	make_tier,
)

STHLM = ZoneInfo("Europe/Stockholm")


def at(*args):
	return dt.datetime(*args, tzinfo=STHLM)


class SLATestCase(SCTestCase):
	def setUp(self):
		super().setUp()
		self.calendar = make_calendar()
		self.tier = make_tier(calendar=self.calendar)
		self.customer = make_customer()
		self.contract = make_contract(self.customer, self.tier)

	def now(self, t):
		frappe.flags.current_time = naive(t)

	def assertAt(self, stored, expected):
		self.assertEqual(get_datetime(stored) if stored else None, naive(expected) if expected else None)

	def events(self, issue):
		return frappe.get_all(
			"SLA Clock Event", filters={"issue": issue}, order_by="at asc, creation asc", pluck="event"
		)


class TestGovernedIssue(SLATestCase):
	def test_an_opening_date_given_as_a_datetime_counts_by_its_date(self):
		# Frappe reads a Date field given a datetime object by its date (ERPNext's own Issue tests give one);
		# the clock must too, governed or not
		self.now(at(2026, 6, 18, 16, 30))
		for customer in (self.customer, make_customer("SC Test Walk-in")):
			issue = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": "Opened with a datetime",
					"customer": customer,
					"priority": "P1",
					"opening_date": dt.datetime(2026, 6, 18, 10, 0),  # as ERPNext's tests give it
					"opening_time": "16:30:00",
				}
			).insert()
			self.assertEqual(str(frappe.db.get_value("Issue", issue.name, "opening_date")), "2026-06-18")
		self.assertAt(issue.sc_action_start_due, None)  # the walk-in: no contract, no clock
		governed = frappe.get_all("Issue", filters={"customer": self.customer}, pluck="sc_action_start_due")
		self.assertIn(naive(at(2026, 6, 22, 8, 30)), governed)

	def test_due_times_skip_midsummer_eve_and_the_weekend(self):
		# Alert! P1 (docs/rules.md B) at Thu 18 Jun 2026 16:30: 30 min Thursday; Fri Midsummer Eve, Sat
		# Midsummer Day, Sunday closed; action start due Mon 22 Jun 08:30; resolution (4 h) 11:30.
		self.now(at(2026, 6, 18, 16, 30))
		issue = make_issue(self.customer, at(2026, 6, 18, 16, 30), "P1")
		self.assertEqual(issue.sc_support_contract, self.contract)
		self.assertEqual(issue.sc_support_tier, self.tier)
		self.assertAt(issue.sc_action_start_due, at(2026, 6, 22, 8, 30))
		self.assertAt(issue.sc_resolution_due, at(2026, 6, 22, 11, 30))
		self.assertIsNone(issue.sc_first_response_due)
		self.assertEqual(issue.sc_sla_status, "On Track")
		self.assertEqual(issue.sc_escalation_level, "Level 2")
		self.assertEqual(self.events(issue.name), ["created"])

	def test_on_hold_pauses_and_open_resumes(self):
		# P1 Mon 23 Nov 09:00, action due 10:00; On Hold 09:30–13:00 does not count: due 13:30.
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		self.now(at(2026, 11, 23, 9, 30))
		issue.status = "On Hold"
		issue.save()
		self.assertEqual(issue.sc_sla_status, "Paused")
		self.assertIsNone(issue.sc_action_start_due)
		self.now(at(2026, 11, 23, 13))
		issue.status = "Open"
		issue.save()
		self.assertAt(issue.sc_action_start_due, at(2026, 11, 23, 13, 30))
		self.assertEqual(issue.sc_paused_time, 3.5 * 3600)
		self.assertEqual(self.events(issue.name), ["created", "paused", "resumed"])

	def test_priority_change_recomputes_from_the_opening(self):
		# P3 (8 h) at Mon 09:00 would be due 17:00; raised to P1 at 09:20: due 10:00.
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P3")
		self.assertAt(issue.sc_action_start_due, at(2026, 11, 23, 17))
		self.now(at(2026, 11, 23, 9, 20))
		issue.priority = "P1"
		issue.save()
		self.assertAt(issue.sc_action_start_due, at(2026, 11, 23, 10))

	def test_action_started_then_resolved_then_reopened(self):
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		self.now(at(2026, 11, 23, 9, 40))
		issue.sc_action_started_on = naive(at(2026, 11, 23, 9, 40))
		issue.save()
		self.assertEqual(issue.sc_sla_status, "On Track")  # resolution still running
		self.now(at(2026, 11, 23, 10))
		issue.status = "Resolved"
		issue.save()
		self.assertEqual(issue.sc_sla_status, "Met")
		# reopened Tue 09:00: 1 h of the 4 h resolution used on Monday; 3 h from Tuesday 09:00
		self.now(at(2026, 11, 24, 9))
		issue.status = "Open"
		issue.save()
		self.assertAt(issue.sc_resolution_due, at(2026, 11, 24, 12))
		self.assertEqual(self.events(issue.name), ["created", "action_started", "resolved", "reopened"])

	def saturday_night_issue(self):
		"""An Issue at Sat 21 Nov 2026 22:00 under a tier promising a first response within 1 h of wall
		clock: due 23:00."""
		tier = make_tier(
			"SC Test Response Tier", self.calendar, [("P1", "First Response", "Wall Clock", 3600)]
		)
		customer = make_customer("SC Test Response Customer")
		make_contract(customer, tier)
		self.now(at(2026, 11, 21, 22))  # a Saturday night: wall clock counts
		return make_issue(customer, at(2026, 11, 21, 22), "P1")

	def reply(self, issue, content, dated):
		"""An outgoing e-mail on ``issue`` that gives ``dated`` as its own date."""
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": "Re: Web shop down",
				"content": content,
				"reference_doctype": "Issue",
				"reference_name": issue.name,
				"communication_date": naive(dated),
			}
		).insert(ignore_permissions=True)

	def test_first_outgoing_communication_is_the_first_response(self):
		issue = self.saturday_night_issue()
		self.assertAt(issue.sc_first_response_due, at(2026, 11, 21, 23))
		self.now(at(2026, 11, 21, 22, 40))
		self.reply(issue, "We are on it.", at(2026, 11, 21, 22, 40))
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "sc_sla_status"), "Met")
		self.assertEqual(self.events(issue.name), ["created", "responded"])

	def test_a_reply_counts_when_it_was_recorded_not_by_the_date_it_gives(self):
		# due Sat 23:00 (1 h wall clock from 22:00); a reply recorded at 23:30 that says it was sent at 22:30
		# came too late: the first response is met at 23:30, breached
		issue = self.saturday_night_issue()
		self.now(at(2026, 11, 21, 23, 30))
		self.reply(issue, "Sorry for the wait.", at(2026, 11, 21, 22, 30))
		met = frappe.db.get_value(
			"SLA Outcome",
			{"issue": issue.name, "metric": "first_response"},
			["status", "met_at"],
			as_dict=True,
		)
		self.assertEqual((met.status, met.met_at), ("Breached", naive(at(2026, 11, 21, 23, 30))))

	def test_a_save_without_validation_leaves_the_clock_alone(self):
		# a job that saves with flags.ignore_validate (Helpdesk's auto-close does): no validate, no ledger
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		issue.reload()
		issue.status = "Closed"
		issue.flags.ignore_validate = True
		issue.save()
		self.assertEqual(self.events(issue.name), ["created"])

	def test_a_governed_issue_is_closed_not_deleted(self):
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		for force in (False, True):
			with self.assertRaisesRegex(frappe.LinkExistsError, "has an SLA clock"):
				frappe.delete_doc("Issue", issue.name, force=force)
		self.assertTrue(frappe.db.exists("Issue", issue.name))
		self.assertEqual(self.events(issue.name), ["created"])
		# an Issue no contract governs is ERPNext's, deleted as ever
		walk_in = make_issue(make_customer("SC Test Walk-in"), at(2026, 11, 23, 9), "P2")
		frappe.delete_doc("Issue", walk_in.name)
		self.assertFalse(frappe.db.exists("Issue", walk_in.name))

	def test_rollback_request_is_p3_initiated_within_one_hour(self):
		# docs/rules.md C: a rollback is handled as P3 and initiated within 1 hour of the request (wall clock)
		self.now(at(2026, 11, 21, 20))
		issue = make_issue(self.customer, at(2026, 11, 21, 20), "P1", sc_rollback=1)
		self.assertEqual(issue.priority, "P3")
		self.assertAt(issue.sc_action_start_due, at(2026, 11, 21, 21))

	def test_priority_without_targets_is_refused_and_nothing_is_saved(self):
		before = frappe.db.count("Issue")
		self.now(at(2026, 11, 23, 9))
		with self.assertRaises(frappe.ValidationError) as e:
			make_issue(self.customer, at(2026, 11, 23, 9), "P2")
		self.assertIn("no SLA targets for priority", str(e.exception))
		self.assertEqual(frappe.db.count("Issue"), before)

	def test_issue_without_contract_is_left_to_erpnext(self):
		other = make_customer("SC Test Walk-in")
		issue = make_issue(other, at(2026, 11, 23, 9), "P2")
		for field in ("sc_support_contract", "sc_action_start_due", "sc_sla_status", "sc_breach_at"):
			self.assertFalse(issue.get(field))
		self.assertEqual(self.events(issue.name), [])

	def test_expired_contract_does_not_govern(self):
		customer = make_customer("SC Test Former Customer")
		make_contract(customer, self.tier, start="2025-01-01", end="2025-12-31")
		issue = make_issue(customer, at(2026, 11, 23, 9), "P1")
		self.assertFalse(issue.sc_support_contract)


class TestOnCall(SLATestCase):
	def test_on_call_issue_is_flagged_labelled_and_charged_once(self):
		# Ballou Incident (docs/rules.md A): fee 1,750 including 60 min; on-call window 17–08, weekends, holidays
		tier = make_tier(
			"SC Test Incident Tier",
			self.calendar,
			[("P1", "Action Start", "Business Time", 3600)],
			has_incident_model=1,
			incident_fee=1750,
			incident_included_minutes=60,
		)
		customer = make_customer("SC Test On-call Customer")
		contract = make_contract(customer, tier, on_call=1, on_call_calendar=make_on_call_calendar())
		self.now(at(2026, 11, 21, 10))
		issue = make_issue(customer, at(2026, 11, 21, 10), "P1")
		self.assertEqual((issue.sc_on_call, issue.sc_production, issue.sc_jour), (1, 1, 1))
		self.assertEqual(
			{t for t in DocTags("Issue").get_tags(issue.name).split(",") if t}, {"Production", "Jour"}
		)
		fees = frappe.get_all(
			"Incident Fee",
			filters={"issue": issue.name},
			fields=["fee", "included_minutes", "support_contract"],
		)
		self.assertEqual(len(fees), 1)
		self.assertEqual(
			(fees[0].fee, fees[0].included_minutes, fees[0].support_contract), (1750, 60, contract)
		)
		issue.status = "On Hold"
		issue.save()
		self.assertEqual(frappe.db.count("Incident Fee", {"issue": issue.name}), 1)

	def test_office_hours_issue_is_not_on_call(self):
		customer = make_customer("SC Test Office Customer")
		make_contract(customer, self.tier, on_call=1, on_call_calendar=make_on_call_calendar())
		self.now(at(2026, 11, 24, 11))
		issue = make_issue(customer, at(2026, 11, 24, 11), "P1")
		self.assertFalse(issue.sc_on_call)
		self.assertEqual(frappe.db.count("Incident Fee", {"issue": issue.name}), 0)


class TestERPNextSLAUntouched(SLATestCase):
	"""A customer without a support contract keeps ERPNext's own Service Level Agreement: the app adds
	nothing to such Issues and takes nothing from them."""

	def test_erpnext_sla_still_sets_its_own_due_times(self):
		from erpnext.support.doctype.service_level_agreement.test_service_level_agreement import (
			create_service_level_agreement,
		)

		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
		walk_in = make_customer("SC Test ERPNext SLA Customer")
		self.now(at(2026, 11, 23, 10))  # a Monday, inside ERPNext's 10:00–18:00 support hours
		create_service_level_agreement(
			default_service_level_agreement=0,
			holiday_list="__Test Holiday List",
			response_time=4 * 3600,
			resolution_time=6 * 3600,
			entity_type="Customer",
			entity=walk_in,
		)
		opened = naive(at(2026, 11, 23, 10))  # ERPNext reads the SLA's start from these (as its own tests do)
		issue = make_issue(
			walk_in, at(2026, 11, 23, 10), "Medium", creation=opened, service_level_agreement_creation=opened
		)
		self.assertTrue(issue.service_level_agreement)
		self.assertAt(issue.response_by, at(2026, 11, 23, 14))
		self.assertAt(issue.sla_resolution_by, at(2026, 11, 23, 16))
		for field in ("sc_support_contract", "sc_first_response_due", "sc_sla_status"):
			self.assertFalse(issue.get(field))


class TestCustomerAnswers(SLATestCase):
	def test_replied_pauses_and_the_customers_email_resumes(self):
		# P1 Mon 23 Nov 09:00, due 10:00. The agent replies at 09:20 (Replied pauses: waiting for the
		# customer); the customer answers by email at 11:00, Frappe sets the Issue back to Open with
		# db_set; 40 min are left: due 11:40.
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1", raised_by="kund@example.com")
		self.now(at(2026, 11, 23, 9, 20))
		issue.status = "Replied"
		issue.save()
		self.now(at(2026, 11, 23, 11))
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": "kund@example.com",
				"subject": "Re: Web shop down",
				"content": "Still down here.",
				"reference_doctype": "Issue",
				"reference_name": issue.name,
				"communication_date": naive(at(2026, 11, 23, 11)),
			}
		).insert(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "status"), "Open")
		self.assertEqual(self.events(issue.name), ["created", "paused", "resumed"])
		self.assertAt(
			frappe.db.get_value("Issue", issue.name, "sc_action_start_due"), at(2026, 11, 23, 11, 40)
		)

	def test_auto_closed_behind_the_hooks_back_and_reopened(self):
		# ERPNext's auto-close writes status Closed straight to the database: the ledger still says paused.
		# Reopening in the form must work and pick the clock up from there.
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		self.now(at(2026, 11, 23, 9, 20))
		issue.status = "Replied"
		issue.save()
		frappe.db.set_value("Issue", issue.name, "status", "Closed", update_modified=False)
		self.now(at(2026, 11, 30, 9))
		issue = frappe.get_doc("Issue", issue.name)
		issue.status = "Open"
		issue.save()
		self.assertEqual(self.events(issue.name), ["created", "paused", "resumed"])
		# 20 min used on 23 Nov; 40 min left from Mon 30 Nov 09:00
		self.assertAt(issue.sc_action_start_due, at(2026, 11, 30, 9, 40))
