"""Rating: invoice lines worked out by hand from docs/rules.md A, B, D and the example tiers."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from support_contracts.engine.errors import ConfigError, InputError
from support_contracts.engine.pricing import billed_minutes
from support_contracts.engine.rating import rate_month
from support_contracts.engine.tiers import Contract, SlaCredit
from support_contracts.engine.work import Breach, Incident, TimeEntry
from support_contracts.examples import load_firm

from .conftest import at

D = Decimal


@pytest.fixture(scope="module")
def ballou():
	return load_firm("ballou")


@pytest.fixture(scope="module")
def trinax():
	return load_firm("trinax")


@pytest.fixture(scope="module")
def vmi():
	return load_firm("vmi")


def entry(i, start, kind="remote", minutes=None, end=None, **kw):
	return TimeEntry(i, start, kind, minutes=minutes, end=end, **kw)


def amounts(inv):
	"""The amounts of the invoice's lines, leaving out the hour-bank line (always shown, always 0)."""
	return [line.amount for line in inv.lines if line.item != "HOUR-BANK"]


class TestBallouIncidents:
	"""docs/rules.md A: incident fee includes 1 h at 950; weekends/holidays × 2.0; per started hour."""

	def test_incident_customer_calls_in_on_a_saturday_10_to_12_20(self, ballou):
		# 140 min → 3 started hours; 1 h included; 2 h × 950 × 2.0 = 3,800. Fee 400 + 1,750 + 3,800.
		inv = rate_month(
			ballou.contract("BAL-002"),
			ballou.rating_tiers,
			2026,
			6,
			[entry("E1", at(2026, 6, 13, 10), end=at(2026, 6, 13, 12, 20), ticket="T1")],
			[Incident("I1", at(2026, 6, 13, 10), "T1")],
		)
		assert amounts(inv) == [D("400.00"), D("1750.00"), D("3800.00")]
		assert inv.total == D("5950.00")
		work = inv.lines[2]
		assert (
			work.quantity == 2
			and work.rate == D("1900.00")
			and "factor 2.0" in work.why
			and "E1" in work.sources
		)

	def test_high_service_level_night_call_within_the_included_hour(self, ballou):
		# Tuesday 23:00–23:50: one started hour, all included; the call-out fee is 0.
		inv = rate_month(
			ballou.contract("BAL-001"),
			ballou.rating_tiers,
			2026,
			6,
			[entry("E1", at(2026, 6, 16, 23), end=at(2026, 6, 16, 23, 50), ticket="T1")],
			[Incident("I1", at(2026, 6, 16, 23), "T1")],
		)
		assert amounts(inv) == [D("2100.00"), D("0.00")]
		assert "E1" in inv.lines[1].why

	def test_no_contract_sunday_night(self, ballou):
		# 02:00–04:10 = 130 min → 3 started hours, 1 included; 4,500 + 2 × 1,900.
		inv = rate_month(
			ballou.contract("BAL-003"),
			ballou.rating_tiers,
			2026,
			6,
			[entry("E1", at(2026, 6, 14, 2), end=at(2026, 6, 14, 4, 10), ticket="T9")],
			[Incident("I1", at(2026, 6, 14, 2), "T9")],
		)
		assert inv.total == D("8300.00")

	def test_weekday_public_holiday_gets_the_factor(self, ballou):
		# Ascension Day, Thursday 14 May 2026: work without an incident, 1 started hour × 950 × 2.0.
		inv = rate_month(
			ballou.contract("BAL-001"),
			ballou.rating_tiers,
			2026,
			5,
			[entry("E1", at(2026, 5, 14, 10), minutes=20)],
		)
		assert amounts(inv) == [D("2100.00"), D("1900.00")]
		# and an ordinary Wednesday the rate alone
		inv = rate_month(
			ballou.contract("BAL-001"),
			ballou.rating_tiers,
			2026,
			5,
			[entry("E1", at(2026, 5, 13, 10), minutes=20)],
		)
		assert amounts(inv) == [D("2100.00"), D("950.00")]

	def test_incident_on_a_tier_without_incident_model_is_rejected(self, trinax):
		with pytest.raises(InputError, match="no incident model"):
			rate_month(
				trinax.contract("TRX-001"),
				trinax.rating_tiers,
				2026,
				5,
				[],
				[Incident("I1", at(2026, 5, 5, 10), "T")],
			)


class TestHourBank:
	"""docs/rules.md B: Alert! 15 h per quarter, consumed in time order, overage at 850."""

	def entries(self):
		return [
			entry("E1", at(2026, 5, 5, 9), minutes=120),
			entry("E2", at(2026, 5, 12, 9), "on_site", minutes=90),
			entry("E3", at(2026, 5, 19, 10), "phone", minutes=20),
			entry("E4", at(2026, 5, 26, 13), minutes=60),
		]

	def test_q2_bank_of_an_alert_customer_runs_out_mid_may(self, trinax):
		# 12 h used in April → 3 h left. E1 2 h covered; E2 1 h of 1.5 h covered, 0.5 h × 850 = 425;
		# E3 20 → 30 min = 425; E4 1 h = 850. Fee 8,000.
		inv = rate_month(
			trinax.contract("TRX-001"), trinax.rating_tiers, 2026, 5, self.entries(), bank_used_before=12 * 60
		)
		assert inv.bank.period == "Q2 2026"
		assert (inv.bank.before_minutes, inv.bank.used_minutes, inv.bank.after_minutes) == (180, 180, 0)
		assert inv.total == D("9700.00")
		bank_line = next(line for line in inv.lines if line.item == "HOUR-BANK")
		assert bank_line.amount == 0 and bank_line.sources == ("E1", "E2")

	def test_fresh_quarter_covers_everything(self, trinax):
		inv = rate_month(
			trinax.contract("TRX-001"),
			trinax.rating_tiers,
			2026,
			4,
			[entry("E1", at(2026, 4, 7, 9), minutes=120)],
		)
		assert inv.total == D("8000.00") and inv.bank.after_minutes == 15 * 60 - 120

	def test_weekend_work_does_not_draw_from_the_bank(self, trinax):
		inv = rate_month(
			trinax.contract("TRX-001"),
			trinax.rating_tiers,
			2026,
			5,
			[entry("E1", at(2026, 5, 9, 10), minutes=60)],
		)
		assert inv.bank.used_minutes == 0 and inv.total == D("8850.00")

	def test_yearly_bank_and_carry_over(self, trinax):
		access = trinax.rating_tiers["access"]
		assert access.hour_bank.period_of(2026, 7)[2] == "2026"
		tiers = dict(trinax.rating_tiers)
		tiers["access"] = dataclasses.replace(
			access, hour_bank=dataclasses.replace(access.hour_bank, carry_over=True)
		)
		inv = rate_month(
			trinax.contract("TRX-003"),
			tiers,
			2026,
			7,
			[entry("E1", at(2026, 7, 7, 9), minutes=300)],
			bank_carried_in=60,
		)
		# 4 h + 1 h carried = 5 h: all 300 min covered
		assert inv.bank.allotment_minutes == 300 and inv.total == D("500.00")
		inv = rate_month(
			trinax.contract("TRX-003"),
			trinax.rating_tiers,
			2026,
			7,
			[entry("E1", at(2026, 7, 7, 9), minutes=300)],
			bank_carried_in=60,
		)
		# without carry-over the carried hour is ignored: 60 min over at 940
		assert inv.total == D("1440.00")


class TestIncrementsTravelWarranty:
	"""docs/rules.md D: increments 10 / 30 / 60 min per kind, on-site at least 1 h, travel by zone, warranty free."""

	def test_increments_and_minimum(self, vmi, trinax):
		tier = vmi.rating_tiers["proactive"]
		assert billed_minutes(entry("a", at(2026, 3, 2, 9), "phone", 7), tier)[0] == 10
		assert billed_minutes(entry("b", at(2026, 3, 2, 9), "phone", 10), tier)[0] == 10
		assert billed_minutes(entry("c", at(2026, 3, 2, 9), "remote", 31), tier)[0] == 60
		assert billed_minutes(entry("d", at(2026, 3, 2, 9), "on_site", 25), tier)[0] == 60
		# Trinax rounds on-site to 30 min, then the 1 h minimum applies
		alert = trinax.rating_tiers["alert"]
		assert billed_minutes(entry("d", at(2026, 3, 2, 9), "on_site", 25), alert) == (
			60,
			"minimum 60 min for on-site",
		)
		assert billed_minutes(entry("d", at(2026, 3, 2, 9), "on_site", 70), alert)[0] == 90
		assert billed_minutes(entry("e", at(2026, 3, 2, 9), "on_site", 61), tier)[0] == 120

	def test_each_line_is_rounded_once(self, vmi):
		# three 10-minute calls: 30 min × 895/h = 447.50, not 3 × 149.17 = 447.51
		es = [entry(f"E{i}", at(2026, 3, 2 + i, 9), "phone", 10) for i in range(3)]
		inv = rate_month(vmi.contract("VMI-001"), vmi.rating_tiers, 2026, 3, es)
		assert amounts(inv) == [D("2500.00"), D("447.50")]

	def test_travel_home_zone_free_unless_urgent_region_flat_fee(self, vmi):
		visits = [
			entry("E1", at(2026, 3, 3, 9), "on_site", 30),
			entry("E2", at(2026, 3, 4, 9), "on_site", 30, urgent=True),
		]
		home = rate_month(vmi.contract("VMI-001"), vmi.rating_tiers, 2026, 3, visits)
		travel = [line for line in home.lines if line.item == "TRAVEL"]
		assert [(t.quantity, t.amount, t.sources) for t in travel] == [(1, D("450.00"), ("E2",))]
		region = rate_month(vmi.contract("VMI-002"), vmi.rating_tiers, 2026, 3, visits)
		travel = [line for line in region.lines if line.item == "TRAVEL"]
		assert sum(t.amount for t in travel) == D("590.00")  # 2 visits × 295 (urgent or not)

	def test_warranty_work_shown_at_zero_and_uses_no_bank(self, trinax):
		inv = rate_month(
			trinax.contract("TRX-001"),
			trinax.rating_tiers,
			2026,
			5,
			[entry("E1", at(2026, 5, 5, 9), minutes=45, warranty=True)],
		)
		w = next(line for line in inv.lines if "Warranty" in line.description)
		assert (w.quantity, w.amount) == (1, 0) and inv.bank.used_minutes == 0

	def test_no_contract_list_rate(self, trinax):
		c = Contract("X", "Walk-in AB", "no_contract", dt.date(2026, 1, 1))
		inv = rate_month(c, trinax.rating_tiers, 2026, 5, [entry("E1", at(2026, 5, 5, 9), minutes=60)])
		assert amounts(inv) == [D("980.00")]

	def test_contract_override_of_the_rate(self, trinax):
		inv = rate_month(
			trinax.contract("TRX-004"),
			trinax.rating_tiers,
			2026,
			5,
			[entry("E1", at(2026, 5, 9, 9), minutes=60)],
		)
		assert amounts(inv)[-1] == D("800.00")

	def test_after_hours_rate_where_the_tier_has_one(self, trinax):
		tiers = dict(trinax.rating_tiers)
		tiers["alert"] = dataclasses.replace(tiers["alert"], after_hours_rate=D("1275"))
		inv = rate_month(
			trinax.contract("TRX-001"), tiers, 2026, 5, [entry("E1", at(2026, 5, 5, 18), minutes=60)]
		)
		assert amounts(inv)[-1] == D("1275.00") and "after hours" in inv.lines[-1].description


class TestFeeAndCredits:
	def test_fee_prorated_when_the_contract_starts_mid_month(self, trinax):
		# Attend! from 12 May: 20 of 31 days × 3,000 = 1,935.48
		inv = rate_month(trinax.contract("TRX-002"), trinax.rating_tiers, 2026, 5)
		assert amounts(inv) == [D("1935.48")] and "20/31 days" in inv.lines[0].description

	def test_fee_prorated_when_the_contract_ends_mid_month(self, trinax):
		c = Contract("X", "Y", "access", dt.date(2026, 1, 1), dt.date(2026, 6, 10))
		assert amounts(rate_month(c, trinax.rating_tiers, 2026, 6)) == [D("166.67")]  # 10/30 × 500

	def test_sla_credit_per_breach_capped(self, trinax):
		tiers = dict(trinax.rating_tiers)
		tiers["alert"] = dataclasses.replace(
			tiers["alert"], sla_credit=SlaCredit(D(5), ("P1",), ("action_start",), D(10))
		)
		breaches = [Breach(f"T{i}", "P1", "action_start") for i in range(3)] + [
			Breach("T9", "P3", "action_start")
		]
		inv = rate_month(trinax.contract("TRX-001"), tiers, 2026, 5, [], [], breaches)
		credit = inv.lines[-1]
		# 3 × 5 % of 8,000 = 1,200, capped at 10 % = 800; the P3 breach does not count
		assert credit.amount == D("-800.00") and credit.quantity == 3 and "capped" in credit.description
		assert inv.total == D("7200.00")

	def test_no_credit_unless_configured(self, trinax):
		inv = rate_month(
			trinax.contract("TRX-001"),
			trinax.rating_tiers,
			2026,
			5,
			[],
			[],
			[Breach("T1", "P1", "action_start")],
		)
		assert amounts(inv) == [D("8000.00")]


class TestBadInput:
	def test_entry_outside_the_billing_month(self, trinax):
		with pytest.raises(InputError, match=r"entry E1: start.*outside the billing month 2026-05"):
			rate_month(
				trinax.contract("TRX-001"),
				trinax.rating_tiers,
				2026,
				5,
				[entry("E1", at(2026, 6, 1, 9), minutes=60)],
			)

	def test_entry_before_the_contract(self, trinax):
		with pytest.raises(InputError, match="outside contract TRX-002"):
			rate_month(
				trinax.contract("TRX-002"),
				trinax.rating_tiers,
				2026,
				5,
				[entry("E1", at(2026, 5, 4, 9), minutes=60)],
			)

	def test_end_before_start_and_bad_minutes(self):
		with pytest.raises(InputError, match="entry E1: end"):
			entry("E1", at(2026, 5, 4, 9), end=at(2026, 5, 4, 8))
		for bad in (-5, 0):
			with pytest.raises(InputError, match="entry E1: minutes"):
				entry("E1", at(2026, 5, 4, 9), minutes=bad)
		with pytest.raises(InputError, match="disagrees"):
			entry("E1", at(2026, 5, 4, 9), minutes=30, end=at(2026, 5, 4, 10))

	def test_unknown_work_kind(self):
		with pytest.raises(InputError, match="entry E1: kind.*unknown work kind"):
			entry("E1", at(2026, 5, 4, 9), "carpentry", 30)

	def test_unknown_tier_override_and_currency(self, trinax):
		with pytest.raises(ConfigError, match="tier"):
			rate_month(Contract("X", "Y", "gold", dt.date(2026, 1, 1)), trinax.rating_tiers, 2026, 5)
		with pytest.raises(ConfigError, match="not a tier field"):
			rate_month(
				Contract("X", "Y", "alert", dt.date(2026, 1, 1), overrides={"discount": 5}),
				trinax.rating_tiers,
				2026,
				5,
			)
		with pytest.raises(InputError, match="currency"):
			rate_month(
				Contract("X", "Y", "alert", dt.date(2026, 1, 1), currency="NOK"), trinax.rating_tiers, 2026, 5
			)

	def test_duplicate_entry_ids(self, trinax):
		es = [entry("E1", at(2026, 5, 4, 9), minutes=30), entry("E1", at(2026, 5, 5, 9), minutes=30)]
		with pytest.raises(InputError, match="appears twice"):
			rate_month(trinax.contract("TRX-001"), trinax.rating_tiers, 2026, 5, es)

	def test_naive_entry_time(self):
		with pytest.raises(InputError, match="naive"):
			entry("E1", dt.datetime(2026, 5, 4, 9), minutes=30)


class TestLateUsageAndItems:
	def test_late_time_is_rated_by_its_own_month_and_says_so(self, trinax):
		# an hour of remote work on Thursday 2 April at 09:00, logged after April was billed, goes on the
		# June invoice at the no-contract list rate of B3 (980/h), labelled with its month
		tier = trinax.rating_tiers["no_contract"]
		c = Contract("X", "Walk-in AB", "no_contract", dt.date(2026, 1, 1))
		from support_contracts.engine.rating import rate_late_usage

		inv = rate_late_usage(
			c,
			trinax.rating_tiers,
			2026,
			4,
			[entry("E1", at(2026, 4, 2, 9), minutes=60)],
			billed_in="2026-06",
		)
		assert tier.hourly_rate == D("980")
		assert [line.amount for line in inv.lines] == [D("980.00")]
		line = inv.lines[0]
		assert line.description.startswith("Late, 2026-04: ")
		assert line.why.startswith("logged after 2026-04 was billed, billed in 2026-06; ")
		assert inv.month == "2026-04"

	def test_late_entry_outside_its_month_is_refused(self, trinax):
		from support_contracts.engine.rating import rate_late_usage

		c = Contract("X", "Walk-in AB", "no_contract", dt.date(2026, 1, 1))
		with pytest.raises(InputError, match="outside the billing month 2026-04"):
			rate_late_usage(
				c,
				trinax.rating_tiers,
				2026,
				4,
				[entry("E1", at(2026, 5, 2, 9), minutes=60)],
				billed_in="2026-06",
			)

	def test_a_tier_renames_the_item_of_a_kind_of_line(self, trinax):
		tiers = dict(trinax.rating_tiers)
		tiers["no_contract"] = dataclasses.replace(
			tiers["no_contract"], item_codes={"SUPPORT-REMOTE": "WALKIN-H"}
		)
		c = Contract("X", "Walk-in AB", "no_contract", dt.date(2026, 1, 1))
		inv = rate_month(c, tiers, 2026, 5, [entry("E1", at(2026, 5, 5, 9), minutes=60)])
		assert [line.item for line in inv.lines] == ["WALKIN-H"]

	@pytest.mark.parametrize(
		"codes, message",
		[({"SUPPORT-FOO": "X"}, "not a kind of line"), ({"TRAVEL": " "}, "needs an item code")],
	)
	def test_item_renaming_is_checked(self, trinax, codes, message):
		with pytest.raises(ConfigError, match=message):
			dataclasses.replace(trinax.rating_tiers["alert"], item_codes=codes)


class TestWithoutContract:
	def test_a_customer_without_a_contract_pays_usage_at_list_price_and_no_fee(self, trinax):
		# even where the list-price tier has a monthly fee (Alert!'s 8,000 here), a walk-in pays none;
		# the hour at 09:00 on Tuesday 5 May at Alert!'s 850/h (B3) is all they pay
		c = Contract.without_contract("Walk-in AB", "alert")
		tiers = dict(trinax.rating_tiers)
		tiers["alert"] = dataclasses.replace(tiers["alert"], hour_bank=None)
		inv = rate_month(c, tiers, 2026, 5, [entry("E1", at(2026, 5, 5, 9), minutes=60)])
		assert [line.amount for line in inv.lines] == [D("850.00")]
		assert (inv.contract, inv.customer, inv.tier) == ("Walk-in AB", "Walk-in AB", "alert")

	def test_work_from_any_date_is_accepted(self, trinax):
		c = Contract.without_contract("Walk-in AB", "no_contract")
		inv = rate_month(c, trinax.rating_tiers, 1999, 3, [entry("E1", at(1999, 3, 2, 9), minutes=60)])
		assert amounts(inv) == [D("980.00")]


class TestContractTerm:
	"""docs/rules.md B4: 12-month terms from the start date, renewed back to back (the portal's renewal date)."""

	def test_the_term_that_holds_a_day_ends_the_day_before_the_anniversary(self):
		from support_contracts.engine.months import term_end

		assert term_end(dt.date(2026, 1, 1), 12, dt.date(2026, 6, 22)) == dt.date(2026, 12, 31)
		assert term_end(dt.date(2025, 3, 15), 12, dt.date(2026, 3, 14)) == dt.date(2026, 3, 14)
		assert term_end(dt.date(2025, 3, 15), 12, dt.date(2026, 3, 15)) == dt.date(2027, 3, 14)

	def test_month_ends_an_end_date_and_no_term(self):
		from support_contracts.engine.months import term_end

		# a 1-month term from 31 January: February has no 31st, the next term starts 28 February
		assert term_end(dt.date(2026, 1, 31), 1, dt.date(2026, 2, 10)) == dt.date(2026, 2, 27)
		assert term_end(dt.date(2026, 1, 1), 12, dt.date(2026, 6, 1), end=dt.date(2026, 9, 30)) == dt.date(
			2026, 9, 30
		)
		assert term_end(dt.date(2026, 1, 1), 0, dt.date(2026, 6, 1)) is None


class TestCadence:
	"""docs/rules.md B4: reporting monthly / quarterly / yearly (and weekly, half-yearly reviews)."""

	def test_periods_and_the_one_before(self):
		from support_contracts.engine.months import cadence_period, period_before

		day = dt.date(2026, 11, 23)  # a Monday
		assert cadence_period("weekly", day) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
		assert cadence_period("monthly", day) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
		assert cadence_period("quarterly", day) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
		assert cadence_period("half-yearly", day) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
		assert cadence_period("yearly", day) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
		assert period_before("quarterly", dt.date(2026, 10, 1)) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
		assert period_before("monthly", dt.date(2026, 3, 1)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
		assert period_before("yearly", dt.date(2027, 1, 1)) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
		with pytest.raises(ConfigError):
			cadence_period("fortnightly", day)

	def test_a_review_meeting_a_week_into_its_period_on_a_weekday(self):
		from support_contracts.engine.months import review_meeting_day

		# Q4 2026 starts Thu 1 Oct: Thu 8 Oct; H1 2027 starts Fri 1 Jan: the 8th is a Friday
		assert review_meeting_day("quarterly", dt.date(2026, 10, 1)) == dt.date(2026, 10, 8)
		assert review_meeting_day("half-yearly", dt.date(2027, 1, 1)) == dt.date(2027, 1, 8)
		assert review_meeting_day("monthly", dt.date(2026, 8, 1)) == dt.date(
			2026, 8, 10
		)  # Sat 8 Aug → Mon 10
		assert review_meeting_day("quarterly", dt.date(2026, 10, 2)) is None
