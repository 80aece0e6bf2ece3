"""Model classes whose fields are the contract's own: each field of a record kind is stated once, in records.py.

``@record(records.LIEU)`` on a class of model.py gives it one attribute per field of the contract, typed from the
field's kind, with the contract's default (an optional list is empty, an optional group of optional fields is an
empty group, anything else optional is None). What the class annotates itself comes first and stays as written:
values the build adds (the file's ``source``, a code that is the file's name) or a field kept in another shape
(an event's ``heures`` as a pair). :func:`from_values` then builds an object from a file's validated values, so
the loader states no field either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from .contract import Bool, Date, Field, Kind, ListOf, Number, Struct

_CLASS_OF: dict[int, type] = {}
"""id(struct) -> its model class."""
_STRUCT_OF: dict[type, Struct] = {}
_OWN: dict[type, frozenset[str]] = {}
"""The attributes a class annotates itself: set from ``computed`` by :func:`from_values`, never from the file."""


def record(struct: Struct):
    """Class decorator: a frozen, keyword-only dataclass with the fields of ``struct`` (see the module's docstring)."""

    def make(cls: type) -> type:
        own = dict(cls.__dict__.get("__annotations__", {}))
        annotations = dict(own)
        for spec in struct.fields:
            if spec.name in own:
                continue
            annotations[spec.name] = _annotation(spec)
            default = _default(spec)
            if default is not dataclasses.MISSING:
                setattr(cls, spec.name, default)
        cls.__annotations__ = annotations
        made = dataclasses.dataclass(frozen=True, kw_only=True)(cls)
        _CLASS_OF[id(struct)] = made
        _STRUCT_OF[made] = struct
        _OWN[made] = frozenset(own)
        return made

    return make


def from_values(cls: type, values: dict, **computed: Any):
    """An object of ``cls`` from a record's validated values (nested groups become their classes, lists tuples);
    ``computed``: the attributes the class annotates itself."""
    own = _OWN[cls]
    fields = {
        spec.name: _value(spec.kind, values[spec.name])
        for spec in _STRUCT_OF[cls].fields
        if spec.name in values and spec.name not in own
    }
    return cls(**fields, **computed)


def contract_of(cls: type) -> Struct:
    return _STRUCT_OF[cls]


def _class_of(struct: Struct) -> type:
    try:
        return _CLASS_OF[id(struct)]
    except KeyError:
        raise TypeError(
            f"« {struct.title} » has no model class: declare one with @record(...) in model.py, before its users"
        ) from None


def _value(kind: Kind, value: Any) -> Any:
    if isinstance(kind, Struct):
        return from_values(_class_of(kind), value)
    if isinstance(kind, ListOf):
        return tuple(_value(kind.item, item) for item in value)
    return value


def _python_type(kind: Kind) -> Any:
    if isinstance(kind, Struct):
        return _class_of(kind)
    if isinstance(kind, ListOf):
        return tuple[_python_type(kind.item), ...]
    return {Bool: bool, Number: float, Date: dt.date}.get(type(kind), str)


def _annotation(spec: Field) -> Any:
    python_type = _python_type(spec.kind)
    optional = not spec.required and spec.default is None and not isinstance(spec.kind, ListOf)
    if optional and not (isinstance(spec.kind, Struct) and _all_optional(spec.kind)):
        return python_type | None
    return python_type


def _all_optional(struct: Struct) -> bool:
    return not any(spec.required for spec in struct.fields)


def _default(spec: Field) -> Any:
    if spec.required:
        return dataclasses.MISSING
    if spec.default is not None:
        return spec.default
    if isinstance(spec.kind, ListOf):
        return ()
    if isinstance(spec.kind, Struct) and _all_optional(spec.kind):
        return dataclasses.field(default_factory=_class_of(spec.kind))
    return None
