# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from support_contracts.adapters import firm
from support_contracts.adapters.payroll import hrms
from support_contracts.engine.errors import EngineError


class JourPayScheme(Document):
	"""On-call pay (docs/rules.md C): weekly stipend, holiday uplift and hourly bands. The bands must cover every
	hour of every kind of day exactly once; the engine checks it. With HRMS, the salary components it pays
	as must exist (the pay run makes an Additional Salary of each)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_contracts.support_contracts.doctype.jour_pay_band.jour_pay_band import JourPayBand

		activations_outside_week: DF.Literal["Error", "Allow"]
		bands: DF.Table[JourPayBand]
		currency: DF.Link | None
		holiday_country: DF.Data
		level: DF.Data
		scheme_name: DF.Data
		stipend: DF.Currency
		stipend_component: DF.Data | None
		timezone: DF.Autocomplete
		uplift_christmas: DF.Check
		uplift_easter: DF.Check
		uplift_midsummer: DF.Check
		uplift_new_year: DF.Check
		uplift_percent: DF.Percent
		week_paid_in: DF.Literal["Ends", "Starts"]
	# end: auto-generated types

	def validate(self):
		try:
			firm.pay_scheme_from_doc(self)
		except EngineError as e:
			firm.throw(e, self.doctype)
		self.validate_salary_components()

	def validate_salary_components(self):
		"""Each salary component the scheme pays as — its stipend's, and each band's (the band's name where
		none is given, as the pay run reads it) — is an existing Salary Component, where HRMS is installed."""
		stipend = self.stipend_component or firm.DEFAULT_STIPEND_COMPONENT
		wanted = [(_(self.meta.get_label("stipend_component")), stipend)]
		label = _(frappe.get_meta("Jour Pay Band").get_label("salary_component"))
		for row in self.bands:
			where = _("{0} row {1}: {2}").format(_(self.meta.get_label("bands")), row.idx, label)
			wanted.append((where, row.salary_component or row.band_name))
		hrms.check_salary_components(wanted)
