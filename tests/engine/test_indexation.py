"""Renewals that index prices (docs/rules.md F3), worked by hand: an index of 400.00 in October 2025 and
411.00 in October 2026 is +2.75 %; Trinax Alert!'s 850 an hour becomes 873.375, rounded half up to the
clause's step: 873.38 to the öre, 873 to the krona, 870 to ten; its 8,000 a month becomes 8,220.00. A cap
of 2 % holds it at 867.00; a fall of 1 % is held at a floor of 0 %. Then the prices of a renewal are billed
from its day: work on 31 December at 850, on 4 January at 873.38, January's fee 8,220."""

import datetime as dt
from decimal import Decimal as D

import pytest

from support_contracts.engine.errors import ConfigError, InputError
from support_contracts.engine.indexation import IndexClause, PriceIndex, index_prices, reference_periods
from support_contracts.engine.rating import rate_billing_month, rate_month
from support_contracts.engine.tiers import PriceChange
from support_contracts.engine.work import TimeEntry
from support_contracts.examples import load_firm

from .conftest import at

KPI = PriceIndex(
	"KPI",
	"monthly",
	{"2025-10": D("400.00"), "2026-10": D("411.00"), "2027-10": D("407.00")},
)
ALERT = {"monthly_fee": D("8000"), "hourly_rate": D("850")}
RENEWAL = dt.date(2027, 1, 1)


def clause(**kw):
	return IndexClause("KPI", "2025-10", **kw)


def new(prices, c, day=RENEWAL, index=KPI):
	return {name: value for name, _old, value in index_prices(prices, c, index, day).prices}


def test_the_first_renewal_compares_the_base_period_with_a_year_later():
	assert reference_periods(clause(), "monthly", RENEWAL) == ("2025-10", "2026-10")
	assert reference_periods(clause(), "monthly", dt.date(2028, 1, 1), "2026-10") == ("2026-10", "2027-10")
	assert reference_periods(clause(), "monthly", dt.date(2027, 11, 15), "2026-10") == ("2026-10", "2027-10")
	# a first renewal two years after the base period compares two years
	assert reference_periods(clause(), "monthly", dt.date(2028, 1, 1)) == ("2025-10", "2027-10")


def test_a_renewal_with_nothing_new_to_compare_keeps_the_prices():
	# monthly terms: the renewals of February to December 2027 find October 2026 compared already
	assert reference_periods(clause(), "monthly", dt.date(2027, 2, 1), "2026-10") is None
	assert index_prices(ALERT, clause(), KPI, dt.date(2027, 6, 1), "2026-10") is None
	# a renewal less than a year after the base period: nothing to compare yet
	assert reference_periods(clause(), "monthly", dt.date(2026, 6, 1)) is None
	assert reference_periods(IndexClause("LCI", "2025"), "yearly", dt.date(2027, 3, 1)) == ("2025", "2026")


def test_plus_2_75_percent_rounded_to_the_clauses_step():
	assert new(ALERT, clause()) == {"monthly_fee": D("8220.00"), "hourly_rate": D("873.38")}
	assert new(ALERT, clause(rounding=D("1")))["hourly_rate"] == D("873")
	assert new(ALERT, clause(rounding=D("10")))["hourly_rate"] == D("870")
	got = index_prices(ALERT, clause(), KPI, RENEWAL)
	assert (got.then, got.now) == (("2025-10", D("400.00")), ("2026-10", D("411.00")))
	assert (got.change_percent, got.applied_percent) == (D("2.7500"), D("2.7500"))
	assert "KPI 2026-10 411.00 / 2025-10 400.00: +2.7500 %" in got.why


def test_half_up_at_exactly_half_a_step():
	# 850 × 1.0275 = 873.375: half an öre, up; 8,000 × 1.0275 = 8,220 exactly
	assert new({"hourly_rate": D("850")}, clause())["hourly_rate"] == D("873.38")
	index = PriceIndex("KPI", "monthly", {"2025-10": D("400"), "2026-10": D("401")})  # +0.25 %
	assert new({"hourly_rate": D("850")}, clause(rounding=D("0.5")), index=index)["hourly_rate"] == D("852.0")
	# 850 × 1.0025 = 852.125 → to 0.5: 852.0 (852.125 is below 852.25, the half of the step)


def test_the_cap_and_the_floor_hold_the_change():
	assert new(ALERT, clause(cap_percent=D("2")))["hourly_rate"] == D("867.00")
	falling = index_prices(ALERT, clause(floor_percent=D("0")), KPI, dt.date(2028, 1, 1), "2026-10")
	assert falling.change_percent == D("-0.9732")  # 407 / 411 − 1
	assert (falling.applied_percent, dict((n, v) for n, _o, v in falling.prices)["hourly_rate"]) == (
		D("0.0000"),
		D("850.00"),
	)
	assert "held at the floor 0 %" in falling.why
	unheld = {n: v for n, _o, v in index_prices(ALERT, clause(), KPI, dt.date(2028, 1, 1), "2026-10").prices}
	assert unheld["hourly_rate"] == D("841.73")  # 850 × 407 / 411 = 841.727…


def test_what_cannot_be_indexed_is_refused_naming_it():
	with pytest.raises(InputError) as e:
		index_prices(ALERT, clause(), KPI, dt.date(2029, 1, 1), "2027-10")  # October 2028 is not published
	assert e.value.field == "index KPI: 2028-10"
	with pytest.raises(ConfigError):
		clause(floor_percent=D("3"), cap_percent=D("2"))
	with pytest.raises(ConfigError):
		clause(rounding=D("0"))
	for bad in (D("-250"), D("1e3"), D("NaN")):
		with pytest.raises(ConfigError):
			clause(cap_percent=bad)
	with pytest.raises(InputError):
		PriceIndex("KPI", "monthly", {"2025-13": D("400")})
	with pytest.raises(InputError):
		PriceIndex("KPI", "monthly", {"2025-10": D("-1")})


@pytest.fixture(scope="module")
def trinax():
	return load_firm("trinax")


def test_work_and_fees_are_billed_at_the_prices_of_their_day(trinax):
	import dataclasses

	contract = dataclasses.replace(
		trinax.contract("TRX-001"),
		price_changes=(PriceChange(RENEWAL, {"monthly_fee": D("8220.00"), "hourly_rate": D("873.38")}),),
	)
	# weekend work, never from the bank: 31 Dec 2026 is a Thursday but a de-facto holiday (New Year's Eve),
	# so Saturday 2 January and Saturday 26 December are used — 1 h each at the rate of their day
	dec = rate_month(
		contract, trinax.rating_tiers, 2026, 12, [TimeEntry("E1", at(2026, 12, 26, 10), "remote", minutes=60)]
	)
	jan = rate_month(
		contract, trinax.rating_tiers, 2027, 1, [TimeEntry("E2", at(2027, 1, 2, 10), "remote", minutes=60)]
	)
	work = lambda inv: [(line.rate, line.amount) for line in inv.lines if line.item == "SUPPORT-REMOTE"]  # noqa: E731
	assert work(dec) == [(D("850.00"), D("850.00"))]
	assert work(jan) == [(D("873.38"), D("873.38"))]
	assert [line.amount for line in dec.lines if line.item == "SUPPORT-FEE"] == [D("8000.00")]
	assert [line.amount for line in jan.lines if line.item == "SUPPORT-FEE"] == [D("8220.00")]
	# January's invoice (billing month 2027-01): January's fee in advance at the new price, December's work at the old
	inv = rate_billing_month(
		contract, trinax.rating_tiers, 2027, 1, [TimeEntry("E1", at(2026, 12, 26, 10), "remote", minutes=60)]
	)
	assert sorted(line.amount for line in inv.lines if line.amount) == [D("850.00"), D("8220.00")]
