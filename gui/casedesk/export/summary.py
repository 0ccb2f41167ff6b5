"""The case summary in Markdown: what a user sends on once the work is done.

The summary is built from a handful of set-based queries (one per section; a cited document's
text is read and split into sentences once), so a case of 10,000 documents costs a few queries,
not one per fact. Output is a pure function of the case file and the options: no clock time, stable
ordering everywhere, footnotes numbered in order of first use.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from casedesk.export.text import (
    Sentences,
    date_words,
    day_words,
    inline,
    iso_day,
    note_markdown,
    safe_url,
)
from casedesk.extract import timex
from casedesk.polarity import denial_sql

SECTIONS: tuple[str, ...] = (
    "chronology",
    "disputes",
    "entities",
    "claims",
    "annotations",
    "sources",
)
SECTION_TITLES = {
    "chronology": "Chronology",
    "disputes": "Disputes",
    "entities": "People, organisations, places and materials",
    "claims": "Claims",
    "annotations": "Annotations",
    "sources": "Sources",
}
ENTITY_GROUPS = (
    ("person", "People"),
    ("organization", "Organisations"),
    ("place", "Places"),
    ("material", "Materials"),
)
CONFIRMED_MARK = "✓ confirmed"
MANUAL_MARK = "✎ added by hand"
_USER_OK = ("confirmed", "manual")
# A mention of an entity is a fact of one of these kinds (a claim's entity is its speaker).
_MENTION_KINDS = "('person', 'organization', 'place', 'material')"
# Documents named on an entity's line before the rest are only counted.
_MAX_LISTED = 8


class ExportError(ValueError):
    """The options cannot make a summary (bad date, unknown section, missing entity, ...);
    the message says which option and why."""


class CaseLike(Protocol):
    conn: sqlite3.Connection


@dataclass
class ExportOptions:
    """What a summary includes. Dates are normalised values (``2019``, ``2019-07``,
    ``2019-07-12``): ``date_from`` counts from the first day of its period, ``date_to`` to the
    last. The date range and entity narrow the chronology and claims; the entity and tag
    narrow the annotations; the entity alone narrows the entity list."""

    confirmed_only: bool = False
    date_from: str | None = None
    date_to: str | None = None
    entity_id: int | None = None
    tag: str | None = None
    sections: tuple[str, ...] = field(default=SECTIONS)


@dataclass
class _Doc:
    id: int
    file_name: str
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None
    inferred: bool
    order: int = 0

    @property
    def label(self) -> str:
        return f"*{inline(self.title or self.file_name)}*"


class _Footnotes:
    """Citations: one footnote per (document, sentence), numbered in order of first use."""

    def __init__(self, conn: sqlite3.Connection, docs: dict[int, _Doc]) -> None:
        self._conn = conn
        self._docs = docs
        self._numbers: dict[tuple[int, int, int], int] = {}
        self._naming: dict[int, str] = {}
        # Each cited document's text is split into sentences once; the texts are read in one
        # query at the first citation.
        self._texts: dict[int, str] | None = None
        self._sentences: dict[int, Sentences] = {}
        self.lines: list[str] = []

    def cite(self, doc_id: int, start: int, end: int) -> str:
        return f"[^{self.number(doc_id, start, end)}]"

    def number(self, doc_id: int, start: int, end: int) -> int:
        """The footnote of the sentence around a span (made at its first citation)."""
        sentences = self._sentences.get(doc_id)
        if sentences is None:
            if self._texts is None:
                self._texts = dict(self._conn.execute("SELECT id, text FROM documents"))
            text = self._texts.pop(doc_id)
            sentences = self._sentences[doc_id] = Sentences(str(text))
        s, e, cut_left, cut_right = sentences.quote(start, end)
        key = (doc_id, s, e)
        number = self._numbers.get(key)
        if number is None:
            number = len(self._numbers) + 1
            self._numbers[key] = number
            quote = ("…" if cut_left else "") + inline(sentences.text[s:e])
            self.lines.append(
                f"[^{number}]: {self._source(doc_id)}: “{quote}{'…' if cut_right else ''}”"
            )
        return number

    def _source(self, doc_id: int) -> str:
        """How a footnote names its document (label, publisher, date), made once per document."""
        found = self._naming.get(doc_id)
        if found is None:
            doc = self._docs[doc_id]
            naming = [doc.label]
            if doc.publisher:
                naming.append(inline(doc.publisher))
            if doc.published:
                naming.append(date_words(doc.published))
            found = self._naming[doc_id] = ", ".join(naming)
        return found


def _parse_bound(name: str, value: str | None, end: bool) -> dt.date | None:
    if value is None or value == "":
        return None
    found = timex.period(value.strip())
    if found is None:
        raise ExportError(f"{name}: '{value}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return found.end if end else found.start


class _Builder:
    def __init__(self, case: CaseLike, options: ExportOptions) -> None:
        unknown = [s for s in options.sections if s not in SECTIONS]
        if unknown:
            raise ExportError(
                f"unknown section(s): {', '.join(unknown)} (choose from {', '.join(SECTIONS)})"
            )
        self.conn = case.conn
        self.o = options
        self.day_from = _parse_bound("date_from", options.date_from, end=False)
        self.day_to = _parse_bound("date_to", options.date_to, end=True)
        if self.day_from and self.day_to and self.day_from > self.day_to:
            raise ExportError(f"date range: {options.date_from} is after {options.date_to}")
        self.fact_ok = "IN ('confirmed', 'manual')" if options.confirmed_only else "!= 'rejected'"
        self.docs = self._documents()
        self.notes = _Footnotes(self.conn, self.docs)
        self.marked = False
        self.entity: tuple[str, str, list[str]] | None = None
        if options.entity_id is not None:
            row = self.conn.execute(
                "SELECT kind, name FROM entities WHERE id = ?", (options.entity_id,)
            ).fetchone()
            if row is None:
                raise ExportError(f"entity {options.entity_id}: no such entity in this case")
            aliases = [
                str(a)
                for (a,) in self.conn.execute(
                    "SELECT alias FROM aliases WHERE entity_id = ? ORDER BY alias",
                    (options.entity_id,),
                )
            ]
            self.entity = (str(row[0]), str(row[1]), aliases)

    def mark(self, status: str | None) -> str:
        """The mark of a user-confirmed or hand-made item (and note that the legend is due)."""
        if status == "confirmed":
            self.marked = True
            return " " + CONFIRMED_MARK
        if status == "manual":
            self.marked = True
            return " " + MANUAL_MARK
        return ""

    def q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def _documents(self) -> dict[int, _Doc]:
        rows = self.q(
            "SELECT id, file_name, title, publisher, url, published, published_inferred "
            "FROM documents ORDER BY published IS NULL, published, id"
        )
        docs: dict[int, _Doc] = {}
        for i, (d, fn, ti, pu, url, pub, inf) in enumerate(rows):
            docs[int(d)] = _Doc(int(d), str(fn), ti, pu, url, pub, bool(inf), i)
        return docs

    def in_range(self, start: dt.date | None, end: dt.date | None) -> bool:
        if self.day_from is None and self.day_to is None:
            return True
        if start is None or end is None:
            return False
        if self.day_from and end < self.day_from:
            return False
        return not (self.day_to and start > self.day_to)

    # -- the document ------------------------------------------------------------------------

    def build(self) -> str:
        blocks: list[str] = self.header()
        head = len(blocks)
        for section in SECTIONS:
            if section in self.o.sections:
                body = getattr(self, section)()
                blocks.append(f"## {SECTION_TITLES[section]}")
                blocks.extend(body)
        if self.marked:
            blocks.insert(head, f"Marks: {CONFIRMED_MARK} by a reader, {MANUAL_MARK}.")
        if self.notes.lines:
            blocks.append("\n".join(self.notes.lines))
        return "\n\n".join(blocks) + "\n"

    def header(self) -> list[str]:
        name = self.meta("name") or "Untitled case"
        out = [f"# {inline(name)}"]
        facts: list[str] = []
        changed = iso_day(self.meta("modified_at"))
        if changed:
            facts.append(f"Last changed {day_words(changed)}.")
        span = published_span(doc.published for doc in self.docs.values())
        n = len(self.docs)
        if n == 0:
            facts.append("Covers no documents yet.")
        else:
            what = f"Covers {n} document{'s' if n != 1 else ''}"
            dated = 0
            if span is not None:
                dated, first, last = span
                if first == last:
                    what += f" published {date_words(first)}"
                else:
                    what += f" published from {date_words(first)} to {date_words(last)}"
            undated = n - dated
            if dated and undated:
                what += f" ({undated} without a date)"
            facts.append(what + ".")
        out.append(" ".join(facts))
        narrowed: list[str] = []
        if self.o.confirmed_only:
            narrowed.append("confirmed and hand-made facts only")
        if self.day_from and self.day_to:
            narrowed.append(f"from {day_words(self.day_from)} to {day_words(self.day_to)}")
        elif self.day_from:
            narrowed.append(f"from {day_words(self.day_from)}")
        elif self.day_to:
            narrowed.append(f"up to {day_words(self.day_to)}")
        if self.entity:
            narrowed.append(f"about {inline(self.entity[1])}")
        if self.o.tag:
            narrowed.append(f"annotations tagged {inline(self.o.tag)}")
        if narrowed:
            out.append("This summary is narrowed to: " + "; ".join(narrowed) + ".")
        return out

    # -- sections ------------------------------------------------------------------------------

    def chronology(self) -> list[str]:
        where = ["e.status != 'rejected'"]
        params: list[Any] = []
        if self.day_from:
            where.append("e.date_end >= ?")
            params.append(self.day_from.isoformat())
        if self.day_to:
            where.append("e.date_start <= ?")
            params.append(self.day_to.isoformat())
        if self.o.entity_id is not None:
            where.append(
                "(e.id IN (SELECT event_id FROM event_entities WHERE entity_id = ?) "
                "OR e.id IN (SELECT es.event_id FROM event_sources es "
                "JOIN facts f ON f.id = es.fact_id JOIN facts m "
                "ON m.document_id = f.document_id AND m.entity_id = ? "
                f"AND m.kind IN {_MENTION_KINDS} "
                f"AND m.status {self.fact_ok} AND m.start < f.end AND m.end > f.start))"
            )
            params += [self.o.entity_id, self.o.entity_id]
        cond = " AND ".join(where)
        events = self.q(
            "SELECT e.id, e.date, e.modifier, e.title, e.status FROM events e "
            f"WHERE {cond} ORDER BY e.date_start, e.date_end, e.id",
            params,
        )
        sources: dict[int, list[tuple[Any, ...]]] = {}
        for row in self.q(
            # Reports in the order of their facts: the facts table is then read front to back.
            "SELECT es.event_id, f.document_id, f.start, f.end, f.status, "
            f"{denial_sql('f')} IS NOT NULL "
            "FROM event_sources es INDEXED BY event_sources_fact "
            "JOIN facts f ON f.id = es.fact_id JOIN events e ON e.id = es.event_id "
            f"WHERE {cond} AND f.status != 'rejected'",
            params,
        ):
            sources.setdefault(int(row[0]), []).append(row[1:])
        has_sources = {
            int(r[0])
            for r in self.q(
                "SELECT DISTINCT es.event_id FROM events e "
                f"JOIN event_sources es ON es.event_id = e.id WHERE {cond}",
                params,
            )
        }
        rows: list[str] = []
        order = {d: doc.order for d, doc in self.docs.items()}
        for ev_id, value, modifier, title, status in events:
            cited = sources.get(int(ev_id), [])
            if status not in _USER_OK:
                if self.o.confirmed_only:
                    cited = [c for c in cited if c[3] in _USER_OK]
                    if not cited:
                        continue
                elif not cited and int(ev_id) in has_sources:
                    continue  # every source was rejected: nothing left to rest on
            cited.sort(key=lambda c: (order[c[0]], c[1], c[2]))
            numbers = sorted({self.notes.number(d, s, e) for d, s, e, _st, no in cited if not no})
            refs = " ".join([f"[^{n}]" for n in numbers])
            # A report that denies the happening is no source for it: cited as the denial.
            denials = sorted({self.notes.number(d, s, e) for d, s, e, _st, no in cited if no})
            if denials:
                refs = (
                    (refs + " " if refs else "") + "denied: " + " ".join(f"[^{n}]" for n in denials)
                )
            rows.append(
                f"| {date_words(value, modifier) or '—'} | {inline(title)}{self.mark(status)} "
                f"| {refs or '—'} |"
            )
        if not rows:
            return ["No timeline events."]
        return ["| Date | Event | Sources |\n| --- | --- | --- |\n" + "\n".join(rows)]

    def disputes(self) -> list[str]:
        """Where the sources disagree, each side with its value and its citation; those the
        user marked not a dispute are left out, resolved ones carry the user's note."""
        from casedesk import disputes

        out: list[str] = []
        for d in disputes.find_disputes(self.conn):
            if d.status == disputes.NOT_A_DISPUTE:
                continue
            if self.o.entity_id is not None and not self._about_entity(d):
                continue
            lines = []
            for side in d.sides:
                value = date_words(side.value) if d.kind == "date" else side.value
                doc = self.docs[side.document_id]
                ref = self.notes.cite(side.document_id, side.start, side.end)
                lines.append(f"- **{inline(value or '—')}**: {doc.label}{ref}")
            what = disputes.KIND_WORDS[d.kind]
            out.append(f"### {inline(what[0].upper() + what[1:])}: {inline(d.subject)}")
            out.append("\n".join(lines))
            if d.status == disputes.RESOLVED:
                out.append(f"Resolved{': ' + inline(d.note) if d.note else '.'}")
        return out or ["No disputes found between the sources."]

    def _about_entity(self, d: Any) -> bool:
        if self.entity is None:
            return True
        names = {n.casefold() for n in (self.entity[1], *self.entity[2])}
        text = " ".join([d.subject] + [s.text + " " + s.value for s in d.sides]).casefold()
        return any(n in text for n in names)

    def entities(self) -> list[str]:
        kinds = [k for k, _ in ENTITY_GROUPS]
        where = f"kind IN ({', '.join('?' * len(kinds))}) AND status != 'rejected'"
        params: list[Any] = list(kinds)
        if self.o.entity_id is not None:
            where += " AND id = ?"
            params.append(self.o.entity_id)
        ents = self.q(f"SELECT id, kind, name, status FROM entities WHERE {where}", params)
        if not ents:
            return ["No people, organisations, places or materials."]
        aliases: dict[int, list[str]] = {}
        for ent_id, alias in self.q(
            "SELECT entity_id, alias FROM aliases"
            + (" WHERE entity_id = ?" if self.o.entity_id is not None else ""),
            [self.o.entity_id] if self.o.entity_id is not None else [],
        ):
            aliases.setdefault(int(ent_id), []).append(str(alias))
        mentions: dict[int, list[tuple[int, int]]] = {}
        for ent_id, doc_id, count in self.q(
            # Counting every entity's mentions reads most of the facts: in table order (NOT
            # INDEXED) that is twice as fast as through the entity index.
            "SELECT entity_id, document_id, count(*) FROM facts "
            + ("" if self.o.entity_id is not None else "NOT INDEXED ")
            + f"WHERE entity_id IS NOT NULL AND status {self.fact_ok} "
            f"AND kind IN {_MENTION_KINDS} "
            + ("AND entity_id = ? " if self.o.entity_id is not None else "")
            + "GROUP BY entity_id, document_id",
            [self.o.entity_id] if self.o.entity_id is not None else [],
        ):
            mentions.setdefault(int(ent_id), []).append((int(doc_id), int(count)))
        out: list[str] = []
        for kind, heading in ENTITY_GROUPS:
            items: list[tuple[str, int, str]] = []
            for ent_id, ent_kind, name, status in ents:
                if ent_kind != kind:
                    continue
                found = mentions.get(int(ent_id), [])
                if not found and status not in _USER_OK:
                    continue
                line = f"- **{inline(name)}**{self.mark(status)}"
                others = sorted(
                    {
                        a.casefold(): a
                        for a in aliases.get(int(ent_id), [])
                        if a.casefold() != str(name).casefold()
                    }.values(),
                    key=lambda a: (a.casefold(), a),
                )
                if others:
                    line += " — also written " + ", ".join(inline(a) for a in others)
                if found:
                    line += " — " + self._mentioned_in(found)
                items.append((str(name).casefold(), int(ent_id), line))
            if items:
                out.append(f"### {heading}")
                out.append("\n".join(line for *_k, line in sorted(items)))
        return out or ["No people, organisations, places or materials."]

    def _mentioned_in(self, found: list[tuple[int, int]]) -> str:
        """Documents mentioning an entity, with counts; past ``_MAX_LISTED`` only the ones
        that mention it most (a summary line, not an index)."""
        if len(found) <= _MAX_LISTED:
            found.sort(key=lambda m: self.docs[m[0]].order)
            return "mentioned in " + ", ".join(f"{self.docs[d].label} ({c})" for d, c in found)
        top = sorted(found, key=lambda m: (-m[1], self.docs[m[0]].order))[:_MAX_LISTED]
        top.sort(key=lambda m: self.docs[m[0]].order)
        listed = ", ".join(f"{self.docs[d].label} ({c})" for d, c in top)
        rest = len(found) - len(top)
        return f"mentioned in {len(found)} documents, most in {listed} and {rest} more"

    def claims(self) -> list[str]:
        rows = self.q(
            "SELECT f.id, f.document_id, f.start, f.end, f.text, f.value, f.status, "
            # The claim's own date, read by SQLite (a damaged attrs reads as none).
            "CASE WHEN json_valid(f.attrs) THEN json_extract(f.attrs, '$.date') END, "
            "f.entity_id, en.name, "
            # A denial is shown as one, with the words that deny ("denied", "did not say").
            f"{denial_sql('f')} "
            "FROM facts f LEFT JOIN entities en ON en.id = f.entity_id "
            f"WHERE f.kind = 'claim' AND f.status {self.fact_ok}"
        )
        names: set[str] = set()
        if self.entity:
            names = {n.casefold() for n in (self.entity[1], *self.entity[2])}
        groups: dict[str, list[tuple[Any, ...]]] = {}
        for fid, doc_id, start, end, text, value, status, said, ent_id, ent_name, denial in rows:
            # The resolved entity groups "Abe" and "Shinzo Abe" under one name.
            speaker = str(ent_name or value or "").strip()
            if self.o.entity_id is not None and not (
                ent_id == self.o.entity_id or speaker.casefold() in names
            ):
                continue
            date_value = _claim_date(said) or self.docs[int(doc_id)].published
            found = timex.period(date_value) if date_value else None
            if not self.in_range(found.start if found else None, found.end if found else None):
                continue
            sort_day = found.start if found else dt.date.max
            groups.setdefault(speaker, []).append(
                (
                    sort_day,
                    self.docs[int(doc_id)].order,
                    start,
                    fid,
                    doc_id,
                    end,
                    text,
                    date_value,
                    status,
                    denial,
                )
            )
        if not groups:
            return ["No claims."]
        out: list[str] = []
        ordered = sorted(groups, key=lambda s: (s == "", s.casefold(), s))
        for speaker in ordered:
            out.append(f"### {inline(speaker) if speaker else 'Unattributed'}")
            lines = []
            for _sd, _o, start, _f, doc_id, end, text, date_value, status, denial in sorted(
                groups[speaker], key=lambda g: g[:4]
            ):
                when = date_words(date_value) if date_value else "undated"
                ref = self.notes.cite(int(doc_id), int(start), int(end))
                words = f"“{inline(text)}”"
                if denial is not None:
                    # never the speaker's assertion: "**denies** “...” (did not say)"
                    words = f"**denies** {words} ({inline(str(denial))})"
                lines.append(f"- {when}: {words}{self.mark(status)}{ref}")
            out.append("\n".join(lines))
        return out

    def annotations(self) -> list[str]:
        where: list[str] = []
        params: list[Any] = []
        if self.o.tag:
            where.append("t.name = ? COLLATE NOCASE")
            params.append(self.o.tag)
        if self.o.entity_id is not None:
            where.append(
                "EXISTS (SELECT 1 FROM facts m WHERE m.document_id = a.document_id "
                f"AND m.entity_id = ? AND m.status {self.fact_ok} "
                f"AND m.kind IN {_MENTION_KINDS} AND m.start < a.end AND m.end > a.start)"
            )
            params.append(self.o.entity_id)
        rows = self.q(
            "SELECT a.id, a.document_id, a.start, a.end, a.text, a.note, t.name "
            "FROM annotations a LEFT JOIN tags t ON t.id = a.tag_id"
            + (" WHERE " + " AND ".join(where) if where else ""),
            params,
        )
        if not rows:
            return ["No annotations."]
        groups: dict[str, list[tuple[Any, ...]]] = {}
        for aid, doc_id, start, end, text, note, tag in rows:
            key = (self.docs[int(doc_id)].order, int(start), int(end), int(aid))
            groups.setdefault(tag or "", []).append((key, doc_id, start, end, text, note))
        out: list[str] = []
        for tag in sorted(groups, key=lambda t: (t == "", t.casefold(), t)):
            out.append(f"### {inline(tag) if tag else 'Untagged'}")
            items = []
            for _k, doc_id, start, end, text, note in sorted(groups[tag]):
                ref = self.notes.cite(int(doc_id), int(start), int(end))
                item = f"- “{inline(text)}” — {self.docs[int(doc_id)].label}{ref}"
                body = note_markdown(note)
                if body:
                    item += "\n\n" + "\n".join(
                        ("    " + line) if line.strip() else "" for line in body.split("\n")
                    )
                items.append(item)
            out.append("\n\n".join(items))
        return out

    def sources(self) -> list[str]:
        if not self.docs:
            return ["No documents."]
        lines = []
        for i, doc in enumerate(sorted(self.docs.values(), key=lambda d: d.order), 1):
            parts = [doc.label]
            if doc.title:
                parts.append(f"({inline(doc.file_name)})")
            line = f"{i}. " + " ".join(parts)
            if doc.publisher:
                line += f" — {inline(doc.publisher)}"
            if doc.published:
                line += f" — published {date_words(doc.published)}"
                if doc.inferred:
                    line += " (inferred)"
            else:
                line += " — date unknown"
            url = safe_url(doc.url)
            if url:
                line += f" — <{url}>"
            elif doc.url:
                line += f" — {inline(doc.url)}"
            lines.append(line)
        return ["\n".join(lines)]


def published_span(published: Iterable[str | None]) -> tuple[int, str, str] | None:
    """How many of these publication dates are calendar dates, and the earliest and the
    latest of them (as written); None when none is."""
    dated = [(found, value) for value in published if value and (found := timex.period(value))]
    if not dated:
        return None
    first = min(dated, key=lambda p: (p[0].start, p[0].end))[1]
    last = max(dated, key=lambda p: (p[0].end, p[0].start))[1]
    return len(dated), first, last


def _claim_date(value: object) -> str | None:
    """A claim's ``date`` attribute when it is a date on the calendar."""
    return value if isinstance(value, str) and timex.period(value) else None


def summary_markdown(case: CaseLike, options: ExportOptions | None = None) -> str:
    """The case summary as Markdown (GFM tables, ``[^n]`` footnotes), ending in a newline."""
    return _Builder(case, options or ExportOptions()).build()
