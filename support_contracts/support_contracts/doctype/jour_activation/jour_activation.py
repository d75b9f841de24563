# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import datetime as dt

import frappe
from frappe import _
from frappe.model.document import Document

from support_contracts.adapters import firm
from support_contracts.adapters.helpdesk import ticket_key
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import changed, naive, refuse_ahead, typed_instant
from support_contracts.engine.errors import EngineError
from support_contracts.engine.on_call import Activation, activation_pay


class JourActivation(Document):
	"""Time an employee was activated on call, split at band boundaries, midnight and DST and priced by the
	engine (:func:`~support_contracts.engine.on_call.activation_pay`, docs/rules.md C6); the split and its
	amounts are shown on the form. Amounts are always computed, never taken from input; a local time the
	DST change skips (or, typed anew, repeats) is refused, so is one later than now (it is paid as done,
	Support Contract Settings › Dated Ahead At Most), and one row lasts at most the Support Contract
	Settings' longest activation."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_contracts.support_contracts.doctype.jour_activation_split.jour_activation_split import (
			JourActivationSplit,
		)

		employee: DF.Link
		employee_name: DF.Data | None
		from_time: DF.Datetime
		issue: DF.DynamicLink | None
		jour_week: DF.Link | None
		naming_series: DF.Literal["JA-.YYYY.-"]
		scheme: DF.Link | None
		splits: DF.Table[JourActivationSplit]
		ticket_type: DF.Link | None
		timesheet: DF.Link | None
		timesheet_detail: DF.Data | None
		to_time: DF.Datetime
		total_amount: DF.Currency
	# end: auto-generated types

	def validate(self):
		start = typed_instant(self, "from_time", _("From"))
		end = typed_instant(self, "to_time", _("To"))
		if end <= start:
			frappe.throw(_("To ({0}) must be after From ({1}).").format(self.to_time, self.from_time))
		for field, label, t in (("from_time", _("From"), start), ("to_time", _("To"), end)):
			if changed(self, field):
				refuse_ahead(t, label)
		longest = setting("max_activation_hours")
		elapsed = end.astimezone(dt.timezone.utc) - start.astimezone(dt.timezone.utc)  # real time, DST too
		if elapsed.total_seconds() > longest * 3600:
			frappe.throw(
				_(
					"{0} lasts {1} hours; one activation may last at most {2} hours (Support Contract Settings). Enter a longer activation as several rows."
				).format(
					frappe.bold(_("From – To")),
					f"{elapsed.total_seconds() / 3600:g}",
					f"{longest:g}",
				),
				title=_("Activation Too Long"),
			)
		self.set_jour_week(start)
		scheme = firm.pay_scheme(self.scheme)
		if not self.jour_week and scheme.activations_outside_week == "error":
			frappe.throw(
				_(
					"{0} has no jour week on {1}; pay scheme {2} does not allow activations outside one."
				).format(self.employee, start.date(), self.scheme),
				title=_("Outside a Jour Week"),
			)
		self.validate_no_overlap()
		try:
			pay = activation_pay(
				Activation(
					self.name or "new", self.employee, start, end, ticket_key(self.ticket_type, self.issue)
				),
				scheme,
			)
		except EngineError as e:
			firm.throw(e, self.doctype)
		self.splits = []
		for seg, amount in zip(pay.segments, pay.amounts, strict=True):
			self.append(
				"splits",
				{
					"band": seg.band.name,
					"from_time": naive(seg.start),
					"to_time": naive(seg.end),
					"minutes": seg.seconds / 60,
					"rate": seg.band.rate,
					"amount": amount,
				},
			)
		self.total_amount = pay.total

	def set_jour_week(self, start):
		day = start.date()
		self.jour_week = frappe.db.get_value(
			"Jour Week", {"employee": self.employee, "week_start": ("<=", day), "week_end": (">=", day)}
		)
		if self.jour_week:
			self.scheme = frappe.db.get_value("Jour Week", self.jour_week, "scheme")
		if not self.scheme:
			frappe.throw(_("{0} has no jour week on {1}: choose a Pay Scheme.").format(self.employee, day))

	def validate_no_overlap(self):
		# serialise concurrent saves per employee (the Employee row is the lock), then read the others as
		# a locking read: a plain one would answer from the transaction's older snapshot
		frappe.db.get_value("Employee", self.employee, "name", for_update=True)
		other = frappe.db.get_value(
			"Jour Activation",
			{
				"employee": self.employee,
				"name": ("!=", self.name or ""),
				"from_time": ("<", self.to_time),
				"to_time": (">", self.from_time),
			},
			for_update=True,
		)
		if other:
			frappe.throw(
				_("This activation overlaps {0} of the same employee.").format(frappe.bold(other)),
				title=_("Overlapping Activation"),
			)
