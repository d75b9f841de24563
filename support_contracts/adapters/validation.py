"""Input checks that run before any controller reads a document of the app (``before_validate``, wired in
``hooks.doc_events``).

Frappe checks mandatory fields, Select options and non-negative numbers only *after* the controller's
``validate``; the controllers hand the values to the engine first, so a weekday "Funday", a time "abc" or
a missing date used to surface as a 500 from deep inside. Here every field of the document and its rows is
checked against its type up front, and the first problem is refused with a message that names the field
(and the row) and the value — a 417, nothing stored.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re

import frappe
from frappe import _
from frappe.utils import cstr, strip_html

NUMBERS = ("Int", "Float", "Currency", "Percent", "Duration")
TEMPORAL = ("Date", "Datetime", "Time")
INT_MAX = 2**31 - 1  # an Int column
AMOUNT_MAX = 10**12  # a Currency / Float column holds 12 digits before the point
SIGNED = {  # numbers that are negative by meaning: out of the bank, a pay correction that takes back
	("Hour Bank Ledger Entry", "minutes"),
	("On-Call Pay Statement", "total"),
	("On-Call Pay Statement Line", "amount"),
	("On-Call Pay Statement Line", "rate"),
	("On-Call Pay Run Result", "amount"),
}
LAYOUT = (
	"Section Break",
	"Column Break",
	"Tab Break",
	"HTML",
	"Button",
	"Heading",
	"Table",
	"Table MultiSelect",
)


def check_input(doc, method=None) -> None:
	"""``before_validate`` of the app's doctypes: types, mandatory values, Select options, signs."""
	for df in doc.meta.get_table_fields():
		if df.reqd and not doc.get(df.fieldname):
			refuse(doc, doc, df, None, _("is required: add at least one row"))
	for row in (doc, *doc.get_all_children()):
		for df in row.meta.fields:
			if df.fieldtype in LAYOUT:
				continue
			check_value(row, df, doc)


def check_value(row, df, doc) -> None:
	value = row.get(df.fieldname)
	empty = value is None or (isinstance(value, str) and not value.strip())
	if empty:
		if df.reqd and not df.read_only:
			refuse(doc, row, df, value, _("is required"))
		return
	if df.fieldtype in TEMPORAL:
		parse_temporal(value, df.fieldtype, lambda problem: refuse(doc, row, df, value, problem))
	elif df.fieldtype in NUMBERS:
		check_number(doc, row, df, value)
	elif df.fieldtype == "Check":
		if cstr(value) not in ("0", "1", "True", "False"):
			refuse(doc, row, df, value, _("must be 0 or 1"))
	elif df.fieldtype == "Select" and df.fieldname != "naming_series" and df.options:
		value = cstr(value).strip()
		row.set(df.fieldname, value)  # as Frappe stores it, before anything compares it
		options = cstr(df.options).split("\n")
		if value not in options:
			refuse(
				doc,
				row,
				df,
				value,
				_("must be one of {0}").format(", ".join(f'"{o}"' for o in options if o)),
			)
	elif df.fieldtype == "Link" and df.options and not frappe.db.exists(df.options, value):
		refuse(doc, row, df, value, _("is not an existing {0}").format(_(df.options)))


def check_number(doc, row, df, value) -> None:
	try:
		number = float(value)
	except (TypeError, ValueError):
		refuse(doc, row, df, value, _("is not a number"))
	if not math.isfinite(number):
		refuse(doc, row, df, value, _("is not a number"))
	if number < 0 and (df.parent, df.fieldname) not in SIGNED:
		refuse(doc, row, df, value, _("cannot be negative"))
	if df.fieldtype == "Int" and number != int(number):
		refuse(doc, row, df, value, _("is not a whole number"))
	if abs(number) > (INT_MAX if df.fieldtype == "Int" else AMOUNT_MAX):
		refuse(doc, row, df, value, _("is too large"))


TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?", re.ASCII)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](.+)", re.ASCII)
YEARS = (1900, 2199)  # what a support contract, a ticket or a pay week can be about


def parse_temporal(value, fieldtype: str, fail) -> dt.date | dt.datetime | dt.timedelta:
	"""A Date, Datetime or Time value as Frappe holds it (object or string) → a value; ``fail(problem)``
	otherwise. Strings must be plain ISO in ASCII digits (``2026-06-19``, ``2026-06-19 14:30[:00[.123]]``,
	``14:30[:00]``), without a UTC offset (Frappe stores local times) and in the years 1900–2199."""
	if fieldtype == "Time":
		if isinstance(value, dt.timedelta):
			return value
		if isinstance(value, dt.time):
			return dt.timedelta(
				hours=value.hour, minutes=value.minute, seconds=value.second, microseconds=value.microsecond
			)
		return _time(cstr(value).strip(), fail)
	if isinstance(value, dt.datetime) or (fieldtype == "Date" and isinstance(value, dt.date)):
		day = value.date() if isinstance(value, dt.datetime) else value
		return value if YEARS[0] <= day.year <= YEARS[1] else fail(_("is not a year from 1900 to 2199"))
	text = cstr(value).strip()
	if fieldtype == "Date":
		return _date(text, fail)
	m = DATETIME.fullmatch(text)
	if not m:
		return fail(_("is not a valid datetime (e.g. 2026-06-19 14:30:00)"))
	day, time = _date(m.group(1), fail), _time(m.group(2), fail)
	return dt.datetime.combine(day, dt.time()) + time


def _date(text: str, fail) -> dt.date:
	try:
		day = dt.date.fromisoformat(text) if DATE.fullmatch(text) else None
	except ValueError:
		day = None
	if day is None:
		return fail(_("is not a valid date (e.g. 2026-06-19)"))
	return day if YEARS[0] <= day.year <= YEARS[1] else fail(_("is not a year from 1900 to 2199"))


def _time(text: str, fail) -> dt.timedelta:
	m = TIME.fullmatch(text)
	h, mi, sec, frac = m.groups() if m else (None, None, None, None)
	if not m or int(h) > 23 or int(mi) > 59 or int(sec or 0) > 59:
		return fail(_("is not a time (HH:MM or HH:MM:SS)"))
	return dt.timedelta(
		hours=int(h), minutes=int(mi), seconds=int(sec or 0), microseconds=int((frac or "0").ljust(6, "0"))
	)


def refuse(doc, row, df, value, problem: str):
	"""Throw a ValidationError naming the document, row, field and value."""
	label = _(df.label or df.fieldname)
	where = (
		_("{0} row {1}: {2}").format(_(doc.meta.get_label(row.parentfield)), row.idx, label)
		if row is not doc
		else label
	)
	frappe.throw(
		_("{0} {1} (got {2})").format(frappe.bold(where), problem, frappe.bold(cstr(value) or _("nothing"))),
		frappe.ValidationError,
		title=_("Invalid {0}").format(_(doc.doctype)),
	)


def same_value(fieldtype: str, a, b) -> bool:
	"""Whether two values of a field are the same, however they were typed (``16:30`` = ``16:30:00``)."""
	if a in (None, "") or b in (None, ""):
		return a in (None, "") and b in (None, "")
	if fieldtype in TEMPORAL:
		return parse_temporal(a, fieldtype, lambda p: a) == parse_temporal(b, fieldtype, lambda p: b)
	return cstr(a) == cstr(b)


# control and direction-override characters: never part of a text people typed to be read
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
NOTE_LENGTH = 20000  # the longest note or reason a method takes (a ledger note is a 64 kB text column)


def plain_text(value) -> str:
	"""What a text says, as plain text: markup dropped, entities read (``&nbsp;`` is a space), trimmed."""
	return html.unescape(strip_html(value or "")).strip()


def typed_text(label: str, value, longest: int, plain: bool = False, required: bool = True) -> str:
	"""A text a whitelisted method was given: a string, not empty (unless not ``required``: then ""), not
	too long; ``plain`` (a subject): no markup, no control or direction-override characters — it is
	shown as text in the Desk, in e-mails and on the portal. Refused naming ``label`` otherwise."""
	if value is None or value == "":
		if not required:
			return ""
		frappe.throw(_("{0} is required.").format(frappe.bold(label)), frappe.ValidationError)
	if not isinstance(value, str):
		frappe.throw(_("{0} must be text.").format(frappe.bold(label)), frappe.ValidationError)
	if plain:
		value = CONTROL.sub("", html.unescape(strip_html(value)))
	value = value.strip()
	if not value and required:
		frappe.throw(_("{0} is required.").format(frappe.bold(label)), frappe.ValidationError)
	if len(value) > longest:
		frappe.throw(
			_("{0} is longer than {1} characters.").format(frappe.bold(label), longest),
			frappe.ValidationError,
		)
	return value
