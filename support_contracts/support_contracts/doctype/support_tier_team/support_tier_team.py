# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportTierTeam(Document):
	"""A support level's team on a tier (docs/rules.md E5): new requests and escalations are assigned to it."""
