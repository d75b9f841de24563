# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""This site served on loopback by Frappe's own WSGI app with its static files, in a child process, for the
tests that need the site over the network: the browser tests, and the PDF renderer (wkhtmltopdf loads the
print's style sheets from the site's own address, as it does in production). Only committed data is
visible to it."""

import os
import signal
import socket
import subprocess
import sys

import frappe
from frappe.utils import get_bench_path

from support_contracts.tests.factories import wait_until

SERVE = """
import sys
import frappe.app as app
from werkzeug.serving import run_simple
app._site, app._sites_path = sys.argv[1], "."
run_simple("127.0.0.1", int(sys.argv[2]), app.application_with_statics(), use_reloader=False, threaded=True)
"""


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


class SiteServer:
	"""``start()`` serves the site on a free loopback port (``url``); ``stop()`` ends it."""

	def __init__(self):
		self.port = free_port()
		self.url = f"http://127.0.0.1:{self.port}"
		self.process = None

	def start(self) -> "SiteServer":
		self.process = subprocess.Popen(
			[sys.executable, "-c", SERVE, frappe.local.site, str(self.port)],
			cwd=os.path.join(get_bench_path(), "sites"),
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
		)

		def up():
			try:
				with socket.create_connection(("127.0.0.1", self.port), timeout=1):
					return True
			except OSError:
				return False

		wait_until(up, 60, "the site to serve on loopback")
		return self

	def stop(self) -> None:
		self.process.send_signal(signal.SIGINT)  # werkzeug's server stops on an interrupt, not on SIGTERM
		try:
			self.process.wait(timeout=30)
		except subprocess.TimeoutExpired:
			self.process.kill()

	def __enter__(self) -> "SiteServer":
		return self.start()

	def __exit__(self, *exc) -> None:
		self.stop()
