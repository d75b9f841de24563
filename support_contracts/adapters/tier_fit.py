"""The tier that fits (docs/rules.md F1) for one contract, as the Tier Fit report and the contract's button
read it: its months of work and call-ins, read as the invoicing run reads them (``billing/inputs``), rated
under each Support Tier by the engine (``engine/tier_fit.py``); and its tickets' SLA clocks replayed under
each tier's targets — "would have breached 3 times instead of 1". Nothing is written."""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe.utils import getdate

from support_contracts.adapters import firm
from support_contracts.adapters.billing.inputs import (
	BillingError,
	engine_contract,
	row_fields,
	time_entry,
	time_on_tickets,
)
from support_contracts.adapters.helpdesk import ticket_doctypes, ticket_key
from support_contracts.adapters.issue.contracts import maintenance_windows
from support_contracts.adapters.issue.ledger import stored_events
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import aware, now, today
from support_contracts.engine.errors import EngineError
from support_contracts.engine.months import months_ending, next_month, previous_month
from support_contracts.engine.sla import BREACHED, Clock
from support_contracts.engine.tier_fit import TierCost, tier_fit
from support_contracts.engine.work import Incident

MONTHS = 12  # a year of work, the last complete months


def fit(contract_name: str, to_month: tuple[int, int] | None = None, months: int = MONTHS) -> dict:
	"""What ``contract_name``'s ``months`` up to ``to_month`` (default: last month) cost, and would have cost
	under each Support Tier (``costs``: the engine's TierCost, its own tier first), the months priced
	(those of its term), the work left out and why (``skipped``), and per tier the breaches its targets
	would have found (``breaches``; None where the tier's targets cannot judge the tickets)."""
	doc = frappe.get_doc("Support Contract", contract_name)
	span = _span(doc, to_month or previous_month(today().year, today().month), months)
	contract = engine_contract(doc)
	tiers, broken = {}, {}
	for name in frappe.get_all("Support Tier", pluck="name", order_by="name"):
		try:
			tiers[name] = firm.rating_tier(name)
		except EngineError as e:
			broken[name] = str(e)
	usage, skipped = _usage(doc, span, tiers[doc.tier].calendar.tz) if span else ({}, [])
	list_price = setting("list_price_tier")  # priced as the work of a customer without a contract
	costs = tier_fit(contract, tiers, span, usage, without_contract=list_price) if span else []
	costs += [TierCost(name, name, "", None, why_not=why) for name, why in broken.items()]
	return {
		"contract": doc,
		"months": span,
		"costs": costs,
		"skipped": skipped,
		"breaches": what_if(doc, span, [c.tier for c in costs if c.total is not None]) if span else {},
	}


def _span(doc, last: tuple[int, int], count: int) -> list[tuple[int, int]]:
	"""The months of the span that the contract's term covers."""
	start = getdate(doc.start_date)
	end = getdate(doc.end_date) if doc.end_date else None
	return [
		(y, m)
		for y, m in months_ending(*last, count)
		if (y, m) >= (start.year, start.month) and (end is None or (y, m) <= (end.year, end.month))
	]


def _bounds(span) -> tuple:
	first = f"{span[0][0]}-{span[0][1]:02d}-01 00:00:00"
	y, m = next_month(*span[-1])
	return first, f"{y}-{m:02d}-01 00:00:00"


def _usage(doc, span, tz) -> tuple[dict, list[str]]:
	"""Per month of the span (in the contract's tier's time zone): the time entries of every submitted
	Timesheet row on the contract's tickets, billed or not, and its call-ins; and the rows that cannot be
	rated (no Kind of Work)."""
	first, after = _bounds(span)
	usage: dict = defaultdict(lambda: ([], []))
	skipped = []
	for t in time_on_tickets():
		rows = (
			t.q.select(*row_fields(t))
			.where(t.ticket.sc_support_contract == doc.name)
			.where((t.td.from_time >= first) & (t.td.from_time < after))
			.orderby(t.td.from_time)
			.run(as_dict=True)
		)
		for row in rows:
			try:
				entry = time_entry(row)
			except BillingError as e:
				skipped.append(str(e))
				continue
			local = entry.start.astimezone(tz)
			usage[(local.year, local.month)][0].append(entry)
	for fee in frappe.get_all(
		"Incident Fee",
		filters={"support_contract": doc.name, "called_at": ("between", (first, after))},
		fields=["name", "called_at", "ticket_type", "issue"],
		order_by="called_at asc",
	):
		at = aware(fee.called_at)
		local = at.astimezone(tz)
		usage[(local.year, local.month)][1].append(
			Incident(fee.name, at, ticket_key(fee.ticket_type, fee.issue))
		)
	return {k: (tuple(e), tuple(i)) for k, (e, i) in usage.items() if k in set(span)}, skipped


def what_if(doc, span, tier_names: list[str]) -> dict[str, int | None]:
	"""Per tier: how many targets of the contract's tickets opened in the span its SLA targets would have
	found breached — each ticket's ledger replayed under the tier's targets as its own clock replays it
	(the contract's maintenance windows left out); None where they cannot judge them."""
	first, after = _bounds(span)
	ledgers = []
	for doctype in ticket_doctypes():
		for name in frappe.get_all(
			doctype,
			filters=[
				["sc_support_contract", "=", doc.name],
				["opening_date", ">=", first.split()[0]],
				["opening_date", "<", after.split()[0]],
			],
			pluck="name",
		):
			events = stored_events(str(name), lock=False, doctype=doctype)
			if events:
				ledgers.append(events)
	out = {}
	for name in tier_names:
		try:
			policy = firm.policy(name)
			out[name] = sum(_breached(policy, doc.name, events) for events in ledgers)
		except EngineError:
			out[name] = None
	return out


def _breached(policy, contract: str, events) -> int:
	clock = Clock(policy, excluded=maintenance_windows(contract, events[0].at))
	for e in events:
		clock.add(e)
	report = clock.report(max(now(), events[-1].at))
	return sum(1 for m in report.metrics.values() if m.status == BREACHED)
