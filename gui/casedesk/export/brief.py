"""The brief: a case on one or two pages, to paste into a memo.

Where the summary lists everything, the brief chooses: the key events (disputed ones first,
then those the most documents report), the main actors, what named speakers claimed or denied,
the disputes, and the user's own notes, each citing its sources as the summary does. It is
built once as plain data (``Brief``) and written as Markdown, plain text or HTML from it, so
the three say the same thing and number their citations alike.

What counts as a main actor, stated once: a person or organisation that no one rejected as
"not an entity", and that a user confirmed (or added by hand), or that the sources mention at
least ``MIN_MENTIONS`` times outside page debris (menus, share prompts, copyright lines). A
claim's speaker counts as a mention. Confirmed actors come first, then by mentions.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from casedesk import words
from casedesk.export.summary import CONFIRMED_MARK, MANUAL_MARK, CaseLike, published_span
from casedesk.export.text import Sentences, inline, note_markdown
from casedesk.extract import timex
from casedesk.polarity import DENIAL_MARK, denial_sql

BRIEF_FORMATS = ("md", "txt", "html")
# The least evidence for an unreviewed entity to be named a main actor.
MIN_MENTIONS = 2
_ACTOR_KINDS = ("person", "organization")
_SETTING_KINDS = (("place", "Places"), ("material", "Materials"))
_MENTION_KINDS = "('person', 'organization', 'place', 'material', 'claim')"
_USER_OK = ("confirmed", "manual")


@dataclass(frozen=True)
class BriefLimits:
    """How much the brief shows; the defaults keep a 25-article case to one or two pages."""

    events: int = 8
    actors: int = 8
    settings: int = 4  # places and materials named on one line each
    claims: int = 5
    claims_per_speaker: int = 1  # more voices rather than more of one
    disputes: int = 4
    event_citations: int = 2  # an event cites its first reports in this many documents
    dispute_sides: int = 3
    claim_words: int = 25  # a longer claim is cut, with "…"
    highlight_words: int = 15  # the highlighted text a note is attached to
    notes: int = 8  # the notes edited last
    note_words: int = 60  # a longer note keeps its first paragraphs (at least one), with "…"
    quote_chars: int = 80  # a citation's quote around the cited words

    @classmethod
    def for_documents(cls, documents: int) -> BriefLimits:
        """Fewer items for a handful of documents (about a page), the defaults past ten."""
        if documents <= SMALL_CASE:
            return cls(events=6, actors=6)
        return cls()


# Up to this many documents a case is small: its brief keeps to about a page.
SMALL_CASE = 10


# -- the brief as data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """One footnote: the sentence around a cited span, cut to a window, and its document."""

    number: int
    document: str  # title; else publisher and date (then ``titled`` is false), else file name
    publisher: str | None  # None in a short citation
    published: str | None  # in words; None in a short citation
    quote: str
    cut_left: bool
    cut_right: bool
    titled: bool = True


@dataclass(frozen=True)
class KeyEvent:
    date: str
    title: str
    status: str
    documents: int  # documents whose reports agree (a denial is no source)
    reports: int  # reports that agree
    denials: int  # documents that report it only as denied
    dispute: str | None  # the kind of the open dispute that concerns this event, if any
    cites: tuple[int, ...]


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    mentions: int
    documents: int
    status: str  # "confirmed" or "manual" when a user vouched for it


@dataclass(frozen=True)
class Claim:
    date: str
    speaker: str
    text: str
    cut: bool
    denial: str | None  # the words that deny ("denied", "did not say"), for a denial
    status: str
    cite: int


class DisputeSide(Protocol):
    """What one source says in a dispute, as the dispute finder gives it."""

    @property
    def document_id(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def value(self) -> str: ...


class Dispute(Protocol):
    """Two or more sources that disagree, as the dispute finder gives it."""

    @property
    def kind(self) -> str: ...  # "claim", "date", "quantity" or "event"
    @property
    def subject(self) -> str: ...
    @property
    def sides(self) -> Sequence[DisputeSide]: ...
    @property
    def event_ids(self) -> Sequence[int]: ...
    @property
    def status(self) -> str: ...  # "open", or the user's decision ("resolved", ...)


@dataclass(frozen=True)
class BriefDispute:
    kind: str
    subject: str
    sides: tuple[tuple[str, int], ...]  # (what a source says, its citation)


@dataclass(frozen=True)
class Note:
    highlight: str
    cut: bool
    document: str
    tag: str | None
    note: str
    cite: int


@dataclass
class Brief:
    title: str
    coverage: str
    shown: str
    events: list[KeyEvent] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    settings: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    disputes: list[BriefDispute] | None = None  # None: no dispute finder
    open_disputes: int = 0
    closed_disputes: int = 0  # resolved or marked not a dispute by a user
    notes: list[Note] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


# -- disputes ----------------------------------------------------------------------------------

DisputeFinder = Callable[[sqlite3.Connection], Sequence[Dispute]]


def _case_disputes(conn: sqlite3.Connection) -> Sequence[Dispute]:
    from casedesk.disputes import find_disputes

    return find_disputes(conn)


# What finds the case's disputes, open and decided (``casedesk.disputes``; a test may swap it).
DISPUTE_FINDER: DisputeFinder | None = _case_disputes
_OPEN = "open"
# Disputes are told in this order when there are more than the brief shows: a denial first.
_DISPUTE_KINDS = ("claim", "event", "quantity", "date")
_DISPUTE_WORDS = {
    "claim": "asserted and denied",
    "event": "reported and denied",
    "quantity": "figures differ",
    "date": "dates differ",
}


# -- building ----------------------------------------------------------------------------------


@dataclass
class _Doc:
    id: int
    file_name: str
    title: str | None
    publisher: str | None
    published: str | None
    order: int

    @property
    def name(self) -> str:
        """Its title; without one its publisher and date (as the timeline's legend names it),
        the file name only when it has neither."""
        if self.title and self.title.strip():
            return self.title
        more = [p for p in (_flat(self.publisher), _date(self.published)) if p]
        return ", ".join(more) if more else self.file_name


def _flat(text: object) -> str:
    return " ".join(str(text or "").split())


def _cut_words(text: str, limit: int) -> tuple[str, bool]:
    parts = text.split()
    if len(parts) <= limit:
        return " ".join(parts), False
    return " ".join(parts[:limit]).rstrip(",;:"), True


def _date(value: str | None, modifier: str | None = None) -> str:
    """A normalised date in words; a value that is no calendar date as it is."""
    if not value:
        return ""
    if timex.period(value) is None:
        return _flat(value)
    return words.date_words(value, modifier)


class _Citations:
    """Footnotes numbered in order of first use, one per (document, sentence)."""

    def __init__(self, conn: sqlite3.Connection, docs: dict[int, _Doc], quote_chars: int):
        self._conn = conn
        self._docs = docs
        self._limit = quote_chars
        self._sentences: dict[int, Sentences] = {}
        self._numbers: dict[tuple[int, int, int], int] = {}
        self._named: set[int] = set()
        self.made: list[Citation] = []

    def cite(self, doc_id: int, start: int, end: int) -> int:
        sentences = self._sentences.get(doc_id)
        if sentences is None:
            row = self._conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,))
            sentences = self._sentences[doc_id] = Sentences(str(row.fetchone()[0] or ""))
        s, e, _l, _r = sentences.quote(start, end, limit=100_000)
        key = (doc_id, s, e)
        found = self._numbers.get(key)
        if found is not None:
            return found
        number = self._numbers[key] = len(self._numbers) + 1
        quote, cut_left, cut_right = _window(sentences.text, s, e, start, end, self._limit)
        doc = self._docs[doc_id]
        if not (doc.title and doc.title.strip()):
            # Named by its publisher and date (or file name) already: the same every time.
            citation = Citation(
                number, _flat(doc.name), None, None, quote, cut_left, cut_right, titled=False
            )
        elif doc_id in self._named:
            # A document named in full once is named by a short title after (as a book's
            # notes name a work in full at its first citation).
            name, cut = _cut_words(_flat(doc.name), _SHORT_TITLE_WORDS)
            citation = Citation(
                number, name + ("…" if cut else ""), None, None, quote, cut_left, cut_right
            )
        else:
            self._named.add(doc_id)
            citation = Citation(
                number,
                _flat(doc.name),
                _flat(doc.publisher) or None,
                _date(doc.published) or None,
                quote,
                cut_left,
                cut_right,
            )
        self.made.append(citation)
        return number


_SHORT_TITLE_WORDS = 4


def _first_paragraphs(note: str, limit: int) -> str:
    """A note's first paragraphs while they fit in ``limit`` words (the first one always, cut
    at ``limit`` words if it alone is longer), with "…" where something was left out. Cutting
    between paragraphs keeps the note's Markdown whole."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", note.strip("\n")) if p.strip()]
    kept: list[str] = []
    count = 0
    for paragraph in paragraphs:
        n = len(paragraph.split())
        if kept and count + n > limit:
            break
        kept.append(paragraph)
        count += n
    if not kept:
        return ""
    if count > limit:  # one long paragraph: its lines while they fit, the last one cut
        lines: list[str] = []
        room = limit
        for line in kept[0].split("\n"):
            words_ = line.split()
            if len(words_) > room:
                lines.append(line[: len(line) - len(line.lstrip())] + " ".join(words_[:room]))
                break
            lines.append(line)
            room -= len(words_)
        return "\n".join(lines).rstrip() + " …"
    return "\n\n".join(kept) + ("\n\n…" if len(kept) < len(paragraphs) else "")


def _window(text: str, s: int, e: int, start: int, end: int, limit: int) -> tuple[str, bool, bool]:
    """The sentence ``text[s:e]``, or where it is longer than ``limit`` characters the words
    from a little before the cited span up to the limit (a brief quotes, it does not reprint)."""
    if e - s <= limit:
        return _flat(text[s:e]), False, False
    lead = min(max(start - s, 0), limit // 4)
    a = max(s, start - lead)
    if a > s:
        space = text.find(" ", a, start) if start > a else -1
        a = space + 1 if space >= 0 else a
    b = min(e, a + limit)
    if b < e:
        space = text.rfind(" ", a, b)
        b = space if space > a else b
    return _flat(text[a:b]).rstrip(",;:"), a > s, b < e


class _BriefBuilder:
    def __init__(self, case: CaseLike, limits: BriefLimits) -> None:
        self.conn = case.conn
        self.limits = limits
        self.docs = self._documents()
        self.citations = _Citations(self.conn, self.docs, limits.quote_chars)

    def q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def _documents(self) -> dict[int, _Doc]:
        rows = self.q(
            "SELECT id, file_name, title, publisher, published FROM documents "
            "ORDER BY published IS NULL, published, id"
        )
        return {
            int(d): _Doc(int(d), str(fn), ti, pu, pub, i)
            for i, (d, fn, ti, pu, pub) in enumerate(rows)
        }

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def build(self) -> Brief:
        found = list(DISPUTE_FINDER(self.conn)) if DISPUTE_FINDER is not None else None
        disputes = [d for d in found or [] if d.status == _OPEN]
        events, n_events = self.events(disputes)
        actors, n_actors, settings = self.actors()
        claims, n_claims = self.claims(actors)
        brief = Brief(
            title=_flat(self.meta("name")) or "Untitled case",
            coverage=self.coverage(),
            shown="",
            events=events,
            actors=actors,
            settings=settings,
            claims=claims,
        )
        if found is not None and self.docs:
            brief.disputes = self.disputes(disputes)
            brief.open_disputes = len(disputes)
            brief.closed_disputes = len(found) - len(disputes)
        brief.notes, n_notes = self.notes()
        brief.citations = self.citations.made
        brief.shown = _shown(
            [
                (len(events), n_events, "timeline events"),
                (len(actors), n_actors, "main actors"),
                (len(claims), n_claims, "claims by named speakers"),
                (len(brief.notes), n_notes, "notes"),
            ]
        )
        return brief

    def coverage(self) -> str:
        span = published_span(doc.published for doc in self.docs.values())
        n = len(self.docs)
        if n == 0:
            return "No documents yet."
        what = f"Brief of {n} document{'s' if n != 1 else ''}"
        if span is not None:
            _, first, last = span
            if first == last:
                what += f" published {_date(first)}"
            else:
                what += f" published from {_date(first)} to {_date(last)}"
        return what + "."

    # -- sections ------------------------------------------------------------------------------

    def events(self, disputes: Sequence[Dispute]) -> tuple[list[KeyEvent], int]:
        rows = self.q(
            "SELECT e.id, e.date, e.modifier, e.title, e.status, e.date_start, e.date_end, "
            "(SELECT count(*) FROM event_entities x WHERE x.event_id = e.id) "
            "FROM events e WHERE e.status != 'rejected'"
        )
        sources: dict[int, list[tuple[int, int, int, bool]]] = {}
        has_sources: set[int] = set()
        for ev_id, doc_id, start, end, status, denial in self.q(
            "SELECT es.event_id, f.document_id, f.start, f.end, f.status, "
            f"{denial_sql('f')} FROM event_sources es JOIN facts f ON f.id = es.fact_id"
        ):
            has_sources.add(int(ev_id))
            if status != "rejected":
                sources.setdefault(int(ev_id), []).append(
                    (int(doc_id), int(start), int(end), denial is not None)
                )
        disputed: dict[int, str] = {}
        for d in disputes:
            for ev in d.event_ids:
                disputed.setdefault(int(ev), d.kind)
        ranked = []
        for ev_id, value, modifier, title, status, day_start, day_end, n_entities in rows:
            cited = sources.get(int(ev_id), [])
            if status not in _USER_OK and not cited and int(ev_id) in has_sources:
                continue  # every report was rejected: nothing left to rest on
            # A report that denies the happening is no source that agrees (as on the timeline).
            agreeing = [c for c in cited if not c[3]]
            documents = len({c[0] for c in agreeing})
            key = (
                int(ev_id) not in disputed,
                status not in _USER_OK,
                -documents,
                -len(agreeing),
                -int(n_entities),
                str(day_start),
                str(day_end),
                int(ev_id),
            )
            ranked.append((key, ev_id, value, modifier, title, status, cited, documents))
        ranked.sort(key=lambda r: r[0])
        chosen = ranked[: self.limits.events]
        # Disputed events first, then the rest in date order.
        chosen.sort(key=lambda r: (r[0][0], r[0][5], r[0][6], r[0][7]))
        out = []
        for _key, ev_id, value, modifier, title, status, cited, documents in chosen:
            cited.sort(key=lambda c: (self.docs[c[0]].order, c[1], c[2]))
            # One citation per document (its first report), the first agreeing documents and
            # the first that denies.
            by_doc: dict[tuple[bool, int], tuple[int, int, int, bool]] = {}
            for c in cited:
                by_doc.setdefault((c[3], c[0]), c)
            agree = [c for (den, _d), c in by_doc.items() if not den]
            deny = [c for (den, _d), c in by_doc.items() if den]
            chosen_reports = agree[: self.limits.event_citations] + deny[:1]
            cites = sorted({self.citations.cite(d, s, e) for d, s, e, _den in chosen_reports})
            out.append(
                KeyEvent(
                    date=_date(value, modifier),
                    title=_flat(title),
                    status=str(status),
                    documents=documents,
                    reports=sum(1 for c in cited if not c[3]),
                    denials=len({c[0] for c in cited if c[3]}),
                    dispute=disputed.get(int(ev_id)),
                    cites=tuple(cites),
                )
            )
        return out, len(ranked)

    def _evidence(self) -> dict[int, tuple[int, int, bool]]:
        """Mentions outside page debris per entity: (mentions, documents, any confirmed)."""
        rows = self.q(
            "SELECT f.entity_id, count(*), count(DISTINCT f.document_id), "
            "max(f.status IN ('confirmed', 'manual')) FROM facts f "
            f"WHERE f.entity_id IS NOT NULL AND f.status != 'rejected' AND f.kind IN "
            f"{_MENTION_KINDS} AND NOT EXISTS (SELECT 1 FROM boilerplate b "
            "WHERE b.document_id = f.document_id AND b.start < f.end AND b.end > f.start) "
            "GROUP BY f.entity_id"
        )
        return {int(e): (int(m), int(d), bool(c)) for e, m, d, c in rows}

    def actors(
        self,
    ) -> tuple[list[Actor], int, list[tuple[str, list[tuple[str, int]]]]]:
        evidence = self._evidence()
        by_kind: dict[str, list[Actor]] = {}
        for ent_id, kind, name, status in self.q(
            "SELECT id, kind, name, status FROM entities WHERE status != 'rejected'"
        ):
            mentions, documents, vouched = evidence.get(int(ent_id), (0, 0, False))
            user = str(status) if status in _USER_OK else ("confirmed" if vouched else "")
            if not user and mentions < MIN_MENTIONS:
                continue
            by_kind.setdefault(str(kind), []).append(
                Actor(_flat(name), str(kind), mentions, documents, user)
            )

        def rank(a: Actor) -> tuple[bool, int, int, str, str]:
            return (not a.status, -a.mentions, -a.documents, a.name.casefold(), a.name)

        actors = sorted(
            (a for k in _ACTOR_KINDS for a in by_kind.get(k, [])),
            key=rank,
        )
        settings = []
        for kind, heading in _SETTING_KINDS:
            top = sorted(by_kind.get(kind, []), key=rank)[: self.limits.settings]
            if top:
                settings.append((heading, [(a.name, a.mentions) for a in top]))
        return actors[: self.limits.actors], len(actors), settings

    def claims(self, actors: Sequence[Actor]) -> tuple[list[Claim], int]:
        rows = self.q(
            "SELECT f.document_id, f.start, f.end, f.text, f.status, "
            "CASE WHEN json_valid(f.attrs) THEN json_extract(f.attrs, '$.date') END, "
            f"en.name, {denial_sql('f')} "
            "FROM facts f JOIN entities en ON en.id = f.entity_id "
            "WHERE f.kind = 'claim' AND f.status != 'rejected' AND en.status != 'rejected'"
        )
        standing = {a.name: i for i, a in enumerate(actors)}
        ranked = []
        for doc_id, start, end, text, status, said, speaker, denial in rows:
            name = _flat(speaker)
            if not name or not _flat(text):
                continue
            doc = self.docs[int(doc_id)]
            value = said if isinstance(said, str) and timex.period(said) else doc.published
            day = timex.period(value) if value else None
            key = (
                status not in _USER_OK,
                denial is None,
                standing.get(name, len(standing)),
                day.start if day else dt.date.max,
                doc.order,
                int(start),
            )
            ranked.append((key, doc_id, start, end, text, status, value, name, denial))
        ranked.sort(key=lambda r: r[0])
        chosen = []
        per_speaker: dict[str, int] = {}
        for item in ranked:
            name = item[7]
            if per_speaker.get(name, 0) >= self.limits.claims_per_speaker:
                continue
            per_speaker[name] = per_speaker.get(name, 0) + 1
            chosen.append(item)
            if len(chosen) >= self.limits.claims:
                break
        # In date order, as a reader follows them.
        chosen.sort(key=lambda r: (r[0][3], r[0][4], r[0][5]))
        out = []
        for _k, doc_id, start, end, text, status, value, name, denial in chosen:
            said, cut = _cut_words(_flat(text), self.limits.claim_words)
            out.append(
                Claim(
                    date=_date(value) or "undated",
                    speaker=name,
                    text=said,
                    cut=cut,
                    denial=None if denial is None else _flat(denial) or "denied",
                    status=str(status),
                    cite=self.citations.cite(int(doc_id), int(start), int(end)),
                )
            )
        return out, len(ranked)

    def disputes(self, found: Sequence[Dispute]) -> list[BriefDispute]:
        """The disputes over the most documents first (denials before numbers and dates at
        equal count), each side as the value it gives, cited."""

        def rank(d: Dispute) -> tuple[int, int]:
            kind = _DISPUTE_KINDS.index(d.kind) if d.kind in _DISPUTE_KINDS else len(_DISPUTE_KINDS)
            return -len({s.document_id for s in d.sides}), kind

        out = []
        for d in sorted(found, key=rank)[: self.limits.disputes]:
            sides = []
            for side in d.sides[: self.limits.dispute_sides]:
                if side.document_id not in self.docs:
                    continue
                value = _flat(side.value) or _flat(side.text)
                if d.kind == "date" and timex.period(value) is not None:
                    value = _date(value)
                said, cut = _cut_words(value, self.limits.highlight_words)
                cite = self.citations.cite(side.document_id, side.start, side.end)
                sides.append((said + ("…" if cut else ""), cite))
            subject, cut = _cut_words(_flat(d.subject), self.limits.highlight_words)
            out.append(BriefDispute(d.kind, subject + ("…" if cut else ""), tuple(sides)))
        return out

    def notes(self) -> tuple[list[Note], int]:
        """The notes edited last (up to the limit), in document order; and how many in all."""
        (total,) = self.conn.execute(
            "SELECT count(*) FROM annotations WHERE trim(note) != ''"
        ).fetchone()
        rows = self.q(
            "SELECT a.document_id, a.start, a.end, a.text, a.note, t.name, a.id "
            "FROM annotations a LEFT JOIN tags t ON t.id = a.tag_id WHERE trim(a.note) != '' "
            "ORDER BY a.updated_at DESC, a.id DESC LIMIT ?",
            (self.limits.notes,),
        )
        rows.sort(key=lambda r: (self.docs[int(r[0])].order, int(r[1]), int(r[2]), int(r[6])))
        out = []
        for doc_id, start, end, text, note, tag, _id in rows:
            highlight, cut = _cut_words(_flat(text), self.limits.highlight_words)
            out.append(
                Note(
                    highlight=highlight,
                    cut=cut,
                    document=_flat(self.docs[int(doc_id)].name),
                    tag=_flat(tag) or None,
                    note=_first_paragraphs(str(note), self.limits.note_words),
                    cite=self.citations.cite(int(doc_id), int(start), int(end)),
                )
            )
        return out, int(total)


def _shown(counts: list[tuple[int, int, str]]) -> str:
    parts = []
    for shown, total, many in counts:
        if total > shown:
            parts.append(f"{shown} of {total} {many}")
    if not parts:
        return ""
    return "Shown: " + ", ".join(parts) + "."


def build_brief(case: CaseLike, limits: BriefLimits | None = None) -> Brief:
    """The brief of a case as data (what ``brief_markdown`` and ``brief_text`` write)."""
    if limits is None:
        (count,) = case.conn.execute("SELECT count(*) FROM documents").fetchone()
        limits = BriefLimits.for_documents(int(count))
    return _BriefBuilder(case, limits).build()


# -- writing -----------------------------------------------------------------------------------

_SECTION = {
    "events": "Key events",
    "actors": "Main actors",
    "claims": "Claims by named speakers",
    "disputes": "Disputes",
    "notes": "Notes",
}
_KIND_WORDS = {"person": "person", "organization": "organisation"}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _reports(e: KeyEvent) -> str:
    if not e.documents and e.denials:
        return f"{DENIAL_MARK} reported only as denied ({_plural(e.denials, 'source', 'sources')})"
    said = _plural(e.documents, "source", "sources")
    if e.reports > e.documents:
        said = f"{_plural(e.reports, 'report', 'reports')} in {said}"
    if e.denials:
        said += f"; {DENIAL_MARK} denied in {_plural(e.denials, 'other', 'others')}"
    return said


def _mark(status: str) -> str:
    if status == "confirmed":
        return " " + CONFIRMED_MARK
    if status == "manual":
        return " " + MANUAL_MARK
    return ""


class _Writer:
    """One output form: how text is escaped, emphasised and cited."""

    def text(self, value: str) -> str:
        raise NotImplementedError

    def strong(self, value: str) -> str:
        raise NotImplementedError

    def cite(self, numbers: Sequence[int]) -> str:
        raise NotImplementedError

    def heading(self, level: int, value: str) -> str:
        raise NotImplementedError

    def note(self, value: str) -> str:
        raise NotImplementedError

    def citation(self, c: Citation) -> str:
        raise NotImplementedError

    def source(self, c: Citation) -> str:
        parts = [self.emphasis(c.document) if c.titled else self.text(c.document)]
        if c.publisher:
            parts.append(self.text(c.publisher))
        if c.published:
            parts.append(self.text(c.published))
        quote = ("…" if c.cut_left else "") + self.text(c.quote) + ("…" if c.cut_right else "")
        return ", ".join(parts) + f": “{quote}”"

    def emphasis(self, value: str) -> str:
        raise NotImplementedError


class _Markdown(_Writer):
    def text(self, value: str) -> str:
        return inline(value)

    def strong(self, value: str) -> str:
        return f"**{inline(value)}**"

    def emphasis(self, value: str) -> str:
        return f"*{inline(value)}*"

    def cite(self, numbers: Sequence[int]) -> str:
        # Commas keep neighbouring footnote marks apart ("³,⁴", never "³⁴").
        return ",".join(f"[^{n}]" for n in numbers)

    def heading(self, level: int, value: str) -> str:
        return "#" * level + " " + inline(value)

    def note(self, value: str) -> str:
        body = note_markdown(value)
        return "\n".join(("    " + line) if line.strip() else "" for line in body.split("\n"))

    def citation(self, c: Citation) -> str:
        return f"[^{c.number}]: {self.source(c)}"


class _Text(_Writer):
    def text(self, value: str) -> str:
        return value

    def strong(self, value: str) -> str:
        return value

    def emphasis(self, value: str) -> str:
        return value

    def cite(self, numbers: Sequence[int]) -> str:
        return "".join(f" [{n}]" for n in numbers)

    def heading(self, level: int, value: str) -> str:
        if level == 1:
            return value + "\n" + "=" * max(len(value), 3)
        return value + "\n" + "-" * max(len(value), 3)

    def note(self, value: str) -> str:
        lines = value.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
        return "\n".join(("    " + line.rstrip()) if line.strip() else "" for line in lines)

    def citation(self, c: Citation) -> str:
        return f"[{c.number}] {self.source(c)}"


def _dispute_count(brief: Brief) -> str:
    shown, found = len(brief.disputes or ()), brief.open_disputes
    if not found:
        said = "No open disputes"
    elif found > shown:
        said = f"{shown} of {found} open disputes shown"
    else:
        said = _plural(found, "open dispute", "open disputes")
    if brief.closed_disputes:
        said += f"; {brief.closed_disputes} decided by a reader (resolved or not a dispute)"
    return said + "."


def _write(brief: Brief, w: _Writer) -> str:
    blocks = [w.heading(1, brief.title)]
    lead = " ".join(p for p in (brief.coverage, brief.shown) if p)
    blocks.append(w.text(lead))
    if brief.events:
        blocks.append(w.heading(2, _SECTION["events"]))
        lines = []
        for e in brief.events:
            line = f"- {w.strong(e.date or 'Undated')} — {w.text(e.title)}{_mark(e.status)}"
            line += f" — {_reports(e)}"
            if e.dispute and not (e.dispute == "event" and e.denials):
                line += f"; disputed ({_DISPUTE_WORDS.get(e.dispute, e.dispute)})"
            lines.append(line + w.cite(e.cites))
        blocks.append("\n".join(lines))
    if brief.actors or brief.settings:
        blocks.append(w.heading(2, _SECTION["actors"]))
        lines = []
        for a in brief.actors:
            kind = _KIND_WORDS.get(a.kind, a.kind)
            lines.append(
                f"- {w.strong(a.name)}{_mark(a.status)} ({kind}, "
                f"{_plural(a.mentions, 'mention', 'mentions')} in "
                f"{_plural(a.documents, 'document', 'documents')})"
            )
        if lines:
            blocks.append("\n".join(lines))
        for heading, named in brief.settings:
            listed = ", ".join(f"{w.text(name)} ({n})" for name, n in named)
            blocks.append(f"{heading}: {listed}.")
    if brief.claims:
        blocks.append(w.heading(2, _SECTION["claims"]))
        lines = []
        for c in brief.claims:
            said = f"“{w.text(c.text)}{'…' if c.cut else ''}”"
            if c.denial is not None:
                said = f"{DENIAL_MARK} {w.strong('denies')} {said}"
                if not c.denial.casefold().startswith(("deni", "deny")):
                    said += f" ({w.text(c.denial)})"  # the words that deny: "did not say"
            lines.append(
                f"- {w.text(c.date)}, {w.strong(c.speaker)}: {said}{_mark(c.status)}"
                + w.cite([c.cite])
            )
        blocks.append("\n".join(lines))
    if brief.disputes is not None:
        blocks.append(w.heading(2, _SECTION["disputes"]))
        blocks.append(_dispute_count(brief))
        lines = []
        for d in brief.disputes:
            sides = "; ".join(f"{w.text(value)}{w.cite([n])}" for value, n in d.sides)
            kind = _DISPUTE_WORDS.get(d.kind, d.kind)
            lines.append(f"- {w.strong(d.subject)} ({kind}): {sides}")
        if lines:
            blocks.append("\n".join(lines))
    if brief.notes:
        blocks.append(w.heading(2, _SECTION["notes"]))
        items = []
        for n in brief.notes:
            tag = f" ({w.text(n.tag)})" if n.tag else ""
            item = (
                f"- “{w.text(n.highlight)}{'…' if n.cut else ''}” — {w.emphasis(n.document)}"
                f"{tag}{w.cite([n.cite])}"
            )
            body = w.note(n.note)
            if body.strip():
                item += "\n\n" + body
            items.append(item)
        blocks.append("\n\n".join(items))
    if brief.citations:
        if isinstance(w, _Text):
            blocks.append(w.heading(2, "Sources"))
        blocks.append("\n".join(w.citation(c) for c in brief.citations))
    return "\n\n".join(blocks) + "\n"


def brief_markdown(case: CaseLike, limits: BriefLimits | None = None) -> str:
    """The brief as Markdown: lists and ``[^n]`` footnotes, escaped with backslashes only."""
    return _write(build_brief(case, limits), _Markdown())


def brief_text(case: CaseLike, limits: BriefLimits | None = None) -> str:
    """The brief as plain text: nothing escaped, citations as ``[n]`` and a Sources list."""
    return _write(build_brief(case, limits), _Text())


def brief_html(case: CaseLike, limits: BriefLimits | None = None) -> str:
    """The brief as a self-contained HTML page (rendered from ``brief_markdown``)."""
    from casedesk.export.html import case_title, html_page

    return html_page(brief_markdown(case, limits), f"{case_title(case)} — brief")


def brief_words(text: str) -> int:
    """Words as ``wc -w`` counts them (every run of non-space characters)."""
    return len(text.split())
