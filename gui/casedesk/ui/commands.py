"""Undo commands over the core's edit functions, and the one place the window pushes them.

The change is made when the command is created (so an error reaches the caller before anything
lands on the stack); ``redo`` repeats it only after an undo. Every command names what it did,
which is what the Edit menu shows as "Undo Confirm fact". Steps are told apart by their type
(``FactsCommand``, ``EntitiesCommand``, ``TimelineCommand``, ``DocumentPropertiesCommand`` ...),
never by that text.

An older step can refer to rows that are gone: a document's facts are replaced when its
publication date changes (extraction runs again), and undoing a merge or split gives rows back
under their old ids. Such a step raises ``edits.StaleEdit`` without changing anything; the command
then reports it in a sentence (the window's status bar) and drops itself from the stack, so the
steps before it can still be undone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from casedesk import edits
from casedesk.store import Case, CaseError
from casedesk.ui.operations import Changes, announce
from casedesk.ui.signals import CaseSignals


class EditCommand(QUndoCommand):
    """``do()`` makes the change and returns what ``undo(result)`` needs to reverse it.

    ``redo(result)``, when given, repeats the change after an undo (else ``do`` runs again); if
    it returns something, that is the new result.
    """

    def __init__(
        self,
        text: str,
        do: Callable[[], Any],
        undo: Callable[[Any], Any],
        notify: Callable[[], None],
        on_error: Callable[[str, Exception], None],
        redo: Callable[[Any], Any] | None = None,
        on_stale: Callable[[str], None] | None = None,
        *,
        done: tuple[Any] | None = None,
    ) -> None:
        """``done`` holds the result of a change already made elsewhere (in a worker thread):
        the command then records it instead of calling ``do``."""
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._redo = redo
        self._notify = notify
        self._on_error = on_error
        self._on_stale = on_stale
        self._result = do() if done is None else done[0]
        self._fresh = True

    def _stale(self, verb: str, exc: edits.StaleEdit) -> None:
        self.setObsolete(True)
        message = (
            f"Cannot {verb.lower()} “{self.text()}”: {exc}. "
            "The step was removed from the undo history."
        )
        if self._on_stale is not None:
            self._on_stale(message)
        else:
            self._on_error(f"{verb} {self.text()}", exc)

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
        else:
            try:
                if self._redo is not None:
                    again = self._redo(self._result)
                    if again is not None:  # a redo that made new rows says which
                        self._result = again
                else:
                    self._result = self._do()
            except edits.StaleEdit as exc:
                self._stale("Redo", exc)
                return
            except (sqlite3.Error, edits.EditError, KeyError, CaseError) as exc:
                self._on_error(f"Redo {self.text()}", exc)
                return
        self._notify()

    def undo(self) -> None:
        try:
            self._undo(self._result)
        except edits.StaleEdit as exc:
            self._stale("Undo", exc)
            return
        except (sqlite3.Error, edits.EditError, KeyError, CaseError) as exc:
            self._on_error(f"Undo {self.text()}", exc)
            return
        self._notify()


class AnnotationCommand(EditCommand):
    """A highlight or note added, changed or removed."""


class TagCommand(EditCommand):
    """A tag added, renamed, recoloured or deleted."""


class FactsCommand(EditCommand):
    """Facts confirmed, rejected, corrected, re-kinded, added or deleted."""


class EntitiesCommand(EditCommand):
    """Entities renamed, re-kinded, merged, split or rejected."""


class TimelineCommand(EditCommand):
    """Timeline items renamed, redated, hidden, merged, split or added by hand."""


class DisputeCommand(EditCommand):
    """A dispute marked resolved or not a dispute, or reopened."""


class DocumentPropertiesCommand(EditCommand):
    """A document's title, publisher, URL or date changed here (a new date extracts the
    document's facts again, so undo and redo wait for a running extraction)."""


Runner = Callable[[int, dict[str, Any], Callable[[dict[str, Any] | None, str | None], None]], None]


class WorkerPropertiesCommand(QUndoCommand):
    """A document's date change whose undo and redo run in a worker thread, as the change did.

    Both set absolute values (the previous ones, or the new ones), so the step stays right
    whatever order the results come in; while one runs the window refuses further undo and
    redo of this step. ``run(doc_id, fields, finished)`` starts the worker; ``finished`` gets
    what ``edits.set_document_properties`` returned, or an error message.
    """

    def __init__(
        self,
        doc_id: int,
        fields: dict[str, Any],
        old: dict[str, Any],
        run: Runner,
        notify: Callable[[], None],
        on_error: Callable[[str, Exception], None],
    ) -> None:
        self._title = "Edit document properties"
        super().__init__(self._title)
        self._doc_id = doc_id
        self._fields = dict(fields)
        self._old = dict(old)
        self._run = run
        self._notify = notify
        self._on_error = on_error
        self._fresh = True

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            self._notify()
            return
        self._run(self._doc_id, self._fields, self._redone)

    def undo(self) -> None:
        self._run(self._doc_id, self._old, self._undone)

    def _redone(self, old: dict[str, Any] | None, error: str | None) -> None:
        if old is None:
            # (The stack may have deleted this step meanwhile: no Qt calls here.)
            self._on_error(f"Redo {self._title}", RuntimeError(error or "failed"))
            return
        self._old = old
        self._notify()

    def _undone(self, new: dict[str, Any] | None, error: str | None) -> None:
        if new is None:
            self._on_error(f"Undo {self._title}", RuntimeError(error or "failed"))
            return
        # What undo replaced is the new date with its evidence: redo puts exactly that back.
        self._fields = new
        self._notify()


@dataclass
class FactRef:
    """A fact as an undo step remembers it: its id, and its place in the text, which outlives
    the id. Extracting a document again replaces its machine facts under new ids (or the old
    ids of other facts); ``current`` finds the fact at the same place and follows it."""

    id: int
    document_id: int
    start: int
    end: int
    kinds: set[str]

    def current(self, case: Case) -> int:
        rows = case.conn.execute(
            "SELECT id, kind FROM facts WHERE document_id = ? AND start = ? AND end = ?",
            (self.document_id, self.start, self.end),
        ).fetchall()
        here = {int(i): str(k) for i, k in rows}
        if here.get(self.id) in self.kinds:
            return self.id
        for fact_id, kind in here.items():
            if kind in self.kinds:
                self.id = fact_id
                return fact_id
        raise edits.StaleEdit(
            f"fact {self.id} does not exist any more (the document's facts were extracted again)"
        )


class Commands:
    """The user's changes to the open case, each one an undoable command on ``stack``."""

    def __init__(
        self,
        case: Case,
        stack: QUndoStack,
        signals: CaseSignals,
        on_error: Callable[[str, Exception], None],
        on_stale: Callable[[str], None] | None = None,
    ) -> None:
        self.case = case
        self.stack = stack
        self.signals = signals
        self._on_error = on_error
        self._on_stale = on_stale
        # Set by the window: runs a document-properties change in a worker thread.
        self.run_in_worker: Runner | None = None

    def _push(
        self,
        text: str,
        do: Callable[[], Any],
        undo: Callable[[Any], Any],
        notify: Callable[[], None],
        redo: Callable[[Any], Any] | None = None,
        *,
        done: tuple[Any] | None = None,
        kind: type[EditCommand] = EditCommand,
    ) -> Any:
        command = kind(text, do, undo, notify, self._on_error, redo, self._on_stale, done=done)
        self.stack.push(command)
        return command._result

    def perform(
        self,
        kind: type[EditCommand],
        text: str,
        do: Callable[[], Any],
        undo: Callable[[Any], Any],
        changes: Changes | Callable[[Any], Changes],
        redo: Callable[[Any], Any] | None = None,
    ) -> Any:
        """Run ``do`` as one undoable step of type ``kind``; after it, its undo and its redo,
        announce ``changes`` (or what ``changes(result)`` says). Returns ``do``'s result."""
        holder: list[Any] = []

        def notify() -> None:
            found = changes(holder[0]) if callable(changes) else changes
            announce(self.signals, found)

        def tracked_do() -> Any:
            result = do()
            holder[:] = [result]
            return result

        def tracked_undo(result: Any) -> Any:
            holder[:] = [result]
            return undo(result)

        def tracked_redo(result: Any) -> Any:
            again = redo(result) if redo is not None else do()
            holder[:] = [result if again is None else again]
            return again

        return self._push(text, tracked_do, tracked_undo, notify, tracked_redo, kind=kind)

    def _doc_of_fact(self, fact_id: int) -> int:
        row = self.case.conn.execute(
            "SELECT document_id FROM facts WHERE id = ?", (fact_id,)
        ).fetchone()
        return int(row[0]) if row else -1

    def _ref(self, fact_id: int) -> FactRef:
        row = self.case.conn.execute(
            "SELECT document_id, start, end, kind FROM facts WHERE id = ?", (fact_id,)
        ).fetchone()
        if row is None:
            raise edits.StaleEdit(f"fact {fact_id} does not exist")
        return FactRef(fact_id, int(row[0]), int(row[1]), int(row[2]), {str(row[3])})

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
        return int(self._push(text, do, undo, notify, redo, kind=AnnotationCommand))

    def update_annotation(self, ann_id: int, fields: dict[str, Any]) -> None:
        case = self.case
        doc_id = int(edits.annotation(case, ann_id)["document_id"])
        self._push(
            "Edit annotation",
            lambda: edits.update_annotation(case, ann_id, **fields),
            lambda old: edits.update_annotation(case, ann_id, **old),
            lambda: self.signals.annotations_changed.emit(doc_id),
            kind=AnnotationCommand,
        )

    def delete_annotation(self, ann_id: int) -> None:
        case = self.case
        doc_id = int(edits.annotation(case, ann_id)["document_id"])
        self._push(
            "Delete annotation",
            lambda: edits.delete_annotation(case, ann_id),
            lambda row: edits.restore_annotation(case, row),
            lambda: self.signals.annotations_changed.emit(doc_id),
            kind=AnnotationCommand,
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
                kind=TagCommand,
            )
        )

    def update_tag(self, tag_id: int, fields: dict[str, Any]) -> None:
        case = self.case
        self._push(
            "Change tag",
            lambda: edits.update_tag(case, tag_id, **fields),
            lambda old: edits.update_tag(case, tag_id, **old),
            self._tags_notify,
            kind=TagCommand,
        )

    def delete_tag(self, tag_id: int) -> None:
        case = self.case
        self._push(
            "Delete tag",
            lambda: edits.delete_tag(case, tag_id),
            lambda deleted: edits.restore_tag(case, deleted),
            self._tags_notify,
            kind=TagCommand,
        )

    # -- facts ----------------------------------------------------------------------------

    def set_fact_status(self, fact_ids: list[int], status: str) -> None:
        case = self.case
        refs = [self._ref(f) for f in fact_ids]
        docs = {r.document_id for r in refs}
        doc_id = docs.pop() if len(docs) == 1 else -1

        def do() -> list[str]:
            with case.transaction():
                ids = [r.current(case) for r in refs]
                return [edits.set_fact_status(case, f, status) for f in ids]

        def undo(old: list[str]) -> None:
            with case.transaction():
                ids = [r.current(case) for r in refs]
                for f, previous in zip(ids, old, strict=True):
                    edits.set_fact_status(case, f, previous)

        verb = {"confirmed": "Confirm", "rejected": "Reject"}.get(status, "Set status of")
        noun = "fact" if len(fact_ids) == 1 else f"{len(fact_ids)} facts"
        self._push(f"{verb} {noun}", do, undo, self._facts_changed(doc_id), kind=FactsCommand)

    def correct_fact_value(self, fact_id: int, value: str) -> None:
        case = self.case
        ref = self._ref(fact_id)
        self._push(
            "Edit fact value",
            lambda: edits.correct_fact_value(case, ref.current(case), value),
            lambda old: edits.set_fact_fields(case, ref.current(case), old),
            self._facts_changed(ref.document_id),
            kind=FactsCommand,
        )

    def change_fact_kind(self, fact_id: int, kind: str) -> None:
        case = self.case
        ref = self._ref(fact_id)
        ref.kinds.add(kind)
        self._push(
            f"Change kind to {kind}",
            lambda: edits.change_fact_kind(case, ref.current(case), kind),
            lambda old: edits.set_fact_fields(case, ref.current(case), old),
            self._facts_changed(ref.document_id),
            kind=FactsCommand,
        )

    def add_manual_fact(self, doc_id: int, kind: str, start: int, end: int, value: str) -> int:
        case = self.case
        holder: dict[str, Any] = {}
        ref = FactRef(-1, doc_id, start, end, {kind})

        def do() -> int:
            ref.id = edits.add_manual_fact(case, doc_id, kind, start, end, value)
            return ref.id

        def undo(_fact_id: int) -> None:
            holder["deleted"] = edits.delete_fact(case, ref.current(case))

        def redo(_fact_id: int) -> None:
            ref.id = edits.restore_fact(case, holder["deleted"])

        return int(
            self._push(
                f"Add {kind} fact", do, undo, self._facts_changed(doc_id), redo, kind=FactsCommand
            )
        )

    def delete_fact(self, fact_id: int) -> None:
        case = self.case
        ref = self._ref(fact_id)

        def undo(deleted: edits.DeletedFact) -> None:
            ref.id = edits.restore_fact(case, deleted)

        self._push(
            "Delete fact",
            lambda: edits.delete_fact(case, ref.current(case)),
            undo,
            self._facts_changed(ref.document_id),
            kind=FactsCommand,
        )

    # -- entities -------------------------------------------------------------------------

    def _entities_notify(self) -> None:
        self.signals.entities_changed.emit()
        self.signals.facts_changed.emit(-1)

    def merge_entities(self, keep_id: int, drop_id: int | list[int]) -> None:
        """Merge one entity, or several, into ``keep_id``: one step and one transaction."""
        case = self.case
        drop_ids = [drop_id] if isinstance(drop_id, int) else list(drop_id)
        marks = ",".join("?" * (1 + len(drop_ids)))
        names = {
            int(i): n
            for i, n in case.conn.execute(
                f"SELECT id, name FROM entities WHERE id IN ({marks})", (keep_id, *drop_ids)
            )
        }

        def do() -> list[edits.Merge]:
            with case.transaction():
                return [edits.merge_entities(case, keep_id, d) for d in drop_ids]

        def undo(merges: list[edits.Merge]) -> None:
            with case.transaction():
                for merge in reversed(merges):
                    edits.unmerge_entities(case, merge)

        if len(drop_ids) == 1:
            text = f"Merge “{names.get(drop_ids[0])}” into “{names.get(keep_id)}”"
        else:
            text = f"Merge {len(drop_ids)} entities into “{names.get(keep_id)}”"
        self._push(text, do, undo, self._entities_notify, kind=EntitiesCommand)

    def split_entity(
        self, entity_id: int, alias_ids: list[int], fact_ids: list[int], name: str | None
    ) -> None:
        case = self.case

        def redo(split: edits.Split) -> edits.Split:
            # The new entity comes back under its id, so later steps that name it still work.
            return edits.split_entity(
                case,
                entity_id,
                alias_ids=alias_ids,
                fact_ids=fact_ids,
                name=name,
                new_id=split.new_id,
            )

        self._push(
            "Split entity",
            lambda: edits.split_entity(
                case, entity_id, alias_ids=alias_ids, fact_ids=fact_ids, name=name
            ),
            lambda split: edits.unsplit_entity(case, split),
            self._entities_notify,
            redo,
            kind=EntitiesCommand,
        )

    # -- documents ------------------------------------------------------------------------

    def set_document_properties(
        self, doc_id: int, fields: dict[str, Any], *, done: dict[str, Any] | None = None
    ) -> None:
        """Change a document's properties; a new date extracts the document's facts again.

        ``done`` is what ``edits.set_document_properties`` returned when the change was already
        made in a worker thread (the first date change loads the language model, which takes
        seconds): the change is then only recorded, and its undo and redo run in a worker too
        (through ``run_in_worker``). Without ``done`` everything runs here.
        """
        case = self.case

        def notify() -> None:
            self.signals.documents_changed.emit()
            if "published" in fields:
                self.signals.facts_changed.emit(doc_id)
                self.signals.entities_changed.emit()

        if done is not None and "published" in fields and self.run_in_worker is not None:
            self.stack.push(
                WorkerPropertiesCommand(
                    doc_id, fields, done, self.run_in_worker, notify, self._on_error
                )
            )
            return
        self._push(
            "Edit document properties",
            lambda: edits.set_document_properties(case, doc_id, fields),
            lambda old: edits.set_document_properties(case, doc_id, old),
            notify,
            done=None if done is None else (done,),
            kind=DocumentPropertiesCommand,
        )
