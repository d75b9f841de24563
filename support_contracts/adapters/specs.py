"""Support Calendar, Support Tier and Jour Pay Scheme documents → engine objects.

Every conversion goes through the engine's own constructors, so a document the engine cannot use is
rejected at save with the engine's message (which names the field and the value). Compiled calendars and
policies are cached by the documents' ``modified`` timestamps: a saved change is a new key.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import frappe
from frappe import _

from support_contracts.engine.calendar import (
	DAY,
	CalendarSpec,
	ClosedDay,
	Closure,
	DayRule,
	HolidayRule,
	Window,
	compile_calendar,
)
from support_contracts.engine.errors import EngineError
from support_contracts.engine.on_call import Band, PayScheme
from support_contracts.engine.sla import Policy, Target

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
METRIC = {"First Response": "first_response", "Action Start": "action_start", "Resolution": "resolution"}
KIND = {
	"Business Time": "business",
	"Wall Clock": "wall",
	"From Next Opening": "from_next_opening",
	"Business Days": "business_days",
	"None": "none",
}
BAND_DAYS = {"Weekdays": "weekdays", "Weekends and Holidays": "weekends_and_holidays", "All": "all"}
_cache: dict[tuple, object] = {}


def throw(e: EngineError, doctype: str):
	"""An engine error as a translatable ValidationError naming the field and the value."""
	frappe.throw(
		_("{0}: {1} (got {2})").format(frappe.bold(e.field), _(e.problem), frappe.bold(str(e.value))),
		frappe.ValidationError,
		title=_("Invalid {0}").format(_(doctype)),
	)


def _seconds(value) -> int:
	"""A Time field value (timedelta or 'HH:MM:SS') → seconds after midnight."""
	if isinstance(value, dt.timedelta):
		return int(value.total_seconds())
	h, m, *s = (int(float(x)) for x in str(value).split(":"))
	return h * 3600 + m * 60 + (s[0] if s else 0)


def _day_rule(value, every_year: bool) -> DayRule:
	d = frappe.utils.getdate(value)
	return DayRule(d.month, d.day, None if every_year else d.year)


def calendar_spec_from_doc(doc) -> CalendarSpec:
	windows = []
	for row in doc.windows:
		if row.all_day:
			windows.append(Window(WEEKDAYS.index(row.weekday), 0, DAY))
			continue
		if row.from_time in (None, "") or row.to_time in (None, ""):
			raise EngineError(
				f"Weekly Windows row {row.idx}",
				row.weekday,
				"give the opening and closing time, or tick All Day",
			)
		start, end = _seconds(row.from_time), _seconds(row.to_time)
		if start == end:
			raise EngineError(
				f"Weekly Windows row {row.idx}", f"{row.from_time}–{row.to_time}", "the end equals the start"
			)
		windows.append(Window(WEEKDAYS.index(row.weekday), start, end or DAY))
	kinds = frozenset(
		k
		for k, on in (("public", doc.close_public_holidays), ("de_facto", doc.close_de_facto_holidays))
		if on
	)
	holidays = None
	if doc.holiday_country and kinds:
		holidays = HolidayRule(
			country=doc.holiday_country.strip().upper(),
			subdivision=(doc.holiday_subdivision or "").strip() or None,
			kinds=kinds,
			effect="open" if doc.holidays_effect == "Open" else "closed",
			early_closing=bool(doc.early_closing),
		)
	closed = tuple(
		ClosedDay(row.day_name or str(row.date), _day_rule(row.date, row.every_year))
		for row in doc.closed_days
	)
	closures = []
	for row in doc.closures:
		closures.append(
			Closure(
				row.closure_name or _("Closure"),
				_day_rule(row.from_date, row.every_year),
				_day_rule(row.to_date, row.every_year),
			)
		)
	return CalendarSpec(
		doc.name or doc.calendar_name, doc.timezone, tuple(windows), holidays, closed, tuple(closures)
	)


def _modified(doctype: str, name: str):
	value = frappe.db.get_value(doctype, name, "modified")
	if value is None:
		frappe.throw(_("{0} {1} not found").format(_(doctype), name), frappe.DoesNotExistError)
	return value


def calendar(name: str):
	"""The compiled calendar of a Support Calendar (cached by its ``modified``)."""
	key = ("calendar", frappe.local.site, name, _modified("Support Calendar", name))
	if key not in _cache:
		_cache[key] = compile_calendar(
			calendar_spec_from_doc(frappe.get_cached_doc("Support Calendar", name))
		)
	return _cache[key]


def _target(row, tier_doc) -> Target:
	kind = KIND[row.target_kind]
	cal = (
		calendar(row.calendar or tier_doc.business_calendar)
		if kind in ("business", "from_next_opening", "business_days")
		else None
	)
	# an empty duration is no duration (the engine refuses it), not zero seconds
	duration = (
		dt.timedelta(seconds=int(row.duration))
		if row.duration and kind in ("business", "wall", "from_next_opening")
		else None
	)
	days = int(row.business_days or 0) if kind == "business_days" else None
	try:
		return Target(kind, duration=duration, days=days, calendar=cal)
	except EngineError as e:
		raise EngineError(
			f"Targets row {row.idx} ({row.priority} / {row.metric})", e.value, e.problem
		) from None


ROLLBACK = "Rollback"


def policy_from_doc(tier_doc) -> Policy:
	"""Priority → targets from the tier's target rows, plus the rollback pseudo-priority (rules.md C: handled
	as P3, initiated within ``rollback_start_within``)."""
	targets: dict[str, dict[str, Target]] = {}
	for row in tier_doc.targets:
		metrics = targets.setdefault(row.priority, {})
		metric = METRIC[row.metric]
		if metric in metrics:
			raise EngineError(
				f"Targets row {row.idx}",
				f"{row.priority} / {row.metric}",
				"a second target for the same priority and metric",
			)
		metrics[metric] = _target(row, tier_doc)
	if not targets:
		raise EngineError("Targets", tier_doc.name, "a tier needs targets for at least one priority")
	base = targets.get("P3", {})
	targets[ROLLBACK] = {
		**base,
		"action_start": Target(
			"wall", duration=dt.timedelta(seconds=int(tier_doc.rollback_start_within or 3600))
		),
	}
	return Policy(tier_doc.name, targets, float(tier_doc.warning_at or 75) / 100)


def policy(tier_name: str) -> Policy:
	doc = frappe.get_cached_doc("Support Tier", tier_name)
	cal_names = sorted({row.calendar or doc.business_calendar for row in doc.targets})
	key = (
		"policy",
		frappe.local.site,
		tier_name,
		doc.modified,
		*(_modified("Support Calendar", c) for c in cal_names),
	)
	if key not in _cache:
		_cache[key] = policy_from_doc(doc)
	return _cache[key]


def pay_scheme_from_doc(doc) -> PayScheme:
	bands = []
	for row in doc.bands:
		start, end = _seconds(row.from_time), _seconds(row.to_time)
		bands.append(Band(row.band_name, Decimal(str(row.rate)), BAND_DAYS[row.days], start, end or DAY))
	groups = tuple(
		g
		for g, on in (
			("easter", doc.uplift_easter),
			("christmas", doc.uplift_christmas),
			("new_year", doc.uplift_new_year),
			("midsummer", doc.uplift_midsummer),
		)
		if on
	)
	return PayScheme(
		key=doc.name or doc.scheme_name,
		title=doc.scheme_name,
		currency=doc.currency or "SEK",
		timezone=doc.timezone,
		holidays=HolidayRule((doc.holiday_country or "SE").strip().upper()),
		stipends={doc.level: Decimal(str(doc.stipend or 0))},
		bands=tuple(bands),
		uplift_percent=Decimal(str(doc.uplift_percent or 0)),
		uplift_groups=groups,
		activations_outside_week="allow" if doc.activations_outside_week == "Allow" else "error",
		week_paid_in="start" if doc.week_paid_in == "Starts" else "end",
		components={
			"stipend": doc.stipend_component or "On-call Stipend",
			**{r.band_name: r.salary_component or r.band_name for r in doc.bands},
		},
	)


def pay_scheme(name: str) -> PayScheme:
	doc = frappe.get_cached_doc("Jour Pay Scheme", name)
	key = ("scheme", frappe.local.site, name, doc.modified)
	if key not in _cache:
		_cache[key] = pay_scheme_from_doc(doc)
	return _cache[key]
