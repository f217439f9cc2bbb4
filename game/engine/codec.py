"""Plain-data encoding of the engine's frozen records, for JSON saves and logs.

`encode` turns a record into dicts, lists and scalars; every record carries its
class name under TAG ("@type", which no field name can collide with). `decode(cls, data)` inverts it using the
type hints, so every record round-trips without a hand-written codec.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")
TAG = "@type"


def encode(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {TAG: type(obj).__name__}
        for f in dataclasses.fields(obj):
            if f.init:
                out[f.name] = encode(getattr(obj, f.name))
        return out
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, (tuple, list)):
        return [encode(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): encode(v) for k, v in obj.items()}
    if hasattr(obj, "item") and hasattr(obj, "dtype"):
        return obj.item()
    return obj


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(tp: Any, data: Any) -> Any:
    """Decode `data` as type `tp` (a dataclass, enum, union, tuple, dict or scalar)."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if data is None:
            return None
        if isinstance(data, dict) and TAG in data:
            for opt in options:
                if isinstance(opt, type) and dataclasses.is_dataclass(opt) and opt.__name__ == data[TAG]:
                    return decode(opt, data)
            raise ValueError(f"unknown record type {data[TAG]!r}")
        return decode(options[0], data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        return tuple(decode(a, v) for a, v in zip(args, data))
    if origin is list:
        (arg,) = typing.get_args(tp)
        return [decode(arg, v) for v in data]
    if origin is dict:
        _, val = typing.get_args(tp)
        return {k: decode(val, v) for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {f.name: decode(hints[f.name], data[f.name])
                  for f in dataclasses.fields(tp) if f.init and f.name in data}
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if tp is float:
        return float(data)
    if tp is Any:
        return data
    return data
