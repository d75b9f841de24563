"""Properties of rating and on-call pay that must hold for any input (hypothesis)."""

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from support_contracts.engine.on_call import Activation, split
from support_contracts.engine.pricing import billed_minutes
from support_contracts.engine.rating import rate_month
from support_contracts.engine.tiers import WORK_KINDS
from support_contracts.engine.work import TimeEntry
from support_contracts.examples import load_firm

from .conftest import STHLM

SCHEME = load_firm("ezy").pay_scheme()
TRINAX = load_firm("trinax")
VMI = load_firm("vmi")
BALLOU = load_firm("ballou")
TIERS = [t for f in (TRINAX, VMI, BALLOU) for t in f.rating_tiers.values()]

starts_2026 = st.integers(min_value=0, max_value=364 * 86400).map(
	lambda s: (dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=s)).astimezone(STHLM)
)


@settings(max_examples=300, deadline=None)
@given(starts_2026, st.integers(min_value=1, max_value=4 * 24 * 3600))
def test_splitting_keeps_every_second_and_each_piece_has_one_band_and_day(start, seconds):
	# the end in real elapsed time (aware + timedelta would be wall-clock arithmetic across DST)
	end = (start.astimezone(dt.timezone.utc) + dt.timedelta(seconds=seconds)).astimezone(STHLM)
	a = Activation("A", "x", start, end)
	segs = split(a, SCHEME)
	assert sum(s.seconds for s in segs) == seconds
	assert segs[0].start == start and segs[-1].end == a.end
	for x, y in itertools.pairwise(segs):
		assert x.end == y.start
	for s in segs:
		assert s.start.date() == (s.end - dt.timedelta(microseconds=1)).date()  # never crosses midnight
		assert s.band is SCHEME.band_at(s.day, s.start.hour * 3600 + s.start.minute * 60 + s.start.second)


@settings(max_examples=300, deadline=None)
@given(
	st.sampled_from(TIERS),
	st.sampled_from(WORK_KINDS),
	st.integers(min_value=1, max_value=24 * 60),
	starts_2026,
)
def test_rounding_never_bills_less_than_was_worked(tier, kind, minutes, start):
	billed, _ = billed_minutes(TimeEntry("E", start, kind, minutes=minutes), tier)
	assert billed >= minutes
	assert billed - minutes < max([60, *tier.minimums.values(), *tier.increments.values()])


entries_may = st.lists(
	st.tuples(
		st.integers(min_value=0, max_value=30 * 86400 - 1),
		st.sampled_from(WORK_KINDS),
		st.integers(min_value=1, max_value=600),
		st.booleans(),
	),
	max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(
	st.sampled_from(["TRX-001", "TRX-002", "TRX-003"]), entries_may, st.integers(min_value=0, max_value=900)
)
def test_no_negative_amounts_and_every_billed_minute_accounted_for(key, raw, used_before):
	contract = TRINAX.contract(key)
	base = dt.datetime(2026, 6, 1, tzinfo=STHLM)
	entries = [
		TimeEntry(f"E{i}", base + dt.timedelta(seconds=off), kind, minutes=m, warranty=w)
		for i, (off, kind, m, w) in enumerate(raw)
		if (base + dt.timedelta(seconds=off)).date() >= contract.start
	]
	inv = rate_month(contract, TRINAX.rating_tiers, 2026, 6, entries, bank_used_before=used_before)
	assert all(line.amount >= 0 for line in inv.lines)
	tier = contract.effective_tier(TRINAX.rating_tiers)
	billed = sum(billed_minutes(e, tier)[0] for e in entries)
	hours_on_lines = sum(line.quantity for line in inv.lines if line.unit == "h")
	assert abs(hours_on_lines * 60 - billed) < 1e-6 * max(1, len(entries))
