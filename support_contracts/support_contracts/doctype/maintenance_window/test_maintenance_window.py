# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Maintenance windows (docs/rules.md E4) in a real site: planned, announced, shown; refused when they
break the tier's rule."""

import frappe

from support_contracts.adapters.times import naive
from support_contracts.tests.factories import (
	SCTestCase,
	make_contact,
	make_contract,
	make_customer,
	make_outgoing_email_account,
	make_tier,
)
from support_contracts.tests.test_issue_sla import at

test_ignore = ["Support Contract", "Support Tier", "Customer"]


class TestMaintenanceWindows(SCTestCase):
	"""docs/rules.md E4 on the default tier calendar (Mon–Fri 08:00–17:00 Stockholm): at most 30 minutes,
	once a quarter, outside support hours; the authorised callers are told."""

	def setUp(self):
		super().setUp()
		make_outgoing_email_account()
		self.tier = make_tier("SC Terms Tier")
		self.customer = make_customer("SC Terms Customer")
		contact = make_contact(self.customer, "Siri", "siri@sc-terms.example.com")
		self.contract = make_contract(self.customer, self.tier, authorised_callers=[{"contact": contact}])
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))

	def window(self, start, end, what="Database upgrade"):
		return frappe.get_doc(
			{
				"doctype": "Maintenance Window",
				"support_contract": self.contract,
				"start": start,
				"end": end,
				"description": what,
			}
		).insert()

	def test_a_window_in_the_evening_is_planned_announced_and_shown_on_the_portal(self):
		from support_contracts.adapters import portal

		w = self.window("2026-11-24 20:00:00", "2026-11-24 20:30:00")
		self.assertEqual(w.customer, self.customer)
		self.assertEqual(frappe.db.get_value("Maintenance Window", w.name, "announced"), 1)
		mail = frappe.get_all(
			"Email Queue", filters={"reference_doctype": "Maintenance Window", "reference_name": w.name}
		)
		self.assertEqual(len(mail), 1)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": mail[0].name}, pluck="recipient"
		)
		self.assertEqual(recipients, ["siri@sc-terms.example.com"])
		shown = portal.contract_view(frappe.get_doc("Support Contract", self.contract))["maintenance"]
		self.assertEqual([x["what"] for x in shown], ["Database upgrade"])

	def test_a_window_that_breaks_the_rule_is_refused_naming_the_field_and_stores_nothing(self):
		self.window("2026-10-06 20:00:00", "2026-10-06 20:20:00")  # Q4's one window
		cases = (
			(("2027-01-05 20:00:00", "2027-01-05 20:31:00"), "End", "at most 30 minutes"),
			(("2027-01-05 16:45:00", "2027-01-05 17:10:00"), "Start", "inside support hours"),
			(("2027-01-05 20:00:00", "2027-01-05 19:50:00"), "End", "after the start"),
			(("2026-12-29 20:00:00", "2026-12-29 20:20:00"), "Start", "Q4 2026 already has 1"),
		)
		before = frappe.db.count("Maintenance Window")
		for (start, end), field, words in cases:
			with self.subTest(start=start, end=end):
				with self.assertRaises(frappe.ValidationError) as e:
					self.window(start, end)
				self.assertIn(f"<strong>{field}</strong>", str(e.exception))
				self.assertIn(words, str(e.exception))
		self.assertEqual(frappe.db.count("Maintenance Window"), before)
