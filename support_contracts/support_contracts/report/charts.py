"""The reports' charts laid out for frappe-charts, as Frappe's query report draws a Script Report's chart and a
Dashboard Chart with *Use Report Chart* takes it: ``{"data": {"labels", "datasets"}, "type": "bar",
"barOptions": {"stacked": 1}, "colors": [...]}``. The figures are each report's own (counts, the engine's
compliance, sums the database made); this module only lays them out: the months of a filter's range, every
one of them a bar (an empty month is a month with nothing, not a month left out), and the datasets in
order with their colours (frappe-charts' names)."""

from __future__ import annotations

import datetime as dt

from support_contracts.engine.months import next_month, previous_month

GREEN, RED, GREY, ORANGE, BLUE = "green", "red", "grey", "orange", "blue"
PALETTE = (BLUE, ORANGE, "purple", "teal", "pink", "cyan", "yellow")  # one per currency, in order


def month_of(day: dt.date) -> tuple[int, int]:
	return day.year, day.month


def months(first: tuple[int, int], last: tuple[int, int]) -> list[str]:
	"""Every month from ``first`` to ``last`` (each (year, month), both included) as YYYY-MM, oldest
	first; none when ``first`` is after ``last``."""
	out = []
	while first <= last:
		out.append(f"{first[0]:04d}-{first[1]:02d}")
		first = next_month(*first)
	return out


def months_to(last: tuple[int, int], count: int) -> list[str]:
	"""The ``count`` months up to and including ``last``, oldest first, as YYYY-MM."""
	first = last
	for _i in range(count - 1):
		first = previous_month(*first)
	return months(first, last)


def bars(
	labels: list[str], datasets: list[tuple[str, list]], colors: list[str], stacked: bool = True
) -> dict:
	"""A bar chart: ``datasets`` as (name, one value per label), drawn in ``colors`` in their order;
	``stacked``: each label's values on top of one another (the parts of one whole), else side by side
	(figures that must not be added up, e.g. amounts in different currencies)."""
	return {
		"data": {
			"labels": labels,
			"datasets": [{"name": name, "values": values} for name, values in datasets],
		},
		"type": "bar",
		"barOptions": {"stacked": 1 if stacked else 0},
		"colors": colors[: len(datasets)],
	}


def count_per_month(month_keys, labels: list[str], keys: list) -> list[list[int]]:
	"""``month_keys``: (YYYY-MM, key) of each thing counted; per key of ``keys`` (in their order) how many
	fall in each month of ``labels`` (a month or key outside them is not counted)."""
	counts = {key: dict.fromkeys(labels, 0) for key in keys}
	for month, key in month_keys:
		if month in counts.get(key, ()):
			counts[key][month] += 1
	return [list(counts[key].values()) for key in keys]
