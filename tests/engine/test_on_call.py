"""On-call pay, worked out by hand from docs/rules.md C (EZY: 4,500 / +50 % / 290, 400, 600 per hour)."""

import dataclasses
from decimal import Decimal

import pytest

from support_contracts.engine.errors import ConfigError, InputError
from support_contracts.engine.on_call import Activation, Band, OnCallWeek, pay_month, split, uplift_reason
from support_contracts.examples import load_firm

from .conftest import at

D = Decimal


@pytest.fixture(scope="module")
def scheme():
	return load_firm("ezy").pay_scheme()


def act(i, start, end, emp="anna"):
	return Activation(i, emp, start, end)


def band_amounts(slip):
	return {line.component: line.amount for line in slip.lines if line.unit == "h"}


class TestBands:
	def test_friday_21_30_to_saturday_01_15(self, scheme):
		# 21:30–22:00 band 1 (30 min × 290 = 145); 22:00–01:15 band 3 (3 h 15 × 600 = 1,950).
		slip = pay_month(
			scheme,
			[OnCallWeek("anna", 2026, 47, "Jour 2")],
			[act("A1", at(2026, 11, 20, 21, 30), at(2026, 11, 21, 1, 15))],
			2026,
			11,
		)["anna"]
		assert band_amounts(slip) == {"On-call Band 1": D("145.00"), "On-call Band 3": D("1950.00")}
		assert slip.total == D("4500.00") + D("145.00") + D("1950.00")
		assert slip.summary == "1 × Jourvecka; Band 1: 0h30m; Band 3: 3h15m"

	def test_saturday_morning_crosses_06(self, scheme):
		# 05:30–06:00 band 3 (300); 06:00–07:00 band 2 (400).
		slip = pay_month(
			scheme,
			[OnCallWeek("anna", 2026, 47, "Jour 2")],
			[act("A1", at(2026, 11, 21, 5, 30), at(2026, 11, 21, 7))],
			2026,
			11,
		)["anna"]
		assert band_amounts(slip) == {"On-call Band 2": D("400.00"), "On-call Band 3": D("300.00")}

	def test_weekday_holiday_is_band_2(self, scheme):
		# Ascension Day, Thursday 14 May 2026, 10:00–12:00: 2 h × 400.
		slip = pay_month(
			scheme,
			[OnCallWeek("anna", 2026, 20, "Jour 2")],
			[act("A1", at(2026, 5, 14, 10), at(2026, 5, 14, 12))],
			2026,
			5,
		)["anna"]
		assert band_amounts(slip) == {"On-call Band 2": D("800.00")}

	def test_october_dst_night_pays_the_hour_really_worked(self, scheme):
		# Sat 24 Oct 23:00 → Sun 25 Oct 04:00 local is 6 real hours (02:00–03:00 twice): 6 × 600.
		segs = split(act("A1", at(2026, 10, 24, 23), at(2026, 10, 25, 4)), scheme)
		assert sum(s.seconds for s in segs) == 6 * 3600
		slip = pay_month(
			scheme,
			[OnCallWeek("anna", 2026, 43, "Jour 2")],
			[act("A1", at(2026, 10, 24, 23), at(2026, 10, 25, 4))],
			2026,
			10,
		)["anna"]
		assert band_amounts(slip) == {"On-call Band 3": D("3600.00")}

	def test_march_dst_night_is_an_hour_shorter(self, scheme):
		segs = split(act("A1", at(2026, 3, 28, 23), at(2026, 3, 29, 4)), scheme)
		assert sum(s.seconds for s in segs) == 4 * 3600

	def test_activation_over_a_month_end_is_paid_in_each_month(self, scheme):
		weeks = [OnCallWeek("anna", 2026, 22, "Jour 2"), OnCallWeek("anna", 2026, 23, "Jour 2")]
		a = [act("A1", at(2026, 5, 31, 23), at(2026, 6, 1, 1))]
		assert band_amounts(pay_month(scheme, weeks, a, 2026, 5)["anna"]) == {"On-call Band 3": D("600.00")}
		assert band_amounts(pay_month(scheme, weeks, a, 2026, 6)["anna"]) == {"On-call Band 3": D("600.00")}

	def test_split_at_every_boundary_and_midnight(self, scheme):
		segs = split(act("A1", at(2026, 11, 20, 21, 30), at(2026, 11, 21, 7)), scheme)
		assert [(s.start.strftime("%H:%M"), s.band.name) for s in segs] == [
			("21:30", "Band 1"),
			("22:00", "Band 3"),
			("00:00", "Band 3"),
			("06:00", "Band 2"),
		]


class TestWeeks:
	@pytest.mark.parametrize(
		"year,week,uplift",
		[
			(2026, 25, True),  # Midsummer Eve 19 Jun + Midsummer Day 20 Jun
			(2026, 14, True),  # Good Friday 3 Apr, Easter Sunday 5 Apr
			(2026, 15, True),  # Easter Monday 6 Apr
			(2026, 52, True),  # Christmas Eve, Christmas Day, Boxing Day
			(2026, 47, False),  # an ordinary November week
			(2026, 20, False),  # Ascension Day is a holiday, but not of the four
		],
	)
	def test_uplift_weeks(self, scheme, year, week, uplift):
		assert (uplift_reason(OnCallWeek("a", year, week, "Jour 2"), scheme) is not None) == uplift

	def test_midsummer_week_pays_6750(self, scheme):
		slip = pay_month(scheme, [OnCallWeek("anna", 2026, 25, "Jour 2")], [], 2026, 6)["anna"]
		assert [line.amount for line in slip.lines] == [
			D("6750.00")
		] and "Midsummer Eve 2026-06-19" in slip.lines[0].why

	def test_week_53_is_paid_in_january_when_it_ends(self, scheme):
		# 2026-W53 runs Mon 28 Dec 2026 – Sun 3 Jan 2027 and holds New Year's Eve and Day.
		week = OnCallWeek("anna", 2026, 53, "Jour 2")
		assert pay_month(scheme, [week], [], 2026, 12) == {}
		assert pay_month(scheme, [week], [], 2027, 1)["anna"].total == D("6750.00")
		starts = dataclasses.replace(scheme, week_paid_in="start")
		assert pay_month(starts, [week], [], 2026, 12)["anna"].total == D("6750.00")

	def test_uplift_groups_are_configurable(self, scheme):
		only_christmas = dataclasses.replace(scheme, uplift_groups=("christmas",))
		assert uplift_reason(OnCallWeek("a", 2026, 25, "Jour 2"), only_christmas) is None


class TestBadInput:
	def test_overlapping_activations(self, scheme):
		acts = [
			act("A1", at(2026, 11, 20, 21), at(2026, 11, 20, 23)),
			act("A2", at(2026, 11, 20, 22), at(2026, 11, 20, 23, 30)),
		]
		with pytest.raises(InputError, match="A2.*overlaps activation A1"):
			pay_month(scheme, [OnCallWeek("anna", 2026, 47, "Jour 2")], acts, 2026, 11)

	def test_end_not_after_start(self):
		with pytest.raises(InputError, match="activation A1: end"):
			act("A1", at(2026, 11, 20, 21), at(2026, 11, 20, 21))

	def test_activation_outside_jour_week_by_setting(self, scheme):
		a = [act("A1", at(2026, 11, 10, 21), at(2026, 11, 10, 22))]
		strict = dataclasses.replace(scheme, activations_outside_week="error")
		with pytest.raises(InputError, match="outside every on-call week of anna"):
			pay_month(strict, [OnCallWeek("anna", 2026, 47, "Jour 2")], a, 2026, 11)
		assert pay_month(scheme, [OnCallWeek("anna", 2026, 47, "Jour 2")], a, 2026, 11)["anna"].lines[
			-1
		].amount == D("290.00")

	def test_week_twice_unknown_level_bad_week(self, scheme):
		with pytest.raises(InputError, match="appears twice"):
			pay_month(
				scheme,
				[OnCallWeek("anna", 2026, 47, "Jour 2"), OnCallWeek("anna", 2026, 47, "Jour 2")],
				[],
				2026,
				11,
			)
		with pytest.raises(InputError, match="level"):
			pay_month(scheme, [OnCallWeek("anna", 2026, 47, "Jour 9")], [], 2026, 11)
		with pytest.raises(InputError, match="not an ISO week"):
			OnCallWeek("anna", 2027, 53, "Jour 2")

	def test_bands_must_cover_every_hour_exactly_once(self, scheme):
		gap = tuple(b for b in scheme.bands if b.name != "Band 3")
		with pytest.raises(ConfigError, match="no band covers"):
			dataclasses.replace(scheme, bands=gap)
		extra = (*scheme.bands, Band("Band 4", D(100), "weekdays", 8 * 3600, 9 * 3600))
		with pytest.raises(ConfigError, match="overlap"):
			dataclasses.replace(scheme, bands=extra)

	def test_band_names_are_unique(self, scheme):
		twin = tuple(dataclasses.replace(b, name="Band 1") for b in scheme.bands)
		with pytest.raises(ConfigError, match="two bands share a name"):
			dataclasses.replace(scheme, bands=twin)

	def test_unknown_time_zone(self, scheme):
		with pytest.raises(ConfigError, match="timezone.*unknown time zone"):
			dataclasses.replace(scheme, timezone="Europe/Stokholm")


class TestCorrections:
	"""docs/rules.md C7 (our reading): a month paid once; later changes paid as the difference next month."""

	def paid_of(self, slip):
		from support_contracts.engine.on_call import PaidLine

		return [PaidLine(slip.month, line.component, line.amount, line.sources) for line in slip.lines]

	def test_a_late_activation_is_paid_as_its_band_difference_naming_it(self, scheme):
		from support_contracts.engine.on_call import pay_corrections

		week = OnCallWeek("anna", 2026, 47, "Jour 2")
		a1 = act("A1", at(2026, 11, 18, 19), at(2026, 11, 18, 21))  # Wednesday 19–21: band 1, 2 × 290
		paid = pay_month(scheme, [week], [a1], 2026, 11)["anna"]
		# a Saturday 10:00–11:30 call-in logged after November was paid: band 2, 1.5 h × 400 = 600
		a2 = act("A2", at(2026, 11, 21, 10), at(2026, 11, 21, 11, 30))
		now = pay_month(scheme, [week], [a1, a2], 2026, 11)["anna"]
		lines = pay_corrections("anna", "2026-11", now.lines, self.paid_of(paid), paid_in="2026-12")
		assert [(line.component, line.amount, line.sources) for line in lines] == [
			("On-call Band 2", D("600.00"), ("A2",))
		]
		assert "added A2" in lines[0].why and "paid in 2026-12" in lines[0].why

	def test_a_shortened_activation_is_a_negative_correction(self, scheme):
		from support_contracts.engine.on_call import pay_corrections

		week = OnCallWeek("anna", 2026, 47, "Jour 2")
		before = act("A1", at(2026, 11, 18, 19), at(2026, 11, 18, 21))
		after = act("A1", at(2026, 11, 18, 19), at(2026, 11, 18, 20))  # an hour less: −290
		paid = pay_month(scheme, [week], [before], 2026, 11)["anna"]
		now = pay_month(scheme, [week], [after], 2026, 11)["anna"]
		[line] = pay_corrections(
			"anna", "2026-11", now.lines, self.paid_of(paid), changed=["A1"], paid_in="2026-12"
		)
		assert (line.component, line.amount, line.sources) == ("On-call Band 1", D("-290.00"), ("A1",))
		assert "changed A1" in line.why

	def test_a_removed_week_takes_back_its_stipend_and_nothing_else_moves(self, scheme):
		from support_contracts.engine.on_call import pay_corrections

		w47, w48 = OnCallWeek("anna", 2026, 47, "Jour 2"), OnCallWeek("anna", 2026, 48, "Jour 2")
		paid = pay_month(scheme, [w47, w48], [], 2026, 11)["anna"]
		now = pay_month(scheme, [w47], [], 2026, 11)["anna"]
		[line] = pay_corrections("anna", "2026-11", now.lines, self.paid_of(paid), paid_in="2026-12")
		assert (line.component, line.amount, line.sources) == ("On-call Stipend", D("-4500"), ("2026-W48",))

	def test_nothing_changed_nothing_to_correct(self, scheme):
		from support_contracts.engine.on_call import pay_corrections

		week = OnCallWeek("anna", 2026, 47, "Jour 2")
		slip = pay_month(scheme, [week], [act("A1", at(2026, 11, 18, 19), at(2026, 11, 18, 21))], 2026, 11)[
			"anna"
		]
		assert pay_corrections("anna", "2026-11", slip.lines, self.paid_of(slip), paid_in="2026-12") == []
