"""What changed in the open case, announced once for every view that shows it.

Undo commands emit these after they change the store; views refresh themselves from them and
never reach into each other.

Signals:
    documents_changed(): documents added, removed or their properties edited.
    facts_changed(int): facts of a document changed (-1: of several or unknown documents).
    annotations_changed(int): annotations of a document changed.
    tags_changed(): a tag was added, renamed, recoloured or deleted.
    entities_changed(): entities merged or split.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class CaseSignals(QObject):
    documents_changed = Signal()
    facts_changed = Signal(int)
    annotations_changed = Signal(int)
    tags_changed = Signal()
    entities_changed = Signal()
