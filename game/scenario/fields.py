"""Value types shared by the scenario models: ids, numbers, levels, dates, and the model base class."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AllowInfNan,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

ID_PATTERN = r"^[A-Za-z0-9_.\-]+$"

Id = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=64, pattern=ID_PATTERN)]
"""An identifier: letters, digits, '_', '-' and '.', no spaces (lower_snake_case by convention)."""

Text = Annotated[str, Strict()]
SEED_ID_MAX = 200
SeedId = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=SEED_ID_MAX)]
"""The id of a fact in the project's seeds/ folder."""

Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]
Num = Annotated[float, Strict(), AllowInfNan(False)]
"""Any finite number."""

NonNeg = Annotated[float, Strict(), AllowInfNan(False), Field(ge=0)]
Level = Annotated[float, Strict(), AllowInfNan(False), Field(ge=0, le=1)]
"""A number from 0 to 1: a probability, a support level or a cohesion."""

Delta = Annotated[float, Strict(), AllowInfNan(False), Field(ge=-1, le=1)]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_date(value: Any) -> date:
    """An ISO date (yyyy-mm-dd), given as a YAML date or as text."""
    if isinstance(value, datetime):
        raise ValueError("expected a date like 2024-12-07, not a date and time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as e:
            raise ValueError(f"{value!r} is not a real date: {e}") from None
    shown = repr(value) if isinstance(value, str) else type(value).__name__
    raise ValueError(f"expected a date like 2024-12-07 (yyyy-mm-dd), got {shown}")


IsoDate = Annotated[
    date, PlainValidator(as_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


class Block(BaseModel):
    """A mapping in the scenario file: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)
    noun: ClassVar[str] = "entry"


def one_key(value: Any, what: str, names: list[str]) -> Any:
    """Check that a condition or effect mapping has exactly one key with a value."""
    if not isinstance(value, dict):
        return value
    keys = list(value)
    choices = ", ".join(names)
    if not keys:
        raise ValueError(f"an empty {what}: give one of {choices}")
    if len(keys) > 1:
        known = [k for k in keys if k in names]
        if len(known) > 1:
            shown = " and ".join(repr(k) for k in known)
            raise ValueError(f"one {what} per list item: found {shown}; write each as its own '- ' item")
        return value
    if value[keys[0]] is None and keys[0] in names:
        raise ValueError(f"{what} {keys[0]!r} needs a value")
    return value
