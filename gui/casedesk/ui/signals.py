"""What changed in the open case, announced once for every view that shows it.

Undo commands emit these after they change the store; views refresh themselves from them and
never reach into each other.

Signals:
    documents_changed(): documents added, removed or their properties edited.
    facts_changed(int): facts of a document changed (-1: of several or unknown documents).
    annotations_changed(int): annotations of a document changed.
    tags_changed(): a tag was added, renamed, recoloured or deleted.
    entities_changed(): entities renamed, re-kinded, merged, split or rejected.
    timeline_changed(): timeline items edited, added or removed (no fact changed).
    corrections_changed(): the case's standing corrections or merge proposals changed.
    disputes_changed(): the user decided on a dispute (resolved, not a dispute, reopened).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class CaseSignals(QObject):
    documents_changed = Signal()
    facts_changed = Signal(int)
    annotations_changed = Signal(int)
    tags_changed = Signal()
    entities_changed = Signal()
    timeline_changed = Signal()
    corrections_changed = Signal()
    disputes_changed = Signal()
