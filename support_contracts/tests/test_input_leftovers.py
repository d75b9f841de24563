"""Input leftovers (issue 29, point 6): each bad input is refused with a message naming the field, and
nothing is stored.

1. A local time the DST change skips or repeats, typed into a Maintenance Window, an Incident Fee or a Jour
   Activation (the app's own fee at an on-call Issue's opening in that hour still works).
2. ``who_is_on_call`` with an ``at`` that is no date: a 417 naming ``at``.
3. A Jour Pay Scheme's uplift outside 0–100 % (docs/rules.md C5) and salary components that do not exist.
4. Jour Activations and Incident Fees dated ahead of now by more than Support Contract Settings allow.
5. The iCalendar feed's URL: by POST, so its token is stored and the feed answers.
6. The monitoring alert's rate limit, keyed on the contract and the socket's address, not on
   ``X-Forwarded-For``.

In Stockholm the clocks go forward from 02:00 to 03:00 on 29 March 2026 and back from 03:00 to 02:00 on
25 October 2026 (a Sunday)."""

import datetime as dt
from unittest.mock import patch
from urllib.parse import urlparse

import frappe
from frappe.tests.test_api import FrappeAPITestCase

from support_contracts.adapters import monitoring
from support_contracts.adapters.times import naive
from support_contracts.support_contracts.doctype.jour_activation.test_jour_activation import make_activation
from support_contracts.support_contracts.doctype.jour_week.test_jour_week import make_week
from support_contracts.tests.factories import (
	SCTestCase,
	make_api_user,
	make_calendar,
	make_contract,
	make_customer,
	make_employee,
	make_issue,
	make_on_call_calendar,
	make_pay_scheme,
	make_tier,
)
from support_contracts.tests.test_issue_sla import at

FEE = "Incident Fee"


class InputCase(SCTestCase):
	def refused(self, make, *words):
		"""``make()`` is refused with a ValidationError whose message holds ``words``."""
		with self.assertRaises(frappe.ValidationError) as ctx:
			make()
		for word in words:
			self.assertIn(word, str(ctx.exception))
		return ctx.exception


# ---------------------------------------------------------------- 1. the DST change's skipped and repeated hours
class TestTimesTheClocksSkipOrRepeat(InputCase):
	def setUp(self):
		super().setUp()
		self.tier = make_tier("SC Input Tier", make_calendar("SC Input Office"))
		self.customer = make_customer("SC Input Customer")
		self.contract = make_contract(
			self.customer, self.tier, on_call=1, on_call_calendar=make_on_call_calendar("SC Input On-call")
		)
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))

	def window(self, start, end):
		return frappe.get_doc(
			{
				"doctype": "Maintenance Window",
				"support_contract": self.contract,
				"start": start,
				"end": end,
				"description": "Database upgrade",
			}
		).insert()

	def windows(self):
		return frappe.db.count("Maintenance Window", {"support_contract": self.contract})

	def test_a_maintenance_window_in_the_repeated_or_skipped_hour_is_refused_naming_the_field(self):
		self.refused(
			lambda: self.window("2026-10-25 02:30:00", "2026-10-25 02:50:00"),
			"Start</strong> <strong>2026-10-25 02:30:00</strong> occurs twice in time zone Europe/Stockholm",
			"the clocks go back from 03:00 to 02:00",
			"Enter a time before 02:00 or from 03:00 on",
		)
		self.refused(
			lambda: self.window("2026-10-25 01:45:00", "2026-10-25 02:10:00"),
			"End</strong> <strong>2026-10-25 02:10:00</strong> occurs twice",
		)
		self.refused(
			lambda: self.window("2026-03-29 02:10:00", "2026-03-29 03:20:00"),
			"Start</strong> <strong>2026-03-29 02:10:00</strong> does not exist in time zone Europe/Stockholm",
		)
		self.assertEqual(self.windows(), 0)
		# the same night from 03:00, once the clock reads each time once
		self.window("2026-10-25 03:00:00", "2026-10-25 03:25:00")
		self.assertEqual(self.windows(), 1)

	def test_a_window_stored_before_is_read_as_it_always_was(self):
		w = self.window("2026-10-25 03:00:00", "2026-10-25 03:25:00")
		frappe.db.set_value(
			"Maintenance Window", w.name, {"start": "2026-10-25 02:30:00", "end": "2026-10-25 02:55:00"}
		)
		w.reload()
		w.description = "Database upgrade, then a restart"
		w.save()  # not typed now: its first occurrence, as every stored time
		self.assertEqual(
			str(frappe.db.get_value("Maintenance Window", w.name, "start")), "2026-10-25 02:30:00"
		)

	def fee(self, issue, called_at):
		return frappe.get_doc(
			{
				"doctype": FEE,
				"issue": issue,
				"customer": self.customer,
				"support_contract": self.contract,
				"called_at": called_at,
				"fee": 1750,
			}
		).insert()

	def test_an_incident_fee_called_in_the_repeated_or_skipped_hour_is_refused(self):
		issue = make_issue(self.customer, at(2026, 11, 23, 8, 30), "P1").name
		frappe.db.delete(FEE, {"issue": issue})  # the app's own fee: this test types one
		self.refused(
			lambda: self.fee(issue, "2026-10-25 02:30:00"),
			"Called In At</strong> <strong>2026-10-25 02:30:00</strong> occurs twice",
		)
		self.refused(
			lambda: self.fee(issue, "2026-03-29 02:30:00"),
			"Called In At</strong> <strong>2026-03-29 02:30:00</strong> does not exist",
		)
		self.assertEqual(frappe.db.count(FEE, {"issue": issue}), 0)
		self.fee(issue, "2026-10-25 03:30:00")
		self.assertEqual(frappe.db.count(FEE, {"issue": issue}), 1)

	def test_an_on_call_issue_opened_in_the_repeated_hour_gets_its_fee(self):
		# the app stamps an Issue, and its fee, with the time it is opened: 02:30 is the Issue's to read
		frappe.flags.current_time = dt.datetime(2026, 10, 25, 2, 40)
		issue = make_issue(self.customer, None, "P1", opening_date="2026-10-25", opening_time="02:30:00")
		self.assertTrue(issue.sc_on_call)
		fee = frappe.get_all(FEE, filters={"issue": issue.name}, fields=["called_at", "support_contract"])
		self.assertEqual(
			[(str(f.called_at), f.support_contract) for f in fee], [("2026-10-25 02:30:00", self.contract)]
		)

	def test_an_activation_in_the_repeated_hour_is_refused(self):
		anna = make_employee("Anna")
		make_week(anna, 43, make_pay_scheme())  # 19–25 October 2026
		self.refused(
			lambda: make_activation(anna, "2026-10-25 02:15:00", "2026-10-25 03:30:00"),
			"From</strong> <strong>2026-10-25 02:15:00</strong> occurs twice",
		)
		self.refused(
			lambda: make_activation(anna, "2026-10-25 01:00:00", "2026-10-25 02:45:00"),
			"To</strong> <strong>2026-10-25 02:45:00</strong> occurs twice",
		)
		self.assertEqual(frappe.db.count("Jour Activation", {"employee": anna}), 0)
		# around the hour: 01:30 CEST to 03:00 CET is two and a half real hours
		a = make_activation(anna, "2026-10-25 01:30:00", "2026-10-25 03:00:00")
		self.assertEqual(sum(s.minutes for s in a.splits), 150)


# ---------------------------------------------------------------- 3. the pay scheme
class TestPaySchemeInput(InputCase):
	def test_an_uplift_above_100_percent_is_refused_naming_the_field(self):
		self.refused(
			lambda: make_pay_scheme("SC Input Jour", uplift_percent=1000),
			"Uplift",
			"must be from 0 to 100 %",
			"1000",
		)
		self.assertFalse(frappe.db.exists("Jour Pay Scheme", "SC Input Jour"))
		self.assertEqual(
			frappe.db.get_value(
				"Jour Pay Scheme", make_pay_scheme("SC Input Jour", uplift_percent=100), "uplift_percent"
			),
			100,
		)

	def test_salary_components_that_do_not_exist_are_refused_naming_the_field(self):
		if "hrms" not in frappe.get_installed_apps():
			self.skipTest("salary components are HRMS's")
		self.refused(
			lambda: make_pay_scheme("SC Input Jour", stipend_component="No Such Stipend"),
			"Stipend Salary Component</strong>: there is no Salary Component <strong>No Such Stipend",
		)
		scheme = make_pay_scheme("SC Input Jour")
		doc = frappe.get_doc("Jour Pay Scheme", scheme)
		doc.bands[1].salary_component = "No Such Band Pay"
		self.refused(doc.save, "Bands row 2: Salary Component</strong>: there is no Salary Component")
		doc.reload()
		doc.bands[2].salary_component = None  # the band's own name, "Band 3", is no component either
		self.refused(doc.save, "Bands row 3: Salary Component", "<strong>Band 3</strong>")
		self.assertEqual(
			[b.salary_component for b in frappe.get_doc("Jour Pay Scheme", scheme).bands],
			["On-call Band 1", "On-call Band 2", "On-call Band 3"],
		)


# ---------------------------------------------------------------- 4. dated in the future
class TestDatedInTheFuture(InputCase):
	def setUp(self):
		super().setUp()
		self.anna = make_employee("Anna")
		make_week(self.anna, 47, make_pay_scheme())  # 16–22 November 2026
		frappe.flags.current_time = dt.datetime(2026, 11, 18, 21, 30)

	def test_an_activation_ahead_of_now_is_refused_naming_the_field(self):
		self.refused(
			lambda: make_activation(self.anna, "2026-11-18 22:00:00", "2026-11-18 23:00:00"),
			"From</strong> <strong>2026-11-18 22:00:00</strong> is in the future",
			"at most 15 minutes ahead",
		)
		self.refused(
			lambda: make_activation(self.anna, "2026-11-18 21:00:00", "2026-11-18 21:50:00"),
			"To</strong> <strong>2026-11-18 21:50:00</strong> is in the future",
		)
		self.assertEqual(frappe.db.count("Jour Activation", {"employee": self.anna}), 0)
		# up to the tolerance ahead (clocks differ a little), and more where the settings allow more
		make_activation(self.anna, "2026-11-18 21:00:00", "2026-11-18 21:44:00")
		frappe.db.set_single_value("Support Contract Settings", "future_tolerance_minutes", 60)
		make_activation(self.anna, "2026-11-18 21:50:00", "2026-11-18 22:25:00")
		self.assertEqual(frappe.db.count("Jour Activation", {"employee": self.anna}), 2)

	def test_an_incident_fee_ahead_of_now_is_refused_and_the_apps_own_fee_is_made(self):
		customer = make_customer("SC Input Customer")
		contract = make_contract(
			customer,
			make_tier("SC Input Tier", make_calendar("SC Input Office")),
			on_call=1,
			on_call_calendar=make_on_call_calendar("SC Input On-call"),
		)
		issue = make_issue(customer, at(2026, 11, 18, 21, 30), "P1")  # now, a weekday night: on call
		self.assertEqual(frappe.db.count(FEE, {"issue": issue.name}), 1)
		frappe.db.delete(FEE, {"issue": issue.name})
		fee = {
			"doctype": FEE,
			"issue": issue.name,
			"customer": customer,
			"support_contract": contract,
			"fee": 1750,
		}
		self.refused(
			lambda: frappe.get_doc({**fee, "called_at": "2026-11-19 21:30:00"}).insert(),
			"Called In At</strong> <strong>2026-11-19 21:30:00</strong> is in the future",
		)
		self.assertEqual(frappe.db.count(FEE, {"issue": issue.name}), 0)
		frappe.get_doc({**fee, "called_at": "2026-11-18 21:40:00"}).insert()
		self.assertEqual(frappe.db.count(FEE, {"issue": issue.name}), 1)


# ---------------------------------------------------------------- over HTTP: 2, 5 and 6
ROTA_USER = "sc-input-rota@example.com"


class TestInputsOverHTTP(FrappeAPITestCase):
	"""Requests run on their own connection: what they need is committed here and removed afterwards."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.auth = make_api_user(ROTA_USER, ("Support Agent", "HR Manager"))
		cls.employee = make_employee("Feeder")
		frappe.db.set_value("Employee", cls.employee, "sc_rota_feed_token", None)
		cls.tier = make_tier("SC Input HTTP Tier", make_calendar("SC Input HTTP Office"))
		cls.customer = make_customer("SC Input HTTP Customer")
		cls.contract = make_contract(cls.customer, cls.tier)
		cls.token = monitoring.new_token(cls.contract)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		for issue in frappe.get_all("Issue", filters={"customer": cls.customer}, pluck="name"):
			for doctype in ("SLA Clock Event", "SLA Transition", FEE):
				frappe.db.delete(doctype, {"issue": issue})
			frappe.db.delete("Issue", {"name": issue})
		frappe.db.delete("Comment", {"reference_name": cls.contract})
		frappe.db.delete("Support Contract", {"name": cls.contract})
		frappe.delete_doc("Support Tier", cls.tier, force=True)
		frappe.delete_doc("Support Calendar", "SC Input HTTP Office", force=True)
		frappe.delete_doc("Customer", cls.customer, force=True)
		frappe.delete_doc("Employee", cls.employee, force=True)
		frappe.delete_doc("User", ROTA_USER, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	# 2.
	def test_who_is_on_call_at_no_date_is_a_417_naming_at(self):
		method = self.method("support_contracts.api.on_call.who_is_on_call")
		for at_ in ("soon", "2026-13-45", "2026-11-22 25:00"):
			r = self.get(method, headers=self.auth, query_string={"at": at_})
			self.assertEqual(r.status_code, 417, (at_, r.json))
			self.assertIn("<strong>at</strong>", str(r.json), at_)
			self.assertIn(at_, str(r.json))
		for at_ in ("2026-11-22", "2026-11-22 23:59:00", "2026-11-22T23:59"):
			r = self.get(method, headers=self.auth, query_string={"at": at_})
			self.assertEqual(r.status_code, 200, (at_, r.json))

	# 5.
	def test_the_feed_url_is_had_by_post_and_its_feed_answers(self):
		method = self.method("support_contracts.api.on_call.feed_url")
		r = self.get(method, headers=self.auth, query_string={"employee": self.employee})
		self.assertEqual(r.status_code, 403, r.json)  # a GET would hand out a token it never stored
		self.assertIsNone(frappe.db.get_value("Employee", self.employee, "sc_rota_feed_token"))
		r = self.post(method, {"employee": self.employee}, headers=self.auth)
		self.assertEqual(r.status_code, 200, r.json)
		url = urlparse(r.json["message"])
		feed = self.get(f"{url.path}?{url.query}")  # as a phone's calendar asks: no login
		self.assertEqual(feed.status_code, 200)
		self.assertIn("BEGIN:VCALENDAR", feed.get_data(as_text=True))
		again = self.post(method, {"employee": self.employee}, headers=self.auth)
		self.assertEqual(again.json["message"], r.json["message"])  # the same link each time

	# 6.
	def alert(self, token, remote_addr, forwarded_for):
		return self.post(
			self.method("support_contracts.api.monitoring.alert"),
			{"alert_id": "nr-limit", "summary": "down"},  # no unit: a 417 once let through, no Issue
			headers={"X-Monitoring-Token": token, "X-Forwarded-For": forwarded_for},
			environ_base={"REMOTE_ADDR": remote_addr},
		)

	def setUp(self):
		super().setUp()
		frappe.cache.delete_keys("rl:support_contracts.api.monitoring.alert")  # counters of a minute

	def test_a_rotated_forwarded_for_does_not_escape_the_alert_limit(self):
		proxy = "10.29.6.1"
		with patch.object(monitoring, "ALERTS_PER_MINUTE", 3):
			codes = [self.alert(self.token, proxy, f"198.51.100.{i}").status_code for i in range(1, 5)]
		self.assertEqual(codes, [417, 417, 417, 429])

	def test_a_flood_with_a_forged_address_leaves_the_contracts_alerts_alone(self):
		proxy, genuine = "10.29.6.1", "203.0.113.7"  # one reverse proxy in front of every caller
		with patch.object(monitoring, "ALERTS_PER_MINUTE", 3):
			forged = [self.alert("a-guessed-token", proxy, genuine).status_code for _ in range(5)]
			self.assertEqual(forged, [401, 401, 401, 429, 429])
			# the contract's own monitoring, behind the same proxy, from the address the flood forged
			self.assertEqual(self.alert(self.token, proxy, genuine).status_code, 417)
