"""Optional demo data: the five example firms (docs/rules.md A–E) as Support Calendars, Tiers, Contracts
(with demo Customers) and Jour Pay Schemes. Never forced on a site; run it explicitly:

    bench --site SITE execute support_contracts.demo.site.make_demo
    bench --site SITE execute support_contracts.demo.site.make_demo --kwargs "{'firms': 'trinax,ballou'}"

Documents are written from the firm's structure (the YAML format, validated first by the one parser)
through ``adapters/firm.py``, the same translation that reads them back. Idempotent: documents that exist
already are left as they are. Names are prefixed with the firm's name ("Trinax office", "Trinax Alert!").
"""

from __future__ import annotations

import frappe

from support_contracts.adapters import firm as firm_docs
from support_contracts.examples import firm_names, load_firm


def make_demo(firms: str | None = None) -> list[str]:
	"""Load example firms into the site and commit; returns what was created."""
	created = []
	for key in firms.split(",") if firms else firm_names():
		created += load_firm_into_site(key.strip())
	frappe.db.commit()
	return created


def _insert(doc: dict, created: list[str]) -> str:
	name = (
		doc.get("calendar_name") or doc.get("tier_name") or doc.get("scheme_name") or doc.get("customer_name")
	)
	if frappe.db.exists(doc["doctype"], name):
		return name
	name = frappe.get_doc(doc).insert().name
	created.append(f"{doc['doctype']}: {name}")
	return name


def load_firm_into_site(key: str) -> list[str]:
	data = load_firm(key).data  # parsed once: a firm the engine refuses never reaches the site
	title = data.get("name") or key
	created: list[str] = []
	calendars = {
		name: _insert(firm_docs.calendar_document(f"{title} {name}", cal), created)
		for name, cal in (data.get("calendars") or {}).items()
	}
	known = set(frappe.get_all("Issue Priority", pluck="name"))
	tiers = {}
	for tier_key, tier in (data.get("tiers") or {}).items():
		doc = firm_docs.tier_document(f"{title} {tier.get('title') or tier_key}", tier, calendars)
		doc["targets"] = [row for row in doc["targets"] if row["priority"] in known]
		doc["currency"] = doc.get("currency") or data.get("currency") or "SEK"
		tiers[tier_key] = _insert(doc, created)
	for scheme in (data.get("pay_schemes") or {}).values():
		_insert(firm_docs.pay_scheme_document(f"{title} {scheme.get('title')}", scheme), created)
	for c in data.get("contracts") or ():
		customer = _insert(
			{
				"doctype": "Customer",
				"customer_name": c.get("customer") or c["key"],
				"customer_group": frappe.get_all("Customer Group", pluck="name", limit=1)[0],
				"territory": frappe.get_all("Territory", pluck="name", limit=1)[0],
			},
			created,
		)
		tier = tiers[c["tier"]]
		if frappe.db.exists("Support Contract", {"customer": customer, "tier": tier}):
			continue
		doc = frappe.get_doc(
			{
				"doctype": "Support Contract",
				"customer": customer,
				"tier": tier,
				"start_date": c.get("start"),
				"end_date": c.get("end"),
				"travel_zone": c.get("travel_zone"),
				"hourly_rate_override": (c.get("overrides") or {}).get("hourly_rate"),
				"on_call": 1 if c.get("on_call_calendar") else 0,
				"on_call_calendar": calendars.get(c.get("on_call_calendar")),
			}
		).insert()
		created.append(f"Support Contract: {doc.name}")
	return created
