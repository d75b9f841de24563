"""What the two money runs' documents share (Support Billing Run, On-Call Pay Run): the controller base class
— start or start again, resume an Interrupted run, look after its jobs — over ``adapters/runs.py``."""

from __future__ import annotations

from collections.abc import Callable

import frappe
from frappe import _
from frappe.model.document import Document

from support_contracts.adapters.runs import RUNNING, mark_interrupted, resume, start


class RunDocument(Document):
	"""What the two money runs' documents share (Support Billing Run, On-Call Pay Run): start or start
	again, resume an Interrupted run, look after its jobs. A run names its units (:meth:`units`), the job
	that does a chunk of them (``chunk_method``), a chunk's arguments (:meth:`chunk_kwargs`) and how a unit
	and a result row are matched (``unit_key``)."""

	chunk_method: Callable
	unit_key: Callable

	def units(self) -> list[dict]:
		raise NotImplementedError

	@staticmethod
	def chunk_kwargs(chunk: list[dict]) -> dict:
		raise NotImplementedError

	def check_start_permission(self) -> None:
		"""Who may start the run: write on it (a run adds what else its documents need)."""
		self.check_permission("write")

	def start_run(self) -> str:
		"""Start the run (again: its earlier results cleared), unless it runs; returns its status."""
		self.check_start_permission()
		if self.status in RUNNING and not mark_interrupted(self.doctype, self.name):
			frappe.throw(_("This run is already {0}.").format(_(self.status)), title=_("Run Started"))
		self.queue_chunks(now=bool(frappe.flags.in_test))
		return frappe.db.get_value(self.doctype, self.name, "status")

	def queue_chunks(self, now: bool = False) -> int:
		"""The run's units on the long queue in chunks, its earlier results cleared; returns how many
		chunks (``now``: run them here, as tests do)."""
		return start(self, self.units(), type(self).chunk_method, self.chunk_kwargs, now=now)

	@frappe.whitelist()
	def resume(self) -> str:
		"""Finish an Interrupted run: only the units without a result are queued."""
		self.check_start_permission()
		return self.resume_units()

	@frappe.whitelist()
	def check_interrupted(self) -> bool:
		"""Whether the run, Queued or In Progress, has lost its jobs and is now Interrupted."""
		self.check_permission("read")
		return mark_interrupted(self.doctype, self.name)

	def resume_units(self) -> str:
		if not mark_interrupted(self.doctype, self.name):
			frappe.throw(
				_("Only an Interrupted run is resumed; this one is {0}.").format(_(self.status)),
				title=_("Not Interrupted"),
			)
		cls = type(self)
		resume(
			self,
			self.units(),
			cls.unit_key,
			cls.chunk_method,
			self.chunk_kwargs,
			now=bool(frappe.flags.in_test),
		)
		return frappe.db.get_value(self.doctype, self.name, "status")
