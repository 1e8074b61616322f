"""Field specs of the entry dialogs, and the input widget each one gets.

A dialog lists ``Field``s (grouped by ``Section``); ``column`` makes one from ``fpdesk.fields`` so labels, kinds
and code tables are the core's; ``make_input`` builds the widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from PySide6.QtWidgets import QWidget

from fpdesk import fields as core_fields
from fpdesk.snapshot import Snapshot
from ui.forms.combos import ChoiceInput, CodeInput
from ui.forms.inputs import DateInput, FlagInput, IdNumberInput, InputMixin, IntInput, MoneyInput, TextInput
from ui.forms.pickers import GroupInput, HouseholdPicker, PersonFilter, PersonPicker

NOTE_STYLE = "color: #555555;"
ID_COLUMNS = frozenset({"id_number", "spouse_id_number"})


@dataclass(frozen=True)
class Field:
    """One input of a dialog.

    name: the service function's parameter it fills ("person", "date", "person.name", "spouse_info.spouse_name").
    label: the clerk's word for it.
    kind: text, date, code, choice, person, household, group, id_number, int, money, flag.
    codes: the code table of a "code" field.
    required: marked with * (the core decides what is really required).
    hint: grey text inside the empty field.
    note: a grey line under the field.
    accept: for "person": who may be picked (snapshot, person) → bool.
    include_gone: for "person": also the dead and the moved out.
    fills: for "id_number": the names of the birth-date and sex fields it fills, as {"birth_date": name, "sex": name}.
    send: False for a helper field that is not passed to the service.
    blank: for "code" and "choice": offer an empty first item (an optional choice).
    factory: for "custom": makes the input from the snapshot.
    """

    name: str
    label: str
    kind: str = "text"
    codes: str | None = None
    required: bool = False
    hint: str = ""
    note: str = ""
    accept: PersonFilter | None = None
    include_gone: bool = False
    fills: Mapping[str, str] = field(default_factory=dict)
    send: bool = True
    blank: bool = True
    factory: Callable[[Snapshot], InputMixin] | None = None


@dataclass(frozen=True)
class Section:
    """A titled group of fields (e.g. 外村配偶)."""

    title: str
    fields: Sequence[Field]


def column(table: str, col: str, name: str | None = None, **overrides: Any) -> Field:
    """A field for a column of ``fpdesk.fields``: its label, kind, code table and required flag."""
    spec = core_fields.FIELDS[table][col]
    kind = "id_number" if col in ID_COLUMNS else spec.kind
    values: dict[str, Any] = {"label": spec.label, "kind": kind, "codes": spec.codes, "required": spec.required}
    if spec.kind == "code":
        values["blank"] = not spec.required
    values.update(overrides)
    return Field(name or col, **values)


def make_input(spec: Field, snap: Snapshot, parent: QWidget | None = None) -> InputMixin:
    """The widget for a field spec."""
    kind = spec.kind
    if spec.factory is not None:
        return spec.factory(snap)
    if kind == "text":
        return TextInput(parent, hint=spec.hint)
    if kind == "date":
        return DateInput(parent, label=spec.label)
    if kind == "code":
        return CodeInput(spec.codes or "", parent, blank=spec.blank)
    if kind == "choice":
        return ChoiceInput(parent, blank=spec.blank)
    if kind == "person":
        return PersonPicker(snap, parent, accept=spec.accept, include_gone=spec.include_gone)
    if kind in ("household", "ref:household"):
        return HouseholdPicker(snap, parent)
    if kind == "group":
        return GroupInput(snap, parent)
    if kind == "id_number":
        return IdNumberInput(parent)
    if kind == "int":
        return IntInput(parent, hint=spec.hint)
    if kind == "money":
        return MoneyInput(parent)
    if kind == "flag":
        return FlagInput(parent)
    raise ValueError(f"unknown field kind {kind!r}")


def put(target: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``target["a"]["b"] = value`` for "a.b"."""
    *outer, last = dotted.split(".")
    for part in outer:
        target = target.setdefault(part, {})
    target[last] = value


def flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"person": {"name": x}} → {"person.name": x}."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out
