"""The colour of each fact kind, shared by the window and the files Casedesk writes (a graph
exported for Gephi colours its nodes as the window does). Plain hex strings: no Qt here."""

from __future__ import annotations

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
OTHER_COLOUR = "#888888"


def kind_rgb(kind: str) -> tuple[int, int, int]:
    """A kind's colour as red, green and blue from 0 to 255."""
    value = KIND_COLOURS.get(kind, OTHER_COLOUR).lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
