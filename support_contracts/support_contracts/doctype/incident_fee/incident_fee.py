# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class IncidentFee(Document):
	"""One per call-in of the on-call engineer (docs/rules.md A); its Issue is unique, so an Issue is charged once.
	It belongs to its Issue's customer and contract, and it is Billed only with the invoice that billed it."""

	def validate(self):
		self.validate_issue()
		if self.status == "Billed" and not self.sales_invoice:
			frappe.throw(
				_("{0} is Billed but names no {1}.").format(
					frappe.bold(_("Status")), frappe.bold(_("Sales Invoice"))
				),
				title=_("Billed Without Invoice"),
			)

	def validate_issue(self):
		issue = frappe.db.get_value("Issue", self.issue, ["customer", "sc_support_contract"], as_dict=True)
		for field, expected in (
			("customer", issue.customer),
			("support_contract", issue.sc_support_contract),
		):
			if (self.get(field) or None) != (expected or None):
				frappe.throw(
					_("{0} {1} is not the one of Issue {2} ({3}).").format(
						frappe.bold(_(self.meta.get_label(field))),
						self.get(field) or _("(none)"),
						self.issue,
						expected or _("none"),
					),
					title=_("Not This Issue's Fee"),
				)
