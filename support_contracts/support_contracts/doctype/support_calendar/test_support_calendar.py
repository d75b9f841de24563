# Copyright (c) 2026, support_contracts developers and contributors

import frappe

from support_contracts.api.calendars import preview
from support_contracts.tests.factories import SCTestCase, make_calendar

test_ignore = ["Issue", "Customer", "Employee"]


class TestSupportCalendar(SCTestCase):
	def test_bad_calendars_are_refused_and_nothing_is_saved(self):
		cases = {
			"overlap": dict(windows=[("Monday", "08:00:00", "12:00:00"), ("Monday", "11:00:00", "13:00:00")]),
			"zone": dict(timezone="Europe/Stokholm"),
			"equal": dict(windows=[("Monday", "08:00:00", "08:00:00")]),
			"no open time": dict(
				closures=[
					{
						"closure_name": "All year",
						"from_date": "2026-01-01",
						"to_date": "2026-12-31",
						"every_year": 1,
					}
				]
			),
		}
		for name, kw in cases.items():
			with self.subTest(name), self.assertRaises(frappe.ValidationError):
				make_calendar(f"SC Test Bad {name}", **kw)
			self.assertFalse(frappe.db.exists("Support Calendar", f"SC Test Bad {name}"))

	def test_preview_lists_the_next_open_windows(self):
		cal = make_calendar("SC Test Preview")
		frappe.flags.current_time = "2026-11-23 07:00:00"  # Monday morning
		windows = preview(cal, 7)
		# Mon–Fri 08–17 in the next 7 days: five 9-hour windows, the first Monday 08:00
		self.assertEqual([w["hours"] for w in windows], [9.0] * 5)
		self.assertEqual(str(windows[0]["from"]), "2026-11-23 08:00:00")

	def test_whole_day_and_past_midnight_windows(self):
		cal = make_calendar(
			"SC Test Night",
			windows=[("Monday", "17:00:00", "08:00:00"), ("Saturday", "all day", "all day")],
			holidays_effect="Open",
		)
		frappe.flags.current_time = "2026-11-23 12:00:00"
		windows = preview(cal, 7)
		self.assertEqual(
			(str(windows[0]["from"]), str(windows[0]["to"])), ("2026-11-23 17:00:00", "2026-11-24 08:00:00")
		)
		self.assertIn(24.0, [w["hours"] for w in windows])
