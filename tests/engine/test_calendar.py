"""Business calendars: cases worked out by hand from docs/rules.md and a wall calendar of 2026."""

import datetime as dt

import pytest

from support_contracts.engine.calendar import (
	DAY,
	CalendarSpec,
	ClosedDay,
	Closure,
	DayRule,
	HolidayRule,
	Window,
	compile_calendar,
)
from support_contracts.engine.errors import ConfigError, InputError

from .conftest import OSLO, H, at, hours, office_spec

UTC = dt.timezone.utc


class TestOffice:
	def test_eight_hours_from_friday_afternoon_cross_the_spring_dst_weekend(self, office):
		# Fri 27 Mar 16:00 → 1 h on Friday, 7 h on Monday 30 Mar (CEST since Sun 29 Mar): 15:00 CEST.
		due = office.add(at(2026, 3, 27, 16), hours(8))
		assert due == at(2026, 3, 30, 15)
		assert due.astimezone(UTC) == dt.datetime(2026, 3, 30, 13, tzinfo=UTC)

	def test_deadline_that_uses_the_last_second_of_the_day_is_the_closing_time(self, office):
		assert office.add(at(2026, 11, 23, 8), hours(9)) == at(2026, 11, 23, 17)
		assert office.add(at(2026, 11, 23, 8), hours(9) + dt.timedelta(seconds=1)) == at(
			2026, 11, 24, 8, 0, 1
		)

	def test_start_outside_opening_hours_waits_for_the_opening(self, office):
		assert office.add(at(2026, 11, 21, 12), hours(1)) == at(2026, 11, 23, 9)  # Saturday → Mon 09:00
		assert office.add(at(2026, 11, 23, 6, 30), hours(1)) == at(2026, 11, 23, 9)

	def test_between_counts_only_open_time(self, office):
		assert office.between(at(2026, 3, 27, 16), at(2026, 3, 30, 16)) == hours(9)
		assert office.between(at(2026, 11, 23, 16), at(2026, 11, 23, 16)) == dt.timedelta(0)
		assert office.between(at(2026, 11, 24, 9), at(2026, 11, 23, 16)) == -hours(2)

	def test_midsummer_eve_is_closed_although_not_a_public_holiday(self, office):
		# Thu 18 Jun 16:00 + 2 h: 1 h Thursday; Fri 19 Midsummer Eve, Sat Midsummer Day; Mon 22 09:00.
		assert office.add(at(2026, 6, 18, 16), hours(2)) == at(2026, 6, 22, 9)
		assert not office.is_open(at(2026, 6, 19, 10))

	@pytest.mark.parametrize("day", [dt.date(2026, 12, 24), dt.date(2026, 12, 31), dt.date(2027, 6, 25)])
	def test_de_facto_eves_closed(self, office, day):
		# Christmas Eve, New Year's Eve 2026 (Thursdays); Midsummer Eve 2027 is Friday 25 June.
		assert not office.is_open(dt.datetime.combine(day, dt.time(10), tzinfo=office.tz))

	def test_de_facto_eves_open_when_only_public_holidays_close(self):
		cal = compile_calendar(
			office_spec(name="public only", holidays=HolidayRule("SE", kinds=frozenset({"public"})))
		)
		assert cal.is_open(at(2026, 12, 24, 10))
		assert not cal.is_open(at(2026, 12, 25, 10))

	def test_sundays_are_not_holidays_that_open_an_on_call_calendar(self, office):
		# holidays 0.86 lists every Sunday as a Swedish public holiday unless told not to.
		assert office.holiday_name(dt.date(2026, 11, 22)) is None

	def test_early_closing_on_eves_marked_from_2pm(self):
		cal = compile_calendar(office_spec(name="early", holidays=HolidayRule("SE", early_closing=True)))
		# Thu 30 Apr 2026 is Walpurgis Night (from 2pm): open 08–14.
		assert cal.between(at(2026, 4, 30, 0), at(2026, 5, 1, 0)) == hours(6)
		assert cal.is_open(at(2026, 4, 30, 13, 59)) and not cal.is_open(at(2026, 4, 30, 14))
		office = compile_calendar(office_spec())
		assert office.between(at(2026, 4, 30, 0), at(2026, 5, 1, 0)) == hours(9)

	def test_next_open(self, office):
		assert office.next_open(at(2026, 11, 21, 12)) == at(2026, 11, 23, 8)
		assert office.next_open(at(2026, 11, 23, 12)) == at(2026, 11, 23, 12)
		assert office.next_open(at(2026, 11, 23, 17)) == at(2026, 11, 24, 8)

	def test_results_come_back_in_the_calendar_time_zone(self, office):
		due = office.add(dt.datetime(2026, 11, 23, 7, tzinfo=UTC), hours(1))
		assert due.tzinfo == office.tz and due == at(2026, 11, 23, 9)

	def test_year_boundary_and_far_future(self, office):
		# Wed 30 Dec 2026 16:00 + 2 h: 1 h; 31 Dec NYE, 1 Jan, weekend; Mon 4 Jan 2027 09:00.
		assert office.add(at(2026, 12, 30, 16), hours(2)) == at(2027, 1, 4, 9)
		# 2035 (compiled on demand): Mon 1 Oct 2035 08:00 + 9 h = 17:00.
		assert office.add(at(2035, 10, 1, 8), hours(9)) == at(2035, 10, 1, 17)


class TestWindows:
	def test_lunch_break_and_several_windows_per_day(self):
		spec = CalendarSpec(
			"lunch",
			"Europe/Oslo",
			tuple(w for d in range(5) for w in (Window(d, 9 * H, 11 * H + 1800), Window(d, 12 * H, 15 * H))),
		)
		cal = compile_calendar(spec)
		# Mon 23 Nov 11:15 + 1 h: 15 min to 11:30, lunch, 45 min from 12:00 → 12:45.
		assert cal.add(dt.datetime(2026, 11, 23, 11, 15, tzinfo=OSLO), hours(1)) == dt.datetime(
			2026, 11, 23, 12, 45, tzinfo=OSLO
		)
		assert cal.between(
			dt.datetime(2026, 11, 23, tzinfo=OSLO), dt.datetime(2026, 11, 24, tzinfo=OSLO)
		) == hours(5.5)

	def test_on_call_window_runs_past_midnight(self, on_call):
		assert on_call.is_open(at(2026, 11, 24, 7, 30))
		assert not on_call.is_open(at(2026, 11, 24, 8))  # closing instant excluded
		assert not on_call.is_open(at(2026, 11, 24, 16, 59, 59))
		assert on_call.is_open(at(2026, 11, 24, 17))
		# a weekday night: 17:00 → 08:00 is 15 h
		assert on_call.between(at(2026, 11, 24, 12), at(2026, 11, 25, 12)) == hours(15)

	def test_on_call_covers_whole_weekend_and_dst_fall_back_hour(self, on_call):
		# Fri 23 Oct 17:00 → Mon 26 Oct 08:00 is 63 h on a wall clock plus the repeated hour of Sun 25 Oct.
		assert on_call.between(at(2026, 10, 23, 12), at(2026, 10, 26, 12)) == hours(64)

	def test_on_call_opens_all_of_a_weekday_holiday(self, on_call):
		# Christmas Eve Thu 24 Dec 2026 (de facto), Christmas Day Fri 25: open from Wed 23 17:00 to Mon 28 08:00.
		spans = on_call.open_intervals(at(2026, 12, 23), at(2026, 12, 29))
		assert (at(2026, 12, 23, 17), at(2026, 12, 28, 8)) in spans

	def test_weekday_windows_reject_overlap_and_empty(self):
		with pytest.raises(ConfigError, match="overlap"):
			CalendarSpec("x", "UTC", (Window(0, 8 * H, 12 * H), Window(0, 11 * H, 13 * H)))
		with pytest.raises(ConfigError, match="overlap"):  # Sunday night runs into Monday morning
			CalendarSpec("x", "UTC", (Window(6, 22 * H, 2 * H), Window(0, 1 * H, 3 * H)))
		with pytest.raises(ConfigError, match="end equals the start"):
			Window(0, 8 * H, 8 * H)
		with pytest.raises(ConfigError, match="no opening window"):
			CalendarSpec("x", "UTC", ())
		# touching windows are fine
		CalendarSpec(
			"x",
			"UTC",
			(Window(0, 8 * H, 12 * H), Window(0, 12 * H, 13 * H), Window(6, 0, DAY), Window(0, 0, 8 * H)),
		)

	def test_unknown_time_zone(self):
		with pytest.raises(ConfigError, match="timezone.*unknown time zone"):
			CalendarSpec("x", "Europe/Stokholm", (Window(0, 0, DAY),))

	def test_unknown_country_and_subdivision(self):
		with pytest.raises(ConfigError, match="country"):
			HolidayRule("XX")
		with pytest.raises(ConfigError, match="subdivision"):
			HolidayRule("NO", subdivision="99")


class TestAlwaysOpen:
	def test_dst_days_are_23_and_25_hours_long(self, always):
		assert always.between(at(2026, 3, 28, 12), at(2026, 3, 29, 12)) == hours(23)
		assert always.between(at(2026, 10, 24, 12), at(2026, 10, 25, 12)) == hours(25)

	def test_wall_clock_add_across_fall_back(self, always):
		# 00:00 CEST on 25 Oct is 22:00Z; three real hours later is 01:00Z, 02:00 CET (the second 02:00).
		due = always.add(at(2026, 10, 25, 0), hours(3))
		assert due.astimezone(UTC) == dt.datetime(2026, 10, 25, 1, tzinfo=UTC)
		assert due.utcoffset() == hours(1)


class TestClosures:
	def make(self, **kw):
		return compile_calendar(office_spec(name=str(sorted(kw)), **kw))

	def test_romjul_and_july_closures_every_year(self):
		cal = self.make(
			closures=(
				Closure("romjul", DayRule(12, 27), DayRule(12, 30)),
				Closure("summer", DayRule(7, 13), DayRule(7, 26)),
			)
		)
		assert not cal.is_open(at(2026, 12, 28, 10)) and not cal.is_open(at(2027, 12, 30, 10))
		assert not cal.is_open(at(2026, 7, 20, 10))
		assert cal.is_open(at(2026, 7, 27, 10))
		# Wed 23 Dec 2026 16:00 + 2 h: 1 h; 24–31 Dec closed (eves, holidays, romjul), 1 Jan; Mon 4 Jan 09:00.
		assert cal.add(at(2026, 12, 23, 16), hours(2)) == at(2027, 1, 4, 9)
		assert cal.holiday_name(dt.date(2026, 12, 29)) == "romjul"

	def test_closure_wrapping_new_year_and_dated_closure(self):
		cal = self.make(
			closures=(
				Closure("winter", DayRule(12, 28), DayRule(1, 5)),
				Closure("move", DayRule(3, 2, 2026), DayRule(3, 3, 2026)),
			)
		)
		assert not cal.is_open(at(2027, 1, 5, 10)) and cal.is_open(at(2027, 1, 7, 10))
		assert not cal.is_open(at(2026, 3, 3, 10)) and cal.is_open(at(2027, 3, 3, 10))

	def test_extra_closed_day_norway_christmas_eve(self):
		base = CalendarSpec(
			"no", "Europe/Oslo", tuple(Window(d, 9 * H, 15 * H) for d in range(5)), HolidayRule("NO")
		)
		xmas = dt.datetime(2026, 12, 24, 10, tzinfo=OSLO)
		assert compile_calendar(base).is_open(xmas)  # not a public holiday in Norway
		closed = CalendarSpec(
			"no+",
			"Europe/Oslo",
			base.windows,
			base.holidays,
			closed_days=(ClosedDay("julaften", DayRule(12, 24)),),
		)
		assert not compile_calendar(closed).is_open(xmas)

	def test_bad_closures(self):
		with pytest.raises(ConfigError):
			DayRule(2, 30)
		with pytest.raises(ConfigError, match="before the first"):
			Closure("x", DayRule(3, 5, 2026), DayRule(3, 1, 2026))


class TestEndOfBusinessDay:
	"""SSA-L Serious (docs/rules.md E): started the same day, at the latest during the next working day."""

	def test_next_working_day_close(self, office):
		assert office.end_of_business_day(at(2026, 11, 23, 10), 1) == at(2026, 11, 24, 17)  # Mon → Tue
		assert office.end_of_business_day(at(2026, 11, 20, 16), 1) == at(2026, 11, 23, 17)  # Fri → Mon
		assert office.end_of_business_day(at(2026, 11, 21, 10), 1) == at(2026, 11, 23, 17)  # Sat → Mon
		assert office.end_of_business_day(at(2026, 12, 23, 10), 1) == at(2026, 12, 28, 17)  # over Christmas

	def test_same_day(self, office):
		assert office.end_of_business_day(at(2026, 11, 23, 10), 0) == at(2026, 11, 23, 17)
		assert office.end_of_business_day(at(2026, 11, 23, 18), 0) == at(2026, 11, 24, 17)

	def test_negative_days_rejected(self, office):
		with pytest.raises(InputError, match="n:"):
			office.end_of_business_day(at(2026, 11, 23, 10), -1)


class TestBadInput:
	def test_naive_datetime(self, office):
		with pytest.raises(InputError, match="naive"):
			office.add(dt.datetime(2026, 11, 23, 10), hours(1))
		with pytest.raises(InputError, match="naive"):
			office.is_open(dt.datetime(2026, 11, 23, 10))

	@pytest.mark.parametrize("d", [dt.timedelta(0), dt.timedelta(hours=-1)])
	def test_zero_or_negative_duration(self, office, d):
		with pytest.raises(InputError, match="duration: must be positive"):
			office.add(at(2026, 11, 23, 10), d)

	def test_calendar_with_no_open_time(self):
		spec = CalendarSpec(
			"shut", "UTC", (Window(0, 0, DAY),), closures=(Closure("all", DayRule(1, 1), DayRule(12, 31)),)
		)
		with pytest.raises(ConfigError, match="no open time"):
			compile_calendar(spec).add(dt.datetime(2026, 1, 1, tzinfo=UTC), hours(1))


class TestCoverageInWords:
	"""What the portal tells a customer their calendar covers (issue 11's own example for an office)."""

	def test_office_hours_and_swedish_holidays(self):
		from support_contracts.engine.coverage import describe_coverage

		assert describe_coverage(office_spec()) == (
			"Mon–Fri 08:00–17:00; closed on public holidays in Sweden, Midsummer Eve, Christmas Eve, New Year's Eve"
		)

	def test_lunch_break_closed_days_and_closures(self):
		from support_contracts.engine.coverage import describe_coverage

		spec = CalendarSpec(
			"support",
			"Europe/Oslo",
			tuple(w for d in range(5) for w in (Window(d, 9 * H, 11 * H + 1800), Window(d, 12 * H, 15 * H))),
			HolidayRule("NO", kinds=frozenset({"public"})),
			closed_days=(ClosedDay("Christmas Eve", DayRule(12, 24)),),
			closures=(Closure("Romjul", DayRule(12, 27), DayRule(12, 30)),),
		)
		assert describe_coverage(spec) == (
			"Mon–Fri 09:00–11:30, 12:00–15:00; closed on public holidays in Norway, Christmas Eve (12-24); "
			"closed for Romjul from 12-27 to 12-30"
		)

	def test_on_call_is_open_on_holidays_and_weekdays_differ(self):
		from support_contracts.engine.coverage import describe_coverage

		from .conftest import on_call_spec

		text = describe_coverage(on_call_spec())
		assert text.startswith(
			"Mon 00:00–08:00, 17:00–08:00; Tue–Thu 17:00–08:00; Fri 17:00–24:00; Sat–Sun 00:00–24:00"
		)
		assert text.endswith(
			"open all day on public holidays in Sweden, Midsummer Eve, Christmas Eve, New Year's Eve"
		)

	def test_always_open_and_every_phrase_goes_through_the_translator(self):
		from support_contracts.engine.coverage import describe_coverage

		assert describe_coverage(CalendarSpec.always_open()) == "around the clock, every day"
		said = []
		describe_coverage(office_spec(), tr=lambda text: said.append(text) or text.upper())
		assert {"Mon", "Fri", "Sweden", "public holidays in {0}", "closed on {0}", "Midsummer Eve"} <= set(
			said
		)


class TestHalfDaysByRule:
	"""Early closing is decided by the engine's table of eves, never by parsing holiday names (issue 15);
	the table is checked against the days the holidays package marks as half days."""

	def test_the_table_matches_the_package_for_twenty_years(self):
		from support_contracts.engine.public_holidays import early_closings, marked_half_days

		years = tuple(range(2020, 2041))
		assert set(early_closings("SE", None, years)) == marked_half_days("SE", years)

	def test_half_days_of_2026_close_at_two(self):
		from support_contracts.engine.public_holidays import early_closings

		days = early_closings("SE", None, (2026,))
		assert {d.isoformat(): closing for d, (closing, _name) in days.items()} == {
			"2026-01-05": 14 * H,
			"2026-04-02": 14 * H,
			"2026-04-30": 14 * H,
			"2026-05-13": 14 * H,
			"2026-05-22": 14 * H,
			"2026-06-18": 14 * H,
			"2026-10-30": 14 * H,
			"2026-12-23": 14 * H,
			"2026-12-30": 14 * H,
		}

	def test_a_country_without_a_table_has_no_half_days(self):
		from support_contracts.engine.public_holidays import early_closings

		assert early_closings("NO", None, (2026,)) == {}

	def test_names_for_people_in_their_language(self):
		from support_contracts.engine.public_holidays import holiday_names

		christmas = dt.date(2026, 12, 25)
		assert holiday_names("SE", None, 2026, "sv")[christmas] == "Juldagen"
		assert holiday_names("SE", None, 2026, "en_US")[christmas] == "Christmas Day"
		assert holiday_names("NO", None, 2026, "no")[dt.date(2026, 5, 17)] == "Grunnlovsdag"
		# a language the package does not have falls back to English
		assert holiday_names("SE", None, 2026, "xx")[christmas] == "Christmas Day"

	def test_a_calendar_names_its_days_in_the_users_language(self):
		cal = compile_calendar(office_spec(holidays=HolidayRule("SE", early_closing=True)))
		assert cal.holiday_name(dt.date(2026, 12, 25)) == "Christmas Day"
		assert cal.holiday_name(dt.date(2026, 12, 25), "sv") == "Juldagen"
		# de-facto days and half days are the engine's names: translated by the caller's ``tr``
		sv = {"Midsummer Eve": "Midsommarafton", "Walpurgis Night": "Valborgsmässoafton"}
		assert cal.holiday_name(dt.date(2026, 6, 19), "sv", sv.get) == "Midsommarafton"
		assert cal.holiday_name(dt.date(2026, 4, 30), "sv", sv.get) == "Valborgsmässoafton"
		assert cal.holiday_name(dt.date(2026, 6, 17), "sv") is None
