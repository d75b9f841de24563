# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class IncidentFee(Document):
	"""One per call-in of the on-call engineer (rules.md A); its Issue is unique, so an Issue is charged once."""

	def validate(self):
		if (self.fee or 0) < 0:
			frappe.throw(_("Fee cannot be negative."))
		if (self.included_minutes or 0) < 0:
			frappe.throw(_("Minutes Included cannot be negative."))
