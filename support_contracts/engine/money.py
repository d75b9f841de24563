"""Money: Decimal only, rounded once per line to the currency's precision (docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import ConfigError

ZERO = Decimal(0)
SIXTY = Decimal(60)
HOUR_S = Decimal(3600)


def to_decimal(value, field: str, *, allow_negative: bool = False) -> Decimal:
	"""A Decimal from an int, a Decimal or a numeric string; never from a float (binary fractions)."""
	if isinstance(value, bool) or isinstance(value, float):
		raise ConfigError(field, value, "give money and quantities as text or integers, not floats")
	try:
		d = value if isinstance(value, Decimal) else Decimal(str(value).replace(" ", "").replace("_", ""))
	except (InvalidOperation, ValueError):
		raise ConfigError(field, value, "not a number") from None
	if not d.is_finite():
		raise ConfigError(field, value, "not a finite number")
	if d < 0 and not allow_negative:
		raise ConfigError(field, value, "must not be negative")
	return d


def round_money(amount: Decimal, precision: int = 2) -> Decimal:
	"""Round half up to ``precision`` decimals (öre for SEK/NOK): once, at the end of a line."""
	return amount.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def hours_from_minutes(minutes: int) -> Decimal:
	"""Minutes as hours, to 1e-9 h: exact enough that quantity × rate rounds to the line's amount."""
	return (Decimal(minutes) / SIXTY).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP).normalize()


@dataclass(frozen=True)
class MoneyLine:
	"""A line of money that explains itself (docs/architecture.md): what it is, how many at which rate, the
	amount (rounded once), why — the rule that made it — and the inputs it came from. An invoice line
	(:class:`~.rating.InvoiceLine`) adds its item, a pay line (:class:`~.on_call.PayLine`) its employee and
	salary component."""

	description: str
	quantity: Decimal
	unit: str
	rate: Decimal
	amount: Decimal
	why: str
	sources: tuple[str, ...] = ()
