"""A Jour Pay Scheme ↔ a pay scheme of the firm format (docs/formats.md): stipend, uplift, bands, salary
components, both ways."""

from __future__ import annotations

from frappe import _

from support_contracts.adapters.firm.format import (
	BAND_DAYS,
	OUTSIDE_WEEK,
	WEEK_PAID_IN,
	Where,
	_amount,
	_number,
	_time_of_day,
	parsed,
)
from support_contracts.engine import config
from support_contracts.engine.on_call import PayScheme

UPLIFT_GROUP_FIELDS = ("easter", "christmas", "new_year", "midsummer")  # uplift_<group> checkboxes


DEFAULT_STIPEND_COMPONENT = "On-call Stipend"


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
