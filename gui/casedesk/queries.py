"""Reads the views and the command line need, in one place (no Qt, no SQL in widgets).

Contract (the Entities view, its review queue and corrections list, and the CLI read through
these; each returns plain frozen dataclasses and never changes the case):

* ``entities_page(case, kind=None, text=None, sort="name", descending=False, offset=0,
  limit=200)`` → ``list[EntityRow]``: one page of the case's entities, with kind, name, other
  spellings, mention and document counts (rejected mentions, and the claims an entity speaks,
  not counted). ``text`` matches a
  part of the name or of any other spelling, case-insensitively; ``sort`` is ``name``, ``kind``,
  ``mentions`` or ``documents``. Entities marked "not an entity" are left out unless
  ``include_rejected``. ``entities_count`` takes the same filters.
* ``find_entities(case, name, kind=None)`` → the entities a typed name means: the exact name or
  spelling (case-insensitive) if any entity has it, else those whose name or spellings contain
  it. The command line calls one result a match and several an ambiguity.
* ``entity_mentions(case, entity_id, offset=0, limit=500)`` → ``list[MentionRow]``: each mention
  with its document's title and date and the sentence around it, in document order.
* ``proposals(case, status="pending")`` → ``list[ProposalRow]``: the merge proposals the
  resolver was unsure of, each side with its name, kind, counts and one sentence.
* ``corrections(case, include_revoked=True)`` → ``list[CorrectionRow]``: the case's decisions,
  newest first, with the entity's current name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from casedesk.store import Case, chunked

ENTITY_SORTS = ("name", "kind", "mentions", "documents")
# The facts that are mentions of an entity (a claim carries its speaker's entity too, an event
# the entities it names: they are not mentions).
_NAMED = "kind IN ('person', 'organization', 'place', 'material', 'quantity')"
CONTEXT = 160  # characters either side of a mention searched for its sentence's bounds


@dataclass(frozen=True)
class EntityRow:
    id: int
    kind: str
    name: str
    aliases: tuple[str, ...]
    mentions: int
    documents: int
    status: str


@dataclass(frozen=True)
class MentionRow:
    fact_id: int
    document_id: int
    document_title: str
    published: str | None
    kind: str
    start: int
    end: int
    text: str
    status: str
    sentence: str
    sentence_start: int  # the offset of ``sentence`` in the document's text


@dataclass(frozen=True)
class ProposalSide:
    entity_id: int
    kind: str
    name: str
    mentions: int
    documents: int
    sentence: str
    document_title: str


@dataclass(frozen=True)
class ProposalRow:
    id: int
    score: float
    reason: str
    status: str
    a: ProposalSide
    b: ProposalSide


@dataclass(frozen=True)
class CorrectionRow:
    id: int
    action: str
    entity_id: int | None
    entity_name: str | None
    kind: str | None
    spellings: tuple[str, ...]
    value: str | None
    document_id: int | None
    start: int | None
    end: int | None
    detail: dict[str, Any]
    created_at: str
    revoked_at: str | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def describe(self) -> str:
        """One line a person reads in the corrections list."""
        d = self.detail
        who = self.entity_name or d.get("name") or d.get("from") or "?"
        if self.action == "rename":
            return f"“{d.get('from', '?')}” is named “{self.value}”"
        if self.action == "kind":
            return f"“{who}” is a {self.value} (was {d.get('from', '?')})"
        if self.action == "merge":
            merged = ", ".join(f"“{n}”" for n in d.get("merged", []))
            return f"{merged} are one {self.kind}: “{self.value}”"
        if self.action == "split":
            return f"“{self.value}” is not “{d.get('from', '?')}”"
        if self.action == "reject":
            return f"“{d.get('name', self.value)}” is not an entity"
        verb = "confirmed" if self.action == "confirm_fact" else "rejected"
        return f"{self.kind} “{d.get('text', '')}” {verb} (document {self.document_id})"


# -- entities ----------------------------------------------------------------------------------


def _entity_filter(
    kind: str | None, text: str | None, include_rejected: bool
) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if kind:
        where.append("e.kind = ?")
        params.append(kind)
    if not include_rejected:
        where.append("e.status != 'rejected'")
    if text and text.strip():
        like = (
            "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        where.append(
            "(e.name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM aliases a "
            "WHERE a.entity_id = e.id AND a.alias LIKE ? ESCAPE '\\'))"
        )
        params += [like, like]
    return (" WHERE " + " AND ".join(where)) if where else "", params


def entities_count(
    case: Case, kind: str | None = None, text: str | None = None, *, include_rejected: bool = False
) -> int:
    where, params = _entity_filter(kind, text, include_rejected)
    return int(case.conn.execute(f"SELECT count(*) FROM entities e{where}", params).fetchone()[0])


def entities_page(
    case: Case,
    kind: str | None = None,
    text: str | None = None,
    *,
    sort: str = "name",
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
    include_rejected: bool = False,
) -> list[EntityRow]:
    """One page of entities (see the module docstring)."""
    if sort not in ENTITY_SORTS:
        raise ValueError(f"entities sort by one of {', '.join(ENTITY_SORTS)}, not {sort!r}")
    where, params = _entity_filter(kind, text, include_rejected)
    order = "DESC" if descending else "ASC"
    conn = case.conn
    if sort in ("name", "kind"):
        first = "e.kind, " if sort == "kind" else ""
        rows = conn.execute(
            f"SELECT e.id FROM entities e{where} "
            f"ORDER BY {first}e.name COLLATE NOCASE {order}, e.id {order} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        ids = [int(r[0]) for r in rows]
        counts = _counts(case, ids)
    else:
        # Counting needs every entity's facts: one grouped pass over the counts index, kept
        # until the case changes, so scrolling through the pages costs a page each.
        ranked = _ranking(case, sort, descending, where, params)
        ids = [e for e, _n, _d in ranked[offset : offset + limit]]
        counts = {e: (n, d) for e, n, d in ranked[offset : offset + limit]}
    return _entity_rows(case, ids, counts)


_RANKINGS: dict[tuple[Any, ...], tuple[tuple[int, int], list[tuple[int, int, int]]]] = {}


def _ranking(
    case: Case, sort: str, descending: bool, where: str, params: list[Any]
) -> list[tuple[int, int, int]]:
    """Every matching entity as (id, mentions, documents) in ``sort`` order, kept for as long
    as nothing is written to the case (by this connection or any other)."""
    conn = case.conn
    stamp = (conn.total_changes, int(conn.execute("PRAGMA data_version").fetchone()[0]))
    key = (id(conn), str(case.path), sort, descending, where, tuple(params))
    cached = _RANKINGS.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    col = "n" if sort == "mentions" else "d"
    order = "DESC" if descending else "ASC"
    rows = [
        (int(i), int(n), int(d))
        for i, n, d in conn.execute(
            f"SELECT e.id, coalesce(c.n, 0) AS n, coalesce(c.d, 0) AS d FROM entities e "
            f"LEFT JOIN (SELECT entity_id, count(*) AS n, count(DISTINCT document_id) AS d "
            f"FROM facts WHERE entity_id IS NOT NULL AND status != 'rejected' AND {_NAMED} "
            f"GROUP BY entity_id) c ON c.entity_id = e.id{where} "
            f"ORDER BY {col} {order}, e.name COLLATE NOCASE, e.id",
            params,
        )
    ]
    if len(_RANKINGS) >= 8:
        _RANKINGS.clear()
    _RANKINGS[key] = (stamp, rows)
    return rows


def entity_order(
    case: Case,
    kind: str | None = None,
    text: str | None = None,
    *,
    sort: str = "mentions",
    descending: bool = True,
    include_rejected: bool = False,
) -> list[tuple[int, int, int]]:
    """Every matching entity as ``(id, mentions, documents)``, in the order of ``sort`` (a
    count): the one grouped pass that sorting by a count needs, made once for a view that then
    reads its rows a page at a time with ``entity_rows`` (each page of ``entities_page`` sorted
    by a count makes that pass again)."""
    if sort not in ("mentions", "documents"):
        raise ValueError(f"entity_order sorts by mentions or documents, not {sort!r}")
    where, params = _entity_filter(kind, text, include_rejected)
    order = "DESC" if descending else "ASC"
    col = "n" if sort == "mentions" else "d"
    # Each matching entity's mentions counted through the entity index: a filter that keeps
    # few entities counts few mentions (a grouped pass would count every mention in the case).
    live = f"f.entity_id = e.id AND f.status != 'rejected' AND f.{_NAMED}"
    rows = case.conn.execute(
        f"SELECT e.id, (SELECT count(*) FROM facts f WHERE {live}) AS n, "
        f"(SELECT count(DISTINCT f.document_id) FROM facts f WHERE {live}) AS d "
        f"FROM entities e{where} ORDER BY {col} {order}, e.name COLLATE NOCASE, e.id",
        params,
    ).fetchall()
    return [(int(i), int(n), int(d)) for i, n, d in rows]


def entity_rows(case: Case, order: Sequence[tuple[int, int, int]]) -> list[EntityRow]:
    """The rows of a slice of ``entity_order`` (counts as they were when it was read)."""
    return _entity_rows(case, [i for i, _n, _d in order], {i: (n, d) for i, n, d in order})


def _counts(case: Case, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    counts: dict[int, tuple[int, int]] = {}
    for chunk, marks in chunked(list(ids)):
        for e, n, d in case.conn.execute(
            f"SELECT entity_id, count(*), count(DISTINCT document_id) FROM facts "
            f"WHERE entity_id IN ({marks}) AND status != 'rejected' AND {_NAMED} "
            "GROUP BY entity_id",
            chunk,
        ):
            counts[int(e)] = (int(n), int(d))
    return counts


def _entity_rows(
    case: Case, ids: Sequence[int], counts: dict[int, tuple[int, int]]
) -> list[EntityRow]:
    info: dict[int, tuple[str, str, str]] = {}
    aliases: dict[int, list[str]] = {}
    for chunk, marks in chunked(list(ids)):
        for e, kind, name, status in case.conn.execute(
            f"SELECT id, kind, name, status FROM entities WHERE id IN ({marks})", chunk
        ):
            info[int(e)] = (str(kind), str(name), str(status))
        for e, alias in case.conn.execute(
            f"SELECT entity_id, alias FROM aliases WHERE entity_id IN ({marks}) "
            "ORDER BY alias COLLATE NOCASE",
            chunk,
        ):
            aliases.setdefault(int(e), []).append(str(alias))
    out = []
    for e in ids:
        if e not in info:
            continue
        kind, name, status = info[e]
        n, d = counts.get(e, (0, 0))
        others = tuple(a for a in aliases.get(e, []) if a != name)
        out.append(EntityRow(e, kind, name, others, n, d, status))
    return out


def entity(case: Case, entity_id: int) -> EntityRow | None:
    rows = _entity_rows(case, [entity_id], _counts(case, [entity_id]))
    return rows[0] if rows else None


def find_entities(case: Case, name: str, kind: str | None = None) -> list[EntityRow]:
    """The entities a typed name means (see the module docstring); an id written ``#12`` is
    that entity."""
    name = " ".join(name.split())
    conn = case.conn
    if re.fullmatch(r"#\d+", name):
        found = entity(case, int(name[1:]))
        return [found] if found is not None else []
    kind_sql = " AND e.kind = ?" if kind else ""
    kind_params = [kind] if kind else []
    exact = [
        int(r[0])
        for r in conn.execute(
            "SELECT e.id FROM entities e WHERE e.name = ? COLLATE NOCASE"
            f"{kind_sql} UNION SELECT a.entity_id FROM aliases a JOIN entities e "
            f"ON e.id = a.entity_id WHERE a.alias = ? COLLATE NOCASE{kind_sql}",
            (name, *kind_params, name, *kind_params),
        )
    ]
    if exact:
        rows = _entity_rows(case, sorted(exact), _counts(case, exact))
        live = [r for r in rows if r.status != "rejected"]
        return live or rows
    return entities_page(case, kind, name, limit=50)


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence (or line) of ``text`` around ``start``–``end``, spaces folded, with its
    offset in ``text``."""
    before, after = text[:start], text[end:]
    s, e = 0, len(text)
    if (i := before.rfind("\n")) >= 0:
        s = i + 1
    for stop in (". ", "? ", "! "):
        if (i := before.rfind(stop)) >= 0:
            s = max(s, i + 2)
    if (i := after.find("\n")) >= 0:
        e = end + i
    for stop in (". ", "? ", "! "):
        if (i := after.find(stop)) >= 0:
            e = min(e, end + i + 1)
    piece = text[s:e]
    return " ".join(piece.split()), s + len(piece) - len(piece.lstrip())


def entity_mentions(
    case: Case, entity_id: int, *, offset: int = 0, limit: int = 500
) -> list[MentionRow]:
    """The mentions of one entity with their sentences (see the module docstring)."""
    conn = case.conn
    rows = conn.execute(
        "SELECT f.id, f.document_id, coalesce(d.title, d.file_name), d.published, f.kind, "
        "f.start, f.end, f.text, f.status FROM facts f JOIN documents d ON d.id = f.document_id "
        f"WHERE f.entity_id = ? AND f.{_NAMED} "
        "ORDER BY d.published IS NULL, d.published, d.id, f.start LIMIT ? OFFSET ?",
        (entity_id, limit, offset),
    ).fetchall()
    out: list[MentionRow] = []
    for fact_id, doc_id, title, published, kind, start, end, text, status in rows:
        lo = max(0, int(start) - CONTEXT)
        window = conn.execute(
            "SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
            (lo + 1, int(end) - lo + CONTEXT, doc_id),
        ).fetchone()[0]
        sentence, at = _sentence(str(window), int(start) - lo, int(end) - lo)
        out.append(
            MentionRow(
                int(fact_id),
                int(doc_id),
                str(title),
                published,
                str(kind),
                int(start),
                int(end),
                str(text),
                str(status),
                sentence,
                lo + at,
            )
        )
    return out


def first_mention_in(case: Case, document_id: int, entity_id: int) -> int | None:
    """The fact id of an entity's first mention in a document (one not rejected if there is
    one), e.g. to select the entity in the Facts panel."""
    row = case.conn.execute(
        f"SELECT id FROM facts WHERE document_id = ? AND entity_id = ? AND {_NAMED} "
        "ORDER BY status = 'rejected', start LIMIT 1",
        (document_id, entity_id),
    ).fetchone()
    return None if row is None else int(row[0])


# -- merge proposals ---------------------------------------------------------------------------


def _side(case: Case, entity_id: int) -> ProposalSide:
    row = entity(case, entity_id)
    first = entity_mentions(case, entity_id, limit=1)
    return ProposalSide(
        entity_id,
        row.kind if row else "?",
        row.name if row else "?",
        row.mentions if row else 0,
        row.documents if row else 0,
        first[0].sentence if first else "",
        first[0].document_title if first else "",
    )


def proposals(case: Case, status: str | None = "pending") -> list[ProposalRow]:
    """Merge proposals, the most likely first (see the module docstring)."""
    where = " WHERE status = ?" if status else ""
    rows = case.conn.execute(
        f"SELECT id, entity_a, entity_b, score, reason, status FROM merge_proposals{where} "
        "ORDER BY score DESC, id",
        (status,) if status else (),
    ).fetchall()
    return [
        ProposalRow(int(i), float(s), str(r), str(st), _side(case, int(a)), _side(case, int(b)))
        for i, a, b, s, r, st in rows
    ]


def proposals_count(case: Case) -> int:
    """Pending merge proposals (for the status bar)."""
    return int(
        case.conn.execute(
            "SELECT count(*) FROM merge_proposals WHERE status = 'pending'"
        ).fetchone()[0]
    )


# -- corrections -------------------------------------------------------------------------------


def corrections(case: Case, *, include_revoked: bool = True) -> list[CorrectionRow]:
    """The case's decisions, newest first (see the module docstring)."""
    where = "" if include_revoked else " WHERE c.revoked_at IS NULL"
    out = []
    for row in case.conn.execute(
        "SELECT c.id, c.action, c.entity_id, e.name, c.kind, c.spellings, c.value, "
        "c.document_id, c.start, c.end, c.detail, c.created_at, c.revoked_at "
        f"FROM corrections c LEFT JOIN entities e ON e.id = c.entity_id{where} "
        "ORDER BY c.id DESC"
    ):
        (cid, action, ent, name, kind, spellings, value, doc, start, end, detail, at, revoked) = row
        out.append(
            CorrectionRow(
                int(cid),
                str(action),
                ent,
                name,
                kind,
                tuple(json.loads(spellings or "[]")),
                value,
                doc,
                start,
                end,
                json.loads(detail) if detail else {},
                str(at),
                revoked,
            )
        )
    return out


# -- the timeline ------------------------------------------------------------------------------


def first_date_in(case: Case, document_id: int, start: int, end: int) -> str | None:
    """The value of the first calendar date named between ``start`` and ``end`` of a document
    (not a rejected one), e.g. the date of a sentence a timeline item is made from."""
    row = case.conn.execute(
        "SELECT value FROM facts WHERE document_id = ? AND kind = 'date' "
        "AND status != 'rejected' AND start >= ? AND end <= ? "
        "AND value GLOB '[0-9][0-9][0-9][0-9]*' ORDER BY start LIMIT 1",
        (document_id, start, end),
    ).fetchone()
    return None if row is None else str(row[0])
