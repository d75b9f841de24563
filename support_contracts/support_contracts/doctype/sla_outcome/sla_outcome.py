# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

# the SLA Compliance report groups by these and reads the rest: one index holds all it needs, so MariaDB
# reads the groups in index order, without a temporary table or a look-up per row (docs: README benchmarks)
REPORT_INDEX = (
	"customer",
	"support_tier",
	"priority",
	"metric",
	"month",
	"status",
	"met_at",
	"due",
	"business_seconds",
)


class SLAOutcome(Document):
	"""One target of a governed Issue as it stands (adapters/issue.record_outcomes): a projection of the
	SLA Clock Event ledger that the reports read, kept after resolution. Nobody writes it by hand (no role
	may create or write it)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		business_seconds: DF.Duration | None
		customer: DF.Link | None
		due: DF.Datetime | None
		issue: DF.DynamicLink
		met_at: DF.Datetime | None
		metric: DF.Literal["first_response", "action_start", "resolution"]
		month: DF.Data | None
		opened_at: DF.Datetime | None
		priority: DF.Data | None
		status: DF.Literal["Open", "Met", "Breached", "Paused", "Waived"]
		support_contract: DF.Link | None
		support_tier: DF.Link | None
		ticket_type: DF.Link
	# end: auto-generated types

	def autoname(self):
		# one row per ticket and metric: a second insert for the same pair is refused by the primary key
		from support_contracts.adapters.issue.clock import outcome_name

		self.name = outcome_name(self.ticket_type or "Issue", self.issue, self.metric)


def on_doctype_update():
	frappe.db.add_index("SLA Outcome", list(REPORT_INDEX), "sc_compliance_report")
