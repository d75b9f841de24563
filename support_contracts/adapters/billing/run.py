"""The monthly invoicing run: support contracts, Timesheets, Incident Fees and the hour-bank ledger in; one
ERPNext Sales Invoice per contract and billing month out, exactly once (docs/architecture.md).

What a contract's invoice of billing month M holds is ``rating.rate_contract``'s (the engine's
``rate_billing_month``): the fixed fee of M in advance (or of M-1, in arrears, where the tier says so) and
the usage of M-1 — time from submitted Timesheet rows on the customer's tickets, Incident Fees, travel, the
hour bank, SLA credits — with late time of earlier months on lines that say so. This module bills it: the
invoice, the ledger rows, the marks on what it billed, and the bank's warnings (``unbilled.after_billing``).

Exactly once:

- the contract's row is locked (``SELECT … FOR UPDATE``) before anything is read, so two workers billing
  one contract take turns, and the second finds the first's invoice;
- the invoice carries the key ``<contract>|<YYYY-MM>`` in ``sc_billing_key``, a column with a unique
  index: whatever slips past the lock fails there and is reported as already billed;
- each contract is one transaction: its invoice, ledger rows and the marks on its Timesheet rows and
  Incident Fees are committed together, so a worker killed half-way leaves a contract either billed or
  untouched, and the next run bills what is left;
- cancelling (or deleting) the invoice frees the key and takes back its marks and ledger rows, so the
  clerk can bill that contract and month again after a correction (:func:`release`).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import escape_html, flt

from support_contracts.adapters import runs
from support_contracts.adapters.billing.corrections import mark_corrections
from support_contracts.adapters.billing.hour_bank import ledger_minutes, open_period, write_entry
from support_contracts.adapters.billing.inputs import (
	ERROR,
	KIND_LABEL,
	BillingError,
	billing_key,
	month_of,
	not_billed,
	units_to_bill,
)
from support_contracts.adapters.billing.rating import rate_contract
from support_contracts.adapters.billing.unbilled import after_billing
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import naive
from support_contracts.engine.work import Invoice

INVOICED, ALREADY, NOTHING, NOT_BILLED = "Invoiced", "Already Billed", "Nothing to Bill", "Not Billed"


RUN, RESULT = "Support Billing Run", "Support Billing Run Result"


def preview(year: int, month: int, contracts: list[dict]) -> list[dict]:
	"""What a run would bill, per contract, with every line's why; nothing is written."""
	out = []
	for c in contracts:
		unit = {"support_contract": c["name"], "customer": c["customer"]}
		done = _existing(billing_key(c["name"], year, month, c["customer"]))
		if done:
			out.append({**unit, "outcome": ALREADY, "sales_invoice": done})
			continue
		why = not_billed(c["name"])
		if why:
			out.append({**unit, "outcome": NOT_BILLED, "message": why})
			continue
		try:
			inv, _inputs = rate_contract(c["name"], year, month, customer=c["customer"])
			out.append(
				{
					**unit,
					"outcome": INVOICED if _inputs_to_bill(inv, _inputs) else NOTHING,
					"currency": inv.currency,
					"total": flt(inv.total),
					"lines": [
						{
							"item": line.item,
							"description": line.description,
							"quantity": flt(line.quantity),
							"unit": line.unit,
							"rate": flt(line.rate),
							"amount": flt(line.amount),
							"why": line.why,
						}
						for line in inv.lines
					],
				}
			)
		except runs.RunError as e:
			out.append({**unit, "outcome": ERROR, "error": str(e)})
	return out


def _inputs_to_bill(inv: Invoice, inputs: dict) -> bool:
	"""Whether billing would make an invoice: work or call-ins to mark, or an amount to bill."""
	return bool(inputs["timesheet_rows"] or inputs["incident_fees"] or any(line.amount for line in inv.lines))


def existing_invoice(key: str) -> str | None:
	"""The invoice that holds ``key``, its row locked."""
	return _existing(key, lock=True)


def _existing(key: str, lock: bool = False) -> str | None:
	si = frappe.qb.DocType("Sales Invoice")
	q = frappe.qb.from_(si).select(si.name).where(si.sc_billing_key == key)
	rows = (q.for_update() if lock else q).run(pluck=True)
	return rows[0] if rows else None


def bill_contract(
	contract_name: str | None,
	year: int,
	month: int,
	*,
	company: str,
	posting_date,
	submit: bool = False,
	customer: str | None = None,
) -> dict:
	"""Bill one contract (or, ``contract_name`` None, a ``customer`` without one) for one billing month, in
	the caller's transaction; returns the outcome."""
	if contract_name:
		frappe.db.sql("select name from `tabSupport Contract` where name = %s for update", contract_name)
	else:
		frappe.db.sql("select name from `tabCustomer` where name = %s for update", customer)
	key = billing_key(contract_name, year, month, customer)
	done = existing_invoice(key)
	if done:
		return {"outcome": ALREADY, "sales_invoice": done}
	why = not_billed(contract_name)
	if why:
		return {"outcome": NOT_BILLED, "message": why}
	inv, inputs = rate_contract(contract_name, year, month, lock=True, customer=customer)
	if not _inputs_to_bill(inv, inputs):
		mark_corrections(None, inputs, posting_date)  # corrections that changed nothing: settled
		return {"outcome": NOTHING, "amount": 0, "currency": inv.currency}
	doc = inputs["contract"]
	_check_parties(inputs["customer"], inv.currency, company)
	si = _sales_invoice(inv, doc, inputs["customer"], key, company, posting_date)
	try:
		si.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		raise BillingError(_("{0} was billed by another run at the same moment.").format(key)) from None
	_mark_billed(si.name, inputs, doc, posting_date)
	mark_corrections(si.name, inputs, posting_date)
	after_billing(contract_name, inputs)  # the hour bank's warnings and overage (docs/rules.md F2)
	if submit:
		si.submit()
	return {
		"outcome": INVOICED,
		"sales_invoice": si.name,
		"amount": flt(si.grand_total),
		"currency": si.currency,
	}


def _check_parties(customer: str, currency: str, company: str) -> None:
	billing_currency = frappe.db.get_value("Customer", customer, "default_currency")
	if billing_currency and billing_currency != currency:
		raise BillingError(
			_(
				"Customer {0} is billed in {1} (Billing Currency), but the contract's tier bills in {2}."
			).format(customer, billing_currency, currency)
		)
	from erpnext.accounts.party import get_party_account

	account = get_party_account("Customer", customer, company)
	if not account:
		raise BillingError(
			_(
				"Customer {0} has no receivable account for company {1}, and the company has no default."
			).format(customer, company)
		)
	account_currency = frappe.get_cached_value("Account", account, "account_currency")
	if account_currency and account_currency != currency:
		raise BillingError(
			_(
				"Customer {0} is billed in {1}, but its receivable account {2} is in {3}: give the customer a receivable account in {1} for company {4} (Customer › Accounting)."
			).format(customer, currency, account, account_currency, company)
		)


def _sales_invoice(inv: Invoice, doc, customer: str, key: str, company: str, posting_date):
	rows = []
	for line in inv.lines:
		if not line.quantity and not line.amount:
			continue  # e.g. an untouched hour bank: shown in the preview, nothing for an invoice row
		uom = frappe.db.exists("Item", line.item) and frappe.get_cached_value("Item", line.item, "stock_uom")
		if not uom:
			raise BillingError(
				_(
					"Item {0} does not exist: create it, or map the line to another Item in the tier's Invoice Items (bench migrate makes the app's own Items once ERPNext's setup is done)."
				).format(line.item)
			)
		# as ERPNext will store them: a 10-minute step is 0.167 h, and 0.167 × 895 is not the engine's 149.17
		qty = flt(line.quantity, frappe.get_precision("Sales Invoice Item", "qty"))
		rate = flt(line.rate, frappe.get_precision("Sales Invoice Item", "rate"))
		whole = frappe.get_cached_value("UOM", uom, "must_be_whole_number")
		# ERPNext's amount must be the engine's, to the öre, and a counted UOM takes no fraction
		if flt(qty * rate, 2) != flt(line.amount) or (whole and qty != int(qty)):
			qty, rate = 1, flt(line.amount)
		rows.append(
			{
				"item_code": line.item,
				"qty": qty,
				"rate": rate,
				# the engine's price is the price: ERPNext replaces a rate of 0 (a warranty line, the hour
				# bank, declined overage) by the Item's price-list rate unless the row names its own
				"price_list_rate": rate,
				"description": f"{escape_html(line.description)}<br><small>{escape_html(line.why)}</small>",
				# an hour-bank line's period and minutes, which the ledger must agree with (hour_bank.check)
				"sc_bank_period": line.bank_period,
				"sc_bank_minutes": round(line.quantity * 60) if line.bank_period else 0,
			}
		)
	si = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": company,
			"customer": customer,
			"posting_date": posting_date,
			"set_posting_time": 1,
			"currency": inv.currency,
			"sc_support_contract": doc.name if doc else None,
			"sc_billing_period": inv.month,
			"sc_billing_key": key,
			"ignore_pricing_rule": 1,  # nor may a Pricing Rule change what the engine rated
			"items": rows,
			"taxes_and_charges": _taxes_template(customer, company, posting_date),
		}
	)
	si.flags.sc_billing_run = True  # the run's fields are written by the run only (billed_work)
	if si.taxes_and_charges:
		si.set_taxes()
	return si


def _taxes_template(customer: str, company: str, posting_date) -> str | None:
	"""The taxes ERPNext's form would choose: the customer's Tax Rule, else the company's default template
	(the rest of ERPNext's defaults — accounts, price list, terms — its own validate sets). What does not
	depend on the customer is asked once per worker."""
	from erpnext.accounts.party import set_taxes
	from erpnext.controllers.accounts_controller import get_default_taxes_and_charges

	cache = frappe.local.flags.setdefault("sc_taxes", {})
	if "rules" not in cache:
		cache["rules"] = bool(frappe.db.exists("Tax Rule", {"tax_type": "Sales"}))
	if cache["rules"]:
		group, category = frappe.db.get_value("Customer", customer, ["customer_group", "tax_category"])
		by_rule = set_taxes(
			customer, "Customer", posting_date, company, customer_group=group, tax_category=category
		)
		if by_rule:
			return by_rule
	if company not in cache:
		cache[company] = (
			get_default_taxes_and_charges("Sales Taxes and Charges Template", company=company) or {}
		).get("taxes_and_charges")
	return cache[company]


def _mark_billed(sales_invoice: str, inputs: dict, doc, posting_date) -> None:
	td = frappe.qb.DocType("Timesheet Detail")
	if inputs["timesheet_rows"]:
		frappe.qb.update(td).set(td.sales_invoice, sales_invoice).where(
			td.name.isin(inputs["timesheet_rows"])
		).run()
	fee = frappe.qb.DocType("Incident Fee")
	if inputs["incident_fees"]:
		frappe.qb.update(fee).set(fee.status, "Billed").set(fee.sales_invoice, sales_invoice).where(
			fee.name.isin(inputs["incident_fees"])
		).run()
	for report in inputs["bank_rows"]:
		# a row per piece of work the bank paid for: the customer sees which ticket used their hours
		for entry, ticket, kind, start, minutes in report.covered:
			write_entry(
				doc,
				report.period,
				"Consumption",
				-minutes,
				sales_invoice,
				posting_date,
				f"{KIND_LABEL.get(kind, kind)} on {ticket}" if ticket else KIND_LABEL.get(kind, kind),
				work={
					"ticket": ticket,
					"time_entry": entry,
					"work_kind": KIND_LABEL.get(kind),
					"worked_at": naive(start),
				},
			)
		if not ledger_minutes(doc.name, report.period, "Allocation"):
			open_period(doc, inputs["tier"].hour_bank, report.period, sales_invoice, posting_date)


def run_chunk(run: str, contracts: list[str] = (), customers: list[str] = ()) -> None:
	"""Bill ``contracts`` (and ``customers`` without a contract) of a Support Billing Run, each in its own
	transaction (``adapters/runs.py``); one that fails is reported in the run's results and does not stop
	the others. Idempotent: run it again and billed contracts are reported as already billed."""
	r = frappe.db.get_value(
		"Support Billing Run",
		run,
		["company", "billing_month", "posting_date", "tier", "customer"],
		as_dict=True,
	)
	year, month = month_of(r.billing_month)
	submit = bool(setting("submit_invoices"))
	units = [
		{"support_contract": name, "customer": frappe.db.get_value("Support Contract", name, "customer")}
		for name in contracts
	] + [{"support_contract": None, "customer": c} for c in customers]

	def bill(unit):
		return bill_contract(
			unit["support_contract"],
			year,
			month,
			company=r.company,
			posting_date=r.posting_date,
			submit=submit,
			customer=unit["customer"],
		)

	total = len(units_to_bill(year, month, r.tier, r.customer, r.company))
	runs.run_units(
		units,
		bill,
		lambda unit, outcome: runs.store_result(RUN, RESULT, run, unit, outcome),
		lambda: runs.update_progress(RUN, RESULT, run, total),
	)
