"""A correction of billed work, billed as the difference (docs/rules.md B3, "billed once").

Where a firm lets its staff correct work after it was billed (a Timesheet cancelled and amended while its
invoice stands), the next invoice does not bill the corrected work again: the month the work belongs to is
rated twice — once with the work as it was billed, once as it is now, with the same call-ins, the same hour
bank before the month and the same prices — and only the lines that differ are billed:

- a line of the month as billed that is no longer there is taken back (its quantity and amount negated);
- a line of the month as it is now that was not billed is added;
- a line that is the same in both is left alone.

So the money of a correction is exactly ``rate(now) − rate(as billed)``: a call-in's included hour is
applied once, to the work as it is now; a per-started-hour rounding is made once; the hour bank is drawn
only for the difference. Every line names the invoice it corrects.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .money import ZERO
from .rating import rate_month
from .tiers import Contract, Tier
from .work import Incident, InvoiceLine, TimeEntry


@dataclass(frozen=True)
class Correction:
	"""The lines that bill the difference, and how the hour bank moves with it."""

	month: str  # the month the corrected work belongs to, YYYY-MM
	corrects: str  # the invoice (or invoices) the correction is of
	lines: tuple[InvoiceLine, ...]
	bank_period: str | None = None
	# (time entry id, ticket, kind, start, minutes): bank minutes the work now draws (+) or gives back (−)
	bank_moves: tuple[tuple[str, str | None, str, dt.datetime, int], ...] = ()

	@property
	def total(self):
		return sum((line.amount for line in self.lines), ZERO)


def _key(line: InvoiceLine) -> tuple:
	return (line.item, line.description, line.quantity, line.unit, line.rate, line.amount)


def rate_correction(
	contract: Contract,
	tiers: Mapping[str, Tier],
	year: int,
	month: int,
	billed: Iterable[TimeEntry],
	now: Iterable[TimeEntry],
	incidents: Iterable[Incident] = (),
	*,
	corrects: str,
	billed_in: str,
	bank_used_before: int = 0,
	bank_carried_in: int = 0,
) -> Correction:
	"""The difference between month ``year``-``month`` rated with the work ``now`` and with the work as it
	was ``billed`` (on invoice ``corrects``), billed in ``billed_in``. ``incidents`` are the month's call-ins
	as billed (their fees are the same on both sides and so cancel out; their included time is applied to
	the work of each side). ``bank_used_before`` and ``bank_carried_in`` are the bank before the month."""
	kw = {
		"bank_used_before": bank_used_before,
		"bank_carried_in": bank_carried_in,
		"with_fee": False,
	}
	incidents = tuple(incidents)
	before = rate_month(contract, tiers, year, month, billed, incidents, **kw)
	after = rate_month(contract, tiers, year, month, now, incidents, **kw)
	label = f"{year}-{month:02d}"
	was, is_ = Counter(_key(line) for line in before.lines), Counter(_key(line) for line in after.lines)
	lines: list[InvoiceLine] = []
	for line in before.lines:
		if is_[_key(line)]:
			is_[_key(line)] -= 1
			continue
		lines.append(
			dataclasses.replace(
				line,
				description=f"Correction of {corrects} ({label}), taken back: {line.description}",
				quantity=-line.quantity,
				amount=-line.amount,
				why=f"the work of {label} billed on {corrects} was corrected; billed in {billed_in} as the "
				f"difference; as billed: {line.why}",
			)
		)
	for line in after.lines:
		if was[_key(line)]:
			was[_key(line)] -= 1
			continue
		lines.append(
			dataclasses.replace(
				line,
				description=f"Correction of {corrects} ({label}), as corrected: {line.description}",
				why=f"the work of {label} billed on {corrects} was corrected; billed in {billed_in} as the "
				f"difference; as corrected: {line.why}",
			)
		)
	return Correction(label, corrects, tuple(lines), *_bank_moves(before, after))


def _bank_moves(before, after) -> tuple[str | None, tuple]:
	"""Per piece of work, the bank minutes it draws now less those it drew as billed."""
	bank = after.bank or before.bank
	if bank is None:
		return None, ()
	moves: dict[str, list] = {}
	for side, report in ((-1, before.bank), (1, after.bank)):
		for entry, ticket, kind, start, minutes in report.covered if report else ():
			row = moves.setdefault(entry, [entry, ticket, kind, start, 0])
			row[4] += side * minutes
			if side == 1:  # the work as it is now names the entry
				row[1:4] = [ticket, kind, start]
	return bank.period, tuple(tuple(m) for m in moves.values() if m[4])
