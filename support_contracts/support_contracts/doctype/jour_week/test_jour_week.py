# Copyright (c) 2026, support_contracts developers and contributors

import frappe

from support_contracts.tests.factories import SCTestCase, make_employee, make_pay_scheme

test_ignore = ["Employee", "Issue"]


def make_week(employee, week, scheme, year=2026, **kw):
	return frappe.get_doc(
		{
			"doctype": "Jour Week",
			"employee": employee,
			"scheme": scheme,
			"iso_year": year,
			"iso_week": week,
			**kw,
		}
	).insert()


class TestJourWeek(SCTestCase):
	def setUp(self):
		super().setUp()
		self.scheme = make_pay_scheme()
		self.anna = make_employee("Anna")
		self.johan = make_employee("Johan")

	def test_stipend_and_midsummer_uplift(self):
		# docs/rules.md C: 4,500 a week; a week with Midsummer Eve and Day (2026-W25): +50 % = 6,750
		normal = make_week(self.anna, 47, self.scheme)
		self.assertEqual((normal.stipend, normal.uplift), (4500, 0))
		self.assertEqual(str(normal.week_start), "2026-11-16")
		midsummer = make_week(self.anna, 25, self.scheme)
		self.assertEqual((midsummer.stipend, midsummer.uplift), (6750, 1))
		self.assertIn("Midsummer Eve 2026-06-19", midsummer.uplift_reason)

	def test_a_jour_week_twice_is_refused(self):
		make_week(self.anna, 30, self.scheme)
		with self.assertRaises(frappe.ValidationError):
			make_week(self.anna, 30, self.scheme, rota="Other")
		self.assertEqual(frappe.db.count("Jour Week", {"employee": self.anna, "iso_week": 30}), 1)

	def test_one_primary_per_rota_and_week(self):
		make_week(self.anna, 31, self.scheme)
		with self.assertRaises(frappe.ValidationError):
			make_week(self.johan, 31, self.scheme)
		make_week(self.johan, 31, self.scheme, on_call_role="Backup")
		make_week(self.johan, 32, self.scheme)

	def test_not_an_iso_week(self):
		with self.assertRaises(frappe.ValidationError):
			make_week(self.anna, 53, self.scheme, year=2027)
