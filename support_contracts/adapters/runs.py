"""A run that nobody watches, over many units — the invoicing run's contracts, the on-call pay run's
employees — as ERPNext's Payroll Entry does it, with exactly-once discipline (docs/architecture.md):

- the run's units go on the ``long`` queue in chunks (:func:`queue_chunks`), so several workers share it;
- each unit is one transaction at Read Committed: it sees what other workers committed, and a locking
  read of a key that does not exist yet takes no gap lock (two workers inserting neighbouring keys into
  one gap would deadlock); a deadlock that still happens is retried (:func:`run_units`);
- the work itself is idempotent by its own unique key, so a chunk run twice, two runs at once or a run
  again after a killed worker do each unit once;
- each unit's outcome is a row of the run's results, replaced if the unit runs again, and the run's
  progress and status are counted from those rows (:func:`update_progress`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import frappe
from frappe import _

ERROR = "Error"  # the outcome of a unit that failed; each run names its other outcomes
WORKERS = 4  # a run is split into at least this many jobs, so that as many workers can share it
CHUNK = (25, 250)  # units per job, at least and at most: each job pays a start-up (fork, site, caches)
PROGRESS_EVERY = 25  # units between two updates of the run's progress


class RunError(Exception):
	"""A unit that cannot be done, in words a clerk can act on."""


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


def queue_chunks(run, units: list, method, chunk_kwargs: Callable[[list], dict], now: bool = False) -> int:
	"""Put ``units`` of the run document on the long queue in chunks (``now``: run them here, as tests
	do); returns how many chunks."""
	run.db_set({"status": "Queued" if units else "Completed", "progress": 0 if units else 100})
	size = chunk_size(len(units))
	for i in range(0, len(units), size):
		frappe.enqueue(
			method,
			queue="long",
			job_id=f"{frappe.scrub(run.doctype)}-{run.name}-{i // size}",
			deduplicate=True,
			enqueue_after_commit=True,
			now=now,
			run=run.name,
			**chunk_kwargs(units[i : i + size]),
		)
	return -(-len(units) // size)


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
		run_doctype, run, {"progress": min(100, done * 100 / total), "status": status}, update_modified=False
	)
