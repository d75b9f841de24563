# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from support_contracts.adapters.payroll import hrms


class SupportContractSettings(Document):
	"""Site-wide limits of the app (how far back an Issue may be opened, how long one activation may be)
	and the invoicing run's settings."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		billing_company: DF.Link | None
		billing_day: DF.Int
		correct_billed_work: DF.Check
		customer_reports: DF.Check
		future_tolerance_minutes: DF.Int
		issue_backdating_hours: DF.Int
		list_price_tier: DF.Link | None
		max_activation_hours: DF.Float
		on_call_deduction_component: DF.Data | None
		pay_company: DF.Link | None
		pay_day: DF.Int
		portal_tickets_per_hour: DF.Int
		portal_tier_fit: DF.Check
		rating_link_days: DF.Int
		rating_links: DF.Check
		renewal_notice_days: DF.Int
		review_meetings: DF.Check
		run_stalled_after: DF.Int
		submit_additional_salary: DF.Check
		submit_invoices: DF.Check
		weekly_report: DF.Check
	# end: auto-generated types

	def validate(self):
		for field, low, high in (("issue_backdating_hours", 0, 87600), ("max_activation_hours", 0.25, 168)):
			value = flt(self.get(field))
			if not low <= value <= high:
				frappe.throw(
					_("{0} must be from {1} to {2} hours (got {3}).").format(
						frappe.bold(_(self.meta.get_label(field))), f"{low:g}", high, f"{value:g}"
					)
				)
		for field, low, high in (("run_stalled_after", 1, 10080), ("future_tolerance_minutes", 0, 1440)):
			if not low <= cint(self.get(field)) <= high:
				frappe.throw(
					_("{0} must be from {1} to {2} minutes (got {3}).").format(
						frappe.bold(_(self.meta.get_label(field))), low, high, cint(self.get(field))
					)
				)
		for field in ("billing_day", "pay_day"):
			if not 0 <= cint(self.get(field)) <= 28:
				frappe.throw(
					_("{0} must be from 0 (off) to 28 (got {1}).").format(
						frappe.bold(_(self.meta.get_label(field))), cint(self.get(field))
					)
				)
		if self.list_price_tier and frappe.db.get_value(
			"Support Tier", self.list_price_tier, "hour_bank_hours"
		):
			frappe.throw(
				_("{0}: Support Tier {1} has an hour bank; customers without a contract have none.").format(
					frappe.bold(_(self.meta.get_label("list_price_tier"))), self.list_price_tier
				)
			)
		hrms.check_deduction_component(
			self.on_call_deduction_component, _(self.meta.get_label("on_call_deduction_component"))
		)
