"""Turn pydantic validation errors into located problems people can act on."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from .fields import ID_PATTERN
from .problems import Problem, did_you_mean, one_of, show
from .variants import EXTENDS, REMOVE
from .yamlread import Loc, Marks

_OPTIONAL = ("rules", "ai", "support")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def where(data: Any, loc: Loc) -> str:
    """A readable path such as `map.places[homs].kind` (list items named by their id when they have one)."""
    out = ""
    cur = data
    for part in loc:
        if isinstance(part, int):
            item = cur[part] if isinstance(cur, list) and 0 <= part < len(cur) else None
            label = _label(item)
            out += f"[{label}]" if label else f"[{part}]"
            cur = item
        else:
            out += ("." if out else "") + str(part)
            cur = cur.get(part) if isinstance(cur, dict) else None
    return out or "top level"


def _label(item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    ident = item.get("id")
    if isinstance(ident, str) and ident and len(ident) <= 64:
        return ident
    a, b = item.get("a"), item.get("b")
    if isinstance(a, str) and isinstance(b, str):
        return f"{a}~{b}"
    return ""


def _unwrap(ann: Any) -> Any:
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            ann = typing.get_args(ann)[0]
        elif origin is typing.Union or origin is types.UnionType:
            options = [a for a in typing.get_args(ann) if a is not type(None)]
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            ann = models[0] if models else options[0]
        else:
            return ann


def model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class describing the mapping at `loc`, if any."""
    ann: Any = root
    for part in loc:
        ann = _unwrap(ann)
        if isinstance(ann, type) and issubclass(ann, BaseModel) and isinstance(part, str):
            info = ann.model_fields.get(part)
            if info is None:
                return None
            ann = info.annotation
        elif typing.get_origin(ann) is list and isinstance(part, int):
            ann = typing.get_args(ann)[0]
        elif typing.get_origin(ann) is dict:
            ann = typing.get_args(ann)[1]
        else:
            return None
    ann = _unwrap(ann)
    return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Loc, Any, bool]:
    """The part of a pydantic loc that exists in the data, the value there, and whether all of it did."""
    cur = data
    out: list[str | int] = []
    for part in loc:
        in_dict = isinstance(cur, dict) and part in cur
        if not (in_dict or isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)):
            continue
        cur = cur[part]
        out.append(part)
    return tuple(out), cur, len(out) == len(loc)


def _field_name(loc: Loc) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "value"


def _type_hint(value: Any, name: str = "") -> str:
    if value is None and name == "colour":
        return "; YAML reads an unquoted # as the start of a comment: put the colour in quotes, e.g. \"#0072B2\""
    if value is None:
        return "; if you wrote text starting with #, put it in quotes (YAML reads # as the start of a comment)"
    if value is True or value is False:
        return " (YAML reads unquoted yes/no/on/off/true/false as true or false: put it in quotes)"
    if isinstance(value, (int, float)):
        return " (put it in quotes to make it text)"
    return ""


def _expected_list(ctx: dict[str, Any]) -> list[str]:
    return _QUOTED.findall(str(ctx.get("expected", "")))


def _bound(kind: str, ctx: dict[str, Any], value: Any) -> str:
    words = {"greater_than_equal": ("at least", "ge"), "less_than_equal": ("at most", "le"),
             "greater_than": ("more than", "gt"), "less_than": ("less than", "lt")}
    phrase, key = words[kind]
    return f"must be {phrase} {_num(ctx.get(key))}, got {show(value)}"


def explain(err: Mapping[str, Any], root: type[BaseModel], value: Any, loc: Loc) -> str:
    """The message for one pydantic error."""
    kind, ctx = err["type"], err.get("ctx") or {}
    name = _field_name(loc)
    if kind == "extra_forbidden":
        model = model_at(root, loc[:-1])
        allowed = list(model.model_fields) if model else []
        if len(loc) == 1:
            allowed += [EXTENDS, REMOVE]  # the keys of a variant, taken off before validation
        hint = did_you_mean(loc[-1] if loc else None, allowed)
        tail = hint or (f"; expected one of {one_of(allowed, 30)}" if allowed else "")
        return f"unknown key {show(loc[-1] if loc else value)}{tail}"
    if kind == "missing":
        return f"missing required key {name!r}"
    if kind == "literal_error":
        options = _expected_list(ctx)
        what = "choice" if loc and isinstance(loc[-1], int) else name  # a list's item: not "a valid actions"
        return f"{show(value)} is not a valid {what}: expected {one_of(options, 20)}{did_you_mean(value, options)}"
    if kind == "string_type":
        return f"expected text, got {show(value)}{_type_hint(value, name)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {show(value)}"
    if kind in ("float_type", "float_parsing"):
        extra = _number_hint(value)
        return f"expected a number, got {show(value)}{extra}"
    if kind == "finite_number":
        return f"expected a finite number, got {show(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {show(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _bound(kind, ctx, value)
    if kind in ("string_too_short", "string_too_long"):
        size = "at least" if kind == "string_too_short" else "at most"
        count = ctx.get("min_length", ctx.get("max_length"))
        have = f" ({len(value)})" if isinstance(value, str) else ""
        return f"must have {size} {count} character{'s' * (count != 1)}, got {show(value)}{have}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == ID_PATTERN:
            return f"{show(value)} is not a valid id: use letters, digits, '_', '-' and '.' only (no spaces)"
        if name == "colour":
            return f"must be '#rrggbb' (# and six hex digits), got {show(value)}"
        return f"{show(value)} does not match {ctx.get('pattern')}"
    if kind == "too_short":
        least = ctx.get("min_length")
        model = model_at(root, loc[:-1]) if loc else None
        info = model.model_fields.get(str(loc[-1])) if model is not None else None
        keep = (f"; leave the key out for the default, {_yaml_list(info.get_default(call_default_factory=True))}"
                if info is not None and not info.is_required() else "")
        got = "an empty list" if value == [] else show(value)
        return f"needs at least {least} item{'s' * (least != 1)}, got {got}{keep}"
    if kind == "list_type":
        empty = "; write [] for none, or leave the key out" if value is None else ""
        return f"expected a list (items starting with '- '), got {show(value)}{empty}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        model = model_at(root, loc)
        noun = getattr(model, "noun", "") if model is not None else ""
        keys = f" (keys: {', '.join(list(model.model_fields)[:6])} …)" if model is not None else ""
        what = f"{_article(noun)} {noun} mapping" if noun else "a mapping"
        empty = "; write {} for none, or leave the key out" if value is None and loc and loc[-1] in _OPTIONAL else ""
        return f"expected {what}{keys}, got {show(value)}{empty}"
    if kind == "invalid_key":
        return f"mapping keys must be text, got {show(loc[-1] if loc else value)}"
    msg = str(err.get("msg", "invalid value"))
    return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _yaml_list(value: Any) -> str:
    return "[" + ", ".join(str(v) for v in value) + "]" if isinstance(value, list) else show(value)


def _article(word: str) -> str:
    """'an' before a vowel sound ('an effect', 'an event'), else 'a' ('a unit', 'a place')."""
    lower = word.lower()
    return "an" if lower[:1] in set("aeio") or (lower[:1] == "u" and not lower.startswith(("uni", "us"))) else "a"


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number_hint(value: Any) -> str:
    """Why text that reads as a number is text: YAML takes `1e100` or `1.0e100` (an exponent without a
    decimal point or a sign) as text, so the fix is `1.0e+100`, not the quotes the author never wrote;
    other numbers as text were quoted."""
    if not isinstance(value, str) or not _is_number(value):
        return ""
    m = re.fullmatch(r"([-+]?[0-9]*)(\.[0-9]*)?[eE]([-+]?)([0-9]+)", value.strip())
    if m and not (m[2] and m[3]):
        whole, point, sign, digits = m.groups()
        fixed = f"{whole or '0'}{point if point and point != '.' else '.0'}e{sign or '+'}{digits}"
        return f" (YAML reads an exponent without a decimal point and a sign as text: write {fixed})"
    return " (remove the quotes)"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def schema_problems(exc: ValidationError, root: type[BaseModel], data: Any, marks: Marks,
                    file: str) -> list[Problem]:
    """Located problems for every error pydantic found."""
    out: list[Problem] = []
    missing: dict[Loc, list[str]] = {}
    misspelt: dict[Loc, set[str]] = {}
    for err in exc.errors(include_url=False):
        loc, value, whole = _data_loc(data, tuple(err["loc"]))
        kind = err["type"]
        if kind == "missing" and not whole:
            missing.setdefault(loc, []).append(str(err["loc"][-1]))
            continue
        if kind == "invalid_key" and err["loc"]:
            key = err["loc"][-1]
            parent = loc[:-1] if loc and loc[-1] == key else loc
            line, col = marks.at(parent + (key,), key=True)
            out.append(Problem(file, line, col, f"{where(data, parent)}: mapping keys must be text, got {show(key)}"))
            continue
        line, col = marks.at(loc, key=kind == "extra_forbidden")
        message = explain(err, root, value if whole else err.get("input"), loc)
        if kind == "extra_forbidden" and "(did you mean '" in message:
            misspelt.setdefault(loc[:-1], set()).add(message.rsplit("(did you mean '", 1)[1].split("'")[0])
        at = loc[:-1] if kind == "extra_forbidden" else loc
        out.append(Problem(file, line, col, f"{where(data, at)}: {message}"))
    for loc, names in missing.items():
        names = [n for n in names if n not in misspelt.get(loc, ())]
        if not names:
            continue
        line, col = marks.at(loc)
        keys = ", ".join(repr(n) for n in names)
        plural = "s" if len(names) > 1 else ""
        out.append(Problem(file, line, col, f"{where(data, loc)}: missing required key{plural} {keys}"))
    return out
