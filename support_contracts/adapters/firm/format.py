"""The firm format's words and values as documents hold them (docs/formats.md): the vocabularies between a
Select's label and the format's word, numbers, durations, times of day and day rules, and :class:`Where`
— a parser error pointed at the field or row it came from."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import frappe
from frappe import _

from support_contracts.engine import config
from support_contracts.engine.calendar import DAY, WEEKDAY_NAMES, WEEKDAYS
from support_contracts.engine.durations import fmt_duration
from support_contracts.engine.errors import ConfigError, EngineError


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


def _amount(value) -> Decimal | None:
	return None if value is None else Decimal(str(value))


def _minutes(value) -> int | None:
	return int(config.parse_duration(value).total_seconds() // 60) if value else None


def decimal(value) -> Decimal:
	"""A Currency field's value as the engine's Decimal, through its text (never the binary float)."""
	return Decimal(_number(value) or "0")
