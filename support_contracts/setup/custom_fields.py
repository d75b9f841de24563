"""The fields the app adds to ERPNext's and Frappe's documents (Issue, Sales Invoice and its items,
Timesheet Detail, Employee; HD Ticket and HD Customer where Frappe Helpdesk is installed), as data: made at
install and every migrate (``install.make_custom_fields``), removed at uninstall. An ``sc_`` field is the
app's."""

from __future__ import annotations

from support_contracts.engine.escalation import ALERT_STATES, LEVELS


def custom_fields() -> dict:
	from support_contracts.adapters.issue.fields import STATUS_LABEL
	from support_contracts.adapters.issue.ledger import AWAITING_SIGNOFF

	ro = {"read_only": 1, "no_copy": 1}
	fields = {
		"Issue": [
			{
				"fieldname": "sc_section",
				"fieldtype": "Section Break",
				"label": "Support Contract",
				"insert_after": "sla_resolution_date",
			},
			{
				"fieldname": "sc_support_contract",
				"fieldtype": "Link",
				"options": "Support Contract",
				"label": "Support Contract",
				"insert_after": "sc_section",
				"search_index": 1,
				**ro,
			},
			{
				"fieldname": "sc_support_tier",
				"fieldtype": "Link",
				"options": "Support Tier",
				"label": "Support Tier",
				"insert_after": "sc_support_contract",
				**ro,
			},
			{
				"fieldname": "sc_error_category",
				"fieldtype": "Select",
				"options": "\nCritical\nSerious\nMinor",
				"label": "Error Category (SSA-L)",
				"insert_after": "sc_support_tier",
			},
			{
				"fieldname": "sc_rollback",
				"fieldtype": "Check",
				"label": "Rollback Requested",
				"insert_after": "sc_error_category",
				"description": "Handled as P3, initiated within the tier's rollback time",
			},
			{
				"fieldname": "sc_action_started_on",
				"fieldtype": "Datetime",
				"label": "Action Started On",
				"insert_after": "sc_rollback",
				"no_copy": 1,
				"description": "When remedial work started (inställelse)",
			},
			{
				"fieldname": "sc_outside_area",
				"fieldtype": "Check",
				"label": "Fault Outside Our Area",
				"insert_after": "sc_action_started_on",
				"no_copy": 1,
				"description": "The customer's own systems or third-party equipment: the action-start target no longer applies, and the work is billed per started hour",
			},
			{
				"fieldname": "sc_outside_area_reason",
				"fieldtype": "Small Text",
				"label": "Why Outside Our Area",
				"insert_after": "sc_outside_area",
				"no_copy": 1,
				"depends_on": "sc_outside_area",
				"mandatory_depends_on": "sc_outside_area",
			},
			{
				"fieldname": "sc_quote_first",
				"fieldtype": "Check",
				"label": "Quote First",
				"insert_after": "sc_outside_area_reason",
				"no_copy": 1,
				"description": "Work beyond normal support: no time on it is billed until its quotation is accepted (ordered)",
			},
			{
				"fieldname": "sc_quotation",
				"fieldtype": "Link",
				"options": "Quotation",
				"label": "Quotation",
				"insert_after": "sc_quote_first",
				"no_copy": 1,
				"depends_on": "sc_quote_first",
			},
			{
				"fieldname": "sc_on_call",
				"fieldtype": "Check",
				"label": "On-call",
				"insert_after": "sc_quotation",
				**ro,
			},
			{
				"fieldname": "sc_production",
				"fieldtype": "Check",
				"label": "Production",
				"insert_after": "sc_on_call",
				"no_copy": 1,
			},
			{
				"fieldname": "sc_jour",
				"fieldtype": "Check",
				"label": "Jour",
				"insert_after": "sc_production",
				"no_copy": 1,
			},
			{"fieldname": "sc_column", "fieldtype": "Column Break", "insert_after": "sc_jour"},
			{
				"fieldname": "sc_sla_status",
				"fieldtype": "Select",
				"options": "\n".join(("", *filter(None, STATUS_LABEL.values()), AWAITING_SIGNOFF)),
				"label": "Contract SLA Status",
				"insert_after": "sc_column",
				"in_standard_filter": 1,
				"in_list_view": 1,
				"search_index": 1,
				**ro,
			},
			{
				"fieldname": "sc_first_response_due",
				"fieldtype": "Datetime",
				"label": "First Response Due",
				"insert_after": "sc_sla_status",
				**ro,
			},
			{
				"fieldname": "sc_action_start_due",
				"fieldtype": "Datetime",
				"label": "Action Start Due",
				"insert_after": "sc_first_response_due",
				**ro,
			},
			{
				"fieldname": "sc_resolution_due",
				"fieldtype": "Datetime",
				"label": "Resolution Due",
				"insert_after": "sc_action_start_due",
				**ro,
			},
			{
				"fieldname": "sc_paused_time",
				"fieldtype": "Duration",
				"label": "Paused Time",
				"insert_after": "sc_resolution_due",
				**ro,
			},
			{
				"fieldname": "sc_escalation_level",
				"fieldtype": "Select",
				"options": "\n".join(("", *LEVELS)),
				"label": "Escalation Level",
				"insert_after": "sc_paused_time",
				**ro,
			},
			{
				"fieldname": "sc_warning_at",
				"fieldtype": "Datetime",
				"label": "SLA Warning At",
				"insert_after": "sc_escalation_level",
				"hidden": 1,
				**ro,
			},
			{
				"fieldname": "sc_breach_at",
				"fieldtype": "Datetime",
				"label": "SLA Breach At",
				"insert_after": "sc_warning_at",
				"hidden": 1,
				**ro,
			},
			{
				# the first instant a transition can fall due in the Issue's alert state: what the
				# enforcement scan reads (adapters/enforcement.py); empty when nothing is left to enforce
				"fieldname": "sc_enforce_at",
				"fieldtype": "Datetime",
				"label": "Next SLA Enforcement At",
				"insert_after": "sc_breach_at",
				"hidden": 1,
				**ro,
			},
			{
				"fieldname": "sc_manager_escalation_at",
				"fieldtype": "Datetime",
				"label": "Manager Escalation At",
				"insert_after": "sc_breach_at",
				"hidden": 1,
				**ro,
			},
			{
				# the alert state as its place in engine/escalation.ALERT_STATES (adapters/issue.ALERT)
				"fieldname": "sc_alert_rank",
				"fieldtype": "Int",
				"label": "SLA Alert State",
				"description": ", ".join(
					f"{rank} {state or 'none'}" for rank, state in enumerate(ALERT_STATES)
				),
				"insert_after": "sc_manager_escalation_at",
				"hidden": 1,
				**ro,
			},
			{
				"fieldname": "sc_signoff_state",
				"fieldtype": "Select",
				"options": "\nAwaiting Sign-off\nApproved\nRefused",
				"label": "Client Sign-off",
				"insert_after": "sc_escalation_level",
				**ro,
			},
			{
				# when the client's silence counts as approval of the fix (Support Tier › Silence Counts as
				# Approval After); the sign-off scan reads it
				"fieldname": "sc_signoff_due",
				"fieldtype": "Datetime",
				"label": "Sign-off by Silence At",
				"insert_after": "sc_signoff_state",
				"search_index": 1,
				**ro,
			},
			{
				# <contract>|<alert id>: one Issue per monitoring alert (adapters/monitoring.py)
				"fieldname": "sc_monitoring_alert",
				"fieldtype": "Data",
				"label": "Monitoring Alert",
				"insert_after": "sc_alert_rank",
				"hidden": 1,
				"unique": 1,
				**ro,
			},
			{
				# the customer's verdict on a resolved ticket (docs/rules.md F4): given on the portal, once
				"fieldname": "sc_verdict_section",
				"fieldtype": "Section Break",
				"label": "Customer's Verdict",
				"insert_after": "sc_monitoring_alert",
				"collapsible": 1,
				"depends_on": "eval:doc.sc_rating",
			},
			{
				"fieldname": "sc_rating",
				"fieldtype": "Int",
				"label": "Rating (1–5)",
				"insert_after": "sc_verdict_section",
				"in_standard_filter": 1,
				**ro,
			},
			{
				"fieldname": "sc_rating_comment",
				"fieldtype": "Small Text",
				"label": "Customer's Comment",
				"insert_after": "sc_rating",
				**ro,
			},
			{
				"fieldname": "sc_rated_at",
				"fieldtype": "Datetime",
				"label": "Rated At",
				"insert_after": "sc_rating_comment",
				**ro,
			},
			{
				"fieldname": "sc_rated_by",
				"fieldtype": "Link",
				"options": "User",
				"label": "Rated By",
				"insert_after": "sc_rated_at",
				**ro,
			},
			{
				# the address the rating came from: a portal user's, or the resolution e-mail's (F4)
				"fieldname": "sc_rated_by_email",
				"fieldtype": "Data",
				"options": "Email",
				"label": "Rated From",
				"insert_after": "sc_rated_by",
				**ro,
			},
			{
				# the resolution e-mail's rating link (docs/rules.md F4): the SHA-256 of its secret, cleared
				# once used, and when it stops working
				"fieldname": "sc_rating_token",
				"fieldtype": "Data",
				"label": "Rating Link",
				"insert_after": "sc_rated_by_email",
				"hidden": 1,
				**ro,
			},
			{
				"fieldname": "sc_rating_link_expires",
				"fieldtype": "Datetime",
				"label": "Rating Link Expires",
				"insert_after": "sc_rating_token",
				"hidden": 1,
				**ro,
			},
			{
				# logged work beyond the contract's hour bank, not yet billed (docs/rules.md F2)
				"fieldname": "sc_overage_section",
				"fieldtype": "Section Break",
				"label": "Hour Bank Overage",
				"insert_after": "sc_rating_link_expires",
				"collapsible": 1,
				"depends_on": "eval:doc.sc_overage_minutes || doc.sc_overage_decision",
			},
			{
				"fieldname": "sc_overage_minutes",
				"fieldtype": "Int",
				"label": "Overage Not Yet Billed (min)",
				"description": "Minutes of this ticket's logged work beyond the contract's hour bank, not yet billed: the next run bills them at the hourly rate, unless the customer's approval is awaited or they declined",
				"insert_after": "sc_overage_section",
				**ro,
			},
			{
				# where the tier asks for it: the customer approves or declines the overage on the portal
				"fieldname": "sc_overage_decision",
				"fieldtype": "Select",
				"options": "\nAwaiting Approval\nApproved\nDeclined",
				"label": "Customer's Decision on Overage",
				"insert_after": "sc_overage_minutes",
				"in_standard_filter": 1,
				**ro,
			},
			{
				"fieldname": "sc_overage_decided_by",
				"fieldtype": "Link",
				"options": "User",
				"label": "Overage Decided By",
				"insert_after": "sc_overage_decision",
				**ro,
			},
			{
				"fieldname": "sc_overage_decided_at",
				"fieldtype": "Datetime",
				"label": "Overage Decided At",
				"insert_after": "sc_overage_decided_by",
				**ro,
			},
			{
				# the overage minutes the decision was given for: more overage on the ticket asks again
				"fieldname": "sc_overage_decided_minutes",
				"fieldtype": "Int",
				"label": "Overage Decided (min)",
				"insert_after": "sc_overage_decided_at",
				**ro,
			},
		],
		"Sales Invoice": [
			{
				"fieldname": "sc_support_contract",
				"fieldtype": "Link",
				"options": "Support Contract",
				"label": "Support Contract",
				"insert_after": "customer",
				"search_index": 1,  # a contract's invoices: its run invoices, corrections, its form's connections
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "sc_billing_period",
				"fieldtype": "Data",
				"label": "Billing Month",
				"insert_after": "sc_support_contract",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				# <contract>|<YYYY-MM>: one invoice per contract and billing month (a unique index);
				# cleared when the invoice is cancelled, so the month can be billed again
				"fieldname": "sc_billing_key",
				"fieldtype": "Data",
				"label": "Billing Key",
				"insert_after": "sc_billing_period",
				"read_only": 1,
				"no_copy": 1,
				"unique": 1,
				"hidden": 1,
			},
		],
		"Sales Invoice Item": [
			{
				# an hour-bank line of the run: the bank period and the minutes it shows (the ledger's
				# consumption of the period must equal them: adapters/hour_bank.check)
				"fieldname": "sc_bank_period",
				"fieldtype": "Data",
				"label": "Hour Bank Period",
				"insert_after": "description",
				"read_only": 1,
				"no_copy": 1,
				"hidden": 1,
			},
			{
				"fieldname": "sc_bank_minutes",
				"fieldtype": "Int",
				"label": "Hour Bank Minutes",
				"insert_after": "sc_bank_period",
				"read_only": 1,
				"no_copy": 1,
				"hidden": 1,
			},
		],
		"Timesheet Detail": [
			{
				"fieldname": "sc_ticket_type",
				"fieldtype": "Link",
				"options": "DocType",
				"label": "Ticket Type",
				"default": "Issue",
				"insert_after": "task",
				"description": "Issue, or HD Ticket where Frappe Helpdesk is installed",
			},
			{
				"fieldname": "sc_issue",
				"fieldtype": "Dynamic Link",
				"options": "sc_ticket_type",
				"label": "Ticket",
				"insert_after": "sc_ticket_type",
				"search_index": 1,  # the invoicing run reads a customer's rows through their tickets
			},
			{
				"fieldname": "sc_work_kind",
				"fieldtype": "Select",
				"options": "\nPhone\nRemote\nOn-site\nTravel",
				"label": "Kind of Work",
				"insert_after": "sc_issue",
			},
			{
				"fieldname": "sc_on_site",
				"fieldtype": "Check",
				"label": "On-site",
				"insert_after": "sc_work_kind",
			},
			{
				"fieldname": "sc_travel_zone",
				"fieldtype": "Data",
				"label": "Travel Zone",
				"insert_after": "sc_on_site",
			},
			{
				"fieldname": "sc_warranty",
				"fieldtype": "Check",
				"label": "Warranty",
				"insert_after": "sc_travel_zone",
			},
			{
				"fieldname": "sc_urgent",
				"fieldtype": "Check",
				"label": "Urgent Call-out",
				"insert_after": "sc_warranty",
			},
			{
				# a row billed on a standing invoice, then cancelled with its Timesheet where Support Contract
				# Settings allow correcting billed work: the invoice that billed the difference (billed once)
				"fieldname": "sc_corrected_by",
				"fieldtype": "Link",
				"options": "Sales Invoice",
				"label": "Correction Billed On",
				"insert_after": "sales_invoice",
				"read_only": 1,
				"no_copy": 1,
			},
		],
		"Employee": [
			{
				# the secret of the employee's on-call calendar feed (adapters/on_call.py): a URL a phone's
				# calendar subscribes to without logging in
				"fieldname": "sc_rota_feed_token",
				"fieldtype": "Data",
				"label": "On-call Calendar Feed Token",
				"insert_after": "user_id",
				"hidden": 1,
				"read_only": 1,
				"no_copy": 1,
				"unique": 1,
			},
		],
	}
	# an HD Ticket governed by a contract holds the same fields, where Frappe Helpdesk is installed
	from support_contracts.adapters.helpdesk import custom_fields as helpdesk_fields

	fields.update(helpdesk_fields(fields["Issue"]))
	return fields
