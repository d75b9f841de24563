"""Small factories for bench tests (like HRMS make_employee, Helpdesk make_ticket)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, get_bench_path, get_datetime
from frappe.utils.nestedset import get_root_of

from support_contracts.adapters.times import naive


class SCTestCase(FrappeTestCase):
	"""Each test rolls back to a savepoint, so every test starts from the same site."""

	def setUp(self):
		super().setUp()
		frappe.db.savepoint("sc_test")
		# mail is queued, never sent: sending "now" (as Frappe does for notifications in tests) would
		# commit the test's data; a muted site without an outgoing account would fail to queue it
		make_outgoing_email_account()
		self._muted, frappe.flags.mute_emails = frappe.flags.mute_emails, True

	def tearDown(self):
		frappe.flags.mute_emails = self._muted
		frappe.flags.current_time = None
		frappe.db.rollback(save_point="sc_test")
		frappe.local.document_cache = {}
		super().tearDown()


def make_calendar(name="SC Test Office", windows=None, **kw) -> str:
	"""Mon–Fri 08–17 Stockholm with Swedish public and de-facto holidays unless told otherwise."""
	if frappe.db.exists("Support Calendar", name):
		frappe.delete_doc("Support Calendar", name, force=True)
	windows = windows or [
		(day, "08:00:00", "17:00:00") for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
	]
	doc = frappe.get_doc(
		{
			"doctype": "Support Calendar",
			"calendar_name": name,
			"timezone": "Europe/Stockholm",
			"holiday_country": "SE",
			"close_public_holidays": 1,
			"close_de_facto_holidays": 1,
			"windows": [
				{"weekday": d, "all_day": 1}
				if a == b == "all day"
				else {"weekday": d, "from_time": a, "to_time": b}
				for d, a, b in windows
			],
			**kw,
		}
	)
	return doc.insert().name


def make_on_call_calendar(name="SC Test On-call") -> str:
	"""Ballou's on-call window (docs/rules.md A): 17–08 weekdays, weekends and holidays."""
	windows = [(d, "17:00:00", "08:00:00") for d in ("Monday", "Tuesday", "Wednesday", "Thursday")]
	windows += [
		("Friday", "17:00:00", "00:00:00"),
		("Saturday", "all day", "all day"),
		("Sunday", "all day", "all day"),
		("Monday", "00:00:00", "08:00:00"),
	]
	return make_calendar(name, windows, holidays_effect="Open")


def make_tier(name="SC Test Tier", calendar=None, targets=None, **kw) -> str:
	"""Targets: (priority, metric, kind, seconds) — default Trinax Alert! (docs/rules.md B: action start 1 h
	of 08–17 for P1, 8 h for P3) plus a 4 h resolution for P1."""
	calendar = calendar or make_calendar()
	if frappe.db.exists("Support Tier", name):
		frappe.delete_doc("Support Tier", name, force=True)
	targets = targets or [
		("P1", "Action Start", "Business Time", 3600),
		("P1", "Resolution", "Business Time", 4 * 3600),
		("P3", "Action Start", "Business Time", 8 * 3600),
	]
	doc = frappe.get_doc(
		{
			"doctype": "Support Tier",
			"tier_name": name,
			"business_calendar": calendar,
			"currency": "SEK",
			"hourly_rate": 850,
			"monthly_fee": 8000,
			"targets": [
				{
					"priority": p,
					"metric": m,
					"target_kind": k,
					"duration": s if k != "Business Days" else None,
					"business_days": s if k == "Business Days" else None,
				}
				for p, m, k, s in targets
			],
			**kw,
		}
	)
	return doc.insert().name


def make_customer(name="SC Test Customer") -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": get_root_of("Customer Group"),
				"territory": get_root_of("Territory"),
			}
		).insert()
	return name


def make_contact(customer: str, first_name: str, email: str) -> str:
	"""A Contact of ``customer`` with one (primary) e-mail address."""
	return (
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": first_name,
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_portal_contact(customer: str, email: str, first_name: str) -> str:
	"""A Contact of ``customer`` that is the website user ``email``'s (who must exist): who acts for the
	customer on the portal."""
	return (
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": first_name,
				"user": email,
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]


def log_work(issue: str, start, minutes: int, kind: str = "Remote", submit: bool = True):
	"""``minutes`` of ``kind`` work from ``start`` (aware or naive) on ``issue``, on a Timesheet of the
	default company — submitted, as an engineer logs it (``submit`` False: a draft); the Timesheet."""
	begin = get_datetime(naive(start) if getattr(start, "tzinfo", None) else start)
	ts = frappe.get_doc(
		{
			"doctype": "Timesheet",
			"company": company(),
			"time_logs": [
				{
					"from_time": begin,
					"to_time": add_to_date(begin, minutes=minutes),
					"hours": minutes / 60,
					"sc_issue": issue,
					"sc_work_kind": kind,
				}
			],
		}
	).insert(ignore_permissions=True)
	if submit:
		ts.submit()
	return ts


def make_contract(customer=None, tier=None, start="2026-01-01", end=None, **kw) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Support Contract",
			"customer": customer or make_customer(),
			"tier": tier or make_tier(),
			"start_date": start,
			"end_date": end,
			"status": "Active",
			**kw,
		}
	)
	return doc.insert().name


def make_issue(customer=None, opened=None, priority="P1", **kw):
	"""An Issue opened at ``opened`` (aware datetime), as an agent would log a phone call."""
	values = {
		"doctype": "Issue",
		"subject": kw.pop("subject", "Web shop down"),
		"customer": customer,
		"priority": priority,
		**kw,
	}
	if opened is not None:
		local = naive(opened)
		values["opening_date"], values["opening_time"] = local.date(), local.time()
	return frappe.get_doc(values).insert()


def delete_ticket_records(tickets: list[str], doctype: str = "Issue") -> None:
	"""What the app recorded of tickets a committing test made: their SLA ledgers and outcomes and incident
	fees — which refuse deletion through documents (append-only), as a ticket with a clock refuses it."""
	for ledger in ("SLA Clock Event", "SLA Transition", "SLA Outcome", "Incident Fee"):
		frappe.db.delete(ledger, {"ticket_type": doctype, "issue": ("in", list(tickets) or [""])})


def delete_committed_issues(customers: list[str]) -> None:
	"""For tests that commit (HTTP, browser): the Issues of ``customers`` and all the app recorded of them —
	their ledgers and outcomes, incident fees, comments, messages and assignments."""
	issues = frappe.get_all("Issue", filters={"customer": ("in", customers or [""])}, pluck="name") or [""]
	delete_ticket_records(issues)
	for doctype in ("Comment", "Communication", "ToDo"):
		frappe.db.delete(doctype, {"reference_name": ("in", issues)})
	frappe.db.delete("Issue", {"name": ("in", issues)})


def make_employee(first_name="Anna") -> str:
	existing = frappe.db.get_value("Employee", {"first_name": first_name, "last_name": "SC Test"})
	if existing:
		return existing
	company = frappe.defaults.get_global_default("company") or _first("Company")
	return (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": first_name,
				"last_name": "SC Test",
				"company": company,
				"gender": _first("Gender"),
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"status": "Active",
			}
		)
		.insert()
		.name
	)


def make_pay_scheme(name="SC Test Jour", **kw) -> str:
	"""EZY's Jour 2 (docs/rules.md C): 4,500 a week, +50 % holiday weeks, bands 290 / 400 / 600."""
	if frappe.db.exists("Jour Pay Scheme", name):
		frappe.delete_doc("Jour Pay Scheme", name, force=True)
	return (
		frappe.get_doc(
			{
				"doctype": "Jour Pay Scheme",
				"scheme_name": name,
				"currency": "SEK",
				"timezone": "Europe/Stockholm",
				"holiday_country": "SE",
				"level": "Jour 2",
				"stipend": 4500,
				"stipend_component": "On-call Stipend",
				"uplift_percent": 50,
				"bands": [
					{
						"band_name": "Band 1",
						"salary_component": "On-call Band 1",
						"rate": 290,
						"days": "Weekdays",
						"from_time": "06:00:00",
						"to_time": "22:00:00",
					},
					{
						"band_name": "Band 2",
						"salary_component": "On-call Band 2",
						"rate": 400,
						"days": "Weekends and Holidays",
						"from_time": "06:00:00",
						"to_time": "22:00:00",
					},
					{
						"band_name": "Band 3",
						"salary_component": "On-call Band 3",
						"rate": 600,
						"days": "All",
						"from_time": "22:00:00",
						"to_time": "06:00:00",
					},
				],
				**kw,
			}
		)
		.insert()
		.name
	)


def _first(doctype: str) -> str | None:
	names = frappe.get_all(doctype, pluck="name", limit=1, order_by="creation asc")
	if not names:
		frappe.throw(f"The test site has no {doctype}: complete ERPNext's setup wizard on it first.")
	return names[0]


def in_threads(work, count: int) -> list:
	"""Run ``work(i)`` in ``count`` threads at once, each on its own site connection and in its own
	transaction (committed when ``work`` returns, rolled back when it raises), started together behind a
	barrier. Returns per thread what ``work`` returned or the exception it raised."""
	site = frappe.local.site
	barrier = threading.Barrier(count)
	results: list = [None] * count

	def run(i):
		frappe.init(site=site)
		frappe.connect()
		try:
			barrier.wait(timeout=30)
			results[i] = work(i)
			frappe.db.commit()
		except Exception as e:
			frappe.db.rollback()
			results[i] = e
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
	for t in threads:
		t.start()
	for t in threads:
		t.join(timeout=120)
	return results


def make_outgoing_email_account() -> None:
	"""A default outgoing Email Account, where the site has none: Frappe refuses to queue mail without."""
	if frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
		return
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "SC Test Outgoing",
			"email_id": "support@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "127.0.0.1",
			"smtp_port": 25,
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)


def make_api_user(email: str, roles: tuple[str, ...], website_user: bool = False) -> dict:
	"""A user with ``roles`` and an API key; returns the request headers that authenticate as them."""
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": "Website User" if website_user else "System User",
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.add_roles(*roles)
	key, secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
	user.api_key, user.api_secret = key, secret
	user.save(ignore_permissions=True)
	return {"Authorization": f"token {key}:{secret}"}


def bench_process(*args: str, **popen) -> subprocess.Popen:
	"""``frappe <args>`` of this bench as its own process, from ``sites/`` (as ``bench`` runs it)."""
	cmd = [sys.executable, "-m", "frappe.utils.bench_helper", "frappe", *args]
	popen.setdefault("stdout", subprocess.DEVNULL)
	popen.setdefault("stderr", subprocess.DEVNULL)
	return subprocess.Popen(cmd, cwd=os.path.join(get_bench_path(), "sites"), env=os.environ.copy(), **popen)


def kill_mid_run(method: str, kwargs: dict, done) -> None:
	"""Run ``method(**kwargs)`` in its own process (``frappe execute``) and kill it with SIGKILL as soon as
	``done()`` — read on a fresh snapshot — counts one unit finished."""
	worker = bench_process("--site", frappe.local.site, "execute", method, "--kwargs", repr(kwargs))
	wait_until(lambda: (frappe.db.rollback(), done())[1] >= 1, 120, f"{method} to finish one unit", 0.05)
	os.kill(worker.pid, signal.SIGKILL)
	worker.wait(timeout=30)
	frappe.db.rollback()


@contextlib.contextmanager
def rq_workers(count: int, queue: str = "long"):
	"""``count`` real RQ workers (``frappe worker``, each its own process) listening on ``queue`` before
	the block starts — so jobs queued in it are shared among them as they come — and stopped after it.
	Yields the paths of their logs."""
	logs_dir = os.path.join(get_bench_path(), "logs")
	paths = [os.path.join(logs_dir, f"sc-test-worker-{i}.log") for i in range(count)]
	logs = [open(p, "w") for p in paths]
	procs = [bench_process("worker", "--queue", queue, stdout=log, stderr=subprocess.STDOUT) for log in logs]
	try:
		wait_until(lambda: all("Listening on" in open(p).read() for p in paths), 60, "workers to listen")
		wait_until(lambda: _queue_idle(queue), 300, f"the {queue} queue to finish others' jobs")
		yield paths
	finally:
		for p in procs:
			p.send_signal(signal.SIGTERM)  # RQ's warm shutdown: the job at hand is finished first
		for p in procs:
			try:
				p.wait(timeout=60)
			except subprocess.TimeoutExpired:
				p.kill()
		for log in logs:
			log.close()


def _queue_idle(queue: str) -> bool:
	"""Nothing waiting on the queue and nothing running (another test's or migrate's jobs), so that the
	block's own jobs meet idle workers."""
	from rq.registry import StartedJobRegistry

	from frappe.utils.background_jobs import get_queue

	q = get_queue(queue)
	return q.count == 0 and StartedJobRegistry(queue=q).count == 0


def jobs_done(log: str, runs) -> int:
	"""How many jobs of the given runs a worker's log reports done (the queue may hold others' jobs)."""
	return sum(1 for line in open(log) if "Job OK" in line and any(f"-{run.name}-" in line for run in runs))


def wait_until(condition, timeout: float, what: str, every: float = 0.2) -> None:
	deadline = time.monotonic() + timeout
	while not condition():
		if time.monotonic() > deadline:
			raise AssertionError(f"waited {timeout} s for {what}")
		time.sleep(every)
