"""Each of the five example firms, loaded into the ERP, prices the same work as the CLI (issue 29 point 2,
docs/rules.md A7): equal lines, labels and totals. Prices follow the tier's office hours (its Pricing
Calendar), apart from the hours its SLA clock runs on — Ballou's on-call tiers run their clock 17:00–08:00
and on weekends, but price a Tuesday 09:00 as business hours and a Tuesday 22:10 as after hours."""

import html
import os
import tempfile
from decimal import Decimal

import frappe

from support_contracts.adapters import billing, payroll
from support_contracts.adapters.payroll import inputs as pay_inputs
from support_contracts.cli import invoice_from_files, pay_from_files
from support_contracts.demo.engine import DATA
from support_contracts.demo.site import load_firm_into_site, load_on_call_month_into_site
from support_contracts.examples import load_firm
from support_contracts.tests.test_billing import BillingCase, company

D = Decimal
# a week of May 2026 that meets each rate class: business hours, a weekday evening, a Saturday, and
# Ascension Day (a holiday in Sweden and in Norway)
ENTRIES = """id,start,minutes,kind,ticket
P-1,2026-05-05T09:00+02:00,60,remote,T-1
P-2,2026-05-05T22:10+02:00,30,remote,T-1
P-3,2026-05-09T10:00+02:00,45,remote,T-2
P-4,2026-05-14T10:00+02:00,20,phone,T-2
"""
FEES = {"SUPPORT-FEE", "MONITORING"}  # June's fee in advance on the site, May's in the CLI's invoice


class TestFirmPricing(BillingCase):
	def entries(self) -> str:
		path = os.path.join(tempfile.mkdtemp(), "pricing-2026-05-entries.csv")
		with open(path, "w") as f:
			f.write(ENTRIES)
		return path

	def assert_priced_as_the_cli(self, firm: str, contract_key: str):
		"""The contract's June invoice on the site (May's work) against the CLI's May invoice of the same
		entries: every line but the monthly fee equal in description, amount and why."""
		load_firm_into_site(firm)
		customer = load_firm(firm).contract(contract_key).customer
		contract = frappe.db.get_value("Support Contract", {"customer": customer})
		self.contracts.append(contract)
		entries = self.entries()
		issues = self.work(customer, entries)
		result = self.bill(contract)
		frappe.db.commit()
		self.assertEqual(result["outcome"], billing.INVOICED, result)
		si = frappe.get_doc("Sales Invoice", result["sales_invoice"])
		cli = invoice_from_files(firm, contract_key, "2026-05", entries=entries)
		cli_tier = load_firm(firm).rating_tiers[cli.tier]
		fee_items = {cli_tier.item(code) for code in FEES}
		items = [i for i in si.items if i.item_code not in fee_items]
		lines = [line for line in cli.lines if line.item not in fee_items and (line.quantity or line.amount)]
		site = [(i.description.split("<br>")[0], D(str(i.amount)).quantize(D("0.01"))) for i in items]
		engine = [(line.description, line.amount) for line in lines]
		self.assertEqual(site, engine)
		# the labels: each line's why, the site's Timesheet rows named as the CLI's entries and the site's
		# tier (named with its firm's name) as the file's
		rows = frappe.get_all(
			"Timesheet Detail",
			filters={"sc_issue": ("in", list(issues.values()))},
			order_by="from_time asc",
			pluck="name",
		)
		whys = []
		for i in items:
			why = html.unescape(i.description.split("<small>")[1].removesuffix("</small>"))
			for n, row in enumerate(rows, 1):
				why = why.replace(row, f"P-{n}")
			whys.append(
				why.replace(frappe.db.get_value("Support Contract", contract, "tier"), cli_tier.title)
			)
		self.assertEqual(whys, [line.why for line in lines])
		self.assertEqual(sum(a for _d, a in site), sum(a for _d, a in engine))
		return site

	def test_trinax(self):
		self.assert_priced_as_the_cli("trinax", "TRX-001")

	def test_ballou_prices_by_office_hours_while_its_clock_runs_on_call(self):
		lines = self.assert_priced_as_the_cli("ballou", "BAL-002")
		labels = [d for d, _a in lines]
		# Tuesday 09:00 at 950 (business hours), Tuesday 22:10 after hours, the weekend and holiday × 2.0
		self.assertTrue(any("Remote support, business hours" in d for d in labels), labels)
		self.assertTrue(any("Remote support, after hours" in d for d in labels), labels)
		self.assertTrue(any("Phone support, weekend/holiday" in d for d in labels), labels)
		tier = frappe.get_doc("Support Tier", "Ballou Incident support")
		self.assertEqual((tier.business_calendar, tier.pricing_calendar), ("Ballou on_call", "Ballou office"))

	def test_vmi(self):
		self.assert_priced_as_the_cli("vmi", "VMI-001")

	def test_pindena_in_nok(self):
		"""Pindena bills in NOK; the company in SEK: the demo gives the exchange rate, and the invoice is
		made without an error."""
		lines = self.assert_priced_as_the_cli("pindena", "PIN-001")
		self.assertTrue(lines)

	def test_ezy_pays_its_on_call_month_as_the_cli(self):
		"""EZY's prices are its on-call pay (it sells no support by the hour): June 2026's jour weeks and
		activations, loaded into the ERP, come to the CLI's pay per employee, line by line."""
		load_on_call_month_into_site()
		_scheme, _month, slips = pay_from_files(
			"ezy",
			"jour",
			"2026-06",
			f"{DATA}/ezy-2026-06-jour-weeks.csv",
			f"{DATA}/ezy-2026-06-activations.csv",
		)
		self.assertEqual(len(slips), 2)
		for person, slip in slips.items():
			first, _, last = person.replace(".", " ").title().partition(" ")
			employee = frappe.db.get_value(
				"Employee", {"first_name": first, "last_name": last, "company": company()}
			)
			lines, summary = payroll.due_lines(employee, 2026, 6, pay_inputs.inputs_of(employee, [(2026, 6)]))
			self.assertEqual(summary, slip.summary)
			self.assertEqual(
				[(line.description, line.component, line.quantity, line.amount) for line in lines],
				[(line.description, line.component, line.quantity, line.amount) for line in slip.lines],
			)
		frappe.db.rollback()
