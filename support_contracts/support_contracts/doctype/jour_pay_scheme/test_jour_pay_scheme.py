# Copyright (c) 2026, support_contracts developers and contributors

import frappe

from support_contracts.tests.factories import SCTestCase, make_pay_scheme

test_ignore = ["Employee"]


class TestJourPayScheme(SCTestCase):
	def test_bands_must_cover_every_hour_once(self):
		gap = [
			{"band_name": "Day", "rate": 290, "days": "All", "from_time": "06:00:00", "to_time": "22:00:00"}
		]
		with self.assertRaises(frappe.ValidationError) as e:
			make_pay_scheme("SC Test Gap", bands=gap)
		self.assertIn("no band covers", str(e.exception))
		self.assertFalse(frappe.db.exists("Jour Pay Scheme", "SC Test Gap"))
