"""A Support Tier ↔ a tier of the firm format (docs/formats.md): its SLA part (targets, calendar, warning,
rollback) and its billing part (prices, pricing calendar, increments, bank, incidents, travel, credits,
items), both ways, parsed whole by the engine's one parser."""

from __future__ import annotations

from frappe import _
from frappe.utils import cint

from support_contracts.adapters.firm.calendars import calendar
from support_contracts.adapters.firm.format import (
	BANK_COVERS,
	BANK_PERIOD,
	CADENCE,
	METRIC,
	RENEWAL,
	TARGET_KIND,
	Where,
	_amount,
	_duration,
	_minutes,
	_number,
	parsed,
)
from support_contracts.engine import config
from support_contracts.engine.errors import ConfigError
from support_contracts.engine.sla import Policy
from support_contracts.engine.targets import CALENDAR_KINDS
from support_contracts.engine.tiers import WORK_KINDS, Tier

TIER_FIELDS = {
	"priorities": "targets",
	"warning_at": "warning_at",
	"rollback_start_within": "rollback_start_within",
	"hourly_rate": "hourly_rate",
	"monthly_fee": "monthly_fee",
	"after_hours_rate": "after_hours_rate",
	"holiday_factor": "holiday_factor",
	**{f"increments.{k}": f"{k}_increment" for k in WORK_KINDS},
	"minimums.on_site": "on_site_minimum",
	"hour_bank.hours": "hour_bank_hours",
	"hour_bank.warn_at": "hour_bank_warn_at",
	"incident.fee": "incident_fee",
	"incident.included": "incident_included_minutes",
	"sla_credit.percent": "sla_credit_percent",
	"sla_credit.cap_percent": "sla_credit_cap_percent",
}


def pricing_calendar(doc) -> str:
	"""The Support Calendar a tier's prices follow (business hours, after hours, the holidays of the
	weekend/holiday factor; docs/rules.md A7): its own Pricing Calendar, else the calendar its SLA runs on."""
	return doc.get("pricing_calendar") or doc.business_calendar


def tier_data(doc, where: Where | None = None) -> dict:
	"""A Support Tier → a tier of the firm format: its ``sla`` and its ``billing``."""
	priorities: dict[str, dict[str, dict]] = {}
	for row in doc.targets:
		metrics = priorities.setdefault(row.priority, {})
		metric = METRIC.word(row.metric)
		if where is not None:
			where.add(
				f"{row.priority}.{metric}",
				_("Targets row {0} ({1} / {2})").format(row.idx, row.priority, row.metric),
			)
		if metric in metrics:
			raise ConfigError(
				_("Targets row {0}").format(row.idx),
				f"{row.priority} / {row.metric}",
				"a second target for the same priority and metric",
			)
		kind = TARGET_KIND.word(row.target_kind)
		metrics[metric] = {
			"kind": kind,
			# an empty duration is no duration (the parser refuses it), not zero seconds
			"duration": _duration(row.duration)
			if kind in ("business", "wall", "from_next_opening")
			else None,
			"days": int(row.business_days or 0) if kind == "business_days" else None,
			"calendar": (row.calendar or doc.business_calendar) if kind in CALENDAR_KINDS else None,
		}
	credit = doc.sla_credit_percent
	return {
		"title": doc.tier_name,
		"description": doc.description,
		"sla": {
			"calendar": doc.business_calendar,
			"warning_at": (doc.warning_at or 75) / 100,
			"rollback_start_within": _duration(doc.rollback_start_within),
			"priorities": priorities,
		},
		"billing": {
			"calendar": pricing_calendar(doc),
			"currency": doc.currency,
			"hourly_rate": _number(doc.hourly_rate),
			"monthly_fee": _number(doc.monthly_fee) or "0",
			"fee_in_advance": not doc.fee_in_arrears,
			"after_hours_rate": _number(doc.after_hours_rate) if doc.after_hours_rate else None,
			"holiday_factor": str(doc.holiday_factor) if doc.holiday_factor is not None else None,
			"increments": {k: f"{doc.get(f'{k}_increment') or 0}m" for k in WORK_KINDS},
			"minimums": {"on_site": f"{doc.on_site_minimum}m"} if doc.on_site_minimum else {},
			"per_started_hour": bool(doc.per_started_hour),
			"hour_bank": {
				"hours": _duration(round(doc.hour_bank_hours * 3600)),
				"period": BANK_PERIOD.word(doc.hour_bank_period or "Quarter"),
				"carry_over": bool(doc.hour_bank_carry_over),
				"covers": BANK_COVERS.word(doc.hour_bank_covers or "Business Hours Work"),
				"warn_at": doc.get("hour_bank_warn_at") or None,
				"overage_approval": bool(doc.get("hour_bank_overage_approval")),
			}
			if doc.hour_bank_hours
			else None,
			"incident": {
				"name": doc.incident_model_name or doc.tier_name,
				"fee": _number(doc.incident_fee) or "0",
				"included": f"{doc.incident_included_minutes or 0}m",
			}
			if doc.has_incident_model
			else None,
			"travel_zones": _travel_zones(doc, where),
			"warranty_free": bool(doc.warranty_free),
			"monitoring": {
				"included": str(cint(doc.get("monitoring_units_included"))),
				# no price (or 0): the tier sells no monitoring beyond what it includes
				"unit_price": _number(doc.get("monitoring_unit_price"))
				if doc.get("monitoring_unit_price")
				else None,
			},
			"sla_credit": {
				"percent": _number(credit),
				"priorities": [
					p.strip()
					for p in (doc.sla_credit_priorities or "").replace("\n", ",").split(",")
					if p.strip()
				],
				"cap_percent": _number(doc.sla_credit_cap_percent) or "100",
			}
			if credit
			else None,
			"term_months": doc.term_months or None,
			"renewal": RENEWAL.word(doc.renewal) if doc.renewal else None,
			"review": CADENCE.word(doc.review_cadence) if doc.review_cadence else None,
			"reporting": CADENCE.word(doc.reporting_cadence) if doc.reporting_cadence else None,
			"item_codes": _item_codes(doc, where),
		},
	}


def _item_codes(doc, where: Where | None) -> dict:
	"""The tier's Invoice Items rows: kind of line → the Item it is billed as."""
	codes = {}
	if where is not None:
		where.add("item_codes", _("Invoice Items"))
	for row in doc.get("invoice_items") or ():
		if row.line in codes:
			raise ConfigError(_("Invoice Items row {0}").format(row.idx), row.line, "the line appears twice")
		codes[row.line] = row.item
	return codes


def _travel_zones(doc, where: Where | None) -> dict:
	zones = {}
	for row in doc.travel_zones:
		if where is not None:
			where.add(f"travel_zones.{row.zone}", _("Travel Zones row {0}").format(row.idx))
		if row.zone in zones:
			raise ConfigError(_("Travel Zones row {0}").format(row.idx), row.zone, "the zone appears twice")
		zones[row.zone] = {
			"name": row.zone_name or row.zone,
			"fee": _number(row.fee) or "0",
			"urgent_fee": _number(row.urgent_fee) if row.urgent_fee else None,
		}
	return zones


def _calendar_specs(names) -> dict:
	return {n: calendar(n).spec for n in sorted({n for n in names if n})}


def _target_calendars(data: dict) -> set[str]:
	sla = data["sla"]
	return {sla["calendar"]} | {
		t["calendar"] for metrics in sla["priorities"].values() for t in metrics.values() if t["calendar"]
	}


def _read_tier(doc) -> tuple[Where, dict]:
	where = Where(doc, TIER_FIELDS)
	return where, parsed(where, tier_data, doc, where)


def _parse_policy(doc, where: Where, data: dict) -> Policy:
	return parsed(
		where,
		config.parse_policy,
		doc.name or doc.tier_name,
		data["sla"],
		_calendar_specs(_target_calendars(data)),
	)


def _parse_rating_tier(doc, where: Where, data: dict) -> Tier:
	billing = data["billing"]
	return parsed(
		where,
		config.parse_tier,
		doc.name or doc.tier_name,
		{"title": data["title"], **billing},
		_calendar_specs([billing["calendar"]]),
		billing["currency"] or "",
	)


def policy_from_doc(doc) -> Policy:
	"""The tier's SLA policy, validated by the parser (with the rollback rule, docs/rules.md C3)."""
	return _parse_policy(doc, *_read_tier(doc))


def rating_tier_from_doc(doc) -> Tier:
	"""The tier's prices and terms as the rating engine reads them, validated by the parser."""
	return _parse_rating_tier(doc, *_read_tier(doc))


def validated_tier(doc) -> tuple[Policy, Tier]:
	"""A Support Tier read once and parsed whole, at save: its policy first, then its prices."""
	where, data = _read_tier(doc)
	return _parse_policy(doc, where, data), _parse_rating_tier(doc, where, data)


def tier_document(title: str, data: dict, calendar_titles: dict[str, str]) -> dict:
	"""A tier of the firm format → a Support Tier document; ``calendar_titles`` maps the format's calendar
	names to the documents' names."""
	sla = data.get("sla") or {}
	billing = data.get("billing") or {}
	default_cal = sla.get("calendar") or billing.get("calendar") or next(iter(calendar_titles))
	targets = []
	for prio, metrics in (sla.get("priorities") or {}).items():
		for metric, value in (metrics or {}).items():
			t = config.target_fields(value, default_cal, f"{title}.{prio}.{metric}")
			targets.append(
				{
					"priority": prio,
					"metric": METRIC.label(metric),
					"target_kind": TARGET_KIND.label(t["kind"]),
					"duration": int(t["duration"].total_seconds()) if t["duration"] else None,
					"business_days": t["days"],
					"calendar": calendar_titles[t["calendar"]] if t["calendar"] else None,
				}
			)
		if not metrics:  # a priority with no guaranteed times still needs a row
			targets.append({"priority": prio, "metric": "Resolution", "target_kind": "None"})
	within = sla.get("rollback_start_within")
	doc = {
		"doctype": "Support Tier",
		"tier_name": title,
		"description": data.get("description"),
		"business_calendar": calendar_titles[default_cal],
		# the office hours its prices follow, apart from the hours its clock runs on (docs/rules.md A7)
		"pricing_calendar": calendar_titles[billing.get("calendar") or default_cal],
		"warning_at": float(sla.get("warning_at", 0.75)) * 100,
		"targets": targets,
		"hourly_rate": 0,
	}
	if within:  # otherwise the field's default (1 hour)
		doc["rollback_start_within"] = int(config.parse_duration(within).total_seconds())
	if billing:
		doc.update(_billing_fields(billing))
	return doc


def _warn_at(value) -> str | None:
	"""A bank's warning percentages as the tier's field shows them: "75, 100"."""
	if not value:
		return None
	return value if isinstance(value, str) else ", ".join(str(p) for p in value)


def _billing_fields(b: dict) -> dict:
	bank = b.get("hour_bank")
	incident = b.get("incident")
	credit = b.get("sla_credit")
	increments = b.get("increments") or {}
	return {
		"currency": b.get("currency"),
		"monthly_fee": _amount(b.get("monthly_fee") or 0),
		"fee_in_arrears": int(not b.get("fee_in_advance", True)),
		"hourly_rate": _amount(b.get("hourly_rate")),
		"after_hours_rate": _amount(b.get("after_hours_rate")),
		"holiday_factor": _amount(b.get("holiday_factor", 1)),
		"per_started_hour": int(bool(b.get("per_started_hour"))),
		**{f"{k}_increment": _minutes(increments.get(k)) or 1 for k in WORK_KINDS},
		"on_site_minimum": _minutes((b.get("minimums") or {}).get("on_site")),
		"hour_bank_hours": _minutes(bank.get("hours")) / 60 if bank else None,
		"hour_bank_period": BANK_PERIOD.label(bank.get("period", "quarter")) if bank else "Quarter",
		"hour_bank_carry_over": int(bool(bank and bank.get("carry_over"))),
		"hour_bank_covers": BANK_COVERS.label(bank.get("covers", "business_hours"))
		if bank
		else "Business Hours Work",
		"hour_bank_warn_at": _warn_at(bank.get("warn_at")) if bank else None,
		"hour_bank_overage_approval": int(bool(bank and bank.get("overage_approval"))),
		"has_incident_model": int(bool(incident)),
		"incident_model_name": incident.get("name") if incident else None,
		"incident_fee": _amount(incident.get("fee", 0)) if incident else None,
		"incident_included_minutes": _minutes(incident.get("included", "1h")) if incident else 60,
		"travel_zones": [
			{
				"zone": z,
				"zone_name": v.get("name") or z,
				"fee": _amount(v.get("fee", 0)),
				"urgent_fee": _amount(v.get("urgent_fee")),
			}
			for z, v in (b.get("travel_zones") or {}).items()
		],
		"warranty_free": int(bool(b.get("warranty_free", True))),
		"monitoring_units_included": int((b.get("monitoring") or {}).get("included") or 0),
		"monitoring_unit_price": _amount((b.get("monitoring") or {}).get("unit_price")),
		"sla_credit_percent": _amount(credit.get("percent")) if credit else None,
		"sla_credit_priorities": ", ".join(credit.get("priorities") or ()) if credit else None,
		"sla_credit_cap_percent": _amount(credit.get("cap_percent", 100)) if credit else 100,
		"term_months": b.get("term_months"),
		"renewal": RENEWAL.label(b["renewal"]) if b.get("renewal") else None,
		"review_cadence": CADENCE.label(b["review"]) if b.get("review") else None,
		"reporting_cadence": CADENCE.label(b["reporting"]) if b.get("reporting") else None,
		"invoice_items": [{"line": k, "item": v} for k, v in (b.get("item_codes") or {}).items()],
	}
