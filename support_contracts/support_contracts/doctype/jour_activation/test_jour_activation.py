# Copyright (c) 2026, support_contracts developers and contributors

import frappe

from support_contracts.support_contracts.doctype.jour_week.test_jour_week import make_week
from support_contracts.tests.factories import SCTestCase, make_employee, make_pay_scheme

test_ignore = ["Employee", "Issue"]


def make_activation(employee, start, end, **kw):
	return frappe.get_doc(
		{"doctype": "Jour Activation", "employee": employee, "from_time": start, "to_time": end, **kw}
	).insert()


class TestJourActivation(SCTestCase):
	def setUp(self):
		super().setUp()
		self.scheme = make_pay_scheme()
		self.anna = make_employee("Anna")
		make_week(self.anna, 47, self.scheme)

	def test_friday_night_is_split_at_22_and_midnight(self):
		# docs/rules.md C: Fri 20 Nov 21:30–22:00 band 1 (30 min × 290 = 145), 22:00–01:15 band 3 (195 min × 600 = 1,950)
		a = make_activation(self.anna, "2026-11-20 21:30:00", "2026-11-21 01:15:00")
		self.assertEqual(
			a.jour_week, frappe.db.get_value("Jour Week", {"employee": self.anna, "iso_week": 47})
		)
		self.assertEqual(
			[(s.band, s.minutes, s.amount) for s in a.splits],
			[("Band 1", 30, 145), ("Band 3", 120, 1200), ("Band 3", 75, 750)],
		)
		self.assertEqual(a.total_amount, 2095)

	def test_outside_a_jour_week_is_an_error_by_setting(self):
		with self.assertRaises(frappe.ValidationError):
			make_activation(self.anna, "2026-11-10 21:00:00", "2026-11-10 22:00:00", scheme=self.scheme)
		frappe.db.set_value("Jour Pay Scheme", self.scheme, "activations_outside_week", "Allow")
		a = make_activation(self.anna, "2026-11-10 21:00:00", "2026-11-10 22:00:00", scheme=self.scheme)
		self.assertEqual(a.total_amount, 290)

	def test_overlap_and_end_before_start_are_refused(self):
		make_activation(self.anna, "2026-11-18 20:00:00", "2026-11-18 21:00:00")
		with self.assertRaises(frappe.ValidationError):
			make_activation(self.anna, "2026-11-18 20:30:00", "2026-11-18 21:30:00")
		with self.assertRaises(frappe.ValidationError):
			make_activation(self.anna, "2026-11-19 21:00:00", "2026-11-19 20:00:00")
		self.assertEqual(frappe.db.count("Jour Activation", {"employee": self.anna}), 1)
