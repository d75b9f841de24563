"""How well SLA targets were kept (docs/rules.md B4 reporting): met, breached, pending, the percent met
of those decided, and the business time fulfilled targets took as median and 90th percentile."""

from __future__ import annotations

import math
from typing import NamedTuple


class Compliance(NamedTuple):
	"""How a set of targets was kept (docs/rules.md B4 reporting). ``met``: fulfilled in time; ``breached``:
	fulfilled late or still unmet after its due time; ``pending``: unmet and not yet due. ``percent`` is
	met / (met + breached); ``median`` and ``p90`` are the business time fulfilled targets took (nearest
	rank), in seconds. (A tuple: a report sums tens of thousands of groups.)"""

	tickets: int
	met: int
	breached: int
	pending: int
	percent: float | None
	median: int | None
	p90: int | None


def _nearest_rank(sorted_values: list[int], q: float) -> int | None:
	if not sorted_values:
		return None
	return sorted_values[max(math.ceil(q * len(sorted_values)) - 1, 0)]


def compliance(met: int, breached: int, pending: int, taken) -> Compliance:
	"""Sum up a set of targets: ``met`` in time, ``breached`` (met late, or unmet after the due time),
	``pending`` (unmet, not yet due), and ``taken`` the business seconds each fulfilled target took (in
	time or late). The percent is of the decided targets; the percentiles are nearest-rank."""
	taken = sorted(map(int, taken))
	decided = met + breached
	return Compliance(
		tickets=met + breached + pending,
		met=met,
		breached=breached,
		pending=pending,
		percent=round(100 * met / decided, 1) if decided else None,
		median=_nearest_rank(taken, 0.5),
		p90=_nearest_rank(taken, 0.9),
	)
