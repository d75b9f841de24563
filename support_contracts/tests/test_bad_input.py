"""Bad input over HTTP, one row per case (issue 7): each is a 417 whose message names the field and the
value, never a 500, and stores nothing. Requests run as a System Manager with an API token on their own
connection, so the valid base documents are committed and removed afterwards."""

import frappe
from frappe.tests.test_api import FrappeAPITestCase

from support_contracts.tests.factories import make_api_user, make_calendar, make_employee, make_pay_scheme

USER = "sc-bad-input@example.com"
WINDOW = {"weekday": "Monday", "from_time": "08:00:00", "to_time": "17:00:00"}


def calendar(**kw):
	return {"calendar_name": "SC Bad Calendar", "timezone": "Europe/Stockholm", "windows": [WINDOW], **kw}


def window(**kw):
	return calendar(windows=[{**WINDOW, **kw}])


def tier(**kw):
	return {
		"tier_name": "SC Bad Tier",
		"business_calendar": "SC Bad Input Office",
		"hourly_rate": 850,
		"targets": [
			{"priority": "P1", "metric": "Action Start", "target_kind": "Business Time", "duration": 3600}
		],
		**kw,
	}


def week(**kw):
	return {"employee": "{employee}", "scheme": "SC Bad Jour", "iso_year": 2026, "iso_week": 47, **kw}


def activation(**kw):
	return {
		"employee": "{employee}",
		"from_time": "2026-11-18 21:00:00",
		"to_time": "2026-11-18 22:00:00",
		**kw,
	}


def scheme(*bands):
	return {
		"scheme_name": "SC Bad Scheme",
		"timezone": "Europe/Stockholm",
		"holiday_country": "SE",
		"level": "Jour 2",
		"stipend": 4500,
		"bands": list(bands),
	}


# (doctype, document, words the message must contain: the field's label and the value)
CASES = [
	("Support Calendar", window(weekday="Funday"), ("Weekly Windows row 1: Weekday", "Funday")),
	("Support Calendar", window(from_time="abc"), ("Weekly Windows row 1: Opens", "abc")),
	("Support Calendar", window(to_time=None), ("Weekly Windows row 1", "give the opening and closing time")),
	("Support Calendar", window(to_time="25:00"), ("Weekly Windows row 1: Closes", "25:00")),
	("Support Calendar", calendar(timezone="Mars/Olympus"), ("Mars/Olympus",)),
	("Support Calendar", calendar(windows=[]), ("Weekly Windows", "is required")),
	(
		"Support Calendar",
		calendar(closures=[{"closure_name": "July", "from_date": "2026-02-30", "to_date": "2026-07-31"}]),
		("Closure Periods row 1: From", "2026-02-30"),
	),
	("Support Tier", tier(hourly_rate=-1), ("Hourly Rate (Business Hours)", "cannot be negative", "-1")),
	("Support Tier", tier(monthly_fee=-8000), ("Fixed Monthly Fee", "cannot be negative")),
	("Support Tier", tier(incident_fee=-1750), ("Incident Fee", "cannot be negative")),
	("Support Tier", tier(after_hours_rate=-1), ("cannot be negative", "-1")),
	("Support Tier", tier(hour_bank_hours=-2), ("Hours per Period", "cannot be negative")),
	(
		"Support Tier",
		tier(manager_escalation_after=-60),
		("Escalate to Manager After Breach", "cannot be negative"),
	),
	("Support Tier", tier(sla_credit_percent=500), ("Credit per Breach (% of Monthly Fee)", "500")),
	("Support Tier", tier(warning_at=150), ("Warning at Elapsed", "150")),
	(
		"Support Tier",
		tier(travel_zones=[{"zone": "1", "fee": -100}]),
		("Travel Zones row 1: Fee per Visit", "cannot be negative"),
	),
	("Support Tier", tier(business_calendar=None), ("SLA Calendar", "is required")),
	("Support Tier", tier(hourly_rate="lots"), ("Hourly Rate (Business Hours)", "is not a number", "lots")),
	("Jour Week", week(iso_week="abc"), ("ISO Week", "is not a number", "abc")),
	("Jour Week", week(iso_week=54), ("54",)),
	("Jour Week", week(scheme=None), ("Pay Scheme", "is required")),
	("Jour Activation", activation(from_time=None), ("From", "is required")),
	("Jour Activation", activation(from_time="2026-02-30 10:00:00"), ("From", "2026-02-30 10:00:00")),
	("Jour Activation", activation(to_time="yesterday-ish"), ("To", "yesterday-ish")),
	("Jour Activation", activation(to_time="2026-11-18 20:00:00"), ("must be after",)),
	(
		"Jour Activation",
		activation(from_time="2026-11-16 08:00:00", to_time="2026-11-26 08:00:00"),
		("lasts 240 hours", "at most 24 hours"),
	),
	(
		"Jour Pay Scheme",
		scheme(
			{
				"band_name": "B",
				"rate": -290,
				"days": "All",
				"from_time": "00:00:00",
				"to_time": "00:00:00",
			}
		),
		("Bands row 1: Rate per Hour", "cannot be negative"),
	),
	(
		"Jour Pay Scheme",
		scheme({"band_name": "B", "rate": 290, "days": "All", "from_time": "06:00:00"}),
		("Bands row 1: To", "is required"),
	),
	(
		"Support Contract",
		{
			"customer": "SC Bad Input Customer",
			"tier": "SC Bad Input Tier",
			"start_date": "2026-01-01",
			"hourly_rate_override": -5,
		},
		("Hourly Rate", "cannot be negative"),
	),
	(
		"Support Contract",
		{
			"customer": "SC Bad Input Customer",
			"tier": "SC Bad Input Tier",
			"start_date": "2026-06-01",
			"end_date": "2026-01-01",
		},
		("End Date", "2026-01-01"),
	),
	# found by the adversarial pass: digits Python reads but a database does not, offsets, years, sizes
	("Support Calendar", window(from_time="0_8:00"), ("Weekly Windows row 1: Opens", "0_8:00")),
	("Support Calendar", window(from_time="٠٨:٠٠"), ("Weekly Windows row 1: Opens", "is not a time")),
	("Support Calendar", window(all_day="yes", from_time=None, to_time=None), ("All Day", "must be 0 or 1")),
	(
		"Support Calendar",
		calendar(closed_days=[{"day_name": "Year one", "date": "0001-01-01"}]),
		("Extra Closed Days row 1: Date", "1900 to 2199"),
	),
	("Jour Week", week(iso_week="1.5"), ("ISO Week", "is not a whole number")),
	("Jour Week", week(iso_week=1.5), ("ISO Week", "is not a whole number")),
	("Jour Week", week(employee="HR-EMP-99999"), ("Employee", "HR-EMP-99999")),
	("Jour Activation", activation(from_time="2026-11-18 21:00:00+05:00"), ("From", "+05:00")),
	("Jour Activation", activation(to_time="9999-12-31 10:00:00"), ("To", "1900 to 2199")),
	("Jour Activation", activation(employee="HR-EMP-99999"), ("Employee", "is not an existing Employee")),
	("Support Tier", tier(hourly_rate=1e300), ("Hourly Rate (Business Hours)", "is too large")),
	(
		"Support Tier",
		tier(
			targets=[
				{
					"priority": "P1",
					"metric": "Action Start",
					"target_kind": "Wall Clock",
					"duration": 400 * 86400,
				}
			]
		),
		("Targets row 1 (P1 / Action Start)", "longer than a year"),
	),
	(
		"Support Tier",
		tier(
			targets=[
				{
					"priority": "P1",
					"metric": "Action Start",
					"target_kind": "Business Days",
					"business_days": 100000,
				}
			]
		),
		("Targets row 1 (P1 / Action Start)", "0 to 366"),
	),
	(
		"Support Tier",
		tier(targets=[{"priority": "P1", "metric": "Action Start", "target_kind": "Business Time"}]),
		("Targets row 1 (P1 / Action Start)", "needs a duration"),
	),
	(
		"Support Contract",
		{"customer": "SC Bad Input Customer", "tier": "SC Bad Input Tier", "start_date": "2026-W25-5"},
		("Start Date", "2026-W25-5"),
	),
	(
		"Support Contract",
		{"customer": "No Such Customer Ltd", "tier": "SC Bad Input Tier", "start_date": "2026-01-01"},
		("No Such Customer Ltd",),
	),
	(
		"Jour Pay Scheme",
		scheme(
			{
				"band_name": "B",
				"rate": 290,
				"days": "All",
				"from_time": "00:00:00",
				"to_time": "12:00:00",
			},
			{
				"band_name": "B",
				"rate": 400,
				"days": "All",
				"from_time": "12:00:00",
				"to_time": "00:00:00",
			},
		),
		("two bands share a name",),
	),
]


class TestBadInputOverHTTP(FrappeAPITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.auth = make_api_user(USER, ("System Manager",))
		cls.calendar = make_calendar("SC Bad Input Office")
		cls.scheme = make_pay_scheme("SC Bad Jour")
		cls.employee = make_employee("Malformed")
		frappe.get_doc(
			{**tier(tier_name="SC Bad Input Tier", business_calendar=cls.calendar), "doctype": "Support Tier"}
		).insert()
		if not frappe.db.exists("Customer", "SC Bad Input Customer"):
			frappe.get_doc(
				{
					"doctype": "Customer",
					"customer_name": "SC Bad Input Customer",
					"customer_group": "All Customer Groups",
					"territory": "All Territories",
				}
			).insert()
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		for doctype, name in (
			("Jour Week", {"employee": cls.employee}),
			("Employee", cls.employee),
			("Jour Pay Scheme", cls.scheme),
			("Support Tier", "SC Bad Input Tier"),
			("Support Calendar", cls.calendar),
			("Customer", "SC Bad Input Customer"),
			("User", USER),
		):
			for n in frappe.get_all(
				doctype, filters=name if isinstance(name, dict) else {"name": name}, pluck="name"
			):
				frappe.delete_doc(doctype, n, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()
		super().tearDownClass()

	def test_every_case_is_a_clear_417_and_stores_nothing(self):
		wrong = []
		for n, (doctype, doc, words) in enumerate(CASES, start=1):
			body = frappe.parse_json(frappe.as_json(doc).replace("{employee}", self.employee))
			before = frappe.db.count(doctype)
			r = self.post(self.resource(doctype), body, headers=self.auth)
			message = " ".join(
				frappe.parse_json(m).get("message", "")
				for m in frappe.parse_json(r.json.get("_server_messages") or "[]")
			)
			frappe.db.rollback()
			after = frappe.db.count(doctype)
			problems = []
			if r.status_code != 417:
				problems.append(f"status {r.status_code}: {r.json.get('exception') or r.text[:200]}")
			problems += [f"no {w!r}" for w in words if w not in message]
			if after != before:
				problems.append(f"{after - before} stored")
			if problems:
				wrong.append(
					f"case {n} {doctype} {words[0]!r}: {'; '.join(problems)} — message: {message[:200]}"
				)
		self.assertEqual(wrong, [], "\n".join(wrong))
