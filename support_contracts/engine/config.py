"""The firm format → engine objects: the one parser, and the only place that validates a firm.

A firm is one plain structure (mappings, lists, strings and numbers — the YAML format of
``docs/formats.md``). Every source produces that same structure: YAML files are read into it
(``support_contracts/examples``), the Frappe documents are translated into it (``adapters/firm/``), and
this module alone turns it into :class:`~.calendar.CalendarSpec`, :class:`~.sla.Policy`,
:class:`~.rating.Tier`, :class:`~.rating.Contract` and :class:`~.on_call.PayScheme`, with an error naming
the field and the value for anything it cannot read. Formats:

- duration: ``"8h"``, ``"15m"``, ``"1h30m"``, ``"90s"``;
- weekly windows: ``{"Mon-Fri": ["08:00-12:00", "13:00-17:00"], "Sat": ["00:00-24:00"]}``;
- date rule: ``"12-24"`` (every year) or ``"2026-12-24"`` (once);
- target: ``"8h business"``, ``"1h wall"``, ``"3h from next opening"``, ``"end of business day 1"``,
  ``"same business day"``, ``"none"`` — optionally ``"... on <calendar>"``; or a dict
  ``{kind, duration | days, calendar}``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from .calendar import (
	DAY,
	WEEKDAYS,
	CalendarSpec,
	ClosedDay,
	Closure,
	DayRule,
	HolidayRule,
	Window,
	compile_calendar,
)
from .errors import ConfigError, EngineError
from .money import to_decimal
from .on_call import Band, PayScheme
from .sla import Policy
from .targets import CALENDAR_KINDS, METRICS, ROLLBACK, ROLLBACK_AS, Target, with_rollback
from .tiers import Contract, HourBank, IncidentModel, SlaCredit, Tier, TravelZone

MAX_UPLIFT_PERCENT = 100  # a pay scheme's holiday uplift: at most double (docs/rules.md C5, our reading)
_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$", re.IGNORECASE)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DATE_RULE = re.compile(r"^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$")
_TARGET = re.compile(
	r"^(?:(?P<dur>[\dhms ]+?)\s+(?P<kind>business|wall|from next opening)"
	r"|end of business day (?P<days>\d+)|(?P<same>same business day)|(?P<none>none))"
	r"(?:\s+on\s+(?P<cal>[\w.-]+))?$",
	re.IGNORECASE,
)


def parse_duration(value, field: str = "duration") -> dt.timedelta:
	"""``"8h"``, ``"15m"``, ``"1h30m"``, ``"45s"`` or a timedelta → a positive timedelta."""
	if isinstance(value, dt.timedelta):
		d = value
	else:
		m = _DURATION.match(str(value)) if isinstance(value, str) else None
		if not m or not any(m.groups()):
			raise ConfigError(field, value, "not a duration; write e.g. '8h', '15m', '1h30m'")
		h, mi, s = (int(g or 0) for g in m.groups())
		d = dt.timedelta(hours=h, minutes=mi, seconds=s)
	if d <= dt.timedelta(0):
		raise ConfigError(field, value, "must be positive")
	return d


def parse_time_of_day(value: str, field: str, *, is_end: bool = False) -> int:
	"""``"08:00"`` → seconds after midnight; ``"24:00"`` (and ``"00:00"`` as an end) → 86400."""
	m = _TIME.match(str(value).strip())
	if not m:
		raise ConfigError(field, value, "not a time of day; write HH:MM")
	h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
	if mi > 59 or s > 59 or h > 24 or (h == 24 and (mi or s)):
		raise ConfigError(field, value, "not a time of day")
	secs = h * 3600 + mi * 60 + s
	if is_end and secs == 0:
		return DAY
	if not is_end and secs == DAY:
		raise ConfigError(field, value, "a window cannot open at 24:00")
	return secs


def _weekdays(key: str) -> list[int]:
	names = [w.lower() for w in WEEKDAYS]
	parts = [p.strip().lower()[:3] for p in str(key).split("-")]
	if not all(p in names for p in parts) or len(parts) > 2:
		raise ConfigError("windows", key, "not a weekday or range; write Mon, Sat or Mon-Fri")
	a = names.index(parts[0])
	b = names.index(parts[-1])
	if b < a:
		raise ConfigError("windows", key, "a weekday range must run forward (Mon-Fri)")
	return list(range(a, b + 1))


def parse_windows(data: Mapping) -> tuple[Window, ...]:
	if not isinstance(data, Mapping) or not data:
		raise ConfigError(
			"windows", data, "give opening windows per weekday, e.g. {'Mon-Fri': ['08:00-17:00']}"
		)
	out = []
	for key, spans in data.items():
		if isinstance(spans, str):
			spans = [spans]
		for span in spans:
			parts = str(span).replace("–", "-").split("-")
			if len(parts) != 2:
				raise ConfigError(f"windows.{key}", span, "write a window as HH:MM-HH:MM")
			if parts[0].strip() == parts[1].strip():
				raise ConfigError(f"windows.{key}", span, "the end equals the start")
			start = parse_time_of_day(parts[0], f"windows.{key}")
			end = parse_time_of_day(parts[1], f"windows.{key}", is_end=True)
			for wd in _weekdays(key):
				out.append(Window(wd, start, end))
	return tuple(out)


def parse_day_rule(value, field: str) -> DayRule:
	if isinstance(value, dt.date):
		return DayRule(value.month, value.day, value.year)
	m = _DATE_RULE.match(str(value).strip())
	if not m:
		raise ConfigError(field, value, "write a date as MM-DD (every year) or YYYY-MM-DD (once)")
	year = int(m.group(1)) if m.group(1) else None
	try:
		return DayRule(int(m.group(2)), int(m.group(3)), year)
	except ConfigError:
		raise ConfigError(field, value, "not a date") from None


def parse_calendar(name: str, data: Mapping) -> CalendarSpec:
	"""A calendar from ``{timezone, windows, holidays, closed_days, closures}`` or ``{always_open: true}``."""
	if not isinstance(data, Mapping):
		raise ConfigError(f"calendars.{name}", data, "a calendar is a mapping")
	tz = data.get("timezone") or ""
	if data.get("always_open"):
		return CalendarSpec.always_open(name, tz or "UTC")
	if not tz:
		raise ConfigError(f"calendars.{name}.timezone", tz, "a calendar needs a time zone")
	hol = data.get("holidays")
	rule = None
	if hol:
		rule = HolidayRule(
			country=str(hol.get("country", "")).upper(),
			subdivision=hol.get("subdivision") or None,
			kinds=frozenset(hol.get("kinds", ("public", "de_facto"))),
			effect=hol.get("effect", "closed"),
			early_closing=bool(hol.get("early_closing", False)),
		)
	closed = tuple(
		ClosedDay(
			str(c.get("name") or c.get("date")),
			parse_day_rule(c.get("date"), f"calendars.{name}.closed_days"),
		)
		for c in data.get("closed_days") or ()
	)
	closures = tuple(
		Closure(
			str(c.get("name") or "closure"),
			parse_day_rule(c.get("from"), f"calendars.{name}.closures.from"),
			parse_day_rule(c.get("to"), f"calendars.{name}.closures.to"),
		)
		for c in data.get("closures") or ()
	)
	return CalendarSpec(name, tz, parse_windows(data.get("windows")), rule, closed, closures)


def target_fields(value, default_calendar: str | None, field: str) -> dict:
	"""A target's shorthand or dict → ``{kind, duration (timedelta or None), days, calendar}``, plain."""
	if value is None:
		return {"kind": "none", "duration": None, "days": None, "calendar": None}
	if isinstance(value, Mapping):
		kind = value.get("kind")
		cal_name = value.get("calendar") or default_calendar
		duration = value.get("duration")
		days = value.get("days")
	else:
		m = _TARGET.match(str(value).strip())
		if not m:
			raise ConfigError(
				field,
				value,
				"not a target; write e.g. '8h business', '1h wall', '3h from next opening', "
				"'end of business day 1', 'same business day' or 'none'",
			)
		cal_name = m.group("cal") or default_calendar
		duration, days = m.group("dur"), None
		if m.group("none"):
			kind = "none"
		elif m.group("same"):
			kind, days = "business_days", 0
		elif m.group("days"):
			kind, days = "business_days", int(m.group("days"))
		else:
			kind = m.group("kind").lower().replace(" ", "_")
	if kind == "none":
		return {"kind": "none", "duration": None, "days": None, "calendar": None}
	return {
		"kind": kind,
		"duration": parse_duration(duration, f"{field}.duration") if duration is not None else None,
		"days": days,
		"calendar": cal_name if kind in CALENDAR_KINDS else None,
	}


def parse_target(value, calendars: Mapping, default_calendar: str | None, field: str) -> Target:
	"""A target from its string shorthand or a dict (see module doc)."""
	f = target_fields(value, default_calendar, field)
	if f["kind"] == "none":
		return Target("none")
	calendar = None
	if f["kind"] in CALENDAR_KINDS:
		if f["calendar"] not in calendars:
			raise ConfigError(
				f"{field}.calendar", f["calendar"], f"unknown calendar; known: {', '.join(calendars)}"
			)
		calendar = compile_calendar(calendars[f["calendar"]])
	try:
		return Target(f["kind"], duration=f["duration"], days=f["days"], calendar=calendar)
	except EngineError as e:  # named by where it is in the firm, not by the Target's own field
		raise ConfigError(field, e.value, e.problem) from None


def parse_policy(name: str, data: Mapping, calendars: Mapping[str, CalendarSpec]) -> Policy:
	"""A policy from ``{calendar, warning_at, rollback_start_within, priorities: {P1: {action_start: "1h
	business"}}}``; a policy with P3 also handles rollbacks (:func:`~.targets.with_rollback`)."""
	if (
		not isinstance(data, Mapping)
		or not isinstance(data.get("priorities"), Mapping)
		or not data["priorities"]
	):
		raise ConfigError(f"sla.{name}.priorities", data, "give targets per priority")
	default_cal = data.get("calendar")
	targets = {}
	for prio, metrics in data["priorities"].items():
		metrics = metrics or {}
		if not isinstance(metrics, Mapping):
			raise ConfigError(f"sla.{name}.{prio}", metrics, "give targets per metric")
		if str(prio) == ROLLBACK:
			raise ConfigError(
				f"sla.{name}.priorities",
				prio,
				f"a rollback is handled as {ROLLBACK_AS}: set rollback_start_within instead",
			)
		for metric in metrics:
			if metric not in METRICS:
				raise ConfigError(f"sla.{name}.{prio}", metric, f"unknown metric; use {', '.join(METRICS)}")
		targets[str(prio)] = {
			m: parse_target(v, calendars, default_cal, f"sla.{name}.{prio}.{m}") for m, v in metrics.items()
		}
	within = data.get("rollback_start_within")
	targets = with_rollback(
		targets,
		parse_duration(within, f"sla.{name}.rollback_start_within") if within is not None else None,
		f"sla.{name}.rollback_start_within",
	)
	return Policy(name, targets, float(data.get("warning_at", 0.75)))


def _minutes(value, field: str) -> int:
	d = parse_duration(value, field)
	if d.total_seconds() % 60:
		raise ConfigError(field, value, "must be whole minutes")
	return int(d.total_seconds() // 60)


def _percentages(value, field: str) -> tuple[int, ...]:
	"""Whole percentages, as a list or as text ("75, 100"); ascending, each once (checked by the tier)."""
	if value in (None, ""):
		return ()
	items = value.replace(";", ",").split(",") if isinstance(value, str) else value
	if not isinstance(items, (list, tuple)):
		raise ConfigError(field, value, "a list of whole percentages, e.g. [75, 100]")
	out = []
	for item in items:
		text = str(item).strip().rstrip("%").strip()
		if isinstance(item, bool) or not re.fullmatch(r"[0-9]{1,3}", text):
			raise ConfigError(
				field,
				text if isinstance(item, str) else item,
				"each must be a whole percentage from 1 to 100",
			)
		out.append(int(text))
	return tuple(out)


def _money(data: Mapping, key: str, field: str, default=None):
	value = data.get(key, default)
	return None if value is None else to_decimal(value, f"{field}.{key}")


def _count(value, field: str) -> int:
	"""A whole number of things, 0 or more (``"2"`` is read as 2)."""
	try:
		n = int(str(value).strip())
	except ValueError:
		raise ConfigError(field, value, "must be a whole number") from None
	if n < 0 or str(n) != str(value).strip().lstrip("+"):
		raise ConfigError(field, value, "must be a whole number, 0 or more")
	return n


def _date(value, field: str) -> dt.date:
	if isinstance(value, dt.date):
		return value
	try:
		return dt.date.fromisoformat(str(value))
	except ValueError:
		raise ConfigError(field, value, "not a date, write YYYY-MM-DD") from None


def parse_tier(key: str, data: Mapping, calendars: Mapping[str, CalendarSpec], currency: str) -> Tier:
	"""A tier's prices and terms from its ``billing`` mapping (format in docs/formats.md)."""
	f = f"tiers.{key}.billing"
	if not isinstance(data, Mapping):
		raise ConfigError(f, data, "a tier's billing is a mapping")
	cal_name = data.get("calendar")
	if cal_name not in calendars:
		raise ConfigError(f"{f}.calendar", cal_name, f"unknown calendar; known: {', '.join(calendars)}")
	if data.get("hourly_rate") is None:
		raise ConfigError(f"{f}.hourly_rate", None, "a tier needs an hourly rate")
	bank = data.get("hour_bank")
	incident = data.get("incident")
	credit = data.get("sla_credit")
	zones = data.get("travel_zones") or {}
	monitoring = data.get("monitoring") or {}
	return Tier(
		key=key,
		title=str(data.get("title") or key),
		currency=str(data.get("currency") or currency),
		calendar=compile_calendar(calendars[cal_name]),
		hourly_rate=_money(data, "hourly_rate", f),
		monthly_fee=_money(data, "monthly_fee", f, 0),
		fee_in_advance=bool(data.get("fee_in_advance", True)),
		precision=int(data.get("precision", 2)),
		after_hours_rate=_money(data, "after_hours_rate", f),
		holiday_factor=_money(data, "holiday_factor", f, 1),
		increments={k: _minutes(v, f"{f}.increments.{k}") for k, v in (data.get("increments") or {}).items()},
		minimums={k: _minutes(v, f"{f}.minimums.{k}") for k, v in (data.get("minimums") or {}).items()},
		per_started_hour=bool(data.get("per_started_hour", False)),
		hour_bank=HourBank(
			_minutes(bank.get("hours"), f"{f}.hour_bank.hours"),
			bank.get("period", "quarter"),
			bool(bank.get("carry_over", False)),
			bank.get("covers", "business_hours"),
			_percentages(bank.get("warn_at"), f"{f}.hour_bank.warn_at"),
			bool(bank.get("overage_approval", False)),
		)
		if bank
		else None,
		incident=IncidentModel(
			str(incident.get("name") or "Incident"),
			to_decimal(incident.get("fee", 0), f"{f}.incident.fee"),
			_minutes(incident.get("included", "1h"), f"{f}.incident.included"),
		)
		if incident
		else None,
		travel_zones={
			z: TravelZone(
				str(v.get("name") or z),
				_money(v, "fee", f"{f}.travel_zones.{z}", 0),
				_money(v, "urgent_fee", f"{f}.travel_zones.{z}"),
			)
			for z, v in zones.items()
		},
		warranty_free=bool(data.get("warranty_free", True)),
		sla_credit=SlaCredit(
			to_decimal(credit.get("percent"), f"{f}.sla_credit.percent"),
			tuple(credit.get("priorities") or ()),
			tuple(credit.get("metrics") or ("action_start",)),
			to_decimal(credit.get("cap_percent", 100), f"{f}.sla_credit.cap_percent"),
		)
		if credit
		else None,
		monitoring_included=_count(monitoring.get("included", 0), f"{f}.monitoring.included"),
		monitoring_unit_price=_money(monitoring, "unit_price", f"{f}.monitoring"),
		term_months=data.get("term_months"),
		renewal=data.get("renewal"),
		review=data.get("review"),
		reporting=data.get("reporting"),
		item_codes=dict(data.get("item_codes") or {}),
	)


def parse_contract(data: Mapping) -> Contract:
	key = str(data.get("key") or "")
	if not key:
		raise ConfigError("contract.key", data, "a contract needs a key")
	overrides = dict(data.get("overrides") or {})
	for money_field in ("hourly_rate", "monthly_fee", "after_hours_rate", "holiday_factor"):
		if overrides.get(money_field) is not None:
			overrides[money_field] = to_decimal(
				overrides[money_field], f"contract {key}: overrides.{money_field}"
			)
	return Contract(
		key=key,
		customer=str(data.get("customer") or key),
		tier=str(data.get("tier") or ""),
		start=_date(data.get("start"), f"contract {key}: start"),
		end=_date(data["end"], f"contract {key}: end") if data.get("end") else None,
		travel_zone=data.get("travel_zone"),
		currency=data.get("currency"),
		overrides=overrides,
		monitored_units=_count(data.get("monitored_units", 0), f"contract {key}: monitored_units"),
	)


def parse_pay_scheme(key: str, data: Mapping) -> PayScheme:
	"""A pay scheme: one on-call ``level`` and its weekly ``stipend``, holiday uplift, hourly bands."""
	f = f"pay_schemes.{key}"
	if not isinstance(data, Mapping):
		raise ConfigError(f, data, "a pay scheme is a mapping")
	if "stipends" in data:
		raise ConfigError(
			f"{f}.stipends", data["stipends"], "a scheme pays one level: write level and stipend"
		)
	hol = data.get("holidays") or {}
	if not str(hol.get("country") or "").strip():
		raise ConfigError(f"{f}.holidays.country", "", "give the country whose holidays count (SE, NO)")
	uplift = data.get("uplift") or {}
	bands = []
	for i, b in enumerate(data.get("bands") or ()):
		bf = f"{f}.bands[{i}]"
		bands.append(
			Band(
				str(b.get("name") or f"Band {i + 1}"),
				to_decimal(b.get("rate"), f"{bf}.rate"),
				b.get("days", "all"),
				parse_time_of_day(b.get("from", ""), f"{bf}.from"),
				parse_time_of_day(b.get("to", ""), f"{bf}.to", is_end=True),
			)
		)
	uplift_percent = to_decimal(uplift.get("percent", 0), f"{f}.uplift.percent")
	if uplift_percent > MAX_UPLIFT_PERCENT:
		# docs/rules.md C5: a holiday week pays 50 % more; more than double is a slip of the keyboard
		raise ConfigError(
			f"{f}.uplift.percent", uplift.get("percent"), f"must be from 0 to {MAX_UPLIFT_PERCENT} %"
		)
	tz = data.get("timezone") or ""
	return PayScheme(
		key=key,
		title=str(data.get("title") or key),
		currency=str(data.get("currency") or ""),
		timezone=tz,
		holidays=HolidayRule(
			country=str(hol.get("country", "")).upper(),
			subdivision=hol.get("subdivision") or None,
			kinds=frozenset(hol.get("kinds", ("public", "de_facto"))),
		),
		level=str(data.get("level") or ""),
		stipend=to_decimal(data.get("stipend"), f"{f}.stipend"),
		bands=tuple(bands),
		uplift_percent=uplift_percent,
		uplift_groups=tuple(uplift.get("holidays") or ()),
		activations_outside_week=data.get("activations_outside_week", "error"),
		week_paid_in=data.get("week_paid_in", "end"),
		components=dict(data.get("components") or {}),
		precision=int(data.get("precision", 2)),
	)


class Firm:
	"""A firm's configuration: its calendars and its tiers' SLA policies (and, in rating, its money)."""

	def __init__(self, data: Mapping):
		if not isinstance(data, Mapping):
			raise ConfigError("firm", data, "a firm is a mapping")
		self.data = data
		self.key = str(data.get("firm") or "")
		self.name = str(data.get("name") or self.key)
		self.currency = str(data.get("currency") or "")
		self.calendar_specs: dict[str, CalendarSpec] = {
			name: parse_calendar(name, cal) for name, cal in (data.get("calendars") or {}).items()
		}
		self.tiers: dict[str, Mapping] = dict(data.get("tiers") or {})
		self.policies: dict[str, Policy] = {
			key: parse_policy(f"{self.key}.{key}", tier.get("sla") or {"priorities": {}}, self.calendar_specs)
			for key, tier in self.tiers.items()
		}
		self.rating_tiers: dict[str, Tier] = {
			key: parse_tier(
				key, {"title": tier.get("title"), **tier["billing"]}, self.calendar_specs, self.currency
			)
			for key, tier in self.tiers.items()
			if tier.get("billing")
		}
		self.contracts: dict[str, Contract] = {}
		for c in data.get("contracts") or ():
			contract = parse_contract(c)
			if contract.key in self.contracts:
				raise ConfigError("contracts", contract.key, "appears twice")
			contract.effective_tier(self.rating_tiers)  # validates tier, overrides, zone
			self.contracts[contract.key] = contract
		self.pay_schemes: dict[str, PayScheme] = {
			key: parse_pay_scheme(key, scheme) for key, scheme in (data.get("pay_schemes") or {}).items()
		}

	@property
	def display_tz(self):
		"""The time zone of the firm's first calendar: where its people read their clocks."""
		spec = next(iter(self.calendar_specs.values()), None)
		return compile_calendar(spec).tz if spec else dt.timezone.utc

	def calendar(self, name: str):
		if name not in self.calendar_specs:
			raise ConfigError(
				"calendar", name, f"unknown in {self.key}; known: {', '.join(self.calendar_specs)}"
			)
		return compile_calendar(self.calendar_specs[name])

	def contract(self, key: str) -> Contract:
		if key not in self.contracts:
			raise ConfigError(
				"contract", key, f"unknown in {self.key}; known: {', '.join(self.contracts) or 'none'}"
			)
		return self.contracts[key]

	def pay_scheme(self, key: str | None = None) -> PayScheme:
		if key is None and len(self.pay_schemes) == 1:
			return next(iter(self.pay_schemes.values()))
		if key not in self.pay_schemes:
			raise ConfigError(
				"pay scheme", key, f"unknown in {self.key}; known: {', '.join(self.pay_schemes) or 'none'}"
			)
		return self.pay_schemes[key]

	def policy(self, tier: str) -> Policy:
		if tier not in self.policies:
			raise ConfigError("tier", tier, f"unknown in {self.key}; known: {', '.join(self.policies)}")
		return self.policies[tier]
