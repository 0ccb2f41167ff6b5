"""Entity operations: rename, change kind, merge, split, "not an entity", merge proposals and
corrections. Each is one undoable ``EntitiesCommand`` over ``casedesk.entity_edits``, whose
edits teach the case (later extraction obeys them) and come back with what they changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from casedesk import entity_edits
from casedesk.ui.commands import Commands, EntitiesCommand
from casedesk.ui.operations import Changes


def changes_of(op: entity_edits.OpChanges) -> Changes:
    """The window's view of what an entity edit changed."""
    touched = bool(op.entities or op.facts)
    return Changes.of_facts(
        op.documents,
        entities=touched,
        timeline=bool(op.events) or touched,
        corrections=bool(op.corrections) or op.proposals,
    )


def _perform(
    commands: Commands, text: str, make: Callable[[], entity_edits.Edit]
) -> entity_edits.Edit:
    case = commands.case
    edit: entity_edits.Edit = commands.perform(
        EntitiesCommand,
        text,
        make,
        lambda done: entity_edits.undo(case, done),
        lambda done: changes_of(done.changes),
        lambda done: entity_edits.redo(case, done) and None,
    )
    return edit


def _names(n: int, noun: str = "entity") -> str:
    return f"1 {noun}" if n == 1 else f"{n} {'entities' if noun == 'entity' else noun + 's'}"


def rename_entity(commands: Commands, entity_id: int, name: str) -> None:
    _perform(
        commands,
        f"Rename entity to “{name.strip()}”",
        lambda: entity_edits.rename_entity(commands.case, entity_id, name),
    )


def set_entity_kind(commands: Commands, entity_ids: Sequence[int], kind: str) -> None:
    ids = list(entity_ids)
    _perform(
        commands,
        f"Make {_names(len(ids))} {kind}",
        lambda: entity_edits.set_entity_kind(commands.case, ids, kind),
    )


def merge_entities(
    commands: Commands,
    entity_ids: Sequence[int],
    *,
    keep_id: int,
    name: str | None = None,
    kind: str | None = None,
) -> None:
    ids = list(entity_ids)
    _perform(
        commands,
        f"Merge {_names(len(ids))}",
        lambda: entity_edits.merge_entities(
            commands.case, ids, keep_id=keep_id, name=name, kind=kind
        ),
    )


def split_entity(
    commands: Commands,
    entity_id: int,
    *,
    spellings: Sequence[str] = (),
    fact_ids: Sequence[int] = (),
    name: str | None = None,
) -> int | None:
    """Move spellings and mentions into a new entity; returns the new entity's id."""
    edit = _perform(
        commands,
        "Split entity",
        lambda: entity_edits.split_entity(
            commands.case, entity_id, spellings=list(spellings), fact_ids=list(fact_ids), name=name
        ),
    )
    return edit.new_entity_id


def reject_entities(commands: Commands, entity_ids: Sequence[int]) -> None:
    ids = list(entity_ids)
    _perform(
        commands,
        f"Not an entity ({_names(len(ids))})",
        lambda: entity_edits.reject_entities(commands.case, ids),
    )


def accept_proposal(
    commands: Commands, proposal_id: int, *, keep_id: int | None = None, kind: str | None = None
) -> None:
    _perform(
        commands,
        "Accept merge proposal",
        lambda: entity_edits.accept_proposal(
            commands.case, proposal_id, keep_id=keep_id, kind=kind
        ),
    )


def reject_proposal(commands: Commands, proposal_id: int) -> None:
    _perform(
        commands,
        "Reject merge proposal",
        lambda: entity_edits.reject_proposal(commands.case, proposal_id),
    )


def revoke_correction(commands: Commands, correction_id: int) -> None:
    _perform(
        commands,
        "Revoke correction",
        lambda: entity_edits.revoke_correction(commands.case, correction_id),
    )
