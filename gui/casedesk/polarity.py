"""Polarity of claims and events, as every view reads it from the case file.

A claim's ``attrs.polarity`` is "denies" when the speaker is reported as denying, rejecting or
refusing to affirm its words ("X denied that ...", "X did not say that ..."), else "asserts";
an event's is "denies" when its sentence reports the happening only as denied. No view may
show a denial as the speaker's assertion, or a denied happening as one that took place. This
module needs neither Qt nor the language model, so the window and the exports share it.
"""

from __future__ import annotations

ASSERTS = "asserts"
DENIES = "denies"
POLARITIES = (ASSERTS, DENIES)
DENIAL_MARK = "⊘"  # marks a denial wherever a claim or an event is listed
DENIED_TITLE_PREFIX = "Denied: "  # begins the title of an event reported only as denied


def denial_sql(alias: str = "f") -> str:
    """An SQL expression over facts table ``alias``: NULL unless the fact is a claim or an
    event marked "denies"; then the words that deny for a claim ("denied", "did not say"),
    and the speaker who denied it for an event (or "")."""
    attrs = f"{alias}.attrs"
    return (
        f"CASE WHEN {alias}.kind IN ('claim', 'event') AND json_valid({attrs}) "
        f"AND json_extract({attrs}, '$.polarity') = '{DENIES}' THEN "
        f"CASE {alias}.kind WHEN 'claim' THEN coalesce(json_extract({attrs}, '$.cue'), 'denied') "
        f"ELSE coalesce(json_extract({attrs}, '$.denied_by'), '') END END"
    )


def polarity_sql(alias: str = "f") -> str:
    """ "asserts" or "denies" for a claim or an event, NULL for the other kinds."""
    return (
        f"CASE WHEN {alias}.kind IN ('claim', 'event') THEN "
        f"CASE WHEN ({denial_sql(alias)}) IS NULL THEN '{ASSERTS}' ELSE '{DENIES}' END END"
    )


def denial_text(kind: str, speaker: str | None, denial: str) -> str:
    """What a denial means, in words: for a claim, that the speaker denies the words (with the
    words that deny, from ``denial_sql``); for an event, that its sentence reports it only as
    denied (``denial`` names who denied it, or is empty)."""
    if kind == "claim":
        who = speaker or "The speaker"
        return f"{DENIAL_MARK} {who} denies this ({denial}): not their assertion"
    by = f" by {denial}" if denial else ""
    return f"{DENIAL_MARK} reported only as denied{by}: not shown as having happened"
