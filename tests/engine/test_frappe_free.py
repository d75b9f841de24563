"""The engine must stay frappe-free (docs/architecture.md): it runs where no bench exists."""

import ast
import pathlib
import subprocess
import sys

ENGINE = pathlib.Path(__file__).resolve().parents[2] / "support_contracts" / "engine"


def test_no_module_under_engine_imports_frappe():
	offenders = []
	files = sorted(ENGINE.rglob("*.py"))
	assert files, "engine sources not found"
	for path in files:
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			names = []
			if isinstance(node, ast.Import):
				names = [a.name for a in node.names]
			elif isinstance(node, ast.ImportFrom):
				names = [node.module or ""]
			offenders += [
				f"{path.name}: {n}" for n in names if n.split(".")[0] in ("frappe", "erpnext", "hrms")
			]
	assert offenders == []


def test_engine_imports_with_frappe_unimportable():
	code = (
		"import sys; sys.modules['frappe'] = None\n"
		"import importlib, pkgutil, support_contracts.engine as e\n"
		"for m in pkgutil.iter_modules(e.__path__): importlib.import_module('support_contracts.engine.' + m.name)\n"
		"print('ok')"
	)
	out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
	assert out.returncode == 0, out.stderr
	assert out.stdout.strip() == "ok"
