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
