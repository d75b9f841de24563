"""Hour banks that warn (docs/rules.md F2): the percentages a period's use crosses, by billed and by logged
time; how a period stands (its colour); the work beyond the bank (overage), marked per piece of work.
Figures worked by hand on Trinax's Alert! tier: 15 h (900 min) a quarter, business-hours work only."""

import pytest

from support_contracts.engine.config import parse_calendar, parse_tier
from support_contracts.engine.errors import ConfigError
from support_contracts.engine.hour_bank import EXHAUSTED, OK, WARNING, bank_state, crossed, reached
from support_contracts.engine.rating import rate_month
from support_contracts.engine.tiers import HourBank
from support_contracts.engine.work import TimeEntry
from support_contracts.examples import load_firm

from .conftest import at

WARN = (75, 100)


def test_75_percent_of_15_hours_is_reached_at_675_minutes_not_674():
	assert crossed(WARN, 900, 600, 674) == ()
	assert crossed(WARN, 900, 600, 675) == (75,)
	assert crossed(WARN, 900, 674, 675) == (75,)


def test_a_threshold_already_crossed_is_not_crossed_again():
	assert crossed(WARN, 900, 675, 899) == ()
	assert crossed(WARN, 900, 700, 900) == (100,)
	assert crossed(WARN, 900, 900, 960) == ()  # overdrawn further: told already at 100 %


def test_one_piece_of_work_can_cross_both():
	# 10 h used, then a 6 h day: 600 → 960 of 900 crosses 75 % (675) and 100 % (900)
	assert crossed(WARN, 900, 600, 960) == (75, 100)


def test_carried_hours_count_in_the_allotment():
	# 4 h a year with 2.5 h carried in: 390 min; 75 % is 292.5 min, so 292 has not reached it, 293 has
	assert crossed(WARN, 390, 0, 292) == ()
	assert crossed(WARN, 390, 0, 293) == (75,)


def test_reached_and_the_state_a_period_shows():
	assert reached(WARN, 900, 700) == (75,)
	assert bank_state(WARN, 900, 674) == OK
	assert bank_state(WARN, 900, 675) == WARNING
	assert bank_state(WARN, 900, 900) == EXHAUSTED
	assert bank_state((50, 90), 600, 300) == WARNING  # the tier's lowest percentage, not 75
	assert bank_state((), 600, 449) == OK and bank_state((), 600, 450) == WARNING


def test_the_percentages_are_checked():
	for bad in ((0,), (101,), (100, 75), (75, 75), (True,)):
		with pytest.raises(ConfigError) as e:
			HourBank(900, warn_at=bad)
		assert e.value.field == "hour_bank.warn_at"


@pytest.fixture(scope="module")
def trinax():
	return load_firm("trinax")


def test_work_beyond_the_bank_is_marked_overage_per_piece_of_work(trinax):
	# 12 h used in April: 3 h left of Q2. May: E1 2 h covered; E2 1.5 h on site: 1 h covered, 30 min over;
	# E3 20 min by phone, rounded up to 30: all over; E4 Saturday 1 h: not bank work, so not overage.
	entries = [
		TimeEntry("E1", at(2026, 5, 5, 9), "remote", minutes=120, ticket="ISS-1"),
		TimeEntry("E2", at(2026, 5, 12, 9), "on_site", minutes=90, ticket="ISS-2"),
		TimeEntry("E3", at(2026, 5, 19, 10), "phone", minutes=20, ticket="ISS-2"),
		TimeEntry("E4", at(2026, 5, 9, 10), "remote", minutes=60, ticket="ISS-3"),
	]
	inv = rate_month(
		trinax.contract("TRX-001"), trinax.rating_tiers, 2026, 5, entries, bank_used_before=12 * 60
	)
	assert inv.bank.over == (("E2", "ISS-2", 30), ("E3", "ISS-2", 30))
	assert crossed(WARN, 900, 720, 720 + inv.bank.used_minutes) == (100,)


@pytest.mark.parametrize(
	"given, expected",
	[("75, 100", (75, 100)), ([50, "90%"], (50, 90)), (None, ()), ("", ())],
)
def test_warn_at_as_written_in_a_firm_file(given, expected):
	bank = _tier_with_bank({"hours": "15h", "warn_at": given, "overage_approval": True}).hour_bank
	assert bank.warn_at == expected and bank.overage_approval


def test_warn_at_that_is_not_a_percentage_is_refused_naming_the_field():
	with pytest.raises(ConfigError) as e:
		_tier_with_bank({"hours": "15h", "warn_at": "75, lots"})
	assert e.value.field == "tiers.t.billing.hour_bank.warn_at" and e.value.value == "lots"


def _tier_with_bank(bank):
	office = parse_calendar(
		"office", {"timezone": "Europe/Stockholm", "windows": {"Mon-Fri": ["08:00-17:00"]}}
	)
	billing = {"calendar": "office", "hourly_rate": 850, "hour_bank": bank}
	return parse_tier("t", billing, {"office": office}, "SEK")


def test_overage_the_customer_declined_is_shown_at_zero_and_the_rest_is_billed(trinax):
	# 12 h used of Q2's 15: 3 h left. E1 4 h on a ticket whose overage was declined: 3 h from the bank,
	# 1 h declined, at 0. E2 1 h on another ticket, approved: beyond the bank, 850. Fee 8,000.
	entries = [
		TimeEntry("E1", at(2026, 5, 5, 9), "remote", minutes=240, ticket="ISS-1", overage_declined=True),
		TimeEntry("E2", at(2026, 5, 6, 9), "remote", minutes=60, ticket="ISS-2"),
	]
	inv = rate_month(
		trinax.contract("TRX-001"), trinax.rating_tiers, 2026, 5, entries, bank_used_before=12 * 60
	)
	assert inv.bank.over == (("E1", "ISS-1", 60), ("E2", "ISS-2", 60))
	declined = [line for line in inv.lines if line.description.startswith("Overage declined")]
	assert [(line.quantity, line.amount, line.sources) for line in declined] == [(1, 0, ("E1",))]
	assert "the customer declined" in declined[0].why
	assert inv.total == 8000 + 850
