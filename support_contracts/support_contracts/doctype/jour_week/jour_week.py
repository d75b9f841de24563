# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import datetime as dt

import frappe
from frappe import _
from frappe.model.document import Document

from support_contracts.adapters import specs
from support_contracts.engine.errors import EngineError
from support_contracts.engine.money import round_money
from support_contracts.engine.on_call import JourWeek as Week
from support_contracts.engine.on_call import uplift_reason


class JourWeek(Document):
	"""An employee's on-call week: stipend and holiday uplift computed by the engine (rules.md C)."""

	def validate(self):
		scheme = specs.pay_scheme(self.scheme)
		level = next(iter(scheme.stipends))
		try:
			week = Week(self.employee, int(self.iso_year or 0), int(self.iso_week or 0), level)
		except EngineError as e:
			specs.throw(e, self.doctype)
		self.week_start = week.monday
		self.week_end = week.monday + dt.timedelta(days=6)
		reason = uplift_reason(week, scheme)
		base = scheme.stipends[level]
		self.uplift = 1 if reason else 0
		self.uplift_reason = reason or ""
		self.stipend = round_money(
			base * (1 + scheme.uplift_percent / 100) if reason else base, scheme.precision
		)
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
