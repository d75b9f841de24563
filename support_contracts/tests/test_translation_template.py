# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""``locale/main.pot`` is what Frappe's own extraction (``generate-pot-file``) finds in the app now — the
engine test ``tests/engine/test_translations.py`` reads it to check that every string is in sv.po and
nb.po — and the compiled catalogues answer in Swedish and Norwegian on the site.

After adding or changing strings, write the template again and translate what is new:

    bench --site SITE execute support_contracts.tests.test_translation_template.write_template
"""

import tempfile
from pathlib import Path
from unittest.mock import patch

from babel.messages.pofile import read_po

import frappe
from frappe.gettext import translate
from frappe.gettext.extractors import navbar
from frappe.tests.utils import FrappeTestCase

import support_contracts

APP_ROOT = Path(support_contracts.__file__).resolve().parent.parent  # the checkout under test
TEMPLATE = APP_ROOT / "support_contracts" / "locale" / "main.pot"


def write_template(path: str | Path = TEMPLATE) -> str:
	"""Frappe's ``generate_pot`` for this app, written to ``path``. It is pointed at this checkout (which
	need not lie in the bench's apps folder): its root, its .gitignore, and its hooks.py for the navbar
	extractor."""
	import git

	repo = git.Repo(APP_ROOT, search_parent_directories=True)
	module_path = frappe.get_pymodule_path
	with (
		patch.object(translate, "get_pot_path", return_value=Path(path)),
		patch.object(
			frappe,
			"get_pymodule_path",
			side_effect=lambda app, *p: str(APP_ROOT) if app == "support_contracts" else module_path(app, *p),
		),
		patch.object(
			translate,
			"get_is_gitignored_function_for_app",
			return_value=lambda d: bool(repo.ignored([d.rstrip("/")])),
		),
		patch.object(navbar, "get_bench_path", return_value=str(APP_ROOT.parent.parent)),
	):
		translate.generate_pot("support_contracts")
	return str(path)


def msgids(path: Path) -> set[str]:
	with open(path, "rb") as f:
		return {m.id for m in read_po(f) if m.id}


class TestTranslationTemplate(FrappeTestCase):
	def test_the_template_holds_every_string_the_app_has_now(self):
		with tempfile.TemporaryDirectory() as tmp:
			fresh = msgids(Path(write_template(Path(tmp) / "main.pot")))
		committed = msgids(TEMPLATE)
		self.assertIn("SLA Compliance", fresh)
		self.assertEqual(
			sorted(fresh - committed),
			[],
			"strings missing from locale/main.pot: write it again (see this module) and translate them",
		)
		self.assertEqual(sorted(committed - fresh), [], "locale/main.pot holds strings the app no longer has")

	def test_the_desk_answers_in_swedish_and_norwegian(self):
		# what the site's compiled catalogues give is what the .po files say (Frappe's "no" is Bokmål)
		for lang, po in (("sv", "sv"), ("nb", "nb"), ("no", "nb")):
			with open(TEMPLATE.parent / f"{po}.po", "rb") as f:
				catalogue = read_po(f)
			for msgid in ("SLA Compliance", "Hour Bank Usage", "Support Contract", "Contract SLA Status"):
				with self.subTest(lang=lang, msgid=msgid):
					expected = catalogue[msgid].string
					self.assertTrue(expected)
					self.assertNotEqual(expected, msgid)
					self.assertEqual(frappe._(msgid, lang=lang), expected)
