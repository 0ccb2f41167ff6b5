"""Undo commands over the core's edit functions, and the one place the window pushes them.

The change is made when the command is created (so an error reaches the caller before anything
lands on the stack); ``redo`` repeats it only after an undo. Every command names what it did,
which is what the Edit menu shows as "Undo Confirm fact".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from casedesk import edits
from casedesk.store import Case
from casedesk.ui.signals import CaseSignals


class EditCommand(QUndoCommand):
    """``do()`` makes the change and returns what ``undo(result)`` needs to reverse it."""

    def __init__(
        self,
        text: str,
        do: Callable[[], Any],
        undo: Callable[[Any], Any],
        notify: Callable[[], None],
        on_error: Callable[[str, Exception], None],
        redo: Callable[[Any], Any] | None = None,
    ) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._redo = redo
        self._notify = notify
        self._on_error = on_error
        self._result = do()
        self._fresh = True

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
        else:
            try:
                if self._redo is not None:
                    self._redo(self._result)
                else:
                    self._result = self._do()
            except (sqlite3.Error, edits.EditError, KeyError) as exc:
                self._on_error(f"Redo {self.text()}", exc)
                return
        self._notify()

    def undo(self) -> None:
        try:
            self._undo(self._result)
        except (sqlite3.Error, edits.EditError, KeyError) as exc:
            self._on_error(f"Undo {self.text()}", exc)
            return
        self._notify()


class Commands:
    """The user's changes to the open case, each one an undoable command on ``stack``."""

    def __init__(
        self,
        case: Case,
        stack: QUndoStack,
        signals: CaseSignals,
        on_error: Callable[[str, Exception], None],
    ) -> None:
        self.case = case
        self.stack = stack
        self.signals = signals
        self._on_error = on_error

    def _push(
        self,
        text: str,
        do: Callable[[], Any],
        undo: Callable[[Any], Any],
        notify: Callable[[], None],
        redo: Callable[[Any], Any] | None = None,
    ) -> Any:
        command = EditCommand(text, do, undo, notify, self._on_error, redo)
        self.stack.push(command)
        return command._result

    def _doc_of_fact(self, fact_id: int) -> int:
        row = self.case.conn.execute(
            "SELECT document_id FROM facts WHERE id = ?", (fact_id,)
        ).fetchone()
        return int(row[0]) if row else -1

    def _facts_changed(self, doc_id: int) -> Callable[[], None]:
        def notify() -> None:
            self.signals.facts_changed.emit(doc_id)

        return notify

    # -- annotations ----------------------------------------------------------------------

    def add_annotation(
        self, doc_id: int, start: int, end: int, *, tag_id: int | None = None, note: str = ""
    ) -> int:
        case = self.case
        holder: dict[str, Any] = {}

        def do() -> int:
            return edits.add_annotation(case, doc_id, start, end, tag_id=tag_id, note=note)

        def undo(ann_id: int) -> None:
            holder["row"] = edits.delete_annotation(case, ann_id)

        def redo(_ann_id: int) -> None:
            edits.restore_annotation(case, holder["row"])

        def notify() -> None:
            self.signals.annotations_changed.emit(doc_id)

        text = "Add note" if note else "Highlight"
        return int(self._push(text, do, undo, notify, redo))

    def update_annotation(self, ann_id: int, fields: dict[str, Any]) -> None:
        case = self.case
        doc_id = int(edits.annotation(case, ann_id)["document_id"])
        self._push(
            "Edit annotation",
            lambda: edits.update_annotation(case, ann_id, **fields),
            lambda old: edits.update_annotation(case, ann_id, **old),
            lambda: self.signals.annotations_changed.emit(doc_id),
        )

    def delete_annotation(self, ann_id: int) -> None:
        case = self.case
        doc_id = int(edits.annotation(case, ann_id)["document_id"])
        self._push(
            "Delete annotation",
            lambda: edits.delete_annotation(case, ann_id),
            lambda row: edits.restore_annotation(case, row),
            lambda: self.signals.annotations_changed.emit(doc_id),
        )

    # -- tags -----------------------------------------------------------------------------

    def _tags_notify(self) -> None:
        self.signals.tags_changed.emit()
        self.signals.annotations_changed.emit(-1)

    def add_tag(self, name: str, colour: str) -> int:
        case = self.case
        holder: dict[str, Any] = {}

        def undo(tag_id: int) -> None:
            holder["deleted"] = edits.delete_tag(case, tag_id)

        return int(
            self._push(
                f"Add tag “{name}”",
                lambda: edits.add_tag(case, name, colour),
                undo,
                self._tags_notify,
                lambda _tag_id: edits.restore_tag(case, holder["deleted"]),
            )
        )

    def update_tag(self, tag_id: int, fields: dict[str, Any]) -> None:
        case = self.case
        self._push(
            "Change tag",
            lambda: edits.update_tag(case, tag_id, **fields),
            lambda old: edits.update_tag(case, tag_id, **old),
            self._tags_notify,
        )

    def delete_tag(self, tag_id: int) -> None:
        case = self.case
        self._push(
            "Delete tag",
            lambda: edits.delete_tag(case, tag_id),
            lambda deleted: edits.restore_tag(case, deleted),
            self._tags_notify,
        )

    # -- facts ----------------------------------------------------------------------------

    def set_fact_status(self, fact_ids: list[int], status: str) -> None:
        case = self.case
        docs = {self._doc_of_fact(f) for f in fact_ids}
        doc_id = docs.pop() if len(docs) == 1 else -1

        def do() -> list[tuple[int, str]]:
            with case.transaction():
                return [(f, edits.set_fact_status(case, f, status)) for f in fact_ids]

        def undo(old: list[tuple[int, str]]) -> None:
            with case.transaction():
                for f, previous in old:
                    edits.set_fact_status(case, f, previous)

        verb = {"confirmed": "Confirm", "rejected": "Reject"}.get(status, "Set status of")
        noun = "fact" if len(fact_ids) == 1 else f"{len(fact_ids)} facts"
        self._push(f"{verb} {noun}", do, undo, self._facts_changed(doc_id))

    def correct_fact_value(self, fact_id: int, value: str) -> None:
        case = self.case
        self._push(
            "Edit fact value",
            lambda: edits.correct_fact_value(case, fact_id, value),
            lambda old: edits.set_fact_fields(case, fact_id, old),
            self._facts_changed(self._doc_of_fact(fact_id)),
        )

    def change_fact_kind(self, fact_id: int, kind: str) -> None:
        case = self.case
        self._push(
            f"Change kind to {kind}",
            lambda: edits.change_fact_kind(case, fact_id, kind),
            lambda old: edits.set_fact_fields(case, fact_id, old),
            self._facts_changed(self._doc_of_fact(fact_id)),
        )

    def add_manual_fact(self, doc_id: int, kind: str, start: int, end: int, value: str) -> int:
        case = self.case
        holder: dict[str, Any] = {}

        def undo(fact_id: int) -> None:
            holder["deleted"] = edits.delete_fact(case, fact_id)

        return int(
            self._push(
                f"Add {kind} fact",
                lambda: edits.add_manual_fact(case, doc_id, kind, start, end, value),
                undo,
                self._facts_changed(doc_id),
                lambda _fact_id: edits.restore_fact(case, holder["deleted"]),
            )
        )

    def delete_fact(self, fact_id: int) -> None:
        case = self.case
        self._push(
            "Delete fact",
            lambda: edits.delete_fact(case, fact_id),
            lambda deleted: edits.restore_fact(case, deleted),
            self._facts_changed(self._doc_of_fact(fact_id)),
        )

    # -- entities -------------------------------------------------------------------------

    def _entities_notify(self) -> None:
        self.signals.entities_changed.emit()
        self.signals.facts_changed.emit(-1)

    def merge_entities(self, keep_id: int, drop_id: int) -> None:
        case = self.case
        names = {
            int(i): n
            for i, n in case.conn.execute(
                "SELECT id, name FROM entities WHERE id IN (?, ?)", (keep_id, drop_id)
            )
        }
        self._push(
            f"Merge “{names.get(drop_id)}” into “{names.get(keep_id)}”",
            lambda: edits.merge_entities(case, keep_id, drop_id),
            lambda merge: edits.unmerge_entities(case, merge),
            self._entities_notify,
        )

    def split_entity(
        self, entity_id: int, alias_ids: list[int], fact_ids: list[int], name: str | None
    ) -> None:
        case = self.case
        self._push(
            "Split entity",
            lambda: edits.split_entity(
                case, entity_id, alias_ids=alias_ids, fact_ids=fact_ids, name=name
            ),
            lambda split: edits.unsplit_entity(case, split),
            self._entities_notify,
        )

    # -- documents ------------------------------------------------------------------------

    def set_document_properties(self, doc_id: int, fields: dict[str, Any]) -> None:
        case = self.case

        def notify() -> None:
            self.signals.documents_changed.emit()
            if "published" in fields:
                self.signals.facts_changed.emit(doc_id)

        self._push(
            "Edit document properties",
            lambda: edits.set_document_properties(case, doc_id, fields),
            lambda old: edits.set_document_properties(case, doc_id, old),
            notify,
        )
