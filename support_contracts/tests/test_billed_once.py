"""Billed once, whatever happens around the run (issue 29, docs/rules.md B3): the ERPNext documents the run
reads and marks — Timesheets, Incident Fees, the run's fields on Sales Invoice — cannot be changed so that
the same work is billed again; where a firm lets billed work be corrected, the correction is billed as the
difference; and the hour-bank ledger always agrees with the invoices (the Hour Bank Check)."""

import frappe
from frappe.utils import add_to_date, get_datetime

from support_contracts.adapters import billing
from support_contracts.adapters.billing import hour_bank
from support_contracts.demo.site import load_firm_into_site
from support_contracts.tests.factories import make_customer
from support_contracts.tests.test_billing import NORDVIK, BillingCase, company

BALLOU_WALK_IN = "Ballou No contract (utan avtal)"


class BilledOnceCase(BillingCase):
	def tearDown(self):
		frappe.db.rollback()
		frappe.db.set_single_value("Support Contract Settings", "correct_billed_work", 0)
		# amendments the tests made, and the fees of walk-ins (BillingCase removes the rest)
		for name in getattr(self, "amended", []):
			if frappe.db.get_value("Timesheet", name, "docstatus") == 1:
				frappe.db.set_value("Timesheet Detail", {"parent": name}, "sales_invoice", None)
		frappe.db.commit()
		super().tearDown()

	def allow_corrections(self):
		frappe.db.set_single_value("Support Contract Settings", "correct_billed_work", 1)
		frappe.db.commit()

	def amend(self, timesheet: str, minutes: int) -> str:
		"""Cancel the Timesheet and submit its amendment with its first row lasting ``minutes``."""
		ts = frappe.get_doc("Timesheet", timesheet)
		ts.cancel()
		new = frappe.copy_doc(ts)
		new.update({"amended_from": ts.name, "docstatus": 0})
		row = new.time_logs[0]
		row.to_time = add_to_date(get_datetime(row.from_time), minutes=minutes)
		row.hours = minutes / 60
		new.insert(ignore_permissions=True)
		new.submit()
		frappe.db.commit()
		self.amended = [*getattr(self, "amended", []), new.name]
		return self.keep("Timesheet", new.name)

	def walk_in_call_in(self, at: str, minutes: int) -> tuple[str, str, str]:
		"""Ballou's list price for a customer without a contract (4,500 per call-in including 1 h; 950/h,
		weekends × 2.0, per started hour): a call-in at ``at`` and its work. Returns the customer, the
		Issue and the Timesheet."""
		load_firm_into_site("ballou")
		frappe.db.set_single_value("Support Contract Settings", "list_price_tier", BALLOU_WALK_IN)
		customer = self.keep("Customer", make_customer("SC Once Walk-in"))
		self.walk_ins.append(customer)
		issue = self.issue(customer, "Web shop down")
		fee = frappe.get_doc(
			{
				"doctype": "Incident Fee",
				"issue": issue,
				"customer": customer,
				"called_at": at,
				"fee": 4500,
				"currency": "SEK",
				"included_minutes": 60,
			}
		).insert(ignore_permissions=True)
		self.keep("Incident Fee", fee.name)
		ts = self.timesheet([(issue, at, minutes, "Remote", False)])
		frappe.db.commit()
		return customer, issue, ts

	def bill_walk_in(self, customer: str, year: int, month: int) -> dict:
		out = billing.bill_contract(
			None,
			year,
			month,
			company=company(),
			posting_date=f"{year}-{month:02d}-01",
			customer=customer,
		)
		frappe.db.commit()
		return out

	def total(self, si: str) -> float:
		return frappe.db.get_value("Sales Invoice", si, "net_total")


class TestTimesheets(BilledOnceCase):
	def test_a_billed_timesheet_is_not_cancelled_while_its_invoice_stands(self):
		contract = self.trinax_contract()
		issue = self.issue(NORDVIK)
		ts = self.timesheet([(issue, "2026-05-05 09:00", 120, "Remote", False)])
		frappe.db.commit()
		si = self.bill(contract)["sales_invoice"]
		frappe.db.commit()
		with self.assertRaisesRegex(
			frappe.ValidationError, f"{ts} is billed: row 1 on {si}.*delete the draft {si}"
		):
			frappe.get_doc("Timesheet", ts).cancel()
		frappe.db.rollback()
		frappe.get_doc("Sales Invoice", si).submit()
		frappe.db.commit()
		with self.assertRaisesRegex(frappe.ValidationError, f"cancel {si}.*Support Billing Run for 2026-06"):
			frappe.get_doc("Timesheet", ts).cancel()
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Timesheet", ts, "docstatus"), 1)

		# the invoice cancelled, the work corrected (2 h → 3 h) is billed once by the next run of June
		frappe.get_doc("Sales Invoice", si).cancel()
		frappe.db.commit()
		self.amend(ts, 180)
		again = self.bill(contract)
		frappe.db.commit()
		self.assertEqual(again["outcome"], billing.INVOICED)
		bank = {p["period"]: p for p in billing.hour_bank_balance(contract)}["Q2 2026"]
		self.assertEqual(-bank["Consumption"], 180)  # not 120 + 180
		self.assertEqual(hour_bank.check(contract), [])

	def test_an_update_after_submit_does_not_clear_a_billed_rows_invoice(self):
		contract = self.trinax_contract()
		issue = self.issue(NORDVIK)
		ts = self.timesheet([(issue, "2026-05-05 09:00", 120, "Remote", False)])
		frappe.db.commit()
		si = self.bill(contract)["sales_invoice"]
		frappe.db.commit()
		doc = frappe.get_doc("Timesheet", ts)
		doc.time_logs[0].sales_invoice = None
		with self.assertRaisesRegex(
			frappe.ValidationError, f"row 1: .*Sales Invoice.* is set by the invoicing run \\({si}\\)"
		):
			doc.save()
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Timesheet Detail", {"parent": ts}, "sales_invoice"), si)
		# a July run finds nothing late to bill again
		july = self.bill(contract, 2026, 7)
		frappe.db.commit()
		items = frappe.get_all(
			"Sales Invoice Item", filters={"parent": july["sales_invoice"]}, pluck="description"
		)
		self.assertFalse([d for d in items if d.startswith("Late")], items)

	def test_a_cancelled_billed_timesheet_is_not_deleted(self):
		self.allow_corrections()
		contract = self.trinax_contract()
		issue = self.issue(NORDVIK)
		ts = self.timesheet([(issue, "2026-05-05 09:00", 120, "Remote", False)])
		frappe.db.commit()
		si = self.bill(contract)["sales_invoice"]
		frappe.db.commit()
		frappe.get_doc("Timesheet", ts).cancel()
		frappe.db.commit()
		with self.assertRaisesRegex(frappe.ValidationError, f"cannot be deleted: its work is on {si}"):
			frappe.delete_doc("Timesheet", ts)
		frappe.db.rollback()


class TestCorrections(BilledOnceCase):
	def test_a_call_in_corrected_after_billing_is_billed_as_the_difference(self):
		"""Saturday 12 September 2026, a walk-in's call-in billed in October as 60 min (4,500, its hour
		included); the Timesheet is then corrected to 70 min. December's run bills one more started hour,
		1,900 (950 × 2.0), on a line naming the October invoice: 6,400 in all, not 4,500 + 3,800."""
		self.allow_corrections()
		customer, _issue, ts = self.walk_in_call_in("2026-09-12 10:00", 60)
		october = self.bill_walk_in(customer, 2026, 10)
		self.assertEqual(self.total(october["sales_invoice"]), 4500)
		self.amend(ts, 70)

		december = self.bill_walk_in(customer, 2026, 12)
		self.assertEqual(december["outcome"], billing.INVOICED)
		items = frappe.get_all(
			"Sales Invoice Item",
			filters={"parent": december["sales_invoice"]},
			fields=["description", "amount"],
		)
		self.assertEqual([i.amount for i in items], [1900])
		self.assertIn(f"Correction of {october['sales_invoice']} (2026-09)", items[0].description)
		self.assertEqual(self.total(october["sales_invoice"]) + self.total(december["sales_invoice"]), 6400)
		# and once: January bills nothing more of it
		self.assertEqual(self.bill_walk_in(customer, 2027, 1)["outcome"], billing.NOTHING)

	def test_cancelling_the_correction_invoice_lets_the_next_run_bill_the_correction_once_more(self):
		self.allow_corrections()
		customer, _issue, ts = self.walk_in_call_in("2026-09-12 10:00", 60)
		self.bill_walk_in(customer, 2026, 10)
		self.amend(ts, 130)  # 3 started hours: 2 beyond the included one, 3,800
		november = self.bill_walk_in(customer, 2026, 11)
		self.assertEqual(self.total(november["sales_invoice"]), 3800)
		frappe.get_doc("Sales Invoice", november["sales_invoice"]).submit()
		frappe.get_doc("Sales Invoice", november["sales_invoice"]).cancel()
		frappe.db.commit()
		december = self.bill_walk_in(customer, 2026, 12)
		self.assertEqual(self.total(december["sales_invoice"]), 3800)

	def test_corrected_bank_work_draws_the_bank_once(self):
		"""Trinax Alert! (15 h a quarter): May's 5 h of remote work billed from the bank on June's invoice,
		its Timesheet then cancelled and amended unchanged — the bank keeps 10 h (not 15 → 10 → 5); amended
		to 6 h, it draws one more hour, and the ledger agrees with the invoices throughout."""
		self.allow_corrections()
		contract = self.trinax_contract()
		issue = self.issue(NORDVIK)
		ts = self.timesheet([(issue, "2026-05-05 09:00", 300, "Remote", False)])
		frappe.db.commit()
		self.bill(contract)
		frappe.db.commit()

		def left():
			return {p["period"]: p for p in billing.hour_bank_balance(contract)}["Q2 2026"]["balance"]

		self.assertEqual(left(), 600)
		ts = self.amend(ts, 300)
		july = self.bill(contract, 2026, 7)
		frappe.db.commit()
		self.assertEqual(left(), 600)
		self.assertEqual(hour_bank.check(contract), [])
		self.assertEqual(self.total(july["sales_invoice"]), 8000)  # July's fee only

		self.amend(ts, 360)
		august = self.bill(contract, 2026, 8)
		frappe.db.commit()
		self.assertEqual(left(), 540)
		self.assertEqual(self.total(august["sales_invoice"]), 8000)  # the hour came from the bank
		bank_lines = frappe.get_all(
			"Sales Invoice Item",
			filters={"parent": august["sales_invoice"], "sc_bank_period": "Q2 2026"},
			pluck="sc_bank_minutes",
		)
		self.assertEqual(sum(bank_lines), 60)
		self.assertEqual(hour_bank.check(contract), [])


class TestIncidentFees(BilledOnceCase):
	def test_a_billed_incident_fee_is_neither_deleted_nor_changed_while_its_invoice_stands(self):
		customer, issue, _ts = self.walk_in_call_in("2026-09-12 10:00", 60)
		si = self.bill_walk_in(customer, 2026, 10)["sales_invoice"]
		fee = frappe.db.get_value("Incident Fee", {"issue": issue})
		with self.assertRaisesRegex(frappe.ValidationError, f"{fee} is billed on {si} and cannot be deleted"):
			frappe.delete_doc("Incident Fee", fee)
		frappe.db.rollback()
		doc = frappe.get_doc("Incident Fee", fee)
		doc.fee = 0
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be changed \\(Fee\\)"):
			doc.save()
		frappe.db.rollback()
		# nothing to bill again in November
		self.assertEqual(self.bill_walk_in(customer, 2026, 11)["outcome"], billing.NOTHING)
		# the invoice deleted (a draft), the fee is free and may go
		frappe.delete_doc("Sales Invoice", si)
		frappe.delete_doc("Incident Fee", fee)
		frappe.db.commit()
		self.assertFalse(frappe.db.exists("Incident Fee", fee))


class TestRunFields(BilledOnceCase):
	def test_an_invoice_made_by_hand_does_not_squat_a_contracts_month(self):
		contract = self.trinax_contract()
		frappe.db.commit()
		by_hand = frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"company": company(),
				"customer": NORDVIK,
				"posting_date": "2026-06-01",
				"set_posting_time": 1,
				"sc_support_contract": contract,
				"sc_billing_period": "2026-06",
				"sc_billing_key": f"{contract}|2026-06",
				"items": [{"item_code": "SUPPORT-FEE", "qty": 1, "rate": 1}],
			}
		)
		with self.assertRaisesRegex(
			frappe.ValidationError, "Support Contract.* is written by the Support Billing Run only"
		):
			by_hand.insert()
		frappe.db.rollback()
		result = self.bill(contract)
		frappe.db.commit()
		self.assertEqual(result["outcome"], billing.INVOICED)

		# nor are they changed on the run's own invoice
		si = frappe.get_doc("Sales Invoice", result["sales_invoice"])
		si.sc_billing_period = "2026-07"
		with self.assertRaisesRegex(
			frappe.ValidationError, "Billing Month.* is written by the Support Billing Run only"
		):
			si.save()
		frappe.db.rollback()


class TestHourBankCheck(BilledOnceCase):
	def test_the_check_finds_every_way_the_ledger_can_disagree(self):
		contract = self.trinax_contract()
		issue = self.issue(NORDVIK)
		ts = self.timesheet([(issue, "2026-05-05 09:00", 120, "Remote", False)])
		frappe.db.commit()
		si = self.bill(contract)["sales_invoice"]
		frappe.db.commit()
		self.assertEqual(hour_bank.check(contract), [])
		row = frappe.db.get_value("Timesheet Detail", {"parent": ts}, "name")

		# a consumption row that no invoice line shows
		led = frappe.get_doc(
			"Hour Bank Ledger Entry", {"support_contract": contract, "entry_type": "Consumption"}
		)
		frappe.db.sql("update `tabHour Bank Ledger Entry` set minutes = -180 where name = %s", led.name)
		problems = hour_bank.check(contract)
		self.assertIn(
			"The ledger counts 180 min used in Q2 2026; the standing invoices' bank lines show 120 min.",
			[p["problem"] for p in problems],
		)
		self.assertTrue(
			[p for p in problems if p.get("time_entry") == row and "more than once" in p["problem"]]
		)
		frappe.db.rollback()

		# the invoice cancelled behind the run's back: its rows still count
		frappe.db.sql("update `tabSales Invoice` set docstatus = 2 where name = %s", si)
		self.assertTrue(
			[p for p in hour_bank.check(contract) if f"counts for {si}, which is cancelled" in p["problem"]]
		)
		frappe.db.rollback()

		# the same work billed twice, as the app let it happen before (an amendment billed late)
		frappe.db.sql("update `tabTimesheet` set docstatus = 2 where name = %s", ts)
		amended = frappe.copy_doc(frappe.get_doc("Timesheet", ts))
		amended.update({"amended_from": ts, "docstatus": 0})
		amended.time_logs[0].sales_invoice = None
		amended.insert(ignore_permissions=True)
		frappe.db.sql("update `tabTimesheet` set docstatus = 1 where name = %s", amended.name)
		frappe.db.sql(
			"update `tabTimesheet Detail` set sales_invoice = %s where parent = %s", (si, amended.name)
		)
		twice = [p for p in hour_bank.check(contract) if "the same work twice" in p["problem"]]
		self.assertEqual(len(twice), 1, twice)
		frappe.db.rollback()

		self.assertEqual(hour_bank.check(contract), [])
