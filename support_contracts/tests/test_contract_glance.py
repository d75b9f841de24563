"""A contract at a glance (issue 31): the Support Contract form's Connections — its Issues, Maintenance
Windows and Incident Fees, its Sales Invoices and hour-bank ledger, counted for those who may read them —
and its top line: the hour bank left this period, from the ledger, and the term's end (docs/rules.md B2,
B4). Every figure below is worked out by hand from the work the test logs."""

import datetime as dt

import frappe
from frappe.desk.form.load import getdoc
from frappe.desk.notifications import get_open_count
from frappe.utils import fmt_money, formatdate

from support_contracts.adapters import billing
from support_contracts.adapters.times import naive
from support_contracts.tests.factories import (
	SCTestCase,
	log_work,
	make_calendar,
	make_contract,
	make_customer,
	make_issue,
	make_tier,
)
from support_contracts.tests.test_issue_sla import at

AGENT = "sc-glance-agent@example.com"


def company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]


def hours(h: float) -> str:
	"""Hours to two decimals in the site's number format ("6.50", "6,50")."""
	return fmt_money(h, precision=2)


class GlanceCase(SCTestCase):
	def setUp(self):
		super().setUp()
		# a 10 h bank a quarter, unused hours expiring; 12-month terms, no renewal of its own
		self.tier = make_tier(
			"SC Glance Tier",
			calendar=make_calendar("SC Glance Office"),
			hour_bank_hours=10,
			hour_bank_period="Quarter",
			maintenance_per_quarter=1,
			maintenance_max_minutes=60,
			has_incident_model=1,
			incident_fee=1750,
		)

	def now(self, *args):
		frappe.flags.current_time = naive(at(*args))

	def contract(self, customer: str, **kw) -> str:
		return make_contract(make_customer(customer), self.tier, **kw)

	def remote_work(self, contract: str, start: dt.datetime, minutes: int) -> str:
		"""An Issue of the contract's customer opened at ``start`` and ``minutes`` of remote work on it from
		then, on a submitted Timesheet; returns the Issue."""
		customer = frappe.db.get_value("Support Contract", contract, "customer")
		self.now(start.year, start.month, start.day, start.hour, start.minute)
		issue = make_issue(customer, start, "P3", subject="Printer queue stuck").name
		log_work(issue, start, minutes)
		return issue

	def bill_june(self, contract: str) -> str:
		"""The invoicing run's June invoice (June's fee in advance, May's work): its name."""
		self.now(2026, 6, 1, 6)
		out = billing.bill_contract(contract, 2026, 6, company=company(), posting_date="2026-06-01")
		self.assertEqual(out["outcome"], billing.INVOICED, out)
		return out["sales_invoice"]

	def glance(self, contract: str) -> dict:
		doc = frappe.get_doc("Support Contract", contract)
		doc.run_method("onload")
		return doc.get_onload()["glance"]


class TestHourBankLine(GlanceCase):
	def test_a_10_h_bank_with_3_5_h_billed_has_6_50_h_left_in_green(self):
		"""3 h 30 min of remote work on Monday 11 May 2026 (09:00–12:30, business hours), billed on June's
		invoice, draw Q2's bank: 10 h − 3.5 h = 6.5 h left, more than a quarter of 10 h."""
		contract = self.contract("SC Glance Green")
		self.remote_work(contract, at(2026, 5, 11, 9), 210)
		self.bill_june(contract)
		self.now(2026, 6, 15, 12)
		line = self.glance(contract)["hour_bank"]
		self.assertEqual(
			(line["period"], line["left_minutes"], line["allotted_minutes"]), ("Q2 2026", 390, 600)
		)
		self.assertEqual(line["text"], f"Hour bank Q2 2026: {hours(6.5)} h of {hours(10)} h left")
		self.assertEqual(line["color"], "green")
		self.assertTrue(line["invoiced"])

	def test_before_the_periods_first_invoice_the_whole_allocation_is_left_and_said_so(self):
		"""On 11 May nothing of Q2 is invoiced yet (May's work is billed in June): the ledger has no Q2 row,
		so the line tells the 10 h the period opens with — that nothing was invoiced, and the 3.5 h logged."""
		contract = self.contract("SC Glance Not Yet")
		self.remote_work(contract, at(2026, 5, 11, 9), 210)
		self.now(2026, 5, 11, 14)
		line = self.glance(contract)["hour_bank"]
		self.assertEqual(
			(line["left_minutes"], line["allotted_minutes"], line["invoiced"]), (600, 600, False)
		)
		self.assertEqual(
			line["text"],
			f"Hour bank Q2 2026: {hours(10)} h of {hours(10)} h left (nothing invoiced yet); "
			f"{hours(3.5)} h logged, not yet invoiced",
		)
		self.assertEqual(line["logged_minutes"], 210)  # the work the next run bills (docs/rules.md F2)
		self.assertEqual(line["color"], "green")

	def test_less_than_a_quarter_left_is_orange_and_nothing_left_is_red(self):
		"""9 h used of 10 h: 1 h left, less than a quarter (2.5 h) — orange. 12 h of work: the bank gives
		its 10 h and the other 2 h are billed — 0 h left, red."""
		orange = self.contract("SC Glance Orange")
		self.remote_work(orange, at(2026, 5, 11, 8), 9 * 60)  # 08:00–17:00
		self.bill_june(orange)
		red = self.contract("SC Glance Red")
		self.remote_work(red, at(2026, 5, 11, 8), 6 * 60)
		self.remote_work(red, at(2026, 5, 12, 8), 6 * 60)
		self.bill_june(red)
		self.now(2026, 6, 15, 12)
		line = self.glance(orange)["hour_bank"]
		self.assertEqual((line["left_minutes"], line["color"]), (60, "orange"))
		self.assertEqual(line["text"], f"Hour bank Q2 2026: {hours(1)} h of {hours(10)} h left")
		line = self.glance(red)["hour_bank"]
		self.assertEqual((line["left_minutes"], line["color"]), (0, "red"))
		self.assertEqual(line["text"], f"Hour bank Q2 2026: {hours(0)} h of {hours(10)} h left")

	def test_no_line_without_a_bank_or_outside_the_contract(self):
		no_bank = make_tier("SC Glance No Bank", calendar=make_calendar("SC Glance Office"))
		contract = make_contract(make_customer("SC Glance No Bank"), no_bank)
		ended = self.contract("SC Glance Ended", end="2026-03-31")
		self.now(2026, 6, 15, 12)
		self.assertIsNone(self.glance(contract)["hour_bank"])
		self.assertIsNone(self.glance(ended)["hour_bank"])


class TestTermLine(GlanceCase):
	def test_a_fixed_term_ends_on_its_end_date(self):
		"""From 1 January to 30 September 2026, no renewal: on 15 June the term ends 30 September (before
		the 12-month term's 31 December)."""
		contract = self.contract("SC Glance Fixed", end="2026-09-30")
		self.now(2026, 6, 15, 12)
		line = self.glance(contract)["term"]
		self.assertEqual(line["end"], dt.date(2026, 9, 30))
		self.assertEqual(line["text"], f"Term ends {formatdate('2026-09-30')}")
		self.assertEqual(line["color"], "blue")

	def test_a_renewing_contract_ends_its_current_term(self):
		"""From 15 March 2025, renewed automatically each 12 months: the terms run 15 Mar 2025 – 14 Mar 2026,
		15 Mar 2026 – 14 Mar 2027; on 15 June 2026 the current one ends 14 March 2027."""
		contract = self.contract("SC Glance Renewing", start="2025-03-15", renewal="Automatic")
		self.now(2026, 6, 15, 12)
		line = self.glance(contract)["term"]
		self.assertEqual(line["end"], dt.date(2027, 3, 14))
		self.assertEqual(line["text"], f"Term ends {formatdate('2027-03-14')} (renews automatically)")
		# the tier's renewal where the contract names none
		frappe.db.set_value("Support Tier", self.tier, "renewal", "Manual")
		frappe.clear_document_cache("Support Tier", self.tier)
		plain = self.contract("SC Glance Tier Renewal", start="2026-02-01")
		line = self.glance(plain)["term"]
		self.assertEqual(line["text"], f"Term ends {formatdate('2027-01-31')} (manual renewal)")

	def test_an_ended_contract_and_one_without_term_or_end(self):
		ended = self.contract("SC Glance Ended", end="2026-03-31")
		no_term = make_tier("SC Glance No Term", calendar=make_calendar("SC Glance Office"), term_months=0)
		open_ended = make_contract(make_customer("SC Glance Open"), no_term)
		self.now(2026, 6, 15, 12)
		line = self.glance(ended)["term"]
		self.assertEqual((line["text"], line["color"]), (f"Ended {formatdate('2026-03-31')}", "gray"))
		line = self.glance(open_ended)["term"]
		self.assertEqual((line["text"], line["end"]), ("No end date", None))


class TestConnections(GlanceCase):
	def setUp(self):
		super().setUp()
		try:
			self.connect()
		except BaseException:
			self.tearDown()  # unittest skips it when setUp fails: the savepoint is rolled back here
			raise

	def connect(self):
		self.name = self.contract("SC Glance Connected")
		self.first = self.remote_work(self.name, at(2026, 5, 11, 9), 210)
		self.remote_work(self.name, at(2026, 5, 12, 9), 30)
		self.now(2026, 5, 12, 11)
		# a call-in on the first Issue after its work was done: it covers none of it (A6), the bank bears all
		frappe.get_doc(
			{
				"doctype": "Incident Fee",
				"issue": self.first,
				"customer": "SC Glance Connected",
				"support_contract": self.name,
				"called_at": "2026-05-12 10:00:00",
				"fee": 1750,
				"currency": "SEK",
			}
		).insert()
		for start, end in (
			("2026-05-20 06:00:00", "2026-05-20 06:30:00"),
			("2026-07-08 06:00:00", "2026-07-08 06:30:00"),
		):
			frappe.get_doc(
				{"doctype": "Maintenance Window", "support_contract": self.name, "start": start, "end": end}
			).insert()
		self.invoice = self.bill_june(self.name)
		# another customer's contract and Issue, counted for neither
		other = self.contract("SC Glance Other")
		self.remote_work(other, at(2026, 5, 13, 9), 60)
		self.now(2026, 6, 15, 12)

	def counts(self, **kw) -> dict[str, int]:
		try:
			found = get_open_count("Support Contract", self.name, **kw)["count"]["external_links_found"]
		finally:
			# Frappe gives its count queries 1 s each by setting the session's statement time, which a
			# request would reset: this process is no request, and every later test would keep it
			frappe.db.set_execution_timeout(0)
		return {d["doctype"]: d["count"] for d in found}

	def test_the_five_doctypes_by_their_links_and_counted(self):
		data = frappe.get_meta("Support Contract").get_dashboard_data()
		self.assertEqual(data.fieldname, "support_contract")
		self.assertEqual(data.non_standard_fieldnames["Issue"], "sc_support_contract")
		self.assertEqual(data.non_standard_fieldnames["Sales Invoice"], "sc_support_contract")
		self.assertEqual(
			[(g["label"], g["items"]) for g in data.transactions],
			[
				("Support", ["Issue", "Maintenance Window", "Incident Fee"]),
				("Billing", ["Sales Invoice", "Hour Bank Ledger Entry"]),
			],
		)
		# 2 Issues, 2 windows, 1 fee, June's invoice, and Q2's ledger: its allocation and 2 consumptions
		self.assertEqual(
			self.counts(),
			{
				"Issue": 2,
				"Maintenance Window": 2,
				"Incident Fee": 1,
				"Sales Invoice": 1,
				"Hour Bank Ledger Entry": 3,
			},
		)

	def test_an_agent_opens_the_form_and_sees_no_invoice_or_ledger_counts(self):
		"""A Support Agent reads contracts, Issues, windows and fees but not Sales Invoices or the ledger
		(docs/permissions.md): the form loads, the Billing group is left out of what the form counts, and
		the top line carries hours and dates, no money."""
		agent = self.agent()
		frappe.set_user(agent)
		try:
			getdoc("Support Contract", self.name)
			doc = frappe.response.docs[0]
			glance = doc.get("__onload")["glance"]
			self.assertEqual(glance["hour_bank"]["left_minutes"], 600 - 240)
			self.assertNotIn(str(self.invoice), frappe.as_json(glance))
			# what the form counts: the connections the user may read (Frappe's form dashboard drops the
			# others before it asks, frappe.model.can_read)
			meta = frappe.get_meta("Support Contract").get_dashboard_data()
			items = [d for g in meta.transactions for d in g["items"] if frappe.has_permission(d, "read")]
			self.assertEqual(items, ["Issue", "Maintenance Window", "Incident Fee"])
			self.assertEqual(
				self.counts(items=items), {"Issue": 2, "Maintenance Window": 2, "Incident Fee": 1}
			)
		finally:
			frappe.set_user("Administrator")

	def agent(self) -> str:
		if not frappe.db.exists("User", AGENT):
			frappe.get_doc(
				{"doctype": "User", "email": AGENT, "first_name": "Glance Agent", "send_welcome_email": 0}
			).insert(ignore_permissions=True)
		frappe.get_doc("User", AGENT).add_roles("Support Agent")
		return AGENT
