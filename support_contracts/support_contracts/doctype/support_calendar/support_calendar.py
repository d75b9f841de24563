# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt


from frappe.model.document import Document

from support_contracts.adapters import firm
from support_contracts.adapters.times import now
from support_contracts.engine.calendar import BusinessCalendar
from support_contracts.engine.errors import EngineError


class SupportCalendar(Document):
	"""Business hours of a support organisation: windows, holidays, closed days and closures (docs/rules.md A–E).
	Validated by compiling it with the engine: an unknown time zone, overlapping windows or a calendar
	with no open time is refused with the engine's message."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_contracts.support_contracts.doctype.support_calendar_closed_day.support_calendar_closed_day import (
			SupportCalendarClosedDay,
		)
		from support_contracts.support_contracts.doctype.support_calendar_closure.support_calendar_closure import (
			SupportCalendarClosure,
		)
		from support_contracts.support_contracts.doctype.support_calendar_window.support_calendar_window import (
			SupportCalendarWindow,
		)

		calendar_name: DF.Data
		close_de_facto_holidays: DF.Check
		close_public_holidays: DF.Check
		closed_days: DF.Table[SupportCalendarClosedDay]
		closures: DF.Table[SupportCalendarClosure]
		early_closing: DF.Check
		holiday_country: DF.Data | None
		holiday_subdivision: DF.Data | None
		holidays_effect: DF.Literal["Closed", "Open"]
		timezone: DF.Autocomplete
		windows: DF.Table[SupportCalendarWindow]
	# end: auto-generated types

	def validate(self):
		try:
			BusinessCalendar(firm.calendar_spec_from_doc(self)).next_open(now())
		except EngineError as e:
			firm.throw(e, self.doctype)
