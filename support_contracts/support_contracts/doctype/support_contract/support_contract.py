# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate

from support_contracts.adapters import prices


class SupportContract(Document):
	"""A customer's support contract on a tier: one active contract per customer and service at a time."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_contracts.support_contracts.doctype.support_contract_caller.support_contract_caller import (
			SupportContractCaller,
		)

		authorised_callers: DF.Table[SupportContractCaller]
		company: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		end_date: DF.Date | None
		hourly_rate_override: DF.Currency
		index_base_period: DF.Data | None
		index_cap_percent: DF.Data | None
		index_floor_percent: DF.Data | None
		index_rounding: DF.Literal["0.01", "0.1", "1", "10", "100"]
		monitored_units: DF.Int
		monitoring_token_hash: DF.Data | None
		monthly_fee_override: DF.Currency
		naming_series: DF.Literal["SC-.YYYY.-"]
		on_call: DF.Check
		on_call_calendar: DF.Link | None
		price_index: DF.Link | None
		proactive_instructions: DF.TextEditor | None
		renewal: DF.Literal["", "Automatic", "Manual"]
		service: DF.Data
		start_date: DF.Date
		status: DF.Literal["Draft", "Active", "Expired", "Terminated"]
		tier: DF.Link
		training_completed_on: DF.Date | None
		travel_zone: DF.Data | None
	# end: auto-generated types

	def onload(self):
		"""The form's top line: the hour bank left this period, from the ledger (never a typed number), and
		the term's end (``adapters/contracts.glance``)."""
		from support_contracts.adapters.contracts import glance

		self.set_onload("glance", glance(self))

	def validate(self):
		self.company = (
			self.company
			or frappe.defaults.get_user_default("Company")
			or frappe.defaults.get_global_default("company")
		)
		if self.end_date and getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(_("End Date {0} is before Start Date {1}.").format(self.end_date, self.start_date))
		if self.on_call and not self.on_call_calendar:
			frappe.throw(_("An on-call add-on needs its On-call Window calendar."))
		if self.travel_zone:
			zones = frappe.get_all("Support Tier Travel Zone", filters={"parent": self.tier}, pluck="zone")
			if self.travel_zone not in zones:
				frappe.throw(
					_("Travel zone {0} is not a zone of tier {1} ({2}).").format(
						self.travel_zone, self.tier, ", ".join(zones) or _("none")
					)
				)
		self.validate_terms()
		self.validate_no_overlap()
		prices.check_clause(self)  # its indexation clause (docs/rules.md F3)

	def validate_terms(self):
		"""The tier's prerequisites (docs/rules.md E7: a completed training before the agreement starts)
		and what it sells (A4: monitored units beyond those included need the tier's unit price)."""
		from support_contracts.adapters import firm
		from support_contracts.engine.errors import EngineError
		from support_contracts.engine.terms import check_training

		tier = frappe.get_cached_doc("Support Tier", self.tier)
		labels = {"training_completed_on": "Training Completed On"}
		try:
			check_training(
				bool(tier.get("requires_training")),
				getdate(self.training_completed_on) if self.training_completed_on else None,
				getdate(self.start_date),
			)
		except EngineError as e:
			firm.throw(e, self.doctype, labels)
		units = cint(self.monitored_units)
		if units < 0:
			frappe.throw(_("{0} cannot be negative.").format(frappe.bold(_("Monitored Units"))))
		included = cint(tier.get("monitoring_units_included"))
		if units > included and not tier.get("monitoring_unit_price"):
			frappe.throw(
				_(
					"{0}: tier {1} includes {2} and sells no more (it has no Price per Further Unit and Month)."
				).format(frappe.bold(_("Monitored Units")), self.tier, included)
			)

	def validate_no_overlap(self):
		if self.status != "Active":
			return
		# serialise concurrent saves for the same customer: the customer row is the lock
		frappe.db.get_value("Customer", self.customer, "name", for_update=True)
		# a locking read: a plain SELECT would answer from the transaction's older snapshot and miss a
		# contract that a concurrent save committed while this one waited for the customer's lock
		contract = frappe.qb.DocType("Support Contract")
		others = (
			frappe.qb.from_(contract)
			.select(contract.name, contract.start_date, contract.end_date)
			.where(contract.customer == self.customer)
			.where(contract.service == self.service)
			.where(contract.status == "Active")
			.where(contract.name != (self.name or ""))
			.for_update()
			.run(as_dict=True)
		)
		start = getdate(self.start_date)
		end = getdate(self.end_date) if self.end_date else None
		for o in others:
			o_end = getdate(o.end_date) if o.end_date else None
			if (end is None or getdate(o.start_date) <= end) and (o_end is None or start <= o_end):
				frappe.throw(
					_(
						"Customer {0} already has active contract {1} for {2} from {3} to {4}: contracts may not overlap."
					).format(
						frappe.bold(self.customer),
						frappe.bold(o.name),
						self.service,
						o.start_date,
						o.end_date or _("open end"),
					),
					title=_("Overlapping Contract"),
				)
