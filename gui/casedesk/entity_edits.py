"""Corrections to entities and facts, each one transaction that also teaches the case.

Contract (the Entities view, the Facts panel's multi-selection and the CLI build on it):

* Every function here takes the open ``Case`` and returns an ``Edit``: ``edit.changes`` says
  what changed (``OpChanges``: document, fact, entity, timeline-event and correction ids, and
  whether merge proposals changed) so views refresh only what they show; ``undo(case, edit)``
  and ``redo(case, edit)`` put the rows back exactly as they were before or after (one step
  each way, whatever the size of the change) and return the ``OpChanges`` of that step.
* An edit that cannot be made raises ``EditError`` before anything is written (a merge of
  entities of different kinds without the winning ``kind`` is refused up front). An undo or
  redo whose rows were replaced since (a document extracted again) raises ``StaleEdit`` and
  changes nothing.
* Each entity correction is also stored as a decision (``casedesk.corrections``) that every
  later extraction applies; undo removes the decision with the change, ``revoke_correction``
  withdraws one decision and leaves the entities as they are (except that mentions a
  withdrawn "not an entity" or fact decision rejected or confirmed are machine facts again).
* An entity the user has touched is ``confirmed``: extraction never renames it and never
  deletes it for lack of mentions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from casedesk import corrections
from casedesk.edits import EditError, StaleEdit, _sync_timeline
from casedesk.store import FACT_KINDS, Case, now_iso

__all__ = [
    "Edit",
    "EditError",
    "OpChanges",
    "StaleEdit",
    "accept_proposal",
    "merge_entities",
    "redo",
    "reject_entities",
    "reject_proposal",
    "rename_entity",
    "revoke_correction",
    "set_entity_kind",
    "set_facts_kind",
    "set_facts_status",
    "split_entity",
    "undo",
]

Row = dict[str, Any]
NAMED_KINDS = corrections.NAMED_KINDS


@dataclass(frozen=True)
class OpChanges:
    """What one step changed, by id. ``events`` are timeline items."""

    documents: frozenset[int] = frozenset()
    facts: frozenset[int] = frozenset()
    entities: frozenset[int] = frozenset()
    events: frozenset[int] = frozenset()
    corrections: frozenset[int] = frozenset()
    proposals: bool = False

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(
            self.documents | other.documents,
            self.facts | other.facts,
            self.entities | other.entities,
            self.events | other.events,
            self.corrections | other.corrections,
            self.proposals or other.proposals,
        )


@dataclass(frozen=True)
class _State:
    """The rows an edit touches, as they were at one moment."""

    entities: dict[int, Row | None]
    aliases: dict[int, list[Row]]
    facts: dict[int, tuple[str, int | None, str]]
    event_entities: list[tuple[int, int]]
    proposals: list[Row]
    corrections: dict[int, Row | None]


@dataclass(frozen=True)
class Edit:
    """One undoable step. ``new_entity_id`` is the entity a split made (or None)."""

    label: str
    changes: OpChanges
    before: _State
    after: _State
    new_entity_id: int | None = None


# -- reading rows ------------------------------------------------------------------------------


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[Row]:
    cur = conn.execute(sql, tuple(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _in(
    conn: sqlite3.Connection, sql: str, ids: Iterable[int], extra: Sequence[Any] = ()
) -> list[Row]:
    """``sql`` with ``{marks}`` standing for the list ``ids`` (``extra`` parameters first), run
    once: the list goes in as one JSON parameter, however long it is."""
    unique = sorted(set(ids))
    if not unique:
        return []
    return _rows(conn, sql.format(marks=_LIST), (*extra, json.dumps(unique)))


_LIST = "SELECT value FROM json_each(?)"


def _in_tuples(conn: sqlite3.Connection, sql: str, ids: Iterable[int]) -> list[tuple[Any, ...]]:
    """As ``_in``, rows as plain tuples (for the thousands of facts a big merge moves)."""
    unique = sorted(set(ids))
    if not unique:
        return []
    return conn.execute(sql.format(marks=_LIST), (json.dumps(unique),)).fetchall()


def _entity(conn: sqlite3.Connection, entity_id: int) -> Row:
    found = _rows(conn, "SELECT * FROM entities WHERE id = ?", (entity_id,))
    if not found:
        raise StaleEdit(f"entity {entity_id} does not exist")
    return found[0]


def _entity_fact_ids(conn: sqlite3.Connection, entity_ids: Iterable[int]) -> list[int]:
    return [
        int(r[0])
        for r in _in_tuples(conn, "SELECT id FROM facts WHERE entity_id IN ({marks})", entity_ids)
    ]


def _capture(
    conn: sqlite3.Connection,
    entity_ids: Iterable[int],
    fact_ids: Iterable[int],
    correction_ids: Iterable[int] = (),
) -> _State:
    ents = sorted(set(entity_ids))
    found = {
        int(r["id"]): r for r in _in(conn, "SELECT * FROM entities WHERE id IN ({marks})", ents)
    }
    aliases: dict[int, list[Row]] = {e: [] for e in ents}
    for r in _in(conn, "SELECT * FROM aliases WHERE entity_id IN ({marks})", ents):
        aliases[int(r["entity_id"])].append(r)
    facts = {
        int(i): (str(k), e, str(st))
        for i, k, e, st in _in_tuples(
            conn, "SELECT id, kind, entity_id, status FROM facts WHERE id IN ({marks})", fact_ids
        )
    }
    links = [
        (int(r["event_id"]), int(r["entity_id"]))
        for r in _in(conn, "SELECT * FROM event_entities WHERE entity_id IN ({marks})", ents)
    ]
    proposals = {
        int(r["id"]): r
        for r in _in(conn, "SELECT * FROM merge_proposals WHERE entity_a IN ({marks})", ents)
        + _in(conn, "SELECT * FROM merge_proposals WHERE entity_b IN ({marks})", ents)
    }
    corr_rows = {
        int(r["id"]): r
        for r in _in(conn, "SELECT * FROM corrections WHERE entity_id IN ({marks})", ents)
        + _in(conn, "SELECT * FROM corrections WHERE id IN ({marks})", correction_ids)
    }
    return _State(
        {e: found.get(e) for e in ents},
        aliases,
        facts,
        links,
        list(proposals.values()),
        dict(corr_rows),
    )


def _widen(before: _State, after: _State) -> _State:
    """``before`` with the rows that exist only after the edit (a new entity, a new decision)
    noted as absent, so restoring it removes them."""
    entities = dict(before.entities)
    aliases = dict(before.aliases)
    for e in after.entities:
        if e not in entities:
            entities[e] = None
            aliases[e] = []
    corr = dict(before.corrections)
    for c in after.corrections:
        corr.setdefault(c, None)
    return _State(entities, aliases, before.facts, before.event_entities, before.proposals, corr)


def _changes(conn: sqlite3.Connection, before: _State, after: _State) -> OpChanges:
    facts = {
        f for f in set(before.facts) | set(after.facts) if before.facts.get(f) != after.facts.get(f)
    }
    entities = {e for e in after.entities if before.entities.get(e) != after.entities.get(e)}
    entities |= {
        e
        for e in after.aliases
        if sorted(map(str, before.aliases.get(e, []))) != sorted(map(str, after.aliases[e]))
    }
    for f in facts:
        for state in (before, after):
            linked = state.facts[f][1] if f in state.facts else None
            if linked is not None:
                entities.add(linked)
    docs = {
        int(r[0])
        for r in _in_tuples(
            conn, "SELECT DISTINCT document_id FROM facts WHERE id IN ({marks})", facts
        )
    }
    events = {ev for ev, e in set(before.event_entities) ^ set(after.event_entities)}
    events |= {
        int(r[0])
        for r in _in_tuples(
            conn, "SELECT event_id FROM event_sources WHERE fact_id IN ({marks})", facts
        )
    }
    events |= {
        int(r["event_id"])
        for r in _in(
            conn, "SELECT event_id FROM event_entities WHERE entity_id IN ({marks})", entities
        )
    }
    corr = {
        c
        for c in set(before.corrections) | set(after.corrections)
        if before.corrections.get(c) != after.corrections.get(c)
    }
    key = lambda r: r["id"]  # noqa: E731
    proposals = sorted(before.proposals, key=key) != sorted(after.proposals, key=key)
    return OpChanges(
        frozenset(docs),
        frozenset(facts),
        frozenset(entities),
        frozenset(events),
        frozenset(corr),
        proposals,
    )


def _insert(conn: sqlite3.Connection, table: str, row: Row, *, replace: bool = False) -> int:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    return conn.execute(
        f"{verb} INTO {table}({cols}) VALUES ({marks})", tuple(row.values())
    ).rowcount


def _restore(case: Case, target: _State, current: _State) -> None:
    """Make the rows of ``target`` true again, provided the case still holds ``current``."""
    conn = case.conn
    exists = {
        int(r["id"])
        for r in _in(conn, "SELECT id FROM entities WHERE id IN ({marks})", target.entities)
    }
    for e in target.entities:
        expected = current.entities.get(e) is not None
        if (e in exists) != expected:
            raise StaleEdit(f"entity {e} was changed since (the case was extracted again)")
    found = {
        int(i): (str(k), e, str(st))
        for i, k, e, st in _in_tuples(
            conn,
            "SELECT id, kind, entity_id, status FROM facts WHERE id IN ({marks})",
            target.facts,
        )
    }
    if len(found) != len(target.facts):
        raise StaleEdit(
            "some of its facts were replaced since (their document was extracted again)"
        )
    for e, row in target.entities.items():
        if row is None:
            continue
        if e in exists:
            sets = ", ".join(f"{k} = ?" for k in row if k != "id")
            conn.execute(
                f"UPDATE entities SET {sets} WHERE id = ?",
                (*(v for k, v in row.items() if k != "id"), e),
            )
        else:
            _insert(conn, "entities", row)
    ents = json.dumps(list(target.entities))
    conn.execute(f"DELETE FROM aliases WHERE entity_id IN ({_LIST})", (ents,))
    for e, rows in target.aliases.items():
        if target.entities.get(e) is None:
            continue
        for alias in rows:
            if not _insert(conn, "aliases", alias):
                _insert(conn, "aliases", {k: v for k, v in alias.items() if k != "id"})
    # Facts in groups of the same values, each one statement (a merge of thousands of mentions
    # is a few statements, not thousands).
    groups: dict[tuple[str, int | None, str], list[int]] = {}
    for f, values in target.facts.items():
        if found[f] != values:
            groups.setdefault(values, []).append(f)
    for (kind, ent, status), ids in groups.items():
        conn.execute(
            f"UPDATE facts SET kind = ?, entity_id = ?, status = ? WHERE id IN ({_LIST})",
            (kind, ent, status, json.dumps(ids)),
        )
    for ids in groups.values():
        for f in ids:
            (was_kind, _e, was_status), (kind, _ent, status) = found[f], target.facts[f]
            if "event" in (kind, was_kind) and (kind, status) != (was_kind, was_status):
                _sync_timeline(case, f, was_event=was_kind == "event")
    conn.execute(f"DELETE FROM event_entities WHERE entity_id IN ({_LIST})", (ents,))
    conn.execute(
        f"DELETE FROM merge_proposals WHERE entity_a IN ({_LIST}) OR entity_b IN ({_LIST})",
        (ents, ents),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO event_entities(event_id, entity_id) "
        "SELECT id, ? FROM events WHERE id = ?",
        [(e, ev) for ev, e in target.event_entities if target.entities.get(e) is not None],
    )
    for e, row in target.entities.items():
        if row is None:
            conn.execute("DELETE FROM entities WHERE id = ?", (e,))
    for proposal in target.proposals:
        if all(
            conn.execute("SELECT 1 FROM entities WHERE id = ?", (proposal[k],)).fetchone()
            for k in ("entity_a", "entity_b")
        ):
            _insert(conn, "merge_proposals", proposal)
    for c, row in target.corrections.items():
        if row is None:
            conn.execute("DELETE FROM corrections WHERE id = ?", (c,))
        else:
            if (
                row.get("entity_id") is not None
                and not conn.execute(
                    "SELECT 1 FROM entities WHERE id = ?", (row["entity_id"],)
                ).fetchone()
            ):
                row = {**row, "entity_id": None}
            _insert(conn, "corrections", row, replace=True)


def undo(case: Case, edit: Edit) -> OpChanges:
    """Put back the rows as they were before ``edit`` (one transaction)."""
    with case.transaction():
        _restore(case, edit.before, edit.after)
        case.touch()
    return edit.changes


def redo(case: Case, edit: Edit) -> OpChanges:
    """Make ``edit`` again, exactly as it was first made (one transaction)."""
    with case.transaction():
        _restore(case, edit.after, edit.before)
        case.touch()
    return edit.changes


class _Step:
    """Captures the rows in scope before the change and after it, inside one transaction."""

    def __init__(
        self, case: Case, label: str, entity_ids: Iterable[int], fact_ids: Iterable[int]
    ) -> None:
        self.case = case
        self.label = label
        self.entity_ids = set(entity_ids)
        self.fact_ids = set(fact_ids) | set(_entity_fact_ids(case.conn, self.entity_ids))
        self.correction_ids: set[int] = set()
        self.before = _capture(case.conn, self.entity_ids, self.fact_ids)

    def finish(self, new_entity_id: int | None = None) -> Edit:
        conn = self.case.conn
        if new_entity_id is not None:
            self.entity_ids.add(new_entity_id)
        after = _capture(conn, self.entity_ids, self.fact_ids, self.correction_ids)
        before = _widen(self.before, after)
        self.case.touch()
        return Edit(self.label, _changes(conn, before, after), before, after, new_entity_id)


# -- helpers -----------------------------------------------------------------------------------


def _key(kind: str, name: str) -> str:
    """The resolver's key for a name (what extraction matches entities by)."""
    try:
        from casedesk.extract.resolve import normalise_key
    except ImportError:  # extraction not installed: the plain key still finds the name
        from casedesk.edits import name_key

        return name_key(name)
    return normalise_key(kind, name)


def _add_alias(conn: sqlite3.Connection, entity_id: int, kind: str, alias: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)",
        (entity_id, alias, _key(kind, alias)),
    )


def _bind(
    conn: sqlite3.Connection,
    action: str,
    entity_id: int,
    *,
    value: str | None,
    detail: Row,
    names: Iterable[str] | None = None,
) -> int:
    """Record that the entity's spellings (all of them, or ``names``) belong to it, with its
    kind."""
    ent = _entity(conn, entity_id)
    strong, weak = corrections.split_spellings(
        str(ent["kind"]),
        names if names is not None else corrections.entity_names(conn, entity_id),
        given=[str(ent["name"])],
    )
    return corrections.record(
        conn,
        action,
        entity_id=entity_id,
        kind=str(ent["kind"]),
        spellings=strong,
        weak=weak,
        value=value,
        detail=detail,
    )


def _confirm(conn: sqlite3.Connection, entity_id: int) -> None:
    conn.execute(
        "UPDATE entities SET status = 'confirmed' WHERE id = ? AND status NOT IN ('manual')",
        (entity_id,),
    )


def _check_kind(kind: str) -> None:
    if kind not in NAMED_KINDS:
        raise EditError(f"“{kind}” is not a kind of entity (one of {', '.join(NAMED_KINDS)})")


# -- entity edits ------------------------------------------------------------------------------


def rename_entity(case: Case, entity_id: int, name: str) -> Edit:
    """Give an entity the name the user chose; the old name stays as another spelling, and no
    extraction will replace the new one."""
    name = " ".join(name.split())
    if not name:
        raise EditError("an entity needs a name")
    conn = case.conn
    with case.transaction():
        ent = _entity(conn, entity_id)
        step = _Step(case, "Rename entity", [entity_id], [])
        if ent["name"] != name:
            _add_alias(conn, entity_id, ent["kind"], ent["name"])
            conn.execute(
                "UPDATE entities SET name = ?, key = ? WHERE id = ?",
                (name, _key(ent["kind"], name), entity_id),
            )
            conn.execute("DELETE FROM aliases WHERE entity_id = ? AND alias = ?", (entity_id, name))
        _confirm(conn, entity_id)
        step.correction_ids.add(
            _bind(
                conn,
                "rename",
                entity_id,
                value=name,
                detail={"from": ent["name"], "kind": ent["kind"]},
            )
        )
        return step.finish()


def _same_key_twin(conn: sqlite3.Connection, entity_id: int, kind: str, key: str) -> int | None:
    twins = [
        int(r[0])
        for r in conn.execute(
            "SELECT id FROM entities WHERE kind = ? AND key = ? AND id != ? "
            "AND status != 'rejected'",
            (kind, key, entity_id),
        )
    ]
    return twins[0] if len(twins) == 1 else None


def set_entity_kind(case: Case, entity_ids: Sequence[int], kind: str) -> Edit:
    """Give entities another kind, with every one of their mentions. An entity of that kind
    with the same name already in the case (the extractor typed the name right elsewhere) is
    merged into the corrected one."""
    _check_kind(kind)
    ids = list(dict.fromkeys(entity_ids))
    if not ids:
        raise EditError("choose at least one entity")
    conn = case.conn
    with case.transaction():
        rows = [_entity(conn, e) for e in ids]
        twins: dict[int, int] = {}
        for ent in rows:
            key = _key(kind, ent["name"])
            twin = _same_key_twin(conn, int(ent["id"]), kind, key)
            if twin is not None and twin not in ids and twin not in twins.values():
                twins[int(ent["id"])] = twin
        step = _Step(case, "Change entity kind", [*ids, *twins.values()], [])
        for ent in rows:
            e = int(ent["id"])
            conn.execute(
                "UPDATE entities SET kind = ?, key = ? WHERE id = ?",
                (kind, _key(kind, ent["name"]), e),
            )
            for alias_id, alias in conn.execute(
                "SELECT id, alias FROM aliases WHERE entity_id = ?", (e,)
            ).fetchall():
                conn.execute(
                    "UPDATE aliases SET key = ? WHERE id = ?", (_key(kind, alias), alias_id)
                )
            conn.execute(
                "UPDATE facts SET kind = ? WHERE entity_id = ? AND kind IN "
                f"({','.join('?' * len(NAMED_KINDS))})",
                (kind, e, *NAMED_KINDS),
            )
            conn.execute(
                "DELETE FROM merge_proposals WHERE status = 'pending' "
                "AND (entity_a = ? OR entity_b = ?) "
                "AND EXISTS (SELECT 1 FROM entities o WHERE o.id IN (merge_proposals.entity_a, "
                "merge_proposals.entity_b) AND o.kind != ?)",
                (e, e, kind),
            )
            _confirm(conn, e)
            if e in twins:
                _absorb(conn, e, twins[e])
            step.correction_ids.add(
                _bind(
                    conn, "kind", e, value=kind, detail={"from": ent["kind"], "name": ent["name"]}
                )
            )
        return step.finish()


def _absorb(conn: sqlite3.Connection, keep: int, drop: int) -> None:
    """Move everything of ``drop`` to ``keep`` and delete ``drop`` (inside a step)."""
    kept = _entity(conn, keep)
    gone = _entity(conn, drop)
    have = {
        str(r[0]) for r in conn.execute("SELECT alias FROM aliases WHERE entity_id = ?", (keep,))
    }
    have.add(str(kept["name"]))
    for alias_id, alias in conn.execute(
        "SELECT id, alias FROM aliases WHERE entity_id = ?", (drop,)
    ).fetchall():
        if alias in have:
            conn.execute("DELETE FROM aliases WHERE id = ?", (alias_id,))
        else:
            conn.execute(
                "UPDATE aliases SET entity_id = ?, key = ? WHERE id = ?",
                (keep, _key(kept["kind"], alias), alias_id),
            )
            have.add(alias)
    if gone["name"] not in have:
        _add_alias(conn, keep, kept["kind"], gone["name"])
    conn.execute(
        "UPDATE facts SET entity_id = ?, kind = CASE WHEN kind IN ("
        + ",".join("?" * len(NAMED_KINDS))
        + ") THEN ? ELSE kind END WHERE entity_id = ?",
        (keep, *NAMED_KINDS, kept["kind"], drop),
    )
    conn.execute(
        "INSERT OR IGNORE INTO event_entities(event_id, entity_id) "
        "SELECT event_id, ? FROM event_entities WHERE entity_id = ?",
        (keep, drop),
    )
    conn.execute(
        "UPDATE merge_proposals SET status = 'accepted' WHERE "
        "(entity_a = ? AND entity_b = ?) OR (entity_a = ? AND entity_b = ?)",
        (keep, drop, drop, keep),
    )
    conn.execute("UPDATE corrections SET entity_id = ? WHERE entity_id = ?", (keep, drop))
    if kept["attrs"] is None and gone["attrs"] is not None:
        conn.execute("UPDATE entities SET attrs = ? WHERE id = ?", (gone["attrs"], keep))
    conn.execute("DELETE FROM entities WHERE id = ?", (drop,))


def _mention_count(conn: sqlite3.Connection, entity_id: int) -> int:
    return int(
        conn.execute(
            "SELECT count(*) FROM facts WHERE entity_id = ? AND status != 'rejected' "
            f"AND kind IN ({','.join('?' * len(NAMED_KINDS))})",
            (entity_id, *NAMED_KINDS),
        ).fetchone()[0]
    )


def merge_entities(
    case: Case,
    entity_ids: Sequence[int],
    *,
    keep_id: int | None = None,
    name: str | None = None,
    kind: str | None = None,
) -> Edit:
    """Make several entities one. ``keep_id`` is the entity that stays (default: the one with
    the most mentions); ``name`` its name (default: its own). Entities of different kinds are
    merged only when ``kind`` says which kind wins; without it nothing is done."""
    ids = list(dict.fromkeys(entity_ids))
    if len(ids) < 2:
        raise EditError("choose at least two entities to merge")
    if keep_id is not None and keep_id not in ids:
        ids.insert(0, keep_id)
    if kind is not None:
        _check_kind(kind)
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise EditError("an entity needs a name")
    conn = case.conn
    with case.transaction():
        rows = {e: _entity(conn, e) for e in ids}
        kinds = sorted({str(r["kind"]) for r in rows.values()})
        if len(kinds) > 1 and kind is None:
            raise EditError(
                f"the entities are of different kinds ({', '.join(kinds)}): say which kind the "
                "merged entity has"
            )
        target_kind = kind or kinds[0]
        if keep_id is None:
            keep_id = max(ids, key=lambda e: (_mention_count(conn, e), -e))
        step = _Step(case, "Merge entities", ids, [])
        keep = rows[keep_id]
        names_before = {e: str(r["name"]) for e, r in rows.items()}
        if keep["kind"] != target_kind:
            conn.execute(
                "UPDATE entities SET kind = ?, key = ? WHERE id = ?",
                (target_kind, _key(target_kind, keep["name"]), keep_id),
            )
            conn.execute(
                "UPDATE facts SET kind = ? WHERE entity_id = ? AND kind IN "
                f"({','.join('?' * len(NAMED_KINDS))})",
                (target_kind, keep_id, *NAMED_KINDS),
            )
        for e in ids:
            if e != keep_id:
                _absorb(conn, keep_id, e)
        final = name or str(keep["name"])
        if final != keep["name"]:
            _add_alias(conn, keep_id, target_kind, str(keep["name"]))
            conn.execute(
                "UPDATE entities SET name = ?, key = ? WHERE id = ?",
                (final, _key(target_kind, final), keep_id),
            )
            conn.execute("DELETE FROM aliases WHERE entity_id = ? AND alias = ?", (keep_id, final))
        _confirm(conn, keep_id)
        step.correction_ids.add(
            _bind(
                conn,
                "merge",
                keep_id,
                value=final,
                detail={"merged": [names_before[e] for e in ids], "kinds": kinds},
            )
        )
        return step.finish()


def split_entity(
    case: Case,
    entity_id: int,
    *,
    spellings: Sequence[str] = (),
    fact_ids: Sequence[int] = (),
    name: str | None = None,
) -> Edit:
    """Move the chosen spellings (with every mention written that way) and the chosen
    mentions into a new entity of the same kind, named ``name`` (default: the first spelling,
    else the first mention's text). Later extraction keeps the spellings with the new entity."""
    if not spellings and not fact_ids:
        raise EditError("choose at least one spelling or mention to split off")
    conn = case.conn
    with case.transaction():
        source = _entity(conn, entity_id)
        keys = {corrections.spelling_key(s) for s in spellings}
        facts = _rows(conn, "SELECT id, text, value FROM facts WHERE entity_id = ?", (entity_id,))
        owned = {int(f["id"]) for f in facts}
        stray = [f for f in fact_ids if f not in owned]
        if stray:
            raise EditError(f"fact {stray[0]} is not a mention of “{source['name']}”")
        moving = set(fact_ids) | {
            int(f["id"])
            for f in facts
            if corrections.spelling_key(str(f["text"])) in keys
            or (f["value"] and corrections.spelling_key(str(f["value"])) in keys)
        }
        aliases = _rows(conn, "SELECT id, alias FROM aliases WHERE entity_id = ?", (entity_id,))
        alias_moves = [a for a in aliases if corrections.spelling_key(str(a["alias"])) in keys]
        known = {corrections.spelling_key(str(a["alias"])) for a in aliases}
        known |= {corrections.spelling_key(str(source["name"]))}
        known |= {corrections.spelling_key(str(f["text"])) for f in facts}
        unknown = sorted(k for k in keys if k not in known)
        if unknown:
            raise EditError(f"“{source['name']}” is never written “{unknown[0]}”")
        if corrections.spelling_key(str(source["name"])) in keys and not name:
            raise EditError("the entity's own name moves: give the new entity a name")
        if not moving and not alias_moves:
            raise EditError("nothing to split off")
        if moving >= owned and len(alias_moves) == len(aliases):
            raise EditError("splitting off everything would leave the entity empty")
        if not name:
            if spellings:
                name = next(
                    (str(a["alias"]) for a in alias_moves),
                    str(spellings[0]).strip(),
                )
            else:
                name = next(str(f["value"] or f["text"]) for f in facts if f["id"] in moving)
        step = _Step(case, "Split entity", [entity_id], [])
        kind = str(source["kind"])
        cur = conn.execute(
            "INSERT INTO entities(kind, name, key, status, attrs) VALUES (?, ?, ?, 'confirmed', ?)",
            (kind, name, _key(kind, name), json.dumps({"split_from": entity_id})),
        )
        new_id = int(cur.lastrowid or 0)
        conn.executemany(
            "UPDATE aliases SET entity_id = ? WHERE id = ?",
            [(new_id, a["id"]) for a in alias_moves],
        )
        conn.execute("DELETE FROM aliases WHERE entity_id = ? AND alias = ?", (new_id, name))
        if corrections.spelling_key(str(source["name"])) in keys:
            # the source keeps a name of its own: its most frequent remaining spelling
            rest = conn.execute(
                "SELECT alias FROM aliases WHERE entity_id = ? ORDER BY id LIMIT 1", (entity_id,)
            ).fetchone()
            if rest is not None:
                conn.execute(
                    "UPDATE entities SET name = ?, key = ? WHERE id = ?",
                    (rest[0], _key(kind, rest[0]), entity_id),
                )
                conn.execute(
                    "DELETE FROM aliases WHERE entity_id = ? AND alias = ?", (entity_id, rest[0])
                )
            _add_alias(conn, new_id, kind, str(source["name"]))
        conn.executemany(
            "UPDATE facts SET entity_id = ? WHERE id = ?", [(new_id, f) for f in sorted(moving)]
        )
        _confirm(conn, entity_id)
        moved_names = [str(a["alias"]) for a in alias_moves] + [
            str(f["value"] or f["text"]) for f in facts if int(f["id"]) in moving
        ]
        if spellings:
            moved_names += list(spellings)
        step.correction_ids.add(
            _bind(
                conn,
                "split",
                new_id,
                value=name,
                detail={
                    "from": source["name"],
                    "from_id": entity_id,
                    "kept": corrections.split_spellings(
                        kind,
                        corrections.entity_names(conn, entity_id),
                        given=[
                            str(
                                conn.execute(
                                    "SELECT name FROM entities WHERE id = ?", (entity_id,)
                                ).fetchone()[0]
                            )
                        ],
                    )[0],
                },
                names=moved_names,
            )
        )
        return step.finish(new_entity_id=new_id)


def reject_entities(case: Case, entity_ids: Sequence[int]) -> Edit:
    """ "Not an entity": every mention is rejected, and the names never come back as entities
    in later extraction."""
    ids = list(dict.fromkeys(entity_ids))
    if not ids:
        raise EditError("choose at least one entity")
    conn = case.conn
    with case.transaction():
        rows = [_entity(conn, e) for e in ids]
        step = _Step(case, "Not an entity", ids, [])
        for ent in rows:
            e = int(ent["id"])
            names = corrections.entity_names(conn, e)
            keys = sorted({corrections.spelling_key(n) for n in names if n.strip()})
            conn.execute(
                "UPDATE facts SET status = 'rejected' WHERE entity_id = ? AND status != 'manual' "
                f"AND kind IN ({','.join('?' * len(NAMED_KINDS))})",
                (e, *NAMED_KINDS),
            )
            conn.execute("UPDATE entities SET status = 'rejected' WHERE id = ?", (e,))
            conn.execute(
                "UPDATE merge_proposals SET status = 'rejected' WHERE status = 'pending' "
                "AND (entity_a = ? OR entity_b = ?)",
                (e, e),
            )
            step.correction_ids.add(
                corrections.record(
                    conn,
                    "reject",
                    entity_id=e,
                    kind=str(ent["kind"]),
                    spellings=keys,
                    value=str(ent["name"]),
                    detail={"name": ent["name"], "kind": ent["kind"]},
                )
            )
        return step.finish()


# -- many facts at once -------------------------------------------------------------------------


def _fact_rows(conn: sqlite3.Connection, fact_ids: Sequence[int]) -> list[Row]:
    rows = _in(conn, "SELECT * FROM facts WHERE id IN ({marks})", fact_ids)
    if len(rows) != len(set(fact_ids)):
        raise StaleEdit("some of the chosen facts do not exist any more")
    return rows


def _fact_decision(conn: sqlite3.Connection, fact: Row, status: str) -> int:
    conn.execute(
        "UPDATE corrections SET revoked_at = ? WHERE revoked_at IS NULL AND action IN "
        "('confirm_fact', 'reject_fact') AND document_id = ? AND start = ? AND end = ?",
        (now_iso(), fact["document_id"], fact["start"], fact["end"]),
    )
    return corrections.record(
        conn,
        "confirm_fact" if status == "confirmed" else "reject_fact",
        entity_id=fact["entity_id"],
        kind=str(fact["kind"]),
        value=status,
        document_id=int(fact["document_id"]),
        start=int(fact["start"]),
        end=int(fact["end"]),
        detail={"text": fact["text"]},
    )


def _fact_step(case: Case, label: str, fact_ids: Sequence[int]) -> _Step:
    conn = case.conn
    step = _Step(case, label, [], fact_ids)
    prior = _in(
        conn,
        "SELECT c.id FROM corrections c JOIN facts f ON f.document_id = c.document_id "
        "AND f.start = c.start AND f.end = c.end WHERE f.id IN ({marks})",
        fact_ids,
    )
    step.correction_ids |= {int(r["id"]) for r in prior}
    ents = {
        int(r["entity_id"])
        for r in _in(
            conn,
            "SELECT entity_id FROM facts WHERE id IN ({marks}) AND entity_id IS NOT NULL",
            fact_ids,
        )
    }
    step.before = _capture(conn, ents, step.fact_ids, step.correction_ids)
    step.entity_ids = ents
    return step


def set_facts_status(case: Case, fact_ids: Sequence[int], status: str) -> Edit:
    """Confirm or reject many facts at once (one step); each is remembered as a decision."""
    if status not in ("confirmed", "rejected"):
        raise EditError(f"facts are confirmed or rejected, not “{status}”")
    ids = list(dict.fromkeys(fact_ids))
    if not ids:
        raise EditError("choose at least one fact")
    conn = case.conn
    with case.transaction():
        rows = _fact_rows(conn, ids)
        step = _fact_step(case, "Confirm facts" if status == "confirmed" else "Reject facts", ids)
        for row in rows:
            if row["status"] == status or (row["status"] == "manual" and status == "confirmed"):
                continue
            conn.execute("UPDATE facts SET status = ? WHERE id = ?", (status, row["id"]))
            if row["kind"] == "event":
                _sync_timeline(case, int(row["id"]), was_event=True)
            step.correction_ids.add(_fact_decision(conn, row, status))
        return step.finish()


def set_facts_kind(case: Case, fact_ids: Sequence[int], kind: str) -> Edit:
    """Give many facts another kind (one step). A fact that names an entity joins an entity of
    the new kind: the one of that name in the case, or a new one."""
    if kind not in FACT_KINDS:
        raise EditError(f"unknown fact kind “{kind}”")
    ids = list(dict.fromkeys(fact_ids))
    if not ids:
        raise EditError("choose at least one fact")
    conn = case.conn
    with case.transaction():
        rows = _fact_rows(conn, ids)
        step = _fact_step(case, "Change kind", ids)
        made: list[int] = []
        for row in rows:
            entity_id = row["entity_id"]
            if kind in NAMED_KINDS:
                entity_id = _entity_for(
                    conn, kind, str(row["value"] or row["text"]), entity_id, made
                )
            else:
                entity_id = None
            status = "manual" if row["status"] == "manual" else "confirmed"
            conn.execute(
                "UPDATE facts SET kind = ?, entity_id = ?, status = ? WHERE id = ?",
                (kind, entity_id, status, row["id"]),
            )
            if "event" in (kind, row["kind"]):
                _sync_timeline(case, int(row["id"]), was_event=row["kind"] == "event")
            step.correction_ids.add(
                _fact_decision(conn, {**row, "kind": kind, "entity_id": entity_id}, "confirmed")
            )
        step.entity_ids |= set(made)
        edit = step.finish()
        if made:
            edit = Edit(edit.label, edit.changes, _widen(edit.before, edit.after), edit.after)
        return edit


def known_entity(conn: sqlite3.Connection, kind: str, name: str) -> int | None:
    """The one entity of ``kind`` the case knows by ``name`` (as its name or another
    spelling, compared by the resolver's key), or None when there is none or several."""
    if kind not in NAMED_KINDS:
        return None
    key = _key(kind, name)
    found = {
        int(r[0])
        for r in conn.execute(
            "SELECT id FROM entities WHERE kind = ? AND key = ? AND status != 'rejected' "
            "UNION SELECT a.entity_id FROM aliases a JOIN entities e ON e.id = a.entity_id "
            "WHERE e.kind = ? AND a.key = ? AND e.status != 'rejected'",
            (kind, key, kind, key),
        )
    }
    return found.pop() if len(found) == 1 else None


def _entity_for(
    conn: sqlite3.Connection, kind: str, name: str, current: int | None, made: list[int]
) -> int:
    """An entity of ``kind`` for a mention written ``name``: the mention's own when it is of
    that kind, else the one entity of that name (or spelling), else a new one."""
    if current is not None:
        row = conn.execute("SELECT kind FROM entities WHERE id = ?", (current,)).fetchone()
        if row is not None and row[0] == kind:
            return current
    found = known_entity(conn, kind, name)
    if found is not None:
        return found
    cur = conn.execute(
        "INSERT INTO entities(kind, name, key, status) VALUES (?, ?, ?, 'confirmed')",
        (kind, name, _key(kind, name)),
    )
    new_id = int(cur.lastrowid or 0)
    made.append(new_id)
    return new_id


# -- merge proposals ---------------------------------------------------------------------------


def _proposal(conn: sqlite3.Connection, proposal_id: int) -> Row:
    found = _rows(conn, "SELECT * FROM merge_proposals WHERE id = ?", (proposal_id,))
    if not found:
        raise StaleEdit(f"merge proposal {proposal_id} does not exist any more")
    return found[0]


def accept_proposal(
    case: Case, proposal_id: int, *, keep_id: int | None = None, kind: str | None = None
) -> Edit:
    """Merge the two entities of a proposal (see ``merge_entities`` for ``keep_id`` and
    ``kind``)."""
    with case.transaction():
        p = _proposal(case.conn, proposal_id)
        if p["status"] != "pending":
            raise EditError(f"merge proposal {proposal_id} was {p['status']} already")
        edit = merge_entities(
            case, [int(p["entity_a"]), int(p["entity_b"])], keep_id=keep_id, kind=kind
        )
    return Edit("Accept merge proposal", edit.changes, edit.before, edit.after)


def reject_proposal(case: Case, proposal_id: int) -> Edit:
    """The two entities of a proposal are different things; the proposal is not made again."""
    conn = case.conn
    with case.transaction():
        p = _proposal(conn, proposal_id)
        if p["status"] != "pending":
            raise EditError(f"merge proposal {proposal_id} was {p['status']} already")
        step = _Step(case, "Reject merge proposal", [int(p["entity_a"]), int(p["entity_b"])], [])
        step.fact_ids = set()
        step.before = _capture(conn, step.entity_ids, [])
        conn.execute("UPDATE merge_proposals SET status = 'rejected' WHERE id = ?", (proposal_id,))
        return step.finish()


# -- the decisions themselves ------------------------------------------------------------------


def revoke_correction(case: Case, correction_id: int) -> Edit:
    """Withdraw a decision: later extraction no longer applies it. The entities stay as they
    are, except that an entity renamed by it may be renamed by extraction again, and the
    mentions a withdrawn "not an entity" or fact decision rejected or confirmed are machine
    facts again."""
    conn = case.conn
    with case.transaction():
        found = _rows(conn, "SELECT * FROM corrections WHERE id = ?", (correction_id,))
        if not found:
            raise EditError(f"no correction {correction_id} in this case")
        row = found[0]
        if row["revoked_at"] is not None:
            raise EditError(f"correction {correction_id} was revoked already")
        entity_id = row["entity_id"]
        fact_ids: list[int] = []
        if row["action"] in ("confirm_fact", "reject_fact") and row["document_id"] is not None:
            fact_ids = [
                int(r[0])
                for r in conn.execute(
                    "SELECT id FROM facts WHERE document_id = ? AND start = ? AND end = ? "
                    "AND status = ?",
                    (row["document_id"], row["start"], row["end"], row["value"]),
                )
            ]
        ents = [int(entity_id)] if entity_id is not None else []
        step = _Step(case, "Revoke correction", ents, fact_ids)
        step.correction_ids.add(correction_id)
        step.before = _capture(conn, step.entity_ids, step.fact_ids, step.correction_ids)
        conn.execute(
            "UPDATE corrections SET revoked_at = ? WHERE id = ?", (now_iso(), correction_id)
        )
        if row["action"] == "reject" and entity_id is not None:
            conn.execute(
                "UPDATE facts SET status = 'extracted' WHERE entity_id = ? AND status = 'rejected'",
                (entity_id,),
            )
            conn.execute("UPDATE entities SET status = 'extracted' WHERE id = ?", (entity_id,))
        elif row["action"] == "rename" and entity_id is not None:
            conn.execute(
                "UPDATE entities SET status = 'extracted' WHERE id = ? AND status = 'confirmed'",
                (entity_id,),
            )
        elif fact_ids:
            conn.executemany(
                "UPDATE facts SET status = 'extracted' WHERE id = ?", [(f,) for f in fact_ids]
            )
            for f in fact_ids:
                if (
                    conn.execute("SELECT kind FROM facts WHERE id = ?", (f,)).fetchone()[0]
                    == "event"
                ):
                    _sync_timeline(case, f, was_event=True)
        return step.finish()
