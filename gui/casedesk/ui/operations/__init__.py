"""User operations: each a small function that runs an edit of the core as one undoable step
and says what it changed; the views refresh themselves from that (``announce``).

One module per area (``facts``, ``entities``, ``timeline``). An operation never builds a
widget: dialogs ask the user first, then call the operation with the answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from casedesk.ui.signals import CaseSignals

ALL_DOCUMENTS = -1


@dataclass(frozen=True)
class Changes:
    """What an operation changed, for the views to decide whether to refresh (Anki's
    ``OpChanges``). ``facts_of`` holds the documents whose facts changed (``ALL_DOCUMENTS``:
    any or many)."""

    facts_of: frozenset[int] = frozenset()
    entities: bool = False
    timeline: bool = False
    documents: bool = False
    corrections: bool = False
    disputes: bool = False

    @classmethod
    def of_facts(cls, documents: Iterable[int], **more: bool) -> Changes:
        docs = frozenset(documents)
        if len(docs) > 8:
            docs = frozenset({ALL_DOCUMENTS})
        return cls(facts_of=docs, **more)


TIMELINE = Changes(timeline=True)
ENTITIES = Changes(facts_of=frozenset({ALL_DOCUMENTS}), entities=True, timeline=True)


def announce(signals: CaseSignals, changes: Changes) -> None:
    """Tell every view what changed, each signal once."""
    if changes.documents:
        signals.documents_changed.emit()
    facts = sorted(changes.facts_of)
    if ALL_DOCUMENTS in changes.facts_of:
        facts = [ALL_DOCUMENTS]
    for doc_id in facts:
        signals.facts_changed.emit(doc_id)
    if changes.entities:
        signals.entities_changed.emit()
    if changes.corrections:
        signals.corrections_changed.emit()
    if changes.disputes:
        signals.disputes_changed.emit()
    if changes.timeline and not facts:
        # (a change of facts refreshes the timeline already)
        signals.timeline_changed.emit()
