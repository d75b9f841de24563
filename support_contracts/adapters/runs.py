"""A run that nobody watches, over many units — the invoicing run's contracts, the on-call pay run's
employees — as ERPNext's Payroll Entry does it, with exactly-once discipline (docs/architecture.md):

- the run's units go on the ``long`` queue in chunks (:func:`start`), so several workers share it; a run
  started again begins with no results;
- each unit is one transaction at Read Committed: it sees what other workers committed, and a locking
  read of a key that does not exist yet takes no gap lock (two workers inserting neighbouring keys into
  one gap would deadlock); a deadlock that still happens is retried (:func:`run_units`);
- the work itself is idempotent by its own unique key, so a chunk run twice, two runs at once or a run
  again after a killed worker do each unit once;
- each unit's outcome is a row of the run's results, replaced if the unit runs again, and the run's
  progress and status are counted from those rows (:func:`update_progress`);
- a run whose jobs are gone (a killed worker) and that has made no progress for a while is Interrupted
  (:func:`mark_interrupted`); Resume queues only its units without a result (:func:`resume`), and the
  daily scheduler does so by itself (:func:`look_after_runs`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from support_contracts.adapters.onboarding import mark_done
from support_contracts.adapters.settings import setting

ERROR = "Error"  # the outcome of a unit that failed; each run names its other outcomes
WORKERS = 4  # a run is split into at least this many jobs, so that as many workers can share it
CHUNK = (25, 250)  # units per job, at least and at most: each job pays a start-up (fork, site, caches)
PROGRESS_EVERY = 25  # units between two updates of the run's progress


class RunError(Exception):
	"""A unit that cannot be done, in words a clerk can act on."""


def default_date(run, month_field: str, date_field: str, before: int = 1, after: int = 1, default=None):
	"""An empty date of a run (before it is validated): ``default``, else today where today lies in the span
	:func:`check_period` accepts, else the month's first day."""
	from frappe.utils import add_months, get_first_day, get_last_day, getdate, today

	if run.get(date_field) or not run.get(month_field):
		return
	month = get_first_day(getdate(run.get(month_field)))
	first, last = get_first_day(add_months(month, -before)), get_last_day(add_months(month, after))
	run.set(date_field, default or (today() if first <= getdate(today()) <= last else month))


def check_period(run, month_field: str, date_field: str, before: int = 1, after: int = 1) -> None:
	"""A run's month is at most next month (a fee may be billed in advance; nothing further); its date
	lies from ``before`` months before the month to ``after`` months after it. Refused naming the field."""
	from frappe.utils import add_months, get_first_day, get_last_day, getdate, today

	month = getdate(run.get(month_field))
	latest = get_first_day(add_months(today(), 1))
	if month > latest:
		frappe.throw(
			_("{0} {1} is after next month ({2}): a run bills or pays months that have come.").format(
				frappe.bold(_(run.meta.get_label(month_field))),
				month.strftime("%Y-%m"),
				latest.strftime("%Y-%m"),
			),
			title=_("Month Too Far Ahead"),
		)
	date = getdate(run.get(date_field))
	first, last = get_first_day(add_months(month, -before)), get_last_day(add_months(month, after))
	if not first <= date <= last:
		frappe.throw(
			_("{0} {1} must lie from {2} to {3} for the month {4}.").format(
				frappe.bold(_(run.meta.get_label(date_field))), date, first, last, month.strftime("%Y-%m")
			),
			title=_("Date Outside the Period"),
		)


def start(run, units: list, method, chunk_kwargs: Callable[[list], dict], now: bool = False) -> int:
	"""Start the run document, or start it again: the results of an earlier start are cleared first (so its
	status and progress count this start only), then all ``units`` go on the long queue in chunks
	(``now``: run them here, as tests do); returns how many chunks."""
	frappe.db.delete(run.meta.get_field("results").options, {"parent": run.name})
	run.set("results", [])
	return _queue(run, units, method, chunk_kwargs, now)


def resume(run, units: list, key: Callable[[dict], str], method, chunk_kwargs, now: bool = False) -> int:
	"""Resume an Interrupted run: only the units without a result are queued (``key`` names a unit, and
	``key(None, result row)`` the unit of a result); returns how many chunks."""
	results = _results(run.doctype)
	done = {key(None, r) for r in frappe.get_all(results, filters={"parent": run.name}, fields=["*"])}
	todo = [u for u in units if key(u) not in done]
	if not todo:  # every unit has its result: the run ends as they say
		update_progress(run.doctype, results, run.name, len(units))
		return 0
	return _queue(run, todo, method, chunk_kwargs, now, resumed=True)


def _results(run_doctype: str) -> str:
	return frappe.get_meta(run_doctype).get_field("results").options


def _queue(run, units: list, method, chunk_kwargs, now: bool, resumed: bool = False) -> int:
	size = chunk_size(len(units))
	# new job ids at each start: a killed worker's job stays "started" in RQ, and Frappe would not queue
	# a job again under its id
	stamp = frappe.generate_hash(length=6)
	starts = range(0, len(units), size)
	jobs = [f"{frappe.scrub(run.doctype)}-{run.name}-{stamp}-{i // size}" for i in starts]
	if not units:
		state = {"status": "Completed", "progress": 100}
	else:
		state = {"status": "In Progress"} if resumed else {"status": "Queued", "progress": 0}
	run.db_set({**state, "last_progress": now_datetime(), "jobs": "\n".join(jobs)})
	for job_id, i in zip(jobs, starts, strict=True):
		frappe.enqueue(
			method,
			queue="long",
			job_id=job_id,
			deduplicate=True,
			enqueue_after_commit=True,
			now=now,
			run=run.name,
			**chunk_kwargs(units[i : i + size]),
		)
	return len(jobs)


# ---------------------------------------------------------------- runs that end
RUNNING = ("Queued", "In Progress")
HEARTBEAT_GRACE = 90  # s: RQ beats a running job's heartbeat every 30 s and gives it up 60 s after the last


def jobs_alive(jobs: str | None) -> bool:
	"""Whether any of the run's jobs (their ids, one a line) is still waiting or running: queued, or started
	by a worker whose heartbeat for it is recent. A job a killed worker held stays "started" in RQ, its
	heartbeat stopped."""
	from rq.utils import utcnow

	from frappe.utils.background_jobs import get_job

	for job_id in (jobs or "").split():
		job = get_job(job_id)
		if not job:
			continue
		status = job.get_status(refresh=False)
		if status in ("queued", "deferred", "scheduled"):
			return True
		if status == "started":
			beat = job.last_heartbeat or job.started_at
			if beat and (utcnow() - beat).total_seconds() < HEARTBEAT_GRACE:
				return True
	return False


def mark_interrupted(run_doctype: str, name: str) -> bool:
	"""A run that is Queued or In Progress, whose jobs are gone and that has made no progress for the time
	Support Contract Settings name, is Interrupted (Resume finishes it). Returns whether it now is."""
	run = frappe.db.get_value(
		run_doctype, name, ["status", "last_progress", "jobs"], as_dict=True, for_update=True
	)
	if not run or run.status not in RUNNING:
		return bool(run) and run.status == "Interrupted"
	window = dt.timedelta(minutes=setting("run_stalled_after"))
	if run.last_progress and now_datetime() - get_datetime(run.last_progress) < window:
		return False
	if jobs_alive(run.jobs):
		return False
	frappe.db.set_value(run_doctype, name, "status", "Interrupted", update_modified=False)
	return True


RUN_DOCTYPES = ("Support Billing Run", "On-Call Pay Run")


def look_after_runs() -> None:
	"""Daily: runs whose jobs are gone and that made no progress are Interrupted, and Interrupted runs are
	resumed (only their units without a result)."""
	for doctype in RUN_DOCTYPES:
		for name in frappe.get_all(doctype, filters={"status": ("in", RUNNING)}, pluck="name"):
			mark_interrupted(doctype, name)
			frappe.db.commit()
		for name in frappe.get_all(doctype, filters={"status": "Interrupted"}, pluck="name"):
			frappe.get_doc(doctype, name).resume_units()
			frappe.db.commit()


def chunk_size(units: int) -> int:
	"""Units per job: the run in ``WORKERS`` jobs, within ``CHUNK``'s bounds."""
	low, high = CHUNK
	return max(low, min(high, -(-units // WORKERS)))


def run_units(
	units: Sequence, work: Callable, store: Callable, progress: Callable | None = None, attempts: int = 3
) -> None:
	"""``work(unit)`` → outcome dict, each unit in its own Read Committed transaction; ``store(unit,
	outcome)`` records it in the same transaction as the work. An error is the unit's outcome, with
	nothing of its work kept. ``progress()`` is called every ``PROGRESS_EVERY`` units and at the end."""
	frappe.db.commit()
	frappe.db.sql("set session transaction isolation level read committed")
	try:
		for i, unit in enumerate(units, 1):
			store(unit, _attempt(work, unit, attempts))
			frappe.db.commit()
			if progress and (i % PROGRESS_EVERY == 0 or i == len(units)):
				progress()
				frappe.db.commit()
	finally:
		frappe.db.commit()
		frappe.db.sql("set session transaction isolation level repeatable read")


def _attempt(work, unit, attempts: int) -> dict:
	for attempt in range(attempts):
		try:
			return work(unit)
		except frappe.QueryDeadlockError:
			frappe.db.rollback()
			if attempt == attempts - 1:
				return {
					"outcome": ERROR,
					"message": _("Deadlocked {0} times; start the run again.").format(attempts),
				}
		except (RunError, frappe.ValidationError) as e:
			frappe.db.rollback()
			return {"outcome": ERROR, "message": strip(str(e))}
		except Exception:
			frappe.db.rollback()
			return {"outcome": ERROR, "message": strip(frappe.get_traceback(with_context=False))[-500:]}


def strip(text: str) -> str:
	return frappe.utils.strip_html(text or "").strip()


def store_result(run_doctype: str, result_doctype: str, run: str, unit: dict, outcome: dict) -> None:
	"""The unit's row of the run's results (``unit``: the fields that identify it; an empty one matches
	empty), replacing one an earlier attempt left."""
	row = frappe.qb.DocType(result_doctype)
	q = frappe.qb.from_(row).delete().where(row.parent == run)
	for field, value in unit.items():
		q = q.where((row[field] == value) if value else (row[field].isnull() | (row[field] == "")))
	q.run()
	frappe.get_doc(
		{
			"doctype": result_doctype,
			"name": frappe.generate_hash(length=10),
			"parent": run,
			"parenttype": run_doctype,
			"parentfield": "results",
			"idx": 0,
			**unit,
			**{k: v for k, v in outcome.items() if v is not None},
		}
	).db_insert()


def update_progress(run_doctype: str, result_doctype: str, run: str, total: int) -> None:
	"""Progress and status from the results so far (several chunks update it; each reads them all)."""
	frappe.db.get_value(run_doctype, run, "name", for_update=True)
	outcomes = frappe.get_all(result_doctype, filters={"parent": run}, pluck="outcome")
	done = len(outcomes)
	total = total or 1
	status = "In Progress"
	if done >= total:
		errors = outcomes.count(ERROR)
		status = "Failed" if errors == done else "Completed with Errors" if errors else "Completed"
	frappe.db.set_value(
		run_doctype,
		run,
		{"progress": min(100, done * 100 / total), "status": status, "last_progress": now_datetime()},
		update_modified=False,
	)
	if status in ("Completed", "Completed with Errors"):
		# the onboarding's "Run the First Billing Run" (adapters/onboarding.py)
		mark_done(doctype=run_doctype)
