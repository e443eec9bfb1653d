"""Data shipped with the skills app: Trellis's own example framework."""

import json
from functools import cache
from pathlib import Path

EXAMPLE_FRAMEWORK = Path(__file__).resolve().parent / "example_framework.json"


def example_framework_bytes() -> bytes:
    """The example framework as a file of the interchange format (JSON)."""
    return EXAMPLE_FRAMEWORK.read_bytes()


@cache
def _example_document() -> dict:
    return json.loads(example_framework_bytes())


def example_levels() -> list[dict]:
    """The seven generic levels of the example framework: rank, name, description."""
    return [dict(level) for level in _example_document()["levels"]]
