"""The app's own documents, named once: every one gets its input checked before a controller reads it
(``adapters/validation.check_input``), and a share never lifts anyone above their roles on them
(``permissions.validate_share``)."""

APP_DOCTYPES = (
	"Support Contract Settings",
	"Support Calendar",
	"Support Tier",
	"Support Contract",
	"Incident Fee",
	"Maintenance Window",
	"SLA Clock Event",
	"SLA Transition",
	"SLA Outcome",
	"Jour Pay Scheme",
	"Jour Week",
	"Jour Activation",
	"Hour Bank Ledger Entry",
	"Support Billing Run",
	"On-Call Pay Run",
	"On-Call Pay Statement",
)
