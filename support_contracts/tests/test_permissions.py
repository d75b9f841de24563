"""Who may read, write, share and delete what, over HTTP (REST with API tokens), as a support firm runs it
(docs/permissions.md): agent, manager, on-call coordinator, employee, portal user × each doctype.

Requests run on their own database connections, so this class commits its documents and removes them
afterwards. Each role's test walks the whole matrix and reports every cell that differs at once."""

import frappe
from frappe.tests.test_api import FrappeAPITestCase

from support_contracts.support_contracts.doctype.jour_week.test_jour_week import make_week
from support_contracts.tests.factories import (
	make_api_user,
	make_calendar,
	make_contract,
	make_customer,
	make_employee,
	make_issue,
	make_pay_scheme,
	make_tier,
)

SETTINGS = "Support Contract Settings"
USERS = {
	"agent": ("sc-perm-agent@example.com", ("Support Agent",)),
	"manager": ("sc-perm-manager@example.com", ("Support Manager",)),
	"coordinator": ("sc-perm-coordinator@example.com", ("On-Call Coordinator",)),
	"employee": ("sc-perm-employee@example.com", ("Employee",)),
	"portal": ("sc-perm-portal@example.com", ("Customer",)),
}
R, W, S, D = "read", "write", "share", "delete"
# role → doctype (or "own"/"other's" on-call pay) → what the role may do; everything else is refused
ALLOWED = {
	"agent": {
		"Support Calendar": {R},
		"Support Tier": {R},
		"Support Contract": {R},
		"SLA Clock Event": {R},
		"SLA Transition": {R},
		"Incident Fee": {R},
		SETTINGS: {R},
	},
	"manager": {
		"Support Calendar": {R, W, D},
		"Support Tier": {R, W, D},
		"Support Contract": {R, W, D},
		"SLA Clock Event": {R},
		"SLA Transition": {R},
		"Incident Fee": {R, W, D},
		"Jour Pay Scheme": {R},
		SETTINGS: {R, W},
	},
	"coordinator": {
		"Support Calendar": {R},
		"Jour Pay Scheme": {R, W, D},
		"Jour Week": {R, W, D},
		"Jour Week (other's)": {R, W, D},
		"Jour Activation": {R, W, D},
		"Jour Activation (other's)": {R, W, D},
		"On-Call Pay Statement": {R},
		"On-Call Pay Statement (other's)": {R},
		SETTINGS: {R},
	},
	"employee": {"Jour Week": {R}, "Jour Activation": {R}, "On-Call Pay Statement": {R}},
	"portal": {},
}
# a harmless change per doctype, for the write check
CHANGE = {
	"Support Calendar": {"early_closing": 0},
	"Support Tier": {"description": "checked by the permission matrix"},
	"Support Contract": {"renewal": "Manual"},
	"SLA Clock Event": {"source": "matrix"},
	"SLA Transition": {"notified": "matrix"},
	"Incident Fee": {"included_minutes": 60},
	"Jour Pay Scheme": {"stipend_component": "On-call Stipend"},
	"Jour Week": {"rota": "Main"},
	"Jour Activation": {"issue": None},
	"On-Call Pay Statement": {"summary": "changed by hand"},
	SETTINGS: {"issue_backdating_hours": 72},
}


class TestPermissionMatrix(FrappeAPITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		own = make_employee("Permitted")
		# ERPNext drops the Employee role from a user no Employee record names: link first
		frappe.db.set_value("Employee", own, "user_id", USERS["employee"][0])
		cls.headers = {
			role: make_api_user(email, roles, role == "portal") for role, (email, roles) in USERS.items()
		}
		calendar = make_calendar("SC Perm Office")
		tier = make_tier("SC Perm Tier", calendar)
		customer = make_customer("SC Perm Customer")
		contract = make_contract(customer, tier)
		issue = make_issue(customer, None, "P1", subject="Permission matrix").name
		scheme = make_pay_scheme("SC Perm Jour")
		other = make_employee("Unrelated")
		cls.docs = {
			"Support Calendar": calendar,
			"Support Tier": tier,
			"Support Contract": contract,
			"SLA Clock Event": frappe.db.get_value("SLA Clock Event", {"issue": issue}),
			"SLA Transition": frappe.get_doc(
				{
					"doctype": "SLA Transition",
					"issue": issue,
					"transition": "Warning",
					"due": "2026-11-23 10:00:00",
				}
			)
			.insert(ignore_permissions=True)
			.name,
			"Incident Fee": frappe.get_doc(
				{
					"doctype": "Incident Fee",
					"issue": issue,
					"customer": customer,
					"support_contract": contract,
					"called_at": "2026-11-23 09:00:00",
					"fee": 1750,
				}
			)
			.insert()
			.name,
			"Jour Pay Scheme": scheme,
			"Jour Week": make_week(own, 47, scheme).name,
			"Jour Week (other's)": make_week(other, 47, scheme, on_call_role="Backup").name,
			"Jour Activation": cls.activation(own),
			"Jour Activation (other's)": cls.activation(other),
			"On-Call Pay Statement": cls.statement(own),
			"On-Call Pay Statement (other's)": cls.statement(other),
			SETTINGS: SETTINGS,
		}
		cls.made = {"customer": customer, "issue": issue, "employees": (own, other)}
		frappe.db.commit()

	@staticmethod
	def statement(employee):
		"""A pay statement as the run writes it (the run's own path needs HRMS salary structures)."""
		doc = frappe.get_doc(
			{
				"doctype": "On-Call Pay Statement",
				"employee": employee,
				"company": frappe.db.get_value("Employee", employee, "company"),
				"payroll_month": "2026-11-01",
				"payroll_period": "2026-11",
				"pay_key": f"{employee}|2026-11",
				"currency": "SEK",
				"total": 4500,
				"lines": [{"work_month": "2026-11", "salary_component": "On-call Stipend", "amount": 4500}],
			}
		)
		doc.flags.ignore_permissions = True
		return doc.insert().name

	@staticmethod
	def activation(employee):
		return (
			frappe.get_doc(
				{
					"doctype": "Jour Activation",
					"employee": employee,
					"from_time": "2026-11-18 21:00:00",
					"to_time": "2026-11-18 23:00:00",
				}
			)
			.insert()
			.name
		)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		issue, (own, other) = cls.made["issue"], cls.made["employees"]
		for doctype, filters in (
			("SLA Clock Event", {"issue": issue}),
			("SLA Transition", {"issue": issue}),
			("DocShare", {"user": ("like", "sc-perm-%")}),
		):
			frappe.db.delete(doctype, filters)
		for doctype, filters in (
			("Incident Fee", {"issue": issue}),
			("Jour Activation", {"employee": ("in", (own, other))}),
			("On-Call Pay Statement", {"employee": ("in", (own, other))}),
			("Jour Week", {"employee": ("in", (own, other))}),
			("Employee", {"name": ("in", (own, other))}),
			("Issue", {"name": issue}),
			("Support Contract", {"customer": cls.made["customer"]}),
			("Support Tier", {"name": "SC Perm Tier"}),
			("Support Calendar", {"name": "SC Perm Office"}),
			("Jour Pay Scheme", {"name": "SC Perm Jour"}),
			("User", {"name": ("like", "sc-perm-%")}),
		):
			for name in frappe.get_all(doctype, filters=filters, pluck="name"):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()
		super().tearDownClass()

	def attempt(self, role, key, action) -> bool:
		doctype = key.split(" (")[0]
		name = self.docs[key]
		headers = self.headers[role]
		if action == R:
			r = self.get(self.resource(doctype, name), headers=headers)
		elif action == W:
			r = self.put(self.resource(doctype, name), CHANGE[doctype], headers=headers)
		elif action == S:
			r = self.post(
				self.method("frappe.share.add"),
				{"doctype": doctype, "name": name, "user": USERS["agent"][0], "read": 1},
				headers=headers,
			)
		else:
			r = self.delete(self.resource(doctype, name), headers=headers)
			if r.status_code == 200:  # it was allowed: put the document back for the other checks
				frappe.db.rollback()
				self.fail(f"{role} deleted {key} {name}, which the matrix must check with a disposable copy")
		self.assertIn(
			r.status_code, (200, 403, 404), f"{role} {action} {key}: {r.status_code} {r.text[:300]}"
		)
		return r.status_code == 200

	def check_role(self, role):
		wrong = []
		for key in self.docs:
			allowed = ALLOWED[role].get(key, set())
			for action in (R, W, S):
				if self.attempt(role, key, action) != (action in allowed):
					wrong.append(f"{action} {key}: {'refused' if action in allowed else 'allowed'}")
			if D not in allowed and key != SETTINGS:
				if self.attempt(role, key, D):
					wrong.append(f"delete {key}: allowed")
		frappe.db.rollback()
		for key in self.docs:
			self.assertTrue(frappe.db.exists(key.split(" (")[0], self.docs[key]), f"{key} survived")
		self.assertEqual(wrong, [], f"{role}: cells that differ from the matrix")

	def test_agent(self):
		self.check_role("agent")

	def test_manager(self):
		self.check_role("manager")

	def test_coordinator(self):
		self.check_role("coordinator")

	def test_employee_sees_own_on_call_pay_only(self):
		self.check_role("employee")
		r = self.get(
			self.resource("Jour Activation"),
			{"fields": '["name","total_amount"]'},
			headers=self.headers["employee"],
		)
		self.assertEqual([row["name"] for row in r.json["data"]], [self.docs["Jour Activation"]])

	def test_portal_user_sees_nothing_of_it(self):
		self.check_role("portal")

	def test_allowed_deletes(self):
		for role, key in (("manager", "Support Tier"), ("coordinator", "Jour Activation (other's)")):
			doctype = key.split(" (")[0]
			copy = frappe.copy_doc(frappe.get_doc(doctype, self.docs[key]))
			if doctype == "Support Tier":
				copy.tier_name = "SC Perm Disposable Tier"
			else:
				copy.from_time, copy.to_time = "2026-11-19 21:00:00", "2026-11-19 22:00:00"
			copy.insert()
			frappe.db.commit()
			r = self.delete(self.resource(doctype, copy.name), headers=self.headers[role])
			self.assertIn(r.status_code, (200, 202), r.text[:300])
			frappe.db.rollback()
			self.assertFalse(frappe.db.exists(doctype, copy.name))

	def test_employee_cannot_reach_others_pay_through_child_rows_or_counts(self):
		headers, other = self.headers["employee"], self.docs["Jour Activation (other's)"]
		r = self.post(
			self.method("frappe.client.get_list"),
			{
				"doctype": "Jour Activation Split",
				"parent": "Jour Activation",
				"fields": ["parent", "amount"],
				"limit_page_length": 0,
			},
			headers=headers,
		)
		self.assertEqual(r.status_code, 200, r.text[:300])
		self.assertEqual({row["parent"] for row in r.json["message"]}, {self.docs["Jour Activation"]})
		count = self.post(
			self.method("frappe.client.get_count"),
			{"doctype": "Jour Activation", "filters": {"name": other}},
			headers=headers,
		)
		self.assertEqual((count.status_code, count.json.get("message")), (200, 0))
		mine = self.post(
			self.method("frappe.client.get_count"), {"doctype": "Jour Activation"}, headers=headers
		)
		self.assertEqual(mine.json.get("message"), 1)
		portal = self.post(
			self.method("frappe.client.get_count"),
			{"doctype": "Support Contract"},
			headers=self.headers["portal"],
		)
		self.assertNotEqual(portal.status_code, 200)
