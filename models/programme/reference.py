"""docs/programme-file.md, generated from the schema: every key of a programme file, its
type, whether it is required, its default, the values it accepts and a one-line example.
`phoihop programme reference` prints it; a test fails when the document and the schema
disagree, so the reference never goes stale."""

from __future__ import annotations

import json
import tomllib
import types
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from models.programme.schema import Programme

PROGRAMMES = Path(__file__).resolve().parents[2] / "programmes"


@dataclass(frozen=True)
class Section:
    path: tuple[str, ...]
    model: type[BaseModel]
    repeated: bool

    @property
    def header(self) -> str:
        name = ".".join(self.path)
        return f"[[{name}]]" if self.repeated else f"[{name}]"


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under Annotated and Optional, and the constraints Annotated carried."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            for item in extra:
                metadata += item.metadata if isinstance(item, FieldInfo) else [item]
        elif origin in (Union, types.UnionType):
            annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
        else:
            return annotation, metadata


def _model(annotation: Any) -> tuple[type[BaseModel], bool] | None:
    inner, _ = _unwrap(annotation)
    if get_origin(inner) is list:
        item, _ = _unwrap(get_args(inner)[0])
        return (item, True) if isinstance(item, type) and issubclass(item, BaseModel) else None
    return (inner, False) if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def sections(model: type[BaseModel] = Programme, path: tuple[str, ...] = ()) -> Iterator[Section]:
    for name, field in model.model_fields.items():
        found = _model(field.annotation)
        if found:
            yield Section((*path, name), found[0], found[1])
            yield from sections(found[0], (*path, name))


_TYPES = {str: "text", int: "integer", float: "number", bool: "true/false", date: "date YYYY-MM-DD", time: "time HH:MM:SS"}


def type_words(annotation: Any) -> str:
    inner, _ = _unwrap(annotation)
    if get_origin(inner) is list:
        return "list of " + ("tables" if _model(inner) else type_words(get_args(inner)[0]))
    if get_origin(inner) is Literal or (isinstance(inner, type) and issubclass(inner, Enum)):
        return "text"
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return "table"
    return _TYPES.get(inner, str(inner))


def _words(constraints: list[Any], length: str) -> list[str]:
    words = []
    for item in constraints:
        if isinstance(item, Ge):
            words.append(f"≥ {item.ge}")
        elif isinstance(item, Le):
            words.append(f"≤ {item.le}")
        elif isinstance(item, MinLen):
            words.append(f"{length} ≥ {item.min_length}")
        elif isinstance(item, MaxLen):
            words.append(f"{length} ≤ {item.max_length}")
        elif getattr(item, "pattern", None):
            words.append(f"`{item.pattern}`")
    return words


def limits(field: FieldInfo) -> str:
    """Accepted values: a choice, a range, a length, a pattern (of a list: its items' too)."""
    inner, metadata = _unwrap(field.annotation)
    constraints = [*field.metadata, *metadata]
    if get_origin(inner) is not list:
        item, outer = inner, _words(constraints, "length")
    else:
        item, item_constraints = _unwrap(get_args(inner)[0])
        each = _words(item_constraints, "length")
        outer = _words(constraints, "items") + ([f"each {', '.join(each)}"] if each else [])
    if get_origin(item) is Literal:
        return ", ".join([*outer, *(f"`{value}`" for value in get_args(item))])
    if isinstance(item, type) and issubclass(item, Enum):
        return ", ".join([*outer, *(f"`{member.value}`" for member in item)])
    return ", ".join(outer)


def toml_value(value: Any) -> str:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items() if item is not None) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return str(value)


def default_words(field: FieldInfo) -> str:
    if field.is_required():
        return ""
    value = field.default_factory() if field.default_factory is not None else field.default  # type: ignore[call-arg]
    if value is None or value is PydanticUndefined:
        return "none"
    if isinstance(value, BaseModel):
        return "the defaults below"
    shown = toml_value(value)
    return f"`{shown}`" if len(shown) <= 60 else "see below"


def _values(data: Any, path: tuple[str, ...]) -> Iterator[Any]:
    if not path:
        yield data
        return
    if isinstance(data, list):
        for item in data:
            yield from _values(item, path)
    elif isinstance(data, dict) and path[0] in data:
        yield from _values(data[path[0]], path[1:])


def shipped_files() -> list[dict[str, Any]]:
    return [tomllib.loads(path.read_text(encoding="utf-8")) for path in sorted(PROGRAMMES.glob("*.toml"))]


def example(field: FieldInfo, path: tuple[str, ...], shipped: list[dict[str, Any]]) -> str:
    """The field's own example if it has one, else the shortest value a shipped programme gives."""
    if field.examples:
        return f"{path[-1]} = {toml_value(field.examples[0])}"
    found = [toml_value(value) for data in shipped for value in _values(data, path)]
    return f"{path[-1]} = {min(found, key=len)}" if found else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_reference() -> str:
    shipped = shipped_files()
    lines = [
        "# Programme files",
        "",
        "<!-- Generated by `phoihop programme reference` from models/programme/schema.py; "
        "tests/unit/test_programme_reference.py fails when they disagree. Do not edit by hand. -->",
        "",
        "A programme file is one province's coordination regulation as data, in TOML. `phoihop programme check FILE` "
        "lists every problem in it; `phoihop schedule FILE --year Y` shows the calendar it produces. The sections "
        "below are every key the format has; `[[name]]` sections repeat, one per item. Examples are taken from the "
        "shipped programmes in `programmes/` where they use the key.",
        "",
        "## Top level",
        "",
        *_table(Programme, (), shipped),
    ]
    for section in sections():
        lines += ["", f"## `{section.header}`", ""]
        if section.model.__doc__:
            lines += [" ".join(section.model.__doc__.split()), ""]
        lines += _table(section.model, section.path, shipped)
    return "\n".join(lines) + "\n"


def _table(model: type[BaseModel], path: tuple[str, ...], shipped: list[dict[str, Any]]) -> list[str]:
    rows = ["| key | type | required | default | accepted | example | meaning |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        if _model(field.annotation):
            described = f"see `{'.'.join((*path, name))}` below"
            rows.append(f"| `{name}` | {type_words(field.annotation)} | {'yes' if field.is_required() else 'no'} | | | | {described} |")
            continue
        shown = example(field, (*path, name), shipped)
        cells = [
            f"`{name}`",
            type_words(field.annotation),
            "yes" if field.is_required() else "no",
            default_words(field),
            limits(field),
            f"`{shown}`" if shown else "",
            field.description or "",
        ]
        rows.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return rows


def missing_examples() -> list[str]:
    """Keys without an example: each must have one, in the schema or a shipped programme."""
    shipped = shipped_files()
    missing = []
    for model, path in [(Programme, ())] + [(section.model, section.path) for section in sections()]:
        for name, field in model.model_fields.items():
            if not _model(field.annotation) and not example(field, (*path, name), shipped):
                missing.append(".".join((*path, name)))
    return missing
