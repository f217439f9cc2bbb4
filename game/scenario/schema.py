"""The JSON Schema of the scenario format, generated from the pydantic models."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from .model import Scenario

SCHEMA_ID = "https://junction.invalid/schema/scenario.json"


@cache
def _schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def scenario_json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of scenario files; dates are ISO yyyy-mm-dd strings."""
    return copy.deepcopy(_schema())
