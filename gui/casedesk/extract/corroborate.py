"""Corroboration: one timeline item per real-world happening, with every source that reports it.

Each event fact is one source's report of something at a date. Two reports are the same
happening when

* their periods are compatible: one contains the other ("July 4" inside "in July"; "July 4"
  and "July 12" never meet, even through a "July" that contains both). A report dated no
  closer than a season or a year ("in 2019", "last summer") is only grouped with reports of
  that same period: in a large case such a report lies around thousands of dated happenings,
  and its words alone would pick one of them by chance; and
* their content agrees: the content words of their titles and sentences overlap enough, after
  folding words to a stem and to a small set of event classes (talks = meeting = session,
  tighten = curb = restrict), with shared resolved entities counting as well.

The row in ``events`` takes the most precise date among its sources. Events the user has
confirmed or rejected are kept as they are; new reports may still join them.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from pathlib import Path

from casedesk.extract.timex import PRECISIONS, Period, period
from casedesk.store import chunked

# Measured on the sample's gold corroboration pairs (bench/extraction.py prints the figures).
THRESHOLD = 0.34

# What two reports must agree more on for each step their common period widens (a day, a
# week, a month). Measured on the sample and both held-out sets: 0.03 drops false joins
# (held-out 2: 16 cross-article pairs, 5 right -> 11, 5 right) and no true one; more costs
# true joins.
WIDTH_STEP = 0.03

# Reports of periods longer than this (a season, a quarter, a year) only group with reports of
# the same period; shorter ones (a day, a week, a month) group across precisions.
MAX_NESTED_DAYS = 31

# Classes of news happenings: the words (noun and verb lemmas) outlets use for one kind of
# happening fold to one class, so that "talks" meets "meeting", "walkout" meets "strike" and
# "hike" meets "raise". Each class names a kind of change, not a topic: "rise" (of a price)
# and "raise" (by someone) stay apart, as do "cut" (by someone) and "fall". A word in two
# classes keeps the first. Speech verbs form no class: that someone spoke or announced is no
# evidence that two reports tell of the same happening.
_CLASSES: dict[str, str] = {}
for _cls, _words in {
    "MEET": "meet meeting talk talks discussion discuss session consultation consult conference "
    "negotiation negotiate negotiator dialogue summit briefing",
    "RESTRICT": "restrict restriction curb control tighten tightening stiffen strict stricte "
    "toughen toughening limit ban impose imposition sanction regulate initiate embargo",
    "EASE": "ease lift remove withdraw withdrawal roll restore relax",
    "EXCLUDE": "exclude exclusion drop whitelist",
    "CRITICIZE": "criticize criticise criticism slam condemn condemnation denounce blast",
    "WARN": "warn warning threaten threat",
    "START": "start begin beginning launch commence commencement call kick onset open opening "
    "resume",
    "END": "end conclude conclusion finish expire expiry terminate termination halt cease "
    "suspend suspension",
    "RAISE": "raise increase hike boost",
    "RISE": "rise climb jump soar surge",
    "CUT": "cut lower reduce reduction slash trim decrease",
    "FALL": "fall decline slide slump plunge tumble weaken sink",
    "AGREE": "agree agreement deal pact sign signing settle settlement contract",
    "APPROVE": "approve approval clear clearance authorise authorize authorisation "
    "authorization endorse ratify ratification greenlight",
    "REJECT": "reject rejection refuse refusal veto block",
    "SELL": "sell sale buy purchase acquire acquisition takeover transfer merge merger bid",
    # "fin": the model's lemma of "fined"
    "FINE": "fine fin penalty penalise penalize punish punishment dock",
    "RECALL": "recall",
    "EVACUATE": "evacuate evacuation evacuee flee",
    "RULE": "rule ruling uphold overturn verdict judgment judgement quash dismiss acquit convict "
    "conviction",
    "STRIKE": "strike walkout stoppage picket",
    "ARREST": "arrest detain detention",
    "CHARGE": "charge indict indictment accuse prosecute prosecution",
    "ELECT": "election elect vote poll ballot referendum",
    "RESIGN": "resign resignation quit",
    "APPOINT": "appoint appointment nominate nomination hire",
    "KILL": "kill killing death die",
    "ATTACK": "attack raid assault bombing bomb shelling shoot shooting",
    "INJURE": "injure injury wound",
    "FIRE": "fire wildfire blaze bushfire burn",
    "FLOOD": "flood flooding inundate",
    "CRASH": "crash collision collide derail derailment",
    "VISIT": "visit trip travel tour",
    "PROTEST": "protest demonstration demonstrator rally march",
    "SUE": "sue lawsuit suit litigation",
    "INVESTIGATE": "investigate investigation probe inquiry audit inspect inspection",
    "RELEASE": "publish publication release",
    # "take effect", "come into force", "enter into force", "become effective"
    "EFFECT": "effect effective force",
}.items():
    for _w in _words.split():
        _CLASSES.setdefault(_w, _cls)

# Country names and their adjectives fold together through the stem (Japan/Japanese,
# Korea/Korean). Words every report shares carry no weight: generic news words, and the
# attribution that surrounds any report ("expected", "due", "according to").
_DISPUTE_WORDS = frozenset(
    [
        "government",
        "official",
        "officials",
        "country",
        "countries",
        "say",
        "side",
        "year",
        "month",
        "week",
        "day",
        "time",
        "also",
        "new",
        "issue",
        "expect",
        "due",
        "accord",
        "tell",
        "add",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "percent",
        "cent",
    ]
)


@cache
def _generic() -> frozenset[str]:
    # spaCy's English stop words, read on first use so that importing the pipeline (as the
    # GUI does at start) does not import spaCy.
    return _DISPUTE_WORDS | _stop_words()


def _stop_words() -> frozenset[str]:
    """spaCy's English stop words. Read from spaCy's own list file when it is there, without
    importing spaCy (the window compares reports to find disputes without the language
    model); else, as in a bundle without sources, from spaCy itself."""
    spec = importlib.util.find_spec("spacy")  # finds the package without importing it
    if spec is not None and spec.origin:
        path = Path(spec.origin).parent / "lang" / "en" / "stop_words.py"
        try:
            source = path.read_text(encoding="utf-8")
        except OSError:
            source = ""
        if source:
            found: dict[str, object] = {}
            exec(compile(source, str(path), "exec"), found)  # the module's own code, alone
            words = found.get("STOP_WORDS")
            if isinstance(words, set):
                return frozenset(str(w) for w in words)
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@cache
def stem(word: str) -> str:
    """A word's class, or its first five letters without accents ("Araújo" = "Araujo")."""
    w = word.lower()
    if not w.isascii():
        w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    if w in _CLASSES:
        return _CLASSES[w]
    return w[:5] if len(w) > 5 else w


@dataclass(slots=True)
class EventFact:
    id: int
    document_id: int
    start: int
    end: int
    value: str
    modifier: str | None
    title: str
    title_stems: frozenset[str]
    stems: frozenset[str]
    entity_ids: frozenset[int]
    period: Period
    # Reported only as denied ("X denied that ..."): it may join the event it denies, so that
    # the denial shows as a dispute of it, but it never dates or names it.
    denied: bool = False

    @property
    def rank(self) -> int:
        return PRECISIONS.index(self.period.precision)


@dataclass
class Cluster:
    """The reports of one event, with the title stems and entities any of them carries (so
    that a report sharing neither is ruled out without comparing it with every member)."""

    event_id: int | None
    status: str
    members: list[EventFact] = field(default_factory=list)
    stems: set[str] = field(default_factory=set)
    entities: set[int] = field(default_factory=set)
    # What a candidate is compared with, each distinct value once: a popular happening may
    # have hundreds of reports, most of them alike.
    periods: set[tuple[dt.date, dt.date]] = field(default_factory=set)
    places: set[tuple[int, int]] = field(default_factory=set)  # (document, sentence start)
    # Distinct (sentence words, participants) of the reports, by the stems of their titles.
    by_title: dict[frozenset[str], set[tuple[frozenset[str], frozenset[int]]]] = field(
        default_factory=dict
    )
    # The report that dates the event and the one that names it (see _event_row), kept as
    # reports join: a happening with hundreds of reports is not searched again for each.
    dating: EventFact | None = None
    naming: EventFact | None = None
    # How many of ``members`` (the first ones) the case file already links to the event with
    # their participants; 0 = rewrite the event's links from all members.
    synced: int = 0

    def __post_init__(self) -> None:
        members, self.members = self.members, []
        for m in members:
            self.add(m)

    def add(self, fact: EventFact) -> None:
        self.members.append(fact)
        self.stems |= fact.title_stems
        self.entities |= fact.entity_ids
        self.periods.add((fact.period.start, fact.period.end))
        self.places.add((fact.document_id, fact.start))
        self.by_title.setdefault(fact.title_stems, set()).add((fact.stems, fact.entity_ids))
        # Strictly better replaces: the first of equals is kept, as max() would.
        if self.dating is None or _dating_key(fact) > _dating_key(self.dating):
            self.dating = fact
        if self.naming is None or _naming_key(fact) > _naming_key(self.naming):
            self.naming = fact


def _dating_key(f: EventFact) -> tuple[bool, int, bool, int]:
    """The most precise report that tells of the happening (not a denial of it) dates the
    event."""
    return (not f.denied, f.rank, f.modifier is None, -(f.period.end - f.period.start).days)


def _naming_key(f: EventFact) -> tuple[bool, bool, int, int, int]:
    """The most telling title of a report that tells of the happening names it."""
    return (not f.denied, len(f.title.split()) >= 3, f.rank, -f.document_id, -f.start)


def _stems(words: Iterable[str]) -> frozenset[str]:
    generic = _generic()
    return frozenset(stem(w) for w in words if len(w) > 1 and w.lower() not in generic)


def _title_words(title: str) -> list[str]:
    return [w.strip(",.;:'\"").lower() for w in title.split()]


def load_facts(
    conn: sqlite3.Connection, where: str = "", params: Sequence[object] = ()
) -> list[EventFact]:
    """Event facts that count as reports (rejected ones do not)."""
    rows = conn.execute(
        "SELECT id, document_id, start, end, value, modifier, attrs FROM facts "
        f"WHERE +kind = 'event' AND status != 'rejected' {where}",
        tuple(params),
    ).fetchall()
    out: list[EventFact] = []
    for fid, doc_id, start, end, value, modifier, attrs_text in rows:
        p = period(value, None)
        if p is None:
            continue
        try:
            attrs = json.loads(attrs_text) if attrs_text else {}
        except ValueError:
            attrs = {}
        title = str(attrs.get("title") or "")
        out.append(
            EventFact(
                id=int(fid),
                document_id=int(doc_id),
                start=int(start),
                end=int(end),
                value=str(value),
                modifier=modifier,
                title=title,
                title_stems=_stems(attrs.get("title_keywords") or _title_words(title)),
                stems=_stems(attrs.get("keywords") or []),
                entity_ids=frozenset(int(e) for e in attrs.get("key_entity_ids") or []),
                period=p,
                denied=attrs.get("polarity") == "denies",
            )
        )
    return out


def _overlap(a: frozenset[str] | frozenset[int], b: frozenset[str] | frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _nested(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    """Whether reports of these periods may tell of one happening."""
    if a == b:
        return True
    if (a[1] - a[0]).days >= MAX_NESTED_DAYS or (b[1] - b[0]).days >= MAX_NESTED_DAYS:
        return False
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def compatible(a: EventFact, b: EventFact) -> bool:
    if a.document_id == b.document_id and a.start == b.start:
        return False  # two dates in one sentence are two happenings
    return _nested((a.period.start, a.period.end), (b.period.start, b.period.end))


def similarity(a: EventFact, b: EventFact) -> float:
    """How much two reports agree on what happened (0–1)."""
    title = _overlap(a.title_stems, b.title_stems)
    words = len(a.stems & b.stems) / max(1, min(len(a.stems), len(b.stems), 12))
    ents = _overlap(a.entity_ids, b.entity_ids)
    return 0.45 * title + 0.35 * min(words, 1.0) + 0.2 * ents


def _fits(fact: EventFact, cluster: Cluster) -> float:
    if not cluster.members:
        return 0.0
    # Reports of one happening share at least a title word or a participant.
    if not (fact.title_stems & cluster.stems or fact.entity_ids & cluster.entities):
        return 0.0
    if (fact.document_id, fact.start) in cluster.places:
        return 0.0  # two dates in one sentence are two happenings
    mine = (fact.period.start, fact.period.end)
    if not all(_nested(mine, p) for p in cluster.periods):
        return 0.0
    # similarity() against each distinct member, inlined: on a large case this loop is most
    # of the writing stage. Only the best score matters, so reports whose title agreement
    # leaves them unable to beat it, even agreeing in everything else, are not compared further.
    title, stems, ents = fact.title_stems, fact.stems, fact.entity_ids
    n_title, n_stems, n_ents = len(title), min(len(stems), 12), len(ents)
    # The most any report could score (each part is at most its weight): once one does, the
    # others need not be compared.
    ceiling = (0.45 if n_title else 0.0) + (0.35 if n_stems else 0.0) + (0.2 if n_ents else 0.0)
    rest = (0.35 if n_stems else 0.0) + (0.2 if n_ents else 0.0)
    best = 0.0
    groups = cluster.by_title.items()
    if n_title:
        # The title groups that agree most come first: they set a high best score early,
        # and the loop ends at the first group that cannot beat it.
        by_agreement = [
            (0.45 * len(title & o_title) / min(n_title, len(o_title)) if o_title else 0.0, others)
            for o_title, others in groups
        ]
        by_agreement.sort(key=itemgetter(0), reverse=True)
    else:
        by_agreement = [(0.0, others) for _t, others in groups]
    for t, others in by_agreement:
        if t + rest < best - 1e-9:
            break
        for o_stems, o_ents in others:
            w = e = 0.0
            if n_ents and o_ents:
                e = 0.2 * len(ents & o_ents) / min(n_ents, len(o_ents))
            if n_stems and o_stems:
                if t + e + 0.35 < best - 1e-9:
                    continue
                w = 0.35 * min(1.0, len(stems & o_stems) / min(n_stems, len(o_stems)))
            score = t + w + e  # summed in this order, as similarity() does
            if score > best:
                best = score
        if best >= ceiling:
            break
    # The wider the period two reports share, the more happenings it holds, and the more
    # agreement it takes to say two reports tell of the same one.
    widest = max((e - s).days for s, e in (mine, *cluster.periods))
    return best - WIDTH_STEP * (0 if widest < 1 else 1 if widest < 7 else 2)


def cluster_facts(
    facts: Sequence[EventFact], seeds: Sequence[Cluster] = (), threshold: float = THRESHOLD
) -> list[Cluster]:
    """Greedy grouping: most precise reports first, each joins the best compatible cluster."""
    clusters = list(seeds)
    for fact in sorted(facts, key=lambda f: (-f.rank, f.period.start, f.id)):
        best, best_score = None, threshold
        for c in clusters:
            score = _fits(fact, c)
            if score >= best_score:
                best, best_score = c, score
        if best is None:
            best = Cluster(None, "extracted")
            clusters.append(best)
        best.add(fact)
    return clusters


# -- writing ---------------------------------------------------------------------------------


def _event_row(cluster: Cluster) -> tuple[str, str, str, str, str | None, str]:
    """(date, date_start, date_end, precision, modifier, title) from the most precise report
    and the most telling title."""
    best, titled = cluster.dating, cluster.naming
    assert best is not None and titled is not None, "an event without reports"
    p = period(best.value, best.modifier) or best.period
    title = titled.title or best.value
    return (
        best.value,
        p.start.isoformat(),
        p.end.isoformat(),
        p.precision,
        best.modifier,
        title,
    )


def _save(conn: sqlite3.Connection, cluster: Cluster, cache: EventCache | None = None) -> int:
    """Write ``cluster``'s event row and links; ``cache`` learns the row's days and status."""
    date, start, end, precision, modifier, title = _event_row(cluster)
    if cluster.event_id is None or cluster.status == "extracted":
        if cluster.event_id is None:
            cur = conn.execute(
                "INSERT INTO events(date, date_start, date_end, precision, modifier, title) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (date, start, end, precision, modifier, title),
            )
            cluster.event_id = int(cur.lastrowid or 0)
        else:
            conn.execute(
                "UPDATE events SET date = ?, date_start = ?, date_end = ?, precision = ?, "
                "modifier = ?, title = ? WHERE id = ?",
                (date, start, end, precision, modifier, title, cluster.event_id),
            )
        if cache is not None:
            days = (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
            cache.rows[cluster.event_id] = days
            cache.statuses[cluster.event_id] = cluster.status
    # Only reports that joined since the last save need links (reports only join between
    # saves; an event that lost reports is read back with ``synced`` 0 and rewritten).
    fresh = cluster.members[cluster.synced :]
    conn.executemany(
        "INSERT OR IGNORE INTO event_sources(event_id, fact_id) VALUES (?, ?)",
        [(cluster.event_id, m.id) for m in fresh],
    )
    if not cluster.synced:
        conn.execute("DELETE FROM event_entities WHERE event_id = ?", (cluster.event_id,))
    ents = sorted({e for m in fresh for e in m.entity_ids})
    cluster.synced = len(cluster.members)
    if ents:
        conn.executemany(
            "INSERT OR IGNORE INTO event_entities(event_id, entity_id) "
            "SELECT ?, id FROM entities WHERE id = ?",
            [(cluster.event_id, e) for e in ents],
        )
    return cluster.event_id


def _load_cluster(conn: sqlite3.Connection, event_id: int, status: str) -> Cluster:
    members = load_facts(
        conn, "AND id IN (SELECT fact_id FROM event_sources WHERE event_id = ?)", (event_id,)
    )
    return Cluster(event_id, status, members)


def prune(conn: sqlite3.Connection, among: Iterable[int] | None = None) -> list[int]:
    """Drop machine events left without any source (all of them, or those ``among`` the
    given ids); return their ids."""
    where = (
        "WHERE status = 'extracted' AND NOT EXISTS "
        "(SELECT 1 FROM event_sources s WHERE s.event_id = events.id)"
    )
    if among is None:
        gone = [int(r[0]) for r in conn.execute(f"SELECT id FROM events {where}")]
    else:
        gone = []
        for chunk, marks in chunked(sorted(set(among))):
            gone += [
                int(r[0])
                for r in conn.execute(f"SELECT id FROM events {where} AND id IN ({marks})", chunk)
            ]
    for chunk, marks in chunked(gone):
        conn.execute(f"DELETE FROM events WHERE id IN ({marks})", chunk)
    return gone


# Reports kept in memory between the documents of one extraction run. Reports of one month
# meet the same events (and a run goes through the documents by date), so a run over a large
# case keeps the events of this many reports (about 3.5 kB each with their word sets: some
# 500 MB at most, in the process that writes) and forgets the ones least recently used. A big
# case has happenings with hundreds of reports, and reading one back costs more than keeping it.
CACHE_LIMIT = 150_000
# Counting the reports held costs a few milliseconds in a large case: it is done once every
# this many documents (a few thousand reports over the limit at most).
TRIM_EVERY = 32
# Months whose events are indexed by title word and participant (see EventCache): five years
# of a case, a few megabytes each in a 10,000-document case.
MONTHS_LIMIT = 60

_Key = str | int  # a title stem, or an entity id


class EventCache(dict[int, Cluster]):
    """Events (id -> cluster) kept between the documents of one extraction run, with, for
    the months looked at, an index from each title stem and participant to the events of that
    month that carry it. A report dated within a month can only join an event that nests with
    it and shares a title word or a participant (``_fits``), so its candidates are a few
    look-ups in the index instead of every event of the month: in a 10,000-document case a
    month holds thousands of events. The index may list more than is true (a report that left
    an event leaves its words behind); ``_fits`` decides on the clusters themselves."""

    def __init__(self) -> None:
        super().__init__()
        self.months: dict[tuple[int, int], dict[_Key, set[int]]] = {}
        self.statuses: dict[int, str] = {}
        self.rows: dict[int, tuple[dt.date, dt.date]] = {}  # the days each event row covers
        self.attached = 0  # documents placed since the cache was made

    def month(self, conn: sqlite3.Connection, ym: tuple[int, int]) -> dict[_Key, set[int]]:
        found = self.months.pop(ym, None)
        if found is None:
            first = dt.date(ym[0], ym[1], 1)
            last = _next_month(first) - dt.timedelta(days=1)
            earliest = first - dt.timedelta(days=MAX_NESTED_DAYS)
            rows = []
            for eid, status, start, end in conn.execute(
                "SELECT id, status, date_start, date_end FROM events "
                "WHERE date_start BETWEEN ? AND ? AND date_end >= ?",
                (earliest.isoformat(), last.isoformat(), first.isoformat()),
            ):
                span = (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
                if (span[1] - span[0]).days < MAX_NESTED_DAYS:
                    rows.append((int(eid), str(status)))
                    self.rows[int(eid)] = span
            self.statuses.update(rows)
            found = {}
            for cluster in _load_clusters(conn, rows, self):
                for key in _keys(cluster.stems, cluster.entities):
                    found.setdefault(key, set()).add(cluster.event_id or 0)
        self.months[ym] = found  # most recently used last
        while len(self.months) > MONTHS_LIMIT:
            del self.months[next(iter(self.months))]
        return found

    def note(self, cluster: Cluster, fact: EventFact) -> None:
        """``fact`` joined ``cluster``: index it under the months the cluster covers."""
        event_id = cluster.event_id or 0
        keys = list(_keys(fact.title_stems, fact.entity_ids))
        for start, end in cluster.periods:
            if (end - start).days >= MAX_NESTED_DAYS:
                continue
            for ym in _months(start, end):
                bucket = self.months.get(ym)
                if bucket is not None:
                    for key in keys:
                        bucket.setdefault(key, set()).add(event_id)

    def candidates(self, conn: sqlite3.Connection, fact: EventFact) -> list[tuple[int, str]]:
        """Events sharing a key with ``fact`` whose stored period contains it (starting at
        most a month before) or lies inside it, by event id."""
        ids: set[int] = set()
        for ym in _months(fact.period.start, fact.period.end):
            bucket = self.month(conn, ym)
            for key in _keys(fact.title_stems, fact.entity_ids):
                ids |= bucket.get(key, set())
        fs, fe = fact.period.start, fact.period.end
        earliest = fs - dt.timedelta(days=MAX_NESTED_DAYS)
        out = []
        for e in sorted(ids):
            row = self.rows.get(e)
            if row is not None and (
                (earliest <= row[0] <= fs and row[1] >= fe) or (fs <= row[0] and row[1] <= fe)
            ):
                out.append((e, self.statuses.get(e, "extracted")))
        return out


def _keys(stems: Iterable[str], entities: Iterable[int]) -> Iterator[_Key]:
    yield from stems
    yield from entities


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    out = []
    day = start.replace(day=1)
    while day <= end:
        out.append((day.year, day.month))
        day = _next_month(day)
    return out


def trim_cache(cache: dict[int, Cluster], limit: int | None = None) -> None:
    """Once the events in ``cache`` hold more than ``limit`` reports (default
    ``CACHE_LIMIT``), forget the least recently used events down to three quarters of it."""
    limit = CACHE_LIMIT if limit is None else limit
    held = sum(len(c.members) for c in cache.values())
    if held <= limit:
        return
    for event_id in list(cache):
        if held <= limit * 3 // 4:
            break
        held -= len(cache.pop(event_id).members)


def _load_clusters(
    conn: sqlite3.Connection, events: Sequence[tuple[int, str]], cache: dict[int, Cluster]
) -> list[Cluster]:
    """The clusters of ``events`` (id, status), reading their sources in one query. A cached
    cluster moves to the end of ``cache`` (most recently used)."""
    for e, _st in events:
        hit = cache.pop(e, None)
        if hit is not None:
            cache[e] = hit
    missing = [(e, st) for e, st in events if e not in cache]
    for chunk, marks in chunked(missing):
        for eid, st in chunk:
            cache[eid] = Cluster(eid, st)
        owner = dict(
            conn.execute(
                f"SELECT fact_id, event_id FROM event_sources WHERE event_id IN ({marks})",
                [e for e, _s in chunk],
            ).fetchall()
        )
        if owner:
            fmarks = ",".join("?" * len(owner))
            for fact in load_facts(conn, f"AND id IN ({fmarks})", list(owner)):
                cache[owner[fact.id]].add(fact)
    return [cache[e] for e, _s in events]


def attach(
    conn: sqlite3.Connection,
    fact_ids: Sequence[int],
    previous: dict[tuple[int, int, str], int] | None = None,
    touched: Iterable[int] = (),
    cache: dict[int, Cluster] | None = None,
) -> list[int]:
    """Place new event facts: back on the event they were on before re-extraction (same
    sentence and date), else on the best matching existing event, else on a new one.
    ``touched`` are events that lost sources and need their date and title recomputed.
    ``cache`` (an ``EventCache``) may be kept across the documents of one batch while its
    transactions succeed; it must be dropped after a rollback."""
    previous = previous or {}
    touched = list(touched)
    if not isinstance(cache, EventCache):
        cache = EventCache()
    for stale in touched:
        cache.pop(stale, None)  # its sources changed under it
    if not fact_ids and not touched:
        return []
    marks = ",".join("?" * len(fact_ids))
    facts = load_facts(conn, f"AND id IN ({marks})", fact_ids) if fact_ids else []
    changed: dict[int, Cluster] = {}
    statuses: dict[int, str] = {}
    for chunk, marks in chunked(sorted(set(previous.values()))):
        statuses.update(
            conn.execute(f"SELECT id, status FROM events WHERE id IN ({marks})", chunk).fetchall()
        )
    for fact in sorted(facts, key=lambda f: (-f.rank, f.id)):
        event_id = previous.get((fact.start, fact.end, fact.value))
        if event_id is not None and event_id in statuses:
            (cluster,) = _load_clusters(conn, [(event_id, statuses[event_id])], cache)
            cluster.add(fact)
            cache.note(cluster, fact)
            changed[event_id] = cluster
            continue
        # Only events whose period contains this one or lies inside it can be the same, and
        # only within a month's span unless the periods are equal (see _nested).
        if (fact.period.end - fact.period.start).days >= MAX_NESTED_DAYS:
            candidates = conn.execute(
                "SELECT id, status FROM events WHERE date_start = ? AND date_end = ?",
                (fact.period.start.isoformat(), fact.period.end.isoformat()),
            ).fetchall()
        else:
            candidates = cache.candidates(conn, fact)
        best, best_score = None, THRESHOLD
        for cluster in _load_clusters(conn, candidates, cache):
            score = _fits(fact, cluster)
            if score >= best_score:
                best, best_score = cluster, score
        if best is None:
            best = Cluster(None, "extracted")
        best.add(fact)
        if best.event_id is None:
            _save(conn, best, cache)
            cache[best.event_id or 0] = best
        cache.note(best, fact)
        changed[best.event_id or 0] = best
    for event_id in touched:
        if event_id not in changed:
            row = conn.execute("SELECT status FROM events WHERE id = ?", (event_id,)).fetchone()
            if row is not None:
                (changed[event_id],) = _load_clusters(conn, [(event_id, row[0])], cache)
    for cluster in changed.values():
        if cluster.members:
            _save(conn, cluster, cache)
    # Only events that lost sources here can have become empty.
    for event_id in prune(conn, touched):
        cache.pop(event_id, None)
    cache.attached += 1
    if cache.attached % TRIM_EVERY == 0:
        trim_cache(cache)
    return [c.event_id for c in changed.values() if c.event_id is not None]


def detach_rejected(
    conn: sqlite3.Connection, where: str = "", params: Sequence[object] = ()
) -> list[int]:
    """Take rejected event facts off the timeline; return the events that changed."""
    rows = conn.execute(
        "SELECT s.event_id, s.fact_id FROM event_sources s JOIN facts f ON f.id = s.fact_id "
        f"WHERE +f.kind = 'event' AND f.status = 'rejected' {where}",
        tuple(params),
    ).fetchall()
    if rows:
        conn.executemany(
            "DELETE FROM event_sources WHERE event_id = ? AND fact_id = ?", [tuple(r) for r in rows]
        )
    return sorted({int(r[0]) for r in rows})


def sync_fact(conn: sqlite3.Connection, fact_id: int) -> None:
    """Bring the timeline in line with one event fact after the user reviewed it: a rejected
    report leaves its event (which goes if nothing else reports it), a confirmed or restored
    one is placed on the timeline if it is not there. Call inside the edit's transaction."""
    row = conn.execute("SELECT kind, status FROM facts WHERE id = ?", (fact_id,)).fetchone()
    if row is None or row[0] != "event":
        return
    if row[1] == "rejected":
        touched = detach_rejected(conn, "AND f.id = ?", (fact_id,))
        attach(conn, [], touched=touched)
        prune(conn)
        return
    linked = conn.execute(
        "SELECT 1 FROM event_sources WHERE fact_id = ? LIMIT 1", (fact_id,)
    ).fetchone()
    if linked is None:
        attach(conn, [fact_id])


def rebuild(conn: sqlite3.Connection, threshold: float = THRESHOLD) -> None:
    """Recompute every machine event from the event facts; user-reviewed events stay and may
    gain sources."""
    detach_rejected(conn)
    conn.execute("DELETE FROM events WHERE status = 'extracted'")
    seeds = [
        _load_cluster(conn, int(eid), status)
        for eid, status in conn.execute("SELECT id, status FROM events").fetchall()
    ]
    linked = {m.id for c in seeds for m in c.members}
    facts = [f for f in load_facts(conn) if f.id not in linked]
    for cluster in cluster_facts(facts, seeds, threshold):
        if cluster.members:
            _save(conn, cluster)
