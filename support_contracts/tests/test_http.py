"""What a helpdesk agent does, over HTTP through Frappe's WSGI app, as a Support Agent user with an API
token: open an Issue for a customer with a contract and read its due times; preview a calendar; and be
refused when changing a tier (agents read tiers, managers change them).

Requests run on their own database connection, so this class commits its documents and removes them
afterwards."""

import frappe
from frappe.tests.test_api import FrappeAPITestCase

from support_contracts.tests.factories import make_calendar, make_contract, make_customer, make_tier

AGENT = "sc-http-agent@example.com"


class TestAgentOverHTTP(FrappeAPITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.calendar = make_calendar("SC HTTP Office")
		cls.tier = make_tier("SC HTTP Tier", cls.calendar)
		cls.customer = make_customer("SC HTTP Customer")
		cls.contract = make_contract(cls.customer, cls.tier)
		if not frappe.db.exists("User", AGENT):
			frappe.get_doc(
				{"doctype": "User", "email": AGENT, "first_name": "Agent", "send_welcome_email": 0}
			).insert(ignore_permissions=True)
		user = frappe.get_doc("User", AGENT)
		user.add_roles("Support Agent")
		cls.key, cls.secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
		user.api_key, user.api_secret = cls.key, cls.secret
		user.save(ignore_permissions=True)
		# the test opens an Issue in June 2026 (Midsummer): allow any backdating for this class
		settings = frappe.get_single("Support Contract Settings")
		cls.backdating = settings.issue_backdating_hours
		settings.issue_backdating_hours = 0
		settings.save()
		frappe.db.commit()
		cls.issues = []

	@classmethod
	def tearDownClass(cls):
		for issue in cls.issues:
			for doctype in ("SLA Clock Event", "SLA Transition", "Incident Fee"):
				frappe.db.delete(doctype, {"issue": issue})
			frappe.db.delete("Issue", {"name": issue})
		frappe.db.delete("Support Contract", {"name": cls.contract})
		frappe.delete_doc("Support Tier", cls.tier, force=True)
		frappe.delete_doc("Support Calendar", cls.calendar, force=True)
		frappe.delete_doc("User", AGENT, force=True)
		frappe.db.set_single_value("Support Contract Settings", "issue_backdating_hours", cls.backdating)
		frappe.db.commit()
		super().tearDownClass()

	def auth(self):
		return {"Authorization": f"token {self.key}:{self.secret}"}

	def test_agent_opens_an_issue_and_reads_its_due_times(self):
		# Alert! P1 at Thu 18 Jun 2026 16:30: action start due Mon 22 Jun 08:30 (docs/rules.md B, Midsummer)
		r = self.post(
			self.resource("Issue"),
			{
				"subject": "Order flow stopped",
				"customer": self.customer,
				"priority": "P1",
				"opening_date": "2026-06-18",
				"opening_time": "16:30:00",
			},
			headers=self.auth(),
		)
		self.assertEqual(r.status_code, 200, r.json)
		name = r.json["data"]["name"]
		self.issues.append(name)
		r = self.get(self.resource("Issue", name), headers=self.auth())
		data = r.json["data"]
		self.assertEqual(data["sc_support_contract"], self.contract)
		self.assertEqual(data["sc_action_start_due"], "2026-06-22 08:30:00")
		self.assertEqual(data["sc_resolution_due"], "2026-06-22 11:30:00")
		# the clock runs on real time here: long past due
		self.assertEqual(data["sc_sla_status"], "Breached")

	def test_agent_previews_a_calendar(self):
		r = self.get(
			self.method("support_contracts.api.calendars.preview"),
			{"calendar": self.calendar, "days": 7},
			headers=self.auth(),
		)
		self.assertEqual(r.status_code, 200, r.json)
		self.assertTrue(all(w["hours"] <= 9 for w in r.json["message"]))
		self.assertGreaterEqual(len(r.json["message"]), 3)

	def test_agent_cannot_change_a_tier(self):
		r = self.put(self.resource("Support Tier", self.tier), {"hourly_rate": 1}, headers=self.auth())
		self.assertEqual(r.status_code, 403)
		self.assertEqual(frappe.db.get_value("Support Tier", self.tier, "hourly_rate"), 850)

	def test_bad_input_over_http_is_a_clear_417_and_nothing_is_saved(self):
		before = frappe.db.count("Issue", {"customer": self.customer})
		r = self.post(
			self.resource("Issue"),
			{"subject": "x", "customer": self.customer, "priority": "P2"},
			headers=self.auth(),
		)
		self.assertEqual(r.status_code, 417)
		self.assertIn("no SLA targets for priority", str(r.json))
		self.assertEqual(frappe.db.count("Issue", {"customer": self.customer}), before)


def remove_issue(issue: str) -> None:
	"""An Issue a test committed, with what the app recorded of it (its ledger refuses deletion)."""
	for doctype in ("SLA Clock Event", "SLA Transition", "Incident Fee", "SLA Outcome"):
		frappe.db.delete(doctype, {"issue": issue})
	for doctype in ("Tag Link", "ToDo", "Comment"):
		frappe.db.delete(doctype, {"reference_name" if doctype != "Tag Link" else "document_name": issue})
	frappe.db.delete("Issue", {"name": issue})


class TestMonitoringAlert(FrappeAPITestCase):
	"""docs/rules.md A4: the customer's monitoring opens an Issue under their contract over HTTP, with the
	contract's token (docs/formats.md › Monitoring alerts) — once per alert id; inside the on-call window it
	is an on-call Issue with its labels and Incident Fee."""

	METHOD = "support_contracts.api.monitoring.alert"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from support_contracts.adapters import monitoring
		from support_contracts.tests.factories import make_on_call_calendar

		cls.calendar = make_calendar("SC Monitoring Office")
		cls.on_call = make_on_call_calendar("SC Monitoring On-call")
		cls.tier = make_tier("SC Monitoring Tier", cls.calendar)
		cls.customer = make_customer("SC Monitoring Customer")
		cls.contract = make_contract(cls.customer, cls.tier, on_call=1, on_call_calendar=cls.on_call)
		cls.token = monitoring.new_token(cls.contract)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		for issue in frappe.get_all("Issue", filters={"customer": cls.customer}, pluck="name"):
			remove_issue(issue)
		frappe.db.delete("Comment", {"reference_name": cls.contract})
		frappe.db.delete("Support Contract", {"name": cls.contract})
		frappe.delete_doc("Support Tier", cls.tier, force=True)
		for cal in (cls.calendar, cls.on_call):
			frappe.delete_doc("Support Calendar", cal, force=True)
		frappe.db.commit()
		super().tearDownClass()

	def alert(self, token, **body):
		return self.post(self.method(self.METHOD), body, headers={"X-Monitoring-Token": token})

	def test_an_alert_opens_one_issue_under_the_contract_and_a_repeat_answers_with_it(self):
		body = {"alert_id": "nr-1", "unit": "web-01", "summary": "HTTP 500 on /checkout", "priority": "P1"}
		r = self.alert(self.token, **body)
		self.assertEqual(r.status_code, 200, r.json)
		got = r.json["message"]
		self.assertTrue(got["created"])
		issue = frappe.get_doc("Issue", got["issue"])
		self.assertEqual((issue.customer, issue.sc_support_contract), (self.customer, self.contract))
		self.assertEqual(issue.subject, "Monitoring: web-01: HTTP 500 on /checkout")
		self.assertEqual(issue.sc_monitoring_alert, f"{self.contract}|nr-1")
		# inside the on-call window (weekday nights, weekends): an on-call Issue with its Incident Fee
		self.assertEqual(bool(issue.sc_on_call), got["on_call"])
		self.assertEqual(frappe.db.count("Incident Fee", {"issue": issue.name}), int(got["on_call"]))
		again = self.alert(self.token, **body)
		self.assertEqual(again.json["message"], {**got, "created": False})
		self.assertEqual(
			frappe.db.count("Issue", {"customer": self.customer, "sc_monitoring_alert": ("is", "set")}), 1
		)

	def test_the_path_before_the_api_package_still_takes_an_alert(self):
		"""A monitoring system set up with the method's old path (support_contracts.adapters.monitoring.alert)
		keeps working: hooks.py hands it on to support_contracts.api.monitoring.alert (docs/api.md)."""
		body = {"alert_id": "nr-old-path", "unit": "web-02", "summary": "Disk full", "priority": "P1"}
		r = self.post(
			self.method("support_contracts.adapters.monitoring.alert"),
			body,
			headers={"X-Monitoring-Token": self.token},
		)
		self.assertEqual(r.status_code, 200, r.json)
		self.assertTrue(r.json["message"]["created"])
		again = self.alert(self.token, **body)  # the same alert at the new path: the same Issue
		self.assertEqual(again.json["message"]["issue"], r.json["message"]["issue"])

	def test_an_alert_opens_its_issue_under_a_tier_with_level_teams(self):
		# the Issue is assigned to the level's team during the guest's call: Frappe notes the assignment as
		# a comment, which is not a portal user's comment to refuse
		from support_contracts.tests.test_contract_terms import make_team, make_user

		user = make_user("sc-monitoring-l1@example.com", "Support Agent")
		team = make_team("SC Monitoring L1", user)
		tier = frappe.get_doc("Support Tier", self.tier)
		tier.first_level = "Level 1"
		tier.append("support_teams", {"level": "Level 1", "team": team})
		tier.save()
		frappe.db.commit()
		try:
			r = self.alert(self.token, alert_id="nr-teams", unit="db-01", summary="Disk full", priority="P1")
			self.assertEqual(r.status_code, 200, r.json)
			issue = r.json["message"]["issue"]
			self.assertEqual(
				frappe.get_all(
					"ToDo", filters={"reference_type": "Issue", "reference_name": issue}, pluck="allocated_to"
				),
				[user],
			)
			remove_issue(issue)
		finally:
			tier.reload()
			tier.first_level = None
			tier.support_teams = []
			tier.save()
			frappe.delete_doc("User Group", team, force=True)
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
			frappe.db.commit()

	def test_the_token_of_an_ended_contract_opens_nothing(self):
		frappe.db.set_value("Support Contract", self.contract, "end_date", "2026-06-30")
		frappe.db.commit()
		try:
			before = frappe.db.count("Issue", {"customer": self.customer})
			r = self.alert(self.token, alert_id="nr-ended", unit="web-01", summary="HTTP 500")
			self.assertEqual(r.status_code, 401, r.json)
			self.assertEqual(frappe.db.count("Issue", {"customer": self.customer}), before)
		finally:
			frappe.db.set_value("Support Contract", self.contract, "end_date", None)
			frappe.db.commit()

	def test_a_wrong_token_or_a_missing_field_opens_nothing(self):
		before = frappe.db.count("Issue", {"customer": self.customer})
		r = self.alert("not-the-token", alert_id="x", unit="db", summary="down")
		self.assertEqual(r.status_code, 401)
		r = self.alert(self.token, alert_id="nr-2", summary="down")
		self.assertEqual(r.status_code, 417)
		self.assertIn("unit", str(r.json))
		r = self.alert(self.token, alert_id="nr-3", unit="db", summary="down", priority="P9")
		self.assertEqual(r.status_code, 417)
		self.assertEqual(frappe.db.count("Issue", {"customer": self.customer}), before)
