# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import datetime as dt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, getdate, to_timedelta

from support_contracts.adapters.billing import guards as billed_work
from support_contracts.adapters.helpdesk import ticket_customer, ticket_doctypes
from support_contracts.adapters.times import changed, local_instant, refuse_ahead


class IncidentFee(Document):
	"""One per call-in of the on-call engineer (docs/rules.md A); its ticket (an Issue, or an HD Ticket where
	Helpdesk is installed) is unique, so a ticket is charged once. It belongs to its ticket's customer and
	contract, and it is Billed only with the invoice that billed it."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		called_at: DF.Datetime
		currency: DF.Link | None
		customer: DF.Link
		fee: DF.Currency
		included_minutes: DF.Int
		issue: DF.DynamicLink
		naming_series: DF.Literal["IF-.YYYY.-"]
		sales_invoice: DF.Link | None
		status: DF.Literal["Unbilled", "Billed"]
		support_contract: DF.Link | None
		ticket_type: DF.Link
	# end: auto-generated types

	def validate(self):
		billed_work.check_incident_fee(self)
		self.validate_called_at()
		self.validate_issue()
		if self.status == "Billed" and not self.sales_invoice:
			frappe.throw(
				_("{0} is Billed but names no {1}.").format(
					frappe.bold(_("Status")), frappe.bold(_("Sales Invoice"))
				),
				title=_("Billed Without Invoice"),
			)

	def validate_called_at(self):
		"""Called In At as typed: a time the DST change skips is refused; so is one it repeats, typed anew —
		unless it is the Issue's own opening time, which the Issue reads as its first occurrence (the app
		makes an on-call Issue's fee at its opening: an Issue opened in that hour keeps its fee); and one
		later than now (a call-in is billed as made; Support Contract Settings › Dated Ahead At Most)."""
		label = _(self.meta.get_label("called_at"))
		new = changed(self, "called_at")
		at = local_instant(self.called_at, label, repeated=not new or self.is_issue_opening())
		if new:
			refuse_ahead(at, label)

	def is_issue_opening(self) -> bool:
		issue = frappe.db.get_value(
			self.ticket_type or "Issue", self.issue, ["opening_date", "opening_time"], as_dict=True
		)
		if not issue or not issue.opening_date:
			return False
		opened = dt.datetime.combine(getdate(issue.opening_date), dt.time()) + to_timedelta(
			issue.opening_time or "00:00:00"
		)
		return opened == get_datetime(self.called_at)

	def validate_issue(self):
		if (self.ticket_type or "Issue") not in ticket_doctypes():
			frappe.throw(
				_("{0} {1} is not a ticket; choose {2}.").format(
					frappe.bold(_("Ticket Type")),
					self.ticket_type,
					_(" or ").join(_(k) for k in ticket_doctypes()),
				),
				title=_("Not a Ticket"),
			)
		customer, contract = ticket_customer(self.ticket_type, self.issue)
		for field, expected in (
			("customer", customer),
			("support_contract", contract),
		):
			if (self.get(field) or None) != (expected or None):
				frappe.throw(
					_("{0} {1} is not the one of {2} {3} ({4}).").format(
						frappe.bold(_(self.meta.get_label(field))),
						self.get(field) or _("(none)"),
						_(self.ticket_type or "Issue"),
						self.issue,
						expected or _("none"),
					),
					title=_("Not This Ticket's Fee"),
				)

	def on_trash(self):
		billed_work.check_incident_fee(self, deleting=True)
