"""The scheduled enforcement in a real site: warning, breach and escalation exactly once — also when two
workers run the job at the same moment."""

import threading
import time

import frappe
from frappe.tests.utils import FrappeTestCase

from support_contracts.adapters import enforcement
from support_contracts.adapters.issue import ALERT, alert_state
from support_contracts.adapters.times import naive
from support_contracts.tests.factories import SCTestCase, make_contract, make_customer, make_issue, make_tier
from support_contracts.tests.test_issue_sla import at


def transitions(issue):
	return frappe.get_all(
		"SLA Transition", filters={"issue": issue}, order_by="creation asc", pluck="transition"
	)


class TestEnforcement(SCTestCase):
	def setUp(self):
		super().setUp()
		self.tier = make_tier(
			"SC Test Enforce Tier",
			targets=[("P1", "Action Start", "Business Time", 3600)],
			manager_escalation_after=4 * 3600,
		)
		self.customer = make_customer("SC Test Enforce Customer")
		make_contract(self.customer, self.tier)
		if not frappe.db.exists("User", "sc-manager@example.com"):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": "sc-manager@example.com",
					"first_name": "Maja",
					"send_welcome_email": 0,
				}
			)
			user.insert(ignore_permissions=True)
			user.add_roles("Support Manager")

	def run_at(self, t):
		frappe.flags.current_time = naive(t)
		return enforcement.enforce()

	def test_warning_breach_and_escalation_happen_once_each(self):
		# P1, 1 business hour from Mon 23 Nov 09:00: warning at 75 % = 09:45, breach 10:00, manager 14:00.
		# Each run is checked on this test's own Issue (the site may hold other overdue Issues).
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1").name
		steps = (
			(at(2026, 11, 23, 9, 40), []),
			(at(2026, 11, 23, 9, 50), ["Warning"]),
			(at(2026, 11, 23, 9, 55), ["Warning"]),  # nothing twice
			(at(2026, 11, 23, 10, 5), ["Warning", "Breached"]),
			(at(2026, 11, 23, 13), ["Warning", "Breached"]),
			(at(2026, 11, 23, 14, 5), ["Warning", "Breached", "Escalated to Manager"]),
			(at(2026, 11, 24, 9), ["Warning", "Breached", "Escalated to Manager"]),
		)
		for t, expected in steps:
			self.run_at(t)
			self.assertEqual(transitions(issue), expected, t)
			if t == at(2026, 11, 23, 9, 50):
				self.assertEqual(frappe.db.get_value("Issue", issue, "sc_sla_status"), "Due Soon")
			if t == at(2026, 11, 23, 10, 5):
				values = frappe.db.get_value(
					"Issue",
					issue,
					["sc_sla_status", "sc_escalation_level", "sc_manager_escalation_at"],
					as_dict=True,
				)
				self.assertEqual((values.sc_sla_status, values.sc_escalation_level), ("Breached", "Level 3"))
				self.assertEqual(values.sc_manager_escalation_at, naive(at(2026, 11, 23, 14)))
		self.assertEqual(frappe.db.get_value("Issue", issue, "sc_escalation_level"), "Support Manager")
		notes = frappe.get_all("Notification Log", filters={"document_name": issue}, pluck="for_user")
		self.assertEqual(notes.count("Administrator"), 2)  # the owner: warning and breach
		self.assertIn("sc-manager@example.com", notes)

	def test_each_assignee_is_told_with_the_subject_escaped(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		subject = "Printer <b>down</b> & 'out'"
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1", subject=subject).name
		users = ["sc-manager@example.com", "Administrator"]
		frappe.db.set_value("Issue", issue, "_assign", frappe.as_json(users), update_modified=False)
		self.run_at(at(2026, 11, 23, 10, 5))
		notes = frappe.get_all(
			"Notification Log",
			filters={"document_name": issue, "subject": ("like", "SLA breached%")},
			fields=["for_user", "subject", "type", "document_type"],
			order_by="for_user asc",
		)
		stored = frappe.db.get_value("Issue", issue, "subject")  # as Frappe sanitised it on save
		self.assertIn("<b>down</b>", stored)
		expected = (
			f"SLA breached on {issue} (due 2026-11-23 10:00:00): escalated to Level 3: "
			+ frappe.utils.escape_html(stored)
		)
		self.assertEqual(
			[(n.for_user, n.subject, n.type, n.document_type) for n in notes],
			[(u, expected, "Alert", "Issue") for u in sorted(users)],
		)
		breach = frappe.get_all(
			"SLA Transition",
			filters={"issue": issue, "transition": "Breached"},
			fields=["name", "notified", "due", "escalation_level"],
		)
		self.assertEqual(
			[(b.name, b.notified, b.due, b.escalation_level) for b in breach],
			[
				(
					f"{issue}|Breached|20261123T100000",
					"Administrator, sc-manager@example.com",
					naive(at(2026, 11, 23, 10)),
					"Level 3",
				)
			],
		)
		self.run_at(at(2026, 11, 23, 10, 10))  # nothing twice
		self.assertEqual(
			frappe.db.count("Notification Log", {"document_name": issue}), 2
		)  # no warning: past it

	def test_a_customers_own_ticket_breaching_unassigned_tells_no_customer(self):
		# nobody assigned: the owner is told — but a website user's (a contact's portal ticket) is not staff
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		contact = "sc-enforce-contact@example.com"
		if not frappe.db.exists("User", contact):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": contact,
					"first_name": "Kund",
					"user_type": "Website User",
					"send_welcome_email": 0,
				}
			).insert(ignore_permissions=True)
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1").name
		frappe.db.set_value("Issue", issue, "owner", contact, update_modified=False)
		self.run_at(at(2026, 11, 23, 10, 5))
		self.assertEqual(frappe.db.get_value("Issue", issue, "sc_sla_status"), "Breached")
		self.assertFalse(frappe.db.exists("Notification Log", {"document_name": issue, "for_user": contact}))
		notified = frappe.db.get_value(
			"SLA Transition", {"issue": issue, "transition": "Breached"}, "notified"
		)
		self.assertIsNone(notified)

	def test_a_storm_tells_each_user_once_with_the_count_and_records_every_breach(self):
		# more Issues than enforcement.DIGEST_OVER breach in one run: their owner gets one notification with
		# the count and a link to the list, none per Issue; every Issue still has its SLA Transition
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		storm = [
			make_issue(self.customer, at(2026, 11, 23, 9), "P1", subject=f"Outage {i}").name
			for i in range(enforcement.DIGEST_OVER + 1)
		]
		before = frappe.db.count(
			"Notification Log", {"for_user": "Administrator", "document_name": ("is", "not set")}
		)
		self.run_at(at(2026, 11, 23, 10, 5))
		self.assertEqual([transitions(i) for i in storm], [["Breached"]] * len(storm))
		self.assertEqual(frappe.db.count("Notification Log", {"document_name": ("in", storm)}), 0)
		digests = frappe.get_all(
			"Notification Log",
			filters={"for_user": "Administrator", "document_name": ("is", "not set")},
			fields=["subject", "link", "document_type"],
			order_by="creation desc",
		)
		self.assertEqual(len(digests), before + 1)
		told = digests[0]
		self.assertRegex(told.subject, r"^Breached: \d+ Issues at once$")
		self.assertGreaterEqual(int(told.subject.split()[1]), len(storm))
		# the Issues still breached: Breached is the alert state stored as 2 (0 none, 1 Warning)
		self.assertEqual((told.link, told.document_type), ("/app/issue?sc_alert_rank=2", "Issue"))
		self.run_at(at(2026, 11, 23, 10, 10))  # nothing twice
		self.assertEqual(
			frappe.db.count(
				"Notification Log", {"for_user": "Administrator", "document_name": ("is", "not set")}
			),
			before + 1,
		)

	def test_the_statuses_enforcement_moves_between_are_saved_ones_of_one_length(self):
		# the breach step rewrites each row in place only while the status keeps its length (README)
		from support_contracts.adapters.issue import STATUS_LABEL
		from support_contracts.engine import sla
		from support_contracts.engine.escalation import TRANSITIONS

		moved_to = {t.sla_status for t in TRANSITIONS if t.sla_status}
		self.assertEqual(moved_to, {"Due Soon", "Breached"})
		self.assertLessEqual(moved_to, set(STATUS_LABEL.values()))
		lengths = {len(STATUS_LABEL[s].encode()) for s in (sla.ON_TRACK, sla.WARNING, sla.BREACHED)}
		self.assertEqual(lengths, {8})

	def test_the_next_instant_follows_the_state_and_clears_when_resolved(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		next_at = lambda: str(frappe.db.get_value("Issue", issue.name, "sc_enforce_at"))  # noqa: E731
		self.assertEqual(next_at(), "2026-11-23 09:45:00")  # the warning, at 75 % of the hour
		self.run_at(at(2026, 11, 23, 9, 50))
		self.assertEqual(next_at(), "2026-11-23 10:00:00")  # warned: the breach is next
		self.run_at(at(2026, 11, 23, 10, 5))
		self.assertEqual(next_at(), "2026-11-23 14:00:00")  # breached: the manager, 4 h later
		issue.reload()
		issue.status = "Resolved"
		issue.save()
		self.assertEqual(next_at(), "None")

	def test_a_save_keeps_the_manager_escalation_instant_with_the_breach(self):
		# P1 from Mon 09:00: breach 10:00, the manager 4 h later — known at the save, before any run
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		self.assertEqual(
			frappe.db.get_value("Issue", issue.name, ["sc_breach_at", "sc_manager_escalation_at"]),
			(naive(at(2026, 11, 23, 10)), naive(at(2026, 11, 23, 14))),
		)

	def test_a_new_grace_re_times_the_breaches_not_yet_escalated(self):
		def instants(issue):
			rank, manager, following = frappe.db.get_value(
				"Issue", issue, [ALERT, "sc_manager_escalation_at", "sc_enforce_at"]
			)
			return alert_state(rank), manager, following

		frappe.flags.current_time = naive(at(2026, 11, 20, 9))
		escalated = make_issue(self.customer, at(2026, 11, 20, 9), "P1").name  # Fri: breach 10:00
		self.run_at(at(2026, 11, 20, 14, 5))
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		breached = make_issue(self.customer, at(2026, 11, 23, 9), "P1").name  # Mon: breach 10:00
		self.run_at(at(2026, 11, 23, 10, 5))
		frappe.flags.current_time = naive(at(2026, 11, 23, 10, 30))
		waiting = make_issue(self.customer, at(2026, 11, 23, 10, 30), "P1").name  # breach 11:30
		self.assertEqual(
			instants(waiting), ("", naive(at(2026, 11, 23, 15, 30)), naive(at(2026, 11, 23, 11, 15)))
		)

		tier = frappe.get_doc("Support Tier", self.tier)
		tier.manager_escalation_after = 2 * 3600
		tier.save()

		# the manager two hours after each breach; the next instant moves only where the manager is next
		self.assertEqual(
			instants(waiting), ("", naive(at(2026, 11, 23, 13, 30)), naive(at(2026, 11, 23, 11, 15)))
		)
		self.assertEqual(
			instants(breached), ("Breached", naive(at(2026, 11, 23, 12)), naive(at(2026, 11, 23, 12)))
		)
		self.assertEqual(
			instants(escalated), ("Escalated to Manager", naive(at(2026, 11, 20, 14)), None)
		)  # already told: left as it was
		self.run_at(at(2026, 11, 23, 12, 5))
		self.assertEqual(transitions(breached), ["Breached", "Escalated to Manager"])
		self.assertEqual(transitions(waiting), ["Breached"])
		self.assertEqual(transitions(escalated), ["Breached", "Escalated to Manager"])

	def test_issues_saved_before_the_instant_was_kept_get_it_once(self):
		from support_contracts.patches.v0_1 import manager_escalation_kept_by_saves

		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1").name
		frappe.db.set_value("Issue", issue, "sc_manager_escalation_at", None, update_modified=False)
		manager_escalation_kept_by_saves.execute()
		self.assertEqual(
			frappe.db.get_value("Issue", issue, "sc_manager_escalation_at"), naive(at(2026, 11, 23, 14))
		)

	def test_an_issue_closed_behind_the_hooks_back_leaves_the_scan(self):
		# ERPNext's auto-close writes the status straight to the table: the next run clears its instant
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1").name
		frappe.db.sql("update `tabIssue` set status = 'Closed' where name = %s", issue)
		self.run_at(at(2026, 11, 23, 10, 5))
		self.assertEqual(transitions(issue), [])
		self.assertIsNone(frappe.db.get_value("Issue", issue, "sc_enforce_at"))

	def test_paused_and_resolved_issues_are_left_alone(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		held = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		held.status = "On Hold"
		held.save()
		done = make_issue(self.customer, at(2026, 11, 23, 9), "P1", subject="Printer")
		done.status = "Resolved"
		done.save()
		self.run_at(at(2026, 11, 23, 12))
		self.assertEqual(transitions(held.name), [])
		self.assertEqual(transitions(done.name), [])


class TestConcurrentEnforcement(FrappeTestCase):
	"""Two workers at the same moment: the second skips the rows the first has locked, and once the
	first commits they no longer match. Needs committed data and two connections, so it cleans up."""

	def test_two_workers_at_once_record_one_breach(self):
		tier = make_tier("SC Test Race Tier", targets=[("P1", "Action Start", "Business Time", 3600)])
		customer = make_customer("SC Test Race Customer")
		make_contract(customer, tier)
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		issue = make_issue(customer, at(2026, 11, 23, 9), "P1").name
		frappe.flags.current_time = None
		frappe.db.commit()
		site = frappe.local.site
		results, errors = [], []
		original = enforcement._record

		def slow_record(*args, **kwargs):
			time.sleep(1.5)  # hold the row locks while the other worker runs
			return original(*args, **kwargs)

		def worker(delay):
			try:
				time.sleep(delay)
				frappe.init(site=site)
				frappe.connect()
				frappe.flags.current_time = naive(at(2026, 11, 23, 10, 30))
				results.append(enforcement.enforce([issue]))  # committed: leave the site's other Issues be
				frappe.db.commit()
			except Exception as e:
				errors.append(e)
			finally:
				frappe.destroy()

		enforcement._record = slow_record
		try:
			threads = [threading.Thread(target=worker, args=(d,)) for d in (0, 0.5)]
			for t in threads:
				t.start()
			for t in threads:
				t.join()
		finally:
			enforcement._record = original
			try:
				self.assertEqual(errors, [])
				self.assertEqual(len(results), 2)
				self.assertEqual(transitions(issue), ["Breached"])
				self.assertEqual(frappe.db.count("Notification Log", {"document_name": issue}), 1)
			finally:
				for doctype, filters in (
					("Notification Log", {"document_name": issue}),
					("SLA Transition", {"issue": issue}),
					("SLA Clock Event", {"issue": issue}),
					("Issue", {"name": issue}),
					("Support Contract", {"customer": customer}),
				):
					frappe.db.delete(doctype, filters)
				frappe.delete_doc("Support Tier", tier, force=True)
				frappe.db.commit()


class TestEnforcementIndexes(FrappeTestCase):
	"""The indexes the enforcement names in its statements exist after a migrate, also on a site that lost
	one (a statement that forces a missing index fails, and the run with it)."""

	def test_a_site_without_the_index_on_modified_gets_it_back(self):
		from support_contracts.setup.install import issue_index_columns as columns
		from support_contracts.setup.install import make_scan_indexes

		# DDL commits: this test makes no data of its own
		frappe.db.sql_ddl(f"alter table `tabIssue` drop index `{enforcement.MOVED_INDEX}`")
		try:
			self.assertEqual(columns(enforcement.MOVED_INDEX), [])
			# as migrate runs it (after_migrate): Frappe then makes the index without a Property Setter
			migrating, frappe.flags.in_migrate = frappe.flags.in_migrate, True
			try:
				make_scan_indexes()
			finally:
				frappe.flags.in_migrate = migrating
			self.assertEqual(columns(enforcement.MOVED_INDEX), ["modified"])
			self.assertEqual(columns(enforcement.SCAN_INDEX), list(enforcement.SCAN_COLUMNS))
			self.assertFalse(
				frappe.db.exists("Property Setter", {"doc_type": "Issue", "field_name": "modified"})
			)
		finally:  # the site as it was, whatever happened above
			frappe.db.sql_ddl(
				f"alter table `tabIssue` add index if not exists `{enforcement.MOVED_INDEX}` (modified)"
			)
