"""Contract terms in the rating, worked out by hand: work on a fault outside the provider's area (docs/rules.md
A8, D3), warranty work only under a contract (B6, D3), and monitored units sold per month (A4)."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from support_contracts.engine.errors import ConfigError, InputError
from support_contracts.engine.rating import rate_billing_month, rate_month
from support_contracts.engine.tiers import Contract
from support_contracts.engine.work import TimeEntry
from support_contracts.examples import load_firm

from .conftest import at

D = Decimal


@pytest.fixture(scope="module")
def trinax():
	return load_firm("trinax")


@pytest.fixture(scope="module")
def ballou():
	return load_firm("ballou")


def entry(i, start, minutes, kind="remote", **kw):
	return TimeEntry(i, start, kind, minutes=minutes, **kw)


class TestOutsideOurArea:
	def test_billed_per_started_hour_and_not_from_the_bank(self, trinax):
		# Alert!: 30-min increments and a fresh 15 h bank. 70 min outside our area → 2 started hours ×
		# 850 = 1,700, billed; the 20 min in our area → 30 min from the bank.
		inv = rate_month(
			trinax.contract("TRX-001"),
			trinax.rating_tiers,
			2026,
			4,
			[
				entry("E1", at(2026, 4, 7, 9), 70, outside_area=True, ticket="T1"),
				entry("E2", at(2026, 4, 8, 9), 20, ticket="T2"),
			],
		)
		out = [line for line in inv.lines if line.description.startswith("Outside our area")]
		assert len(out) == 1
		assert (out[0].quantity, out[0].rate, out[0].amount) == (D(2), D("850.00"), D("1700.00"))
		assert "per started hour" in out[0].why and "E1" in out[0].why
		assert inv.bank.used_minutes == 30
		assert inv.total == D("8000.00") + D("1700.00")

	def test_the_weekend_factor_still_applies(self, ballou):
		# Ballou Incident: a Saturday, 10 min outside our area → 1 h × 950 × 2.0 = 1,900 (no call-in)
		inv = rate_month(
			ballou.contract("BAL-002"),
			ballou.rating_tiers,
			2026,
			6,
			[entry("E1", at(2026, 6, 13, 10), 10, outside_area=True)],
		)
		out = next(line for line in inv.lines if line.description.startswith("Outside our area"))
		assert out.amount == D("1900.00")


class TestWarrantyOnlyUnderAContract:
	def test_without_a_contract_warranty_work_is_billed(self, trinax):
		walk_in = Contract.without_contract("Walk-in AB", "no_contract")
		inv = rate_month(
			walk_in, trinax.rating_tiers, 2026, 5, [entry("E1", at(2026, 5, 5, 9), 60, warranty=True)]
		)
		assert not any("Warranty" in line.description for line in inv.lines)
		assert inv.total == D("980.00")

	def test_a_tier_that_bills_warranty_work_bills_it(self, trinax):
		tiers = {
			**trinax.rating_tiers,
			"alert": dataclasses.replace(trinax.rating_tiers["alert"], warranty_free=False),
		}
		inv = rate_month(
			trinax.contract("TRX-001"), tiers, 2026, 5, [entry("E1", at(2026, 5, 5, 9), 45, warranty=True)]
		)
		assert not any("Warranty" in line.description for line in inv.lines)
		assert inv.bank.used_minutes == 60  # 45 min → 60 in 30-min steps, from the bank


class TestMonitoring:
	def test_units_beyond_the_included_one_each_month(self, ballou):
		# BAL-001 on High monitoring 3 units, 1 included: 2 × 250 = 500 on the billing month of June
		c = dataclasses.replace(ballou.contract("BAL-001"), monitored_units=3)
		inv = rate_billing_month(c, ballou.rating_tiers, 2026, 6)
		line = next(line for line in inv.lines if line.item == "MONITORING")
		assert (line.quantity, line.rate, line.amount) == (D(2), D("250.00"), D("500.00"))
		assert "3 monitored unit(s), 1 included" in line.why

	def test_prorated_with_the_fee_when_the_contract_starts_mid_month(self, ballou):
		# from 16 June: 15 of 30 days → 2 × 250 × 15/30 = 250
		c = dataclasses.replace(ballou.contract("BAL-001"), start=dt.date(2026, 6, 16), monitored_units=3)
		inv = rate_billing_month(c, ballou.rating_tiers, 2026, 6)
		line = next(line for line in inv.lines if line.item == "MONITORING")
		assert line.amount == D("250.00") and "15 of 30 days" in line.why

	def test_none_when_only_the_included_unit_is_monitored(self, ballou):
		c = dataclasses.replace(ballou.contract("BAL-001"), monitored_units=1)
		inv = rate_billing_month(c, ballou.rating_tiers, 2026, 6)
		assert not any(line.item == "MONITORING" for line in inv.lines)

	def test_a_tier_that_sells_no_monitoring_refuses_extra_units(self, trinax):
		c = dataclasses.replace(trinax.contract("TRX-001"), monitored_units=2)
		with pytest.raises(InputError, match="monitored_units"):
			rate_billing_month(c, trinax.rating_tiers, 2026, 6)

	def test_bad_counts_are_refused_naming_the_field(self):
		with pytest.raises(ConfigError, match="monitored_units"):
			Contract("X", "X AB", "high", dt.date(2026, 1, 1), monitored_units=-1)


class TestMonitoringInTheFirmFormat:
	def test_read_from_the_tier_billing(self, ballou):
		high = ballou.rating_tiers["high"]
		assert (high.monitoring_included, high.monitoring_unit_price) == (1, D("250"))

	@pytest.mark.parametrize("value", ["-1", "1.5", "one"])
	def test_a_bad_count_names_the_field(self, value):
		from support_contracts.engine.calendar import CalendarSpec
		from support_contracts.engine.config import parse_tier

		with pytest.raises(ConfigError, match="monitoring.included"):
			parse_tier(
				"t",
				{"calendar": "c", "hourly_rate": 1, "monitoring": {"included": value}},
				{"c": CalendarSpec.always_open("c", "UTC")},
				"SEK",
			)


class TestPrerequisites:
	def test_training_before_the_start(self):
		from support_contracts.engine.terms import check_training

		check_training(True, dt.date(2026, 1, 10), dt.date(2026, 2, 1))
		check_training(True, dt.date(2026, 2, 1), dt.date(2026, 2, 1))  # the same day is before enough
		check_training(False, None, dt.date(2026, 2, 1))
		with pytest.raises(InputError, match="training_completed_on.*requires a completed training"):
			check_training(True, None, dt.date(2026, 2, 1))
		with pytest.raises(InputError, match="training_completed_on.*after the start date"):
			check_training(True, dt.date(2026, 2, 2), dt.date(2026, 2, 1))

	def test_quote_first_waits_for_an_ordered_quotation(self):
		from support_contracts.engine.terms import quote_accepted

		assert quote_accepted(False, None)
		assert not quote_accepted(True, None, None)
		assert not quote_accepted(True, "Open")
		assert not quote_accepted(True, "Ordered", 0)  # a draft cannot have been accepted
		assert quote_accepted(True, "Ordered") and quote_accepted(True, "Partially Ordered")
		assert not quote_accepted(True, "Lost")
