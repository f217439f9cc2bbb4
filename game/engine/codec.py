"""Plain-data encoding of the engine's frozen records, for JSON saves and logs.

`encode` turns a record into dicts, lists and scalars; every record carries its
class name under TAG ("@type", which no field name can collide with). `decode(cls, data)` inverts it using the
type hints, so every record round-trips without a hand-written codec. `shape_problems(cls, data, where)`
checks data against the same hints before decoding, so damaged data is reported instead of decoded.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")
TAG = "@type"
MAX_PROBLEMS = 20
"""Shape checks stop after this many problems: the first ones say what is wrong."""
MAX_DEPTH = 64
"""Deepest nesting of free-form data (a scenario's `ai:` block) that a save or log may hold."""
Check = Callable[[Any, str, list[str]], None]


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


def shape_problems(tp: Any, data: Any, where: str) -> list[str]:
    """What is wrong with `data` as plain data for type `tp` (`where` names it): wrong types, missing or
    unknown fields, unknown record types or enum values, numbers that are not finite. Empty when it decodes."""
    out: list[str] = []
    _checker(tp)(data, where, out)
    return out[:MAX_PROBLEMS]


def kind_of(data: Any) -> str:
    """A JSON-ish name for the type of `data`, for messages."""
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "true or false"
    if isinstance(data, (int, float)):
        return "a number"
    if isinstance(data, str):
        return "text"
    if isinstance(data, (list, tuple)):
        return "a list"
    if isinstance(data, dict):
        return "an object"
    return type(data).__name__


def depth_of(data: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and objects nest in `data` (a scalar is 0, `[]` is 1), counting no further than
    `limit` + 1; level by level, without recursion."""
    depth, level = 0, [data]
    while depth <= limit:
        containers = [x for x in level if isinstance(x, (list, tuple, dict))]
        if not containers:
            break
        depth += 1
        level = [v for x in containers for v in (x.values() if isinstance(x, dict) else x)]
    return depth


@cache
def _checker(tp: Any) -> Check:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return _union_checker(tp)
    if origin in (tuple, list):
        return _sequence_checker(tp)
    if origin is dict:
        return _dict_checker(typing.get_args(tp)[1])
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _record_checker(tp)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum_checker(tp)
    if tp is float:
        return _check_number
    if tp is bool or tp is int or tp is str:
        return _scalar_checker(tp)
    return _check_free


def _too_many(out: list[str]) -> bool:
    return len(out) >= MAX_PROBLEMS


def _union_checker(tp: Any) -> Check:
    options = [a for a in typing.get_args(tp) if a is not type(None)]
    optional = len(options) < len(typing.get_args(tp))
    records = {o.__name__: _checker(o) for o in options if isinstance(o, type) and dataclasses.is_dataclass(o)}
    single = _checker(options[0]) if len(options) == 1 else None

    def check(data: Any, where: str, out: list[str]) -> None:
        if data is None:
            if not optional:
                out.append(f"{where}: expected a value, got null")
        elif single is not None:
            single(data, where, out)
        elif isinstance(data, dict) and data.get(TAG) in records:
            records[data[TAG]](data, where, out)
        else:
            got = repr(data[TAG]) if isinstance(data, dict) and TAG in data else kind_of(data)
            out.append(f"{where}: expected an object whose {TAG!r} is one of {', '.join(records)}, got {got}")
    return check


def _sequence_checker(tp: Any) -> Check:
    args = typing.get_args(tp)
    fixed = not (typing.get_origin(tp) is list or (len(args) == 2 and args[1] is Ellipsis))
    items = [_checker(a) for a in args] if fixed else [_checker(args[0])]

    def check(data: Any, where: str, out: list[str]) -> None:
        if not isinstance(data, (list, tuple)):
            out.append(f"{where}: expected a list, got {kind_of(data)}")
            return
        if fixed and len(data) != len(items):
            out.append(f"{where}: expected a list of {len(items)}, got {len(data)} items")
            return
        for i, value in enumerate(data):
            if _too_many(out):
                return
            items[i if fixed else 0](value, f"{where}[{i}]", out)
    return check


def _dict_checker(value_type: Any) -> Check:
    values = _checker(value_type)

    def check(data: Any, where: str, out: list[str]) -> None:
        if not isinstance(data, dict):
            out.append(f"{where}: expected an object, got {kind_of(data)}")
            return
        for key, value in data.items():
            if _too_many(out):
                return
            if not isinstance(key, str):
                out.append(f"{where}: key {key!r} is not text")
            else:
                values(value, f"{where}.{key}", out)
    return check


def _record_checker(cls: type) -> Check:
    hints = _hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    required = [f.name for f in fields
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    name = cls.__name__

    def check(data: Any, where: str, out: list[str]) -> None:
        if not isinstance(data, dict):
            out.append(f"{where}: expected a {name} record (an object), got {kind_of(data)}")
            return
        if data.get(TAG, name) != name:
            out.append(f"{where}: expected a {name} record, got {data[TAG]!r}")
            return
        unknown = data.keys() - allowed
        if unknown:
            out.append(f"{where}: unknown field {sorted(map(str, unknown))[0]!r} in a {name} record")
        for key in required:
            if key not in data:
                out.append(f"{where}: {name} record without {key!r}")
        for key, value in data.items():
            field_check = checks.get(key)
            if field_check is None or len(out) >= MAX_PROBLEMS:
                continue
            simple = scalars.get(key)
            if simple is not None and type(value) in simple and (simple is not _NUMBER or math.isfinite(value)):
                continue  # the common case, without building the field's path
            field_check(value, f"{where}.{key}", out)

    allowed = {TAG, *(f.name for f in fields)}
    checks: dict[str, Check] = {}
    scalars = {f.name: _SIMPLE[hints[f.name]] for f in fields if hints[f.name] in _SIMPLE}
    for f in fields:  # filled after `check` exists, so a record that contains itself terminates
        checks[f.name] = _checker(hints[f.name])
    return check


_NUMBER = (int, float)
_SIMPLE: dict[Any, tuple[type, ...]] = {str: (str,), bool: (bool,), int: (int,), float: _NUMBER}
"""Field types whose values pass with a bare type test (numbers must also be finite)."""


def _enum_checker(cls: type[Enum]) -> Check:
    values = {m.value: m for m in cls}
    base = int if all(isinstance(v, int) for v in values) else str

    def check(data: Any, where: str, out: list[str]) -> None:
        if type(data) is not base or data not in values:
            shown = ", ".join(str(v) for v in values)
            out.append(f"{where}: expected one of {shown}, got {data!r}"[:300])
    return check


def _check_number(data: Any, where: str, out: list[str]) -> None:
    if type(data) not in (int, float):
        out.append(f"{where}: expected a number, got {kind_of(data)}")
    elif not math.isfinite(data):
        out.append(f"{where}: expected a finite number, got {data!r}")


def _scalar_checker(tp: type) -> Check:
    want = {bool: "true or false", int: "a whole number", str: "text"}[tp]

    def check(data: Any, where: str, out: list[str]) -> None:
        if type(data) is not tp:
            out.append(f"{where}: expected {want}, got {kind_of(data)}")
    return check


def _check_free(data: Any, where: str, out: list[str]) -> None:
    """Free-form data (typed Any): only its nesting is bounded, so hashing and saving it cannot recurse too deep."""
    if depth_of(data) > MAX_DEPTH:
        out.append(f"{where}: nested more than {MAX_DEPTH} levels deep")
