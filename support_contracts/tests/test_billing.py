"""The monthly invoicing run as a billing clerk meets it (issue 9): Timesheets on Issues in, one Sales
Invoice per contract and billing month out, exactly once — re-run, two runs at once, a worker killed with
SIGKILL half-way, cancel and bill again, time logged late. The run commits per contract, so each test
works on committed data and removes what it made."""

import os
import tempfile
from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, get_datetime

from support_contracts.adapters import billing
from support_contracts.adapters.billing import hour_bank
from support_contracts.adapters.times import system_tz
from support_contracts.cli import invoice_from_files
from support_contracts.demo.engine import DATA
from support_contracts.demo.site import load_firm_into_site, load_work_into_site
from support_contracts.tests.factories import (
	delete_ticket_records,
	in_threads,
	jobs_done,
	kill_mid_run,
	make_calendar,
	make_customer,
	make_tier,
	rq_workers,
	wait_until,
)

D = Decimal
NORDVIK = "Nordvik Logistik AB"  # Trinax Alert! since 2026-01-01 (examples/trinax.yaml, TRX-001)
KIND = {v: k for k, v in billing.KIND.items()}


def company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]


class BillingCase(FrappeTestCase):
	def setUp(self):
		super().setUp()
		frappe.db.commit()
		self.made: list[tuple[str, str]] = []
		self.contracts: list[str] = []
		self.walk_ins: list[str] = []  # customers billed without a contract

	def tearDown(self):
		frappe.db.rollback()
		frappe.db.set_single_value("Support Contract Settings", "list_price_tier", None)
		invoices = frappe.get_all(
			"Sales Invoice", filters={"sc_support_contract": ("in", self.contracts or [""])}, pluck="name"
		) + frappe.get_all(
			"Sales Invoice",
			filters={"customer": ("in", self.walk_ins or [""]), "sc_billing_period": ("is", "set")},
			pluck="name",
		)
		for name in invoices:
			if frappe.db.get_value("Sales Invoice", name, "docstatus") == 1:
				frappe.get_doc("Sales Invoice", name).cancel()
			frappe.delete_doc("Sales Invoice", name, force=True, ignore_permissions=True)
		frappe.db.delete("Hour Bank Ledger Entry", {"support_contract": ("in", self.contracts or [""])})
		for doctype, name in reversed(self.made):
			if not frappe.db.exists(doctype, name):
				continue
			if doctype == "Timesheet" and frappe.db.get_value(doctype, name, "docstatus") == 1:
				frappe.get_doc(doctype, name).cancel()
			if doctype == "Support Billing Run":
				frappe.db.delete("Support Billing Run Result", {"parent": name})
			if doctype == "Issue":  # the app's ledgers refuse deletion through documents
				delete_ticket_records([name])
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()
		super().tearDown()

	def keep(self, doctype, name):
		self.made.append((doctype, name))
		return name

	def issue(self, customer, subject="Printer queue stuck"):
		doc = frappe.get_doc({"doctype": "Issue", "subject": subject, "customer": customer, "priority": "P3"})
		return self.keep("Issue", doc.insert(ignore_permissions=True).name)

	def timesheet(self, rows):
		"""rows: (issue, start 'YYYY-MM-DD HH:MM', minutes, kind, warranty[, urgent call-out])"""
		logs = []
		for issue, start, minutes, kind, warranty, *urgent in rows:
			begin = get_datetime(start)
			logs.append(
				{
					"from_time": begin,
					"to_time": add_to_date(begin, minutes=minutes),
					"hours": minutes / 60,
					"sc_issue": issue,
					"sc_work_kind": kind,
					"sc_warranty": int(warranty),
					"sc_urgent": int(bool(urgent and urgent[0])),
				}
			)
		ts = frappe.get_doc({"doctype": "Timesheet", "company": company(), "time_logs": logs})
		ts.insert(ignore_permissions=True)
		ts.submit()
		return self.keep("Timesheet", ts.name)

	def billing_run(self, tier=None, customer=None, billing_month="2026-06-01"):
		"""A committed Support Billing Run of June 2026 (posted 1 June) for a tier or a customer: its name."""
		doc = frappe.get_doc(
			{
				"doctype": "Support Billing Run",
				"company": company(),
				"billing_month": billing_month,
				"posting_date": "2026-06-01",
				"tier": tier,
				"customer": customer,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		return self.keep("Support Billing Run", doc.name)

	def fee_only_contracts(self, count, prefix):
		calendar = self.keep("Support Calendar", make_calendar(f"SC Bill {prefix} Office"))
		tier = self.keep("Support Tier", make_tier(f"SC Bill {prefix} Tier", calendar=calendar))
		names = []
		for i in range(count):
			customer = self.keep("Customer", make_customer(f"SC Bill {prefix} Customer {i:02d}"))
			names.append(self.contract(customer, tier))
		frappe.db.commit()
		return tier, names

	def contract(self, customer, tier, **kw):
		"""An active contract from 1 January 2026, billed and removed by this test."""
		doc = {
			"doctype": "Support Contract",
			"customer": customer,
			"tier": tier,
			"start_date": "2026-01-01",
			**kw,
		}
		name = self.keep("Support Contract", frappe.get_doc(doc).insert(ignore_permissions=True).name)
		self.contracts.append(name)
		return name

	def work(self, customer, entries, incidents=None):
		"""An input file's work as Issues, a submitted Timesheet and Incident Fees (the demo's loader);
		a bare file name is one of the examples."""
		made = load_work_into_site(
			customer,
			os.path.join(DATA, entries),
			os.path.join(DATA, incidents) if incidents else None,
		)
		for name in made["issues"].values():
			self.keep("Issue", name)
		self.keep("Timesheet", made["timesheet"])
		frappe.db.commit()
		return made["issues"]

	def trinax_contract(self):
		load_firm_into_site("trinax")
		name = frappe.db.get_value("Support Contract", {"customer": NORDVIK, "tier": "Trinax Alert!"})
		self.contracts.append(name)
		return name

	def bill(self, contract, year=2026, month=6):
		return billing.bill_contract(
			contract, year, month, company=company(), posting_date=f"{year}-{month:02d}-01"
		)

	def invoices(self, contract):
		return frappe.get_all(
			"Sales Invoice", filters={"sc_support_contract": contract, "docstatus": ("<", 2)}, pluck="name"
		)


class TestInvoiceFromTimesheets(BillingCase):
	def test_trinax_may_time_billed_in_june_as_the_cli_rates_it(self):
		"""The five May entries of examples/data/trinax-2026-05-entries.csv as Timesheets on Nordvik's
		Issues: the June invoice (June's fee in advance + May's usage) equals, to the öre, the CLI's May
		invoice of the same entries (whose May fee is the same 8,000)."""
		contract = self.trinax_contract()
		csv = f"{DATA}/trinax-2026-05-entries.csv"
		tickets = self.work(NORDVIK, "trinax-2026-05-entries.csv")

		result = self.bill(contract)
		frappe.db.commit()
		cli = invoice_from_files("trinax", "TRX-001", "2026-05", entries=csv)
		si = frappe.get_doc("Sales Invoice", result["sales_invoice"])
		self.assertEqual(result["outcome"], billing.INVOICED)
		self.assertEqual(D(str(si.net_total)).quantize(D("0.01")), cli.total)
		self.assertEqual(
			[D(str(i.amount)).quantize(D("0.01")) for i in si.items][1:],
			[line.amount for line in cli.lines][1:],  # after the fee line: May's usage, line by line
		)
		self.assertEqual(si.items[0].description.split("<br>")[0], "Trinax Alert! — monthly fee 2026-06")
		self.assertEqual((si.sc_support_contract, si.sc_billing_period), (contract, "2026-06"))
		# every Timesheet row is marked with the invoice (ERPNext's own field)
		billed = frappe.get_all(
			"Timesheet Detail", filters={"sc_issue": ("in", list(tickets.values()))}, pluck="sales_invoice"
		)
		self.assertEqual(set(billed), {si.name})
		# the hour bank: Q2's 15 h allocated, the bank-covered minutes consumed
		bank = {p["period"]: p for p in billing.hour_bank_balance(contract)}["Q2 2026"]
		self.assertEqual(bank["Allocation"], 900)
		self.assertEqual(-bank["Consumption"], cli.bank.used_minutes)

		# billed again: nothing new
		self.assertEqual(self.bill(contract)["outcome"], billing.ALREADY)
		self.assertEqual(len(self.invoices(contract)), 1)

	def test_trinax_q2_bank_runs_out_mid_may_across_two_invoices_from_the_ledger(self):
		"""Trinax Alert! (docs/rules.md B2: 15 h a quarter): 12 h of remote work in April, billed on May's
		invoice, all from the bank; May's time, billed on June's, finds 3 h left in the ledger, which run
		out on 12 May — the rest is billed. Each invoice equals the CLI's invoice of its usage month, the
		second given the bank minutes the ledger says were used (``--bank-used 720m``)."""

		contract = self.trinax_contract()
		april = os.path.join(tempfile.mkdtemp(), "trinax-2026-04-entries.csv")
		with open(april, "w") as f:
			f.write("id,start,minutes,kind,ticket\n")
			for i, day in enumerate((7, 8, 9, 14, 15, 16), 1):  # after Easter Monday 6 April
				f.write(f"TRX-A{i},2026-04-{day:02d}T09:00+02:00,120,remote,ISS-0090\n")
		self.work(NORDVIK, april)
		self.work(NORDVIK, "trinax-2026-05-entries.csv")

		may = frappe.get_doc("Sales Invoice", self.bill(contract, 2026, 5)["sales_invoice"])
		frappe.db.commit()
		cli_april = invoice_from_files("trinax", "TRX-001", "2026-04", entries=april)
		self.assertEqual(D(str(may.net_total)).quantize(D("0.01")), cli_april.total)
		self.assertEqual(D(str(may.net_total)), D("8000"))  # April's 12 h all from the bank
		bank = {p["period"]: p for p in billing.hour_bank_balance(contract)}["Q2 2026"]
		self.assertEqual((bank["Allocation"], bank["balance"]), (900, 180))

		june = frappe.get_doc("Sales Invoice", self.bill(contract, 2026, 6)["sales_invoice"])
		frappe.db.commit()
		may_csv = f"{DATA}/trinax-2026-05-entries.csv"
		cli_may = invoice_from_files("trinax", "TRX-001", "2026-05", entries=may_csv, bank_used="720m")
		self.assertEqual(D(str(june.net_total)).quantize(D("0.01")), cli_may.total)
		self.assertGreater(cli_may.total, D("8000"))  # the bank ran out: May's overage is billed
		bank = {p["period"]: p for p in billing.hour_bank_balance(contract)}["Q2 2026"]
		self.assertEqual(bank["balance"], 0)

	def test_ballou_saturday_and_midsummer_call_ins_as_the_cli_rates_them(self):
		"""Ballou Incident support (docs/rules.md A1, A6, A7): two call-ins in June 2026 as Incident Fees
		on Smaklig Mat's Issues, with their Timesheets — a Saturday 10:00–12:20 and Midsummer Eve
		23:05–23:40. July's invoice (July's 400 in advance + June's usage) equals the CLI's June invoice."""
		load_firm_into_site("ballou")
		customer = "Smaklig Mat AB"
		contract = frappe.db.get_value("Support Contract", {"customer": customer})
		self.contracts.append(contract)
		folder = f"{DATA}"
		tickets = self.work(customer, "ballou-2026-06-entries.csv", "ballou-2026-06-incidents.csv")

		si = frappe.get_doc("Sales Invoice", self.bill(contract, 2026, 7)["sales_invoice"])
		frappe.db.commit()
		cli = invoice_from_files(
			"ballou",
			"BAL-002",
			"2026-06",
			entries=f"{folder}/ballou-2026-06-entries.csv",
			incidents=f"{folder}/ballou-2026-06-incidents.csv",
		)
		self.assertEqual(D(str(si.net_total)).quantize(D("0.01")), cli.total)
		self.assertEqual(
			sorted(D(str(i.amount)).quantize(D("0.01")) for i in si.items),
			sorted(line.amount for line in cli.lines if line.quantity or line.amount),
		)
		fees = frappe.get_all(
			"Incident Fee",
			filters={"issue": ("in", list(tickets.values()))},
			fields=["status", "sales_invoice"],
		)
		self.assertEqual({(f.status, f.sales_invoice) for f in fees}, {("Billed", si.name)})

	def test_cancel_frees_the_month_and_late_time_is_billed_next_month(self):
		contract = self.trinax_contract()
		issue = self.issue(NORDVIK)
		self.timesheet([(issue, "2026-05-05 09:00", 120, "Remote", False)])
		frappe.db.commit()
		first = self.bill(contract)["sales_invoice"]
		frappe.db.commit()
		si = frappe.get_doc("Sales Invoice", first)
		si.submit()
		si.cancel()
		frappe.db.commit()
		# the cancelled invoice let go of its key, its Timesheet row and its ledger rows
		self.assertIsNone(frappe.db.get_value("Sales Invoice", first, "sc_billing_key"))
		# and is not amended: the amendment would bill the freed work a second time
		with self.assertRaisesRegex(frappe.ValidationError, "made by the invoicing run"):
			amendment = frappe.copy_doc(frappe.get_doc("Sales Invoice", first))
			amendment.update({"amended_from": first, "docstatus": 0})
			amendment.insert()
		self.assertEqual(billing.hour_bank_balance(contract), [])
		second = self.bill(contract)
		frappe.db.commit()
		self.assertEqual(second["outcome"], billing.INVOICED)
		self.assertNotEqual(second["sales_invoice"], first)

		# 2 h logged for May after May's usage was billed (June's invoice): billed with July's, marked late
		self.timesheet([(issue, "2026-05-20 10:00", 60, "Remote", False)])
		frappe.db.commit()
		july = frappe.get_doc("Sales Invoice", self.bill(contract, 2026, 7)["sales_invoice"])
		frappe.db.commit()
		late = [i for i in july.items if "Late, 2026-05" in i.description]
		self.assertTrue(late, [i.description for i in july.items])
		# May's bank had 13 h left after the first 2 h: the late hour is covered, at 0
		self.assertEqual(sum(i.amount for i in late), 0)
		bank = {p["period"]: p for p in billing.hour_bank_balance(contract)}["Q2 2026"]
		self.assertEqual(bank["balance"], 900 - 120 - 60)

	def test_late_time_and_the_months_time_draw_one_quarter_once_in_time_order(self):
		"""docs/rules.md B2: May's 2 h billed in June; then 10 h more of May (late) and 10 h of June, both
		Q2, billed in July. The late May hours draw first (780 min left → 180), June's find 3 h: 7 h billed
		at 850 = 5,950, with July's fee 8,000 = 13,950. The quarter ends drawn to 0, not below."""
		contract = self.trinax_contract()
		issue = self.issue(NORDVIK)
		self.timesheet([(issue, "2026-05-05 09:00", 120, "Remote", False)])
		frappe.db.commit()
		self.bill(contract, 2026, 6)
		frappe.db.commit()
		self.timesheet(
			[
				(issue, "2026-05-20 09:00", 300, "Remote", False),
				(issue, "2026-05-21 09:00", 300, "Remote", False),
				(issue, "2026-06-02 09:00", 300, "Remote", False),
				(issue, "2026-06-03 09:00", 300, "Remote", False),
			]
		)
		frappe.db.commit()
		july = frappe.get_doc("Sales Invoice", self.bill(contract, 2026, 7)["sales_invoice"])
		frappe.db.commit()
		self.assertEqual(D(str(july.net_total)), D("13950"))
		late = [i for i in july.items if "Late, 2026-05" in i.description]
		self.assertEqual(sum(i.amount for i in late), 0)  # May's 10 h all from the bank
		bank = {p["period"]: p for p in billing.hour_bank_balance(contract)}["Q2 2026"]
		self.assertEqual((bank["Consumption"], bank["balance"]), (-900, 0))
		self.assertEqual(hour_bank.check(contract), [])

	def test_a_price_list_rate_or_pricing_rule_never_reprices_a_line(self):
		"""The bank's and warranty's lines are rated 0, the work 850: an Item Price of the same items (as
		ERPNext inserts after an invoice, Stock Settings › Auto Insert Item Price) and a Pricing Rule of
		50 % off the fee change none of it. May: 2 h from the bank, 1 h warranty, June's fee — 8,000."""
		contract = self.trinax_contract()
		for item, rate in (("HOUR-BANK", 500), ("SUPPORT-REMOTE", 999)):
			frappe.db.delete("Item Price", {"item_code": item, "price_list": "Standard Selling"})
			price = frappe.get_doc(
				{
					"doctype": "Item Price",
					"item_code": item,
					"price_list": "Standard Selling",
					"price_list_rate": rate,
					"valid_from": "2026-01-01",
				}
			).insert(ignore_permissions=True)
			self.keep("Item Price", price.name)
		rule = frappe.get_doc(
			{
				"doctype": "Pricing Rule",
				"title": "SC half off the support fee",
				"apply_on": "Item Code",
				"items": [{"item_code": "SUPPORT-FEE"}],
				"selling": 1,
				"rate_or_discount": "Discount Percentage",
				"discount_percentage": 50,
				"company": company(),
				"valid_from": "2026-01-01",
			}
		).insert(ignore_permissions=True)
		self.keep("Pricing Rule", rule.name)
		issue = self.issue(NORDVIK)
		self.timesheet(
			[
				(issue, "2026-05-05 09:00", 120, "Remote", False),
				(issue, "2026-05-06 09:00", 60, "Remote", True),
			]
		)
		frappe.db.commit()
		si = frappe.get_doc("Sales Invoice", self.bill(contract)["sales_invoice"])
		frappe.db.commit()
		self.assertEqual(D(str(si.net_total)), D("8000"))
		self.assertEqual(sorted(D(str(i.rate)) for i in si.items), [0, 0, 8000])

	def test_vmi_increments_warranty_and_an_urgent_call_out_as_the_cli_rates_them(self):
		"""VMI's terms (docs/rules.md D) on Roslagens Redovisning (home zone): phone in 10-min steps, remote
		in 30, on-site a full hour at least, warranty work at 0, the urgent on-site call-out's travel fee.
		The March entries of examples/data/vmi-2026-03-entries.yaml as Timesheets: April's invoice
		(April's fee in advance + March's usage) equals the CLI's March invoice (same fee) to the öre."""
		load_firm_into_site("vmi")
		customer = "Roslagens Redovisning AB"
		contract = frappe.db.get_value("Support Contract", {"customer": customer})
		self.contracts.append(contract)
		data = f"{DATA}/vmi-2026-03-entries.yaml"
		self.work(customer, "vmi-2026-03-entries.yaml")

		si = frappe.get_doc("Sales Invoice", self.bill(contract, 2026, 4)["sales_invoice"])
		frappe.db.commit()
		cli = invoice_from_files("vmi", "VMI-001", "2026-03", entries=data)
		self.assertEqual(D(str(si.net_total)).quantize(D("0.01")), cli.total)
		self.assertEqual(
			sorted(D(str(i.amount)).quantize(D("0.01")) for i in si.items),
			sorted(line.amount for line in cli.lines if line.quantity or line.amount),
		)
		# and by hand: fee 2,500; phone 7 → 10 min, remote 40 → 60 min, on-site 25 → 60 and 75 → 120 min,
		# all at 895/h = 149.17 + 895 + 2,685; the warranty visit at 0; the urgent call-out's 450
		self.assertEqual(D(str(si.net_total)).quantize(D("0.01")), D("6679.17"))
		travel = [i for i in si.items if i.item_code == "TRAVEL"]
		self.assertEqual([(i.qty, i.amount) for i in travel], [(1, 450)])
		warranty = [i for i in si.items if "Warranty" in i.description]
		self.assertEqual([i.amount for i in warranty], [0])

	def test_sla_credit_for_a_breach_recorded_by_enforcement(self):
		"""A tier granting 5 % of the fee per breached P1 action start (at most 20 %): a P1 Issue opened on
		Tuesday 5 May 09:00 and not acted on is breached at 10:00 by the enforcement job; June's invoice
		(8,000 in advance) credits 400 of May's fee."""
		from support_contracts.adapters import enforcement
		from support_contracts.tests.factories import make_issue

		calendar = self.keep("Support Calendar", make_calendar("SC Bill Credit Office"))
		tier = self.keep(
			"Support Tier",
			make_tier(
				"SC Bill Credit Tier",
				calendar=calendar,
				sla_credit_percent=5,
				sla_credit_priorities="P1",
				sla_credit_cap_percent=20,
			),
		)
		customer = self.keep("Customer", make_customer("SC Bill Credit Customer"))
		contract = self.contract(customer, tier)
		try:
			frappe.flags.current_time = get_datetime("2026-05-05 09:00:00")
			opened = get_datetime("2026-05-05 09:00:00").replace(tzinfo=system_tz())
			issue = self.keep("Issue", make_issue(customer, opened, "P1").name)
			frappe.db.commit()
			frappe.flags.current_time = get_datetime("2026-05-05 10:05:00")
			enforcement.enforce([issue])
			frappe.db.commit()
		finally:
			frappe.flags.current_time = None
		self.assertIn(
			"Breached", frappe.get_all("SLA Transition", filters={"issue": issue}, pluck="transition")
		)
		si = frappe.get_doc("Sales Invoice", self.bill(contract)["sales_invoice"])
		frappe.db.commit()
		self.assertEqual(
			[(i.item_code, i.amount) for i in si.items], [("SUPPORT-FEE", 8000), ("SLA-CREDIT", -400)]
		)
		self.assertIn(issue, si.items[1].description)
		# July's invoice has no breach of June to credit
		july = frappe.get_doc("Sales Invoice", self.bill(contract, 2026, 7)["sales_invoice"])
		frappe.db.commit()
		self.assertEqual([i.item_code for i in july.items], ["SUPPORT-FEE"])

	def test_a_customer_without_a_contract_is_billed_at_the_list_price_tier(self):
		"""Time on an Issue of a customer with no contract (docs/rules.md B1/B3: 980/h at Trinax): the run
		bills it at the List-Price Tier named in Support Contract Settings, with no fee, once."""
		load_firm_into_site("trinax")
		list_tier = frappe.db.get_value("Support Tier", {"tier_name": ("like", "Trinax No contract%")})
		customer = self.keep("Customer", make_customer("SC Bill Walk-in Customer"))
		self.walk_ins.append(customer)
		issue = self.issue(customer, "Mail server down")
		self.timesheet([(issue, "2026-05-05 09:00", 60, "Remote", False)])
		run = frappe.get_doc("Support Billing Run", self.billing_run(customer=customer))
		# without a List-Price Tier the customer is listed, not billed (test_run_lifecycle)
		[preview] = run.preview()
		self.assertEqual(preview["outcome"], billing.NOT_BILLED)
		frappe.db.set_single_value("Support Contract Settings", "list_price_tier", list_tier)
		frappe.db.commit()
		self.assertEqual(run.contracts(), [{"name": None, "customer": customer}])
		[preview] = run.preview()
		self.assertEqual((preview["support_contract"], preview["total"]), (None, 980))
		run.create_invoices()
		frappe.db.commit()
		[result] = frappe.get_all(
			"Support Billing Run Result",
			filters={"parent": run.name},
			fields=["support_contract", "customer", "outcome", "sales_invoice"],
		)
		self.assertEqual(
			(result.support_contract, result.customer, result.outcome), (None, customer, billing.INVOICED)
		)
		si = frappe.get_doc("Sales Invoice", result.sales_invoice)
		self.assertEqual(
			(si.customer, si.sc_support_contract, si.sc_billing_key, si.net_total),
			(customer, None, f"customer:{customer}|2026-06", 980),
		)
		self.assertEqual(
			frappe.db.get_value("Timesheet Detail", {"sc_issue": issue}, "sales_invoice"), si.name
		)
		# a second run of the month: already billed
		self.assertEqual(
			billing.bill_contract(
				None, 2026, 6, company=company(), posting_date="2026-06-01", customer=customer
			)["outcome"],
			billing.ALREADY,
		)

	def test_a_tier_bills_its_lines_as_its_own_items(self):
		if not frappe.db.exists("Item", "SC-ALERT-FEE"):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": "SC-ALERT-FEE",
					"item_name": "Alert! agreement, monthly",
					"item_group": frappe.db.get_value("Item", "SUPPORT-FEE", "item_group"),
					"stock_uom": "Nos",
					"is_stock_item": 0,
				}
			).insert(ignore_permissions=True)
		calendar = self.keep("Support Calendar", make_calendar("SC Bill Items Office"))
		tier = self.keep(
			"Support Tier",
			make_tier(
				"SC Bill Items Tier",
				calendar=calendar,
				invoice_items=[{"line": "SUPPORT-FEE", "item": "SC-ALERT-FEE"}],
			),
		)
		customer = self.keep("Customer", make_customer("SC Bill Items Customer"))
		contract = self.contract(customer, tier)
		frappe.db.commit()
		si = frappe.get_doc("Sales Invoice", self.bill(contract)["sales_invoice"])
		frappe.db.commit()
		self.assertEqual([(i.item_code, i.amount) for i in si.items], [("SC-ALERT-FEE", 8000)])


class TestContractTerms(BillingCase):
	"""Issue 14's terms in the invoicing run: work outside our area per started hour (docs/rules.md A8),
	quote-first requests billed once their quotation is ordered (E7), warranty free only under a
	contract (B6), monitored units per month (A4)."""

	def terms_tier(self, **kw):
		calendar = self.keep("Support Calendar", make_calendar("SC Bill Terms Office"))
		return self.keep(
			"Support Tier",
			make_tier("SC Bill Terms Tier", calendar=calendar, remote_increment=30, **kw),
		)

	def mark(self, issue, **values):
		doc = frappe.get_doc("Issue", issue)
		doc.update(values)
		doc.save(ignore_permissions=True)

	def test_outside_our_area_per_started_hour_and_quote_first_held_until_ordered(self):
		tier = self.terms_tier()
		customer = self.keep("Customer", make_customer("SC Bill Terms Customer"))
		contract = self.contract(customer, tier)
		outside, quoted, normal = (self.issue(customer, s) for s in ("Their router", "New report", "Login"))
		self.mark(outside, sc_outside_area=1, sc_outside_area_reason="The customer's own router")
		quotation = frappe.get_doc(
			{
				"doctype": "Quotation",
				"quotation_to": "Customer",
				"party_name": customer,
				"company": company(),
				"transaction_date": "2026-05-04",
				"valid_till": "2026-12-31",
				"items": [{"item_code": "SUPPORT-REMOTE", "qty": 1, "rate": 850}],
			}
		).insert(ignore_permissions=True)
		self.keep("Quotation", quotation.name)
		self.mark(quoted, sc_quote_first=1, sc_quotation=quotation.name)
		self.timesheet(
			[
				(outside, "2026-05-05 09:00", 70, "Remote", False),
				(quoted, "2026-05-06 09:00", 60, "Remote", False),
				(normal, "2026-05-07 09:00", 20, "Remote", False),
			]
		)
		frappe.db.commit()
		june = frappe.get_doc("Sales Invoice", self.bill(contract)["sales_invoice"])
		frappe.db.commit()
		# fee 8,000; 20 min → 30 min × 850 = 425; 70 min outside our area → 2 started hours = 1,700
		self.assertEqual(D(str(june.net_total)), D("10125"))
		out = [i for i in june.items if i.description.startswith("Outside our area")]
		self.assertEqual([(i.qty, i.amount) for i in out], [(2, 1700)])
		self.assertIsNone(frappe.db.get_value("Timesheet Detail", {"sc_issue": quoted}, "sales_invoice"))

		# the quote accepted: ordered (a Sales Order made from it); July bills the held hour, late
		quotation.submit()
		frappe.db.set_value("Quotation", quotation.name, "status", "Ordered")  # as the Sales Order sets it
		frappe.db.commit()
		july = frappe.get_doc("Sales Invoice", self.bill(contract, 2026, 7)["sales_invoice"])
		frappe.db.commit()
		late = [i for i in july.items if "Late, 2026-05" in i.description]
		self.assertEqual([(i.qty, i.amount) for i in late], [(1, 850)])
		quotation.reload()
		quotation.cancel()
		frappe.db.commit()

	def test_warranty_work_of_a_customer_without_a_contract_is_billed(self):
		load_firm_into_site("trinax")
		list_tier = frappe.db.get_value("Support Tier", {"tier_name": ("like", "Trinax No contract%")})
		frappe.db.set_single_value("Support Contract Settings", "list_price_tier", list_tier)
		customer = self.keep("Customer", make_customer("SC Bill Warranty Walk-in"))
		self.walk_ins.append(customer)
		issue = self.issue(customer, "Delivered laptop broken")
		self.timesheet([(issue, "2026-05-05 09:00", 60, "Remote", True)])
		frappe.db.commit()
		result = billing.bill_contract(
			None, 2026, 6, company=company(), posting_date="2026-06-01", customer=customer
		)
		frappe.db.commit()
		si = frappe.get_doc("Sales Invoice", result["sales_invoice"])
		self.assertEqual(
			si.net_total, 980
		)  # docs/rules.md B6: no free warranty-period work without a contract
		self.assertFalse([i for i in si.items if "Warranty" in i.description])

	def test_monitored_units_beyond_the_included_are_billed_each_month(self):
		tier = self.terms_tier(monitoring_units_included=1, monitoring_unit_price=250)
		customer = self.keep("Customer", make_customer("SC Bill Monitoring Customer"))
		contract = self.contract(customer, tier, monitored_units=3)
		frappe.db.commit()
		si = frappe.get_doc("Sales Invoice", self.bill(contract)["sales_invoice"])
		frappe.db.commit()
		self.assertEqual(
			[(i.item_code, i.qty, i.amount) for i in si.items],
			[("SUPPORT-FEE", 1, 8000), ("MONITORING", 2, 500)],
		)

	def test_units_a_tier_does_not_sell_are_refused_on_the_contract(self):
		tier = self.terms_tier()
		customer = self.keep("Customer", make_customer("SC Bill Monitoring Customer"))
		with self.assertRaisesRegex(frappe.ValidationError, "Monitored Units"):
			self.contract(customer, tier, monitored_units=2)
		self.assertFalse(frappe.db.exists("Support Contract", {"customer": customer}))


class TestExactlyOnce(BillingCase):
	def test_two_workers_billing_one_contract_make_one_invoice(self):
		_tier, (contract,) = self.fee_only_contracts(1, "Twin")
		results = in_threads(lambda i: self.bill(contract), 2)
		outcomes = sorted(r["outcome"] if isinstance(r, dict) else repr(r) for r in results)
		self.assertEqual(outcomes, [billing.ALREADY, billing.INVOICED])
		invoices = self.invoices(contract)
		self.assertEqual(len(invoices), 1)
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoices[0], "net_total"), 8000)

	def test_two_runs_at_once_and_a_run_again_bill_each_contract_once(self):
		tier, names = self.fee_only_contracts(4, "Runs")
		runs = [self.billing_run(tier) for _ in range(2)]
		in_threads(lambda i: billing.run_chunk(runs[i], names), 2)
		billing.run_chunk(runs[0], names)  # and once more
		for c in names:
			self.assertEqual(len(self.invoices(c)), 1, c)
		outcomes = frappe.get_all("Support Billing Run Result", filters={"parent": runs[0]}, pluck="outcome")
		self.assertEqual(sorted(outcomes), [billing.ALREADY] * 4)
		self.assertEqual(frappe.db.get_value("Support Billing Run", runs[0], "status"), "Completed")

	def test_a_worker_killed_mid_run_leaves_nothing_half_made_and_a_rerun_bills_the_rest(self):
		tier, names = self.fee_only_contracts(20, "Kill")
		run = self.billing_run(tier)
		kill_mid_run(
			"support_contracts.adapters.billing.run_chunk",
			{"run": run, "contracts": names},
			lambda: frappe.db.count("Sales Invoice", {"sc_support_contract": ("in", names)}),
		)
		before = frappe.db.count("Sales Invoice", {"sc_support_contract": ("in", names)})
		self.assertGreaterEqual(before, 1)
		self.assertLess(before, len(names), "the worker finished before it was killed: nothing was tested")
		# what the killed worker left is whole: every invoice has its lines, every result its invoice
		for si in frappe.get_all(
			"Sales Invoice", filters={"sc_support_contract": ("in", names)}, pluck="name"
		):
			self.assertEqual(frappe.db.count("Sales Invoice Item", {"parent": si}), 1)

		billing.run_chunk(run, names)  # started again
		for c in names:
			self.assertEqual(len(self.invoices(c)), 1, c)
		outcomes = frappe.get_all("Support Billing Run Result", filters={"parent": run}, pluck="outcome")
		self.assertEqual(len(outcomes), len(names))
		self.assertEqual(outcomes.count(billing.INVOICED), len(names) - before)
		self.assertEqual(outcomes.count(billing.ALREADY), before)

	def test_two_rq_workers_running_two_runs_of_the_same_contracts_bill_each_once(self):
		"""Two runs of the same 60 contracts queued at once (three chunks each) and two real RQ workers
		(``frappe worker``, separate processes, listening before the jobs come) taking the six jobs."""
		tier, names = self.fee_only_contracts(60, "Rq")
		runs = [frappe.get_doc("Support Billing Run", self.billing_run(tier)) for _ in range(2)]

		def results():
			frappe.db.rollback()  # a fresh snapshot
			return frappe.db.count("Support Billing Run Result", {"parent": ("in", [r.name for r in runs])})

		with rq_workers(2) as logs:
			self.assertEqual([run.queue_chunks() for run in runs], [3, 3])
			frappe.db.commit()  # the jobs are pushed after the commit
			wait_until(lambda: results() == 120, 600, "both runs' results")
		ran = [jobs_done(log, runs) for log in logs]
		self.assertTrue(all(ran), f"jobs run per worker: {ran} (both must have taken some)")
		self.assertEqual(sum(ran), 6)
		frappe.db.rollback()
		for c in names:
			self.assertEqual(len(self.invoices(c)), 1, c)
		outcomes = [
			frappe.get_all("Support Billing Run Result", filters={"parent": run.name}, pluck="outcome")
			for run in runs
		]
		self.assertEqual([len(o) for o in outcomes], [60, 60], "a job was not run by the workers")
		self.assertEqual(sum(o.count(billing.INVOICED) for o in outcomes), 60)
		errors = frappe.get_all(
			"Support Billing Run Result",
			filters={"parent": ("in", [r.name for r in runs]), "outcome": billing.ERROR},
			pluck="message",
		)
		self.assertEqual(errors, [])
		self.assertEqual(sum(o.count(billing.ALREADY) for o in outcomes), 60)
		self.assertEqual(
			[frappe.db.get_value("Support Billing Run", run.name, "status") for run in runs],
			["Completed", "Completed"],
		)


class TestBadInput(BillingCase):
	def test_a_run_month_too_far_ahead_or_a_posting_date_outside_its_period_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Billing Month.*2199-12 is after next month"):
			self.billing_run(billing_month="2199-12-01")
		run = frappe.get_doc(
			{
				"doctype": "Support Billing Run",
				"company": company(),
				"billing_month": "2026-09-01",
				"posting_date": "2020-01-01",
			}
		)
		with self.assertRaisesRegex(
			frappe.ValidationError, "Posting Date.*2020-01-01 must lie from 2026-08-01"
		):
			run.insert()

	def test_a_run_bills_only_its_own_companys_contracts(self):
		_tier, (contract,) = self.fee_only_contracts(1, "Company")
		self.assertEqual(frappe.db.get_value("Support Contract", contract, "company"), company())
		mine = billing.units_to_bill(2026, 6, company=company())
		self.assertIn(contract, [u["name"] for u in mine])
		theirs = billing.units_to_bill(2026, 6, company="SC Another Company")
		self.assertNotIn(contract, [u["name"] for u in theirs])

	def test_time_on_an_issue_another_contract_governs_is_not_billed_under_this_one(self):
		contract = self.trinax_contract()
		calendar = self.keep("Support Calendar", make_calendar("SC Bill Second Office"))
		other = self.contract(
			NORDVIK,
			self.keep("Support Tier", make_tier("SC Bill Second Tier", calendar=calendar)),
			service="Monitoring",  # a second service of the same customer
		)
		issue = self.issue(NORDVIK, "Governed by Alert!")
		frappe.db.set_value("Issue", issue, "sc_support_contract", contract)
		self.timesheet([(issue, "2026-05-05 09:00", 60, "Remote", False)])
		frappe.db.commit()
		second = frappe.get_doc("Sales Invoice", self.bill(other)["sales_invoice"])
		frappe.db.commit()
		self.assertEqual([i.item_code for i in second.items], ["SUPPORT-FEE"])  # its fee, not the hour
		self.assertFalse(frappe.db.get_value("Timesheet Detail", {"sc_issue": issue}, "sales_invoice"))
		first = frappe.get_doc("Sales Invoice", self.bill(contract)["sales_invoice"])
		frappe.db.commit()
		self.assertEqual(
			frappe.db.get_value("Timesheet Detail", {"sc_issue": issue}, "sales_invoice"), first.name
		)

	def test_a_tier_names_each_line_once_in_its_invoice_items(self):
		calendar = self.keep("Support Calendar", make_calendar("SC Bill Twice Office"))
		with self.assertRaisesRegex(frappe.ValidationError, "Invoice Items row 2.*appears twice"):
			make_tier(
				"SC Bill Twice Tier",
				calendar=calendar,
				invoice_items=[
					{"line": "SUPPORT-FEE", "item": "SUPPORT-FEE"},
					{"line": "SUPPORT-FEE", "item": "HOUR-BANK"},
				],
			)
		self.assertFalse(frappe.db.exists("Support Tier", "SC Bill Twice Tier"))

	def test_settings_refuse_a_list_price_tier_with_an_hour_bank_and_a_billing_day_past_28(self):
		calendar = self.keep("Support Calendar", make_calendar("SC Bill Bank Office"))
		tier = self.keep("Support Tier", make_tier("SC Bill Bank Tier", calendar=calendar, hour_bank_hours=4))
		settings = frappe.get_single("Support Contract Settings")
		settings.list_price_tier = tier
		with self.assertRaisesRegex(frappe.ValidationError, "List-Price Tier.*hour bank"):
			settings.save()
		settings = frappe.get_single("Support Contract Settings")
		settings.billing_day = 29
		with self.assertRaisesRegex(frappe.ValidationError, "Start the Run on Day of Month.*got 29"):
			settings.save()
		self.assertFalse(frappe.db.get_single_value("Support Contract Settings", "list_price_tier"))

	def test_time_on_a_governed_issue_needs_its_kind(self):
		contract = self.trinax_contract()
		self.assertTrue(contract)
		issue = frappe.get_doc(
			{"doctype": "Issue", "subject": "Kindless", "customer": NORDVIK, "priority": "P3"}
		).insert(ignore_permissions=True)
		self.keep("Issue", issue.name)
		frappe.db.delete("SLA Clock Event", {"issue": issue.name})
		ts = frappe.get_doc(
			{
				"doctype": "Timesheet",
				"company": company(),
				"time_logs": [
					{
						"from_time": "2026-05-05 09:00:00",
						"to_time": "2026-05-05 10:00:00",
						"hours": 1,
						"sc_issue": issue.name,
					}
				],
			}
		)
		with self.assertRaisesRegex(frappe.ValidationError, "Kind of Work"):
			ts.insert(ignore_permissions=True)

	def test_one_bad_contract_is_reported_and_the_others_are_billed(self):
		calendar = self.keep("Support Calendar", make_calendar("SC Bill Bad Office"))
		tier = self.keep("Support Tier", make_tier("SC Bill Bad Tier", calendar=calendar))
		good = self.keep("Customer", make_customer("SC Bill Good Customer"))
		euro = self.keep("Customer", make_customer("SC Bill Euro Customer"))
		frappe.db.set_value("Customer", euro, "default_currency", "EUR")
		names = []
		for customer in (good, euro):
			names.append(self.contract(customer, tier))
		run = frappe.get_doc("Support Billing Run", self.billing_run(tier, billing_month="2026-06-15"))
		preview = run.preview()
		self.assertEqual({p["support_contract"]: p.get("total") for p in preview}[names[0]], 8000)
		billing.run_chunk(run.name, names)
		results = {
			r.support_contract: r
			for r in frappe.get_all(
				"Support Billing Run Result",
				filters={"parent": run.name},
				fields=["support_contract", "outcome", "message"],
			)
		}
		self.assertEqual(results[names[0]].outcome, billing.INVOICED)
		self.assertEqual(results[names[1]].outcome, billing.ERROR)
		self.assertIn("EUR", results[names[1]].message)
		self.assertEqual(self.invoices(names[1]), [])
		self.assertEqual(
			frappe.db.get_value("Support Billing Run", run.name, "status"), "Completed with Errors"
		)
