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

import frappe
from frappe import _
from frappe.utils import cstr

NUMBERS = ("Int", "Float", "Currency", "Percent", "Duration")
TEMPORAL = ("Date", "Datetime", "Time")
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
		try:
			number = float(value)
		except (TypeError, ValueError):
			refuse(doc, row, df, value, _("is not a number"))
		if number != number or number in (float("inf"), float("-inf")):
			refuse(doc, row, df, value, _("is not a number"))
		if number < 0:
			refuse(doc, row, df, value, _("cannot be negative"))
	elif df.fieldtype == "Select" and df.fieldname != "naming_series" and df.options:
		options = cstr(df.options).split("\n")
		if cstr(value).strip() not in options:
			refuse(
				doc,
				row,
				df,
				value,
				_("must be one of {0}").format(", ".join(f'"{o}"' for o in options if o)),
			)


def parse_temporal(value, fieldtype: str, fail) -> dt.date | dt.datetime | dt.timedelta:
	"""A Date, Datetime or Time value as Frappe holds it (object or string) → a value; ``fail(problem)``
	otherwise. Strings must be ISO (``2026-06-19``, ``2026-06-19 14:30[:00]``, ``14:30[:00]``)."""
	if fieldtype == "Time":
		if isinstance(value, dt.timedelta):
			return value
		if isinstance(value, dt.time):
			return dt.timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
		try:
			parts = [int(p) for p in cstr(value).strip().split(".")[0].split(":")]
		except ValueError:
			return fail(_("is not a time (HH:MM or HH:MM:SS)"))
		if len(parts) not in (2, 3) or not (0 <= parts[0] <= 23 and all(0 <= p <= 59 for p in parts[1:])):
			return fail(_("is not a time (HH:MM or HH:MM:SS)"))
		return dt.timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2] if len(parts) == 3 else 0)
	if isinstance(value, dt.datetime) or (fieldtype == "Date" and isinstance(value, dt.date)):
		return value
	text = cstr(value).strip()
	try:
		if fieldtype == "Date":
			return dt.date.fromisoformat(text)
		return dt.datetime.fromisoformat(text)
	except ValueError:
		example = "2026-06-19" if fieldtype == "Date" else "2026-06-19 14:30:00"
		return fail(_("is not a valid {0} (e.g. {1})").format(_(fieldtype).lower(), example))


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
