"""Picking a person or a household by typing, the way the clerk searches: name, pinyin initials, ID number, 户号.

The list under the field shows 姓名 · 户号 · 出生日期 so that two 李娜 are told apart. ↓ and Enter pick a line,
Enter on a half-typed name takes the first line, and leaving the field takes the only match if there is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from fpdesk.records import Household, Person
from fpdesk.search import matches, search_key
from fpdesk.snapshot import Snapshot
from ui.forms.combos import ChoiceInput
from ui.forms.inputs import InputMixin, Notifier

ID_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_SHOWN = 30

PersonFilter = Callable[[Snapshot, Person], bool]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One line of a picker's list.

    id: what the picker's value becomes.
    display: the line shown (and left in the field once picked).
    name, id_number, household_no, roster_no: what ``fpdesk.search.matches`` looks at.
    """

    id: int
    display: str
    name: str
    id_number: str | None = ""
    household_no: str | None = ""
    roster_no: str | None = ""


class RecordPicker(QLineEdit, InputMixin):
    """A line edit with a drop-down of matching records; value = the record id picked, or None.

    picked: a ``Notifier`` fired with the id picked, or None when the clerk types over it.
    """

    def __init__(self, candidates: Sequence[Candidate], parent: QWidget | None = None, *, hint: str = "") -> None:
        super().__init__(parent)
        self.init_input()
        self.picked = Notifier()
        self._candidates = list(candidates)
        self._by_id = {c.id: c for c in self._candidates}
        self._chosen: int | None = None
        self._matches: list[Candidate] = []
        self.setPlaceholderText(hint)
        self.setMinimumWidth(300)
        self._model = QStandardItemModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self.completer_.activated[QModelIndex].connect(self._activated)
        self.textEdited.connect(self._edited)
        self.returnPressed.connect(self._take_first)
        self.editingFinished.connect(self.commit)

    def set_candidates(self, candidates: Sequence[Candidate]) -> None:
        """Change who may be picked (e.g. the spouse list after the person changed); a pick no longer offered
        is dropped."""
        self._candidates = list(candidates)
        self._by_id = {c.id: c for c in self._candidates}
        if self._chosen is not None and self._chosen not in self._by_id:
            self.set_value(None)

    def find(self, text: str) -> list[Candidate]:
        """Candidates matching what was typed, in list order."""
        query = search_key(text)
        if not query:
            return []
        return [c for c in self._candidates if matches(query, name=c.name, id_number=c.id_number,
                                                          household_no=c.household_no, roster_no=c.roster_no)]

    def _edited(self, text: str) -> None:
        if self._chosen is not None:
            self._chosen = None
            self.picked.emit(None)
            self.value_changed.emit()
        if self.has_error:
            self.clear_message()
        self._matches = self.find(text)
        self._model.clear()
        for c in self._matches[:MAX_SHOWN]:
            item = QStandardItem(c.display)
            item.setData(c.id, ID_ROLE)
            self._model.appendRow(item)
        if self._matches:
            self.completer_.complete()
        else:
            self.completer_.popup().hide()

    def _activated(self, index: QModelIndex) -> None:
        self._choose(index.data(ID_ROLE))

    def _take_first(self) -> None:
        """Enter: the first line of the open list; with the list closed only an unambiguous match (the same Enter
        also saves the dialog, so it must not pick one of two namesakes unseen)."""
        if self._chosen is not None or not self.text().strip():
            return
        found = self.find(self.text())
        if found and (self.completer_.popup().isVisible() or len(found) == 1):
            self._choose(found[0].id)

    def _choose(self, record_id: int | None) -> None:
        self.completer_.popup().hide()
        changed = record_id != self._chosen
        self._chosen = record_id
        self.setText(self._by_id[record_id].display if record_id in self._by_id else "")
        self.setCursorPosition(0)
        if self.has_error:
            self.clear_message()
        if changed:
            self.picked.emit(record_id)
            self.value_changed.emit()

    def commit(self) -> None:
        """Leaving the field: the only match is taken; several or none are said at the field."""
        if self._chosen is not None or not self.text().strip():
            return
        found = self.find(self.text())
        if len(found) == 1:
            self._choose(found[0].id)
        else:
            self.show_error(self.local_problem())

    def local_problem(self) -> str:
        """Something typed but nobody picked: say whether several or nobody match."""
        text = self.text().strip()
        if self._chosen is not None or not text:
            return ""
        found = self.find(text)
        if len(found) > 1:
            return f"有 {len(found)} 人符合“{text}”，请按 ↓ 从列表中选择。"
        if not found:
            return f"没有找到“{text}”，可输入姓名、拼音首字母、身份证号或户号。"
        return ""

    def value(self) -> int | None:
        return self._chosen

    def set_value(self, value: Any) -> None:
        self._choose(int(value) if value not in (None, "") and int(value) in self._by_id else None)


def person_line(snap: Snapshot, p: Person) -> str:
    """姓名 · 户号 · 出生日期, and a word when the person has died or left."""
    hh = snap.household_of(p)
    parts = [p.name, f"户{hh.number}" if hh else "无户", p.birth_date.isoformat() if p.birth_date else "出生日期未填"]
    if p.death_date:
        parts.append("已故")
    elif p.moved_out_date:
        parts.append("已迁出")
    return " · ".join(parts)


def living_here(snap: Snapshot, p: Person) -> bool:
    """Alive and not moved out: who a change can be recorded for."""
    return p.death_date is None and p.moved_out_date is None


def person_candidates(snap: Snapshot, accept: PersonFilter | None = None, *,
                      include_gone: bool = False) -> list[Candidate]:
    out = []
    for p in snap.persons:
        if not include_gone and not living_here(snap, p):
            continue
        if accept is not None and not accept(snap, p):
            continue
        hh = snap.household_of(p)
        out.append(Candidate(p.id, person_line(snap, p), p.name, p.id_number, hh.number if hh else "", p.roster_no))
    return out


class PersonPicker(RecordPicker):
    """A person of the village; ``accept`` narrows the list (e.g. to women)."""

    def __init__(self, snap: Snapshot, parent: QWidget | None = None, *, accept: PersonFilter | None = None,
                 include_gone: bool = False) -> None:
        super().__init__(person_candidates(snap, accept, include_gone=include_gone), parent,
                         hint="姓名 / 拼音首字母 / 身份证号 / 户号")
        self.snapshot = snap
        self.accept = accept
        self.include_gone = include_gone

    def restrict(self, accept: PersonFilter | None) -> None:
        """Narrow the list anew."""
        self.accept = accept
        self.set_candidates(person_candidates(self.snapshot, accept, include_gone=self.include_gone))

    def person(self) -> Person | None:
        return self.snapshot.person_by_id.get(self._chosen) if self._chosen is not None else None


def head_of(snap: Snapshot, hh: Household) -> Person | None:
    """The household head (户主), or its first member."""
    members = snap.members_of.get(hh.id, ())
    heads = [p for p in members if p.relation == "01" and living_here(snap, p)]
    return heads[0] if heads else (members[0] if members else None)


def household_line(snap: Snapshot, hh: Household) -> str:
    """户号 · 户主 · 组."""
    head = head_of(snap, hh)
    group = snap.group_by_id.get(hh.group_id) if hh.group_id else None
    return " · ".join(x for x in (f"户{hh.number}", f"户主 {head.name}" if head else "", group.name if group else "")
                      if x)


class HouseholdPicker(RecordPicker):
    """A household, found by its number or its head's name."""

    def __init__(self, snap: Snapshot, parent: QWidget | None = None) -> None:
        candidates = []
        for hh in snap.households:
            head = head_of(snap, hh)
            candidates.append(Candidate(hh.id, household_line(snap, hh), head.name if head else "",
                                        "", hh.number, ""))
        super().__init__(candidates, parent, hint="户号 / 户主姓名 / 拼音首字母")
        self.snapshot = snap


class GroupInput(ChoiceInput):
    """A village group (村民小组) of this village; value = its id."""

    def __init__(self, snap: Snapshot, parent: QWidget | None = None) -> None:
        super().__init__(parent, items=[(g.name, g.id) for g in snap.groups], blank=True)
