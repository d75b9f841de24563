"""Compiled policies, tiers and pay schemes (calendars: ``calendars.calendar``), cached per site by the documents' ``modified``
timestamps (a saved document is compiled anew, once)."""

from __future__ import annotations

import frappe

from support_contracts.adapters.firm.calendars import modified
from support_contracts.adapters.firm.pay_schemes import pay_scheme_from_doc
from support_contracts.adapters.firm.tiers import policy_from_doc, pricing_calendar, rating_tier_from_doc
from support_contracts.engine.on_call import PayScheme
from support_contracts.engine.sla import Policy
from support_contracts.engine.tiers import Tier

_cache: dict[tuple, object] = {}


def _tier_key(kind: str, tier_name: str):
	doc = frappe.get_cached_doc("Support Tier", tier_name)
	cal_names = sorted(
		{row.calendar or doc.business_calendar for row in doc.targets}
		| {doc.business_calendar, pricing_calendar(doc)}
	)
	return doc, (
		kind,
		frappe.local.site,
		tier_name,
		doc.modified,
		*(modified("Support Calendar", c) for c in cal_names),
	)


def policy(tier_name: str) -> Policy:
	"""The SLA policy of a Support Tier."""
	doc, key = _tier_key("policy", tier_name)
	if key not in _cache:
		_cache[key] = policy_from_doc(doc)
	return _cache[key]


def rating_tier(tier_name: str) -> Tier:
	"""The prices and terms of a Support Tier."""
	doc, key = _tier_key("tier", tier_name)
	if key not in _cache:
		_cache[key] = rating_tier_from_doc(doc)
	return _cache[key]


def pay_scheme(name: str) -> PayScheme:
	"""The pay scheme of a Jour Pay Scheme."""
	doc = frappe.get_cached_doc("Jour Pay Scheme", name)
	key = ("scheme", frappe.local.site, name, doc.modified)
	if key not in _cache:
		_cache[key] = pay_scheme_from_doc(doc)
	return _cache[key]
