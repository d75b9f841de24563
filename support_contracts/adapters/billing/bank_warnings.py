"""Hour banks that warn (docs/rules.md F2): when a contract's bank period reaches a percentage its tier names
(Support Tier › Warn at), the contract's authorised callers and the customer's account manager are told by
e-mail, each in their language — once per contract, period and percentage, kept as an *Hour Bank Warning*
(its key is unique, so two workers reaching it at once tell once). And the work beyond the bank (overage)
is marked on its ticket before it is billed.

What a period has used is the engine's (``engine/hour_bank.reached``): billed (the ledger) and logged (the
submitted Timesheet rows the next run will bill, rated as it will rate them: ``billing/unbilled.py``)."""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe import _

from support_contracts.adapters.billing.inputs import AWAITING
from support_contracts.adapters.helpdesk import ticket_doctypes, ticket_of
from support_contracts.adapters.languages import contract_recipients, queue_mail
from support_contracts.engine.durations import fmt_duration
from support_contracts.engine.hour_bank import reached

WARNING = "Hour Bank Warning"
LOGGED, BILLED = "Logged Work", "Billed Work"
OVERAGE, DECISION = "sc_overage_minutes", "sc_overage_decision"


def warn(contract: str, bank, period: str, allotted: int, used: int, billed_used: int) -> list[str]:
	"""Tell of each percentage of the bank's ``warn_at`` that ``used`` of ``allotted`` minutes (billed and
	logged; ``billed_used`` of them billed) reaches in ``period`` and that nobody was told of yet; returns
	the Hour Bank Warnings written."""
	made = []
	by_billed = reached(bank.warn_at, allotted, billed_used)
	for percent in reached(bank.warn_at, allotted, used):
		key = f"{contract}|{period}|{percent}"
		if frappe.db.exists(WARNING, {"warning_key": key}):
			continue
		doc = frappe.get_doc(
			{
				"doctype": WARNING,
				"support_contract": contract,
				"period": period,
				"percent": percent,
				"used_minutes": used,
				"allotted_minutes": allotted,
				"reached_by": BILLED if percent in by_billed else LOGGED,
				"warning_key": key,
			}
		)
		frappe.db.savepoint("hour_bank_warning")
		try:
			doc.insert(ignore_permissions=True)
		except (
			frappe.DuplicateEntryError,
			frappe.UniqueValidationError,
		):  # another worker told them just now
			frappe.db.rollback(save_point="hour_bank_warning")
			continue
		doc.db_set("recipients", "\n".join(tell(doc, bank)) or None, update_modified=False)
		made.append(doc.name)
	return made


def tell(warning, bank) -> list[str]:
	"""E-mail the warning to the contract's authorised callers and the customer's account manager, one mail
	per language (a contact's user's language, else the customer's print language, else the site's);
	returns the addresses the mails were queued for (none on a site without an outgoing account: the
	warning stands, and the Error Log says why)."""
	contract = frappe.get_doc("Support Contract", warning.support_contract)
	told = []
	for lang, emails in contract_recipients(contract).items():
		if queue_mail(
			recipients=emails,
			subject=_("Hour bank {0}: {1} % of the hours used", lang=lang).format(
				warning.period, warning.percent
			),
			message=message(contract, warning, bank, lang),
			reference_doctype="Support Contract",
			reference_name=contract.name,
		):
			told += emails
	return sorted(told)


def message(contract, warning, bank, lang: str) -> str:
	used = fmt_duration(warning.used_minutes * 60, "hours")
	allotted = fmt_duration(warning.allotted_minutes * 60, "hours")
	text = _(
		"Support contract {0} of {1} has used {2} of the {3} of its hour bank for {4} ({5} %), counting work "
		"logged and not yet invoiced.",
		lang=lang,
	).format(
		contract.name,
		contract.customer_name or contract.customer,
		used,
		allotted,
		warning.period,
		warning.percent,
	)
	if warning.percent >= 100:
		if bank.overage_approval:
			text += " " + _(
				"Further work is beyond the bank: it is billed only once you approve it on the support portal.",
				lang=lang,
			)
		else:
			text += " " + _(
				"Further work is beyond the bank and billed at the contract's hourly rate.", lang=lang
			)
	return f"<p>{frappe.utils.escape_html(text)}</p>"


def mark_overage(contract: str, reports, bank) -> dict[tuple[str, str], int]:
	"""docs/rules.md F2: each ticket of the contract holds in *Overage* the minutes of its logged, not yet
	billed work that lie beyond the bank (``BankReport.over``), 0 once none do; and, where the tier asks
	for the customer's approval, what an Issue awaits (:func:`_decision`)."""
	over: dict[tuple[str, str], int] = defaultdict(int)
	for report in reports:
		for _entry, ticket, minutes in report.over:
			doctype, name = ticket_of(ticket)
			if doctype and name:
				over[(doctype, name)] += minutes
	for doctype in ticket_doctypes():
		marked = frappe.get_all(
			doctype,
			filters={"sc_support_contract": contract},
			or_filters={OVERAGE: (">", 0), DECISION: AWAITING},
			pluck="name",
		)
		for name in set(marked) | {n for (d, n) in over if d == doctype}:
			minutes = over.get((doctype, name), 0)
			values = {OVERAGE: minutes}
			if doctype == "Issue":  # an HD Ticket's customers use Helpdesk's portal: no approval asked
				values.update(_decision(name, minutes, bank))
			frappe.db.set_value(doctype, name, values, update_modified=False)
	return dict(over)


def _decision(issue: str, minutes: int, bank) -> dict:
	"""docs/rules.md F2: an Issue with overage awaits its customer's decision where the tier asks for one —
	asked again when its overage grows beyond what was decided; a decision stands for the overage it was
	given for until that is billed (or gone), then the next overage asks anew. A tier that no longer asks
	awaits nothing."""
	decision, decided = frappe.db.get_value("Issue", issue, [DECISION, "sc_overage_decided_minutes"])
	if not bank.overage_approval:
		return {DECISION: None} if decision == AWAITING else {}
	if not minutes:
		return {DECISION: None} if decision else {}
	if not decision or (decision != AWAITING and minutes > (decided or 0)):
		return {DECISION: AWAITING}
	return {}
