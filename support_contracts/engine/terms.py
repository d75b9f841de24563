"""Contract terms that decide whether something may start or be billed at all: the training an agreement
needs first (docs/rules.md E7) and the quote a request beyond normal support needs first (E7, B6)."""

from __future__ import annotations

import datetime as dt

from .errors import InputError

# a quotation the customer accepted: ERPNext records the acceptance as an order made from it
ACCEPTED_QUOTATION = ("Ordered", "Partially Ordered")


def check_training(required: bool, completed_on: dt.date | None, start: dt.date) -> None:
	"""docs/rules.md E7: where the tier requires it, an agreement starts only after a completed training —
	refused, naming the field, when the date is missing or after the start."""
	if not required:
		return
	if completed_on is None:
		raise InputError(
			"training_completed_on",
			None,
			"the tier requires a completed training before the agreement starts",
		)
	if completed_on > start:
		raise InputError(
			"training_completed_on",
			completed_on,
			f"after the start date {start}: the agreement starts only after the training (rules.md E7)",
		)


def quote_accepted(quote_first: bool, quotation_status: str | None, docstatus: int | None = 1) -> bool:
	"""docs/rules.md E7: time on a request marked "quote first" is billed only once its quotation is
	accepted (a submitted Quotation that was ordered); any other request is billable as it is."""
	if not quote_first:
		return True
	return docstatus == 1 and quotation_status in ACCEPTED_QUOTATION
