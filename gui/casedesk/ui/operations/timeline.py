"""Timeline operations: rename, redate, hide, merge, move a report out, add an item by hand.

Each is one undoable ``TimelineCommand`` over ``casedesk.edits_timeline``.
"""

from __future__ import annotations

from typing import Any

from casedesk import edits_timeline as tl
from casedesk.ui.commands import Commands, TimelineCommand
from casedesk.ui.operations import TIMELINE, Changes


def _with_facts(*doc_ids: int | None) -> Changes:
    return Changes.of_facts([d for d in doc_ids if d is not None], timeline=True)


def rename_event(commands: Commands, event_id: int, title: str) -> None:
    case = commands.case
    commands.perform(
        TimelineCommand,
        "Rename timeline item",
        lambda: tl.rename_event(case, event_id, title),
        lambda old: tl.set_event_fields(case, event_id, old),
        TIMELINE,
    )


def redate_event(
    commands: Commands, event_id: int, value: str, modifier: str | None = None
) -> None:
    case = commands.case
    commands.perform(
        TimelineCommand,
        "Change date of timeline item",
        lambda: tl.redate_event(case, event_id, value, modifier),
        lambda old: tl.set_event_fields(case, event_id, old),
        TIMELINE,
    )


def hide_event(commands: Commands, event_id: int) -> None:
    case = commands.case
    commands.perform(
        TimelineCommand,
        "Hide timeline item",
        lambda: tl.hide_event(case, event_id),
        lambda old: tl.set_event_fields(case, event_id, old),
        TIMELINE,
    )


def merge_events(commands: Commands, keep_id: int, drop_id: int) -> None:
    case = commands.case
    commands.perform(
        TimelineCommand,
        "Merge timeline items",
        lambda: tl.merge_events(case, keep_id, drop_id),
        lambda merge: tl.unmerge_events(case, merge),
        TIMELINE,
    )


def _document_of(commands: Commands, fact_id: int) -> int | None:
    row = commands.case.conn.execute(
        "SELECT document_id FROM facts WHERE id = ?", (fact_id,)
    ).fetchone()
    return None if row is None else int(row[0])


def split_event(commands: Commands, event_id: int, fact_id: int) -> int:
    """Move one report out into an item of its own; returns the new item's id."""
    case = commands.case
    doc_id = _document_of(commands, fact_id)

    def redo(split: tl.EventSplit) -> tl.EventSplit:
        return tl.split_event(case, event_id, fact_id, new_id=split.new_id)

    split: tl.EventSplit = commands.perform(
        TimelineCommand,
        "Move report to its own timeline item",
        lambda: tl.split_event(case, event_id, fact_id),
        lambda done: tl.unsplit_event(case, done),
        _with_facts(doc_id),
        redo,
    )
    return split.new_id


def add_event(
    commands: Commands,
    value: str,
    title: str,
    *,
    document_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
) -> int:
    """Add an item by hand (from a sentence when a span is given); returns its id."""
    case = commands.case
    holder: dict[str, Any] = {}

    def undo(added: tl.AddedEvent) -> None:
        holder["deleted"] = tl.delete_added_event(case, added)

    added: tl.AddedEvent = commands.perform(
        TimelineCommand,
        "Add timeline item",
        lambda: tl.add_event(case, value, title, document_id=document_id, start=start, end=end),
        undo,
        _with_facts(document_id),
        lambda _added: tl.restore_added_event(case, holder["deleted"]),
    )
    return added.event_id
