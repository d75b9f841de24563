app_name = "support_contracts"
app_title = "Support Contracts"
app_publisher = "support_contracts developers"
app_description = "Support contracts for ERPNext: exact business-time SLAs, on-call pay, incident fees and exactly-once billing"
app_email = "support-contracts@example.com"
app_license = "mit"
# the version is support_contracts/__init__.py's __version__ (bench and flit read it there)

# Installed first by `bench get-app --resolve-deps` and by `install-app`. "frappe/erpnext", not a bare
# "erpnext": a bare name makes bench look the app up on GitHub by name (hrms does the same). Keep it on one
# line: bench reads it with a regular expression. HRMS is optional (payroll), so not listed. Also declared,
# with versions, in pyproject.toml [tool.bench.frappe-dependencies].
required_apps = ["frappe/erpnext"]

# The app's tile on the /apps screen (Frappe 15), for users with one of its desk roles
add_to_apps_screen = [
	{
		"name": "support_contracts",
		"logo": "/assets/support_contracts/images/support-contracts-logo.svg",
		"title": "Support Contracts",
		"route": "/app/support-contracts",
		"has_permission": "support_contracts.adapters.access.sees_support_app",
	}
]

export_python_type_annotations = True

# Install, migrate, uninstall: custom fields on Issue and Timesheet Detail, roles, Issue priorities
after_install = "support_contracts.setup.install.after_install"
after_migrate = "support_contracts.setup.install.after_migrate"
# HRMS installed after the app: its on-call salary components
after_app_install = "support_contracts.setup.install.after_app_install"
after_app_uninstall = "support_contracts.setup.install.after_app_uninstall"
before_uninstall = "support_contracts.setup.install.before_uninstall"

# Every document of the app: types, mandatory values, options and signs checked before a controller reads
# them (a clear 417 naming the field instead of a 500 from deep inside)
from support_contracts.doctypes import APP_DOCTYPES as _APP_DOCTYPES  # "_": not a hook

# Governed Issues: engine due times, pause/resume/reopen, first response, on-call labels and fees
doc_events = {
	**{dt: {"before_validate": "support_contracts.adapters.validation.check_input"} for dt in _APP_DOCTYPES},
	# sharing never lifts anyone above their roles on the app's documents (read-only shares)
	"DocShare": {"validate": "support_contracts.permissions.validate_share"},
	# governed Issues (see above); merging two of them would join ledgers no clock can replay
	"Issue": {
		"validate": "support_contracts.adapters.issue.save.validate",
		"on_update": "support_contracts.adapters.issue.save.on_update",
		"before_rename": "support_contracts.adapters.issue.save.before_rename",
		# a ticket with an SLA clock is closed, not deleted (its ledger is append-only)
		"on_trash": "support_contracts.adapters.issue.ledger.refuse_deleting_a_clocked_ticket",
	},
	# Frappe Helpdesk's tickets, where it is installed (adapters/helpdesk.py): governed by the same save
	# steps; after Helpdesk's own SLA (the controller's before_save) its columns show the contract's clock
	"HD Ticket": {
		"validate": "support_contracts.adapters.issue.save.validate",
		"before_save": "support_contracts.adapters.helpdesk.show_contract_times",
		"on_update": "support_contracts.adapters.issue.save.on_update",
		"on_trash": "support_contracts.adapters.issue.ledger.refuse_deleting_a_clocked_ticket",
	},
	# an HD Customer is one ERPNext Customer (set by a manager, or matched by name)
	"HD Customer": {"validate": "support_contracts.adapters.helpdesk.check_hd_customer"},
	# the invoicing run: a cancelled or deleted support invoice frees its contract and month, and its time
	"Sales Invoice": {
		"before_insert": "support_contracts.adapters.billing.guards.refuse_amending",
		# the run's fields are the run's; a run-billed Timesheet row goes on no other invoice
		"validate": "support_contracts.adapters.billing.guards.keep_run_fields",
		"on_cancel": "support_contracts.adapters.billing.guards.release",
		"on_trash": "support_contracts.adapters.billing.guards.release",
	},
	# a statement's salaries are cancelled with it, not alone (it would count as paid)
	"Additional Salary": {"before_cancel": "support_contracts.adapters.payroll.hrms.refuse_cancel_alone"},
	"Timesheet": {
		"validate": "support_contracts.adapters.billing.guards.check_timesheet",
		# billed work stays billed once while its invoice stands (adapters/billing/guards.py)
		"before_insert": "support_contracts.adapters.billing.guards.new_rows_unbilled",
		"before_cancel": "support_contracts.adapters.billing.guards.refuse_cancelling_billed_timesheet",
		"before_update_after_submit": "support_contracts.adapters.billing.guards.refuse_unbilling_rows",
		"on_trash": "support_contracts.adapters.billing.guards.refuse_deleting_billed_timesheet",
		# a row on an on-call Issue in the engineer's jour week is their Jour Activation too
		"on_submit": [
			"support_contracts.adapters.payroll.activations.activations_from_timesheet",
			# logged work draws the hour bank the next run bills: its warnings and overage (docs/rules.md F2)
			"support_contracts.adapters.billing.unbilled.watch_timesheet",
		],
		"on_cancel": [
			"support_contracts.adapters.payroll.activations.remove_timesheet_activations",
			"support_contracts.adapters.billing.unbilled.watch_timesheet",
		],
	},
	# a portal user comments only on their own customers' tickets and contracts
	"Comment": {"before_insert": "support_contracts.permissions.refuse_foreign_comment"},
	"Communication": {
		# on_update runs after Frappe has updated the Issue (status back to Open on an incoming email)
		"on_update": "support_contracts.adapters.issue.save.on_communication",
	},
}
# the module onboarding's steps are marked done as the documents they ask for are saved (the Issue's from
# its save, the billing run's from its progress: adapters/onboarding.py)
for _doctype in ("Support Calendar", "Support Tier", "Support Contract"):
	doc_events[_doctype]["on_update"] = "support_contracts.adapters.onboarding.mark_done"

# SLA enforcement: warning, breach, escalation — set-based, exactly once, every 5 minutes
scheduler_events = {
	"cron": {
		"*/5 * * * *": [
			"support_contracts.adapters.enforcement.enforce",
			# a fix the client stayed silent on for the tier's time counts as approved (docs/rules.md C2)
			"support_contracts.adapters.issue.signoff.sign_off_by_silence",
		],
		# the weekly management report, Mondays (off until Support Contract Settings switch it on)
		"0 7 * * 1": ["support_contracts.adapters.reporting.send_weekly_report"],
	},
	# the monthly invoicing run, on the day Support Contract Settings name (off by default)
	"daily": [
		# runs whose jobs were lost: Interrupted, then resumed (their units without a result)
		"support_contracts.adapters.runs.look_after_runs",
		"support_contracts.support_contracts.doctype.support_billing_run.support_billing_run.scheduled_run",
		# the monthly on-call pay run, likewise
		"support_contracts.support_contracts.doctype.on_call_pay_run.on_call_pay_run.scheduled_run",
		# the customer reports, on the first day of each reporting period (off by default)
		"support_contracts.adapters.reporting.send_customer_reports",
		# review meetings as Events, on the first day of each review period (off by default)
		"support_contracts.adapters.reporting.schedule_review_meetings",
		# renewals: an indexed renewal's prices, once; a term's end told ahead (docs/rules.md F3)
		"support_contracts.adapters.renewals.run_daily",
	],
}

doctype_js = {"Issue": "public/js/issue.js", "Timesheet": "public/js/timesheet.js"}
# the print format Support Customer Report reads its period through this
jinja = {"methods": ["support_contracts.adapters.reporting.report_for_print"]}
# the Issue list shows the contract clock's state and its next due time
doctype_list_js = {"Issue": "public/js/issue_list.js"}

# The customer portal (www/support, adapters/portal/): a contact sees its customers' contracts, hour
# bank and tickets with their clocks, and reports incidents; invoices are ERPNext's own /invoices
portal_menu_items = [
	{"title": "Support", "route": "/support", "reference_doctype": "Support Contract", "role": "Customer"},
	{"title": "Report an Incident", "route": "/support/new", "role": "Customer"},
]
website_route_rules = [
	{"from_route": "/support/contracts/<name>", "to_route": "support/contract"},
	{"from_route": "/support/tickets/<name>", "to_route": "support/ticket"},
]
has_website_permission = {"Support Contract": "support_contracts.permissions.has_contract_website_permission"}

# the ledgers and marks of a billed invoice are the run's: ERPNext may delete a cancelled invoice's links
ignore_links_on_delete = ["Hour Bank Ledger Entry", "Hour Bank Warning"]

# On-call pay is personal: employees see their own weeks and activations, coordinators and HR all
permission_query_conditions = {
	"Jour Week": "support_contracts.permissions.jour_week_conditions",
	"Jour Activation": "support_contracts.permissions.jour_activation_conditions",
	"Jour Activation Split": "support_contracts.permissions.jour_activation_split_conditions",
	"On-Call Pay Statement": "support_contracts.permissions.pay_statement_conditions",
	"On-Call Pay Statement Line": "support_contracts.permissions.pay_statement_line_conditions",
	# the customer portal's side doors: contacts' rows and tag links (docs/portal.md)
	"Dynamic Link": "support_contracts.permissions.dynamic_link_conditions",
	"Contact Email": "support_contracts.permissions.contact_email_conditions",
	"Contact Phone": "support_contracts.permissions.contact_phone_conditions",
	"Tag Link": "support_contracts.permissions.tag_link_conditions",
}
# Frappe 15 counts any doctype without a permission check: the app's doctypes count what the user may list
override_whitelisted_methods = {
	"frappe.client.get_count": "support_contracts.api.counts.get_count",
	# the app's methods live in support_contracts.api (docs/api.md); their paths before it keep answering,
	# for a monitoring system or a browser tab that still calls them
	**{
		f"support_contracts.{old}": f"support_contracts.api.{new}"
		for old, new in (
			("adapters.issue.clock_summary", "desk.clock_summary"),
			("adapters.issue.escalate", "desk.escalate"),
			("adapters.issue.log_proactive_action", "desk.log_proactive_action"),
			("adapters.issue.record_signoff", "desk.record_signoff"),
			(
				"support_contracts.doctype.on_call_pay_run.on_call_pay_run.export_csv",
				"desk.export_pay_run_csv",
			),
			("adapters.portal.promise_for", "portal.promise_for"),
			("adapters.portal.report_incident", "portal.report_incident"),
			("adapters.portal.reply", "portal.reply"),
			("adapters.portal.sign_off", "portal.sign_off"),
			("adapters.monitoring.new_token", "monitoring.new_token"),
			("adapters.monitoring.alert", "monitoring.alert"),
			("adapters.on_call.who_is_on_call", "on_call.who_is_on_call"),
			("adapters.on_call.feed_url", "on_call.feed_url"),
			("adapters.on_call.feed", "on_call.feed"),
			("support_contracts.doctype.support_calendar.support_calendar.preview", "calendars.preview"),
			(
				"support_contracts.doctype.support_calendar.support_calendar.closed_days",
				"calendars.closed_days",
			),
		)
	},
}
has_permission = {
	"Jour Week": "support_contracts.permissions.has_on_call_pay_permission",
	"Jour Activation": "support_contracts.permissions.has_on_call_pay_permission",
	"On-Call Pay Statement": "support_contracts.permissions.has_on_call_pay_permission",
	"Tag Link": "support_contracts.permissions.has_tag_link_permission",
}
