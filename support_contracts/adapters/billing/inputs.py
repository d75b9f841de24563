"""What the invoicing run reads (docs/rules.md B3): which contracts and customers a run bills, and of
each the submitted Timesheet rows on its tickets (Issues, and HD Tickets where Frappe Helpdesk is
installed), its Incident Fees and its SLA breaches — as the engine's
:class:`~support_contracts.engine.work.TimeEntry`, :class:`~support_contracts.engine.work.Incident` and
:class:`~support_contracts.engine.work.Breach`. Nothing here writes."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import NamedTuple

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate

from support_contracts.adapters import firm, prices, runs
from support_contracts.adapters.helpdesk import ticket_doctypes, ticket_key, with_customer
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import aware
from support_contracts.engine.months import next_month, previous_month
from support_contracts.engine.terms import ACCEPTED_QUOTATION
from support_contracts.engine.tiers import Contract
from support_contracts.engine.work import Breach, TimeEntry

KIND = {"Phone": "phone", "Remote": "remote", "On-site": "on_site", "Travel": "travel"}


KIND_LABEL = {v: k for k, v in KIND.items()}  # the Timesheet's Kind of Work of an engine work kind


ERROR = runs.ERROR


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


def month_start(year: int, month: int) -> dt.datetime:
	return dt.datetime(year, month, 1)


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
	before = month_start(year, month)
	found = set()
	for t in _unbilled_time(before):
		q = t.q.select(t.customer).distinct().where(t.customer.notnull() & (t.customer != ""))
		if company:  # time logged in the company's Timesheets
			q = q.where(t.ts.company == company)
		if customer:
			q = q.where(t.customer == customer)
		found |= set(q.run(pluck=True))
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
		q2 = q2.where(fee.customer == customer)
	with_contract = {c.customer for c in contracts_to_bill(year, month, customer=customer)}
	found |= set(q2.run(pluck=True))
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


def not_billed(contract_name: str | None) -> str | None:
	"""Why the run leaves a unit unbilled, or None: a customer without a contract is billed only at a
	List-Price Tier."""
	if contract_name or setting("list_price_tier"):
		return None
	return _(
		"No support contract, and Support Contract Settings name no List-Price Tier: the work is not billed. Make a contract, or name a List-Price Tier and start the run again."
	)


def billed_party(contract_name: str | None, customer: str | None):
	"""(Support Contract or None, the engine's contract, tier name) of what is billed."""
	if contract_name:
		doc = frappe.get_doc("Support Contract", contract_name)
		return doc, engine_contract(doc), doc.tier
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


def engine_contract(doc) -> Contract:
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
		price_changes=prices.changes_of(doc.name),  # indexed renewals, billed from their day (F3)
	)


# the customer's decision on a ticket's work beyond the hour bank (docs/rules.md F2)
AWAITING, APPROVED, DECLINED = "Awaiting Approval", "Approved", "Declined"


class TicketTime(NamedTuple):
	"""A query of Timesheet rows on one kind of ticket, and what the caller selects and narrows it by."""

	q: object  # the query
	td: object  # Timesheet Detail
	ts: object  # Timesheet
	ticket: object  # Issue, or HD Ticket
	customer: object  # the column of the ticket's ERPNext Customer
	doctype: str


def time_on_tickets(submitted: bool = True) -> list[TicketTime]:
	"""Submitted Timesheet rows on tickets — the work done on them, whether billed or not (``submitted``
	False: cancelled ones too) — one query per ticket doctype the site has (Issue; HD Ticket with
	Helpdesk); the caller selects, narrows and runs each."""
	out = []
	for doctype in ticket_doctypes():
		td, ts, ticket = (
			frappe.qb.DocType("Timesheet Detail"),
			frappe.qb.DocType("Timesheet"),
			frappe.qb.DocType(doctype),
		)
		q = (
			frappe.qb.from_(td)
			.join(ts)
			.on(ts.name == td.parent)
			.join(ticket)
			.on(ticket.name == td.sc_issue)
			.where((ts.docstatus == 1) if submitted else (ts.docstatus > 0))
			.where(
				(td.sc_ticket_type == doctype)
				if doctype != "Issue"
				else (td.sc_ticket_type.isnull() | td.sc_ticket_type.isin(("", "Issue")))
			)
		)
		q, customer = with_customer(q, doctype, ticket)
		out.append(TicketTime(q, td, ts, ticket, customer, doctype))
	return out


def _unbilled_time(before: dt.datetime) -> list[TicketTime]:
	""":func:`time_on_tickets` not yet on an invoice, started before ``before`` — the time a run bills."""
	return [
		t._replace(
			q=t.q.where(t.td.sales_invoice.isnull() | (t.td.sales_invoice == "")).where(
				t.td.from_time < before
			)
		)
		for t in time_on_tickets()
	]


def unbilled_minutes() -> int:
	"""The minutes of every submitted Timesheet row on a customer's Issue that no invoice holds yet —
	the work the next runs bill, a "quote first" request's waiting rows included (the billing clerk's
	workspace). A row's minutes are the engine's (``engine/work.TimeEntry``): the started minutes of its
	span in real time where it has an end (a night the clocks change is an hour longer or shorter),
	else its hours."""
	rows = []
	for t in time_on_tickets():
		rows += (
			t.q.select(t.td.from_time, t.td.to_time, t.td.hours)
			.where(t.td.sales_invoice.isnull() | (t.td.sales_invoice == ""))
			.where(t.customer.notnull() & (t.customer != ""))
			.run()
		)
	return sum(
		int(-(-(aware(end).timestamp() - aware(start).timestamp()) // 60)) if end else round(flt(hours) * 60)
		for start, end, hours in rows
	)


def first_contract(customer: str) -> str | None:
	"""The customer's first contract (Draft left out): the one its tickets no contract governs are billed
	under."""
	first = frappe.get_all(
		"Support Contract",
		filters={"customer": customer, "status": ("in", ("Active", "Expired", "Terminated"))},
		order_by="start_date asc, name asc",
		pluck="name",
		limit=1,
	)
	return first[0] if first else None


def timesheet_rows(contract: str | None, customer: str, before: dt.datetime, lock: bool) -> list[dict]:
	"""Submitted, unbilled Timesheet rows that started before ``before`` on the tickets the contract
	governs — and on the customer's tickets no contract governs, under the customer's first contract (or,
	``contract`` None, all the customer's tickets: they have no contract). Rows of a "quote first" request
	wait, unbilled, until its quotation is accepted (docs/rules.md E7): a later run bills them then, as late
	lines of their month. Issues' rows and HD Tickets' rows together, in time order, each with its
	ticket's decision on overage (what waits for it: ``rating.held_back``, F2)."""
	first = contract and first_contract(customer)
	rows = []
	for t in _unbilled_time(before):
		ticket, quotation = t.ticket, frappe.qb.DocType("Quotation")
		q = t.q.left_join(quotation).on(quotation.name == ticket.sc_quotation)
		q = q.where(
			(ticket.sc_quote_first == 0)
			| ((quotation.docstatus == 1) & quotation.status.isin(ACCEPTED_QUOTATION))
		)
		if contract:
			ungoverned = ticket.sc_support_contract.isnull() | (ticket.sc_support_contract == "")
			mine = ticket.sc_support_contract == contract
			q = q.where((mine | ungoverned) if first == contract else mine)
		q = q.select(*row_fields(t)).where(t.customer == customer).orderby(t.td.from_time)
		rows += (q.for_update() if lock else q).run(as_dict=True)
	return sorted(rows, key=lambda r: (r.from_time, r.name))


def row_fields(t: TicketTime) -> tuple:
	"""What a Timesheet row is rated from (:func:`time_entry`)."""
	td = t.td
	return (
		td.name,
		td.parent,
		td.from_time,
		td.to_time,
		td.hours,
		td.sc_work_kind,
		td.sc_ticket_type,
		td.sc_issue,
		td.sc_warranty,
		td.sc_urgent,
		td.sales_invoice,
		t.ticket.sc_outside_area,
		t.ticket.sc_overage_decision,
		t.ts.employee,
	)


def time_entry(row) -> TimeEntry:
	if row.sc_work_kind not in KIND:
		raise BillingError(
			_("Timesheet {0} row {1} ({2} {3}) has no Kind of Work: it cannot be rated.").format(
				row.parent, row.name, _(row.sc_ticket_type or "Issue"), row.sc_issue
			)
		)
	return TimeEntry(
		id=row.name,
		start=aware(row.from_time),
		kind=KIND[row.sc_work_kind],
		end=aware(row.to_time) if row.to_time else None,
		minutes=None if row.to_time else round(flt(row.hours) * 60),
		ticket=ticket_key(row.get("sc_ticket_type"), row.sc_issue),
		warranty=bool(row.sc_warranty),
		urgent=bool(row.sc_urgent),
		outside_area=bool(row.get("sc_outside_area")),
		overage_declined=row.get("sc_overage_decision") == DECLINED,
		who=row.employee,
	)


def incident_fees_of(contract: str | None, customer: str, before: dt.datetime, lock: bool) -> list[dict]:
	"""Unbilled call-ins before ``before``: the contract's, or a customer's made without a contract."""
	fee = frappe.qb.DocType("Incident Fee")
	q = (
		frappe.qb.from_(fee)
		.select(fee.name, fee.called_at, fee.ticket_type, fee.issue)
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


def breaches_of(contract: str, year: int, month: int) -> list[Breach]:
	"""The SLA breaches recorded for the contract's tickets whose due time fell in the month, each under
	the contract priority its ticket is filed under."""
	tr = frappe.qb.DocType("SLA Transition")
	first = month_start(year, month)
	nxt = month_start(*next_month(year, month))
	rows = []
	for doctype in ticket_doctypes():
		ticket = frappe.qb.DocType(doctype)
		rows += (
			frappe.qb.from_(tr)
			.join(ticket)
			.on(ticket.name == tr.issue)
			.select(
				tr.ticket_type,
				tr.issue,
				tr.due,
				(ticket.priority if doctype == "Issue" else ticket.sc_priority).as_("priority"),
				ticket.sc_first_response_due,
				ticket.sc_action_start_due,
				ticket.sc_resolution_due,
			)
			.where(tr.ticket_type == doctype)
			.where(tr.transition == "Breached")
			.where(ticket.sc_support_contract == contract)
			.where(tr.due >= first)
			.where(tr.due < nxt)
			.orderby(tr.due)
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
		out.append(Breach(ticket_key(r.ticket_type, r.issue), r.priority, metric))
	return out


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
