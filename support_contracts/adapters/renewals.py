"""Renewals that index prices (docs/rules.md B4, F3). A contract renews on the day after each term ends
(terms of the tier's length back to back from its start) where it renews automatically and its end date
does not come first; otherwise it ends. At each renewal whose contract has an indexation clause, the new
term's prices are the engine's (``engine/indexation.index_prices``) from the prices valid the day before,
recorded once (``prices.record``) and billed from that day. Support Contract Settings › *Tell of a Term's
End* days before a term ends, its account manager and authorised callers are told, each in their
language: it renews — with the new prices where the index has published the value they come from — or
it ends. The scheduler's daily job runs both (``run_daily``)."""

from __future__ import annotations

import datetime as dt

import frappe
from frappe import _
from frappe.utils import cint, escape_html, fmt_money, formatdate, getdate

from support_contracts.adapters import firm, prices
from support_contracts.adapters.billing.inputs import engine_contract
from support_contracts.adapters.contracts import current_term
from support_contracts.adapters.languages import contract_recipients, queue_mail
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import today
from support_contracts.engine.errors import EngineError
from support_contracts.engine.indexation import index_prices
from support_contracts.engine.months import add_months


def _renewal(doc) -> str:
	return doc.renewal or frappe.get_cached_doc("Support Tier", doc.tier).renewal or ""


def renews(doc) -> bool:
	"""Whether the contract renews by itself: Renewal Automatic (its own, else its tier's) and a term."""
	tier = frappe.get_cached_doc("Support Tier", doc.tier)
	return _renewal(doc) == "Automatic" and bool(cint(tier.term_months))


def renewal_days(doc, until: dt.date) -> list[dt.date]:
	"""The days the contract renewed (or renews) on, up to ``until``: each term's first day after the
	first term, none past the contract's end date."""
	if not renews(doc):
		return []
	months = cint(frappe.get_cached_doc("Support Tier", doc.tier).term_months)
	start, end = getdate(doc.start_date), getdate(doc.end_date) if doc.end_date else None
	out, k = [], 1
	while (day := add_months(start, k * months)) <= until and (end is None or day <= end):
		out.append(day)
		k += 1
	return out


def renewal(doc, day: dt.date, clause=None):
	"""(the engine's indexation of the renewal on ``day``, None) — or (None, why it cannot be made yet),
	or (None, None) where the renewal has nothing to index (no clause; no new period to compare): from the
	``clause`` (given, else the contract's), the index, the prices valid the day before and the period the
	last indexed renewal compared."""
	clause = clause or prices.clause_of(doc)
	if clause is None:
		return None, None
	tier_name = doc.tier
	contract = engine_contract(doc)
	tier = contract.effective_tier({tier_name: firm.rating_tier(tier_name)})
	old = {
		k: v for k, v in prices.prices_on(tier, contract, day - dt.timedelta(days=1)).items() if v is not None
	}
	try:
		index = prices.engine_index(clause.index)
		return index_prices(old, clause, index, day, prices.compared_up_to(doc.name, day)), None
	except EngineError as e:
		return None, str(e)


def renew_due(day: dt.date | None = None) -> list[str]:
	"""Each active contract's renewals up to ``day`` (today) that have no price change yet: indexed and
	recorded, once. One whose index value is not published yet is left for a later day."""
	day = day or today()
	made = []
	for name in frappe.get_all("Support Contract", filters={"status": "Active"}, pluck="name"):
		doc = frappe.get_doc("Support Contract", name)
		clause = prices.clause_of(doc)
		if clause is None:
			continue
		for renewed in renewal_days(doc, day):
			if frappe.db.exists(prices.CHANGE, {"change_key": f"{doc.name}|{renewed}"}):
				continue
			result, why = renewal(doc, renewed, clause)
			if result is None and why is None:
				continue  # nothing new to compare: the prices stay
			if result is None:
				break  # the index value is not published yet; the next renewal's prices start from this one's
			change = prices.record(doc, renewed, clause, result)
			if change:
				made.append(change)
	return made


def next_term(doc, day: dt.date | None = None) -> dict | None:
	"""What comes after the term that holds ``day``: ``{"renews_on", "prices", "why"}`` — ``prices``
	``(label, old, new)`` where the index has set them, ``why`` the reason they are not known yet — or
	``{"ends_on"}``; None for a contract without a term or an end."""
	day = day or today()
	last, _how = current_term(doc, day)
	if last is None:
		return None
	renews_on = last + dt.timedelta(days=1)
	if renews_on not in renewal_days(doc, renews_on):
		# it does not renew by itself: it ends — or, renewing by hand (Manual), goes on only if agreed again
		ends = bool(doc.end_date) and getdate(doc.end_date) <= last
		return {"ends_on": last, "by_hand": not ends and _renewal(doc) == "Manual"}
	result, why = renewal(doc, renews_on)
	return {
		"renews_on": renews_on,
		"prices": [(prices.PRICE_LABEL[n], old, new) for n, old, new in result.prices] if result else [],
		"why": result.why if result else why,
		"indexed": prices.clause_of(doc) is not None,
	}


def tell_term_end(day: dt.date | None = None) -> list[str]:
	"""The contracts whose term ends Support Contract Settings › *Tell of a Term's End* days after ``day``:
	their account manager and authorised callers e-mailed, once per term (the e-mail is kept on the
	contract). Returns the contracts told."""
	days = setting("renewal_notice_days")
	if not days:
		return []
	day = day or today()
	told = []
	for name in frappe.get_all("Support Contract", filters={"status": "Active"}, pluck="name"):
		doc = frappe.get_doc("Support Contract", name)
		last, _how = current_term(doc, day)
		if last is None or (last - day).days != days:
			continue
		marker = f"Term end told: {doc.name}, term ending {last}"  # once per term
		if frappe.db.exists(
			"Communication",
			{"reference_doctype": "Support Contract", "reference_name": name, "subject": marker},
		):
			continue
		nxt = next_term(doc, day)
		currency = frappe.get_cached_doc("Support Tier", doc.tier).currency
		recipients = contract_recipients(doc)
		for lang, emails in recipients.items():
			queue_mail(
				recipients=emails,
				subject=_("Support contract {0}: the term ends on {1}", lang=lang).format(
					doc.name, formatdate(last)
				),
				message=_notice(doc, last, nxt, lang, currency),
				reference_doctype="Support Contract",
				reference_name=name,
			)
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Automated Message",
				"subject": marker,
				"content": ", ".join(e for emails in recipients.values() for e in emails),
				"reference_doctype": "Support Contract",
				"reference_name": name,
			}
		).insert(ignore_permissions=True)
		told.append(name)
	return told


def _notice(doc, last: dt.date, nxt: dict | None, lang: str, currency: str | None) -> str:
	who = doc.customer_name or doc.customer
	if nxt and nxt.get("by_hand"):
		text = _(
			"The term of support contract {0} of {1} ends on {2}: it goes on only if renewed by agreement.",
			lang=lang,
		).format(doc.name, who, formatdate(last))
		return f"<p>{escape_html(text)}</p>"
	if not nxt or "ends_on" in nxt:
		text = _("Support contract {0} of {1} ends on {2}: it does not renew.", lang=lang).format(
			doc.name, who, formatdate(last)
		)
		return f"<p>{escape_html(text)}</p>"
	text = _("Support contract {0} of {1} renews on {2}.", lang=lang).format(
		doc.name, who, formatdate(nxt["renews_on"])
	)
	rows = "".join(
		f"<li>{escape_html(_(label, lang=lang))}: {fmt_money(old, currency=currency)} → "
		f"{fmt_money(new, currency=currency)}</li>"
		for label, old, new in nxt["prices"]
	)
	if rows:
		text2 = _("Its prices follow its price index from then:", lang=lang)
		return f"<p>{escape_html(text)}</p><p>{escape_html(text2)}</p><ul>{rows}</ul><p><small>{escape_html(nxt['why'])}</small></p>"
	if nxt["indexed"]:
		text2 = _(
			"Its prices follow its price index; they are set when the index value is published.", lang=lang
		)
		return f"<p>{escape_html(text)}</p><p>{escape_html(text2)}</p>"
	return f"<p>{escape_html(text)}</p>"


def run_daily() -> None:
	"""Scheduler, daily: the renewals due (their prices), then the term ends to tell of."""
	renew_due()
	tell_term_end()
