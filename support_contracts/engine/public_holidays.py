"""Public holidays, de-facto holidays and early-closing eves, by country.

Built on the ``holidays`` package like ERPNext itself, with two corrections that make the result the same
on every version of it we support (0.86, which Frappe 15 pins through python-dateutil~=2.8.2, and the
newest):

- Sweden's ``holidays`` class lists every Sunday as a public holiday unless ``include_sundays=False``,
  and 0.86 defaults to True. We always ask for False: weekends are a matter of the opening windows.
- Sweden's de-facto holidays — Midsummer Eve, Christmas Eve, New Year's Eve — are a category
  ``de_facto`` in new versions and only "bank"/"optional" in 0.86. We compute them ourselves
  (docs/rules.md C "Open": holidays are Swedish public + de-facto holidays).

Kinds a calendar can close on (docs/rules.md, calendar of the issue "Foundation"):
``public`` (the package's public category), ``de_facto`` (the table below).
Early closings (half days) are a table of eves per country (:data:`EARLY_CLOSING`), by date rule — never
by parsing the package's holiday names, whose language follows the process's locale when not asked for
("(from 2pm)" in English, "(från kl. 14.00)" under a Swedish locale). A test checks the table against the
dates the package marks as half days, on every version we support. Names for the engine's own use are
always asked for in English (:data:`NAMES_LANGUAGE`); names shown to people can be asked for in their
language (:func:`holiday_names`).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re

import holidays as _holidays
from dateutil.easter import easter

from .errors import ConfigError

HOLIDAY_KINDS = ("public", "de_facto")


def midsummer_eve(year: int) -> dt.date:
	"""Midsummer Eve: the Friday between 19 and 25 June (Sweden)."""
	d = dt.date(year, 6, 19)
	return d + dt.timedelta(days=(4 - d.weekday()) % 7)


# De-facto holidays: days that are not public holidays by law but on which (almost) every office is
# closed. Country knowledge, not a firm's rule; a firm adds its own with a calendar's closed days.
DE_FACTO: dict[str, tuple[tuple[str, object], ...]] = {
	"SE": (
		("Midsummer Eve", midsummer_eve),
		("Christmas Eve", lambda y: dt.date(y, 12, 24)),
		("New Year's Eve", lambda y: dt.date(y, 12, 31)),
	),
}

# how a calendar's country is named to people (the portal translates the name)
COUNTRY_NAMES = {"SE": "Sweden", "NO": "Norway", "DK": "Denmark", "FI": "Finland", "IS": "Iceland"}

_FROM_PM = re.compile(r"\(from (\d{1,2})(?::(\d{2}))?\s*([ap]m)\)", re.IGNORECASE)


NAMES_LANGUAGE = "en_US"  # the language holiday names are asked for, whatever the environment says


@functools.lru_cache(maxsize=64)
def _country_class(country: str):
	try:
		return type(_holidays.country_holidays(country))
	except NotImplementedError:
		raise ConfigError("country", country, "the holidays package has no such country code") from None


def _library_holidays(country: str, subdivision: str | None, years: tuple[int, ...], category: str):
	cls = _country_class(country)
	categories = getattr(cls, "supported_categories", ("public",))
	if category not in categories:
		return {}
	kwargs = {"years": years, "categories": (category,)}
	if subdivision:
		subdivisions = getattr(cls, "subdivisions", ())
		if subdivision not in subdivisions:
			raise ConfigError(
				"subdivision",
				subdivision,
				f"not a subdivision of {country} (known: {', '.join(subdivisions)})",
			)
		kwargs["subdiv"] = subdivision
	if "include_sundays" in inspect.signature(cls.__init__).parameters:
		kwargs["include_sundays"] = False
	if NAMES_LANGUAGE in getattr(cls, "supported_languages", ()):
		# never the process's locale: names are the engine's keys and must not change with LANG
		kwargs["language"] = NAMES_LANGUAGE
	return dict(cls(**kwargs).items())


@functools.lru_cache(maxsize=256)
def holidays_for(
	country: str, subdivision: str | None, years: tuple[int, ...], kinds: frozenset[str]
) -> dict[dt.date, str]:
	"""All holidays of the given kinds in the given years: ``{date: name}``.

	``public`` comes from the holidays package; ``de_facto`` from :data:`DE_FACTO`.
	"""
	unknown = set(kinds) - set(HOLIDAY_KINDS)
	if unknown:
		raise ConfigError("holiday kinds", sorted(unknown), f"unknown kind; use {', '.join(HOLIDAY_KINDS)}")
	out: dict[dt.date, str] = {}
	if "public" in kinds:
		out.update(_library_holidays(country, subdivision, years, "public"))
	else:
		_country_class(country)  # validate the country even when only de-facto days are asked for
	if "de_facto" in kinds:
		for year in years:
			for name, rule in DE_FACTO.get(country, ()):
				out.setdefault(rule(year), name)
	return out


def _all_saints_eve(year: int) -> dt.date:
	"""The Friday before All Saints' Day (Sweden: the Saturday between 31 October and 6 November)."""
	d = dt.date(year, 10, 30)
	return d + dt.timedelta(days=(4 - d.weekday()) % 7)


# Half days (docs/rules.md: early closing): eves on which offices close at ``closing`` — country knowledge,
# like DE_FACTO. Sweden's are the days its holidays package lists "(from 2pm)" in its bank category.
EARLY_CLOSING: dict[str, tuple[int, tuple[tuple[str, object], ...]]] = {
	"SE": (
		14 * 3600,
		(
			("Twelfth Night", lambda y: dt.date(y, 1, 5)),
			("Maundy Thursday", lambda y: easter(y) - dt.timedelta(days=3)),
			("Walpurgis Night", lambda y: dt.date(y, 4, 30)),
			("Day before Ascension Day", lambda y: easter(y) + dt.timedelta(days=38)),
			("Day before Pentecost Eve", lambda y: easter(y) + dt.timedelta(days=47)),
			("Day before Midsummer Eve", lambda y: midsummer_eve(y) - dt.timedelta(days=1)),
			("All Saints' Eve", _all_saints_eve),
			("Day before Christmas Eve", lambda y: dt.date(y, 12, 23)),
			("Day before New Year's Eve", lambda y: dt.date(y, 12, 30)),
		),
	),
}


@functools.lru_cache(maxsize=256)
def early_closings(
	country: str, subdivision: str | None, years: tuple[int, ...]
) -> dict[dt.date, tuple[int, str]]:
	"""The country's half days in the given years: ``{date: (closing second of day, name)}`` (see
	:data:`EARLY_CLOSING`; a country without a table has none)."""
	_country_class(country)
	closing, rules = EARLY_CLOSING.get(country, (0, ()))
	return {rule(year): (closing, name) for year in years for name, rule in rules}


def marked_half_days(country: str, years: tuple[int, ...]) -> set[dt.date]:
	"""The dates the holidays package itself marks as half days ("(from 2pm)" in its English bank names):
	what :data:`EARLY_CLOSING` is checked against, never what the engine runs on."""
	return {d for d, name in _library_holidays(country, None, years, "bank").items() if _FROM_PM.search(name)}


def holiday_names(country: str, subdivision: str | None, year: int, language: str) -> dict[dt.date, str]:
	"""The package's public holiday names in ``language`` (e.g. "sv", "no", "en_US") where it has them,
	else in English: for showing people, never for deciding anything."""
	cls = _country_class(country)
	kwargs = {"years": (year,)}
	if subdivision:
		kwargs["subdiv"] = subdivision
	if "include_sundays" in inspect.signature(cls.__init__).parameters:
		kwargs["include_sundays"] = False
	languages = getattr(cls, "supported_languages", ())
	kwargs["language"] = language if language in languages else NAMES_LANGUAGE
	if kwargs["language"] not in languages:
		kwargs.pop("language")
	return dict(cls(**kwargs).items())
