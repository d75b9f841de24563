"""The on-call rota in view: who is on call now (the jour number forwards to the week's engineer,
docs/rules.md C4), permission checked, and an employee's jour weeks as an iCalendar feed behind a token."""

import datetime as dt

import frappe

from support_contracts.adapters import on_call
from support_contracts.support_contracts.doctype.jour_week.test_jour_week import make_week
from support_contracts.tests.factories import SCTestCase, make_employee, make_pay_scheme


class TestRota(SCTestCase):
	def setUp(self):
		super().setUp()
		scheme = make_pay_scheme()
		self.anna, self.johan = make_employee("Anna"), make_employee("Johan")
		frappe.db.set_value("Employee", self.anna, "cell_number", "+46 70 111 22 33")
		# ISO week 47 of 2026: Mon 16 – Sun 22 November
		self.primary = make_week(self.anna, 47, scheme, rota="Web", on_call_role="Primary")
		self.backup = make_week(self.johan, 47, scheme, rota="Web", on_call_role="Backup")
		make_week(self.johan, 48, scheme, rota="Web", on_call_role="Primary")

	def test_who_is_on_call_primary_first_with_the_phone_to_forward_to(self):
		got = on_call.who_is_on_call(rota="Web", at="2026-11-22 23:59:00")
		self.assertEqual(
			[(g["employee"], g["role"], g["phone"]) for g in got],
			[(self.anna, "Primary", "+46 70 111 22 33"), (self.johan, "Backup", None)],
		)
		# Monday of week 48: Johan alone
		self.assertEqual(
			[g["employee"] for g in on_call.who_is_on_call(rota="Web", at="2026-11-23 00:00:00")],
			[self.johan],
		)

	def test_only_support_staff_coordinators_and_hr_may_ask(self):
		user = "sc-rota-nobody@example.com"
		if not frappe.db.exists("User", user):
			frappe.get_doc(
				{"doctype": "User", "email": user, "first_name": "Nobody", "send_welcome_email": 0}
			).insert(ignore_permissions=True)
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				on_call.who_is_on_call()
			with self.assertRaises(frappe.PermissionError):
				on_call.feed_url(self.anna)
		finally:
			frappe.set_user("Administrator")

	def test_the_feed_lists_the_employees_weeks_behind_its_token(self):
		frappe.flags.current_time = dt.datetime(2026, 11, 18, 12, 0)
		url = on_call.feed_url(self.anna)
		token = url.split("token=")[1]
		self.assertEqual(len(token), 32)
		self.assertEqual(on_call.feed_url(self.anna), url)  # the same link each time
		on_call.feed(token)
		ics = frappe.local.response.filecontent
		self.assertIn("BEGIN:VCALENDAR", ics)
		self.assertEqual(ics.count("BEGIN:VEVENT"), 1)  # Anna's week 47 only
		self.assertIn("DTSTART;VALUE=DATE:20261116", ics)
		self.assertIn("DTEND;VALUE=DATE:20261123", ics)  # the Monday after (end is exclusive)
		self.assertIn("On-call Web (Primary)", ics)
		with self.assertRaises(frappe.PermissionError):
			on_call.feed("x" * 32)
		with self.assertRaises(frappe.PermissionError):
			on_call.feed("")
