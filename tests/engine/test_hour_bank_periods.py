"""Hour-bank periods (docs/rules.md B2): what a period carries in, what of the last one expires, and the rows a
period's first billing writes — Trinax's quarters (15 h, nothing carried) and a carry-over tier."""

from support_contracts.engine.hour_bank import LedgerPeriod, bank_before, last_open, opening, period_start
from support_contracts.engine.tiers import HourBank

QUARTER = HourBank(900, "quarter")  # Alert!: 15 h a quarter, unused hours expire
CARRY = HourBank(240, "year", carry_over=True)


def test_a_new_quarter_closes_the_last_one_and_is_allocated():
	q1 = LedgerPeriod("Q1 2026", allocated=900, used=600, balance=300)
	assert last_open([q1], "Q2 2026") == q1
	assert bank_before(QUARTER, "Q2 2026", [q1]) == (0, 0)  # nothing carried without carry-over
	assert opening(QUARTER, "Q2 2026", [q1]) == [
		("Q1 2026", "Expiry", -300, "Q2 2026 begins"),
		("Q2 2026", "Allocation", 900, "quarter allocation"),
	]


def test_what_is_left_is_carried_where_the_tier_carries_over():
	y2025 = LedgerPeriod("2025", allocated=240, used=90, balance=150)
	assert bank_before(CARRY, "2026", [y2025]) == (0, 150)
	assert opening(CARRY, "2026", [y2025]) == [
		("2025", "Expiry", -150, "2026 begins"),
		("2026", "Carry Over", 150, "left of 2025"),
		("2026", "Allocation", 240, "year allocation"),
	]


def test_a_period_already_open_reads_its_own_rows():
	y2025 = LedgerPeriod("2025", allocated=240, balance=0, expired=True)
	y2026 = LedgerPeriod("2026", allocated=240, carried_in=150, used=60, balance=330)
	assert last_open([y2025, y2026], "2026") is None
	assert bank_before(CARRY, "2026", [y2025, y2026]) == (60, 150)


def test_an_overdrawn_period_carries_and_expires_nothing_negative():
	q1 = LedgerPeriod("Q1 2026", allocated=900, used=960, balance=-60)
	assert opening(CARRY, "Q2 2026", [q1])[:1] == [("Q1 2026", "Expiry", 0, "Q2 2026 begins")]
	assert bank_before(CARRY, "Q2 2026", [q1]) == (0, 0)


def test_an_earlier_period_opened_late_closes_nothing_of_a_later_one():
	# Q4 2026's time was held and is billed in March, after Q1 2027 opened: Q4's opening expires nothing of
	# Q1 (it is later), and carries nothing from it
	q1 = LedgerPeriod("Q1 2027", allocated=900, used=60, balance=840)
	assert last_open([q1], "Q4 2026") is None
	assert opening(QUARTER, "Q4 2026", [q1]) == [("Q4 2026", "Allocation", 900, "quarter allocation")]
	assert bank_before(CARRY, "Q4 2026", [q1]) == (0, 0)
	q3 = LedgerPeriod("Q3 2026", allocated=900, used=300, balance=600)
	assert last_open([q1, q3], "Q4 2026") == q3  # the ledger's order is not time's


def test_periods_are_ordered_in_time_whatever_their_label():
	assert period_start("Q4 2026") < period_start("Q1 2027") < period_start("2027-02") < period_start("2028")
	assert period_start("2026-05") == (2026, 5) and period_start("2026") == (2026, 1)
