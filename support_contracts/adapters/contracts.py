"""A Support Contract as people read it: the term that runs now and its last day (docs/rules.md B4), and the
top line of the contract's form — the hour bank left this period (B2) and the term's end — computed here,
shown by the form as it comes."""

from __future__ import annotations

import datetime as dt

import frappe
from frappe import _
from frappe.utils import cint, fmt_money, formatdate, getdate

from support_contracts.adapters import firm
from support_contracts.adapters.billing.hour_bank import bank_now
from support_contracts.adapters.billing.unbilled import foresee
from support_contracts.adapters.times import today
from support_contracts.engine.hour_bank import EXHAUSTED, OK, WARNING, bank_state
from support_contracts.engine.months import term_end

# the indicator colours of the form's top line
GREEN, ORANGE, RED, BLUE, GRAY = "green", "orange", "red", "blue", "gray"
STATE_COLOR = {OK: GREEN, WARNING: ORANGE, EXHAUSTED: RED}  # an hour bank's state (docs/rules.md F2)


def current_term(doc, day: dt.date | None = None) -> tuple[dt.date | None, str]:
	"""The last day of the contract's term that holds ``day`` (today; the first term before the contract
	starts) — terms of the tier's length back to back from the start date, the contract's end date where it
	comes first (``engine/months.term_end``) — and how the contract renews: its own Renewal, else its
	tier's ("Automatic", "Manual" or "")."""
	tier = frappe.get_cached_doc("Support Tier", doc.tier)
	start = getdate(doc.start_date)
	on = max(day or today(), start)
	end = getdate(doc.end_date) if doc.end_date else None
	return term_end(start, cint(tier.term_months), on, end), doc.renewal or tier.renewal or ""


def glance(doc) -> dict:
	"""The contract's form's top line: ``hour_bank`` (None without a bank, or on a day outside the
	contract) and ``term``, each ``{text, color}`` with the figures the text is made of, and whether the
	contract's hour-bank ledger has rows (``has_ledger``)."""
	day = today()
	return {
		"hour_bank": hour_bank_line(doc, day),
		"term": term_line(doc, day),
		# the ledger has rows to check (the Hour Bank Check)
		"has_ledger": bool(frappe.db.exists("Hour Bank Ledger Entry", {"support_contract": doc.name})),
	}


def logged_minutes(contract: str, period: str) -> tuple[int, int]:
	"""(the minutes of a bank period that logged, not yet invoiced work will draw, and those it logged
	beyond the bank): ``unbilled.foresee``."""
	seen = foresee(contract).get("periods", {}).get(period)
	return (seen["used"] - seen["billed"], seen["over"]) if seen else (0, 0)


def hour_bank_line(doc, day: dt.date, logged: bool = True) -> dict | None:
	"""What is left of the bank period that holds ``day`` (as the portal reads it, ``bank_now``), and what is
	logged of it and not yet invoiced (``billing/unbilled.foresee``), coloured as the two stand
	(``engine/hour_bank.bank_state``, docs/rules.md F2): green; orange from the lowest percentage the tier
	warns at (75 % used where it names none); red when nothing is left. ``logged`` False: the ledger alone
	(no rating of the logged work: what a list of many contracts can afford). Before the period's first invoice the ledger has nothing of it: what it will open with, said so."""
	bank = firm.rating_tier(doc.tier).hour_bank
	if bank is None or day < getdate(doc.start_date) or (doc.end_date and day > getdate(doc.end_date)):
		return None
	now_ = bank_now(doc.name, bank, day)
	left, allotted = now_["left"], now_["allotted"]
	logged = logged_minutes(doc.name, now_["period"])[0] if logged else 0
	color = STATE_COLOR[bank_state(bank.warn_at, allotted, allotted - left + logged)]
	invoiced = now_["this"] is not None
	if invoiced:
		text = _("Hour bank {0}: {1} h of {2} h left")
	else:
		text = _("Hour bank {0}: {1} h of {2} h left (nothing invoiced yet)")
	text = text.format(now_["period"], hours(left), hours(allotted))
	if logged:
		text += "; " + _("{0} h logged, not yet invoiced").format(hours(logged))
	return {
		"text": text,
		"color": color,
		"period": now_["period"],
		"left_minutes": left,
		"allotted_minutes": allotted,
		"logged_minutes": logged,
		"invoiced": invoiced,
	}


def term_line(doc, day: dt.date) -> dict:
	"""The last day of the term that runs (:func:`current_term`), and whether the contract renews then;
	past the contract's end, the day it ended; without a term or an end, said so."""
	end, renewal = current_term(doc, day)
	if end is None:
		return {"text": _("No end date"), "color": GRAY, "end": None, "renewal": renewal}
	if end < day:
		return {"text": _("Ended {0}").format(formatdate(end)), "color": GRAY, "end": end, "renewal": renewal}
	if renewal == "Automatic":
		text = _("Term ends {0} (renews automatically)")
	elif renewal == "Manual":
		text = _("Term ends {0} (manual renewal)")
	else:
		text = _("Term ends {0}")
	return {"text": text.format(formatdate(end)), "color": BLUE, "end": end, "renewal": renewal}


def hours(minutes: int) -> str:
	"""Minutes as hours to two decimals, in the site's number format ("6.50")."""
	return fmt_money(minutes / 60, precision=2)
