"""Documents ↔ the firm format: a site's firm read through the same parser as a YAML file.

A firm is one plain structure (``docs/formats.md``). This module is the only translation between it and
the app's documents, in both directions and side by side, so a field is added in one place:

- ``*_data(doc)`` turns a Support Calendar, Support Tier or Jour Pay Scheme into its part of the structure;
  :mod:`support_contracts.engine.config` — the one parser, the only place that validates — turns that into
  engine objects. A document the engine cannot use is refused at save with the parser's message, which
  names the field and the value.
- ``*_document(title, data)`` turns a part of the structure into a document (the demo loader,
  ``support_contracts/demo/site.py``).
- Select labels and the format's words are one two-way :class:`Vocabulary` each.

Compiled calendars, policies, tiers and pay schemes are cached by the documents' ``modified`` timestamps:
a saved change is a new key.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import cint

from support_contracts.engine import config
from support_contracts.engine.calendar import DAY, WEEKDAY_NAMES, WEEKDAYS, compile_calendar
from support_contracts.engine.durations import fmt_duration
from support_contracts.engine.errors import ConfigError, EngineError
from support_contracts.engine.on_call import PayScheme
from support_contracts.engine.rating import WORK_KINDS, Tier
from support_contracts.engine.sla import CALENDAR_KINDS, Policy

UPLIFT_GROUP_FIELDS = ("easter", "christmas", "new_year", "midsummer")  # uplift_<group> checkboxes
DEFAULT_STIPEND_COMPONENT = "On-call Stipend"


class Vocabulary:
	"""A document's Select labels and the firm format's words, one table read both ways."""

	def __init__(self, field: str, pairs: tuple[tuple[str, str], ...]):
		self.field = field
		self._word = dict(pairs)
		self._label = {word: label for label, word in pairs}

	def word(self, label: str) -> str:
		if label not in self._word:
			raise ConfigError(self.field, label, f"use one of {', '.join(self._word)}")
		return self._word[label]

	def label(self, word: str) -> str:
		if word not in self._label:
			raise ConfigError(self.field, word, f"use one of {', '.join(self._label)}")
		return self._label[word]


WEEKDAY = Vocabulary("Weekday", tuple(zip(WEEKDAY_NAMES, WEEKDAYS, strict=True)))
METRIC = Vocabulary(
	"Metric",
	(("First Response", "first_response"), ("Action Start", "action_start"), ("Resolution", "resolution")),
)
TARGET_KIND = Vocabulary(
	"Target",
	(
		("Business Time", "business"),
		("Wall Clock", "wall"),
		("From Next Opening", "from_next_opening"),
		("Business Days", "business_days"),
		("None", "none"),
	),
)
HOLIDAYS_EFFECT = Vocabulary("Holidays", (("Closed", "closed"), ("Open", "open")))
BAND_DAYS = Vocabulary(
	"Days", (("Weekdays", "weekdays"), ("Weekends and Holidays", "weekends_and_holidays"), ("All", "all"))
)
BANK_PERIOD = Vocabulary("Hour Bank Period", (("Month", "month"), ("Quarter", "quarter"), ("Year", "year")))
BANK_COVERS = Vocabulary("Hour Bank Covers", (("Business Hours Work", "business_hours"), ("All Work", "all")))
OUTSIDE_WEEK = Vocabulary("Activations Outside a Week", (("Error", "error"), ("Allow", "allow")))
WEEK_PAID_IN = Vocabulary("Stipend Paid in the Month the Week", (("Ends", "end"), ("Starts", "start")))
RENEWAL = Vocabulary("Renewal", (("Automatic", "automatic"), ("Manual", "manual")))
CADENCE = Vocabulary(
	"Cadence",
	(
		("Weekly", "weekly"),
		("Monthly", "monthly"),
		("Quarterly", "quarterly"),
		("Half-yearly", "half-yearly"),
		("Yearly", "yearly"),
	),
)


class Where:
	"""Where each part of a structure came from in its document: a path of the format → the field's label
	and the value as typed. A parser error names a path; :meth:`locate` names the document's field instead,
	so the message speaks of "Warning at Elapsed (got 150)", not of ``sla.warning_at`` = 1.5."""

	def __init__(self, doc=None, fields: dict[str, str] | None = None):
		self.paths: list[tuple[str, str, object]] = []
		for path, fieldname in (fields or {}).items():
			value = doc.get(fieldname)
			self.add(path, _(doc.meta.get_label(fieldname)), None if isinstance(value, list) else value)

	def add(self, path: str, label: str, value=None) -> None:
		self.paths.append((path, label, value))

	def locate(self, e: EngineError) -> EngineError:
		best = None
		for path, label, value in self.paths:
			if re.search(rf"(^|[.: ]){re.escape(path)}($|[.\[])", e.field) and (
				best is None or len(path) > len(best[0])
			):
				best = (path, label, value)
		if best is None:
			return e
		return EngineError(best[1], e.value if best[2] is None else best[2], e.problem)


def parsed(where: Where, parse, *args):
	"""``parse(*args)``, its error located in the document."""
	try:
		return parse(*args)
	except EngineError as e:
		raise where.locate(e) from None


def throw(e: EngineError, doctype: str, labels: dict | None = None):
	"""An engine error as a translatable ValidationError naming the field (by its label in ``labels``, if
	given) and the value."""
	field = _(labels[e.field]) if labels and e.field in labels else e.field
	frappe.throw(
		_("{0}: {1} (got {2})").format(frappe.bold(field), _(e.problem), frappe.bold(str(e.value))),
		frappe.ValidationError,
		title=_("Invalid {0}").format(_(doctype)),
	)


# ---------------------------------------------------------------- small values, both ways
def _seconds(value) -> int:
	"""A Time or Duration field value (timedelta, 'HH:MM:SS' or seconds) → whole seconds."""
	if isinstance(value, dt.timedelta):
		return int(value.total_seconds())
	if isinstance(value, int | float):
		return int(value)
	h, m, *s = (int(float(x)) for x in str(value).split(":"))
	return h * 3600 + m * 60 + (s[0] if s else 0)


def _time_of_day(value) -> str:
	"""A time of day (a Time field's value or seconds) as ``HH:MM:SS``; 24:00 is the next 00:00:00."""
	return fmt_duration(_seconds(value) % DAY, "hms")


def _duration(seconds) -> str | None:
	return f"{int(seconds)}s" if seconds else None


def _number(value) -> str | None:
	"""A Currency / Percent field → the format's decimal text (never a binary float), as the firm files
	write an amount: a stored 950.0 is "950", so that a line's why reads as the CLI's."""
	if value is None or value == "":
		return None
	return format(Decimal(str(value)).normalize(), "f")


def _day_rule(value, every_year) -> str:
	d = frappe.utils.getdate(value)
	return f"{d.month:02d}-{d.day:02d}" if every_year else d.isoformat()


def _rule_date(value, field: str) -> tuple[dt.date, int]:
	"""A date rule of the format → (a date to show, every year?); a yearly 29 Feb is shown in a leap year."""
	rule = config.parse_day_rule(value, field)
	year = rule.year or (2028 if (rule.month, rule.day) == (2, 29) else 2026)
	return dt.date(year, rule.month, rule.day), 0 if rule.year else 1


# ---------------------------------------------------------------- Support Calendar
CALENDAR_FIELDS = {"timezone": "timezone", "holidays.country": "holiday_country"}


def calendar_data(doc, where: Where | None = None) -> dict:
	"""A Support Calendar → a calendar of the firm format."""
	windows: dict[str, list[str]] = {}
	for row in doc.windows:
		if where is not None:
			where.add(f"windows.{WEEKDAY.word(row.weekday)}", _("Weekly Windows row {0}").format(row.idx))
		if row.all_day:
			span = "00:00-24:00"
		elif row.from_time in (None, "") or row.to_time in (None, ""):
			raise ConfigError(
				_("Weekly Windows row {0}").format(row.idx),
				row.weekday,
				"give the opening and closing time, or tick All Day",
			)
		else:
			span = f"{_time_of_day(row.from_time)}-{_time_of_day(row.to_time)}"
		windows.setdefault(WEEKDAY.word(row.weekday), []).append(span)
	kinds = [
		k
		for k, on in (("public", doc.close_public_holidays), ("de_facto", doc.close_de_facto_holidays))
		if on
	]
	return {
		"timezone": doc.timezone,
		"windows": windows,
		"holidays": {
			"country": doc.holiday_country.strip().upper(),
			"subdivision": (doc.holiday_subdivision or "").strip() or None,
			"kinds": kinds,
			"effect": HOLIDAYS_EFFECT.word(doc.holidays_effect or "Closed"),
			"early_closing": bool(doc.early_closing),
		}
		if doc.holiday_country and kinds
		else None,
		"closed_days": [
			{"name": row.day_name or str(row.date), "date": _day_rule(row.date, row.every_year)}
			for row in doc.closed_days
		],
		"closures": [
			{
				"name": row.closure_name or _("Closure"),
				"from": _day_rule(row.from_date, row.every_year),
				"to": _day_rule(row.to_date, row.every_year),
			}
			for row in doc.closures
		],
	}


def calendar_spec_from_doc(doc):
	where = Where(doc, CALENDAR_FIELDS)
	return parsed(where, config.parse_calendar, doc.name or doc.calendar_name, calendar_data(doc, where))


def calendar_document(title: str, data: dict) -> dict:
	"""A calendar of the firm format → a Support Calendar document (as a dict)."""
	if data.get("always_open"):
		rows = [{"weekday": name, "all_day": 1} for name in WEEKDAY_NAMES]
	else:
		rows = []
		for w in config.parse_windows(data.get("windows")):
			day = WEEKDAY_NAMES[w.weekday]
			if w.start == 0 and w.end == DAY:
				rows.append({"weekday": day, "all_day": 1})
			else:
				rows.append(
					{"weekday": day, "from_time": _time_of_day(w.start), "to_time": _time_of_day(w.end)}
				)
	h = data.get("holidays") or {}
	kinds = h.get("kinds", ("public", "de_facto"))
	closures = []
	for c in data.get("closures") or ():
		first, every_year = _rule_date(c.get("from"), f"{title}.closures.from")
		closures.append(
			{
				"closure_name": c.get("name") or "closure",
				"from_date": first,
				"to_date": _rule_date(c.get("to"), f"{title}.closures.to")[0],
				"every_year": every_year,
			}
		)
	return {
		"doctype": "Support Calendar",
		"calendar_name": title,
		"timezone": data.get("timezone") or "UTC",
		"holiday_country": str(h.get("country") or "").upper(),
		"holiday_subdivision": h.get("subdivision") or "",
		"close_public_holidays": int(bool(h) and "public" in kinds),
		"close_de_facto_holidays": int(bool(h) and "de_facto" in kinds),
		"holidays_effect": HOLIDAYS_EFFECT.label(h.get("effect", "closed")),
		"early_closing": int(bool(h.get("early_closing"))),
		"windows": rows,
		"closed_days": [
			dict(
				zip(
					("day_name", "date", "every_year"),
					(c.get("name") or str(c.get("date")), *_rule_date(c.get("date"), f"{title}.closed_days")),
					strict=True,
				)
			)
			for c in data.get("closed_days") or ()
		],
		"closures": closures,
	}


# ---------------------------------------------------------------- Support Tier
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


def _amount(value) -> Decimal | None:
	return None if value is None else Decimal(str(value))


def _minutes(value) -> int | None:
	return int(config.parse_duration(value).total_seconds() // 60) if value else None


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


# ---------------------------------------------------------------- Jour Pay Scheme
PAY_SCHEME_FIELDS = {
	"timezone": "timezone",
	"holidays.country": "holiday_country",
	"level": "level",
	"stipend": "stipend",
	"uplift.percent": "uplift_percent",
}


def pay_scheme_data(doc, where: Where | None = None) -> dict:
	"""A Jour Pay Scheme → a pay scheme of the firm format."""
	for row in doc.bands if where is not None else ():
		where.add(f"bands[{row.idx - 1}]", _("Bands row {0}").format(row.idx))
	return {
		"title": doc.scheme_name,
		"currency": doc.currency or "",
		"timezone": doc.timezone,
		"holidays": {"country": (doc.holiday_country or "").strip().upper()},
		"level": doc.level,
		"stipend": _number(doc.stipend) or "0",
		"uplift": {
			"percent": _number(doc.uplift_percent) or "0",
			"holidays": [g for g in UPLIFT_GROUP_FIELDS if doc.get(f"uplift_{g}")],
		},
		"bands": [
			{
				"name": row.band_name,
				"rate": _number(row.rate),
				"days": BAND_DAYS.word(row.days),
				"from": _time_of_day(row.from_time),
				"to": _time_of_day(row.to_time),
			}
			for row in doc.bands
		],
		"activations_outside_week": OUTSIDE_WEEK.word(doc.activations_outside_week or "Error"),
		"week_paid_in": WEEK_PAID_IN.word(doc.week_paid_in or "Ends"),
		"components": {
			"stipend": doc.stipend_component or DEFAULT_STIPEND_COMPONENT,
			**{row.band_name: row.salary_component or row.band_name for row in doc.bands},
		},
	}


def pay_scheme_from_doc(doc) -> PayScheme:
	where = Where(doc, PAY_SCHEME_FIELDS)
	return parsed(where, config.parse_pay_scheme, doc.name or doc.scheme_name, pay_scheme_data(doc, where))


def pay_scheme_document(title: str, data: dict) -> dict:
	"""A pay scheme of the firm format → a Jour Pay Scheme document."""
	uplift = data.get("uplift") or {}
	groups = uplift.get("holidays") or ()
	components = data.get("components") or {}
	return {
		"doctype": "Jour Pay Scheme",
		"scheme_name": title,
		"currency": data.get("currency"),
		"timezone": data.get("timezone"),
		"holiday_country": str((data.get("holidays") or {}).get("country") or "").upper(),
		"level": data.get("level"),
		"stipend": _amount(data.get("stipend")),
		"stipend_component": components.get("stipend", DEFAULT_STIPEND_COMPONENT),
		"uplift_percent": _amount(uplift.get("percent", 0)),
		**{f"uplift_{g}": int(g in groups) for g in UPLIFT_GROUP_FIELDS},
		"activations_outside_week": OUTSIDE_WEEK.label(data.get("activations_outside_week", "error")),
		"week_paid_in": WEEK_PAID_IN.label(data.get("week_paid_in", "end")),
		"bands": [
			{
				"band_name": b.get("name"),
				"rate": _amount(b.get("rate")),
				"days": BAND_DAYS.label(b.get("days", "all")),
				"from_time": _time_of_day(config.parse_time_of_day(b.get("from", ""), "from")),
				"to_time": _time_of_day(config.parse_time_of_day(b.get("to", ""), "to", is_end=True)),
				"salary_component": components.get(b.get("name"), b.get("name")),
			}
			for b in data.get("bands") or ()
		],
	}


def decimal(value) -> Decimal:
	"""A Currency field's value as the engine's Decimal, through its text (never the binary float)."""
	return Decimal(_number(value) or "0")


# ---------------------------------------------------------------- compiled, cached by ``modified``
_cache: dict[tuple, object] = {}


def _modified(doctype: str, name: str):
	"""When ``doctype`` ``name`` last changed — from Frappe's document cache (cleared when the document is
	saved), so a save of a governed Issue does not ask the database for each calendar of its tier."""
	if not frappe.db.exists(doctype, name, cache=True):
		frappe.throw(_("{0} {1} not found").format(_(doctype), name), frappe.DoesNotExistError)
	return frappe.get_cached_doc(doctype, name).modified


def calendar(name: str):
	"""The compiled calendar of a Support Calendar."""
	key = ("calendar", frappe.local.site, name, _modified("Support Calendar", name))
	if key not in _cache:
		_cache[key] = compile_calendar(
			calendar_spec_from_doc(frappe.get_cached_doc("Support Calendar", name))
		)
	return _cache[key]


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
		*(_modified("Support Calendar", c) for c in cal_names),
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
