"""The five firms of ``docs/rules.md`` as shipped example configuration (YAML data files).

``load_firm("trinax")`` reads ``trinax.yaml`` beside this file; ``load_firm(path)`` reads any file of the
same format (documented in ``docs/formats.md``).
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from support_contracts.engine.config import Firm
from support_contracts.engine.errors import ConfigError

HERE = Path(__file__).parent


def firm_names() -> list[str]:
	return sorted(p.stem for p in HERE.glob("*.yaml"))


def read_data(name_or_path: str) -> dict:
	path = Path(name_or_path)
	if not path.suffix:
		path = HERE / f"{name_or_path}.yaml"
	if not path.is_file():
		raise ConfigError(
			"firm", name_or_path, f"no such example firm or file; examples: {', '.join(firm_names())}"
		)
	with path.open(encoding="utf-8") as f:
		try:
			return yaml.safe_load(f)
		except yaml.YAMLError as e:
			raise ConfigError("firm", str(path), f"not valid YAML: {e}") from None


@functools.lru_cache(maxsize=32)
def load_firm(name_or_path: str) -> Firm:
	return Firm(read_data(name_or_path))
