"""A correction of billed work is billed as the difference (docs/rules.md B3): figures worked out by hand
from the example tiers."""

from decimal import Decimal

import pytest

from support_contracts.engine.corrections import rate_correction
from support_contracts.engine.tiers import Contract
from support_contracts.engine.work import Incident, TimeEntry
from support_contracts.examples import load_firm

from .conftest import at

D = Decimal


@pytest.fixture(scope="module")
def ballou():
	return load_firm("ballou")


@pytest.fixture(scope="module")
def trinax():
	return load_firm("trinax")


def walk_in(firm):
	"""Ballou's customer without a contract, billed at the "No contract" tier (4,500 per call-in, 1 h
	included, 950/h, weekends × 2.0, per started hour)."""
	return Contract.without_contract("Fjällbutiken AB", "no_contract")


class TestCallIn:
	def test_a_call_in_corrected_from_60_to_70_minutes_bills_one_more_started_hour(self, ballou):
		"""Saturday 12 September 2026, 10:00: a call-in billed as 60 min of work (the fee's included hour,
		4,500 in all) is corrected to 70 min. 70 min is 2 started hours, 1 of them included: 1 h × 950 ×
		2.0 = 1,900 more — 6,400 in all, not 4,500 + 3,800 (the whole work again, without its hour)."""
		call = Incident("F1", at(2026, 9, 12, 10), "ISS-1")
		billed = [TimeEntry("R1", at(2026, 9, 12, 10), "remote", minutes=60, ticket="ISS-1")]
		now = [TimeEntry("R2", at(2026, 9, 12, 10), "remote", minutes=70, ticket="ISS-1")]
		c = rate_correction(
			walk_in(ballou),
			ballou.rating_tiers,
			2026,
			9,
			billed,
			now,
			[call],
			corrects="SINV-9",
			billed_in="2026-12",
		)
		assert c.total == D("1900.00")
		assert [(line.quantity, line.rate, line.amount) for line in c.lines] == [
			(D(1), D("1900.00"), D("1900.00"))
		]
		assert c.lines[0].description.startswith("Correction of SINV-9 (2026-09), as corrected: Incident F1")
		# the fee is the same on both sides: not billed again
		assert not [line for line in c.lines if line.item == "INCIDENT-FEE"]

	def test_work_removed_is_taken_back(self, ballou):
		"""A 3-hour Saturday call-in (2 h beyond the included hour: 3,800) corrected to 50 minutes: the
		3,800 is taken back on a negative line; the fee stays."""
		call = Incident("F1", at(2026, 9, 12, 10), "ISS-1")
		billed = [TimeEntry("R1", at(2026, 9, 12, 10), "remote", minutes=180, ticket="ISS-1")]
		now = [TimeEntry("R2", at(2026, 9, 12, 10), "remote", minutes=50, ticket="ISS-1")]
		c = rate_correction(
			walk_in(ballou),
			ballou.rating_tiers,
			2026,
			9,
			billed,
			now,
			[call],
			corrects="SINV-9",
			billed_in="2026-10",
		)
		assert [(line.quantity, line.amount) for line in c.lines] == [(D(-2), D("-3800.00"))]
		assert "taken back" in c.lines[0].description

	def test_nothing_changed_bills_nothing(self, ballou):
		call = Incident("F1", at(2026, 9, 12, 10), "ISS-1")
		billed = [TimeEntry("R1", at(2026, 9, 12, 10), "remote", minutes=70, ticket="ISS-1")]
		now = [TimeEntry("R2", at(2026, 9, 12, 10), "remote", minutes=70, ticket="ISS-1")]
		c = rate_correction(
			walk_in(ballou),
			ballou.rating_tiers,
			2026,
			9,
			billed,
			now,
			[call],
			corrects="SINV-9",
			billed_in="2026-10",
		)
		assert c.lines == () and c.total == 0


class TestHourBank:
	def test_a_correction_draws_the_bank_for_the_difference_only(self, trinax):
		"""Trinax Alert! (15 h a quarter, remote in 30-min steps at 895/h): May's 2 h of remote work, billed
		from the bank with 12 h used before, is corrected to 4 h. 3 h were left: 1 h more comes from the
		bank, and the hour beyond it is billed at 895."""
		contract = trinax.contract("TRX-001")
		billed = [TimeEntry("R1", at(2026, 5, 5, 9), "remote", minutes=120, ticket="ISS-1")]
		now = [TimeEntry("R2", at(2026, 5, 5, 9), "remote", minutes=240, ticket="ISS-1")]
		c = rate_correction(
			contract,
			trinax.rating_tiers,
			2026,
			5,
			billed,
			now,
			corrects="SINV-6",
			billed_in="2026-07",
			bank_used_before=720,
		)
		rate = trinax.rating_tiers["alert"].hourly_rate
		billed_lines = [line for line in c.lines if line.item != "HOUR-BANK"]
		assert [(line.quantity, line.amount) for line in billed_lines] == [(D(1), rate)]
		bank = [line for line in c.lines if line.item == "HOUR-BANK"]
		# the bank line as billed (2 h) is taken back and the corrected one (3 h) added: 1 h more
		assert sum(line.quantity for line in bank) == D(1)
		assert c.bank_period == "Q2 2026"
		# the entry as billed gives back its 120 min, the corrected one draws 180
		assert sorted((m[0], m[4]) for m in c.bank_moves) == [("R1", -120), ("R2", 180)]
