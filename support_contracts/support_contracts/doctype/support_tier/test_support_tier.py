# Copyright (c) 2026, support_contracts developers and contributors

import frappe

from support_contracts.tests.factories import SCTestCase, make_contract, make_customer, make_issue, make_tier

test_ignore = ["Issue", "Customer", "Employee"]


class TestSupportTier(SCTestCase):
	def test_two_targets_for_one_priority_and_metric_are_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_tier(
				"SC Test Dup",
				targets=[
					("P1", "Action Start", "Business Time", 3600),
					("P1", "Action Start", "Wall Clock", 600),
				],
			)
		self.assertFalse(frappe.db.exists("Support Tier", "SC Test Dup"))

	def test_default_priority_needs_targets(self):
		with self.assertRaises(frappe.ValidationError):
			make_tier("SC Test Default", default_priority="P4")

	def test_priority_in_use_cannot_lose_its_targets(self):
		tier = make_tier("SC Test In Use")
		customer = make_customer("SC Test Tier Customer")
		make_contract(customer, tier)
		make_issue(customer, None, "P3")
		doc = frappe.get_doc("Support Tier", tier)
		doc.targets = [row for row in doc.targets if row.priority != "P3"]
		with self.assertRaises(frappe.ValidationError) as e:
			doc.save()
		self.assertIn("P3", str(e.exception))
		self.assertEqual(frappe.db.count("Support Tier Target", {"parent": tier, "priority": "P3"}), 1)

	def test_bad_money_settings(self):
		for kw in ({"holiday_factor": 0}, {"phone_increment": 0}, {"hour_bank_hours": 0.001}):
			with self.subTest(kw), self.assertRaises(frappe.ValidationError):
				make_tier("SC Test Money", **kw)
