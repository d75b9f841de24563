"""Saves that race, in real threads with their own connections and transactions (issue 7): two agents
saving one Issue, five overlapping contracts, five overlapping activations. Needs committed data, so each
test removes what it made."""

import threading

import frappe
from frappe.tests.utils import FrappeTestCase

from support_contracts.adapters import firm
from support_contracts.adapters import issue as issue_adapter
from support_contracts.engine.sla import Clock
from support_contracts.support_contracts.doctype.jour_week.test_jour_week import make_week
from support_contracts.tests.factories import (
	delete_ticket_records,
	in_threads,
	make_contract,
	make_customer,
	make_employee,
	make_issue,
	make_pay_scheme,
	make_tier,
)


def ensure_series(series: str, year: str) -> None:
	"""The naming series' counter row, made beforehand: Frappe inserts it on the first document of a
	series and year, and five first documents at once deadlock on that insert — Frappe's own naming, not
	the rule under test."""
	frappe.db.sql(
		"insert ignore into `tabSeries` (name, current) values (%s, 0)", series.replace(".YYYY.", year)
	)


class RacingTestCase(FrappeTestCase):
	"""Committed data, removed by each test (``cleanup``: doctype and filters, removed last to first)."""

	def setUp(self):
		super().setUp()
		self.cleanup = []

	def tearDown(self):
		frappe.db.rollback()
		for doctype, filters in reversed(self.cleanup):
			for name in frappe.get_all(doctype, filters=filters, pluck="name"):
				if doctype == "Issue":  # its ledger first: a ticket with a clock is not deleted
					delete_ticket_records([name])
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()
		super().tearDown()

	def ledger_of(self, issue):
		# the ledger refuses deletion through documents (append-only): a test removes its rows directly
		self.cleanup.append(("Issue", {"name": issue}))

	def assert_one_made(self, results: list, refusal: str) -> None:
		"""Of what racing threads returned, one document made (its name) and every other refused, the
		first refusal saying ``refusal``."""
		made = [r for r in results if isinstance(r, str)]
		refused = [r for r in results if isinstance(r, frappe.ValidationError)]
		self.assertEqual((len(made), len(refused)), (1, len(results) - 1), results)
		self.assertIn(refusal, str(refused[0]))

	def governed_issue(self, customer, tier):
		issue = make_issue(customer, None, "P1", subject="Two agents at once").name
		self.ledger_of(issue)
		return issue


class TestRacingSaves(RacingTestCase):
	def test_two_agents_saving_one_issue_keep_its_ledger_whole(self):
		# A resolves while B, whose transaction began before A committed, puts the Issue on hold. B waits
		# for A's row lock; its ledger read must see A's "resolved" (else: created, resolved, paused — and
		# the Issue could never be saved again).
		tier = make_tier("SC Test Race Save Tier", targets=[("P1", "Resolution", "Business Time", 8 * 3600)])
		customer = make_customer("SC Test Race Save Customer")
		self.cleanup += [
			("Support Calendar", {"name": "SC Test Office"}),
			("Support Tier", {"name": tier}),
			("Support Contract", {"customer": customer}),
		]
		make_contract(customer, tier)
		issues = [self.governed_issue(customer, tier) for _ in range(3)]
		frappe.db.commit()
		locked = threading.Event()

		def save(i, name):
			if i == 0:  # A: lock, hold the lock a moment, resolve
				doc = frappe.get_doc("Issue", name, for_update=True)
				locked.set()
				threading.Event().wait(1.0)
				doc.status = "Resolved"
			else:  # B: its snapshot begins now, then it waits for A's lock (as a REST PUT does)
				locked.wait(10)
				frappe.db.sql("select name from `tabSLA Clock Event` where issue = %s", name)
				doc = frappe.get_doc("Issue", name, for_update=True)
				doc.status = "On Hold"
			doc.save()
			return doc.status

		for name in issues:
			locked.clear()
			results = in_threads(lambda i, name=name: save(i, name), 2)
			frappe.db.rollback()  # this thread's next reads see what the two committed
			self.assertEqual(results, ["Resolved", "On Hold"])
			events = [e.kind for e in issue_adapter.stored_events(name)]
			self.assertEqual(events, ["created", "resolved", "reopened", "paused"])
			clock = Clock(firm.policy(tier))
			for e in issue_adapter.stored_events(name):
				clock.add(e)  # the ledger replays
			doc = frappe.get_doc("Issue", name)
			doc.status = "Closed"
			doc.save()  # and the Issue stays saveable
			frappe.db.commit()
			self.assertEqual(frappe.db.get_value("Issue", name, "sc_sla_status"), "Met")
			frappe.db.commit()

	def test_five_overlapping_contracts_at_once_make_one(self):
		tier = make_tier("SC Test Race Contract Tier")
		customer = make_customer("SC Test Race Contract Customer")
		self.cleanup += [
			("Support Calendar", {"name": "SC Test Office"}),
			("Support Tier", {"name": tier}),
			("Support Contract", {"customer": customer}),
		]
		ensure_series("SC-.YYYY.-", "2026")
		frappe.db.commit()
		results = in_threads(lambda i: make_contract(customer, tier, start=f"2026-0{i + 1}-01"), 5)
		self.assert_one_made(results, "contracts may not overlap")
		self.assertEqual(frappe.db.count("Support Contract", {"customer": customer, "status": "Active"}), 1)

	def test_five_overlapping_activations_at_once_make_one(self):
		scheme = make_pay_scheme("SC Test Race Jour")
		employee = make_employee("Racer")
		self.cleanup += [
			("Jour Pay Scheme", {"name": scheme}),
			("Employee", {"name": employee}),
			("Jour Week", {"employee": employee}),
			("Jour Activation", {"employee": employee}),
		]
		make_week(employee, 47, scheme)
		ensure_series("JA-.YYYY.-", "2026")
		frappe.db.commit()

		def activate(i):
			return (
				frappe.get_doc(
					{
						"doctype": "Jour Activation",
						"employee": employee,
						"from_time": f"2026-11-18 {19 + i}:00:00",
						"to_time": "2026-11-19 01:00:00",
					}
				)
				.insert()
				.name
			)

		results = in_threads(activate, 5)
		self.assert_one_made(results, "overlaps")
		self.assertEqual(frappe.db.count("Jour Activation", {"employee": employee}), 1)


class TestRacingContractTerms(RacingTestCase):
	"""The contract terms' own races (issue 14, found by an adversarial pass): two maintenance windows
	for one quarter at once, two escalations of one Issue at once."""

	def test_two_windows_for_one_quarter_at_once_make_one(self):
		tier = make_tier("SC Test Race Window Tier")
		customer = make_customer("SC Test Race Window Customer")
		contract = make_contract(customer, tier)
		self.cleanup += [
			("Support Calendar", {"name": "SC Test Office"}),
			("Support Tier", {"name": tier}),
			("Support Contract", {"customer": customer}),
			("Maintenance Window", {"support_contract": contract}),
		]
		ensure_series("MW-.YYYY.-", "2026")
		frappe.db.commit()

		def plan(i):
			# Tuesday and Wednesday evening, 13 and 14 April 2027: both in Q2 2027, outside 08–17
			day = 13 + i
			return (
				frappe.get_doc(
					{
						"doctype": "Maintenance Window",
						"support_contract": contract,
						"start": f"2027-04-{day} 20:00:00",
						"end": f"2027-04-{day} 20:20:00",
						"description": f"Upgrade {i}",
					}
				)
				.insert()
				.name
			)

		results = in_threads(plan, 2)
		self.assert_one_made(results, "Q2 2027 already has 1")
		self.assertEqual(frappe.db.count("Maintenance Window", {"support_contract": contract}), 1)

	def test_two_escalations_at_once_raise_the_level_twice(self):
		from support_contracts.tests.test_contract_terms import make_team, make_user

		self.cleanup.append(("User", {"name": ("like", "sc-race-l%@example.com")}))  # removed last
		users = [make_user(f"sc-race-l{n}@example.com", "Support Agent") for n in (1, 2, 3)]
		teams = [make_team(f"SC Race L{n}", u) for n, u in zip((1, 2, 3), users, strict=True)]
		tier = make_tier(
			"SC Test Race Level Tier",
			first_level="Level 1",
			support_teams=[{"level": f"Level {n}", "team": t} for n, t in zip((1, 2, 3), teams, strict=True)],
		)
		customer = make_customer("SC Test Race Level Customer")
		make_contract(customer, tier)
		issue = make_issue(customer, None, "P3", subject="Escalated twice at once").name
		self.ledger_of(issue)
		self.cleanup += [
			("Support Calendar", {"name": "SC Test Office"}),
			("Support Tier", {"name": tier}),
			("Support Contract", {"customer": customer}),
			("User Group", {"name": ("like", "SC Race L%")}),
			("ToDo", {"reference_name": issue}),
			("Comment", {"reference_name": issue}),
		]
		frappe.db.commit()
		results = in_threads(lambda i: issue_adapter.escalate(issue, f"agent {i} sees it spread"), 2)
		self.assertEqual(sorted(results), ["Level 2", "Level 3"], results)
		notes = frappe.get_all(
			"SLA Clock Event",
			filters={"issue": issue, "event": "escalated"},
			pluck="note",
			order_by="creation",
		)
		self.assertEqual([n.split(":")[0] for n in notes], ["Level 1 → Level 2", "Level 2 → Level 3"])
		self.assertEqual(frappe.db.get_value("Issue", issue, "sc_escalation_level"), "Level 3")
