"""The customer's verdict (docs/rules.md F4): ratings checked, low ones followed up, averages by hand."""

from decimal import Decimal

import pytest

from support_contracts.engine.errors import InputError
from support_contracts.engine.verdict import average, check_rating, needs_follow_up


@pytest.mark.parametrize("given,rating", [(1, 1), (5, 5), ("3", 3), (" 4 ", 4)])
def test_a_whole_number_from_1_to_5_is_a_rating(given, rating):
	assert check_rating(given) == rating


@pytest.mark.parametrize("given", [0, 6, -1, "7", "abc", "", None, 3.5, "3.5", "2.0", True, [4]])
def test_anything_else_is_refused_naming_the_rating(given):
	with pytest.raises(InputError, match="rating"):
		check_rating(given)


def test_two_or_less_asks_for_a_follow_up():
	assert [needs_follow_up(r) for r in range(1, 6)] == [True, True, False, False, False]


def test_the_average_to_one_decimal_rounded_half_up_with_its_count():
	assert average([5, 4, 4]) == (Decimal("4.3"), 3)  # 13 / 3 = 4.33
	assert average([5, 4]) == (Decimal("4.5"), 2)
	assert average([4, 4, 5, 5, 5, 4, 4, 4]) == (Decimal("4.4"), 8)  # 35 / 8 = 4.375
	assert average([]) == (None, 0)
