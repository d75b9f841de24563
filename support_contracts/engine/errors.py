"""Errors raised by the engine: each names the field and the value that was wrong."""


class EngineError(ValueError):
	"""Bad input to the engine. ``field`` and ``value`` say exactly what was wrong."""

	def __init__(self, field: str, value, problem: str):
		self.field = field
		self.value = value
		self.problem = problem
		super().__init__(f"{field}: {problem} (got {value!r})")


class ConfigError(EngineError):
	"""A calendar, policy, tier or scheme definition that cannot be used."""


class InputError(EngineError):
	"""An event, time entry or other run-time input that cannot be used."""
