"""The extraction pipeline: from a stored document to facts, entities and events in the case.

Per document: debris is masked with spaces (offsets stay those of the stored text), a missing
publication date is inferred, the text is parsed once, and the extractors run on that parse;
then, in ONE transaction, the document's machine facts are replaced, entities resolved and the
document's events placed on the timeline. A kill at any moment leaves every document either
extracted as before or as after.

The user's word is final. Facts the user confirmed, rejected, corrected or added are never
touched, and a machine fact on the same span and kind as one of them is not added again (a
rejected fact does not come back). Dates the user corrected are the dates events and claims
are built on. Entities that lose all their facts are removed unless the user made them.

The work splits into a pure stage (text → mentions; can run in worker processes) and a
writing stage (mentions → rows; in the process that owns the case file).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any

from casedesk import corrections
from casedesk.extract import corroborate
from casedesk.extract.furniture import furniture
from casedesk.extract.model import Mention
from casedesk.extract.timex import period
from casedesk.extract.version import extractor_version
from casedesk.store import USER_STATUSES, Case, chunked, count_words, now_iso

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from casedesk.extract.resolve import EntityResolver

# A hash of the extractor's code and data and of the model (``casedesk.extract.version``): a
# document extracted by any other version is extracted again.
EXTRACTOR_VERSION = extractor_version()
ENTITY_FACT_KINDS = ("person", "organization", "place", "material")
BATCH = 16  # documents per nlp.pipe batch
# below this a worker process costs more than it saves
MIN_DOCS_PER_WORKER = 24
# Worker processes are replaced after this many batches each: spaCy's string store and the
# allocator's arenas grow with every new word, and a fresh process (loading the model
# again costs about a second) keeps a long import's memory flat. The whole set of processes
# is replaced at once, by a new pool (``_Pools``): the executor's own max_tasks_per_child
# does not start a replacement while it counts an idle process (CPython 3.11), and an import
# then waits forever on batches no process will take.
BATCHES_PER_WORKER = 50
# spaCy's parser and tagger need memory in proportion to the text they see at once (and
# refuse more than ``nlp.max_length``): a longer document is parsed in pieces of at most this
# many characters, cut between paragraphs (or lines, or sentences), and the pieces joined
# into one Doc whose offsets are those of the whole text.
PIECE_CHARS = 50_000
# A "sentence" longer than this many tokens since the last full stop (a text without any, a
# table flattened into one line) is cut at its next comma or semicolon, or here: every
# extractor works sentence by sentence, and one sentence of a million characters made them
# quadratic.
MAX_SENTENCE_TOKENS = 200
# One document's extraction may take this much CPU time; past it the document is marked as failed
# with the reason (its text stays in the case, searchable) instead of holding up the import.
DOCUMENT_BUDGET_SECONDS = 20.0
FAILED = " failed: "  # extractor column of a document whose extraction failed: version + this
ReviewKey = tuple[str, int, int, str | None]


@dataclass
class ExtractStats:
    """What extracting one document did."""

    document_id: int
    words: int = 0
    added: dict[str, int] = field(default_factory=dict)
    removed: int = 0
    kept: int = 0  # user-reviewed facts left as they were
    skipped: int = 0  # machine facts not added because the user had reviewed that span
    published: str | None = None
    published_inferred: bool = False
    seconds: float = 0.0
    error: str | None = None


@dataclass
class Job:
    """What the pure stage needs to know about one document."""

    document_id: int
    text: str
    published: str | None
    debris: list[tuple[int, int]]
    user_dates: list[Mention]
    rejected_dates: list[tuple[int, int]]
    url: str | None = None  # the source address (a day in its path dates the document)
    came_in: str | None = None  # when the document was imported (no publication is later)


@dataclass
class Analysis:
    """What the pure stage found in one document."""

    document_id: int
    mentions: list[Mention]
    published: str | None
    inferred: bool
    evidence: str | None
    words: int
    seconds: float
    error: str | None = None  # why the document could not be extracted (nothing else is set)


class ExtractionFailed(Exception):
    """A document's extraction failed (too long for the time budget, or the model refused)."""


class _OverBudget(Exception):
    pass


# -- the pure stage ----------------------------------------------------------------------------


def mask_debris(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    """The text with debris replaced by spaces (line breaks kept, so paragraphs stay apart)."""
    if not ranges:
        return text
    chars = list(text)
    for start, end in ranges:
        for i in range(max(start, 0), min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def make_doc(nlp: Language, text: str) -> Doc:
    """A tokenised ``Doc`` whose sentences may not run across a blank line: the parser keeps
    preset boundaries, so a headline or a caption is never parsed into the next paragraph.
    A run of more than ``MAX_SENTENCE_TOKENS`` tokens without a full stop is cut too."""
    doc = nlp.make_doc(text)
    preset: set[int] = set()  # tokens that start a paragraph
    for m in _PARAGRAPH_BREAK.finditer(text):
        if 0 < m.end() < len(text):
            span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
            if span is not None and span.start > 0:
                doc[span.start].is_sent_start = True
                preset.add(span.start)
    # Each token's text is classified once per distinct word (a string hash per token, no
    # Token objects): ends a sentence, is a soft break, holds a line break.
    kinds = _token_kinds
    if len(kinds) > 50_000:
        kinds.clear()
    strings = doc.vocab.strings
    since = 0  # tokens since the last sentence end (or preset start)
    soft: int | None = None  # the last token after a comma, semicolon or line break
    previous = 0  # the kind of the token before
    for i, orth in enumerate(doc.to_array("ORTH").tolist() if len(doc) else ()):
        kind = kinds.get(orth)
        if kind is None:
            word = strings[orth]
            kind = kinds[orth] = (
                (word in _SENTENCE_ENDS) * _ENDS
                | (word in _SOFT_BREAKS) * _SOFT
                | ("\n" in word) * _BREAK
            )
        if i > 0 and (previous & _ENDS or i in preset):
            since, soft = 0, None
        since += 1
        if i > 0 and (previous & _SOFT or kind & _BREAK):
            soft = i
        previous = kind
        if since > MAX_SENTENCE_TOKENS:
            cut = soft if soft is not None and i - soft < MAX_SENTENCE_TOKENS // 2 else i
            doc[cut].is_sent_start = True
            since, soft = i - cut + 1, None
    return doc


_ENDS, _SOFT, _BREAK = 1, 2, 4
_token_kinds: dict[int, int] = {}  # string hash of a token's text -> its _ENDS/_SOFT/_BREAK
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_SENTENCE_ENDS = frozenset({".", "!", "?", "。", "！", "？", "…"})
_SOFT_BREAKS = frozenset({",", ";", ":", "，", "；", "、", "—", "–"})
_PIECE_CUTS = (re.compile(r"\n[^\S\n]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?]\s+"))


def pieces(text: str, size: int | None = None) -> list[tuple[int, int]]:
    """``text`` cut into consecutive ``(start, end)`` pieces of at most ``size`` characters,
    each ending after a paragraph break where there is one (else a line break, a sentence
    end, a space; a piece with none of those is cut where it must)."""
    size = size or PIECE_CHARS
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = 0
        for pattern in _PIECE_CUTS:
            for m in pattern.finditer(window, size // 2):
                cut = m.end()
            if cut:
                break
        if not cut:
            cut = window.rfind(" ", size // 2) + 1 or size
        out.append((start, start + cut))
        start += cut
    out.append((start, len(text)))
    return out


def parse(nlp: Language, text: str, deadline: float | None = None) -> Doc:
    """``text`` parsed piece by piece (see ``PIECE_CHARS``) into one Doc of the whole text;
    ``_OverBudget`` when ``deadline`` passes between pieces. The deadline is a
    ``time.process_time()`` value: CPU time, so a busy machine does not fail a document."""
    from spacy.tokens import Doc

    parts = []
    for start, end in pieces(text):
        if deadline is not None and time.process_time() > deadline:
            raise _OverBudget(f"{start:,} of {len(text):,} characters parsed")
        parts.append(nlp(make_doc(nlp, text[start:end])))
    return parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)


def _parse_all(
    nlp: Language, texts: Sequence[str], budget: float | None = None
) -> Iterator[Doc | Exception]:
    """Each text parsed, in order: short ones batched, long ones in pieces; an exception in
    place of a Doc that could not be made."""
    short = (make_doc(nlp, t) for t in texts if len(t) <= PIECE_CHARS)
    batched = nlp.pipe(short, batch_size=BATCH)
    for text in texts:
        try:
            if len(text) <= PIECE_CHARS:
                yield next(batched)
            else:
                deadline = None if budget is None else time.process_time() + budget
                yield parse(nlp, text, deadline)
        except Exception as exc:  # noqa: BLE001 - one document's failure is reported alone
            yield exc


def _published_date(value: str | None) -> dt.date | None:
    p = period(value)
    return None if p is None or p.precision not in ("day", "time") else p.start


def _import_day(imported_at: str | None) -> dt.date | None:
    """The last day a document imported at ``imported_at`` (UTC) can have been published on:
    that day, or the next where the publisher's clock is ahead of UTC."""
    day = _published_date(imported_at)
    return None if day is None else day + dt.timedelta(days=1)


def analyse(job: Job, doc: Doc, masked: str) -> Analysis:
    """Run every extractor on one parsed document."""
    from casedesk.extract.claims import find_claims, mark_denied_events
    from casedesk.extract.dates import tag_dates_inferring
    from casedesk.extract.entities import find_entities, unshown_organisations
    from casedesk.extract.events import find_events
    from casedesk.extract.quantities import find_quantities

    started = time.perf_counter()
    published, inferred, evidence = job.published, False, None
    if published:
        dates = tag_dates_inferring(masked, _published_date(published), skip=job.debris, doc=doc)[0]
    else:
        dates, found = tag_dates_inferring(
            masked,
            None,
            skip=job.debris,
            url=job.url,
            reference=_import_day(job.came_in),
            doc=doc,
        )
        if found is not None:
            published, evidence, inferred = found[0].isoformat(), found[1], True
    entities = find_entities(doc)
    quantities = find_quantities(doc)
    # Events and claims stand on the dates as the user left them.
    effective = [
        d
        for d in dates
        if not any(s < d.end and d.start < e for s, e in job.rejected_dates)
        and not any(u.start < d.end and d.start < u.end for u in job.user_dates)
    ] + list(job.user_dates)
    effective.sort(key=lambda m: m.start)
    events = find_events(doc, effective, entities)
    claims = find_claims(doc, entities, effective, published)
    mark_denied_events(events, claims)
    # Names the document alone does not show to be organisations: kept only where the case
    # knows them as organisations already (``write_analysis``).
    unshown = unshown_organisations(doc)
    for m in unshown:
        m.attrs[UNSHOWN] = True
    mentions = [*dates, *entities, *quantities, *events, *claims, *unshown]
    return Analysis(
        document_id=job.document_id,
        mentions=mentions,
        published=published,
        inferred=inferred,
        evidence=evidence,
        words=count_words(masked),
        seconds=time.perf_counter() - started,
    )


def _analyse_jobs(jobs: Sequence[Job], budget: float | None = None) -> list[Analysis]:
    """Parse and analyse a batch (in this process or in a worker). A document that cannot be
    parsed, or runs past ``budget`` seconds (``DOCUMENT_BUDGET_SECONDS``), comes back with its
    ``error`` set."""
    from casedesk.extract.nlp import get_nlp

    if budget is None:
        budget = DOCUMENT_BUDGET_SECONDS

    nlp = get_nlp()
    masked = [mask_debris(j.text, j.debris) for j in jobs]
    # Bylines, credits and other page furniture kept in the article are no source of names,
    # events or claims: the parse does not see them (dates read ``masked``).
    parsed = [mask_debris(t, [(s, e) for s, e, _r in furniture(t)]) for t in masked]
    out: list[Analysis] = []
    started = time.perf_counter()
    for job, text, doc in zip(jobs, masked, _parse_all(nlp, parsed, budget), strict=True):
        try:
            if isinstance(doc, Exception):
                raise doc
            result = analyse(job, doc, text)
        except _OverBudget as exc:
            result = _failed(
                job,
                f"extraction stopped after {budget:g} CPU-s, the time one document may take "
                f"({exc}); the text is kept and can be searched",
            )
        except Exception as exc:  # noqa: BLE001 - one document's failure is reported alone
            result = _failed(job, f"{type(exc).__name__}: {exc}"[:300])
        result.seconds = time.perf_counter() - started
        started = time.perf_counter()
        out.append(result)
    return out


def _failed(job: Job, reason: str) -> Analysis:
    return Analysis(job.document_id, [], job.published, False, None, 0, 0.0, error=reason)


def mark_failed(case: Case, doc_id: int, reason: str) -> None:
    """Record that ``doc_id`` could not be extracted (and why), so it is not tried again by
    this version of the extractors; the caller holds the transaction."""
    case.conn.execute(
        "UPDATE documents SET extractor = ?, extracted_at = ? WHERE id = ?",
        (f"{EXTRACTOR_VERSION}{FAILED}{reason}", now_iso(), doc_id),
    )


def extraction_failure(case: Case, doc_id: int) -> str | None:
    """Why the document's extraction failed, or None."""
    row = case.conn.execute("SELECT extractor FROM documents WHERE id = ?", (doc_id,)).fetchone()
    value = str(row[0]) if row and row[0] else ""
    head, sep, reason = value.partition(FAILED)
    return reason if sep and head == EXTRACTOR_VERSION else None


# -- reading the case ------------------------------------------------------------------------


def _job(case: Case, doc_id: int, published: str | None | bool = False) -> Job:
    """``published`` False: the document's own; otherwise the given value (None = infer)."""
    row = case.conn.execute(
        "SELECT text, published, published_inferred, url, imported_at FROM documents WHERE id = ?",
        (doc_id,),
    ).fetchone()
    if row is None:
        raise KeyError(f"document {doc_id} does not exist in {case.path}")
    text, stored, was_inferred, url, imported_at = row
    if published is False:
        # An inferred date is re-inferred, so a better tagger can improve it.
        pub = None if was_inferred else stored
    else:
        pub = published if isinstance(published, str) else None
    user_dates: list[Mention] = []
    rejected: list[tuple[int, int]] = []
    for start, end, text_, value, modifier, status in case.conn.execute(
        "SELECT start, end, text, value, modifier, status FROM facts "
        "WHERE document_id = ? AND +kind = 'date' AND status IN ('confirmed','manual','rejected')",
        (doc_id,),
    ):
        if status == "rejected":
            rejected.append((int(start), int(end)))
        elif period(value) is not None:
            user_dates.append(Mention("date", int(start), int(end), text_, value, modifier, "user"))
    return Job(
        document_id=doc_id,
        text=str(text),
        published=pub,
        debris=[(s, e) for s, e, _r in case.boilerplate(doc_id)],
        user_dates=user_dates,
        rejected_dates=rejected,
        url=str(url) if url else None,
        came_in=str(imported_at) if imported_at else None,
    )


# -- the writing stage -------------------------------------------------------------------------


def _new_resolver(case: Case) -> EntityResolver:
    from casedesk.extract.resolve import EntityResolver

    return EntityResolver(case)


class _NamedSpans:
    """A document's entity mentions that have an entity, found by position without looking at
    every one of them (a long document has thousands of names, events and claims)."""

    _ORDER = {"person": 0, "organization": 1, "place": 2, "material": 3}

    def __init__(self, mentions: Sequence[Mention], ids: Sequence[int | None]) -> None:
        # (start, position in ``mentions``, mention, entity), by start
        self.items = sorted(
            (
                (m.start, i, m, e)
                for i, (m, e) in enumerate(zip(mentions, ids, strict=True))
                if e is not None and m.start <= m.end
            ),
            key=lambda x: (x[0], x[1]),
        )
        self.starts = [x[0] for x in self.items]
        self.longest = max((m.end - m.start for _s, _i, m, _e in self.items), default=0)
        # a span that ends before it starts is looked at every time (none is expected)
        self.odd = [
            (i, m, e)
            for i, (m, e) in enumerate(zip(mentions, ids, strict=True))
            if e is not None and m.start > m.end
        ]

    def within(self, start: int, end: int) -> list[tuple[Mention, int]]:
        """The mentions (and entities) lying inside ``start``–``end``."""
        out = [(m, e) for _i, m, e in self.odd if start <= m.start and m.end <= end]
        for k in range(bisect_left(self.starts, start), bisect_right(self.starts, end)):
            _s, _i, m, e = self.items[k]
            if m.end <= end:
                out.append((m, e))
        return out

    def entity_at(self, start: int, end: int) -> int | None:
        """The entity of the mention that covers ``start``–``end``, or starts inside it
        (persons first, then the earliest mention)."""
        best: tuple[int, int, int] | None = None
        lo = min(start, end) - self.longest
        hi = max(start + 1, end)
        candidates = [
            (i, m, e)
            for _s, i, m, e in self.items[
                bisect_left(self.starts, lo) : bisect_left(self.starts, hi)
            ]
        ]
        candidates += self.odd
        for i, m, ent in candidates:
            if not (m.start <= start and end <= m.end or start <= m.start < end):
                continue
            if not (m.start <= start < m.end or start <= m.start < end):
                continue
            key = (self._ORDER.get(m.kind, 9), i)
            if best is None or key < best[:2]:
                best = (*key, ent)
        return None if best is None else best[2]


# Marks a name the document did not show to be an organisation (``unshown_organisations``).
UNSHOWN = "unshown"


def _known_to_the_case(mentions: list[Mention], resolver: EntityResolver) -> list[Mention]:
    """A name the model alone called an organisation, which its document did not show to be one,
    is one where the case already holds that organisation (another document showed it, or the
    user made it); elsewhere, and where another name now covers its words, it is dropped."""
    if not any(m.attrs.get(UNSHOWN) for m in mentions):
        return mentions
    taken = [
        (m.start, m.end)
        for m in mentions
        if m.kind in ENTITY_FACT_KINDS and not m.attrs.get(UNSHOWN)
    ]
    out = []
    for m in mentions:
        if m.attrs.get(UNSHOWN):
            if not resolver.knows_organisation(m.value or m.text) or any(
                a < m.end and m.start < b for a, b in taken
            ):
                continue
            del m.attrs[UNSHOWN]
            m.attrs["kind_pass"] = "case"
            taken.append((m.start, m.end))
        out.append(m)
    return out


def write_analysis(
    case: Case,
    analysis: Analysis,
    resolver: EntityResolver | None,
    *,
    drop_orphans: bool = True,
    events_cache: dict[int, corroborate.Cluster] | None = None,
) -> ExtractStats:
    """Replace one document's machine facts with ``analysis`` (the caller holds the
    transaction). Returns what changed. Without a ``resolver``, one is read from the case
    once the document's old facts are gone (they must not count twice for its names)."""
    conn = case.conn
    doc_id = analysis.document_id
    stats = ExtractStats(document_id=doc_id, words=analysis.words, seconds=analysis.seconds)
    old_entities = {
        int(r[0])
        for r in conn.execute(
            "SELECT DISTINCT entity_id FROM facts WHERE document_id = ? AND status = 'extracted' "
            "AND entity_id IS NOT NULL",
            (doc_id,),
        )
    }
    previous: dict[tuple[int, int, str], int] = {}
    touched: set[int] = set()
    for start, end, value, event_id in conn.execute(
        "SELECT f.start, f.end, f.value, s.event_id FROM facts f "
        "JOIN event_sources s ON s.fact_id = f.id "
        "WHERE f.document_id = ? AND +f.kind = 'event' AND f.status = 'extracted'",
        (doc_id,),
    ):
        previous[(int(start), int(end), str(value))] = int(event_id)
        touched.add(int(event_id))
    touched.update(corroborate.detach_rejected(conn, "AND f.document_id = ?", (doc_id,)))
    stats.removed = conn.execute(
        "DELETE FROM facts WHERE document_id = ? AND status = 'extracted'", (doc_id,)
    ).rowcount
    reviewed: set[ReviewKey] = set()
    for kind, start, end, value, original in conn.execute(
        f"SELECT kind, start, end, value, original_value FROM facts WHERE document_id = ? "
        f"AND status IN ({','.join('?' * len(USER_STATUSES))})",
        (doc_id, *USER_STATUSES),
    ):
        stats.kept += 1
        reviewed.add(_review_key(kind, int(start), int(end), original or value))
        if kind == "event" and original and original != value:
            reviewed.add(_review_key(kind, int(start), int(end), value))
    decisions = corrections.Decisions.load(conn)
    mentions = []
    for m in decisions.apply(analysis.mentions):
        if _review_key(m.kind, m.start, m.end, m.value) in reviewed:
            stats.skipped += 1
        else:
            mentions.append(m)
    if analysis.inferred:
        conn.execute(
            "UPDATE documents SET published = ?, published_inferred = 1, published_evidence = ? "
            "WHERE id = ?",
            (analysis.published, analysis.evidence, doc_id),
        )
    stats.published = analysis.published
    stats.published_inferred = analysis.inferred
    if resolver is None:
        resolver = _new_resolver(case)
    mentions = _known_to_the_case(mentions, resolver)
    entity_mentions = [m for m in mentions if m.kind in ENTITY_FACT_KINDS]
    entity_ids = decisions.resolve(conn, resolver, doc_id, entity_mentions)
    ids_by_mention = {id(m): e for m, e in zip(entity_mentions, entity_ids, strict=True)}
    named = _NamedSpans(entity_mentions, entity_ids)
    now = now_iso()
    event_fact_ids: list[int] = []
    rows = []
    for m in mentions:
        attrs = dict(m.attrs)
        ent = ids_by_mention.get(id(m))
        if m.kind == "event":
            inside = named.within(m.start, m.end)
            attrs["entity_ids"] = sorted({e for _em, e in inside})
            # Countries are named in nearly every report of a dispute: no evidence of sameness.
            attrs["key_entity_ids"] = sorted({e for em, e in inside if em.kind != "place"})
        elif m.kind == "claim":
            # "a spokesman for X" speaks for X: the claim is X's
            head = attrs.get("speaks_for") or attrs.get("speaker_head") or attrs.get("speaker_span")
            if head:
                ent = named.entity_at(int(head[0]), int(head[1]))
            span = attrs.get("speaker_span")
            if span:
                attrs["speaker_entity_ids"] = sorted(
                    {e for _em, e in named.within(int(span[0]), int(span[1]))}
                )
        row = (
            doc_id,
            m.kind,
            m.start,
            m.end,
            m.text,
            m.value,
            m.modifier,
            ent,
            m.provenance or "extract",
            json.dumps(attrs, ensure_ascii=False) if attrs else None,
            now,
            now,
        )
        if m.kind == "event":
            cur = conn.execute(_INSERT_FACT, row)
            event_fact_ids.append(int(cur.lastrowid or 0))
        else:
            rows.append(row)
        stats.added[m.kind] = stats.added.get(m.kind, 0) + 1
    conn.executemany(_INSERT_FACT, rows)
    decisions.apply_facts(conn, doc_id)
    corroborate.attach(conn, event_fact_ids, previous, touched, events_cache)
    conn.execute(
        "UPDATE documents SET extracted_at = ?, extractor = ? WHERE id = ?",
        (now, EXTRACTOR_VERSION, doc_id),
    )
    if drop_orphans:
        remove_orphan_entities(case, old_entities)
    case.touch()
    return stats


_INSERT_FACT = (
    "INSERT INTO facts(document_id, kind, start, end, text, value, modifier, entity_id, "
    "provenance, attrs, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _review_key(
    kind: str, start: int, end: int, value: str | None
) -> tuple[str, int, int, str | None]:
    # Several events may share a sentence (one per date); other kinds are one per span, and a
    # name the user gave another kind (a person made an organisation) is still that span.
    if kind in corrections.NAMED_KINDS:
        kind = "name"
    return (kind, start, end, value if kind == "event" else None)


def remove_orphan_entities(case: Case, candidates: Sequence[int] | set[int]) -> int:
    """Delete machine-made entities among ``candidates`` that no fact refers to any more."""
    removed = 0
    for ent_id in candidates:
        removed += case.conn.execute(
            "DELETE FROM entities WHERE id = ? AND status = 'extracted' AND NOT EXISTS "
            "(SELECT 1 FROM facts WHERE entity_id = ?)",
            (ent_id, ent_id),
        ).rowcount
    return removed


# -- public API --------------------------------------------------------------------------------


def extract_document(
    case: Case, doc_id: int, *, resolver: EntityResolver | None = None
) -> ExtractStats:
    """Extract one document in one transaction (the spaCy model loads on first use)."""
    return _extract_one(case, _job(case, doc_id), resolver)


# Worker processes cannot run here (a frozen build without freeze_support, a sandbox without
# fork/spawn): the work is then done in this process.
_NO_PROCESSES = (BrokenProcessPool, OSError, RuntimeError)


def _worker_pool(n: int) -> ProcessPoolExecutor:
    """``n`` spawned processes that parse."""
    return ProcessPoolExecutor(n, mp_context=get_context("spawn"))


class _Pools:
    """Worker processes for a long run: after ``BATCHES_PER_WORKER`` batches per process the
    pool is retired (its queued batches still finish, then its processes exit) and a fresh
    one takes the next batches; its processes load the model while the old ones finish."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.pool = _worker_pool(n)
        self.submitted = 0
        self.retired: list[ProcessPoolExecutor] = []

    def submit(self, jobs: list[Job]) -> Future[list[Analysis]]:
        if self.submitted >= BATCHES_PER_WORKER * self.n:
            self.pool.shutdown(wait=False)
            self.retired.append(self.pool)
            self.pool = _worker_pool(self.n)
            self.submitted = 0
        self.submitted += 1
        return self.pool.submit(_analyse_jobs, jobs)

    def close(self) -> None:
        """Wait for every process to exit (cancelled batches never start)."""
        for pool in (*self.retired, self.pool):
            pool.shutdown(wait=True, cancel_futures=True)
        self.retired = []


def _analyse_elsewhere(jobs: list[Job]) -> list[Analysis]:
    """``_analyse_jobs`` in a process of its own (this one never loads the model), or here
    when no process can be started."""
    try:
        with _worker_pool(1) as pool:
            return pool.submit(_analyse_jobs, jobs).result()
    except _NO_PROCESSES:
        return _analyse_jobs(jobs)


def _extract_one(
    case: Case,
    job: Job,
    resolver: EntityResolver | None,
    before: Callable[[], Any] | None = None,
    isolate: bool = False,
) -> ExtractStats:
    (analysis,) = _analyse_elsewhere([job]) if isolate else _analyse_jobs([job])
    if analysis.error is not None:
        with case.transaction():
            if before is not None:
                before()
            mark_failed(case, job.document_id, analysis.error)
        raise ExtractionFailed(analysis.error)
    with case.transaction():
        if before is not None:
            before()
        own = resolver is None
        return write_analysis(case, analysis, resolver, drop_orphans=own)


def extract_documents(
    case: Case,
    doc_ids: Sequence[int],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int = 1,
    isolate: bool = False,
    again: bool = True,
) -> list[ExtractStats]:
    """Extract many documents, each in its own transaction, parsing them in batches.

    With ``workers`` > 1 and enough documents, parsing runs in that many processes while this
    one writes. With ``isolate`` the model is never loaded or run in this process, however few
    the documents (a window's process keeps its interpreter free to paint); it falls back to
    this process only when worker processes cannot start. ``cancel`` is asked between
    documents; what is done stays done. A document whose extraction fails is rolled back alone
    and reported in its ``error``. Documents are extracted in the order of their publication
    dates (reports of one period meet the same timeline events, which then stay in memory);
    the results come back in the order of ``doc_ids``. With ``again``, documents written
    before the case learnt that a name in them is an organisation are then extracted again
    (``_shown_later``), so one kind per name holds whatever the order of import.
    """
    asked = list(doc_ids)
    doc_ids = _by_publication_date(case, asked)
    total = len(doc_ids)
    results: list[ExtractStats] = []
    if not total:
        return results
    seen = case.change_count()
    resolver = _new_resolver(case)
    events_cache = corroborate.EventCache()
    orphans: set[int] = set()
    # Names a document did not show to be organisations, kept aside: another document of the
    # run may show them (see ``_shown_later``).
    unshown: dict[int, set[str]] = {}
    last_entity = int(case.conn.execute("SELECT coalesce(max(id), 0) FROM entities").fetchone()[0])
    # Each document's extraction stamp when its text was read: another connection that
    # extracts it meanwhile (a second import of the same files) changes it, and this run
    # then leaves that extraction as it is instead of doing it again.
    stamps: dict[int, tuple[Any, Any]] = {}

    def batches() -> Iterator[list[Job]]:
        for i in range(0, total, BATCH):
            chunk = doc_ids[i : i + BATCH]
            stamps.update(_extraction_stamps(case, chunk))
            yield [_job(case, d) for d in chunk]

    def analysed() -> Iterator[Analysis]:
        n_workers = min(workers, max(1, total // MIN_DOCS_PER_WORKER), os.cpu_count() or 1)
        if n_workers <= 1 and not isolate:
            for jobs in batches():
                yield from _analyse_jobs(jobs)
                if cancel is not None and cancel():
                    return
            return
        source = batches()
        pending: list[tuple[Future[list[Analysis]], list[Job]]] = []
        pools: _Pools | None = None
        try:
            pools = _Pools(max(1, n_workers))
            for jobs in source:
                pending.append((pools.submit(jobs), jobs))
                if len(pending) >= n_workers * 2:
                    break
            while pending:
                if cancel is not None and cancel():
                    for f, _jobs in pending:
                        f.cancel()
                    return
                nxt = next(source, None)
                if nxt is not None:
                    pending.append((pools.submit(nxt), nxt))
                results = pending[0][0].result()
                pending.pop(0)
                yield from results
        except _NO_PROCESSES:
            for _f, jobs in pending:
                yield from _analyse_jobs(jobs)
                if cancel is not None and cancel():
                    return
            for jobs in source:
                yield from _analyse_jobs(jobs)
                if cancel is not None and cancel():
                    return
        finally:
            if pools is not None:
                pools.close()

    # What the resolver and the event cache hold is what this run last saw. Another
    # connection (a second window, the command line) or another job sharing this one may
    # write between two documents; then both are read again inside the transaction, where no
    # one else can write, so an entity or timeline item it made is found, not made twice.
    for analysis in analysed():
        if cancel is not None and cancel():
            break
        if analysis.error is not None:
            with case.transaction():
                mark_failed(case, analysis.document_id, analysis.error)
            results.append(ExtractStats(document_id=analysis.document_id, error=analysis.error))
            if progress is not None:
                progress(len(results), total)
            continue
        try:
            with case.transaction():
                if case.change_count() != seen:
                    doc = analysis.document_id
                    if _extraction_stamps(case, [doc]).get(doc) != stamps.get(doc):
                        results.append(ExtractStats(document_id=doc))
                        if progress is not None:
                            progress(len(results), total)
                        continue
                    resolver = _new_resolver(case)
                    events_cache = corroborate.EventCache()
                orphans |= {
                    int(r[0])
                    for r in case.conn.execute(
                        "SELECT DISTINCT entity_id FROM facts WHERE document_id = ? "
                        "AND status = 'extracted' AND entity_id IS NOT NULL",
                        (analysis.document_id,),
                    )
                }
                unshown[analysis.document_id] = {
                    m.value or m.text for m in analysis.mentions if m.attrs.get(UNSHOWN)
                }
                stats = write_analysis(
                    case, analysis, resolver, drop_orphans=False, events_cache=events_cache
                )
                # Read before the commit, which adds one: nobody else can commit meanwhile.
                version, commits = case.change_count()
                seen = (version, commits + 1)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the import
            stats = ExtractStats(
                document_id=analysis.document_id, error=f"{type(exc).__name__}: {exc}"
            )
            # Their memories may hold rows that were rolled back.
            resolver = _new_resolver(case)
            events_cache = corroborate.EventCache()
        results.append(stats)
        if progress is not None:
            progress(len(results), total)
    if orphans:
        with case.transaction():
            remove_orphan_entities(case, orphans)
    if again and not (cancel is not None and cancel()):
        shown_later = _shown_later(case, resolver, unshown, last_entity, set(doc_ids))
        if shown_later:
            done = {r.document_id: r for r in extract_documents(
                case, shown_later, cancel=cancel, workers=workers, isolate=isolate, again=False
            )}  # fmt: skip
            results = [done.get(r.document_id, r) for r in results]
    position = {d: i for i, d in enumerate(asked)}
    return sorted(results, key=lambda r: position.get(r.document_id, 0))


def _org_fact_texts(case: Case, doc_id: int) -> set[str]:
    return {
        str(t)
        for (t,) in case.conn.execute(
            "SELECT DISTINCT text FROM facts WHERE document_id = ? AND kind = 'organization' "
            "AND status != 'rejected'",
            (doc_id,),
        )
    }


def _shown_later(
    case: Case,
    resolver: EntityResolver,
    unshown: dict[int, set[str]],
    last_entity: int,
    run: set[int],
) -> list[int]:
    """The documents to extract again because the case learnt, after they were written, that
    a name in them is an organisation: a name a document of this run did not show to be one
    (and so left out) that a later document of the run showed to be one; and any document
    extracted before this run that holds, as a whole word and without an organisation's fact,
    the name of an organisation first found in this run. Extracting them again writes the
    name where the case knows it (``_known_to_the_case``) whatever the order of import."""
    found: set[int] = set()
    for doc_id, names in unshown.items():
        known = {n for n in names if resolver.knows_organisation(n)}
        if known and known - _org_fact_texts(case, doc_id):
            found.add(doc_id)
    outside = json.dumps(sorted(run))
    if not case.conn.execute(
        "SELECT 1 FROM documents WHERE extracted_at IS NOT NULL "
        "AND id NOT IN (SELECT value FROM json_each(?)) LIMIT 1",
        (outside,),
    ).fetchone():
        return sorted(found)  # no document was written before this run
    new_names = {
        str(name)
        for (name,) in case.conn.execute(
            "SELECT DISTINCT f.text FROM facts f JOIN entities e ON e.id = f.entity_id "
            "WHERE e.id > ? AND e.kind = 'organization' AND f.kind = 'organization' "
            "AND f.status = 'extracted'",
            (last_entity,),
        )
    }
    for name in sorted(new_names):
        words = re.findall(r"\w+", name)
        if not words:
            continue
        query = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        whole = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
        for doc_id, text in case.conn.execute(
            "SELECT d.id, d.text FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
            "WHERE documents_fts MATCH ? AND d.extracted_at IS NOT NULL "
            "AND d.id NOT IN (SELECT value FROM json_each(?))",
            (f"text: {query}", outside),
        ):
            doc_id = int(doc_id)
            if doc_id in found or not whole.search(str(text)):
                continue
            if name not in _org_fact_texts(case, doc_id):
                found.add(doc_id)
    return sorted(found)


def _extraction_stamps(case: Case, doc_ids: Sequence[int]) -> dict[int, tuple[Any, Any]]:
    found: dict[int, tuple[Any, Any]] = {}
    for chunk, marks in chunked(doc_ids):
        for d, extractor, at in case.conn.execute(
            f"SELECT id, extractor, extracted_at FROM documents WHERE id IN ({marks})", chunk
        ):
            found[int(d)] = (extractor, at)
    return found


def _by_publication_date(case: Case, doc_ids: list[int]) -> list[int]:
    """``doc_ids`` ordered by publication date (undated ones last), keeping their order
    among equal dates."""
    published: dict[int, str] = {}
    for chunk, marks in chunked(doc_ids):
        published.update(
            (int(d), str(p or "~"))
            for d, p in case.conn.execute(
                f"SELECT id, published FROM documents WHERE id IN ({marks})", chunk
            )
        )
    return sorted(doc_ids, key=lambda d: published.get(d, "~"))


def set_publication_date(
    case: Case, doc_id: int, published: str | None, *, isolate: bool = False
) -> dict[str, Any]:
    """The user sets (or, with None, clears) a document's publication date: store it as not
    inferred and re-resolve the document's facts and events against it, in one transaction.
    Returns the previous ``published``, ``published_inferred`` and ``published_evidence``.
    With ``isolate`` the text is parsed in a process of its own (as in ``extract_documents``)."""
    if published is not None and period(published) is None:
        raise ValueError(f"not a date: {published!r} (expected YYYY-MM-DD)")
    before = case.document(doc_id)
    old = {k: before[k] for k in ("published", "published_inferred", "published_evidence")}
    job = _job(case, doc_id, published)

    def store() -> None:
        case.conn.execute(
            "UPDATE documents SET published = ?, published_inferred = 0, "
            "published_evidence = NULL WHERE id = ?",
            (published, doc_id),
        )

    _extract_one(case, job, None, before=store, isolate=isolate)
    return old


def restore_publication_date(
    case: Case, doc_id: int, old: dict[str, Any], *, isolate: bool = False
) -> None:
    """Undo of ``set_publication_date``: put back the values it returned and re-resolve."""
    job = _job(case, doc_id, old.get("published"))
    job.published = old.get("published")

    def store() -> None:
        case.conn.execute(
            "UPDATE documents SET published = ?, published_inferred = ?, "
            "published_evidence = ? WHERE id = ?",
            (
                old.get("published"),
                int(old.get("published_inferred") or 0),
                old.get("published_evidence"),
                doc_id,
            ),
        )

    (analysis,) = _analyse_elsewhere([job]) if isolate else _analyse_jobs([job])
    analysis.inferred = False  # the stored values are put back as they were
    with case.transaction():
        store()
        write_analysis(case, analysis, None)


def documents_needing_extraction(case: Case) -> list[int]:
    """Documents never extracted, or extracted by another version of the extractors."""
    return [
        int(r[0])
        for r in case.conn.execute(
            "SELECT id FROM documents WHERE extractor IS NULL OR (extractor != ?1 "
            "AND substr(extractor, 1, length(?2)) != ?2) ORDER BY id",
            (EXTRACTOR_VERSION, EXTRACTOR_VERSION + FAILED),
        )
    ]


def rebuild_events(case: Case) -> None:
    """Recompute cross-document corroboration for the whole case, in one transaction."""
    with case.transaction():
        corroborate.rebuild(case.conn)
        case.touch()
