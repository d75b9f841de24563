"""Optional demo data: the five example firms (docs/rules.md A–E) as Support Calendars, Tiers, Contracts
(with demo Customers) and Jour Pay Schemes. Never forced on a site; run it explicitly:

    bench --site SITE execute support_contracts.demo.site.make_demo
    bench --site SITE execute support_contracts.demo.site.make_demo --kwargs "{'firms': 'trinax,ballou'}"

Documents are written from the firm's structure (the YAML format, validated first by the one parser)
through ``adapters/firm/``, the same translation that reads them back. Idempotent: documents that exist
already are left as they are. Names are prefixed with the firm's name ("Trinax office", "Trinax Alert!").
"""

from __future__ import annotations

import frappe

from support_contracts.adapters import firm as firm_docs
from support_contracts.examples import firm_names, load_firm


def make_demo(firms: str | None = None) -> list[str]:
	"""Load example firms into the site and commit; returns what was created."""
	created = []
	for key in firms.split(",") if firms else firm_names():
		created += load_firm_into_site(key.strip())
	frappe.db.commit()
	return created


# what one unit of a firm's currency is worth in the company's, from 2026-01-01 (the examples' rates, not
# a market's): an invoice in another currency than the company's needs ERPNext's Currency Exchange
DEMO_RATES = {
	("NOK", "SEK"): "0.95",
	("SEK", "NOK"): "1.05",
	("EUR", "SEK"): "11.50",
	("EUR", "NOK"): "11.80",
}


def make_exchange_rate(currency: str, created: list[str]) -> None:
	"""A Currency Exchange from a firm's currency to each company's, where none is set: the demo's run
	bills every example firm without an error."""
	for company, company_currency in frappe.get_all(
		"Company", fields=["name", "default_currency"], as_list=True
	):
		if not currency or currency == company_currency:
			continue
		if frappe.db.exists(
			"Currency Exchange", {"from_currency": currency, "to_currency": company_currency}
		):
			continue
		rate = DEMO_RATES.get((currency, company_currency))
		if rate is None:
			continue
		frappe.get_doc(
			{
				"doctype": "Currency Exchange",
				"date": "2026-01-01",
				"from_currency": currency,
				"to_currency": company_currency,
				"exchange_rate": rate,
				"for_selling": 1,
				"for_buying": 1,
			}
		).insert()
		created.append(f"Currency Exchange: {currency} → {company_currency} {rate} ({company})")


def bill_in_currency(customer: str, currency: str, created: list[str]) -> None:
	"""A customer billed in another currency than a company's: ERPNext posts such an invoice to a
	receivable account in that currency — one per company (made where missing), named on the customer,
	whose Billing Currency it is."""
	doc = frappe.get_doc("Customer", customer)
	changed = False
	for company, company_currency, abbr in frappe.get_all(
		"Company", fields=["name", "default_currency", "abbr"], as_list=True
	):
		if not currency or currency == company_currency or doc.get("accounts", {"company": company}):
			continue
		account = f"Debtors {currency} - {abbr}"
		if not frappe.db.exists("Account", account):
			parent = frappe.db.get_value(
				"Account", {"company": company, "account_type": "Receivable", "is_group": 0}, "parent_account"
			)
			frappe.get_doc(
				{
					"doctype": "Account",
					"account_name": f"Debtors {currency}",
					"parent_account": parent,
					"company": company,
					"account_type": "Receivable",
					"account_currency": currency,
				}
			).insert()
			created.append(f"Account: {account}")
		doc.append("accounts", {"company": company, "account": account})
		changed = True
	if changed:
		doc.default_currency = currency
		doc.save()


def _insert(doc: dict, created: list[str]) -> str:
	name = (
		doc.get("calendar_name") or doc.get("tier_name") or doc.get("scheme_name") or doc.get("customer_name")
	)
	if frappe.db.exists(doc["doctype"], name):
		return name
	name = frappe.get_doc(doc).insert().name
	created.append(f"{doc['doctype']}: {name}")
	return name


def load_firm_into_site(key: str) -> list[str]:
	data = load_firm(key).data  # parsed once: a firm the engine refuses never reaches the site
	title = data.get("name") or key
	created: list[str] = []
	calendars = {
		name: _insert(firm_docs.calendar_document(f"{title} {name}", cal), created)
		for name, cal in (data.get("calendars") or {}).items()
	}
	make_exchange_rate(data.get("currency"), created)
	known = set(frappe.get_all("Issue Priority", pluck="name"))
	tiers = {}
	for tier_key, tier in (data.get("tiers") or {}).items():
		doc = firm_docs.tier_document(f"{title} {tier.get('title') or tier_key}", tier, calendars)
		doc["targets"] = [row for row in doc["targets"] if row["priority"] in known]
		doc["currency"] = doc.get("currency") or data.get("currency") or "SEK"
		tiers[tier_key] = _insert(doc, created)
		if not frappe.db.get_value("Support Tier", tiers[tier_key], "pricing_calendar"):
			# a tier loaded before tiers had a Pricing Calendar priced by its SLA calendar: given its own
			frappe.db.set_value("Support Tier", tiers[tier_key], "pricing_calendar", doc["pricing_calendar"])
	for scheme in (data.get("pay_schemes") or {}).values():
		_insert(firm_docs.pay_scheme_document(f"{title} {scheme.get('title')}", scheme), created)
	for c in data.get("contracts") or ():
		customer = _insert(
			{
				"doctype": "Customer",
				"customer_name": c.get("customer") or c["key"],
				"customer_group": frappe.get_all("Customer Group", pluck="name", limit=1)[0],
				"territory": frappe.get_all("Territory", pluck="name", limit=1)[0],
			},
			created,
		)
		tier = tiers[c["tier"]]
		bill_in_currency(customer, frappe.db.get_value("Support Tier", tier, "currency"), created)
		if frappe.db.exists("Support Contract", {"customer": customer, "tier": tier}):
			continue
		doc = frappe.get_doc(
			{
				"doctype": "Support Contract",
				"customer": customer,
				"tier": tier,
				"start_date": c.get("start"),
				"end_date": c.get("end"),
				"travel_zone": c.get("travel_zone"),
				"hourly_rate_override": (c.get("overrides") or {}).get("hourly_rate"),
				"on_call": 1 if c.get("on_call_calendar") else 0,
				"on_call_calendar": calendars.get(c.get("on_call_calendar")),
			}
		).insert()
		created.append(f"Support Contract: {doc.name}")
	return created


# ---------------------------------------------------------------- a month of work to bill
DEMO_WORK = (  # firm, contract, example inputs (examples/data), the billing month whose run bills them
	("trinax", "TRX-001", "trinax-2026-05-entries.csv", None, "2026-06"),
	("ballou", "BAL-002", "ballou-2026-06-entries.csv", "ballou-2026-06-incidents.csv", "2026-07"),
	("vmi", "VMI-001", "vmi-2026-03-entries.yaml", None, "2026-04"),
)


def make_demo_work() -> list[str]:
	"""Issues, submitted Timesheets and Incident Fees from the example inputs, so that a Support Billing
	Run has real work to bill (run it for the billing month shown). Idempotent: a customer's work is
	loaded once."""
	from support_contracts.demo.engine import DATA

	created = []
	for key, contract_key, entries, incidents, billed_in in DEMO_WORK:
		load_firm_into_site(key)
		customer = load_firm(key).contract(contract_key).customer
		if frappe.db.exists("Issue", {"customer": customer, "subject": ("like", "Demo %")}):
			continue
		work = load_work_into_site(
			customer,
			f"{DATA}/{entries}",
			f"{DATA}/{incidents}" if incidents else None,
			subject="Demo {0}",
		)
		created.append(
			f"{customer}: {len(work['issues'])} Issues, Timesheet {work['timesheet']} (bill in {billed_in})"
		)
	created += load_on_call_month_into_site()
	frappe.db.commit()
	return created


def load_work_into_site(
	customer: str,
	entries: str,
	incidents: str | None = None,
	*,
	subject: str = "{0}",
	company: str | None = None,
) -> dict:
	"""The work of an entries file (and the call-ins of an incidents file) as the Desk records it: an Issue
	per ticket, one submitted Timesheet with a row per entry, an Incident Fee per call-in. Returns the
	names made: ``issues`` (ticket → Issue), ``timesheet``, ``incident_fees``."""
	from frappe.utils import add_to_date

	from support_contracts.adapters.billing import KIND
	from support_contracts.adapters.times import naive
	from support_contracts.inputs import load_entries, load_incidents

	kind_label = {word: label for label, word in KIND.items()}
	contract = frappe.db.get_value("Support Contract", {"customer": customer}, ["name", "tier"], as_dict=True)
	issues: dict[str, str] = {}
	fees = []
	priorities = (
		[r.priority for r in frappe.get_doc("Support Tier", contract.tier).targets] if contract else []
	)
	# P3, or the least urgent priority the contract's tier knows (Pindena's SSA-L categories: Minor)
	priority = "P3" if not priorities or "P3" in priorities else priorities[-1]

	def issue(ticket):
		if ticket not in issues:
			doc = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": subject.format(ticket),
					"customer": customer,
					"priority": priority,
				}
			)
			issues[ticket] = doc.insert(ignore_permissions=True).name
		return issues[ticket]

	for inc in load_incidents(incidents, None) if incidents else ():
		name = issue(inc.ticket)
		fee = frappe.db.get_value("Incident Fee", {"issue": name})  # made by an Issue in an on-call window
		if fee:
			frappe.db.set_value("Incident Fee", fee, "called_at", naive(inc.at))
		else:
			tier = frappe.get_doc("Support Tier", contract.tier)
			fee = (
				frappe.get_doc(
					{
						"doctype": "Incident Fee",
						"issue": name,
						"customer": customer,
						"support_contract": contract.name,
						"called_at": naive(inc.at),
						"fee": tier.incident_fee,
						"currency": tier.currency,
						"included_minutes": tier.incident_included_minutes,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		fees.append(fee)
	logs = []
	for e in load_entries(entries, None):
		begin = naive(e.start)
		logs.append(
			{
				"from_time": begin,
				"to_time": add_to_date(begin, minutes=e.minutes),
				"hours": e.minutes / 60,
				"sc_issue": issue(e.ticket),
				"sc_work_kind": kind_label[e.kind],
				"sc_warranty": int(e.warranty),
				"sc_urgent": int(e.urgent),
			}
		)
	company = (
		company or frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]
	)
	ts = frappe.get_doc({"doctype": "Timesheet", "company": company, "time_logs": logs})
	ts.insert(ignore_permissions=True)
	ts.submit()
	return {"issues": issues, "timesheet": ts.name, "incident_fees": fees}


# ---------------------------------------------------------------- an on-call month to pay
DEMO_ON_CALL = ("ezy", "ezy-2026-06-jour-weeks.csv", "ezy-2026-06-activations.csv", "2026-06")


def load_on_call_month_into_site() -> list[str]:
	"""EZY's June 2026 on-call month (examples/data): an Employee per person, their Jour Weeks and Jour
	Activations, and — with HRMS — a 30,000 monthly salary, so that an On-Call Pay Run for June has work
	to pay. Idempotent."""
	from support_contracts.adapters.payroll import hrms_installed, make_salary_components
	from support_contracts.adapters.times import naive
	from support_contracts.demo.engine import DATA
	from support_contracts.inputs import load_activations, load_on_call_weeks

	key, weeks_file, activations_file, month = DEMO_ON_CALL
	load_firm_into_site(key)
	data = load_firm(key).data
	scheme = next(iter((data.get("pay_schemes") or {}).values()))
	scheme_name = f"{data.get('name') or key} {scheme.get('title')}"
	company = frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]
	created: list[str] = []
	weeks = load_on_call_weeks(f"{DATA}/{weeks_file}")
	activations = load_activations(f"{DATA}/{activations_file}")
	people = dict.fromkeys([w.employee for w in weeks] + [a.employee for a in activations])
	employees = {person: _demo_employee(person, company, created) for person in people}
	for w in weeks:
		employee = employees[w.employee]
		if not frappe.db.exists("Jour Week", {"employee": employee, "iso_year": w.year, "iso_week": w.week}):
			doc = {"doctype": "Jour Week", "employee": employee, "scheme": scheme_name}
			frappe.get_doc({**doc, "iso_year": w.year, "iso_week": w.week}).insert()
			created.append(f"Jour Week: {employee} {w.label}")
	for a in activations:
		employee, start = employees[a.employee], naive(a.start)
		if not frappe.db.exists("Jour Activation", {"employee": employee, "from_time": start}):
			doc = {"doctype": "Jour Activation", "employee": employee, "from_time": start}
			frappe.get_doc({**doc, "to_time": naive(a.end)}).insert()
			created.append(f"Jour Activation: {employee} {start:%Y-%m-%d %H:%M}")
	if hrms_installed():
		make_salary_components()
		created += _demo_salaries(company, list(employees.values()))
	created.append(f"On-call month {month}: create an On-Call Pay Run for it")
	return created


def _demo_employee(person: str, company: str, created: list[str]) -> str:
	first, _, last = person.replace(".", " ").title().partition(" ")
	name = frappe.db.get_value("Employee", {"first_name": first, "last_name": last, "company": company})
	if name:
		return name
	doc = frappe.get_doc(
		{
			"doctype": "Employee",
			"first_name": first,
			"last_name": last,
			"company": company,
			"gender": frappe.get_all("Gender", pluck="name", limit=1)[0],
			"date_of_birth": "1990-01-01",
			"date_of_joining": "2020-01-01",
			"status": "Active",
		}
	).insert()
	created.append(f"Employee: {doc.name} ({first} {last})")
	return doc.name


def _demo_salaries(company: str, employees: list[str]) -> list[str]:
	"""A monthly salary structure paying its base (30,000) to each demo employee without one."""
	created = []
	structure, currency = (
		"Demo Monthly Salary",
		frappe.get_cached_value("Company", company, "default_currency"),
	)
	if not frappe.db.exists("Salary Component", "Demo Basic"):
		frappe.get_doc(
			{
				"doctype": "Salary Component",
				"salary_component": "Demo Basic",
				"type": "Earning",
				"depends_on_payment_days": 0,
			}
		).insert()
	if not frappe.db.exists("Salary Structure", structure):
		earning = {"salary_component": "Demo Basic", "amount_based_on_formula": 1, "formula": "base"}
		frappe.get_doc(
			{
				"doctype": "Salary Structure",
				"name": structure,
				"company": company,
				"payroll_frequency": "Monthly",
				"currency": currency,
				"is_active": "Yes",
				"earnings": [{**earning, "depends_on_payment_days": 0}],
			}
		).insert().submit()
		created.append(f"Salary Structure: {structure}")
	for e in employees:
		if frappe.db.exists("Salary Structure Assignment", {"employee": e, "docstatus": 1}):
			continue
		frappe.get_doc(
			{
				"doctype": "Salary Structure Assignment",
				"employee": e,
				"salary_structure": structure,
				"company": company,
				"currency": currency,
				"from_date": "2026-01-01",
				"base": 30000,
			}
		).insert().submit()
		created.append(f"Salary Structure Assignment: {e}")
	return created
