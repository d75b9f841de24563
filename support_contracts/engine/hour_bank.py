"""The hour bank (timbank, docs/rules.md B2): prepaid minutes per period, consumed in time order by the
work it covers; what a new period carries in from the last one, and what of that one expires."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .durations import fmt_duration
from .money import ZERO, hours_from_minutes
from .pricing import BUSINESS, Work
from .tiers import HourBank, Tier
from .work import BankReport, InvoiceLine


def apply_bank(ordinary: list[Work], tier: Tier, year: int, month: int, used_before: int, carried_in: int):
	"""The month's bank-eligible work drawn from the period's balance in time order: (report, the parts the
	bank covered, the parts billed, the overage the customer declined — shown at 0, docs/rules.md F2)."""
	bank = tier.hour_bank
	_first, _last, label = bank.period_of(year, month)
	allotment = bank.minutes + (carried_in if bank.carry_over else 0)
	balance = max(allotment - used_before, 0)
	before = balance
	covered: list[Work] = []
	billable: list[Work] = []
	declined: list[Work] = []  # overage the customer declined (docs/rules.md F2): not billed
	over: list[tuple[str, str | None, int]] = []
	for w in ordinary:
		eligible = bank.covers == "all" or w.klass == BUSINESS
		take = min(balance, w.billed) if eligible else 0
		balance -= take
		if take:
			covered.append(w.part(take))
		if w.billed > take:
			rest = w.part(w.billed - take)
			if eligible:
				over.append((w.entry.id, w.entry.ticket, rest.billed))
			(declined if eligible and w.entry.overage_declined else billable).append(rest)
	report = BankReport(
		label,
		allotment,
		before,
		before - balance,
		balance,
		tuple((w.entry.id, w.entry.ticket, w.entry.kind, w.entry.start, w.billed) for w in covered),
		tuple(over),
	)
	return report, covered, billable, declined


def bank_line(report: BankReport, covered: list[Work], tier: Tier) -> InvoiceLine:
	detail = ", ".join(f"{w.entry.id} {w.billed} min" for w in covered) or "none this month"
	bank = tier.hour_bank
	expiry = "carried over to the next period" if bank.carry_over else f"expire at the end of {report.period}"
	return InvoiceLine(
		f"Hour bank {report.period}: {fmt_duration(report.used_minutes * 60, 'hours')} used, balance {fmt_duration(report.before_minutes * 60, 'hours')} → {fmt_duration(report.after_minutes * 60, 'hours')}",
		hours_from_minutes(report.used_minutes),
		"h",
		ZERO,
		ZERO,
		f"{tier.title}: {fmt_duration(bank.minutes * 60, 'hours')} per {bank.period}, consumed in time order by "
		f"{'all work' if bank.covers == 'all' else 'business-hours work'}; unused hours {expiry}; covered: {detail}",
		tuple(w.entry.id for w in covered),
		item=tier.item("HOUR-BANK"),
		bank_period=report.period,
	)


# ---------------------------------------------------------------- periods: carried in, expired, allocated
@dataclass(frozen=True)
class LedgerPeriod:
	"""A bank period of a contract as its ledger rows add up, periods in the order they were first posted:
	``allocated`` and ``carried_in`` minutes, ``used`` minutes (consumed, positive), whether it was closed
	(``expired``), and what is left (``balance``)."""

	period: str
	allocated: int = 0
	carried_in: int = 0
	used: int = 0
	expired: bool = False
	balance: int = 0


def period_start(label: str) -> tuple[int, int]:
	"""(year, first month) of a bank period's label — ``2026-05``, ``Q2 2026`` or ``2026`` (``HourBank.period_of``):
	what orders periods in time, whatever order the ledger posted them in."""
	if label.startswith("Q"):
		quarter, year = label[1:].split()
		return int(year), 3 * (int(quarter) - 1) + 1
	year, _, month = label.partition("-")
	return int(year), int(month or 1)


def last_open(periods: Sequence[LedgerPeriod], period: str) -> LedgerPeriod | None:
	"""The last period before ``period`` in time that was allocated and not yet closed — never a later one:
	time of an earlier period billed late, after a later period opened, closes nothing of the later one."""
	start = period_start(period)
	open_ = [p for p in periods if period_start(p.period) < start and p.allocated and not p.expired]
	return max(open_, key=lambda p: period_start(p.period)) if open_ else None


def bank_before(bank: HourBank, period: str, periods: Sequence[LedgerPeriod]) -> tuple[int, int]:
	"""(minutes used, minutes carried in) of ``period`` before this billing (docs/rules.md B2): what the
	ledger holds for it; a period billed for the first time carries in what is left of the last open one,
	where the tier carries over."""
	mine = next((p for p in periods if p.period == period), None)
	used, carried = (mine.used, mine.carried_in) if mine else (0, 0)
	if bank.carry_over and not (mine and mine.allocated):
		prev = last_open(periods, period)
		carried += max(prev.balance, 0) if prev else 0
	return used, carried


def opening(bank: HourBank, period: str, periods: Sequence[LedgerPeriod]) -> list[tuple[str, str, int, str]]:
	"""The ledger rows a period's first billing writes (docs/rules.md B2), as ``(period, entry type,
	minutes, why)``: the close of the last open period — what is left of it expires, and is carried over
	into this one where the tier says so — then this period's allocation."""
	rows = []
	prev = last_open(periods, period)
	if prev:
		left = max(prev.balance, 0)
		rows.append((prev.period, "Expiry", -left, f"{period} begins"))
		if bank.carry_over and left:
			rows.append((period, "Carry Over", left, f"left of {prev.period}"))
	rows.append((period, "Allocation", bank.minutes, f"{bank.period} allocation"))
	return rows


# ---------------------------------------------------------------- warnings (docs/rules.md F2)
OK, WARNING, EXHAUSTED = "ok", "warning", "exhausted"


def crossed(warn_at: Sequence[int], allotted: int, used_before: int, used_after: int) -> tuple[int, ...]:
	"""docs/rules.md F2: the percentages of ``warn_at`` that a period's use crosses on its way from
	``used_before`` to ``used_after`` minutes of ``allotted`` — reached now and not before. Exact: a
	percentage p is reached at ``used × 100 >= p × allotted`` (75 % of 15 h is reached at 675 min, not 674)."""
	if allotted <= 0:
		return ()
	return tuple(p for p in warn_at if used_before * 100 < p * allotted <= used_after * 100)


def reached(warn_at: Sequence[int], allotted: int, used: int) -> tuple[int, ...]:
	"""The percentages of ``warn_at`` a period with ``used`` minutes of ``allotted`` has reached."""
	return crossed(warn_at, allotted, -1, used) if allotted > 0 else ()


def bank_state(warn_at: Sequence[int], allotted: int, used: int) -> str:
	"""docs/rules.md F2: how a period stands, as its colour shows it: ``exhausted`` (red) when nothing is
	left, ``warning`` (orange) once the lowest percentage of ``warn_at`` is reached — 75 % where the tier
	names none — and ``ok`` (green) before."""
	if used >= allotted:
		return EXHAUSTED
	first = min(warn_at) if warn_at else 75
	return WARNING if used * 100 >= first * allotted else OK
