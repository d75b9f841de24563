"""Billed work corrected since it was billed (docs/rules.md B3, Support Contract Settings › Billed Work May
Be Corrected): the rows as billed and as they are now, per month, rated by ``engine/corrections.py`` as the
difference, and the marks that settle them (the amendment's rows billed, the cancelled rows corrected, the
hour bank moved by the difference)."""

from __future__ import annotations

import frappe
from frappe import _

from support_contracts.adapters.billing.hour_bank import (
	bank_before_month,
	ledger_minutes,
	open_period,
	write_entry,
)
from support_contracts.adapters.billing.inputs import (
	KIND_LABEL,
	amendments,
	row_fields,
	time_entry,
	time_on_tickets,
)
from support_contracts.adapters.helpdesk import ticket_key
from support_contracts.adapters.times import aware, naive
from support_contracts.engine.corrections import rate_correction
from support_contracts.engine.tiers import Contract
from support_contracts.engine.work import Incident


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


def corrections_of(contract: str | None, customer: str, unbilled: list[dict], tier, lock: bool) -> list[dict]:
	"""Billed work corrected since it was billed (docs/rules.md B3; Support Contract Settings' "Billed Work
	May Be Corrected"): per month, the rows as billed (on the party's standing invoices, not yet corrected),
	the rows of cancelled Timesheets among them, and the rows as they are now — the billed rows still
	standing and the rows of the cancelled Timesheets' amendments (from ``unbilled``)."""
	# first the billed rows of cancelled Timesheets on the customer's invoices — rare: a run with nothing
	# to correct reads no more than this (the invoice's customer, fixed once it is submitted, not the Issue's)
	si = frappe.qb.DocType("Sales Invoice")
	tickets = time_on_tickets(submitted=False)
	queries = [
		t.q.select(*row_fields(t), t.td.sc_corrected_by, t.ts.docstatus.as_("timesheet_status"))
		.join(si)
		.on(si.name == t.td.sales_invoice)
		for t in tickets
	]
	cancelled = [
		r
		for t, q in zip(tickets, queries, strict=True)
		for r in q.where(t.ts.docstatus == 2)
		.where(si.docstatus < 2)
		.where(si.customer == customer)
		.run(as_dict=True)
	]
	if not cancelled:
		return []
	invoices = _party_invoices(contract, customer)
	if not any(r.sales_invoice in invoices and r.sc_corrected_by not in invoices for r in cancelled):
		return []
	on_standing = [q.where(si.name.isin(sorted(invoices))) for q in queries]
	billed = sorted(
		(
			r
			for q in on_standing
			for r in (q.for_update() if lock else q).run(as_dict=True)
			if r.sc_corrected_by not in invoices
		),
		key=lambda r: (r.from_time, r.name),
	)
	pending = [r for r in billed if r.timesheet_status == 2]
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
		.select(fee.name, fee.called_at, fee.ticket_type, fee.issue)
		.where(fee.sales_invoice.isin(invoices))
		.run(as_dict=True)
	)
	out = []
	for r in rows:
		at = aware(r.called_at)
		local = at.astimezone(tz)
		if (local.year, local.month) == month:
			out.append(Incident(r.name, at, ticket_key(r.ticket_type, r.issue)))
	return out


def rate_fix(fix: dict, contract: Contract, tiers: dict, year: int, month: int):
	"""The engine's correction of one month: the work now less the work as billed."""
	tier = next(iter(tiers.values()))
	used, carried = bank_before_month(contract.key if contract.has_contract else None, tier, *fix["month"])
	return rate_correction(
		contract,
		tiers,
		*fix["month"],
		[time_entry(r) for r in fix["billed"]],
		[time_entry(r) for r in fix["now"]],
		fix["incidents"],
		corrects=", ".join(fix["invoices"]),
		billed_in=f"{year}-{month:02d}",
		bank_used_before=used,
		bank_carried_in=carried,
	)


def mark_corrections(sales_invoice: str | None, inputs: dict, posting_date) -> None:
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
				write_entry(
					doc,
					period,
					"Consumption",
					-minutes,
					billed_on or fix["invoices"][0],
					posting_date,
					f"{why}: {KIND_LABEL.get(kind, kind)} on {ticket}" if ticket else why,
					work={
						"ticket": ticket,
						"time_entry": entry,
						"work_kind": KIND_LABEL.get(kind),
						"worked_at": naive(start),
					},
				)
			if not ledger_minutes(doc.name, period, "Allocation"):
				open_period(
					doc, inputs["tier"].hour_bank, period, billed_on or fix["invoices"][0], posting_date
				)
