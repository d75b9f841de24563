"""The optional demo data: every example firm loads into a real site through the doctypes' own checks."""

import frappe

from support_contracts.demo.site import load_firm_into_site
from support_contracts.examples import firm_names
from support_contracts.tests.factories import SCTestCase


class TestDemoData(SCTestCase):
	def test_all_five_firms_load_and_govern_issues(self):
		for firm in firm_names():
			with self.subTest(firm):
				load_firm_into_site(firm)
		self.assertTrue(frappe.db.exists("Support Tier", "Trinax Alert!"))
		rows = frappe.get_all(
			"Support Tier Target",
			filters={"parent": "Trinax Alert!", "priority": "P1"},
			fields=["target_kind", "duration"],
		)
		self.assertEqual([(r.target_kind, r.duration) for r in rows], [("Business Time", 3600)])
		self.assertEqual(
			frappe.db.get_value("Jour Pay Scheme", {"scheme_name": ("like", "EZY%")}, "stipend"), 4500
		)
		contract = frappe.db.get_value("Support Contract", {"customer": "Nordvik Logistik AB"}, "tier")
		self.assertEqual(contract, "Trinax Alert!")
		# loading twice changes nothing
		self.assertEqual(load_firm_into_site("trinax"), [])
