# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportBillingRunResult(Document):
	"""What a Support Billing Run did for one contract: its invoice, nothing to bill, or the error."""
