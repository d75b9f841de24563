# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Contract terms where the agent works (docs/rules.md A5, E6): the first line is told of each new
request once, and the contract's written instructions stand at the top of its Issues, with the actions
taken under them logged on the Issue. (Maintenance windows, E4: beside their doctype.)"""

import frappe

from support_contracts.adapters import issue as issue_adapter
from support_contracts.adapters.times import naive
from support_contracts.api.desk import clock_summary
from support_contracts.tests.factories import (
	SCTestCase,
	make_contact,
	make_contract,
	make_customer,
	make_issue,
	make_tier,
)
from support_contracts.tests.test_issue_sla import at

AGENT = "sc-first-line@example.com"
OUTSIDER = "sc-terms-outsider@example.com"


def make_user(email: str, *roles: str) -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.add_roles(*roles)
	return email


def told(issue: str) -> list[tuple[str, str]]:
	return [
		(n.for_user, n.subject)
		for n in frappe.get_all(
			"Notification Log",
			filters={"document_type": "Issue", "document_name": issue},
			fields=["for_user", "subject"],
			order_by="for_user asc",
		)
	]


class TestFirstLine(SCTestCase):
	def setUp(self):
		super().setUp()
		make_user(AGENT, "Support Agent")
		self.tier = make_tier("SC Terms Tier", first_line_role="Support Agent")
		self.customer = make_customer("SC Terms Customer")
		make_contract(self.customer, self.tier)

	def test_each_new_request_is_told_to_the_first_line_once(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		doc = make_issue(self.customer, at(2026, 11, 23, 9), "P1", subject="Web shop <down>")
		notes = told(doc.name)
		stored = frappe.db.get_value("Issue", doc.name, "subject")  # as Frappe sanitised it on save
		self.assertIn(
			(AGENT, f"New request {doc.name} from SC Terms Customer: {frappe.utils.escape_html(stored)}"),
			notes,
		)
		self.assertNotIn("Guest", [u for u, _s in notes])
		doc.description = "More detail"
		doc.save()
		self.assertEqual(told(doc.name), notes)  # once

	def test_a_request_that_comes_under_the_contract_later_is_told_then_once(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		doc = make_issue(None, at(2026, 11, 23, 9), "P1", subject="Logged before the caller said who")
		self.assertEqual(told(doc.name), [])
		frappe.flags.current_time = naive(at(2026, 11, 23, 9, 10))
		doc.customer = self.customer
		doc.save()
		notes = told(doc.name)
		self.assertEqual([u for u, _s in notes].count(AGENT), 1)
		doc.description = "More detail"
		doc.save()
		self.assertEqual(told(doc.name), notes)  # once

	def test_nobody_is_told_without_a_first_line_or_a_contract(self):
		frappe.db.set_value("Support Tier", self.tier, "first_line_role", None)
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		governed = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		self.assertEqual(told(governed.name), [])
		walk_in = make_issue(make_customer("SC Terms Walk-in"), at(2026, 11, 23, 9), "P1")
		self.assertEqual(told(walk_in.name), [])


class TestProactiveInstructions(SCTestCase):
	def setUp(self):
		super().setUp()
		self.tier = make_tier("SC Terms Tier")
		self.customer = make_customer("SC Terms Customer")
		self.contract = make_contract(
			self.customer,
			self.tier,
			proactive_instructions="<p>Restart the <b>queue</b> service.</p><script>alert(1)</script>",
		)
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		self.issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1").name

	def test_the_instructions_stand_at_the_top_of_the_issue(self):
		summary = clock_summary(self.issue)
		self.assertIn("Restart the <b>queue</b> service.", summary["instructions"])
		self.assertNotIn("<script", summary["instructions"])  # only as escaped text

	def test_an_action_under_them_is_logged_on_the_issue(self):
		name = issue_adapter.log_proactive_action(self.issue, "Restarted the <queue> service at 02:10")
		comment = frappe.get_doc("Comment", name)
		self.assertEqual((comment.reference_doctype, comment.reference_name), ("Issue", self.issue))
		self.assertEqual(
			comment.content,
			"Proactive action under the contract's written instructions: "
			"Restarted the &lt;queue&gt; service at 02:10",
		)

	def test_no_action_without_text_instructions_or_write_permission(self):
		before = frappe.db.count("Comment", {"reference_name": self.issue})
		with self.assertRaises(frappe.ValidationError):
			issue_adapter.log_proactive_action(self.issue, "   ")
		frappe.db.set_value("Support Contract", self.contract, "proactive_instructions", "<p></p>")
		with self.assertRaises(frappe.ValidationError):
			issue_adapter.log_proactive_action(self.issue, "Restarted it")
		frappe.db.set_value("Support Contract", self.contract, "proactive_instructions", "Restart it")
		make_user(OUTSIDER, "Customer")
		frappe.set_user(OUTSIDER)
		try:
			with self.assertRaises(frappe.PermissionError):
				issue_adapter.log_proactive_action(self.issue, "Restarted it")
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Comment", {"reference_name": self.issue}), before)


# ---------------------------------------------------------------- the terms of issue 14, items 1–3, 5–7
def ledger(issue: str) -> list[tuple]:
	return [
		(r.event, r.note, r.owner)
		for r in frappe.get_all(
			"SLA Clock Event",
			filters={"issue": issue},
			fields=["event", "note", "owner"],
			order_by="at asc, creation asc",
		)
	]


def outcome(issue: str, metric: str) -> dict:
	return frappe.db.get_value(
		"SLA Outcome", f"{issue}|{metric}", ["status", "due", "met_at", "business_seconds"], as_dict=True
	)


class TestOutsideOurArea(SCTestCase):
	"""docs/rules.md A3, A8, D3: marked with a reason, the action-start promise no longer applies — kept in
	the ledger, not erased."""

	def setUp(self):
		super().setUp()
		self.tier = make_tier("SC Terms Tier")
		self.customer = make_customer("SC Terms Customer")
		make_contract(self.customer, self.tier)
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		self.issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")

	def test_marked_with_a_reason_the_action_start_is_waived_and_the_ledger_says_why(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 9, 20))
		self.issue.sc_outside_area = 1
		self.issue.sc_outside_area_reason = "The customer's own firewall drops the traffic"
		self.issue.save()
		frappe.flags.current_time = naive(at(2026, 11, 23, 11))  # an hour past the 1 h promise
		issue_adapter.refresh(self.issue.name)
		doc = frappe.get_doc("Issue", self.issue.name)
		self.assertIsNone(doc.sc_action_start_due)
		self.assertEqual(outcome(doc.name, "action_start").status, "Waived")
		self.assertEqual(outcome(doc.name, "resolution").status, "Open")  # 4 h of 08–17: due 13:00
		self.assertEqual(str(doc.sc_resolution_due), "2026-11-23 13:00:00")
		self.assertIn(
			("outside_area", "The customer's own firewall drops the traffic", "Administrator"),
			ledger(doc.name),
		)
		# the customer's ticket page says so, and the next target is the resolution
		from support_contracts.adapters.portal import clock_view

		view = clock_view(doc, issue_adapter.clock_report(doc))
		states = {t["metric"]: t["state"] for t in view["targets"]}
		self.assertEqual(states["action_start"], "does not apply: the fault lies outside our area")
		self.assertTrue(view["headline"].startswith("Resolution due"), view["headline"])

	def test_without_a_reason_it_is_refused_naming_the_field_and_nothing_is_stored(self):
		before = ledger(self.issue.name)
		for blank in ("  ", "&nbsp;", "<p> </p>"):
			doc = frappe.get_doc("Issue", self.issue.name)
			doc.sc_outside_area, doc.sc_outside_area_reason = 1, blank
			with self.assertRaisesRegex(frappe.ValidationError, "Why Outside Our Area"):
				doc.save()
		# a mark that is neither 0 nor 1 would be stored as 0 while the ledger kept it marked
		doc = frappe.get_doc("Issue", self.issue.name)
		doc.sc_outside_area, doc.sc_outside_area_reason = "yes", "their firewall"
		with self.assertRaisesRegex(frappe.ValidationError, "Fault Outside Our Area"):
			doc.save()
		self.assertEqual(ledger(self.issue.name), before)
		self.assertEqual(frappe.db.get_value("Issue", self.issue.name, "sc_outside_area"), 0)

	def test_taken_back_the_promise_and_its_breach_return(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 9, 10))
		self.issue.update({"sc_outside_area": 1, "sc_outside_area_reason": "Third-party router"})
		self.issue.save()
		frappe.flags.current_time = naive(at(2026, 11, 23, 10, 30))
		self.issue.reload()
		self.issue.sc_outside_area = 0
		self.issue.save()
		self.assertEqual(str(self.issue.sc_action_start_due), "2026-11-23 10:00:00")
		self.assertEqual([e for e, _n, _o in ledger(self.issue.name)][-2:], ["outside_area", "inside_area"])


class TestClientSignOff(SCTestCase):
	"""docs/rules.md C2: Resolved waits for the client's word; the portal's buttons, an agent's record, or
	the client's silence for the tier's time give it."""

	def setUp(self):
		super().setUp()
		self.tier = make_tier("SC Terms Tier", requires_client_signoff=1, signoff_timeout=24 * 3600)
		self.customer = make_customer("SC Terms Customer")
		make_contract(self.customer, self.tier)
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		self.issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		frappe.flags.current_time = naive(at(2026, 11, 23, 11))
		self.issue.status = "Resolved"
		self.issue.save()

	def test_resolved_awaits_the_sign_off_and_the_resolution_is_not_met_yet(self):
		doc = frappe.get_doc("Issue", self.issue.name)
		self.assertEqual(
			(doc.sc_signoff_state, doc.sc_sla_status), ("Awaiting Sign-off", "Awaiting Sign-off")
		)
		self.assertEqual(str(doc.sc_signoff_due), "2026-11-24 11:00:00")
		self.assertEqual(outcome(doc.name, "resolution").status, "Paused")
		self.assertEqual(outcome(doc.name, "action_start").status, "Breached")  # the fix came at 11:00
		from support_contracts.adapters.portal import clock_view

		headline = clock_view(doc, issue_adapter.clock_report(doc))["headline"]
		self.assertEqual(headline, "Resolution: paused (waiting for your approval of the fix), 2 h left")

	def test_approved_on_the_portal_the_resolution_is_met_with_the_time_up_to_the_fix(self):
		from support_contracts.adapters import portal

		contact_user = make_user("sc-signoff-client@example.com", "Customer")
		contact = make_contact(self.customer, "Signe", contact_user)
		frappe.db.set_value("Contact", contact, "user", contact_user)
		frappe.db.set_value("User", contact_user, "user_type", "Website User")
		frappe.flags.current_time = naive(at(2026, 11, 23, 16))
		frappe.set_user(contact_user)
		try:
			got = portal.sign_off(self.issue.name, approved=1)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(got["state"], "Approved")
		res = outcome(self.issue.name, "resolution")
		self.assertEqual((res.status, str(res.met_at)), ("Met", "2026-11-23 16:00:00"))
		self.assertEqual(res.business_seconds, 2 * 3600)  # 09:00–11:00; the wait for the client not counted
		self.assertEqual(
			ledger(self.issue.name)[-1][:1] + ledger(self.issue.name)[-1][2:], ("signoff_given", contact_user)
		)

	def test_an_agent_records_the_client_saying_it_is_not_fixed_and_the_clock_runs_on(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 14))
		with self.assertRaisesRegex(frappe.ValidationError, "What the Client Said"):
			issue_adapter.record_signoff(self.issue.name, 0, "")
		self.assertEqual(issue_adapter.record_signoff(self.issue.name, 0, "Still 500 on checkout"), "Refused")
		doc = frappe.get_doc("Issue", self.issue.name)
		self.assertEqual((doc.status, doc.sc_signoff_state), ("Open", "Refused"))
		# 2 h used of 4 before the fix; running again from 14:00: due 16:00
		self.assertEqual(str(doc.sc_resolution_due), "2026-11-23 16:00:00")
		self.assertEqual(ledger(doc.name)[-1][:2], ("signoff_refused", "Still 500 on checkout"))
		with self.assertRaisesRegex(frappe.ValidationError, "no fix awaiting"):
			issue_adapter.record_signoff(self.issue.name, 1)

	def test_silence_for_the_tier_time_counts_as_approval_then(self):
		frappe.flags.current_time = naive(at(2026, 11, 24, 10, 59))
		self.assertEqual(issue_adapter.sign_off_by_silence(commit=False), [])
		frappe.flags.current_time = naive(at(2026, 11, 24, 11, 5))
		self.assertEqual(issue_adapter.sign_off_by_silence(commit=False), [self.issue.name])
		res = outcome(self.issue.name, "resolution")
		self.assertEqual((res.status, str(res.met_at)), ("Met", "2026-11-24 11:00:00"))
		event = frappe.get_all(
			"SLA Clock Event",
			filters={"issue": self.issue.name, "event": "signoff_given"},
			fields=["source", "at"],
		)
		self.assertEqual([(e.source, str(e.at)) for e in event], [("silence", "2026-11-24 11:00:00")])
		self.assertEqual(issue_adapter.sign_off_by_silence(commit=False), [])  # once

	def test_a_client_reply_does_not_decide_and_silence_waits_while_the_ticket_is_open(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 12))
		frappe.db.set_value("Issue", self.issue.name, "status", "Open")  # as Frappe does on a reply
		frappe.flags.current_time = naive(at(2026, 11, 25, 12))
		self.assertEqual(issue_adapter.sign_off_by_silence(commit=False), [])
		self.assertEqual(
			frappe.db.get_value("Issue", self.issue.name, "sc_signoff_state"), "Awaiting Sign-off"
		)

	def test_a_status_change_does_not_decide_the_sign_off(self):
		# closing the ticket would approve the fix for the client; opening it would refuse it unsaid
		frappe.flags.current_time = naive(at(2026, 11, 23, 12))
		for status in ("Closed", "Open"):
			doc = frappe.get_doc("Issue", self.issue.name)
			doc.status = status
			with self.assertRaisesRegex(frappe.ValidationError, "awaits the client's sign-off"):
				doc.save()
		self.assertEqual([e for e, *_ in ledger(self.issue.name)][-1], "signoff_requested")
		doc = frappe.get_doc("Issue", self.issue.name)
		doc.description = "a note while the client looks at it"
		doc.save()  # the status unchanged: saves
		self.assertEqual(doc.sc_signoff_state, "Awaiting Sign-off")

	def test_approved_after_a_reply_the_ticket_is_resolved_and_an_edit_keeps_it_so(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 12))
		frappe.db.set_value("Issue", self.issue.name, "status", "Open")  # as Frappe does on a reply
		frappe.flags.current_time = naive(at(2026, 11, 23, 13))
		self.assertEqual(issue_adapter.record_signoff(self.issue.name, 1, "Works now, thanks"), "Approved")
		doc = frappe.get_doc("Issue", self.issue.name)
		self.assertEqual((doc.status, doc.sc_signoff_state), ("Resolved", "Approved"))
		frappe.flags.current_time = naive(at(2026, 11, 23, 14))
		doc.description = "edited afterwards"
		doc.save()
		self.assertNotIn("reopened", [e for e, *_ in ledger(doc.name)])
		self.assertEqual(outcome(doc.name, "resolution").status, "Met")

	def test_an_answer_that_is_neither_yes_nor_no_is_refused(self):
		for value in ("yes", "2", "", None):
			with self.assertRaisesRegex(frappe.ValidationError, "Approved"):
				issue_adapter.record_signoff(self.issue.name, value, "said so")
		self.assertEqual([e for e, *_ in ledger(self.issue.name)][-1], "signoff_requested")

	def test_no_sign_off_on_the_portal_once_the_contract_has_ended(self):
		from support_contracts.adapters import portal

		contact_user = make_user("sc-signoff-ended@example.com", "Customer")
		contact = make_contact(self.customer, "Ebba", contact_user)
		frappe.db.set_value("Contact", contact, "user", contact_user)
		frappe.db.set_value("User", contact_user, "user_type", "Website User")
		contract = frappe.db.get_value("Issue", self.issue.name, "sc_support_contract")
		frappe.db.set_value("Support Contract", contract, "status", "Terminated")
		frappe.set_user(contact_user)
		try:
			with self.assertRaisesRegex(frappe.ValidationError, "has ended"):
				portal.sign_off(self.issue.name, approved=0, message="still broken")
		finally:
			frappe.set_user("Administrator")
		self.assertEqual([e for e, *_ in ledger(self.issue.name)][-1], "signoff_requested")

	def test_a_silence_time_of_zero_is_refused_naming_the_field(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Silence Counts as Approval After"):
			make_tier("SC Terms Zero Tier", requires_client_signoff=1, signoff_timeout=0)
		self.assertFalse(frappe.db.exists("Support Tier", "SC Terms Zero Tier"))


TEAM_USERS = {
	"Level 1": "sc-l1@example.com",
	"senior": "sc-senior@example.com",
	"Level 2": "sc-l2@example.com",
}


def make_team(name: str, *users: str) -> str:
	if frappe.db.exists("User Group", name):
		frappe.delete_doc("User Group", name, force=True)
	return (
		frappe.get_doc(
			{"doctype": "User Group", "name": name, "user_group_members": [{"user": u} for u in users]}
		)
		.insert(ignore_permissions=True)
		.name
	)


def assigned(issue: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Issue", "reference_name": issue, "status": "Open"},
		pluck="allocated_to",
		order_by="creation asc",
	)


class TestSupportLevels(SCTestCase):
	"""docs/rules.md E5: the tier's first level answers, senior priorities go to senior staff, an agent
	escalates by hand with a reason the ledger keeps."""

	def setUp(self):
		super().setUp()
		for u in TEAM_USERS.values():
			make_user(u, "Support Agent")
		l1 = make_team("SC Terms L1", TEAM_USERS["Level 1"])
		seniors = make_team("SC Terms Seniors", TEAM_USERS["senior"])
		l2 = make_team("SC Terms L2", TEAM_USERS["Level 2"])
		self.tier = make_tier(
			"SC Terms Tier",
			first_level="Level 1",
			senior_priorities="P1",
			support_teams=[
				{"level": "Level 1", "team": l1},
				{"level": "Level 1", "senior": 1, "team": seniors},
				{"level": "Level 2", "team": l2},
			],
		)
		self.customer = make_customer("SC Terms Customer")
		make_contract(self.customer, self.tier)
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))

	def test_a_request_starts_at_the_tier_level_with_its_team_and_seniors_take_senior_priorities(self):
		normal = make_issue(self.customer, at(2026, 11, 23, 9), "P3")
		serious = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		self.assertEqual(normal.sc_escalation_level, "Level 1")
		self.assertEqual(assigned(normal.name), [TEAM_USERS["Level 1"]])
		self.assertEqual(assigned(serious.name), [TEAM_USERS["senior"]])

	def test_escalated_by_hand_the_ledger_keeps_who_and_why_and_the_next_team_is_assigned(self):
		doc = make_issue(self.customer, at(2026, 11, 23, 9), "P3")
		frappe.flags.current_time = naive(at(2026, 11, 23, 9, 30))
		self.assertEqual(issue_adapter.escalate(doc.name, "Needs a database change"), "Level 2")
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "sc_escalation_level"), "Level 2")
		self.assertEqual(
			ledger(doc.name)[-1], ("escalated", "Level 1 → Level 2: Needs a database change", "Administrator")
		)
		self.assertIn(TEAM_USERS["Level 2"], assigned(doc.name))
		# the clock is not moved by it
		self.assertEqual(
			str(frappe.db.get_value("Issue", doc.name, "sc_action_start_due")), "2026-11-23 17:00:00"
		)

	def test_a_request_that_comes_under_the_contract_later_gets_its_level_team(self):
		doc = make_issue(None, at(2026, 11, 23, 9), "P3", subject="Logged before the caller said who")
		self.assertEqual(assigned(doc.name), [])
		doc.customer = self.customer
		doc.save()
		self.assertEqual((doc.sc_escalation_level, assigned(doc.name)), ("Level 1", [TEAM_USERS["Level 1"]]))

	def test_a_level_that_does_not_exist_or_no_reason_is_refused_and_nothing_is_stored(self):
		doc = make_issue(self.customer, at(2026, 11, 23, 9), "P3")
		before = ledger(doc.name)
		with self.assertRaisesRegex(frappe.ValidationError, "Escalation Level"):
			issue_adapter.escalate(doc.name, "Because", "Level 9")
		with self.assertRaisesRegex(frappe.ValidationError, "Reason"):
			issue_adapter.escalate(doc.name, " ")
		self.assertEqual(ledger(doc.name), before)
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "sc_escalation_level"), "Level 1")
		issue_adapter.escalate(doc.name, "Straight to management", "Support Manager")
		with self.assertRaisesRegex(frappe.ValidationError, "top level"):
			issue_adapter.escalate(doc.name, "Higher still")

	def test_senior_priorities_must_be_the_tier_own(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Priorities for Senior Staff"):
			make_tier("SC Terms Bad Tier", senior_priorities="P9")


class TestMaintenanceWindowOnTheClock(SCTestCase):
	"""docs/rules.md E4: a planned window counts in no target — here a wall-clock hour (Ballou's 60 min)."""

	def setUp(self):
		super().setUp()
		self.tier = make_tier(
			"SC Terms Wall Tier",
			targets=[("P1", "Action Start", "Wall Clock", 3600)],
			maintenance_max_minutes=30,
		)
		self.customer = make_customer("SC Terms Customer")
		self.contract = make_contract(self.customer, self.tier)

	def test_a_window_inside_the_hour_moves_the_due_time_by_its_length(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 19))
		doc = make_issue(self.customer, at(2026, 11, 23, 19), "P1")
		self.assertEqual(str(doc.sc_action_start_due), "2026-11-23 20:00:00")
		frappe.get_doc(
			{
				"doctype": "Maintenance Window",
				"support_contract": self.contract,
				"start": "2026-11-23 19:30:00",
				"end": "2026-11-23 19:50:00",
				"description": "Kernel update",
			}
		).insert()
		self.assertEqual(
			str(frappe.db.get_value("Issue", doc.name, "sc_action_start_due")), "2026-11-23 20:20:00"
		)


class TestTraining(SCTestCase):
	"""docs/rules.md E7: an agreement starts after a completed training, where the tier requires one."""

	def test_without_the_date_or_with_a_later_one_the_contract_is_refused_and_not_stored(self):
		tier = make_tier("SC Terms Training Tier", requires_training=1)
		customer = make_customer("SC Terms Customer")
		with self.assertRaisesRegex(frappe.ValidationError, "Training Completed On"):
			make_contract(customer, tier)
		with self.assertRaisesRegex(frappe.ValidationError, "Training Completed On.*after the start date"):
			make_contract(customer, tier, training_completed_on="2026-01-02")
		self.assertFalse(frappe.db.exists("Support Contract", {"customer": customer}))
		self.assertTrue(make_contract(customer, tier, training_completed_on="2025-12-15"))


class TestWhoMayTakeTheTermsActions(SCTestCase):
	"""docs/permissions.md: escalating and recording a sign-off need write permission on the Issue; a
	contact signs off only their own customer's fixes; nothing is recorded for anyone else."""

	def setUp(self):
		super().setUp()
		self.tier = make_tier("SC Terms Tier", requires_client_signoff=1, signoff_timeout=3600)
		self.customer = make_customer("SC Terms Customer")
		make_contract(self.customer, self.tier)
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		self.issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		self.issue.status = "Resolved"
		self.issue.save()
		self.stranger = make_user("sc-terms-stranger@example.com", "Customer")
		frappe.db.set_value("User", self.stranger, "user_type", "Website User")
		other = make_customer("SC Terms Other Customer")
		contact = make_contact(other, "Otto", self.stranger)
		frappe.db.set_value("Contact", contact, "user", self.stranger)

	def test_no_escalation_or_sign_off_without_the_right(self):
		from support_contracts.adapters import portal

		before = ledger(self.issue.name)
		frappe.set_user(self.stranger)
		try:
			with self.assertRaises(frappe.PermissionError):
				issue_adapter.escalate(self.issue.name, "I want it faster")
			with self.assertRaises(frappe.PermissionError):
				issue_adapter.record_signoff(self.issue.name, 1)
			with self.assertRaises(frappe.DoesNotExistError):  # another customer's ticket: as if none
				portal.sign_off(self.issue.name, approved=1)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(ledger(self.issue.name), before)
		self.assertEqual(
			frappe.db.get_value("Issue", self.issue.name, "sc_signoff_state"), "Awaiting Sign-off"
		)
