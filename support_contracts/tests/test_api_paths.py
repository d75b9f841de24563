"""Every public method answers at the path docs/api.md documents, and every path before the api package is
handed on to one (issue 30): the paths are the API, whatever moves behind them."""

import importlib
import pkgutil
import re
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

import support_contracts

DOC = Path(support_contracts.__file__).resolve().parent.parent / "docs" / "api.md"


def documented_paths() -> list[str]:
	return sorted(set(re.findall(r"`(support_contracts\.api\.[a-z_.]+)`", DOC.read_text())))


class TestApiPaths(FrappeTestCase):
	def test_each_documented_path_is_a_whitelisted_method(self):
		paths = documented_paths()
		self.assertGreaterEqual(len(paths), 15)
		for path in paths:
			fn = frappe.get_attr(path)
			self.assertIn(fn, frappe.whitelisted, path)

	def test_each_path_before_the_api_package_is_handed_on_to_a_documented_one(self):
		overrides = frappe.get_hooks("override_whitelisted_methods")
		old = {k: v[-1] for k, v in overrides.items() if k.startswith("support_contracts.")}
		self.assertIn("support_contracts.adapters.monitoring.alert", old)
		for path, new in old.items():
			self.assertIn(new, documented_paths(), path)
			self.assertIn(frappe.get_attr(new), frappe.whitelisted, new)

	def test_every_whitelisted_method_of_the_app_lives_in_api(self):
		"""Documents' own methods (a run's Preview) aside, a whitelisted function outside api/ would be a
		public path that moves with the code. Every module of the app is imported first, so that each
		whitelisted function is known whatever ran before."""
		for module in pkgutil.walk_packages(support_contracts.__path__, "support_contracts."):
			if ".tests." not in module.name and not module.name.endswith("__main__"):
				importlib.import_module(module.name)
		outside = [
			f"{fn.__module__}.{fn.__qualname__}"
			for fn in frappe.whitelisted
			if fn.__module__.startswith("support_contracts.")
			and not fn.__module__.startswith("support_contracts.api.")
			and "." not in fn.__qualname__  # methods of a document class
		]
		self.assertEqual(outside, [])
