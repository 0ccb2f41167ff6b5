"""Bounded work on pathological inputs: behaviour that stays right when the work is bounded.

The figures (seconds, peak memory) are printed by bench/pathological.py; these tests check
that the bounded paths give the same kind of answer as the ordinary ones.
"""

from __future__ import annotations

from casedesk.ingest.debris import EDGE_LINES, MAX_EXAMINED_LINES, find_debris


def test_debris_of_a_very_long_text_is_looked_for_at_its_edges() -> None:
    body = [
        f"Entry {i}: the harbour master logged one more container ship at the quay today."
        for i in range(MAX_EXAMINED_LINES + 10_000)
    ]
    body[0] = "Share on Facebook Twitter"
    body[len(body) // 2] = "Share on Facebook Twitter"  # the middle is not examined
    body[-1] = "Copyright 2020 Example News. All rights reserved."
    text = "\n\n".join(body)
    debris = find_debris(text)
    flagged = [text[start:end] for _, _, start, end, _ in debris.ranges]
    assert flagged == ["Share on Facebook Twitter", body[-1]]
    first, last, _, _, reason = debris.ranges[-1]
    assert reason == "copyright" and first == last == 2 * (len(body) - 1)
    assert len(text.split("\n")) > 2 * EDGE_LINES
