"""The hour-bank ledger (Hour Bank Ledger Entry, docs/rules.md B2): this module alone reads and writes it —
what a period holds, the rows a billing writes (consumption per piece of work, a period's opening with
the close of the last one, decided by ``engine/hour_bank.py``), and the check that the ledger agrees with
the invoices.

The ledger always agrees with the invoices the run made:

1. **per contract and period, the consumption equals the bank lines of the standing invoices** — the
   minutes each run invoice's hour-bank lines show for that period (their sum, corrections included);
2. **no consumption counts for an invoice that no longer stands** (cancelled or deleted);
3. **no piece of work draws the bank while it is not billed** — a Timesheet row whose net consumption is
   not zero must be on a standing invoice and not corrected since; and none draws more than its minutes;
4. **no period is drawn below zero**;
5. **corrected work is not billed again beside the work it corrects**.

:func:`check` lists every way the ledger disagrees, in words; the report *Hour Bank Check* shows it."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import flt

from support_contracts.adapters.billing.guards import standing_run_invoices
from support_contracts.adapters.billing.inputs import amendments
from support_contracts.adapters.helpdesk import ticket_of
from support_contracts.adapters.times import naive
from support_contracts.engine.hour_bank import LedgerPeriod, bank_before, opening


def ledger_minutes(contract: str, period: str, entry_type: str) -> int:
	"""The minutes of one kind of row in a period of the contract's ledger (cancelled rows left out)."""
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


_FIGURE = {"Allocation": "allocated", "Carry Over": "carried", "Consumption": "used", "Expiry": "expired"}


def bank_periods(contract: str) -> dict[str, dict]:
	"""Each bank period of the contract as people read it (the portal, the contract's form): minutes
	``allocated``, ``carried`` in, ``used`` and ``expired`` (each 0 or more), what is ``left``, and the
	``work`` that used it (its consumption rows: issue, work_kind, worked_at, billing_month, minutes), in
	the order the work was done."""
	rows = frappe.get_all(
		"Hour Bank Ledger Entry",
		filters={"support_contract": contract, "is_cancelled": 0},
		fields=["period", "entry_type", "minutes", "issue", "work_kind", "worked_at", "billing_month"],
		order_by="worked_at asc, creation asc",
	)
	periods: dict[str, dict] = {}
	for r in rows:
		p = periods.setdefault(
			r.period,
			{"period": r.period, "allocated": 0, "carried": 0, "used": 0, "expired": 0, "work": []},
		)
		p[_FIGURE[r.entry_type]] += abs(int(r.minutes))
		if r.entry_type == "Consumption":
			p["work"].append(r)
	for p in periods.values():
		p["left"] = p["allocated"] + p["carried"] - p["used"] - p["expired"]
	return periods


def bank_now(contract: str, bank, day: dt.date) -> dict:
	"""The contract's bank period that holds ``day`` (``bank.period_of``: the period the invoicing run
	files the day's work under): its ``period`` label and ``last`` day, ``this`` — its figures as the
	ledger has them (:func:`bank_periods`), None before the period's first invoice — and every period
	(``periods``). ``allotted`` and ``left`` are the period's allocation with what was carried in, and what
	is left of them; before its first invoice, what the period will open with: the tier's allocation and,
	where the tier carries over, what is left of the last open period (``engine/hour_bank.bank_before``)."""
	_first, last, label = bank.period_of(day.year, day.month)
	periods = bank_periods(contract)
	this = periods.get(label)
	if this:
		allotted, left = this["allocated"] + this["carried"], this["left"]
	else:
		used, carried = bank_before(bank, label, ledger_periods(contract))
		allotted = bank.minutes + carried
		left = allotted - used
	return {
		"period": label,
		"last": last,
		"this": this,
		"allotted": allotted,
		"left": left,
		"periods": periods,
	}


def ledger_periods(contract: str | None) -> list[LedgerPeriod]:
	"""The contract's bank periods as the engine reads them (``engine/hour_bank.LedgerPeriod``)."""
	if not contract:
		return []
	return [
		LedgerPeriod(
			p["period"],
			allocated=p.get("Allocation", 0),
			carried_in=p.get("Carry Over", 0),
			used=-p.get("Consumption", 0),
			expired="Expiry" in p,
			balance=p["balance"],
		)
		for p in hour_bank_balance(contract)
	]


def bank_inputs(contract: str | None, bank, year: int, month: int) -> tuple[int, int]:
	"""(minutes used, minutes carried in) of the bank period of the month, before this billing
	(``engine/hour_bank.bank_before``)."""
	if not bank:
		return 0, 0
	return bank_before(bank, bank.period_of(year, month)[2], ledger_periods(contract))


def open_period(doc, bank, period: str, sales_invoice: str, posting_date) -> None:
	"""A bank period's first billing: the rows ``engine/hour_bank.opening`` decides — the close of the last
	open period (expiry, and carry-over where the tier says so) and this period's allocation."""
	for row_period, entry_type, minutes, why in opening(bank, period, ledger_periods(doc.name)):
		write_entry(doc, row_period, entry_type, minutes, sales_invoice, posting_date, why)


def write_entry(doc, period, entry_type, minutes, sales_invoice, posting_date, why, work=None) -> None:
	"""One row of the contract's ledger, for ``sales_invoice``; ``work``: the piece of work it is for (its
	``ticket`` as the engine names it: an Issue, or an HD Ticket)."""
	work = dict(work or {})
	if work.get("ticket"):
		work["ticket_type"], work["issue"] = ticket_of(work.pop("ticket"))
	frappe.get_doc(
		{
			**work,
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


def bank_before_month(contract: str | None, tier, year: int, month: int) -> tuple[int, int]:
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
	return -sum(int(m) for m in used), ledger_minutes(contract, period, "Carry Over")


_BANK_LINE = re.compile(r"Hour bank ([^:<]+):")  # invoices made before lines carried their period


def _ledger_rows(contract: str | None) -> list[dict]:
	led = frappe.qb.DocType("Hour Bank Ledger Entry")
	q = frappe.qb.from_(led).select(
		led.name,
		led.support_contract,
		led.period,
		led.entry_type,
		led.minutes,
		led.sales_invoice,
		led.time_entry,
		led.is_cancelled,
	)
	if contract:
		q = q.where(led.support_contract == contract)
	return q.run(as_dict=True)


def _invoiced(contract: str | None) -> dict[tuple[str, str], int]:
	"""(contract, period) → the bank minutes the standing run invoices show."""
	si, item = frappe.qb.DocType("Sales Invoice"), frappe.qb.DocType("Sales Invoice Item")
	q = (
		frappe.qb.from_(item)
		.join(si)
		.on(si.name == item.parent)
		.select(si.sc_support_contract, item.sc_bank_period, item.sc_bank_minutes, item.qty, item.description)
		.where(si.docstatus < 2)
		.where(si.sc_support_contract.notnull() & (si.sc_support_contract != ""))
		.where(
			(item.sc_bank_period.notnull() & (item.sc_bank_period != ""))
			| item.description.like("%Hour bank %")
		)
	)
	if contract:
		q = q.where(si.sc_support_contract == contract)
	out: dict[tuple[str, str], int] = defaultdict(int)
	for r in q.run(as_dict=True):
		period, minutes = r.sc_bank_period, r.sc_bank_minutes
		if not period:
			found = _BANK_LINE.search(r.description or "")
			if not found:
				continue
			period, minutes = found.group(1).strip(), round(flt(r.qty) * 60)
		out[(r.sc_support_contract, period)] += int(minutes or 0)
	return out


def check(contract: str | None = None) -> list[dict]:
	"""Every disagreement of the ledger with the invoices (of one contract, or all): rows of
	``{support_contract, period, sales_invoice, time_entry, ledger_minutes, invoiced_minutes, problem}``."""
	rows = _ledger_rows(contract)
	live = [r for r in rows if not r.is_cancelled]
	problems: list[dict] = []

	def problem(text, **kw):
		problems.append({"support_contract": None, "period": None, **kw, "problem": text})

	# 1. consumption per contract and period = the standing invoices' bank lines
	used: dict[tuple[str, str], int] = defaultdict(int)
	for r in live:
		if r.entry_type == "Consumption":
			used[(r.support_contract, r.period)] += -int(r.minutes)
	invoiced = _invoiced(contract)
	for key in sorted(set(used) | set(invoiced)):
		if used.get(key, 0) != invoiced.get(key, 0):
			problem(
				_(
					"The ledger counts {0} min used in {1}; the standing invoices' bank lines show {2} min."
				).format(used.get(key, 0), key[1], invoiced.get(key, 0)),
				support_contract=key[0],
				period=key[1],
				ledger_minutes=used.get(key, 0),
				invoiced_minutes=invoiced.get(key, 0),
			)

	# 2. no live row of an invoice that no longer stands
	standing = standing_run_invoices(r.sales_invoice for r in live)
	for r in live:
		if r.sales_invoice not in standing:
			problem(
				_("Ledger row {0} ({1}, {2} min) counts for {3}, which is cancelled or gone.").format(
					r.name, _(r.entry_type), r.minutes, r.sales_invoice or _("no invoice")
				),
				support_contract=r.support_contract,
				period=r.period,
				sales_invoice=r.sales_invoice,
				ledger_minutes=-int(r.minutes),
			)

	# 3. work draws the bank only while it is billed, and at most once
	by_entry: dict[str, list[dict]] = defaultdict(list)
	for r in live:
		if r.entry_type == "Consumption" and r.time_entry:
			by_entry[r.time_entry].append(r)
	td = frappe.qb.DocType("Timesheet Detail")
	marks = {
		m.name: m
		for m in (
			frappe.qb.from_(td)
			.select(td.name, td.sales_invoice, td.sc_corrected_by, td.hours)
			.where(td.name.isin(sorted(by_entry) or [""]))
			.run(as_dict=True)
		)
	}
	billed_on = standing_run_invoices(
		[m.sales_invoice for m in marks.values()] + [m.sc_corrected_by for m in marks.values()]
	)
	for entry, entry_rows in sorted(by_entry.items()):
		net = -sum(int(r.minutes) for r in entry_rows)
		if not net:
			continue
		mark = marks.get(entry)
		first = entry_rows[0]
		where = {"support_contract": first.support_contract, "period": first.period, "time_entry": entry}
		if not (mark and mark.sales_invoice in billed_on and mark.sc_corrected_by not in billed_on):
			problem(
				_(
					"Timesheet row {0} draws {1} min from the bank but is not billed on a standing invoice."
				).format(entry, net),
				ledger_minutes=net,
				**where,
			)
		elif net > max(60, -(-round(flt(mark.hours) * 60) // 60) * 60):  # more than any rounding bills
			problem(
				_("Timesheet row {0} draws {1} min from the bank: more than once.").format(entry, net),
				ledger_minutes=net,
				**where,
			)

	# 5. corrected work is not billed again beside the work it corrects
	problems += _billed_twice(contract)

	# 4. no period drawn below zero
	balance: dict[tuple[str, str], int] = defaultdict(int)
	for r in live:
		balance[(r.support_contract, r.period)] += int(r.minutes)
	for key, left in sorted(balance.items()):
		if left < 0:
			problem(
				_("Period {0} is drawn {1} min below zero.").format(key[1], -left),
				support_contract=key[0],
				period=key[1],
				ledger_minutes=left,
			)
	return problems


def _billed_twice(contract: str | None) -> list[dict]:
	"""Rows of an amended Timesheet billed on a standing invoice while the cancelled Timesheet's rows they
	replace are still billed, uncorrected: the same work on two invoices."""
	td, ts, si = (
		frappe.qb.DocType("Timesheet Detail"),
		frappe.qb.DocType("Timesheet"),
		frappe.qb.DocType("Sales Invoice"),
	)
	q = (
		frappe.qb.from_(td)
		.join(ts)
		.on(ts.name == td.parent)
		.join(si)
		.on(si.name == td.sales_invoice)
		.select(
			td.name, td.parent, td.sales_invoice, td.sc_corrected_by, ts.docstatus, si.sc_support_contract
		)
		.where(si.docstatus < 2)
		.where(si.sc_billing_period.notnull() & (si.sc_billing_period != ""))
	)
	if contract:
		q = q.where(si.sc_support_contract == contract)
	rows = q.run(as_dict=True)
	standing = standing_run_invoices(r.sc_corrected_by for r in rows)
	pending = [r for r in rows if r.docstatus == 2 and r.sc_corrected_by not in standing]
	out, seen = [], set()
	for r in pending:
		amended = amendments({r.parent})
		for a in rows:
			if a.parent in amended and a.docstatus == 1 and a.name not in seen:
				seen.add(a.name)
				out.append(
					{
						"support_contract": r.sc_support_contract,
						"period": None,
						"sales_invoice": a.sales_invoice,
						"time_entry": a.name,
						"problem": _(
							"Timesheet {0} (amended from {1}) is billed on {2}, while the work it corrects is still billed on {3}: the same work twice."
						).format(a.parent, r.parent, a.sales_invoice, r.sales_invoice),
					}
				)
	return out
