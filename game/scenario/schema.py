"""The JSON Schemas of the scenario format, generated from the pydantic models: one for whole
scenario files and one for variants (files that `extends:` another and give only what changes)."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from .model import Scenario
from .variants import EXTENDS, REMOVE

SCHEMA_ID = "https://junction.invalid/schema/scenario.json"
VARIANT_ID = "https://junction.invalid/schema/variant.json"


@cache
def _schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def scenario_json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of scenario files; dates are ISO yyyy-mm-dd strings."""
    return copy.deepcopy(_schema())


def _optional(node: Any) -> None:
    """Drop every object's `required` list, in place: a variant gives only what it changes."""
    if isinstance(node, dict):
        if isinstance(node.get("required"), list) and ("properties" in node or node.get("type") == "object"):
            del node["required"]
        for value in node.values():
            _optional(value)
    elif isinstance(node, list):
        for value in node:
            _optional(value)


def variant_json_schema() -> dict[str, Any]:
    """A JSON Schema of variant files: `extends` (required) and `remove`, and any part of a scenario,
    with no key required (the merged result is checked against the whole schema by the validator)."""
    schema = scenario_json_schema()
    _optional(schema)
    schema["$id"] = VARIANT_ID
    schema["title"] = "Junction scenario variant"
    schema["description"] = ("A scenario that extends another and gives only what changes; see docs/authoring.md "
                             "for the merge rules.")
    schema["properties"] = {
        EXTENDS: {"type": "string", "minLength": 1, "title": "Extends",
                  "description": "The scenario file this one changes, relative to this file."},
        REMOVE: {"type": "array", "title": "Remove", "items": {"type": "string", "minLength": 1},
                 "description": "Ids of the parent's items to drop (a route as 'a~b')."},
        **schema["properties"],
    }
    schema["required"] = [EXTENDS]
    return schema
