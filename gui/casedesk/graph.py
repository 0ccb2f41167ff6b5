"""The case as a network: which entities take part in the same events and claims (no Qt).

Contract (the Connections view and ``casedesk graph`` read through these):

* ``build_graph(case, GraphFilter(...))`` → ``CaseGraph``: nodes are the case's entities (not
  those marked "not an entity") with kind, name and their mention and document counts as the
  Entities view counts them; an edge joins two entities that take part in the same timeline
  item or claim. Its ``weight`` is the number of those items and claims, and it keeps their ids
  (``events``, ``claims``) so a view can list what connects the two.
* Who takes part in a timeline item: the entities linked to it (``event_entities``) and those
  named in its reports (mentions the user rejected do not count). Items the user hid, and
  items whose every report was rejected, connect no one (the timeline does not show them
  either).
* Who takes part in a claim (a fact of kind ``claim``, not rejected): its speaker (the claim's
  entity) and the entities named in the speaker's words or in the claim itself (mentions the
  user rejected do not count).
* Filters: entity kinds (``DEFAULT_KINDS`` leaves out quantities, which are amounts rather
  than actors), a date range (an item counts when its period overlaps the range; a claim's
  date is its own or its document's), a minimum weight, and at most ``max_nodes`` entities
  (the most connected). Entities left without an edge are left out unless ``isolated``.
* ``edge_links(case, edge)`` → the events and claims behind an edge, each with the sentences
  that report it, in date order.

``case`` may be an open ``Case`` or a bare connection to a case file (a read-only one opened in
a worker thread).
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from casedesk.extract import timex
from casedesk.polarity import DENIAL_MARK, denial_sql
from casedesk.store import ENTITY_KINDS, chunked
from casedesk.words import document_label

if TYPE_CHECKING:
    from casedesk.store import Case

# Quantities ("$3 million", "100 products") are entities of the case but amounts, not actors:
# a network of who is involved with whom leaves them out unless asked.
DEFAULT_KINDS: frozenset[str] = frozenset(k for k in ENTITY_KINDS if k != "quantity")
_NAMED = "kind IN ('person', 'organization', 'place', 'material', 'quantity')"


class GraphError(ValueError):
    """A filter that cannot be applied (an unknown kind, a date that is not one); the message
    is for the user as it is."""


@dataclass(frozen=True)
class GraphFilter:
    """What the graph keeps. Dates are normalised values (``2019``, ``2019-07``,
    ``2019-07-12``): ``date_from`` counts from the first day of its period, ``date_to`` to the
    last."""

    kinds: frozenset[str] = DEFAULT_KINDS
    date_from: str | None = None
    date_to: str | None = None
    min_weight: int = 1
    max_nodes: int | None = None
    isolated: bool = False

    def bounds(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day of the range (None: open), checked."""
        unknown = sorted(set(self.kinds) - set(ENTITY_KINDS))
        if unknown:
            raise GraphError(
                f"unknown kind(s): {', '.join(unknown)} (choose from {', '.join(ENTITY_KINDS)})"
            )
        if self.min_weight < 1:
            raise GraphError(f"minimum weight: {self.min_weight} is below 1")
        if self.max_nodes is not None and self.max_nodes < 1:
            raise GraphError(f"most entities: {self.max_nodes} is below 1")
        first = _bound("from", self.date_from, end=False)
        last = _bound("to", self.date_to, end=True)
        if first and last and first > last:
            raise GraphError(f"date range: {self.date_from} is after {self.date_to}")
        return first, last


def _bound(name: str, value: str | None, *, end: bool) -> dt.date | None:
    if value is None or not value.strip():
        return None
    found = timex.period(value.strip())
    if found is None:
        raise GraphError(f"{name}: '{value}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return found.end if end else found.start


@dataclass(frozen=True)
class Node:
    id: int
    kind: str
    name: str
    mentions: int
    documents: int


@dataclass(frozen=True)
class Edge:
    """Two entities (``source`` < ``target``) and the timeline items and claims they share."""

    source: int
    target: int
    events: tuple[int, ...]
    claims: tuple[int, ...]

    @property
    def weight(self) -> int:
        return len(self.events) + len(self.claims)


@dataclass(frozen=True)
class CaseGraph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    # Entities that had a connection before ``max_nodes`` cut the graph down.
    connected: int = 0
    filter: GraphFilter = field(default_factory=GraphFilter)

    def node(self, entity_id: int) -> Node | None:
        return next((n for n in self.nodes if n.id == entity_id), None)

    def edge(self, a: int, b: int) -> Edge | None:
        lo, hi = min(a, b), max(a, b)
        return next((e for e in self.edges if e.source == lo and e.target == hi), None)


def _conn(case: Case | sqlite3.Connection) -> sqlite3.Connection:
    return case if isinstance(case, sqlite3.Connection) else case.conn


def _kinds_clause(kinds: Iterable[str]) -> tuple[str, list[str]]:
    ordered = sorted(kinds)
    return f"en.kind IN ({', '.join('?' * len(ordered))})", ordered


def _event_members(
    conn: sqlite3.Connection, kinds: frozenset[str], first: dt.date | None, last: dt.date | None
) -> dict[int, set[int]]:
    """Each shown timeline item's entities of ``kinds`` (those linked to it and those named in
    its reports), for items overlapping the range."""
    where = [
        "e.status != 'rejected'",
        # An item whose every report was rejected is gone from the timeline; one entered by
        # hand never had a report.
        "(NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id) OR EXISTS "
        "(SELECT 1 FROM event_sources s JOIN facts f ON f.id = s.fact_id "
        "WHERE s.event_id = e.id AND f.status != 'rejected'))",
    ]
    args: list[object] = []
    if first is not None:
        where.append("substr(e.date_end, 1, 10) >= ?")
        args.append(first.isoformat())
    if last is not None:
        where.append("substr(e.date_start, 1, 10) <= ?")
        args.append(last.isoformat())
    shown = " AND ".join(where)
    kind_sql, params = _kinds_clause(kinds)
    live = f"en.status != 'rejected' AND {kind_sql}"
    # The links keep what the user merged; the reports' mentions add what linking leaves out
    # (places are not linked: they do not tell two happenings apart, but they take part).
    # CROSS JOIN fixes the order (items, their reports, the mentions inside each by the
    # document index): left to choose, SQLite started from the entities on some statistics
    # and took ten times as long.
    sql = (
        "SELECT ee.event_id, ee.entity_id FROM events e "
        "CROSS JOIN event_entities ee ON ee.event_id = e.id "
        "CROSS JOIN entities en ON en.id = ee.entity_id "
        f"WHERE {shown} AND {live} "
        "UNION SELECT e.id, m.entity_id FROM events e "
        "CROSS JOIN event_sources s ON s.event_id = e.id "
        "CROSS JOIN facts f ON f.id = s.fact_id AND f.status != 'rejected' "
        "CROSS JOIN facts m ON m.document_id = f.document_id AND m.start >= f.start "
        f"AND m.end <= f.end AND +m.{_NAMED} AND +m.status != 'rejected' "
        "CROSS JOIN entities en ON en.id = m.entity_id "
        f"WHERE {shown} AND {live}"
    )
    members: dict[int, set[int]] = {}
    for event_id, entity_id in conn.execute(sql, [*args, *params, *args, *params]):
        members.setdefault(int(event_id), set()).add(int(entity_id))
    return members


# A claim's speaker span, read by SQLite (damaged attrs read as none).
_SPEAKER_START = "CASE WHEN json_valid(c.attrs) THEN json_extract(c.attrs, '$.speaker_span[0]') END"
_SPEAKER_END = "CASE WHEN json_valid(c.attrs) THEN json_extract(c.attrs, '$.speaker_span[1]') END"


def _claim_members(
    conn: sqlite3.Connection, kinds: frozenset[str], first: dt.date | None, last: dt.date | None
) -> dict[int, set[int]]:
    """Each claim's entities of ``kinds``: its speaker and those named in the speaker's words
    or the claim, for claims whose date overlaps the range."""
    kept: set[int] | None = None
    if first is not None or last is not None:
        kept = set()
        for claim_id, said, published in conn.execute(
            "SELECT c.id, CASE WHEN json_valid(c.attrs) THEN json_extract(c.attrs, '$.date') END,"
            " d.published FROM facts c JOIN documents d ON d.id = c.document_id "
            "WHERE c.kind = 'claim' AND c.status != 'rejected'"
        ):
            found = _claim_period(said, published)
            if found is None:
                continue
            if (first is None or found.end >= first) and (last is None or found.start <= last):
                kept.add(int(claim_id))
    kind_sql, params = _kinds_clause(kinds)
    live = f"en.status != 'rejected' AND {kind_sql}"
    # The order is fixed as for items: claims, the mentions inside each, their entities.
    mention = (
        "CROSS JOIN facts m ON m.document_id = c.document_id AND m.start >= {lo} "
        f"AND m.end <= {{hi}} AND +m.{_NAMED} AND +m.status != 'rejected' "
        "AND +m.entity_id IS NOT NULL CROSS JOIN entities en ON en.id = m.entity_id"
    )
    claims = "c.kind = 'claim' AND c.status != 'rejected'"
    sql = (
        f"SELECT c.id, m.entity_id FROM facts c {mention.format(lo='c.start', hi='c.end')} "
        f"WHERE {claims} AND {live} "
        f"UNION SELECT c.id, m.entity_id FROM facts c "
        f"{mention.format(lo=_SPEAKER_START, hi=_SPEAKER_END)} WHERE {claims} AND {live} "
        "UNION SELECT c.id, c.entity_id FROM facts c CROSS JOIN entities en "
        f"ON en.id = c.entity_id WHERE {claims} AND {live}"
    )
    members: dict[int, set[int]] = {}
    for claim_id, entity_id in conn.execute(sql, [*params, *params, *params]):
        if kept is not None and int(claim_id) not in kept:
            continue
        members.setdefault(int(claim_id), set()).add(int(entity_id))
    return members


def _claim_period(said: object, published: object) -> timex.Period | None:
    for value in (said, published):
        if isinstance(value, str):
            found = timex.period(value)
            if found is not None:
                return found
    return None


def _pairs(members: dict[int, set[int]], into: dict[tuple[int, int], list[int]]) -> None:
    for item_id in sorted(members):
        for a, b in itertools.combinations(sorted(members[item_id]), 2):
            into.setdefault((a, b), []).append(item_id)


def _nodes(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, Node]:
    counts: dict[int, tuple[int, int]] = {}
    info: dict[int, tuple[str, str]] = {}
    for chunk, marks in chunked(list(ids)):
        for e, n, d in conn.execute(
            f"SELECT entity_id, count(*), count(DISTINCT document_id) FROM facts "
            f"WHERE entity_id IN ({marks}) AND status != 'rejected' AND {_NAMED} "
            "GROUP BY entity_id",
            chunk,
        ):
            counts[int(e)] = (int(n), int(d))
        for e, kind, name in conn.execute(
            f"SELECT id, kind, name FROM entities WHERE id IN ({marks})", chunk
        ):
            info[int(e)] = (str(kind), str(name))
    return {e: Node(e, info[e][0], info[e][1], *counts.get(e, (0, 0))) for e in ids if e in info}


def build_graph(
    case: Case | sqlite3.Connection, graph_filter: GraphFilter | None = None
) -> CaseGraph:
    """The case's network under ``graph_filter`` (see the module docstring)."""
    f = graph_filter or GraphFilter()
    first, last = f.bounds()
    conn = _conn(case)
    kinds = frozenset(f.kinds)
    if not kinds:
        return CaseGraph((), (), 0, f)
    by_events: dict[tuple[int, int], list[int]] = {}
    _pairs(_event_members(conn, kinds, first, last), by_events)
    by_claims: dict[tuple[int, int], list[int]] = {}
    _pairs(_claim_members(conn, kinds, first, last), by_claims)
    edges = [
        Edge(a, b, tuple(by_events.get((a, b), ())), tuple(by_claims.get((a, b), ())))
        for a, b in sorted(set(by_events) | set(by_claims))
    ]
    edges = [e for e in edges if e.weight >= f.min_weight]
    strength: dict[int, int] = {}
    for e in edges:
        strength[e.source] = strength.get(e.source, 0) + e.weight
        strength[e.target] = strength.get(e.target, 0) + e.weight
    ids = set(strength)
    if f.isolated:
        kind_sql, params = _kinds_clause(kinds)
        ids.update(
            int(r[0])
            for r in conn.execute(
                f"SELECT en.id FROM entities en WHERE en.status != 'rejected' AND {kind_sql} "
                "AND EXISTS (SELECT 1 FROM facts m WHERE m.entity_id = en.id "
                f"AND m.status != 'rejected' AND m.{_NAMED})",
                params,
            )
        )
    nodes = _nodes(conn, sorted(ids))
    connected = len(strength)
    if f.max_nodes is not None and len(nodes) > f.max_nodes:
        ranked = sorted(nodes.values(), key=lambda n: (-strength.get(n.id, 0), -n.mentions, n.id))
        keep = {n.id for n in ranked[: f.max_nodes]}
        nodes = {i: n for i, n in nodes.items() if i in keep}
        edges = [e for e in edges if e.source in keep and e.target in keep]
        if not f.isolated:
            linked = {e.source for e in edges} | {e.target for e in edges}
            nodes = {i: n for i, n in nodes.items() if i in linked}
    ordered = tuple(nodes[i] for i in sorted(nodes))
    return CaseGraph(ordered, tuple(edges), connected, f)


# -- what connects two entities -----------------------------------------------------------------


@dataclass(frozen=True)
class LinkSource:
    """A sentence that reports a link: the span to open in the reader."""

    document_id: int
    document: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Link:
    """A timeline item (``kind`` "event") or a claim that connects two entities."""

    kind: str
    id: int
    date: str | None
    title: str
    sources: tuple[LinkSource, ...]


def edge_links(case: Case | sqlite3.Connection, edge: Edge) -> list[Link]:
    """The timeline items and claims behind ``edge``, in date order (undated last)."""
    conn = _conn(case)
    links: list[tuple[dt.date, int, Link]] = []
    labels: dict[int, str] = {}

    def label(doc_id: int) -> str:
        found = labels.get(doc_id)
        if found is None:
            row = conn.execute(
                "SELECT file_name, title, publisher, published FROM documents WHERE id = ?",
                (doc_id,),
            ).fetchone()
            found = labels[doc_id] = (
                document_label(row[1], row[2], row[3], row[0]) if row else f"document {doc_id}"
            )
        return found

    for chunk, marks in chunked(list(edge.events)):
        reports: dict[int, list[LinkSource]] = {}
        denials: dict[int, int] = {}
        for event_id, doc_id, start, end, text, denial in conn.execute(
            "SELECT s.event_id, f.document_id, f.start, f.end, f.text, "
            f"{denial_sql('f')} FROM event_sources s "
            f"JOIN facts f ON f.id = s.fact_id WHERE s.event_id IN ({marks}) "
            "AND f.status != 'rejected' ORDER BY f.document_id, f.start",
            chunk,
        ):
            reports.setdefault(int(event_id), []).append(
                LinkSource(int(doc_id), label(int(doc_id)), int(start), int(end), str(text))
            )
            if denial is not None:
                denials[int(event_id)] = denials.get(int(event_id), 0) + 1
        for event_id, date, date_start, title in conn.execute(
            f"SELECT id, date, date_start, title FROM events WHERE id IN ({marks})", chunk
        ):
            sources = tuple(reports.get(int(event_id), ()))
            denied = denials.get(int(event_id), 0)
            # A happening reported only as denied is never listed as one that took place.
            if denied and denied == len(sources):
                heading = f"{DENIAL_MARK} reported only as denied: {title}"
            elif denied:
                heading = f"{title} ({DENIAL_MARK} denied in {denied} of {len(sources)} reports)"
            else:
                heading = str(title)
            links.append(
                (_day(date_start), 0, Link("event", int(event_id), str(date), heading, sources))
            )
    for chunk, marks in chunked(list(edge.claims)):
        for claim_id, doc_id, start, end, text, said, published, speaker, denial in conn.execute(
            "SELECT c.id, c.document_id, c.start, c.end, c.text, "
            "CASE WHEN json_valid(c.attrs) THEN json_extract(c.attrs, '$.date') END, "
            "d.published, coalesce(en.name, CASE WHEN json_valid(c.attrs) THEN "
            f"json_extract(c.attrs, '$.speaker') END), {denial_sql('c')} "
            "FROM facts c JOIN documents d ON d.id = c.document_id "
            f"LEFT JOIN entities en ON en.id = c.entity_id WHERE c.id IN ({marks})",
            chunk,
        ):
            found = _claim_period(said, published)
            date = said if isinstance(said, str) and found else published if found else None
            quoted = " ".join(str(text).split())
            who = " ".join(str(speaker).split()) if speaker else "Unattributed"
            verb = f"{DENIAL_MARK} denies" if denial is not None else "says"
            source = LinkSource(int(doc_id), label(int(doc_id)), int(start), int(end), str(text))
            links.append(
                (
                    found.start if found else dt.date.max,
                    1,
                    Link("claim", int(claim_id), date, f"{who} {verb}: “{quoted}”", (source,)),
                )
            )
    links.sort(key=lambda x: (x[0], x[1], x[2].id))
    return [link for _d, _k, link in links]


def _day(value: object) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return dt.date.max


def parse_kinds(values: Iterable[str]) -> frozenset[str]:
    """Kinds as typed (``person``, ``organization,place``, ``all``), checked."""
    kinds: set[str] = set()
    for value in values:
        for part in value.split(","):
            part = part.strip().lower()
            if part == "all":
                kinds.update(ENTITY_KINDS)
            elif part:
                kinds.add(part)
    unknown = sorted(kinds - set(ENTITY_KINDS))
    if unknown:
        raise GraphError(
            f"unknown kind(s): {', '.join(unknown)} (choose from {', '.join(ENTITY_KINDS)}, all)"
        )
    return frozenset(kinds)


def describe(graph: CaseGraph) -> str:
    """How big the graph is, in words ("12 entities, 30 connections")."""
    n, m = len(graph.nodes), len(graph.edges)
    text = f"{n:,} {'entity' if n == 1 else 'entities'}, {m:,} connection{'s' if m != 1 else ''}"
    if graph.connected > n and graph.filter.max_nodes is not None:
        text += f" (the {n:,} most connected of {graph.connected:,})"
    return text
