"""The model's checks: what a field's type and its `Rule` annotation allow, compiled once per
type hint, so that constructing a node checks its enumerations and minimums at once
(`ModelError`) and loading JSON checks every value (`publisher.schema`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Annotated, Any, Literal, get_args, get_origin, get_type_hints

from publisher.errors import ModelError


@dataclass(frozen=True)
class Rule:
    """What a field's type alone cannot say, for the schema and for validation."""

    minimum: int | None = None
    min_items: int | None = None
    pattern: str | None = None
    description: str | None = None



# --------------------------------------------------------------------------- validation
_CHECKS: dict[type, list[tuple[str, Any]]] = {}  # class -> (field, checker)


def field_types(cls: type) -> dict[str, Any]:
    """The type hints of a model class's fields, with their `Rule` annotations."""
    hints = get_type_hints(cls, include_extras=True)
    return {f.name: hints[f.name] for f in fields(cls)}


def rules_of(hint: Any) -> tuple[Any, list[Rule]]:
    """(the bare type, its Rules) of an annotated type hint."""
    rules: list[Rule] = []
    while get_origin(hint) is Annotated:
        hint, *extra = get_args(hint)
        rules.extend(r for r in extra if isinstance(r, Rule))
    return hint, rules


# A compiled check: None when the value is fine, else "<path below the value>: <what is wrong>".
Checker = Callable[[Any], str | None]
_COMPILED: dict[Any, Checker | None] = {}


def check_value(value: Any, hint: Any, where: str) -> None:
    """Enumerations, minimums and item counts of one value (not its nested nodes' fields)."""
    checker = _checker(hint)
    fault = checker(value) if checker is not None else None
    if fault is not None:
        raise ModelError(where + fault)


def _checker(hint: Any) -> Checker | None:
    """One compiled check per type hint (None: nothing to check), so construction stays cheap."""
    if hint in _COMPILED:
        return _COMPILED[hint]
    bare, rules = rules_of(hint)
    parts: list[Checker] = []
    if get_origin(bare) is Literal:
        allowed = get_args(bare)
        names = ", ".join(repr(a) for a in allowed)
        parts.append(lambda v: None if v in allowed else f": {v!r} is not one of {names}")
    for rule in rules:
        if rule.minimum is not None:
            low = rule.minimum
            parts.append(lambda v, low=low: f": {v} is below the minimum {low}"  # type: ignore[misc]
                         if isinstance(v, int) and v < low else None)
        if rule.min_items is not None:
            count = rule.min_items
            parts.append(lambda v, count=count: f": needs at least {count} item(s)"  # type: ignore[misc]
                         if isinstance(v, list) and len(v) < count else None)
    if get_origin(bare) is list:
        item = _checker(get_args(bare)[0])
        if item is not None:
            parts.append(lambda v, item=item: _first_item_fault(v, item))  # type: ignore[misc]
    checker: Checker | None = None
    if len(parts) == 1:
        checker = parts[0]
    elif parts:
        checker = _first_fault(parts)
    _COMPILED[hint] = checker
    return checker


def _first_fault(parts: list[Checker]) -> Checker:
    """The checks of one value in order: the first fault (a loop: constructing a node runs it)."""
    def check(value: Any) -> str | None:
        for part in parts:
            fault = part(value)
            if fault is not None:
                return fault
        return None
    return check


def _first_item_fault(values: Any, item: Checker) -> str | None:
    if isinstance(values, list):
        for k, v in enumerate(values):
            fault = item(v)
            if fault is not None:
                return f"[{k}]{fault}"
    return None


def check_fields(node: Any) -> None:
    """Check a node's own fields on construction (only constrained fields, compiled once)."""
    cls = type(node)
    checks = _CHECKS.get(cls)
    if checks is None:
        checks = [(name, c) for name, hint in field_types(cls).items() if (c := _checker(hint)) is not None]
        _CHECKS[cls] = checks
    for name, check in checks:
        fault = check(getattr(node, name))
        if fault is not None:
            raise ModelError(f"{cls.__name__}.{name}{fault}")
