"""SLA Outcomes summed (docs/rules.md B4 reporting): each target of a governed Issue as it stands, grouped
and counted in the database — met, breached (an unmet target past its due time counts as breached, the
engine's rule), pending — and summed up by the engine (``engine/compliance.compliance``). The SLA
Compliance report, the customer report and the managers' weekly report read targets through here."""

from __future__ import annotations

import collections
import functools

import frappe

from support_contracts.adapters.times import naive, now
from support_contracts.engine.compliance import Compliance, compliance

KEY = ("customer", "support_tier", "priority", "metric", "month")


def groups(filters, by: tuple[str, ...] = KEY) -> list:
	"""The targets of governed Issues, summed per ``by`` (the report's key, or e.g. metric alone) in the
	database: met and breached as the engine recorded them (SLA Outcome › Status), an unmet target whose
	due time has passed since as breached (the engine's own rule: due ≤ now), the rest pending; and the
	business seconds of each fulfilled target, for the percentiles. Filters: ``from_month``/``to_month``
	(month opened), ``opened_from``/``opened_to`` (opened at, end excluded), ``customer``,
	``support_tier``, ``support_contract``, ``metric``, ``ticket_type`` (Issue or HD Ticket; both when none)."""
	where, values = ["1=1"], {**filters, "now": naive(now())}
	for f, condition in (
		("from_month", "month >= %(from_month)s"),
		("to_month", "month <= %(to_month)s"),
		("opened_from", "opened_at >= %(opened_from)s"),
		("opened_to", "opened_at < %(opened_to)s"),
		*(
			(f, f"{f} = %({f})s")
			for f in ("customer", "support_tier", "support_contract", "metric", "ticket_type")
		),
	):
		if filters.get(f):
			where.append(condition)
	key = ", ".join(by)  # the caller's own column names, never input
	frappe.db.sql("set session group_concat_max_len = 100000000")
	group = _group_type(by)
	rows = frappe.db.sql(
		f"""
		select {key},
			sum(met_at is not null and status = 'Met') as met,
			sum((met_at is not null and status <> 'Met') or (met_at is null and due <= %(now)s)) as breached,
			sum(met_at is null and (due is null or due > %(now)s)) as pending,
			group_concat(if(met_at is null, null, round(business_seconds))) as taken
		from `tabSLA Outcome`
		where {" and ".join(where)}
		group by {key}
		order by {key}
		""",
		values,
	)
	return [group(*row) for row in rows]  # tuples: a year of a firm's groups is tens of thousands


@functools.cache
def _group_type(by: tuple[str, ...]):
	return collections.namedtuple("Group", [*by, "met", "breached", "pending", "taken"])


def summed(group) -> Compliance:
	"""A group of :func:`groups` summed up by the engine."""
	taken = [int(x) for x in group.taken.split(",")] if group.taken else []
	return compliance(int(group.met), int(group.breached), int(group.pending), taken)
