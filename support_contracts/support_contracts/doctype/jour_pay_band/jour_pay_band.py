# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class JourPayBand(Document):
	def __init__(self, *args, **kwargs):
		super().__init__(*args, **kwargs)
		# Frappe fills every empty Time field of a new row with the current time; a time left blank must
		# stay blank so that it is refused, not saved as "now"
		self.dont_update_if_missing = ["from_time", "to_time"]
