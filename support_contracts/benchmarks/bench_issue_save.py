"""What an Issue insert and save cost, side by side in one run (goal, issue 13: the app adds at most half
of what ERPNext's own SLA adds):

- **plain**: an Issue of a customer without a contract and without an ERPNext SLA — ERPNext as it is (the
  app's hooks only find that nothing governs it);
- **ERPNext SLA**: the same with ERPNext's own Service Level Agreement for the customer (Support Settings ›
  Track Service Level Agreement on, Mon–Fri 08–17, response 1 h, resolution 8 h);
- **governed**: an Issue of a customer with a Support Contract — the app's SLA clock, its ledger and the
  targets on record.

``n`` inserts of each kind, interleaved (one of each kind in turn, so that the machine's moods fall on
all three alike), then ``n`` saves of each (a changed description), interleaved the same way; printed is
the median per document, in ms. Everything is rolled back.

    bench --site SITE execute support_contracts.benchmarks.bench_issue_save.run [--kwargs "{'n': 300}"]
"""

import statistics
import time

import frappe

from support_contracts.tests.factories import make_calendar, make_contract, make_customer, make_tier

KINDS = ("plain", "ERPNext SLA", "governed")


def run(n: int = 300):
	n = int(n)
	frappe.db.savepoint("sc_bench_save")
	try:
		customers = {kind: make_customer(f"SC Bench Save {kind}") for kind in KINDS}
		tier = make_tier("SC Bench Save Tier", make_calendar("SC Bench Save Office"))
		make_contract(customers["governed"], tier)
		_erpnext_sla(customers["ERPNext SLA"])
		docs = {kind: [] for kind in KINDS}
		inserts = {kind: [] for kind in KINDS}
		saves = {kind: [] for kind in KINDS}
		for i in range(n):
			for kind in KINDS:
				doc = frappe.get_doc(
					{
						"doctype": "Issue",
						"subject": f"Bench {i}",
						"customer": customers[kind],
						"priority": "P1",
					}
				)
				t0 = time.perf_counter()
				doc.insert()
				inserts[kind].append(time.perf_counter() - t0)
				docs[kind].append(doc)
		for i in range(n):
			for kind in KINDS:
				doc = docs[kind][i]
				doc.description = "Called back, looking into it."
				t0 = time.perf_counter()
				doc.save()
				saves[kind].append(time.perf_counter() - t0)
		ms = {k: (statistics.median(inserts[k]) * 1000, statistics.median(saves[k]) * 1000) for k in KINDS}
		plain = ms["plain"]
		print(f"{'Issue':<14} {'insert ms':>10} {'save ms':>9}   added over plain (insert / save)")
		for kind in KINDS:
			ins, sav = ms[kind]
			added = "" if kind == "plain" else f"+{ins - plain[0]:.1f} / +{sav - plain[1]:.1f} ms"
			print(f"{kind:<14} {ins:>10.1f} {sav:>9.1f}   {added}")
		erp = [ms["ERPNext SLA"][i] - plain[i] for i in (0, 1)]
		app = [ms["governed"][i] - plain[i] for i in (0, 1)]
		print(
			f"the app adds {app[0] / erp[0]:.0%} (insert) and {app[1] / erp[1]:.0%} (save) of what ERPNext's "
			"own SLA adds (goal ≤ 50 %)"
		)
	finally:
		frappe.db.rollback(save_point="sc_bench_save")


def _erpnext_sla(customer: str) -> None:
	frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
	holidays = frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": "SC Bench Save Holidays",
			"from_date": "2026-01-01",
			"to_date": "2027-12-31",
		}
	).insert()
	days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
	frappe.get_doc(
		{
			"doctype": "Service Level Agreement",
			"service_level": "SC Bench Save SLA",
			"document_type": "Issue",
			"enabled": 1,
			"default_service_level_agreement": 0,
			"entity_type": "Customer",
			"entity": customer,
			"default_priority": "P1",
			"holiday_list": holidays.name,
			"apply_sla_for_resolution": 1,
			"priorities": [
				{
					"priority": p,
					"response_time": 3600,
					"resolution_time": 8 * 3600,
					"default_priority": p == "P1",
				}
				for p in ("P1", "P2", "P3")
			],
			"sla_fulfilled_on": [{"status": "Resolved"}, {"status": "Closed"}],
			"pause_sla_on": [{"status": "Replied"}],
			"support_and_resolution": [
				{"workday": d, "start_time": "08:00:00", "end_time": "17:00:00"} for d in days
			],
		}
	).insert()
