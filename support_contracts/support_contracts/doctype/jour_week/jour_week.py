# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import datetime as dt

import frappe
from frappe import _
from frappe.model.document import Document

from support_contracts.adapters import firm
from support_contracts.engine.errors import EngineError
from support_contracts.engine.on_call import OnCallWeek, week_stipend


class JourWeek(Document):
	"""An employee's on-call week (*jourvecka*): its stipend and holiday uplift are the engine's
	:func:`~support_contracts.engine.on_call.week_stipend` (docs/rules.md C5)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		employee: DF.Link
		employee_name: DF.Data | None
		iso_week: DF.Int
		iso_year: DF.Int
		on_call_role: DF.Literal["Primary", "Backup"]
		primary_slot: DF.Data | None
		rota: DF.Data
		scheme: DF.Link
		stipend: DF.Currency
		uplift: DF.Check
		uplift_reason: DF.SmallText | None
		week_end: DF.Date | None
		week_start: DF.Date | None
	# end: auto-generated types

	def validate(self):
		scheme = firm.pay_scheme(self.scheme)
		try:
			week = OnCallWeek(self.employee, int(self.iso_year or 0), int(self.iso_week or 0), scheme.level)
			pay = week_stipend(week, scheme)
		except EngineError as e:
			firm.throw(e, self.doctype)
		self.week_start = week.monday
		self.week_end = week.monday + dt.timedelta(days=6)
		self.uplift = 1 if pay.uplift_reason else 0
		self.uplift_reason = pay.uplift_reason or ""
		self.stipend = pay.amount
		self.validate_unique(week)

	def validate_unique(self, week):
		# a new Jour Week already carries its deterministic name, which may be the existing one's
		not_self = {} if self.is_new() else {"name": ("!=", self.name)}
		other = frappe.db.get_value(
			"Jour Week",
			{"employee": self.employee, "iso_year": self.iso_year, "iso_week": self.iso_week, **not_self},
		)
		if other:
			frappe.throw(
				_("{0} already has jour week {1} ({2}).").format(self.employee, week.label, other),
				title=_("Jour Week Twice"),
			)
		self.primary_slot = f"{self.rota} {week.label}" if self.on_call_role == "Primary" else None
		if self.primary_slot:
			taken = frappe.db.get_value(
				"Jour Week", {"primary_slot": self.primary_slot, **not_self}, "employee"
			)
			if taken:
				frappe.throw(
					_("{0} is already the primary on-call employee of rota {1} in {2}.").format(
						taken, self.rota, week.label
					),
					title=_("Two Primary On-call Employees"),
				)
