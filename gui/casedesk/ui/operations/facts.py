"""Fact operations on one or many facts at once: confirm, reject, change kind. One undoable
step each, however many facts; each decision is kept by the case (``casedesk.entity_edits``)."""

from __future__ import annotations

from collections.abc import Sequence

from casedesk import entity_edits
from casedesk.ui.commands import Commands, FactsCommand
from casedesk.ui.operations.entities import changes_of


def _perform(commands: Commands, text: str, make: object) -> None:
    case = commands.case
    commands.perform(
        FactsCommand,
        text,
        make,  # type: ignore[arg-type]
        lambda done: entity_edits.undo(case, done),
        lambda done: changes_of(done.changes),
        lambda done: entity_edits.redo(case, done) and None,
    )


def _noun(n: int) -> str:
    return "fact" if n == 1 else f"{n} facts"


def set_status(commands: Commands, fact_ids: Sequence[int], status: str) -> None:
    ids = list(fact_ids)
    verb = "Confirm" if status == "confirmed" else "Reject"
    _perform(
        commands,
        f"{verb} {_noun(len(ids))}",
        lambda: entity_edits.set_facts_status(commands.case, ids, status),
    )


def set_kind(commands: Commands, fact_ids: Sequence[int], kind: str) -> None:
    ids = list(fact_ids)
    _perform(
        commands,
        f"Change kind of {_noun(len(ids))} to {kind}",
        lambda: entity_edits.set_facts_kind(commands.case, ids, kind),
    )
