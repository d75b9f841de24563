# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class OnCallPayRunResult(Document):
	pass
