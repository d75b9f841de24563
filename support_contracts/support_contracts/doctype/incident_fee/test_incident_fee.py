# Copyright (c) 2026, support_contracts developers and contributors

import frappe

from support_contracts.tests.factories import SCTestCase, make_customer, make_issue

test_ignore = ["Issue", "Customer", "Support Contract", "Sales Invoice"]


class TestIncidentFee(SCTestCase):
	def test_one_fee_per_issue(self):
		customer = make_customer("SC Test Fee Customer")
		issue = make_issue(customer, None, "P2").name
		fee = {
			"doctype": "Incident Fee",
			"issue": issue,
			"customer": customer,
			"called_at": "2026-11-21 10:00:00",
			"fee": 1750,
		}
		frappe.get_doc(fee).insert()
		with self.assertRaises(frappe.UniqueValidationError):
			frappe.get_doc(fee).insert()
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc({**fee, "issue": make_issue(customer, None, "P2").name, "fee": -1}).insert()
