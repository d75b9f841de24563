"""The monthly invoicing run: support contracts, Timesheets, Incident Fees and the hour-bank ledger in; one
ERPNext Sales Invoice per contract and billing month out, exactly once (docs/architecture.md).

What a contract's invoice of billing month M holds is the engine's (``rating.rate_billing_month``): the
fixed fee of M in advance (or of M-1, in arrears, where the tier says so) and the usage of M-1 — time
from submitted Timesheet rows on the customer's Issues, Incident Fees, travel, the hour bank, SLA credits.
Time logged for an earlier month after that month was billed ("late") is rated for its own month and
billed now, on lines that say so. This module reads those inputs, calls the engine, and writes.

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

import datetime as dt
import hashlib
from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt, getdate

from support_contracts.adapters import firm, runs
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import aware, naive
from support_contracts.engine.corrections import rate_correction
from support_contracts.engine.errors import EngineError, InputError
from support_contracts.engine.rating import (
	Breach,
	Contract,
	Incident,
	Invoice,
	TimeEntry,
	next_month,
	previous_month,
	rate_billing_month,
	rate_late_usage,
)
from support_contracts.engine.terms import ACCEPTED_QUOTATION

KIND = {"Phone": "phone", "Remote": "remote", "On-site": "on_site", "Travel": "travel"}
KIND_LABEL = {v: k for k, v in KIND.items()}  # the Timesheet's Kind of Work of an engine work kind
INVOICED, ALREADY, NOTHING, NOT_BILLED = "Invoiced", "Already Billed", "Nothing to Bill", "Not Billed"
ERROR = runs.ERROR
RUN, RESULT = "Support Billing Run", "Support Billing Run Result"


class BillingError(runs.RunError):
	"""A contract that cannot be billed, in words a clerk can act on."""


def month_of(value) -> tuple[int, int]:
	d = getdate(value)
	return d.year, d.month


def billing_key(contract: str | None, year: int, month: int, customer: str | None = None) -> str:
	"""The key of one invoice: ``<contract>|YYYY-MM``, or ``customer:<customer>|YYYY-MM`` without one."""
	if contract:
		return f"{contract}|{year}-{month:02d}"
	party = f"customer:{customer}"
	if len(party) > 130:  # the key column holds 140 characters
		party = "customer#" + hashlib.sha1(customer.encode()).hexdigest()
	return f"{party}|{year}-{month:02d}"


def _month_start(year: int, month: int) -> dt.datetime:
	return dt.datetime(year, month, 1)


# ---------------------------------------------------------------- which contracts a run bills
def contracts_to_bill(
	year: int, month: int, tier: str | None = None, customer: str | None = None, company: str | None = None
) -> list[dict]:
	"""Contracts active at some time in the billing month or the month before (a contract that ended last
	month still owes last month's usage)."""
	uy, um = previous_month(year, month)
	first = dt.date(uy, um, 1)
	last = (dt.date(year, month, 1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
	sc = frappe.qb.DocType("Support Contract")
	q = (
		frappe.qb.from_(sc)
		.select(sc.name, sc.customer)
		.where(sc.status.isin(("Active", "Expired", "Terminated")))
		.where(sc.start_date <= last)
		.where(sc.end_date.isnull() | (sc.end_date >= first))
		.orderby(sc.name)
	)
	if tier:
		q = q.where(sc.tier == tier)
	if customer:
		q = q.where(sc.customer == customer)
	if company:  # a contract is billed by its own company's runs
		q = q.where(sc.company == company)
	return q.run(as_dict=True)


def customers_without_contract(
	year: int, month: int, tier: str | None = None, customer: str | None = None, company: str | None = None
) -> list[dict]:
	"""Customers with unbilled time or call-ins before the billing month and no contract to bill it under:
	billed at the List-Price Tier of Support Contract Settings (docs/rules.md B3) — or, where none is
	named, listed as not billed and why (:func:`not_billed`), never left out in silence."""
	list_tier = setting("list_price_tier")
	if tier and tier != list_tier:
		return []
	before = _month_start(year, month)
	q, _td, ts, issue = _unbilled_time(before)
	q = q.select(issue.customer).distinct().where(issue.customer.notnull() & (issue.customer != ""))
	if company:  # time logged in the company's Timesheets
		q = q.where(ts.company == company)
	fee = frappe.qb.DocType("Incident Fee")
	q2 = (
		frappe.qb.from_(fee)
		.select(fee.customer)
		.distinct()
		.where(fee.support_contract.isnull() | (fee.support_contract == ""))
		.where(fee.status == "Unbilled")
		.where(fee.called_at < before)
	)
	if customer:
		q, q2 = q.where(issue.customer == customer), q2.where(fee.customer == customer)
	with_contract = {c.customer for c in contracts_to_bill(year, month, customer=customer)}
	found = set(q.run(pluck=True)) | set(q2.run(pluck=True))
	return [{"name": None, "customer": c} for c in sorted(found - with_contract)]


def units_to_bill(
	year: int, month: int, tier: str | None = None, customer: str | None = None, company: str | None = None
) -> list[dict]:
	"""What a company's run bills: each of its contracts (``name``), then each customer without one
	(``name`` None)."""
	return contracts_to_bill(year, month, tier, customer, company) + customers_without_contract(
		year, month, tier, customer, company
	)


def unit_key(unit: dict | None, result: dict | None = None) -> str:
	"""What a run bills (``unit``: ``name`` its contract, or None and ``customer``), or the unit of a row of
	its ``result``, as one key: the contract, or the customer billed without one."""
	if unit is not None:
		return unit["name"] or f"customer:{unit['customer']}"
	return result.get("support_contract") or f"customer:{result.get('customer')}"


# ---------------------------------------------------------------- inputs of one contract
def _engine_contract(doc) -> Contract:
	overrides = {}
	if doc.hourly_rate_override:
		overrides["hourly_rate"] = firm.decimal(doc.hourly_rate_override)
	if doc.monthly_fee_override:
		overrides["monthly_fee"] = firm.decimal(doc.monthly_fee_override)
	return Contract(
		key=doc.name,
		customer=doc.customer,
		tier=doc.tier,
		start=getdate(doc.start_date),
		end=getdate(doc.end_date) if doc.end_date else None,
		travel_zone=doc.travel_zone or None,
		overrides=overrides,
		monitored_units=cint(doc.monitored_units),
	)


def time_on_issues(submitted: bool = True):
	"""(query, Timesheet Detail, Timesheet, Issue): submitted Timesheet rows on Issues — the work done on
	tickets, whether billed or not (``submitted`` False: cancelled ones too); the caller selects and
	narrows."""
	td, ts, issue = (
		frappe.qb.DocType("Timesheet Detail"),
		frappe.qb.DocType("Timesheet"),
		frappe.qb.DocType("Issue"),
	)
	q = (
		frappe.qb.from_(td)
		.join(ts)
		.on(ts.name == td.parent)
		.join(issue)
		.on(issue.name == td.sc_issue)
		.where((ts.docstatus == 1) if submitted else (ts.docstatus > 0))
	)
	return q, td, ts, issue


def _unbilled_time(before: dt.datetime):
	""":func:`time_on_issues` not yet on an invoice, started before ``before`` — the time a run bills."""
	q, td, ts, issue = time_on_issues()
	q = q.where(td.sales_invoice.isnull() | (td.sales_invoice == "")).where(td.from_time < before)
	return q, td, ts, issue


def _timesheet_rows(contract: str | None, customer: str, before: dt.datetime, lock: bool) -> list[dict]:
	"""Submitted, unbilled Timesheet rows that started before ``before`` on the Issues the contract
	governs — and on the customer's Issues no contract governs, under the customer's first contract (or,
	``contract`` None, all the customer's Issues: they have no contract). Rows of a "quote first" request
	wait, unbilled, until its quotation is accepted (docs/rules.md E7): a later run bills them then, as
	late lines of their month."""
	q, td, ts, issue = _unbilled_time(before)
	quotation = frappe.qb.DocType("Quotation")
	q = q.left_join(quotation).on(quotation.name == issue.sc_quotation)
	q = q.where(
		(issue.sc_quote_first == 0) | ((quotation.docstatus == 1) & quotation.status.isin(ACCEPTED_QUOTATION))
	)
	if contract:
		ungoverned = issue.sc_support_contract.isnull() | (issue.sc_support_contract == "")
		first = frappe.get_all(
			"Support Contract",
			filters={"customer": customer, "status": ("in", ("Active", "Expired", "Terminated"))},
			order_by="start_date asc, name asc",
			pluck="name",
			limit=1,
		)
		mine = issue.sc_support_contract == contract
		q = q.where((mine | ungoverned) if first == [contract] else mine)
	q = q.select(*_row_fields(td, ts, issue)).where(issue.customer == customer).orderby(td.from_time)
	return (q.for_update() if lock else q).run(as_dict=True)


def _row_fields(td, ts, issue) -> tuple:
	"""What a Timesheet row is rated from (:func:`_entry`)."""
	return (
		td.name,
		td.parent,
		td.from_time,
		td.to_time,
		td.hours,
		td.sc_work_kind,
		td.sc_issue,
		td.sc_warranty,
		td.sc_urgent,
		td.sales_invoice,
		issue.sc_outside_area,
		ts.employee,
	)


def _entry(row) -> TimeEntry:
	if row.sc_work_kind not in KIND:
		raise BillingError(
			_("Timesheet {0} row {1} (Issue {2}) has no Kind of Work: it cannot be rated.").format(
				row.parent, row.name, row.sc_issue
			)
		)
	return TimeEntry(
		id=row.name,
		start=aware(row.from_time),
		kind=KIND[row.sc_work_kind],
		end=aware(row.to_time) if row.to_time else None,
		minutes=None if row.to_time else round(flt(row.hours) * 60),
		ticket=row.sc_issue,
		warranty=bool(row.sc_warranty),
		urgent=bool(row.sc_urgent),
		outside_area=bool(row.get("sc_outside_area")),
		who=row.employee,
	)


def _incident_fees(contract: str | None, customer: str, before: dt.datetime, lock: bool) -> list[dict]:
	"""Unbilled call-ins before ``before``: the contract's, or a customer's made without a contract."""
	fee = frappe.qb.DocType("Incident Fee")
	q = (
		frappe.qb.from_(fee)
		.select(fee.name, fee.called_at, fee.issue)
		.where(
			(fee.support_contract == contract)
			if contract
			else ((fee.support_contract.isnull() | (fee.support_contract == "")) & (fee.customer == customer))
		)
		.where(fee.status == "Unbilled")
		.where(fee.called_at < before)
		.orderby(fee.called_at)
	)
	return (q.for_update() if lock else q).run(as_dict=True)


def _breaches(contract: str, year: int, month: int) -> list[Breach]:
	"""The SLA breaches recorded for the contract's Issues whose due time fell in the month."""
	tr, issue = frappe.qb.DocType("SLA Transition"), frappe.qb.DocType("Issue")
	first = _month_start(year, month)
	nxt = _month_start(*next_month(year, month))
	rows = (
		frappe.qb.from_(tr)
		.join(issue)
		.on(issue.name == tr.issue)
		.select(
			tr.issue,
			tr.due,
			issue.priority,
			issue.sc_first_response_due,
			issue.sc_action_start_due,
			issue.sc_resolution_due,
		)
		.where(tr.transition == "Breached")
		.where(issue.sc_support_contract == contract)
		.where(tr.due >= first)
		.where(tr.due < nxt)
		.run(as_dict=True)
	)
	out = []
	for r in rows:
		metric = next(
			(
				m
				for m, due in (
					("action_start", r.sc_action_start_due),
					("first_response", r.sc_first_response_due),
					("resolution", r.sc_resolution_due),
				)
				if due and due == r.due
			),
			"resolution",
		)
		out.append(Breach(r.issue, r.priority, metric))
	return out


# ---------------------------------------------------------------- the hour-bank ledger
def _ledger_minutes(contract: str, period: str, entry_type: str) -> int:
	led = frappe.qb.DocType("Hour Bank Ledger Entry")
	rows = (
		frappe.qb.from_(led)
		.select(led.minutes)
		.where(led.support_contract == contract)
		.where(led.period == period)
		.where(led.entry_type == entry_type)
		.where(led.is_cancelled == 0)
		.run(pluck=True)
	)
	return sum(int(m) for m in rows)


def bank_state(contract: str, period: str) -> tuple[int, int]:
	"""(minutes used, minutes carried in) of a bank period, from the ledger."""
	return -_ledger_minutes(contract, period, "Consumption"), _ledger_minutes(contract, period, "Carry Over")


def hour_bank_balance(contract: str) -> list[dict]:
	"""Each bank period of the contract with its rows summed: allocation, carried in, used, expired, balance."""
	led = frappe.qb.DocType("Hour Bank Ledger Entry")
	rows = (
		frappe.qb.from_(led)
		.select(led.period, led.entry_type, led.minutes, led.posting_date)
		.where(led.support_contract == contract)
		.where(led.is_cancelled == 0)
		.orderby(led.posting_date)
		.run(as_dict=True)
	)
	periods: dict[str, dict] = {}
	for r in rows:
		p = periods.setdefault(r.period, {"period": r.period, "balance": 0})
		p[r.entry_type] = p.get(r.entry_type, 0) + int(r.minutes)
		p["balance"] += int(r.minutes)
	return list(periods.values())


# ---------------------------------------------------------------- rating one contract
def rate_contract(
	contract_name: str | None, year: int, month: int, *, lock: bool = False, customer: str | None = None
) -> tuple[Invoice, dict]:
	"""The engine's invoice of a contract (or, ``contract_name`` None, of a ``customer`` without one) for
	billing month ``year``-``month`` and what it was made from. Nothing is written. Late entries and
	incident fees (of months before the usage month, still unbilled) are rated for their own month and
	their lines marked late."""
	doc, contract, tier_name = _billed_party(contract_name, customer)
	try:
		tier = firm.rating_tier(tier_name)
	except EngineError as e:
		raise BillingError(_("Support Tier {0}: {1}").format(tier_name, str(e))) from None
	if doc is None and tier.hour_bank:
		raise BillingError(
			_("List-Price Tier {0} has an hour bank: customers without a contract have none.").format(
				tier_name
			)
		)
	uy, um = previous_month(year, month)
	before = _month_start(year, month)  # usage up to the end of the month before the billing month
	rows = _timesheet_rows(contract_name, contract.customer, before, lock)
	fees = _incident_fees(contract_name, contract.customer, before, lock)
	fixes = _corrections(contract_name, contract.customer, rows, tier, lock)
	taken = {r.name for fix in fixes for r in fix["now"] if not r.sales_invoice}
	rows = [r for r in rows if r.name not in taken]  # an amendment's rows are billed as its correction
	by_month: dict[tuple[int, int], dict[str, list]] = defaultdict(lambda: {"entries": [], "incidents": []})
	for row in rows:
		entry = _entry(row)
		local = entry.start.astimezone(tier.calendar.tz)
		by_month[(local.year, local.month)]["entries"].append(entry)
	for fee in fees:
		at = aware(fee.called_at)
		local = at.astimezone(tier.calendar.tz)
		by_month[(local.year, local.month)]["incidents"].append(Incident(fee.name, at, fee.issue))
	tiers = {tier_name: tier}
	bank = tier.hour_bank
	bank_rows = []
	lines = []
	try:
		used, carried = _bank_inputs(contract_name, bank, uy, um)
		main = rate_billing_month(
			contract,
			tiers,
			year,
			month,
			by_month.get((uy, um), {}).get("entries", ()),
			by_month.get((uy, um), {}).get("incidents", ()),
			_breaches(contract_name, uy, um) if tier.sla_credit and doc else (),
			bank_used_before=used,
			bank_carried_in=carried,
		)
		for (ly, lm), got in sorted(by_month.items()):
			if (ly, lm) >= (uy, um):
				continue
			used, carried = _bank_inputs(contract_name, bank, ly, lm)
			late = rate_late_usage(
				contract,
				tiers,
				ly,
				lm,
				got["entries"],
				got["incidents"],
				billed_in=f"{year}-{month:02d}",
				bank_used_before=used,
				bank_carried_in=carried,
			)
			lines += late.lines
			if late.bank and late.bank.used_minutes:
				bank_rows.append(late.bank)
		for fix in fixes:
			fix["correction"] = _rate_fix(fix, contract, tiers, year, month)
			lines += fix["correction"].lines
	except InputError as e:
		raise BillingError(str(e)) from None
	if main.bank and main.bank.used_minutes:
		bank_rows.append(main.bank)
	invoice = Invoice(
		main.contract,
		main.customer,
		main.tier,
		main.month,
		main.currency,
		main.lines + tuple(lines),
		main.bank,
	)
	return invoice, {
		"contract": doc,
		"customer": contract.customer,
		"tier": tier,
		"timesheet_rows": [r.name for r in rows],
		"incident_fees": [f.name for f in fees],
		"bank_rows": bank_rows,
		"corrections": fixes,
	}


def not_billed(contract_name: str | None) -> str | None:
	"""Why the run leaves a unit unbilled, or None: a customer without a contract is billed only at a
	List-Price Tier."""
	if contract_name or setting("list_price_tier"):
		return None
	return _(
		"No support contract, and Support Contract Settings name no List-Price Tier: the work is not billed. Make a contract, or name a List-Price Tier and start the run again."
	)


def _billed_party(contract_name: str | None, customer: str | None):
	"""(Support Contract or None, the engine's contract, tier name) of what is billed."""
	if contract_name:
		doc = frappe.get_doc("Support Contract", contract_name)
		return doc, _engine_contract(doc), doc.tier
	if not customer:
		raise BillingError(_("Neither a support contract nor a customer to bill."))
	tier_name = setting("list_price_tier")
	if not tier_name:
		raise BillingError(
			_(
				"Customer {0} has no support contract, and Support Contract Settings name no List-Price Tier."
			).format(customer)
		)
	return None, Contract.without_contract(customer, tier_name), tier_name


def _bank_inputs(contract: str, bank, year: int, month: int) -> tuple[int, int]:
	"""Minutes used before and carried into the bank period of the month. A period billed for the first
	time carries in what is left of the last open one, where the tier carries over."""
	if not bank:
		return 0, 0
	period = bank.period_of(year, month)[2]
	used, carried = bank_state(contract, period)
	if bank.carry_over and not _ledger_minutes(contract, period, "Allocation"):
		prev = _open_period_before(contract, period)
		carried += max(prev[1], 0) if prev else 0
	return used, carried


def _open_period_before(contract: str, period: str) -> tuple[str, int] | None:
	"""The last earlier bank period of the contract that has not been closed, and what is left of it."""
	open_ = [
		p
		for p in hour_bank_balance(contract)
		if p["period"] != period and "Expiry" not in p and "Allocation" in p
	]
	return (open_[-1]["period"], open_[-1]["balance"]) if open_ else None


# ---------------------------------------------------------------- corrections of billed work
def _party_invoices(contract: str | None, customer: str) -> dict[str, dict]:
	"""The standing (draft or submitted) invoices the run made for the contract, or for the customer
	without one."""
	si = frappe.qb.DocType("Sales Invoice")
	q = (
		frappe.qb.from_(si)
		.select(si.name, si.sc_billing_period)
		.where(si.docstatus < 2)
		.where(si.sc_billing_period.notnull() & (si.sc_billing_period != ""))
	)
	if contract:
		q = q.where(si.sc_support_contract == contract)
	else:
		q = q.where(
			(si.sc_support_contract.isnull() | (si.sc_support_contract == "")) & (si.customer == customer)
		)
	return {r.name: r for r in q.run(as_dict=True)}


def amendments(timesheets: set[str]) -> set[str]:
	"""Every Timesheet amended from these, at any depth."""
	found: set[str] = set()
	frontier = set(timesheets)
	while frontier:
		frontier = (
			set(frappe.get_all("Timesheet", filters={"amended_from": ("in", sorted(frontier))}, pluck="name"))
			- found
		)
		found |= frontier
	return found


def _corrections(contract: str | None, customer: str, unbilled: list[dict], tier, lock: bool) -> list[dict]:
	"""Billed work corrected since it was billed (docs/rules.md B3; Support Contract Settings' "Billed Work
	May Be Corrected"): per month, the rows as billed (on the party's standing invoices, not yet corrected),
	the rows of cancelled Timesheets among them, and the rows as they are now — the billed rows still
	standing and the rows of the cancelled Timesheets' amendments (from ``unbilled``)."""
	invoices = _party_invoices(contract, customer)
	if not invoices:
		return []
	q, td, ts, issue = time_on_issues(submitted=False)
	q = q.select(*_row_fields(td, ts, issue), td.sc_corrected_by, ts.docstatus.as_("timesheet_status"))
	q = q.where(td.sales_invoice.isin(sorted(invoices))).orderby(td.from_time)
	billed = [
		r for r in (q.for_update() if lock else q).run(as_dict=True) if r.sc_corrected_by not in invoices
	]
	pending = [r for r in billed if r.timesheet_status == 2]
	if not pending:
		return []
	tz = tier.calendar.tz

	def month(row) -> tuple[int, int]:
		local = aware(row.from_time).astimezone(tz)
		return local.year, local.month

	months = sorted({month(r) for r in pending})
	amended = amendments({r.parent for r in pending})
	fixes = []
	for m in months:
		gone = [r for r in pending if month(r) == m]
		kept = [r for r in billed if month(r) == m and r.timesheet_status == 1]
		new = [r for r in unbilled if r.parent in amended and month(r) == m]
		fixes.append(
			{
				"month": m,
				"billed": kept + gone,
				"gone": gone,
				"now": kept + new,
				"invoices": sorted({r.sales_invoice for r in gone}),
				"incidents": _billed_incidents(sorted(invoices), m, tz),
			}
		)
	return fixes


def _billed_incidents(invoices: list[str], month: tuple[int, int], tz) -> list[Incident]:
	fee = frappe.qb.DocType("Incident Fee")
	rows = (
		frappe.qb.from_(fee)
		.select(fee.name, fee.called_at, fee.issue)
		.where(fee.sales_invoice.isin(invoices))
		.run(as_dict=True)
	)
	out = []
	for r in rows:
		at = aware(r.called_at)
		local = at.astimezone(tz)
		if (local.year, local.month) == month:
			out.append(Incident(r.name, at, r.issue))
	return out


def _rate_fix(fix: dict, contract: Contract, tiers: dict, year: int, month: int):
	"""The engine's correction of one month: the work now less the work as billed."""
	tier = next(iter(tiers.values()))
	used, carried = _bank_before(contract.key if contract.has_contract else None, tier, *fix["month"])
	return rate_correction(
		contract,
		tiers,
		*fix["month"],
		[_entry(r) for r in fix["billed"]],
		[_entry(r) for r in fix["now"]],
		fix["incidents"],
		corrects=", ".join(fix["invoices"]),
		billed_in=f"{year}-{month:02d}",
		bank_used_before=used,
		bank_carried_in=carried,
	)


def _bank_before(contract: str | None, tier, year: int, month: int) -> tuple[int, int]:
	"""Bank minutes used in the period of the month by work done before the month, and carried into it:
	the bank as it stood for the month's own work."""
	bank = tier.hour_bank
	if not bank or not contract:
		return 0, 0
	period = bank.period_of(year, month)[2]
	start = naive(dt.datetime(year, month, 1, tzinfo=tier.calendar.tz))
	led = frappe.qb.DocType("Hour Bank Ledger Entry")
	used = (
		frappe.qb.from_(led)
		.select(led.minutes)
		.where(led.support_contract == contract)
		.where(led.period == period)
		.where(led.entry_type == "Consumption")
		.where(led.is_cancelled == 0)
		.where(led.worked_at < start)
		.run(pluck=True)
	)
	return -sum(int(m) for m in used), _ledger_minutes(contract, period, "Carry Over")


def _mark_corrections(sales_invoice: str | None, inputs: dict, posting_date) -> None:
	"""A correction's rows: the amendment's rows billed on the invoice that billed the difference, the
	cancelled rows corrected by it, the bank moved by the difference. A correction that changes nothing
	is settled on the invoice it corrects (``sales_invoice`` None: settle them all so)."""
	td = frappe.qb.DocType("Timesheet Detail")
	for fix in inputs["corrections"]:
		billed_on = sales_invoice if sales_invoice and fix["correction"].lines else None
		new = [r.name for r in fix["now"] if not r.sales_invoice]
		if new:
			frappe.qb.update(td).set(td.sales_invoice, billed_on or fix["invoices"][0]).where(
				td.name.isin(new)
			).run()
		for r in fix["gone"]:
			frappe.qb.update(td).set(td.sc_corrected_by, billed_on or r.sales_invoice).where(
				td.name == r.name
			).run()
		doc = inputs["contract"]
		period, moves = fix["correction"].bank_period, fix["correction"].bank_moves
		if doc and moves:  # the work as corrected draws the bank, the work as billed gives it back
			why = _("Correction of {0}").format(fix["correction"].corrects)
			for entry, ticket, kind, start, minutes in moves:
				_ledger(
					doc,
					period,
					"Consumption",
					-minutes,
					billed_on or fix["invoices"][0],
					posting_date,
					f"{why}: {KIND_LABEL.get(kind, kind)} on {ticket}" if ticket else why,
					work={
						"issue": ticket,
						"time_entry": entry,
						"work_kind": KIND_LABEL.get(kind),
						"worked_at": naive(start),
					},
				)
			if not _ledger_minutes(doc.name, period, "Allocation"):
				_open_period(
					doc, inputs["tier"].hour_bank, period, billed_on or fix["invoices"][0], posting_date
				)


# ---------------------------------------------------------------- preview
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


# ---------------------------------------------------------------- billing one contract
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
		_mark_corrections(None, inputs, posting_date)  # corrections that changed nothing: settled
		return {"outcome": NOTHING, "amount": 0, "currency": inv.currency}
	doc = inputs["contract"]
	_check_parties(inputs["customer"], inv.currency, company)
	si = _sales_invoice(inv, doc, inputs["customer"], key, company, posting_date)
	try:
		si.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		raise BillingError(_("{0} was billed by another run at the same moment.").format(key)) from None
	_mark_billed(si.name, inputs, doc, posting_date)
	_mark_corrections(si.name, inputs, posting_date)
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
			_ledger(
				doc,
				report.period,
				"Consumption",
				-minutes,
				sales_invoice,
				posting_date,
				f"{KIND_LABEL.get(kind, kind)} on {ticket}" if ticket else KIND_LABEL.get(kind, kind),
				work={
					"issue": ticket,
					"time_entry": entry,
					"work_kind": KIND_LABEL.get(kind),
					"worked_at": naive(start),
				},
			)
		if not _ledger_minutes(doc.name, report.period, "Allocation"):
			_open_period(doc, inputs["tier"].hour_bank, report.period, sales_invoice, posting_date)


def _open_period(doc, bank, period: str, sales_invoice: str, posting_date) -> None:
	"""A bank period's first billing: its allocation, and the close of the period before — what is left of
	it expires, or is carried over into this one (docs/rules.md B2)."""
	prev = _open_period_before(doc.name, period)
	if prev:
		left = max(prev[1], 0)
		_ledger(doc, prev[0], "Expiry", -left, sales_invoice, posting_date, f"{period} begins")
		if bank.carry_over and left:
			_ledger(doc, period, "Carry Over", left, sales_invoice, posting_date, f"left of {prev[0]}")
	_ledger(doc, period, "Allocation", bank.minutes, sales_invoice, posting_date, f"{bank.period} allocation")


def _ledger(doc, period, entry_type, minutes, sales_invoice, posting_date, why, work=None) -> None:
	frappe.get_doc(
		{
			**(work or {}),
			"doctype": "Hour Bank Ledger Entry",
			"support_contract": doc.name,
			"customer": doc.customer,
			"period": period,
			"entry_type": entry_type,
			"minutes": minutes,
			"posting_date": posting_date,
			"sales_invoice": sales_invoice,
			"billing_month": frappe.db.get_value("Sales Invoice", sales_invoice, "sc_billing_period"),
			"explanation": why,
		}
	).insert(ignore_permissions=True)


# ---------------------------------------------------------------- cancel / delete
def release(doc, method=None) -> None:
	"""A cancelled or deleted support invoice frees its key, its Timesheet rows and Incident Fees, and its
	hour-bank rows stop counting: the contract and month can be billed again."""
	if not doc.get("sc_billing_period"):
		return  # not an invoice of the run
	if doc.get("sc_billing_key"):
		frappe.db.set_value("Sales Invoice", doc.name, "sc_billing_key", None, update_modified=False)
	td = frappe.qb.DocType("Timesheet Detail")
	frappe.qb.update(td).set(td.sales_invoice, None).where(td.sales_invoice == doc.name).run()
	# rows whose correction it billed wait for a correction again
	frappe.qb.update(td).set(td.sc_corrected_by, None).where(td.sc_corrected_by == doc.name).run()
	fee = frappe.qb.DocType("Incident Fee")
	frappe.qb.update(fee).set(fee.status, "Unbilled").set(fee.sales_invoice, None).where(
		fee.sales_invoice == doc.name
	).run()
	led = frappe.qb.DocType("Hour Bank Ledger Entry")
	frappe.qb.update(led).set(led.is_cancelled, 1).where(led.sales_invoice == doc.name).run()
	if method == "on_trash":
		frappe.qb.update(led).set(led.sales_invoice, None).where(led.sales_invoice == doc.name).run()


def check_invoice_items(tier) -> None:
	"""A tier's Invoice Items bill as enabled, non-stock Items (a support line moves no stock)."""
	for row in tier.get("invoice_items") or ():
		disabled, stock = frappe.db.get_value("Item", row.item, ["disabled", "is_stock_item"]) or (0, 0)
		if disabled or stock:
			frappe.throw(
				_(
					"Invoice Items row {0}: Item {1} is {2}; choose an enabled service (non-stock) Item."
				).format(row.idx, frappe.bold(row.item), _("disabled") if disabled else _("a stock item")),
				title=_("Invalid Invoice Item"),
			)


def refuse_amending(doc, method=None) -> None:
	"""``Sales Invoice.before_insert``: an invoice the run made is corrected by cancelling it, correcting the
	work and starting the run again — an amendment would bill the same work a second time, since its
	Timesheet rows, Incident Fees and hour-bank minutes went free with the cancel."""
	if doc.get("amended_from") and frappe.db.get_value(
		"Sales Invoice", doc.amended_from, "sc_billing_period"
	):
		frappe.throw(
			_(
				"{0} was made by the invoicing run. To correct it, correct the Timesheets, Incident Fees or contract and start a Support Billing Run for {1} again: it bills the contract anew."
			).format(
				doc.amended_from, frappe.db.get_value("Sales Invoice", doc.amended_from, "sc_billing_period")
			),
			title=_("Not Amended"),
		)


# ---------------------------------------------------------------- a run's chunk
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


# ---------------------------------------------------------------- Timesheet input
def check_timesheet(doc, method=None) -> None:
	"""A Timesheet row on an Issue a contract governs is billed by the run: it needs its Kind of Work."""
	for row in doc.time_logs:
		if row.get("sc_issue") and not row.get("sc_work_kind"):
			if frappe.db.get_value("Issue", row.sc_issue, "sc_support_contract"):
				frappe.throw(
					_("Row {0}: {1} is required for time on Issue {2} (a support contract bills it).").format(
						row.idx, frappe.bold(_("Kind of Work")), row.sc_issue
					),
					title=_("Missing Kind of Work"),
				)
