"""Disputed facts: where the case's sources disagree, with the evidence of each side.

Four kinds, each found from what extraction already wrote (no language model here):

* ``claim``: words one speaker asserts and another denies, whether the denial comes from
  another source or from the party the words concern ("The auditors said the mayor approved
  the transfer" / "The mayor denied that he approved the transfer"). The two claims must share
  most of their content words; a clause reported as one speaker's claim and another's denial
  ("X disputed Y's claim that ...") is a dispute too.
* ``event``: a timeline item whose reports include a denial of it. A denied report is never
  counted as a source that agrees (``agreeing_sources``); a denial of a happening another
  document reports, left on an item of its own, is joined to the report it denies here.
* ``date``: one happening dated differently by different documents, beyond the precision they
  share: "on 3 March" and "on 5 March" differ, "on 3 March" and "in March" do not. Two reports
  are one happening when they agree on what happened as corroboration measures it, more
  strictly (``DATE_SIMILARITY``), lie within ``DATE_WINDOW_DAYS`` of each other and do not
  carry different ordinals ("the first round" and "the second round" are two happenings).
  Reports the user put on one timeline item are one happening whatever their words.
* ``quantity``: one quantity about the same thing given different values by different
  documents: the same unit (people, dollars, hours), in sentences that share most of their
  content words, with values that cannot both be true once each side's approximation is
  allowed for ("more than 40" agrees with 45; "about 200" with 210; 40 and 42 differ).

A dispute's ``id`` is derived from its kind, subject and sides (the documents by their content
hash, and each side's value), so it is the same after the case is extracted again and the
user's decision on it (``resolve``, ``dismiss``: not a dispute; ``reopen``) holds. Decisions
live in the ``dispute_decisions`` table; each change returns a ``DisputeEdit`` that ``undo``
and ``redo`` replay. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from casedesk.edits import EditError
from casedesk.extract import corroborate
from casedesk.extract.timex import Period, period
from casedesk.polarity import DENIED_TITLE_PREFIX, DENIES
from casedesk.store import Case, chunked, now_iso

KINDS = ("claim", "date", "quantity", "event")
OPEN, RESOLVED, NOT_A_DISPUTE = "open", "resolved", "not_a_dispute"
STATUSES = (OPEN, RESOLVED, NOT_A_DISPUTE)
STATUS_WORDS = {OPEN: "open", RESOLVED: "resolved", NOT_A_DISPUTE: "not a dispute"}
KIND_WORDS = {
    "claim": "claim asserted and denied",
    "date": "dated differently",
    "quantity": "different values",
    "event": "reported and denied",
}

# Two claims are the same words when this share of the shorter one's content words are in
# both, and at least ``CLAIM_MIN_SHARED`` of them.
CLAIM_OVERLAP = 0.6
CLAIM_MIN_SHARED = 2
# Two dated reports are one happening when corroboration's similarity reaches this (its own
# threshold for joining reports is ``corroborate.THRESHOLD``; a date dispute needs more, since
# the dates do not help) and they lie within this many days of each other.
DATE_SIMILARITY = 0.5
DATE_WINDOW_DAYS = 62
# Two quantities count the same thing when their sentences share this share of the shorter
# one's content words, and at least ``QUANTITY_MIN_SHARED`` of them.
QUANTITY_OVERLAP = 0.5
QUANTITY_MIN_SHARED = 3
# A word carried by more facts than this is no evidence that two of them match (in a large
# case "government" is in thousands of sentences): it is not used to find candidates.
MAX_POSTINGS = 400
# The same for the words that find candidate reports and figures (by month for reports): a
# word shared by more is too common to say two of them are about one thing, and comparing
# each with each would cost minutes in a case of a thousand articles.
MAX_CANDIDATES = 40


# Words that only say a claim is denied or negated: they differ between the two sides by nature.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_POLARITY_WORDS = _words(
    "not no never deny denied denies denying denial reject rejected rejects dismiss "
    "dismissed false untrue baseless refute refuted refutes dispute disputed disputes"
)
_ORDINALS = _words(
    "first second third fourth fifth sixth seventh eighth ninth tenth "
    "1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th"
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


# -- what a dispute is ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Side:
    """One source's version: the words it rests on and the value it gives."""

    document: str  # the file name the document was imported from
    document_id: int
    fact_id: int
    start: int
    end: int
    text: str
    value: str
    title: str = ""  # the document as the user knows it (title, or file name)

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
        }


@dataclass(frozen=True, slots=True)
class Dispute:
    id: str
    kind: str
    subject: str
    sides: tuple[Side, ...]
    status: str = OPEN
    note: str = ""
    event_ids: tuple[int, ...] = ()  # the timeline items it concerns

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def fact_ids(self) -> tuple[int, ...]:
        return tuple(s.fact_id for s in self.sides)

    @property
    def document_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(s.document_id for s in self.sides))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "sides": [s.as_json() for s in self.sides],
            "status": self.status,
            "note": self.note,
        }


def _dispute_id(kind: str, subject: str, keys: Iterable[tuple[str, str]]) -> str:
    """Derived from what the dispute is, never from row ids, so that it survives extraction
    run again: the kind, the subject, and each side's document (by content hash) and value."""
    h = hashlib.sha1(usedforsecurity=False)
    h.update(kind.encode())
    h.update(b"\x1f" + " ".join(subject.lower().split()).encode())
    for doc, value in sorted(set(keys)):
        h.update(b"\x1e" + doc.encode() + b"\x1f" + value.encode())
    return f"{kind[0]}{h.hexdigest()[:11]}"


# -- reading the case ----------------------------------------------------------------------------


def _conn(db: Case | sqlite3.Connection) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


@dataclass
class _Docs:
    """Documents by id: file name, title and content hash, read once for the sides."""

    conn: sqlite3.Connection
    rows: dict[int, tuple[str, str, str]] = field(default_factory=dict)

    def load(self, ids: Iterable[int]) -> None:
        missing = sorted(set(ids) - set(self.rows))
        for chunk, marks in chunked(missing):
            for doc_id, name, title, sha in self.conn.execute(
                f"SELECT id, file_name, title, sha256 FROM documents WHERE id IN ({marks})", chunk
            ):
                self.rows[int(doc_id)] = (str(name), str(title or name), str(sha))

    def side(self, fact: _Fact, value: str) -> Side:
        name, title, _sha = self.rows.get(fact.document_id, ("", "", ""))
        return Side(name, fact.document_id, fact.id, fact.start, fact.end, fact.text, value, title)

    def key(self, side: Side) -> tuple[str, str]:
        return (self.rows.get(side.document_id, ("", "", str(side.document_id)))[2], side.value)


@dataclass(frozen=True, slots=True)
class _Fact:
    id: int
    document_id: int
    start: int
    end: int
    text: str
    value: str
    attrs: dict[str, Any]

    @property
    def denied(self) -> bool:
        return self.attrs.get("polarity") == DENIES


def _attrs(text: object) -> dict[str, Any]:
    if not text:
        return {}
    try:
        found = json.loads(str(text))
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _facts(conn: sqlite3.Connection, kind: str) -> list[_Fact]:
    return [
        _Fact(int(i), int(d), int(s), int(e), str(t), str(v or ""), _attrs(a))
        for i, d, s, e, t, v, a in conn.execute(
            "SELECT id, document_id, start, end, text, value, attrs FROM facts "
            "WHERE kind = ? AND status != 'rejected' ORDER BY document_id, start, id",
            (kind,),
        )
    ]


_CALENDAR = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday"
)


def _stems(text: str, drop: frozenset[str] = frozenset()) -> frozenset[str]:
    """Content words folded as corroboration folds them; names of months and weekdays left
    out (a date is compared as a date, and "March" is no protest march)."""
    generic = corroborate._generic()
    return frozenset(
        corroborate.stem(w)
        for w in _WORD.findall(text)
        if len(w) > 1
        and w.lower() not in generic
        and w.lower() not in drop
        and w.lower() not in _CALENDAR
    )


def _overlap(a: frozenset[str], b: frozenset[str]) -> tuple[int, float]:
    shared = len(a & b)
    if not shared:
        return 0, 0.0
    return shared, shared / min(len(a), len(b))


def _names(text: str) -> frozenset[str]:
    """The words of ``text`` written with a capital but its first word (parts of names of
    people, places and organisations), calendar words left out."""
    words = _WORD.findall(text)
    return frozenset(
        corroborate.stem(w) for w in words[1:] if w[0].isupper() and w.lower() not in _CALENDAR
    )


def _names_differ(a: str, b: str) -> bool:
    """Whether each sentence names something the other does not (names folded as
    corroboration folds them: "Japan" and "Japanese" are one): 42 people arrested in
    Marrowgate and 37 in Lindholm are two quantities, jobs cut at a company's plant in one
    town and at its plant in another two happenings, however alike their words."""
    na, nb = _names(a), _names(b)
    return bool(na - nb and nb - na)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _index(items: Sequence[frozenset[str]], limit: int = MAX_POSTINGS) -> dict[str, list[int]]:
    """Positions of ``items`` by each of their words; words in more than ``limit`` items left
    out."""
    found: dict[str, list[int]] = {}
    for i, words in enumerate(items):
        for w in words:
            found.setdefault(w, []).append(i)
    return {w: ids for w, ids in found.items() if len(ids) <= limit}


# -- claims --------------------------------------------------------------------------------------


def _claim_disputes(conn: sqlite3.Connection, docs: _Docs) -> list[tuple[str, str, list[Side]]]:
    claims = _facts(conn, "claim")
    denials = [c for c in claims if c.denied]
    if not denials:
        return []
    asserted = [c for c in claims if not c.denied]
    docs.load(c.document_id for c in claims)
    stems = [_stems(c.text, _POLARITY_WORDS) for c in asserted]
    index = _index(stems)
    out: list[tuple[str, str, list[Side]]] = []
    for denial in denials:
        mine = _stems(denial.text, _POLARITY_WORDS)
        candidates: set[int] = set()
        for w in mine:
            candidates.update(index.get(w, ()))
        matches: list[_Fact] = []
        for i in sorted(candidates):
            claim = asserted[i]
            if _speaker_key(claim.value) == _speaker_key(denial.value):
                continue  # one speaker's own words are no dispute between sources
            shared, share = _overlap(mine, stems[i])
            same_clause = (claim.document_id, claim.start, claim.end) == (
                denial.document_id,
                denial.start,
                denial.end,
            )
            if _names_differ(claim.text, denial.text):
                continue
            if same_clause or (shared >= CLAIM_MIN_SHARED and share >= CLAIM_OVERLAP):
                matches.append(claim)
        if not matches:
            continue
        sides = [docs.side(c, f"{c.value or 'unattributed'} asserts") for c in matches]
        sides.append(docs.side(denial, f"{denial.value or 'unattributed'} denies"))
        out.append(("claim", _short(denial.text), sides))
    return _merge_same_subject(out)


def _speaker_key(speaker: str) -> str:
    return " ".join(speaker.lower().split())


def _merge_same_subject(
    found: list[tuple[str, str, list[Side]]],
) -> list[tuple[str, str, list[Side]]]:
    """Several denials of the same words are one dispute with every side."""
    merged: dict[tuple[str, str], list[Side]] = {}
    for kind, subject, sides in found:
        have = merged.setdefault((kind, subject), [])
        for s in sides:
            if s not in have:
                have.append(s)
    return [(k, s, sides) for (k, s), sides in merged.items()]


# -- events: reported and denied -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Report:
    fact: _Fact
    event_id: int | None
    period: Period | None


def _reports(conn: sqlite3.Connection) -> list[_Report]:
    owner: dict[int, int] = {}
    for event_id, fact_id in conn.execute(
        "SELECT s.event_id, s.fact_id FROM event_sources s JOIN events e ON e.id = s.event_id "
        "WHERE e.status != 'rejected'"
    ):
        owner.setdefault(int(fact_id), int(event_id))
    return [_Report(f, owner.get(f.id), period(f.value, None)) for f in _facts(conn, "event")]


def _title(f: _Fact) -> str:
    title = str(f.attrs.get("title") or f.value)
    return title.removeprefix(DENIED_TITLE_PREFIX)


def _event_value(r: _Report) -> str:
    if r.fact.denied:
        by = str(r.fact.attrs.get("denied_by") or "")
        return f"denied by {by}" if by else "denied"
    return f"reported ({r.fact.value})"


def _event_disputes(
    conn: sqlite3.Connection,
    docs: _Docs,
    reports: list[_Report],
    facts: dict[int, corroborate.EventFact],
) -> list[tuple[str, str, list[Side], tuple[int, ...]]]:
    titles = dict(conn.execute("SELECT id, title FROM events WHERE status != 'rejected'"))
    by_event: dict[int, list[_Report]] = {}
    for r in reports:
        if r.event_id is not None:
            by_event.setdefault(r.event_id, []).append(r)
    out: list[tuple[str, str, list[Side], tuple[int, ...]]] = []
    lone_denials: list[_Report] = []
    for event_id, members in by_event.items():
        denied = [r for r in members if r.fact.denied]
        if not denied:
            continue
        told = [r for r in members if not r.fact.denied]
        if not told:
            lone_denials += denied
            continue
        docs.load(r.fact.document_id for r in members)
        subject = _title(told[0].fact) if told else str(titles.get(event_id, ""))
        subject = str(titles.get(event_id) or subject)
        subject = subject.removeprefix(DENIED_TITLE_PREFIX)
        sides = [docs.side(r.fact, _event_value(r)) for r in told + denied]
        out.append(("event", _short(subject), sides, (event_id,)))
    # A denial corroboration left on an item of its own: the report it denies, if another
    # document reports the happening on a date the denial's date allows.
    told_reports = [r for r in reports if not r.fact.denied and r.fact.id in facts]
    for denial in lone_denials + [r for r in reports if r.fact.denied and r.event_id is None]:
        mine = facts.get(denial.fact.id)
        if mine is None:
            continue
        best: _Report | None = None
        best_score = corroborate.THRESHOLD
        for r in told_reports:
            if r.fact.document_id == denial.fact.document_id:
                continue
            other = facts[r.fact.id]
            if not corroborate.compatible(mine, other):
                continue
            score = corroborate.similarity(mine, other)
            if score >= best_score:
                best, best_score = r, score
        if best is None:
            continue
        docs.load([best.fact.document_id, denial.fact.document_id])
        sides = [
            docs.side(best.fact, _event_value(best)),
            docs.side(denial.fact, _event_value(denial)),
        ]
        ids = tuple(sorted({e for e in (best.event_id, denial.event_id) if e is not None}))
        out.append(("event", _short(_title(best.fact)), sides, ids))
    return out


# -- dates ---------------------------------------------------------------------------------------


def _nested(a: Period, b: Period) -> bool:
    """Whether the two dates agree at the precision they share: one period holds the other."""
    return a.contains(b) or b.contains(a)


def _action_stems(f: _Fact, ef: corroborate.EventFact) -> frozenset[str]:
    """The title's words that are no part of a name: those the report writes in lower case
    (a name or a title such as "President" is capitalised wherever it stands)."""
    lower = {
        corroborate.stem(w)
        for w in _WORD.findall(f.text + " " + str(f.attrs.get("title") or ""))
        if w[0].islower()
    }
    # a class of happening (ARREST, STRIKE: folded from the lemma) is never a name
    return frozenset(w for w in ef.title_stems if w.isupper() or w in lower)


def _ordinals(text: str) -> frozenset[str]:
    return frozenset(w for w in text.lower().split() if w.strip(",.;:") in _ORDINALS)


def _date_disputes(
    conn: sqlite3.Connection,
    docs: _Docs,
    reports: list[_Report],
    facts: dict[int, corroborate.EventFact],
    paired: set[tuple[int, int]],
) -> list[tuple[str, str, list[Side], tuple[int, ...]]]:
    """Date disputes; ``paired`` receives the pairs of reports (fact ids, smaller first) that
    tell of one happening on dates that disagree."""
    told = [
        (r, r.period)
        for r in reports
        if not r.fact.denied and r.period is not None and r.fact.id in facts
    ]
    # Reports the user put on one item: one happening, whatever their words.
    user_events = {
        int(e)
        for (e,) in conn.execute("SELECT id FROM events WHERE status IN ('confirmed', 'manual')")
    }
    by_event: dict[int, list[tuple[_Report, Period]]] = {}
    for r, p in told:
        if r.event_id is not None and r.event_id in user_events:
            by_event.setdefault(r.event_id, []).append((r, p))
    for members in by_event.values():
        for i, (a, pa) in enumerate(members):
            for b, pb in members[i + 1 :]:
                if a.fact.document_id != b.fact.document_id and not _nested(pa, pb):
                    paired.add((min(a.fact.id, b.fact.id), max(a.fact.id, b.fact.id)))
    # Reports on different items that tell of one happening. A sentence may date several
    # happenings ("loading stops on Tuesday and ferries on Wednesday"): a report agrees with
    # another when any date of its sentence agrees with any of the other's.
    sentence_dates: dict[tuple[int, int, int], list[Period]] = {}
    for r, p in told:
        sentence_dates.setdefault((r.fact.document_id, r.fact.start, r.fact.end), []).append(p)

    def dates_of(r: _Report) -> list[Period]:
        return sentence_dates[(r.fact.document_id, r.fact.start, r.fact.end)]

    # Candidates by action word and month: in a large case a word such as "meet" is in
    # thousands of reports, but few of one month; a month's bucket that is still too full
    # is no evidence and is not searched.
    window = dt.timedelta(days=DATE_WINDOW_DAYS)
    actions = [_action_stems(r.fact, facts[r.fact.id]) for r, _p in told]
    index: dict[tuple[str, int], list[int]] = {}
    for i, (words, (_r, p)) in enumerate(zip(actions, told, strict=True)):
        month = p.start.year * 12 + p.start.month
        for w in words:
            index.setdefault((w, month), []).append(i)
    for i, (a, pa) in enumerate(told):
        if not actions[i]:
            continue
        first = (pa.start - window).year * 12 + (pa.start - window).month
        last = (pa.end + window).year * 12 + (pa.end + window).month
        near: set[int] = set()
        for w in actions[i]:
            for month in range(first, last + 1):
                bucket = index.get((w, month))
                if bucket is not None and len(bucket) <= MAX_CANDIDATES:
                    near.update(bucket)
        fa = facts[a.fact.id]
        for j in sorted(near):
            b, pb = told[j]
            if j <= i or abs((pb.start - pa.start).days) > DATE_WINDOW_DAYS:
                continue
            if a.fact.document_id == b.fact.document_id or _nested(pa, pb):
                continue
            if any(_nested(x, y) for x in dates_of(a) for y in dates_of(b)):
                continue
            if a.event_id is not None and a.event_id == b.event_id:
                continue
            # One happening is one action: the titles share a class of happening (an arrest, a
            # strike) or two words that are not names (two reports naming the same countries
            # or the same trains on nearby days are not enough).
            shared = actions[i] & actions[j]
            if not (len(shared) >= 2 or any(w.isupper() for w in shared)):
                continue
            if corroborate.similarity(fa, facts[b.fact.id]) < DATE_SIMILARITY:
                continue
            if _ordinals(a.fact.text) != _ordinals(b.fact.text):
                continue
            if _names_differ(a.fact.text, b.fact.text):
                continue
            paired.add((min(a.fact.id, b.fact.id), max(a.fact.id, b.fact.id)))
    by_id = {r.fact.id: (r, p) for r, p in told}
    # Pairs that share a report become one dispute with every side (three sources, three dates).
    groups: list[set[int]] = []
    for a_id, b_id in sorted(paired):
        hit = [g for g in groups if a_id in g or b_id in g]
        merged = {a_id, b_id}.union(*hit)
        groups = [g for g in groups if g not in hit] + [merged]
    out: list[tuple[str, str, list[Side], tuple[int, ...]]] = []
    for group in groups:
        members = sorted(
            (by_id[f] for f in group), key=lambda rp: (rp[1].start, rp[0].fact.document_id)
        )
        docs.load(r.fact.document_id for r, _p in members)
        named = max(members, key=lambda rp: (len(_title(rp[0].fact).split()), _title(rp[0].fact)))
        sides = [docs.side(r.fact, r.fact.value) for r, _p in members]
        events = tuple(sorted({r.event_id for r, _p in members if r.event_id is not None}))
        out.append(("date", _short(_title(named[0].fact)), sides, events))
    return out


# -- quantities ----------------------------------------------------------------------------------

CONTEXT = 300  # characters either side of a quantity searched for its sentence's bounds

# How an approximation bounds a value (the words are those ``extract.quantities`` keeps).
_UP_TO = frozenset(
    ["less than", "fewer than", "at most", "up to", "as many as", "as much as", "below"]
    + ["just below"]
)
_AT_LEAST = frozenset(["more than", "at least", "above", "just over", "just above"])
_NEARLY = frozenset(["nearly", "almost", "close to", "just under"])


def _unit_key(unit: str) -> str:
    u = " ".join(unit.lower().split())
    if u.endswith("ies") and len(u) > 4:
        return u[:-3] + "y"
    if u.endswith("s") and not u.endswith("ss") and len(u) > 3:
        return u[:-1]
    return u


def _interval(number: float, approx: str | None) -> tuple[float, float]:
    """The values a written quantity allows: "more than 40" any above 40, "about 200" within a
    tenth, a bare number itself (large round amounts to the last digit written: "4.2 million"
    allows 4.15 to 4.25 million)."""
    a = (approx or "").lower()
    if a in _NEARLY:
        return number * 0.85, number
    if a in _AT_LEAST:
        return number, math.inf
    if a in _UP_TO:
        return 0.0, number
    if a:
        return number * 0.9, number * 1.1
    if number >= 1000 and number == int(number):
        digits = str(int(number)).rstrip("0")
        step = 10 ** (len(str(int(number))) - len(digits))
        return number - step / 2, number + step / 2
    return number, number


def _agree(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@dataclass(frozen=True, slots=True)
class _Quantity:
    fact: _Fact
    unit: str
    number: float
    approx: str | None
    words: frozenset[str]
    sentence: str
    near: frozenset[str]  # the words right around the figure: what it counts or measures


NEAR_WORDS = 4  # words either side of a figure that say what it is a figure of


def _near(sentence: str, text: str) -> frozenset[str]:
    at = sentence.find(" ".join(text.split()))
    if at < 0:
        return frozenset()
    before = _WORD.findall(sentence[:at])[-NEAR_WORDS:]
    after = _WORD.findall(sentence[at + len(text) :])[:NEAR_WORDS]
    return _stems(" ".join(before + after)) - _stems(text)


def _quantities(conn: sqlite3.Connection) -> list[_Quantity]:
    out: list[_Quantity] = []
    for f in _facts(conn, "quantity"):
        if not f.attrs.get("unit") or f.attrs.get("elided"):
            continue
        number = f.attrs.get("number")
        if not isinstance(number, int | float) or isinstance(number, bool):
            continue
        lo = max(0, f.start - CONTEXT)
        row = conn.execute(
            "SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
            (lo + 1, f.end - lo + CONTEXT, f.document_id),
        ).fetchone()
        if row is None:
            continue
        from casedesk.queries import _sentence

        window = str(row[0])
        sentence, _at = _sentence(window, f.start - lo, f.end - lo)
        # The sentence's words but the quantity's own (its number and unit are compared apart).
        words = _stems(sentence) - _stems(f.text)
        unit = _unit_key(str(f.attrs["unit"]))
        approx = f.attrs.get("approx")
        near = _near(sentence, f.text)
        out.append(_Quantity(f, unit, float(number), approx, words, sentence, near))
    return out


def _quantity_subject(a: _Quantity, b: _Quantity) -> str:
    shared = a.words & b.words
    said: list[str] = []
    for w in _WORD.findall(a.sentence):
        s = corroborate.stem(w)
        if s in shared and w[0].islower() and w not in said and w not in corroborate._generic():
            said.append(w)
        if len(said) == 4:
            break
    return f"{a.unit}: {' '.join(said)}" if said else a.unit


def _one_happening(
    a: Sequence[_Report],
    b: Sequence[_Report],
    facts: dict[int, corroborate.EventFact],
    paired: set[tuple[int, int]],
) -> bool:
    """Whether two dated sentences report one happening: on one timeline item, found to be
    one happening dated differently (``paired``), or on nesting dates with the words
    corroboration would join."""
    for x in a:
        for y in b:
            if x.event_id is not None and x.event_id == y.event_id:
                return True
            if (min(x.fact.id, y.fact.id), max(x.fact.id, y.fact.id)) in paired:
                return True
            fx, fy = facts.get(x.fact.id), facts.get(y.fact.id)
            if (
                fx is not None
                and fy is not None
                and x.period is not None
                and y.period is not None
                and _nested(x.period, y.period)
                and corroborate.similarity(fx, fy) >= corroborate.THRESHOLD
            ):
                return True
    return False


def _quantity_disputes(
    conn: sqlite3.Connection,
    docs: _Docs,
    reports: list[_Report],
    facts: dict[int, corroborate.EventFact],
    paired: set[tuple[int, int]],
) -> list[tuple[str, str, list[Side], tuple[int, ...]]]:
    found = _quantities(conn)
    # The dated sentences (event reports) each quantity stands in.
    by_doc: dict[int, list[_Report]] = {}
    for r in reports:
        if not r.fact.denied:
            by_doc.setdefault(r.fact.document_id, []).append(r)

    def dated(q: _Quantity) -> list[_Report]:
        return [
            r
            for r in by_doc.get(q.fact.document_id, ())
            if r.fact.start <= q.fact.start and q.fact.end <= r.fact.end
        ]

    by_unit: dict[str, list[_Quantity]] = {}
    for q in found:
        by_unit.setdefault(q.unit, []).append(q)
    groups: list[list[_Quantity]] = []
    for items in by_unit.values():
        if len({q.fact.document_id for q in items}) < 2:
            continue
        index = _index([q.near for q in items], MAX_CANDIDATES)
        for i, a in enumerate(items):
            candidates: set[int] = set()
            for w in a.near:
                candidates.update(index.get(w, ()))
            for j in sorted(candidates):
                if j <= i:
                    continue
                b = items[j]
                if a.fact.document_id == b.fact.document_id:
                    continue
                shared, share = _overlap(a.words, b.words)
                if shared < QUANTITY_MIN_SHARED or share < QUANTITY_OVERLAP:
                    continue
                if _names_differ(a.sentence, b.sentence):
                    continue
                # What a figure is a figure of is said right beside it ("arrested 42 people",
                # "lost about 70% of its value", "a rate of 29%"): those words must meet.
                if not a.near & b.near:
                    continue
                # Figures in sentences that date what they report count the same thing only
                # if the sentences report one happening (a share price on two days, a rate
                # in two months are two figures).
                da, db = dated(a), dated(b)
                if da and db and not _one_happening(da, db, facts, paired):
                    continue
                if _agree(_interval(a.number, a.approx), _interval(b.number, b.approx)):
                    continue
                hit = [g for g in groups if a in g or b in g]
                merged = [a, b] + [q for g in hit for q in g if q is not a and q is not b]
                groups = [g for g in groups if g not in hit] + [merged]
    out: list[tuple[str, str, list[Side], tuple[int, ...]]] = []
    for group in groups:
        group.sort(key=lambda q: (q.fact.document_id, q.fact.start))
        docs.load(q.fact.document_id for q in group)
        sides = [docs.side(q.fact, q.fact.value or q.fact.text) for q in group]
        out.append(("quantity", _quantity_subject(group[0], group[1]), sides, ()))
    return out


# -- all of them ---------------------------------------------------------------------------------


def find_disputes(db: Case | sqlite3.Connection, *, include_closed: bool = True) -> list[Dispute]:
    """Every dispute in the case, each with the user's decision on it (``status``, ``note``);
    ``include_closed=False`` leaves out the resolved ones and those marked not a dispute.
    Sorted by kind (claims, dates, quantities, events), then subject."""
    conn = _conn(db)
    docs = _Docs(conn)
    reports = _reports(conn)
    event_facts = {f.id: f for f in corroborate.load_facts(conn)}
    found: list[tuple[str, str, list[Side], tuple[int, ...]]] = [
        (k, s, sides, ()) for k, s, sides in _claim_disputes(conn, docs)
    ]
    paired: set[tuple[int, int]] = set()
    found += _date_disputes(conn, docs, reports, event_facts, paired)
    found += _quantity_disputes(conn, docs, reports, event_facts, paired)
    denied = _event_disputes(conn, docs, reports, event_facts)
    # A denial of a happening is also a denied claim: said once, as the event's dispute.
    denied_reports = {
        (s.document_id, s.start, s.end) for _k, _s, sides, _e in denied for s in sides
    }
    found = [d for d in found if d[0] != "claim" or not _inside_any(d[2][-1], denied_reports)]
    found += denied
    decisions = _decisions(conn)
    out: list[Dispute] = []
    seen: set[str] = set()
    for kind, subject, sides, events in found:
        dispute_id = _dispute_id(kind, subject, (docs.key(s) for s in sides))
        if dispute_id in seen:
            continue
        seen.add(dispute_id)
        status, note = decisions.get(dispute_id, (OPEN, ""))
        if not include_closed and status != OPEN:
            continue
        out.append(Dispute(dispute_id, kind, subject, tuple(sides), status, note, events))
    out.sort(key=lambda d: (KINDS.index(d.kind), d.subject.lower(), d.id))
    return out


def _inside_any(side: Side, spans: set[tuple[int, int, int]]) -> bool:
    return any(
        doc == side.document_id and start <= side.start and side.end <= end
        for doc, start, end in spans
    )


def agreeing_sources(sources: Sequence[tuple[int, bool]]) -> int:
    """How many reports of a timeline item agree that it happened: ``sources`` are (fact id,
    denied) pairs; a denial is a dispute of the item, never one more source for it."""
    return sum(1 for _fid, denied in sources if not denied)


# -- the user's decisions ------------------------------------------------------------------------


def _decisions(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    try:
        rows = conn.execute("SELECT dispute_id, status, note FROM dispute_decisions").fetchall()
    except sqlite3.OperationalError:
        return {}  # a case opened read-only before its migration
    return {str(i): (str(s), str(n or "")) for i, s, n in rows}


class DisputeError(EditError):
    """A decision that cannot be made; the message says why in the user's terms."""


@dataclass(frozen=True)
class DisputeEdit:
    """One undoable decision: the ``dispute_decisions`` row before and after (None: none)."""

    dispute_id: str
    label: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def find(db: Case | sqlite3.Connection, dispute_id: str) -> Dispute:
    """The dispute with this id (or the one id it begins with, at least four characters)."""
    wanted = dispute_id.strip().lower()
    found = [d for d in find_disputes(db) if d.id == wanted]
    if not found and len(wanted) >= 4:
        found = [d for d in find_disputes(db) if d.id.startswith(wanted)]
    if not found:
        raise DisputeError(
            f"no dispute {dispute_id!r} in this case (`casedesk disputes` lists them)"
        )
    if len(found) > 1:
        raise DisputeError(f"{dispute_id!r} matches {len(found)} disputes: give more of the id")
    return found[0]


def _row(conn: sqlite3.Connection, dispute_id: str) -> dict[str, Any] | None:
    cur = conn.execute("SELECT * FROM dispute_decisions WHERE dispute_id = ?", (dispute_id,))
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cur.description], row, strict=True))


def _write(case: Case, dispute_id: str, row: dict[str, Any] | None) -> None:
    case.conn.execute("DELETE FROM dispute_decisions WHERE dispute_id = ?", (dispute_id,))
    if row is not None:
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        case.conn.execute(
            f"INSERT INTO dispute_decisions({cols}) VALUES ({marks})", tuple(row.values())
        )
    case.touch()


def _decide(case: Case, dispute: Dispute, status: str, note: str, label: str) -> DisputeEdit:
    if status not in STATUSES:
        raise DisputeError(f"unknown status {status!r} (one of: {', '.join(STATUSES)})")
    with case.transaction():
        before = _row(case.conn, dispute.id)
        after: dict[str, Any] | None = None
        if status != OPEN:
            after = {
                "dispute_id": dispute.id,
                "kind": dispute.kind,
                "subject": dispute.subject,
                "status": status,
                "note": note.strip(),
                "decided_at": now_iso(),
            }
        _write(case, dispute.id, after)
    return DisputeEdit(dispute.id, label, before, after)


def resolve(case: Case, dispute: Dispute | str, note: str = "") -> DisputeEdit:
    """Mark a dispute resolved, with a note saying how (which side holds, and why)."""
    d = dispute if isinstance(dispute, Dispute) else find(case, dispute)
    return _decide(case, d, RESOLVED, note, "Resolve dispute")


def dismiss(case: Case, dispute: Dispute | str, note: str = "") -> DisputeEdit:
    """Mark a dispute as not a dispute (the sides speak of different things)."""
    d = dispute if isinstance(dispute, Dispute) else find(case, dispute)
    return _decide(case, d, NOT_A_DISPUTE, note, "Not a dispute")


def reopen(case: Case, dispute: Dispute | str) -> DisputeEdit:
    """Withdraw the decision on a dispute: it is open again."""
    d = dispute if isinstance(dispute, Dispute) else find(case, dispute)
    if d.status == OPEN:
        raise DisputeError(f"dispute {d.id} is open already")
    return _decide(case, d, OPEN, "", "Reopen dispute")


def undo(case: Case, edit: DisputeEdit) -> None:
    with case.transaction():
        _write(case, edit.dispute_id, edit.before)


def redo(case: Case, edit: DisputeEdit) -> None:
    with case.transaction():
        _write(case, edit.dispute_id, edit.after)
