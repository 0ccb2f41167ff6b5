"""Decisions on disputed facts: resolved (with a note), not a dispute, reopened. Each is one
undoable ``DisputeCommand`` over ``casedesk.disputes``; the decision is kept in the case and
outlives extraction run again."""

from __future__ import annotations

from collections.abc import Callable

from casedesk import disputes
from casedesk.ui.commands import Commands, DisputeCommand
from casedesk.ui.operations import Changes

DISPUTES = Changes(disputes=True)


def _perform(
    commands: Commands, text: str, make: Callable[[], disputes.DisputeEdit]
) -> disputes.DisputeEdit:
    case = commands.case
    edit: disputes.DisputeEdit = commands.perform(
        DisputeCommand,
        text,
        make,
        lambda done: disputes.undo(case, done),
        DISPUTES,
        lambda done: disputes.redo(case, done),
    )
    return edit


def resolve(commands: Commands, dispute: disputes.Dispute, note: str) -> None:
    _perform(commands, "Resolve dispute", lambda: disputes.resolve(commands.case, dispute, note))


def dismiss(commands: Commands, dispute: disputes.Dispute, note: str = "") -> None:
    _perform(commands, "Not a dispute", lambda: disputes.dismiss(commands.case, dispute, note))


def reopen(commands: Commands, dispute: disputes.Dispute) -> None:
    _perform(commands, "Reopen dispute", lambda: disputes.reopen(commands.case, dispute))
