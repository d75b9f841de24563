# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from support_contracts.adapters import firm
from support_contracts.engine.errors import EngineError


class JourPayScheme(Document):
	"""On-call pay (docs/rules.md C): weekly stipend, holiday uplift and hourly bands. The bands must cover every
	hour of every kind of day exactly once; the engine checks it."""

	def validate(self):
		try:
			firm.pay_scheme_from_doc(self)
		except EngineError as e:
			firm.throw(e, self.doctype)
