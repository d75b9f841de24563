# Copyright (c) 2026, support_contracts developers and contributors

import frappe

from support_contracts.tests.factories import SCTestCase, make_contract, make_customer, make_tier

test_ignore = ["Issue", "Customer", "Employee"]


class TestSupportContract(SCTestCase):
	def setUp(self):
		super().setUp()
		self.tier = make_tier("SC Test Contract Tier")
		self.customer = make_customer("SC Test Contract Customer")

	def test_overlapping_contract_is_refused_and_nothing_saved(self):
		make_contract(self.customer, self.tier, start="2026-01-01", end="2026-12-31")
		before = frappe.db.count("Support Contract")
		with self.assertRaises(frappe.ValidationError) as e:
			make_contract(self.customer, self.tier, start="2026-06-01")
		self.assertIn("may not overlap", str(e.exception))
		self.assertEqual(frappe.db.count("Support Contract"), before)

	def test_consecutive_contracts_and_other_services_are_fine(self):
		make_contract(self.customer, self.tier, start="2026-01-01", end="2026-06-30")
		make_contract(self.customer, self.tier, start="2026-07-01")
		make_contract(self.customer, self.tier, start="2026-01-01", service="Hosting on-call")

	def test_end_before_start_and_unknown_zone(self):
		with self.assertRaises(frappe.ValidationError):
			make_contract(self.customer, self.tier, start="2026-06-01", end="2026-05-31")
		with self.assertRaises(frappe.ValidationError):
			make_contract(self.customer, self.tier, travel_zone="Mars")
		with self.assertRaises(frappe.ValidationError):
			make_contract(self.customer, self.tier, on_call=1)
