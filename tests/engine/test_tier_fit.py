"""The tier that fits (docs/rules.md F1): a contract's year re-rated under each tier, worked out by hand."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from support_contracts.engine.config import Firm
from support_contracts.engine.errors import InputError
from support_contracts.engine.tier_fit import tier_fit
from support_contracts.engine.work import Incident, TimeEntry
from support_contracts.examples import load_firm
from support_contracts.inputs import load_entries

from .conftest import at

D = Decimal
DATA = Path(__file__).parents[2] / "support_contracts" / "examples" / "data"
YEAR = [(2026, m) for m in range(1, 13)]
# the second Tuesday of each month of 2026, none a holiday in Sweden
TUESDAYS = {1: 13, 2: 10, 3: 10, 4: 14, 5: 12, 6: 9, 7: 14, 8: 11, 9: 8, 10: 13, 11: 10, 12: 8}


def remote(i, day, minutes):
	start = at(*day, 9)
	return TimeEntry(i, start, "remote", minutes=minutes)


def trinax_year():
	"""Two hours of remote work at 09:00 on each month's second Tuesday, and three more on Tue 19 May."""
	usage = {(2026, m): ([remote(f"E{m}", (2026, m, d), 120)], []) for m, d in TUESDAYS.items()}
	usage[(2026, 5)][0].append(remote("E5b", (2026, 5, 19), 180))
	return usage


def by_tier(costs):
	return {c.tier: c for c in costs}


class TestTrinaxYear:
	"""Nordvik's Alert! contract (TRX-001), 2026: 12 × 2 h + 3 h = 27 h of business-hours remote work,
	each entry a whole number of the tiers' 30-minute increments."""

	def test_each_tier_prices_the_same_year(self):
		trinax = load_firm("trinax")
		costs = by_tier(
			tier_fit(trinax.contract("TRX-001"), trinax.rating_tiers, YEAR, trinax_year(), "no_contract")
		)
		# Alert!: 12 × 8,000; 15 h a quarter covers every quarter (Q2: 2 + 5 + 2 = 9 h)
		assert costs["alert"].total == D("96000.00")
		# Attend!: 12 × 3,000; 6 h a quarter — Q2's 9 h leave 3 h at 890: 1 h in May, 2 h in June
		assert costs["attend"].total == D("36000.00") + 3 * D("890")
		assert [inv.total for inv in costs["attend"].invoices][4:6] == [D("3890.00"), D("4780.00")]
		# Access!: 12 × 500; 4 h a year, gone by February's end: 23 h at 940
		assert costs["access"].total == D("6000.00") + 23 * D("940")
		# no contract: no fee, 27 h at 980
		assert costs["no_contract"].total == 27 * D("980")

	def test_the_cheapest_is_marked_and_the_current_tier_is_first(self):
		trinax = load_firm("trinax")
		costs = tier_fit(trinax.contract("TRX-001"), trinax.rating_tiers, YEAR, trinax_year(), "no_contract")
		assert [c.tier for c in costs] == ["alert", "attend", "access", "no_contract"]
		assert [c.current for c in costs] == [True, False, False, False]
		assert [c.tier for c in costs if c.cheapest] == ["no_contract"]  # 26,460 against Access!'s 27,620
		assert costs[3].difference(costs[0]) == D("26460.00") - D("96000.00")

	def test_the_contracts_own_prices_count_for_its_own_tier_only(self):
		# TRX-004 is Alert! at 800 an hour: its overage is 800 on Alert!, the list 890 on Attend!
		trinax = load_firm("trinax")
		usage = {(2026, 1): ([remote("E1", (2026, 1, 13), 16 * 60)], [])}  # 16 h: 1 h beyond the bank
		costs = by_tier(tier_fit(trinax.contract("TRX-004"), trinax.rating_tiers, [(2026, 1)], usage))
		assert costs["alert"].total == D("8000.00") + D("800")
		assert costs["attend"].total == D("3000.00") + 10 * D("890")  # 6 h of the bank, 10 h billed

	def test_indexed_prices_of_its_own_tier_are_not_another_tiers(self):
		# TRX-001's renewal indexed Alert!'s 850 to 900 from 1 January: Alert!'s overage is 900, Attend!'s
		# still its list 890 (docs/rules.md F3)
		import dataclasses

		from support_contracts.engine.tiers import PriceChange

		trinax = load_firm("trinax")
		contract = dataclasses.replace(
			trinax.contract("TRX-001"),
			price_changes=(PriceChange(dt.date(2026, 1, 1), {"hourly_rate": D("900")}),),
		)
		usage = {(2026, 1): ([remote("E1", (2026, 1, 13), 16 * 60)], [])}
		costs = by_tier(tier_fit(contract, trinax.rating_tiers, [(2026, 1)], usage))
		assert costs["alert"].total == D("8000.00") + D("900")
		assert costs["attend"].total == D("3000.00") + 10 * D("890")


class TestWithoutAContract:
	def test_the_list_price_tier_bills_warranty_work_and_no_fee(self):
		# May 2026's entries of the example file: 5 h of work and 45 min of warranty work (rounded up to 1 h).
		# Alert!: fee 8,000, the 5 h from the bank, the warranty free; without a contract at 980: 6 h
		trinax = load_firm("trinax")
		entries = load_entries(str(DATA / "trinax-2026-05-entries.csv"))
		usage = {(2026, 5): (entries, [])}
		costs = by_tier(
			tier_fit(trinax.contract("TRX-001"), trinax.rating_tiers, [(2026, 5)], usage, "no_contract")
		)
		assert costs["alert"].total == D("8000.00")
		assert costs["no_contract"].total == 6 * D("980")
		assert costs["no_contract"].notes == ("as without a contract: no monthly fee, warranty work billed",)
		# as a tier like any other it would have kept the warranty free: 5 h
		costs = by_tier(tier_fit(trinax.contract("TRX-001"), trinax.rating_tiers, [(2026, 5)], usage))
		assert costs["no_contract"].total == 5 * D("980")


def small_firm(carry_over: bool):
	return Firm(
		{
			"firm": "small",
			"currency": "SEK",
			"calendars": {
				"office": {
					"timezone": "Europe/Stockholm",
					"windows": {"Mon-Fri": ["08:00-17:00"]},
					"holidays": {"country": "SE", "kinds": ["public"]},
				}
			},
			"tiers": {
				"bank": {
					"title": "Bank",
					"billing": {
						"calendar": "office",
						"monthly_fee": 1000,
						"hourly_rate": 600,
						"hour_bank": {"hours": "2h", "period": "quarter", "carry_over": carry_over},
					},
					"sla": {"priorities": {"P1": {}}},
				},
				"euro": {
					"title": "Euro",
					"billing": {"calendar": "office", "currency": "EUR", "hourly_rate": 60},
					"sla": {"priorities": {"P1": {}}},
				},
			},
			"contracts": [{"key": "S-1", "customer": "Kund AB", "tier": "bank", "start": "2026-01-01"}],
		}
	)


class TestHourBankThroughTheMonths:
	def test_what_is_left_of_a_quarter_is_carried_into_the_next_where_the_tier_says_so(self):
		# 1 h in January leaves 1 h of Q1's 2 h; April's 3 h: with carry-over Q2 holds 2 + 1 h (nothing billed),
		# without it 2 h (1 h billed at 600)
		usage = {
			(2026, 1): ([remote("E1", (2026, 1, 13), 60)], []),
			(2026, 4): ([remote("E2", (2026, 4, 14), 180)], []),
		}
		months = [(2026, m) for m in range(1, 7)]
		for carry_over, billed in ((True, D("0")), (False, D("600"))):
			firm = small_firm(carry_over)
			[bank, _euro] = tier_fit(firm.contract("S-1"), firm.rating_tiers, months, usage)
			assert bank.total == 6 * D("1000") + billed, carry_over

	def test_a_tier_in_another_currency_says_why_it_is_not_compared(self):
		firm = small_firm(False)
		[bank, euro] = tier_fit(firm.contract("S-1"), firm.rating_tiers, [(2026, 1)], {})
		assert (euro.total, euro.why_not, euro.cheapest) == (None, "bills in EUR", False)
		assert bank.cheapest


class TestCallIns:
	def test_a_tier_without_an_incident_model_prices_a_call_in_as_the_work_it_is(self):
		# Smaklig Mat (BAL-002, Ballou Incident: 1,750 a call-in with 1 h included, 950 an hour, per
		# started hour; weekends × 2.0) calls in Saturday 13 June 2026 10:00–12:20 — 3 started hours
		ballou = load_firm("ballou")
		usage = {
			(2026, 6): (
				[TimeEntry("E1", at(2026, 6, 13, 10), "remote", end=at(2026, 6, 13, 12, 20), ticket="T1")],
				[Incident("I1", at(2026, 6, 13, 10), "T1")],
			)
		}
		tiers = dict(ballou.rating_tiers)
		costs = by_tier(tier_fit(ballou.contract("BAL-002"), tiers, [(2026, 6)], usage))
		# the contract's own: fee 400, the call-in 1,750, 2 h beyond the included one × 950 × 2.0
		assert costs["incident"].total == D("400.00") + D("1750.00") + 2 * D("1900.00")
		assert costs["incident"].notes == ()
		without = dict(
			tiers,
			plain=tiers["incident"].__class__(
				**{**tiers["incident"].__dict__, "key": "plain", "incident": None}
			),
		)
		costs = by_tier(tier_fit(ballou.contract("BAL-002"), without, [(2026, 6)], usage))
		# no call-in fee and nothing included: 3 started hours × 950 × 2.0 beside the same fee
		assert costs["plain"].total == D("400.00") + 3 * D("1900.00")
		assert costs["plain"].notes == ("2026-06: 1 call-in(s) priced as work (no incident model)",)


def test_no_months_is_refused():
	trinax = load_firm("trinax")
	with pytest.raises(InputError, match="months"):
		tier_fit(trinax.contract("TRX-001"), trinax.rating_tiers, [], {})
