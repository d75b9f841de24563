app_name = "support_contracts"
app_title = "Support Contracts"
app_publisher = "support_contracts developers"
app_description = "Support contracts for ERPNext: exact business-time SLAs, on-call pay, incident fees, exactly-once billing"
app_email = "support-contracts@example.com"
app_license = "mit"

# "frappe/erpnext", not a bare "erpnext": a bare name makes `bench get-app` look the app up on GitHub by
# name (hrms does the same). Also declared in pyproject.toml [tool.bench.frappe-dependencies].
required_apps = ["frappe/erpnext"]

export_python_type_annotations = True

# Install, migrate, uninstall: custom fields on Issue and Timesheet Detail, roles, Issue priorities
after_install = "support_contracts.setup.install.after_install"
after_migrate = "support_contracts.setup.install.after_migrate"
before_uninstall = "support_contracts.setup.install.before_uninstall"

# Governed Issues: engine due times, pause/resume/reopen, first response, on-call labels and fees
doc_events = {
	"Issue": {
		"validate": "support_contracts.adapters.issue.validate",
		"on_update": "support_contracts.adapters.issue.on_update",
	},
	"Communication": {
		# on_update runs after Frappe has updated the Issue (status back to Open on an incoming email)
		"on_update": "support_contracts.adapters.issue.on_communication",
	},
}

# SLA enforcement: warning, breach, escalation — set-based, exactly once, every 5 minutes
scheduler_events = {
	"cron": {
		"*/5 * * * *": ["support_contracts.adapters.enforcement.enforce"],
	},
}

doctype_js = {"Issue": "public/js/issue.js"}
