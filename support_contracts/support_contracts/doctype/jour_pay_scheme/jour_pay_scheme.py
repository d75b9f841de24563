# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from support_contracts.adapters import firm
from support_contracts.engine.errors import EngineError


class JourPayScheme(Document):
	"""On-call pay (docs/rules.md C): weekly stipend, holiday uplift and hourly bands. The bands must cover every
	hour of every kind of day exactly once; the engine checks it. With HRMS, the salary components it pays
	as must exist (the pay run makes an Additional Salary of each)."""

	def validate(self):
		try:
			firm.pay_scheme_from_doc(self)
		except EngineError as e:
			firm.throw(e, self.doctype)
		self.validate_salary_components()

	def validate_salary_components(self):
		"""Each salary component the scheme pays as — its stipend's, and each band's (the band's name where
		none is given, as the pay run reads it) — is an existing Salary Component, where HRMS is installed."""
		if "hrms" not in frappe.get_installed_apps():  # without HRMS: statements only, no Additional Salary
			return
		stipend = self.stipend_component or firm.DEFAULT_STIPEND_COMPONENT
		wanted = [(_(self.meta.get_label("stipend_component")), stipend)]
		label = _(frappe.get_meta("Jour Pay Band").get_label("salary_component"))
		for row in self.bands:
			where = _("{0} row {1}: {2}").format(_(self.meta.get_label("bands")), row.idx, label)
			wanted.append((where, row.salary_component or row.band_name))
		for where, component in wanted:
			if component and not frappe.db.exists("Salary Component", component):
				frappe.throw(
					_(
						"{0}: there is no Salary Component {1}. Create it (Salary Component list) or name an existing one."
					).format(frappe.bold(where), frappe.bold(component)),
					frappe.ValidationError,
					title=_("Unknown Salary Component"),
				)
