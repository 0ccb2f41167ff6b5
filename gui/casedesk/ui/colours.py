"""Colours that mean something in the window: one per fact kind, and the search-hit mark.

Highlights are drawn with alpha so the same colour reads on a light and on a dark base.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from casedesk.palette import KIND_COLOURS as KIND_COLOURS  # the colours are shared with exports
from casedesk.palette import OTHER_COLOUR

KIND_LABELS: dict[str, str] = {
    "date": "Dates",
    "duration": "Durations",
    "person": "People",
    "organization": "Organisations",
    "place": "Places",
    "material": "Materials",
    "quantity": "Quantities",
    "event": "Events",
    "claim": "Claims",
}

KIND_NAMES: dict[str, str] = {
    "date": "Date",
    "duration": "Duration",
    "person": "Person",
    "organization": "Organisation",
    "place": "Place",
    "material": "Material",
    "quantity": "Quantity",
    "event": "Event",
    "claim": "Claim",
}

SEARCH_HIT = "#ffd400"
# A claim the speaker denies, an event reported only as denied: drawn apart from assertions
# (a wavy underline in the reader, this colour and a "⊘ denies:" prefix in the facts panel).
DENIAL = "#d32f2f"
# A disputed fact or timeline item: the sources disagree on it (casedesk.disputes).
DISPUTED = "#e65100"


def kind_colour(kind: str, alpha: int = 255) -> QColor:
    colour = QColor(KIND_COLOURS.get(kind, OTHER_COLOUR))
    colour.setAlpha(alpha)
    return colour


def tag_colour(value: str | None, alpha: int = 255) -> QColor:
    colour = QColor(value or "#f6c343")
    if not colour.isValid():
        colour = QColor("#f6c343")
    colour.setAlpha(alpha)
    return colour
