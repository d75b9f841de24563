"""What a contract's invoice of a billing month holds, read from the site and rated by the engine, with
nothing written (docs/rules.md B): its Timesheet rows and Incident Fees by usage month — late months rated
for their own month — the hour bank each month draws, in time order, and the corrections of billed work.
The run (``run.py``) bills it; the preview shows it; ``unbilled.py`` foresees the bank from it."""

from __future__ import annotations

from collections import defaultdict

from frappe import _

from support_contracts.adapters import firm
from support_contracts.adapters.billing.corrections import corrections_of, rate_fix
from support_contracts.adapters.billing.hour_bank import bank_inputs
from support_contracts.adapters.billing.inputs import (
	AWAITING,
	BillingError,
	billed_party,
	breaches_of,
	incident_fees_of,
	month_start,
	time_entry,
	timesheet_rows,
)
from support_contracts.adapters.helpdesk import ticket_key
from support_contracts.adapters.times import aware
from support_contracts.engine.errors import EngineError, InputError
from support_contracts.engine.months import previous_month
from support_contracts.engine.rating import rate_billing_month, rate_late_usage
from support_contracts.engine.work import Incident, Invoice


def rate_contract(
	contract_name: str | None,
	year: int,
	month: int,
	*,
	lock: bool = False,
	customer: str | None = None,
	foresee: bool = False,
) -> tuple[Invoice, dict]:
	"""The engine's invoice of a contract (or, ``contract_name`` None, of a ``customer`` without one) for
	billing month ``year``-``month`` and what it was made from. Nothing is written. Late entries and
	incident fees (of months before the usage month, still unbilled) are rated for their own month and
	their lines marked late. ``foresee``: the rows of tickets whose overage awaits the customer's approval
	rated too, as they will be once decided (``unbilled.py``)."""
	doc, contract, tier_name = billed_party(contract_name, customer)
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
	before = month_start(year, month)  # usage up to the end of the month before the billing month
	rows = timesheet_rows(contract_name, contract.customer, before, lock)
	if not foresee:  # a ticket's overage awaits its customer: its time waits, and all time after it (F2)
		rows = held_back(rows)
	fees = incident_fees_of(contract_name, contract.customer, before, lock)
	fixes = corrections_of(contract_name, contract.customer, rows, tier, lock)
	taken = {r.name for fix in fixes for r in fix["now"] if not r.sales_invoice}
	rows = [r for r in rows if r.name not in taken]  # an amendment's rows are billed as its correction
	by_month: dict[tuple[int, int], dict[str, list]] = defaultdict(lambda: {"entries": [], "incidents": []})
	for row in rows:
		entry = time_entry(row)
		local = entry.start.astimezone(tier.calendar.tz)
		by_month[(local.year, local.month)]["entries"].append(entry)
	for fee in fees:
		at = aware(fee.called_at)
		local = at.astimezone(tier.calendar.tz)
		by_month[(local.year, local.month)]["incidents"].append(
			Incident(fee.name, at, ticket_key(fee.ticket_type, fee.issue))
		)
	tiers = {tier_name: tier}
	bank = tier.hour_bank
	bank_rows = []
	lines = []
	# the bank is drawn in time order: late months first, each after what the months before it in the same
	# bank period drew on this invoice (the ledger holds only what earlier invoices drew)
	drawn: dict[str, int] = defaultdict(int)

	def bank_so_far(y: int, m: int) -> tuple[int, int]:
		used, carried = bank_inputs(contract_name, bank, y, m)
		return used + (drawn[bank.period_of(y, m)[2]] if bank else 0), carried

	reports = []  # every month's bank report, drawn or not: the overage it found (docs/rules.md F2)

	def draw(report) -> None:
		if report:
			reports.append(report)
		if report and report.used_minutes:
			drawn[report.period] += report.used_minutes
			bank_rows.append(report)

	try:
		for (ly, lm), got in sorted(by_month.items()):
			if (ly, lm) >= (uy, um):
				continue
			used, carried = bank_so_far(ly, lm)
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
			draw(late.bank)
		used, carried = bank_so_far(uy, um)
		main = rate_billing_month(
			contract,
			tiers,
			year,
			month,
			by_month.get((uy, um), {}).get("entries", ()),
			by_month.get((uy, um), {}).get("incidents", ()),
			breaches_of(contract_name, uy, um) if tier.sla_credit and doc else (),
			bank_used_before=used,
			bank_carried_in=carried,
		)
		for fix in fixes:
			fix["correction"] = rate_fix(fix, contract, tiers, year, month)
			lines += fix["correction"].lines
	except InputError as e:
		raise BillingError(str(e)) from None
	draw(main.bank)
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
		"bank_reports": reports,
		"corrections": fixes,
	}


def held_back(rows: list) -> list:
	"""docs/rules.md F2: the rows a run bills while a ticket's overage awaits its customer's decision — none
	of that ticket's, and none that started after its first waiting row, so that the bank is still drawn
	in time order once the customer decides."""
	first = min((r.from_time for r in rows if r.get("sc_overage_decision") == AWAITING), default=None)
	return rows if first is None else [r for r in rows if r.from_time < first]
