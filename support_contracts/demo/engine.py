"""Demo data for ``support-contracts demo``: tickets over Midsummer week 2026 (Sweden closes on Friday
19 June, Midsummer Eve, and Saturday 20 June, Midsummer Day; Norway works on the Friday)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

STHLM = ZoneInfo("Europe/Stockholm")
OSLO = ZoneInfo("Europe/Oslo")


def _t(day: int, hour: int, minute: int = 0, tz=STHLM) -> dt.datetime:
	return dt.datetime(2026, 6, day, hour, minute, tzinfo=tz)


def demo_tickets() -> tuple[dt.datetime, list[dict]]:
	"""``(now, tickets)``; each ticket has firm, tier, a story and its events ``(kind, at, priority)``."""
	now = _t(22, 10)
	tickets = [
		{
			"id": "T-01",
			"firm": "trinax",
			"tier": "alert",
			"story": "Alert! P1 Monday morning, work started within the hour",
			"events": [("created", _t(15, 9, 10), "P1"), ("action_started", _t(15, 9, 55), None)],
		},
		{
			"id": "T-02",
			"firm": "trinax",
			"tier": "alert",
			"story": "Alert! P2 Tuesday 15:30, paused overnight waiting for the customer",
			"events": [
				("created", _t(16, 15, 30), "P2"),
				("paused", _t(16, 16), None),
				("resumed", _t(17, 10), None),
				("action_started", _t(17, 12, 30), None),
			],
		},
		{
			"id": "T-03",
			"firm": "trinax",
			"tier": "attend",
			"story": "Attend! P3 Thursday 14:00: 8 business hours skip Midsummer Eve and the weekend",
			"events": [("created", _t(18, 14), "P3")],
		},
		{
			"id": "T-04",
			"firm": "trinax",
			"tier": "access",
			"story": "Access! P2 Wednesday 09:00, nobody started: 16 business hours ran out Thursday 16:00 (8 h Wed 09–17, 8 h Thu 08–16)",
			"events": [("created", _t(17, 9), "P2")],
		},
		{
			"id": "T-05",
			"firm": "ezy",
			"tier": "standard",
			"story": "P1 on Midsummer Day: the site is down, 1 wall-clock hour to respond",
			"events": [("created", _t(20, 11), "P1"), ("responded", _t(20, 11, 40), None)],
		},
		{
			"id": "T-06",
			"firm": "ezy",
			"tier": "standard",
			"story": "P3 on Midsummer Eve: 3 hours from the office's next opening, Monday 08:00",
			"events": [("created", _t(19, 10), "P3")],
		},
		{
			"id": "T-07",
			"firm": "ezy",
			"tier": "standard",
			"story": "Rollback of an approved release, initiated within 1 hour of the request",
			"events": [("created", _t(18, 11), "Rollback"), ("action_started", _t(18, 11, 45), None)],
		},
		{
			"id": "T-08",
			"firm": "ezy",
			"tier": "standard",
			"story": "Filed as P3, raised to P1 after 20 minutes: the 1 h counts from creation",
			"events": [
				("created", _t(17, 13), "P3"),
				("priority_changed", _t(17, 13, 20), "P1"),
				("responded", _t(17, 13, 50), None),
			],
		},
		{
			"id": "T-09",
			"firm": "pindena",
			"tier": "support_agreement",
			"story": "Serious error Thursday in Oslo: answered Friday, but work not started by Friday 15:00",
			"events": [
				("created", _t(18, 14, tz=OSLO), "Serious"),
				("responded", _t(19, 9, 30, tz=OSLO), None),
			],
		},
		{
			"id": "T-10",
			"firm": "pindena",
			"tier": "support_agreement",
			"story": "Critical error Monday 09:05 in Oslo: one support hour to start, 5 minutes left",
			"events": [("created", _t(22, 9, 5, tz=OSLO), "Critical")],
		},
		{
			"id": "T-11",
			"firm": "ballou",
			"tier": "high",
			"story": "High service level, web server down on Midsummer Eve 22:40: called back, action started",
			"events": [
				("created", _t(19, 22, 40), "P1"),
				("responded", _t(19, 22, 50), None),
				("action_started", _t(19, 23, 30), None),
			],
		},
		{
			"id": "T-12",
			"firm": "ballou",
			"tier": "incident",
			"story": "Incident call-in Sunday 03:00, paused 30 min (customer unreachable), fixed, reopened Monday",
			"events": [
				("created", _t(21, 3), "P2"),
				("paused", _t(21, 3, 20), None),
				("resumed", _t(21, 3, 50), None),
				("action_started", _t(21, 4, 20), None),
				("resolved", _t(21, 5), None),
				("reopened", _t(22, 8, 30), None),
			],
		},
		{
			"id": "T-13",
			"firm": "vmi",
			"tier": "proactive",
			"story": "P3 Wednesday 16:00: end of the second business day after, Midsummer Eve not counted",
			"events": [("created", _t(17, 16), "P3")],
		},
	]
	return now, tickets


from pathlib import Path

DATA = Path(__file__).parent.parent / "examples" / "data"


def demo_invoices() -> list[dict]:
	"""A month of invoices for the example contracts, from the sample files in examples/data/."""
	return [
		{
			"firm": "trinax",
			"contract": "TRX-001",
			"month": "2026-05",
			"bank_used": "12h",
			"entries": "trinax-2026-05-entries.csv",
			"story": "Alert! customer, 12 h of the Q2 bank used in April: the bank runs out mid-May",
		},
		{
			"firm": "ballou",
			"contract": "BAL-002",
			"month": "2026-06",
			"entries": "ballou-2026-06-entries.csv",
			"incidents": "ballou-2026-06-incidents.csv",
			"story": "Incident contract: a Saturday call-in 10:00–12:20 and one on Midsummer Eve, factor 2.0",
		},
		{
			"firm": "vmi",
			"contract": "VMI-001",
			"month": "2026-03",
			"entries": "vmi-2026-03-entries.yaml",
			"story": "Home-zone customer: 10/30/60-min increments, on-site minimum, warranty, an urgent call-out",
		},
	]


def demo_on_call() -> dict:
	return {
		"firm": "ezy",
		"month": "2026-06",
		"weeks": "ezy-2026-06-jour-weeks.csv",
		"activations": "ezy-2026-06-activations.csv",
		"story": "June 2026: three jour weeks, Midsummer week with uplift, activations across bands and midnight",
	}
