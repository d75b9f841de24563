"""A Support Calendar ↔ a calendar of the firm format (docs/formats.md): windows, holidays, closed days and
closures, both ways."""

from __future__ import annotations

import frappe
from frappe import _

from support_contracts.adapters.firm.format import (
	HOLIDAYS_EFFECT,
	WEEKDAY,
	Where,
	_day_rule,
	_rule_date,
	_time_of_day,
	parsed,
)
from support_contracts.engine import config
from support_contracts.engine.calendar import DAY, WEEKDAY_NAMES, compile_calendar
from support_contracts.engine.errors import ConfigError

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


# ---------------------------------------------------------------- compiled, cached by ``modified``
_compiled: dict[tuple, object] = {}


def modified(doctype: str, name: str):
	"""When ``doctype`` ``name`` last changed — from Frappe's document cache (cleared when the document is
	saved), so a save of a governed Issue does not ask the database for each calendar of its tier."""
	if not frappe.db.exists(doctype, name, cache=True):
		frappe.throw(_("{0} {1} not found").format(_(doctype), name), frappe.DoesNotExistError)
	return frappe.get_cached_doc(doctype, name).modified


def calendar(name: str):
	"""The compiled calendar of a Support Calendar."""
	key = ("calendar", frappe.local.site, name, modified("Support Calendar", name))
	if key not in _compiled:
		_compiled[key] = compile_calendar(
			calendar_spec_from_doc(frappe.get_cached_doc("Support Calendar", name))
		)
	return _compiled[key]
