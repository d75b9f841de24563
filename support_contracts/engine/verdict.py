"""The customer's verdict (docs/rules.md F4): a resolved ticket rated by its customer, 1 to 5 with a comment,
once; a rating of 2 or less asks for the manager's follow-up; ratings summed as an average with their
count."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .errors import InputError

LOWEST, HIGHEST = 1, 5
FOLLOW_UP_AT_MOST = 2  # a rating this low or lower opens a follow-up for the manager
COMMENT_LONGEST = 2000
RATED_STATUSES = ("Resolved", "Closed")  # a ticket is rated once it is resolved


def check_rating(value) -> int:
	"""A rating as given (a whole number from 1 to 5, also as its digits in text), or an InputError naming
	it."""
	text = value.strip() if isinstance(value, str) else value
	if isinstance(text, str) and text.isdigit():
		text = int(text)
	if type(text) is not int or not LOWEST <= text <= HIGHEST:
		raise InputError("rating", value, f"must be a whole number from {LOWEST} to {HIGHEST}")
	return text


def needs_follow_up(rating: int) -> bool:
	return rating <= FOLLOW_UP_AT_MOST


def average(ratings: Iterable[int]) -> tuple[Decimal | None, int]:
	"""(The average to one decimal, rounded half up; None when there is none) and the count."""
	ratings = list(ratings)
	if not ratings:
		return None, 0
	mean = Decimal(sum(ratings)) / Decimal(len(ratings))
	return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), len(ratings)
