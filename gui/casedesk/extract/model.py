"""What the extractors produce before it is written to the case file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Mention:
    """A fact candidate found in one document's text.

    ``start``/``end`` are character offsets into the document's stored text. ``value`` is the
    normalised value: an ISO/TimeML value for dates and durations (``2019-07``, ``P3Y``), the
    normalised name for entities, ``"<number> <unit>"`` for quantities, the date value for
    events, the speaker for claims. ``attrs`` holds what a kind needs beyond that (it is stored
    as JSON in ``facts.attrs``).
    """

    kind: str
    start: int
    end: int
    text: str
    value: str | None = None
    modifier: str | None = None
    provenance: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
