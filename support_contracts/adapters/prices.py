"""A contract's prices over time (docs/rules.md F3): the Price Index as entered or pasted from its publisher,
the indexation clause (the contract's own, else its tier's), and the *Support Contract Price Change*
ledger — this module alone reads and writes it: one change per contract and renewal day (a unique key),
never edited; the invoicing run bills each day's work and fee at the change valid on that day
(``billing/inputs.engine_contract``)."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

import frappe
from frappe import _
from frappe.utils import flt, getdate

from support_contracts.engine.errors import EngineError
from support_contracts.engine.indexation import Indexation, IndexClause, PriceIndex, check_period
from support_contracts.engine.tiers import PriceChange

CHANGE = "Support Contract Price Change"
MAX_VALUE = 10**9  # an index value is a number of a few digits; the column holds up to 12 before the point
PRICE_LABEL = {  # each of engine/tiers.PRICED as the ledger's rows name it
	"monthly_fee": "Monthly Fee",
	"hourly_rate": "Hourly Rate",
	"after_hours_rate": "After-Hours Rate",
	"incident_fee": "Incident Fee",
	"monitoring_unit_price": "Monitoring Unit Price",
}
PRICE_NAME = {label: name for name, label in PRICE_LABEL.items()}
# a period as publishers write it: 2025-10, 2025M10 (Statistics Sweden), 2025 (a yearly index)
PUBLISHED = re.compile(r"^\s*(\d{4})(?:[-M](\d{1,2}))?\s*[,;\t]\s*(-?[\d\s.,]+?)\s*$")


def decimal(value, label: str) -> Decimal:
	"""A number as typed (a decimal comma read as a point), else refused naming the field."""
	try:
		d = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
	except (InvalidOperation, ValueError):
		d = None
	if d is None or not d.is_finite():
		frappe.throw(_("{0}: {1} is not a number.").format(frappe.bold(_(label)), frappe.bold(value)))
	return d


# ---------------------------------------------------------------- the index
def check_index(doc) -> None:
	"""Price Index.validate: pasted values read into the table (a period already there takes the new
	value), every period written as the frequency says and given once, every value positive."""
	frequency = (doc.frequency or "Monthly").lower()
	if doc.import_values:
		rows = {(r.period or "").strip(): r for r in doc.values}
		pasted: set[str] = set()
		for n, line in enumerate(doc.import_values.splitlines(), 1):
			if not line.strip():
				continue
			m = PUBLISHED.match(line)
			if not m:
				frappe.throw(
					_("{0}, line {1}: {2} is not a period and a value (e.g. 2025-10;412,34).").format(
						frappe.bold(_("Paste Values to Import")), n, frappe.bold(line.strip())
					)
				)
			year, month, value = m.groups()
			period = f"{year}-{int(month):02d}" if month else year
			if period in pasted:
				frappe.throw(
					_("{0}, line {1}: {2} is pasted twice.").format(
						frappe.bold(_("Paste Values to Import")), n, frappe.bold(period)
					)
				)
			pasted.add(period)
			value = decimal(value, "Paste Values to Import")
			if period in rows:
				rows[period].value = float(value)
			else:
				rows[period] = doc.append("values", {"period": period, "value": float(value)})
		doc.import_values = None
	seen = set()
	for row in doc.values:
		row.period = (row.period or "").strip()
		try:
			check_period(frequency, (row.period or "").strip(), "period")
		except EngineError:
			frappe.throw(
				_("Values, row {0}: {1} is not a period of a {2} index (write {3}).").format(
					row.idx,
					frappe.bold(row.period),
					_(doc.frequency),
					"2025-10" if frequency == "monthly" else "2025",
				)
			)
		if row.period in seen:
			frappe.throw(_("Values, row {0}: {1} is given twice.").format(row.idx, frappe.bold(row.period)))
		seen.add(row.period)
		if not math.isfinite(flt(row.value)) or not 0 < flt(row.value) < MAX_VALUE:
			frappe.throw(
				_("Values, row {0}: the value of {1} must be above 0 and below {2}.").format(
					row.idx, row.period, MAX_VALUE
				)
			)
	doc.values.sort(key=lambda r: r.period)
	for i, row in enumerate(doc.values, 1):
		row.idx = i


def engine_index(name: str) -> PriceIndex:
	doc = frappe.get_cached_doc("Price Index", name)
	return PriceIndex(
		doc.name,
		(doc.frequency or "Monthly").lower(),
		{r.period: Decimal(str(r.value)) for r in doc.values},
	)


# ---------------------------------------------------------------- the clause
def clause_of(contract) -> IndexClause | None:
	"""The contract's indexation clause: its own where it names an index, else its tier's; None: none."""
	holder = contract if contract.get("price_index") else frappe.get_cached_doc("Support Tier", contract.tier)
	if not holder.get("price_index"):
		return None
	return _clause(holder)


def _clause(doc) -> IndexClause:
	return IndexClause(
		doc.price_index,
		(doc.index_base_period or "").strip(),
		decimal(doc.index_floor_percent, "Floor (%)") if (doc.index_floor_percent or "").strip() else None,
		decimal(doc.index_cap_percent, "Cap (%)") if (doc.index_cap_percent or "").strip() else None,
		Decimal(doc.index_rounding or "0.01"),
	)


def check_clause(doc) -> None:
	"""A Support Contract's or Support Tier's indexation clause, as typed: the base period written as the
	index's frequency says, the floor and the cap numbers and in order — else refused naming the field."""
	if not doc.get("price_index"):
		return
	frequency = (frappe.db.get_value("Price Index", doc.price_index, "frequency") or "Monthly").lower()
	try:
		check_period(frequency, (doc.index_base_period or "").strip(), "index_base_period")
	except EngineError:
		frappe.throw(
			_("{0}: {1} is not a period of {2} (write {3}).").format(
				frappe.bold(_("Base Period")),
				frappe.bold(doc.index_base_period or ""),
				doc.price_index,
				"2025-10" if frequency == "monthly" else "2025",
			)
		)
	try:
		_clause(doc)
	except EngineError as e:
		label = {"floor_percent": "Floor (%)", "cap_percent": "Cap (%)"}.get(e.field, e.field)
		frappe.throw(_("{0}: {1}").format(frappe.bold(_(label)), e.problem))


# ---------------------------------------------------------------- the ledger
def changes_of(contract: str) -> tuple[PriceChange, ...]:
	"""The contract's price changes, by the day they apply from, as the engine reads them."""
	out = []
	for change in frappe.get_all(
		CHANGE,
		filters={"support_contract": contract},
		fields=["name", "valid_from"],
		order_by="valid_from asc",
	):
		lines = frappe.get_all(
			"Support Contract Price Change Line",
			filters={"parent": change.name, "parenttype": CHANGE},
			fields=["price", "new_price"],
		)
		out.append(
			PriceChange(
				getdate(change.valid_from),
				{PRICE_NAME[r.price]: Decimal(str(r.new_price)) for r in lines if r.price in PRICE_NAME},
			)
		)
	return tuple(out)


def last_change(contract: str) -> dict | None:
	"""The contract's latest price change as people read it: ``valid_from`` and its ``prices``, each
	``(label, old, new)`` in the order recorded; None before the first."""
	changes = frappe.get_all(
		CHANGE,
		filters={"support_contract": contract},
		fields=["name", "valid_from"],
		order_by="valid_from desc",
		limit=1,
	)
	if not changes:
		return None
	lines = frappe.get_all(
		"Support Contract Price Change Line",
		filters={"parent": changes[0].name, "parenttype": CHANGE},
		fields=["price", "old_price", "new_price"],
		order_by="idx asc",
	)
	return {
		"valid_from": changes[0].valid_from,
		"prices": [(r.price, r.old_price, r.new_price) for r in lines],
	}


def compared_up_to(contract: str, day) -> str | None:
	"""The index period the contract's last indexed renewal before ``day`` compared (its ``now``): where
	the next one starts from; None before the first."""
	last = frappe.get_all(
		CHANGE,
		filters={"support_contract": contract, "valid_from": ("<", day)},
		fields=["now_period"],
		order_by="valid_from desc",
		limit=1,
	)
	return last[0].now_period if last else None


def record(contract, valid_from, clause: IndexClause, result: Indexation) -> str | None:
	"""The renewal's price change, once: the old and new prices, the index values compared, the clause.
	None where it is recorded already (a second worker, a second run of the day)."""
	key = f"{contract.name}|{valid_from}"
	if frappe.db.exists(CHANGE, {"change_key": key}):
		return None
	doc = frappe.get_doc(
		{
			"doctype": CHANGE,
			"support_contract": contract.name,
			"customer": contract.customer,
			"valid_from": valid_from,
			"price_index": clause.index,
			"base_period": clause.base_period,
			"floor_percent": None if clause.floor_percent is None else str(clause.floor_percent),
			"cap_percent": None if clause.cap_percent is None else str(clause.cap_percent),
			"rounding": str(clause.rounding),
			"then_period": result.then[0],
			"then_value": float(result.then[1]),
			"now_period": result.now[0],
			"now_value": float(result.now[1]),
			"change_percent": float(result.change_percent),
			"applied_percent": float(result.applied_percent),
			"explanation": result.why,
			"change_key": key,
			"prices": [
				{"price": PRICE_LABEL[name], "old_price": float(old), "new_price": float(new)}
				for name, old, new in result.prices
			],
		}
	)
	frappe.db.savepoint("price_change")
	try:
		doc.insert(ignore_permissions=True)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		frappe.db.rollback(save_point="price_change")
		return None
	return doc.name


def prices_on(tier, contract_engine, day) -> dict[str, Decimal | None]:
	"""The contract's indexed prices valid on ``day`` (None: not sold under its tier)."""
	t = contract_engine.priced(tier, day)
	return {
		"monthly_fee": t.monthly_fee,
		"hourly_rate": t.hourly_rate,
		"after_hours_rate": t.after_hours_rate,
		"incident_fee": t.incident.fee if t.incident else None,
		"monitoring_unit_price": t.monitoring_unit_price,
	}
