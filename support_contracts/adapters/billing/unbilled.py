"""Logged work not yet billed, as the next run will bill it (docs/rules.md F2): when a Timesheet is submitted
or cancelled, each contract whose tickets it holds has its unbilled work rated as the run will rate it
(``rating.rate_contract``, nothing written) — the hour bank it will draw, period by period, on top of what
the ledger holds. A period that reaches a warning percentage is told (``bank_warnings.warn``), and each
ticket's overage is marked (``bank_warnings.mark_overage``)."""

from __future__ import annotations

from collections import defaultdict

import frappe

from support_contracts.adapters import runs
from support_contracts.adapters.billing.bank_warnings import mark_overage, warn
from support_contracts.adapters.billing.hour_bank import bank_periods
from support_contracts.adapters.billing.inputs import first_contract
from support_contracts.adapters.billing.rating import rate_contract
from support_contracts.adapters.helpdesk import ticket_customer
from support_contracts.adapters.times import today
from support_contracts.engine.errors import EngineError
from support_contracts.engine.months import next_month


def watch_timesheet(doc, method=None) -> None:
	"""Timesheet on_submit / on_cancel: :func:`watch` each contract whose tickets the Timesheet's rows are on."""
	contracts = set()
	for row in doc.time_logs:
		if not row.get("sc_issue"):
			continue
		customer, contract = ticket_customer(row.get("sc_ticket_type"), row.sc_issue)
		if customer and not contract:  # a ticket no contract governs is billed under the customer's first
			contract = first_contract(customer)
		if contract:
			contracts.add(contract)
	for contract in sorted(contracts):
		watch(contract)


def after_billing(contract: str | None, inputs: dict) -> None:
	"""The run billed the contract (``run.bill_contract``, in its transaction): :func:`watch` it, the bank
	periods the invoice drew included."""
	if contract and inputs["tier"].hour_bank:
		watch(contract, billed=[r.period for r in inputs["bank_rows"]])


def watch(contract: str, billed=()) -> dict:
	"""The contract's bank foreseen (:func:`foresee`), the ``billed`` periods included: the percentages
	reached are told (once), and each ticket's overage marked. Returns what :func:`foresee` found, with the
	warnings ``told`` now and the ``overage`` per ticket."""
	seen = foresee(contract, billed)
	if not seen:
		return {}
	bank, told = seen["bank"], []
	for period, p in seen["periods"].items():
		told += warn(contract, bank, period, p["allotted"], p["used"], billed_used=p["billed"])
	return {**seen, "told": told, "overage": mark_overage(contract, seen["reports"], bank)}


def foresee(contract: str, billed=()) -> dict:
	"""The contract's bank as the next run will draw it, from everything logged up to the end of this month
	(a ticket's work that awaits the customer's approval included); nothing is written. Per bank period —
	those the logged work draws, and the ``billed`` ones — the minutes ``billed`` (the ledger), ``used``
	(billed and logged), ``allotted``, and ``over``: logged beyond the bank; the engine's ``reports`` and the ``bank``. Empty where the
	contract has no bank or cannot be rated (the run says why)."""
	doc = frappe.get_doc("Support Contract", contract)
	day = today()
	try:
		_inv, inputs = rate_contract(
			contract, *next_month(day.year, day.month), customer=doc.customer, foresee=True
		)
	except (runs.RunError, EngineError):
		return {}
	bank = inputs["tier"].hour_bank
	if bank is None:
		return {}
	reports = inputs["bank_reports"]
	logged: dict[str, int] = defaultdict(int)
	over: dict[str, int] = defaultdict(int)
	allotted: dict[str, int] = {}
	for report in reports:
		logged[report.period] += report.used_minutes
		over[report.period] += sum(minutes for _entry, _ticket, minutes in report.over)
		allotted[report.period] = report.allotment_minutes
	ledger = bank_periods(contract)
	periods = {}
	for period in sorted(set(logged) | set(billed)):
		p = ledger.get(period) or {"allocated": 0, "carried": 0, "used": 0}
		periods[period] = {
			"billed": p["used"],
			"used": p["used"] + logged.get(period, 0),
			"allotted": allotted.get(period, p["allocated"] + p["carried"]),
			"over": over.get(period, 0),
		}
	return {"periods": periods, "reports": reports, "bank": bank}
