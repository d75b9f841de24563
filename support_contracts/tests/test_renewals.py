"""Renewals that index prices (docs/rules.md F3, issue 33), worked by hand: a contract from 1 January 2026 on
a tier of 12-month terms renewing automatically (850 an hour, 8,000 a month), its prices following an
index of 400.00 in October 2025 and 411.00 in October 2026 (+2.75 %), capped at 5 %, rounded to the öre.
It renews on 1 January 2027 at 873.38 an hour (850 × 1.0275 = 873.375, half up) and 8,220.00 a month,
recorded once with the values compared; December's work is billed at 850, January's at 873.38, January's
fee at 8,220. Sixty days before the term ends its caller and account manager are told, once."""

from decimal import Decimal

import frappe
from frappe.tests.test_api import FrappeAPITestCase
from frappe.utils import add_months, getdate

from support_contracts.adapters import billing, renewals
from support_contracts.adapters.times import naive
from support_contracts.tests.factories import (
	SCTestCase,
	company,
	in_threads,
	log_work,
	make_api_user,
	make_calendar,
	make_contact,
	make_contract,
	make_customer,
	make_issue,
	make_portal_contact,
	make_tier,
)
from support_contracts.tests.test_issue_sla import at

D = Decimal
CHANGE = "Support Contract Price Change"
CALLER = "sc-renewal-caller@example.com"
MANAGER = "sc-renewal-manager@example.com"


def make_index(name: str, values: dict[str, str], frequency: str = "Monthly") -> str:
	if frappe.db.exists("Price Index", name):
		frappe.delete_doc("Price Index", name, force=True)
	return (
		frappe.get_doc(
			{
				"doctype": "Price Index",
				"index_name": name,
				"frequency": frequency,
				"values": [{"period": p, "value": v} for p, v in values.items()],
			}
		)
		.insert()
		.name
	)


class RenewalCase(SCTestCase):
	def setUp(self):
		super().setUp()
		self.index = make_index("SC KPI", {"2025-10": "400.00", "2026-10": "411.00"})
		self.tier = make_tier(
			"SC Renewal Tier",
			calendar=make_calendar("SC Renewal Office"),
			term_months=12,
			renewal="Automatic",
		)
		self.customer = make_customer("SC Renewal Customer")
		if not frappe.db.exists("User", MANAGER):
			frappe.get_doc(
				{"doctype": "User", "email": MANAGER, "first_name": "Manager", "send_welcome_email": 0}
			).insert(ignore_permissions=True)
		frappe.db.set_value("Customer", self.customer, "account_manager", MANAGER)
		contact = make_contact(self.customer, "Rune", CALLER)
		self.contract = make_contract(
			self.customer,
			self.tier,
			authorised_callers=[{"contact": contact, "full_name": "Rune"}],
			price_index=self.index,
			index_base_period="2025-10",
			index_floor_percent="0",
			index_cap_percent="5",
			index_rounding="0.01",
		)

	def now(self, *args):
		frappe.flags.current_time = naive(at(*args))

	def changes(self) -> list:
		return frappe.get_all(
			CHANGE,
			filters={"support_contract": self.contract},
			fields=[
				"name",
				"valid_from",
				"then_period",
				"then_value",
				"now_period",
				"now_value",
				"applied_percent",
			],
		)

	def lines(self, change: str) -> dict:
		return {
			r.price: (D(str(r.old_price)), D(str(r.new_price)))
			for r in frappe.get_all(
				"Support Contract Price Change Line",
				filters={"parent": change},
				fields=["price", "old_price", "new_price"],
			)
		}

	def work(self, start, minutes=60):
		"""Remote work of ``minutes`` from ``start`` on a new Issue of the contract, submitted."""
		self.now(start.year, start.month, start.day, start.hour)
		issue = make_issue(self.customer, start, "P3", subject="Backup job").name
		log_work(issue, start, minutes)

	def bill(self, year, month) -> list[tuple]:
		self.now(year, month, 1, 6)
		out = billing.bill_contract(
			self.contract, year, month, company=company(), posting_date=f"{year}-{month:02d}-01"
		)
		self.assertEqual(out["outcome"], billing.INVOICED, out)
		si = frappe.get_doc("Sales Invoice", out["sales_invoice"])
		return sorted((i.item_code, D(str(i.rate))) for i in si.items)


class TestIndexedRenewal(RenewalCase):
	def test_the_renewal_indexes_the_prices_once_and_they_are_billed_from_its_day(self):
		self.now(2026, 12, 31, 23)
		self.assertEqual(renewals.renew_due(), [])  # the term has not ended
		self.now(2027, 1, 1, 6)
		made = renewals.renew_due()
		self.assertEqual(len(made), 1)
		self.assertEqual(renewals.renew_due(), [])  # once
		(change,) = self.changes()
		self.assertEqual(
			(
				str(change.valid_from),
				change.then_period,
				change.then_value,
				change.now_period,
				change.now_value,
			),
			("2027-01-01", "2025-10", 400.0, "2026-10", 411.0),
		)
		self.assertAlmostEqual(change.applied_percent, 2.75)
		self.assertEqual(
			self.lines(change.name),
			{"Monthly Fee": (D("8000"), D("8220")), "Hourly Rate": (D("850"), D("873.38"))},
		)
		# Monday 28 December at 850; Monday 4 January at 873.38; January's fee in advance at 8,220
		self.work(at(2026, 12, 28, 9))
		self.work(at(2027, 1, 4, 9))
		self.assertEqual(self.bill(2027, 1), [("SUPPORT-FEE", D("8220")), ("SUPPORT-REMOTE", D("850"))])
		self.assertEqual(self.bill(2027, 2), [("SUPPORT-FEE", D("8220")), ("SUPPORT-REMOTE", D("873.38"))])

	def test_a_renewal_whose_index_value_is_not_published_waits_and_says_so(self):
		self.now(2028, 1, 2, 6)  # 2027's renewal is indexed; 2028's needs October 2027, not published
		self.assertEqual([str(c.valid_from) for c in self.changes()], [])
		renewals.renew_due()
		self.assertEqual([str(c.valid_from) for c in self.changes()], ["2027-01-01"])
		self.now(2027, 12, 1, 12)
		nxt = renewals.next_term(frappe.get_doc("Support Contract", self.contract))
		self.assertEqual((str(nxt["renews_on"]), nxt["prices"]), ("2028-01-01", []))
		self.assertIn("index SC KPI: 2027-10", nxt["why"])
		# published: the next renewal starts from the indexed prices — 873.38 × 407 / 411 = 864.88 is held at
		# the floor of 0 %: 873.38
		index = frappe.get_doc("Price Index", self.index)
		index.import_values = "2027M10;407,00"
		index.save()
		self.now(2028, 1, 2, 6)
		renewals.renew_due()
		second = next(c for c in self.changes() if str(c.valid_from) == "2028-01-01")
		self.assertEqual(self.lines(second.name)["Hourly Rate"], (D("873.38"), D("873.38")))

	def test_monthly_terms_index_once_a_year_not_at_each_renewal(self):
		# terms of one month renew twelve times a year: only the first renewal after October 2026 has a new
		# October to compare — 1 November 2026, by the year's +2.75 % — and none after it, until October 2027
		frappe.db.set_value("Support Tier", self.tier, "term_months", 1)
		self.now(2027, 3, 2, 6)
		renewals.renew_due()
		changes = self.changes()
		self.assertEqual([str(c.valid_from) for c in changes], ["2026-11-01"])
		self.assertEqual(self.lines(changes[0].name)["Hourly Rate"], (D("850"), D("873.38")))

	def test_a_contract_that_does_not_renew_ends_and_is_not_indexed(self):
		frappe.db.set_value("Support Contract", self.contract, "renewal", "Manual")
		self.now(2026, 11, 1, 8)
		self.assertEqual(
			renewals.next_term(frappe.get_doc("Support Contract", self.contract)),
			{"ends_on": getdate("2026-12-31"), "by_hand": True},
		)
		self.now(2027, 1, 2, 6)
		renewals.renew_due()
		self.assertEqual(self.changes(), [])

	def test_the_term_end_is_told_sixty_days_ahead_once_with_the_new_prices(self):
		self.now(2026, 11, 1, 7)  # 2026-12-31 is 60 days away
		self.assertIn(self.contract, renewals.tell_term_end())  # (the site's other contracts may end too)
		self.assertNotIn(self.contract, renewals.tell_term_end())  # once
		queued = frappe.get_all(
			"Email Queue", filters={"reference_name": self.contract}, fields=["name", "message"]
		)
		recipients = sorted(
			r
			for q in queued
			for r in frappe.get_all("Email Queue Recipient", filters={"parent": q.name}, pluck="recipient")
		)
		self.assertEqual(recipients, [CALLER, MANAGER])
		self.assertIn("873", "".join(q.message for q in queued))  # 850 → 873.38 from 1 January
		self.now(2026, 11, 2, 7)
		self.assertNotIn(self.contract, renewals.tell_term_end())  # the day after is not 60 days ahead


class TestIndexInput(RenewalCase):
	def test_values_pasted_as_published_are_read_and_bad_ones_refused_naming_the_field(self):
		index = frappe.get_doc("Price Index", self.index)
		index.import_values = "2026M11;412,50\n2026-12\t413.1\n\n2026-10,411.20"
		index.save()
		values = {r.period: r.value for r in frappe.get_doc("Price Index", self.index).values}
		self.assertEqual(values, {"2025-10": 400.0, "2026-10": 411.2, "2026-11": 412.5, "2026-12": 413.1})
		for bad, says in (
			("2026-13;400", "2026-13"),
			("October;400", "Paste Values to Import"),
			("2027-01;abc", "abc"),
		):
			index = frappe.get_doc("Price Index", self.index)
			index.import_values = bad
			with self.assertRaisesRegex(frappe.ValidationError, says):
				index.save()
		for bad, says in (
			("2027M01;410\n2027-01;411", "pasted twice"),
			("2027-01;99999999999", "below"),
		):
			index = frappe.get_doc("Price Index", self.index)
			index.import_values = bad
			with self.assertRaisesRegex(frappe.ValidationError, says):
				index.save()
		index = frappe.get_doc("Price Index", self.index)
		index.append("values", {"period": " 2027-02 ", "value": 414})
		index.save()
		self.assertIn("2027-02", [r.period for r in frappe.get_doc("Price Index", self.index).values])
		yearly = frappe.get_doc({"doctype": "Price Index", "index_name": "SC LCI", "frequency": "Yearly"})
		yearly.append("values", {"period": "2025-10", "value": 100})
		with self.assertRaisesRegex(frappe.ValidationError, "not a period of a Yearly index"):
			yearly.insert()

	def test_a_clause_that_cannot_be_read_is_refused_naming_the_field(self):
		for field, value, says in (
			("index_base_period", "2025", "Base Period"),
			("index_floor_percent", "abc", "Floor"),
			("index_cap_percent", "-1", "Floor"),  # a cap below the floor of 0 %
			("index_cap_percent", "-250", "Cap"),  # prices may not fall below nothing
			("index_floor_percent", "1e3", "Floor"),
		):
			doc = frappe.get_doc("Support Contract", self.contract)
			doc.set(field, value)
			with self.assertRaisesRegex(frappe.ValidationError, says):
				doc.save()
		self.assertEqual(
			frappe.db.get_value("Support Contract", self.contract, "index_base_period"), "2025-10"
		)


class TestRenewalRace(RenewalCase):
	def test_two_workers_renewing_at_once_record_one_price_change(self):
		frappe.db.commit()  # the threads read it on their own connections
		contract = self.contract
		try:
			self.now(2027, 1, 1, 6)
			when = frappe.flags.current_time

			def renew(_i):
				frappe.flags.current_time = when
				return renewals.renew_due()

			results = in_threads(renew, 2)
			self.assertEqual(sorted(len(r) for r in results), [0, 1], results)
			self.assertEqual(frappe.db.count(CHANGE, {"support_contract": contract}), 1)
		finally:
			frappe.db.rollback()
			for name in frappe.get_all(CHANGE, filters={"support_contract": contract}, pluck="name"):
				frappe.db.delete("Support Contract Price Change Line", {"parent": name})
				frappe.db.delete(CHANGE, {"name": name})
			for doctype, name in (
				("Support Contract", contract),
				("Contact", frappe.db.get_value("Contact", {"email_id": CALLER})),
				("Customer", self.customer),
				("Support Tier", self.tier),
				("Support Calendar", "SC Renewal Office"),
				("Price Index", self.index),
				("User", MANAGER),
			):
				if name and frappe.db.exists(doctype, name):
					frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
			frappe.db.commit()
			frappe.db.savepoint("sc_test")


class TestNextTermOnThePortal(FrappeAPITestCase):
	"""Over HTTP as the contract's contact, today: a contract started six months ago renews in six months at
	prices its index set from a value published three months ago (+5 % → 892.50 an hour, 8,400 a month);
	another customer's contact reaches nothing of it. Committed, removed afterwards."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		start = getdate(add_months(frappe.utils.getdate(), -6)).replace(day=1)
		base = getdate(add_months(start, -9))
		cls.renews_on = getdate(add_months(start, 12))
		cls.index = make_index(
			"SC Portal KPI",
			{f"{base:%Y-%m}": "400", f"{getdate(add_months(base, 12)):%Y-%m}": "420"},
		)
		cls.tier = make_tier(
			"SC Portal Renewal Tier",
			calendar=make_calendar("SC Portal Renewal Office"),
			term_months=12,
			renewal="Automatic",
		)
		cls.headers, cls.customers, cls.contracts = {}, {}, {}
		for who in ("alpha", "beta"):
			email = f"sc-renewal-{who}@example.com"
			customer = make_customer(f"SC Renewal {who.title()}")
			cls.customers[who] = customer
			cls.headers[who] = make_api_user(email, ("Customer",), website_user=True)
			make_portal_contact(customer, email, who.title())
			cls.contracts[who] = make_contract(
				customer,
				cls.tier,
				start=str(start),
				price_index=cls.index,
				index_base_period=f"{base:%Y-%m}",
			)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		for who, contract in cls.contracts.items():
			frappe.delete_doc("Support Contract", contract, force=True, ignore_permissions=True)
			email = f"sc-renewal-{who}@example.com"
			for contact in frappe.get_all("Contact", filters={"user": email}, pluck="name"):
				frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
		for doctype, name in (
			("Support Tier", cls.tier),
			("Support Calendar", "SC Portal Renewal Office"),
			("Price Index", cls.index),
		):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def test_the_contact_reads_when_it_renews_and_at_which_prices(self):
		page = self.get(f"/support/contracts/{self.contracts['alpha']}", headers=self.headers["alpha"])
		self.assertEqual(page.status_code, 200)
		text = page.get_data(as_text=True)
		self.assertIn(f'data-renews-on="{self.renews_on}"', text)
		prices_ = text.split('class="list-unstyled mb-0 sc-next-prices"')[1].split("</ul>")[0]
		self.assertIn("8,400.00</b>", prices_)  # 8,000 × 1.05
		self.assertIn("892.50</b>", prices_)  # 850 × 1.05
		other = self.get(f"/support/contracts/{self.contracts['alpha']}", headers=self.headers["beta"])
		self.assertEqual(other.status_code, 404)
