"""Colours that mean something in the window: one per fact kind, and the search-hit mark.

Highlights are drawn with alpha so the same colour reads on a light and on a dark base.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

KIND_COLOURS: dict[str, str] = {
    "date": "#2f80ed",
    "duration": "#56ccf2",
    "person": "#eb5757",
    "organization": "#9b51e0",
    "place": "#27ae60",
    "material": "#f2994a",
    "quantity": "#b8860b",
    "event": "#e056a0",
    "claim": "#828282",
}

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


def kind_colour(kind: str, alpha: int = 255) -> QColor:
    colour = QColor(KIND_COLOURS.get(kind, "#888888"))
    colour.setAlpha(alpha)
    return colour


def tag_colour(value: str | None, alpha: int = 255) -> QColor:
    colour = QColor(value or "#f6c343")
    if not colour.isValid():
        colour = QColor("#f6c343")
    colour.setAlpha(alpha)
    return colour
