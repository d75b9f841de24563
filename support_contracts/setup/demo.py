"""Optional demo data: the five example firms of rules.md as Support Calendars, Tiers, Contracts (with
demo Customers) and Jour Pay Schemes. Never forced on a site (conventions.md); run it explicitly:

    bench --site SITE execute support_contracts.setup.demo.make_demo
    bench --site SITE execute support_contracts.setup.demo.make_demo --kwargs "{'firms': 'trinax,ballou'}"

Idempotent: documents that exist already are left as they are. Names are prefixed with the firm's name
("Trinax office", "Trinax Alert!").
"""

from __future__ import annotations

import datetime as dt

import frappe

from support_contracts.adapters.specs import BAND_DAYS, KIND, METRIC, WEEKDAYS
from support_contracts.engine.calendar import DAY
from support_contracts.examples import firm_names, load_firm

_KIND_LABEL = {v: k for k, v in KIND.items()}
_METRIC_LABEL = {v: k for k, v in METRIC.items()}
_BAND_LABEL = {v: k for k, v in BAND_DAYS.items()}


def make_demo(firms: str | None = None) -> list[str]:
	"""Load example firms into the site and commit; returns what was created."""
	created = []
	for key in firms.split(",") if firms else firm_names():
		created += load_firm_into_site(key.strip())
	frappe.db.commit()
	return created


def _time(seconds: int) -> str:
	seconds %= DAY
	return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _date(rule) -> tuple[dt.date, int]:
	year = rule.year or (2028 if (rule.month, rule.day) == (2, 29) else 2026)
	return dt.date(year, rule.month, rule.day), 0 if rule.year else 1


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
	firm = load_firm(key)
	created: list[str] = []
	calendars = {}
	for cal_name, spec in firm.calendar_specs.items():
		rows = []
		for w in spec.windows:
			if w.start == 0 and w.end == DAY:
				rows.append({"weekday": WEEKDAYS[w.weekday], "all_day": 1})
			else:
				rows.append(
					{"weekday": WEEKDAYS[w.weekday], "from_time": _time(w.start), "to_time": _time(w.end)}
				)
		h = spec.holidays
		calendars[cal_name] = _insert(
			{
				"doctype": "Support Calendar",
				"calendar_name": f"{firm.name} {cal_name}",
				"timezone": spec.timezone,
				"holiday_country": h.country if h else "",
				"holiday_subdivision": h.subdivision if h else "",
				"close_public_holidays": int(bool(h and "public" in h.kinds)),
				"close_de_facto_holidays": int(bool(h and "de_facto" in h.kinds)),
				"holidays_effect": "Open" if h and h.effect == "open" else "Closed",
				"early_closing": int(bool(h and h.early_closing)),
				"windows": rows,
				"closed_days": [
					{"day_name": c.name, "date": _date(c.date)[0], "every_year": _date(c.date)[1]}
					for c in spec.closed_days
				],
				"closures": [
					{
						"closure_name": c.name,
						"from_date": _date(c.first)[0],
						"to_date": _date(c.last)[0],
						"every_year": _date(c.first)[1],
					}
					for c in spec.closures
				],
			},
			created,
		)
	cal_of_spec = {firm.calendar_specs[n]: calendars[n] for n in calendars}
	tiers = {}
	for tier_key, data in firm.tiers.items():
		policy = firm.policies[tier_key]
		rating = firm.rating_tiers.get(tier_key)
		billing = data.get("billing") or {}
		business = billing.get("calendar") or (data.get("sla") or {}).get("calendar") or next(iter(calendars))
		targets = []
		for prio, metrics in policy.targets.items():
			if not frappe.db.exists("Issue Priority", prio):
				continue
			for metric, t in metrics.items():
				targets.append(
					{
						"priority": prio,
						"metric": _METRIC_LABEL[metric],
						"target_kind": _KIND_LABEL[t.kind],
						"duration": int(t.duration.total_seconds()) if t.duration else None,
						"business_days": t.days,
						"calendar": cal_of_spec.get(t.calendar.spec) if t.calendar else None,
					}
				)
		if not targets:  # a tier with no guaranteed times still needs its priorities
			targets = [
				{"priority": p, "metric": "Resolution", "target_kind": "None"}
				for p in policy.targets
				if frappe.db.exists("Issue Priority", p)
			]
		doc = {
			"doctype": "Support Tier",
			"tier_name": f"{firm.name} {data.get('title') or tier_key}",
			"description": data.get("description"),
			"business_calendar": calendars[business],
			"currency": firm.currency or "SEK",
			"targets": targets,
			"hourly_rate": 0,
		}
		if rating:
			bank = rating.hour_bank
			doc.update(
				{
					"currency": rating.currency,
					"monthly_fee": rating.monthly_fee,
					"hourly_rate": rating.hourly_rate,
					"after_hours_rate": rating.after_hours_rate,
					"holiday_factor": rating.holiday_factor,
					"per_started_hour": int(rating.per_started_hour),
					**{f"{k}_increment": v for k, v in rating.increments.items()},
					"on_site_minimum": rating.minimums.get("on_site"),
					"hour_bank_hours": bank.minutes / 60 if bank else None,
					"hour_bank_period": bank.period.title() if bank else "Quarter",
					"hour_bank_carry_over": int(bool(bank and bank.carry_over)),
					"has_incident_model": int(bool(rating.incident)),
					"incident_model_name": rating.incident.name if rating.incident else None,
					"incident_fee": rating.incident.fee if rating.incident else None,
					"incident_included_minutes": rating.incident.included_minutes if rating.incident else 60,
					"travel_zones": [
						{"zone": z, "zone_name": v.name, "fee": v.fee, "urgent_fee": v.urgent_fee}
						for z, v in rating.travel_zones.items()
					],
					"warranty_free": int(rating.warranty_free),
					"term_months": rating.term_months,
					"review_cadence": (rating.review or "").capitalize() or None,
					"reporting_cadence": (rating.reporting or "").capitalize() or None,
				}
			)
		tiers[tier_key] = _insert(doc, created)
	for s in firm.pay_schemes.values():
		_insert(
			{
				"doctype": "Jour Pay Scheme",
				"scheme_name": f"{firm.name} {s.title}",
				"currency": s.currency,
				"timezone": s.timezone,
				"holiday_country": s.holidays.country,
				"level": next(iter(s.stipends)),
				"stipend": next(iter(s.stipends.values())),
				"stipend_component": s.component("stipend"),
				"uplift_percent": s.uplift_percent,
				**{
					f"uplift_{g}": int(g in s.uplift_groups)
					for g in ("easter", "christmas", "new_year", "midsummer")
				},
				"activations_outside_week": "Allow" if s.activations_outside_week == "allow" else "Error",
				"week_paid_in": "Starts" if s.week_paid_in == "start" else "Ends",
				"bands": [
					{
						"band_name": b.name,
						"rate": b.rate,
						"days": _BAND_LABEL[b.days],
						"from_time": _time(b.start),
						"to_time": _time(b.end),
						"salary_component": s.component(b.name),
					}
					for b in s.bands
				],
			},
			created,
		)
	raw = {c["key"]: c for c in firm.data.get("contracts") or ()}
	for c in firm.contracts.values():
		customer = _insert(
			{
				"doctype": "Customer",
				"customer_name": c.customer,
				"customer_group": frappe.get_all("Customer Group", pluck="name", limit=1)[0],
				"territory": frappe.get_all("Territory", pluck="name", limit=1)[0],
			},
			created,
		)
		if frappe.db.exists("Support Contract", {"customer": customer, "tier": tiers[c.tier]}):
			continue
		doc = frappe.get_doc(
			{
				"doctype": "Support Contract",
				"customer": customer,
				"tier": tiers[c.tier],
				"start_date": c.start,
				"end_date": c.end,
				"travel_zone": c.travel_zone,
				"hourly_rate_override": c.overrides.get("hourly_rate"),
				"on_call": 1 if raw[c.key].get("on_call_calendar") else 0,
				"on_call_calendar": calendars.get(raw[c.key].get("on_call_calendar")),
			}
		).insert()
		created.append(f"Support Contract: {doc.name}")
	return created
