"""The changes a user makes to a case, as plain functions that return what they changed.

Each function is one transaction and records the change with ``case.touch()``. What it returns
is exactly what its inverse needs, so the window's undo commands are thin: ``redo`` calls the
change, keeps the result, and ``undo`` hands that result to the inverse. No Qt here.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from casedesk.store import ENTITY_KINDS, FACT_KINDS, FACT_STATUSES, Case, chunked, now_iso

Row = dict[str, Any]

ANNOTATION_FIELDS = ("start", "end", "text", "tag_id", "colour", "note")
FACT_FIELDS = (
    "kind",
    "start",
    "end",
    "text",
    "value",
    "modifier",
    "entity_id",
    "status",
    "original_value",
    "provenance",
    "attrs",
)


class EditError(ValueError):
    """A change that cannot be made; the message says why in the user's terms."""


class StaleEdit(EditError):
    """A change (usually an undo or redo) refers to rows that are gone or were replaced, as
    after a document's facts were extracted again. Nothing was changed; the step cannot be
    made any more."""


def _existing(conn: sqlite3.Connection, table: str, ids: list[int]) -> set[int]:
    found: set[int] = set()
    for chunk, marks in chunked(ids):
        found |= {
            int(r[0]) for r in conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
        }
    return found


def _row(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> Row | None:
    cur = conn.execute(sql, params)
    found = cur.fetchone()
    if found is None:
        return None
    return dict(zip([c[0] for c in cur.description], found, strict=True))


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[Row]:
    cur = conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _insert(conn: sqlite3.Connection, table: str, row: Row) -> None:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table}({cols}) VALUES ({marks})", tuple(row.values()))


def _owned_facts(conn: sqlite3.Connection, fact_ids: list[int], entity_id: int) -> set[int]:
    """Those of ``fact_ids`` that still exist and belong to ``entity_id``."""
    found: set[int] = set()
    for chunk, marks in chunked(fact_ids):
        found |= {
            int(r[0])
            for r in conn.execute(
                f"SELECT id FROM facts WHERE entity_id = ? AND id IN ({marks})",
                (entity_id, *chunk),
            )
        }
    return found


def _update_columns(case: Case, table: str, row_id: int, fields: Row) -> None:
    """Write ``fields`` (names already checked by the caller) and stamp ``updated_at``."""
    sets = ", ".join(f"{k} = ?" for k in fields)
    case.conn.execute(
        f"UPDATE {table} SET {sets}, updated_at = ? WHERE id = ?",
        (*fields.values(), now_iso(), row_id),
    )


def name_key(name: str) -> str:
    """The matching key of an entity name or alias: case- and space-insensitive."""
    return " ".join(name.casefold().split())


def _document_span(case: Case, doc_id: int, start: int, end: int) -> str:
    row = case.conn.execute(
        "SELECT substr(text, ? + 1, ? - ?), length(text) FROM documents WHERE id = ?",
        (start, end, start, doc_id),
    ).fetchone()
    if row is None:
        raise StaleEdit(f"document {doc_id} does not exist")
    if start < 0 or end <= start or end > int(row[1]):
        raise EditError(f"span {start}–{end} is outside the document's text")
    return str(row[0])


# -- annotations -----------------------------------------------------------------------------


def annotation(case: Case, annotation_id: int) -> Row:
    found = _row(case.conn, "SELECT * FROM annotations WHERE id = ?", (annotation_id,))
    if found is None:
        raise StaleEdit(f"annotation {annotation_id} does not exist")
    return found


def add_annotation(
    case: Case,
    doc_id: int,
    start: int,
    end: int,
    *,
    tag_id: int | None = None,
    note: str = "",
    colour: str | None = None,
) -> int:
    """Annotate ``[start, end)`` of a document; return the new annotation's id."""
    with case.transaction():
        text = _document_span(case, doc_id, start, end)
        stamp = now_iso()
        cur = case.conn.execute(
            "INSERT INTO annotations(document_id, start, end, text, tag_id, colour, note, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, start, end, text, tag_id, colour, note, stamp, stamp),
        )
        case.touch()
    return int(cur.lastrowid or 0)


def update_annotation(case: Case, annotation_id: int, **fields: Any) -> Row:
    """Change an annotation's tag, colour or note; return the previous values."""
    unknown = set(fields) - {"tag_id", "colour", "note"}
    if unknown:
        raise EditError(f"cannot change annotation field(s): {', '.join(sorted(unknown))}")
    with case.transaction():
        before = annotation(case, annotation_id)
        old = {k: before[k] for k in fields}
        if fields:
            _update_columns(case, "annotations", annotation_id, fields)
            case.touch()
    return old


def delete_annotation(case: Case, annotation_id: int) -> Row:
    """Delete an annotation; return the whole row so ``restore_annotation`` can bring it back."""
    with case.transaction():
        row = annotation(case, annotation_id)
        case.conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
        case.touch()
    return row


def restore_annotation(case: Case, row: Row) -> None:
    with case.transaction():
        _document_span(case, int(row["document_id"]), int(row["start"]), int(row["end"]))
        if _existing(case.conn, "annotations", [int(row["id"])]):
            raise StaleEdit(f"annotation {row['id']} exists already")
        _insert(case.conn, "annotations", row)
        case.touch()


# -- tags ------------------------------------------------------------------------------------


def tags(case: Case) -> list[Row]:
    return _rows(case.conn, "SELECT id, name, colour FROM tags ORDER BY name COLLATE NOCASE", ())


def add_tag(case: Case, name: str, colour: str) -> int:
    name = name.strip()
    if not name:
        raise EditError("a tag needs a name")
    with case.transaction():
        if _row(case.conn, "SELECT id FROM tags WHERE name = ?", (name,)):
            raise EditError(f"a tag named “{name}” already exists")
        cur = case.conn.execute("INSERT INTO tags(name, colour) VALUES (?, ?)", (name, colour))
        case.touch()
    return int(cur.lastrowid or 0)


def update_tag(
    case: Case, tag_id: int, *, name: str | None = None, colour: str | None = None
) -> Row:
    """Rename or recolour a tag; return the previous name and colour."""
    with case.transaction():
        before = _row(case.conn, "SELECT name, colour FROM tags WHERE id = ?", (tag_id,))
        if before is None:
            raise StaleEdit(f"tag {tag_id} does not exist")
        if name is not None:
            name = name.strip()
            if not name:
                raise EditError("a tag needs a name")
            clash = _row(
                case.conn, "SELECT id FROM tags WHERE name = ? AND id != ?", (name, tag_id)
            )
            if clash:
                raise EditError(f"a tag named “{name}” already exists")
            case.conn.execute("UPDATE tags SET name = ? WHERE id = ?", (name, tag_id))
        if colour is not None:
            case.conn.execute("UPDATE tags SET colour = ? WHERE id = ?", (colour, tag_id))
        case.touch()
    return before


@dataclass(frozen=True)
class DeletedTag:
    row: Row
    annotation_ids: list[int]


def delete_tag(case: Case, tag_id: int) -> DeletedTag:
    """Delete a tag (its annotations stay, untagged); return what ``restore_tag`` needs."""
    with case.transaction():
        row = _row(case.conn, "SELECT * FROM tags WHERE id = ?", (tag_id,))
        if row is None:
            raise StaleEdit(f"tag {tag_id} does not exist")
        ids = [
            int(r[0])
            for r in case.conn.execute("SELECT id FROM annotations WHERE tag_id = ?", (tag_id,))
        ]
        case.conn.execute("DELETE FROM tags WHERE id = ?", (tag_id,))
        case.touch()
    return DeletedTag(row, ids)


def restore_tag(case: Case, deleted: DeletedTag) -> None:
    with case.transaction():
        _insert(case.conn, "tags", deleted.row)
        case.conn.executemany(
            "UPDATE annotations SET tag_id = ? WHERE id = ?",
            [(deleted.row["id"], i) for i in deleted.annotation_ids],
        )
        case.touch()


# -- facts -----------------------------------------------------------------------------------


def fact(case: Case, fact_id: int) -> Row:
    found = _row(case.conn, "SELECT * FROM facts WHERE id = ?", (fact_id,))
    if found is None:
        raise StaleEdit(f"fact {fact_id} does not exist")
    return found


def set_fact_fields(case: Case, fact_id: int, fields: Row) -> Row:
    """Write fact columns as given; return their previous values. The inverse of itself."""
    unknown = set(fields) - set(FACT_FIELDS)
    if unknown:
        raise EditError(f"cannot change fact field(s): {', '.join(sorted(unknown))}")
    with case.transaction():
        before = fact(case, fact_id)
        old = {k: before[k] for k in fields}
        if fields:
            _update_columns(case, "facts", fact_id, fields)
            _sync_timeline(case, fact_id, was_event=before["kind"] == "event")
            case.touch()
    return old


def _sync_timeline(case: Case, fact_id: int, *, was_event: bool) -> None:
    """Keep the timeline in step with a reviewed event fact, in the edit's transaction: a
    rejected, deleted or re-kinded report leaves its timeline item (which goes when nothing
    else reports it); one confirmed or put back is placed on the timeline again."""
    from casedesk.extract import corroborate

    row = case.conn.execute("SELECT kind FROM facts WHERE id = ?", (fact_id,)).fetchone()
    if row is None or row[0] != "event":
        if was_event:
            case.conn.execute("DELETE FROM event_sources WHERE fact_id = ?", (fact_id,))
            corroborate.prune(case.conn)
        return
    corroborate.sync_fact(case.conn, fact_id)


def set_fact_status(case: Case, fact_id: int, status: str) -> str:
    """Confirm or reject a fact (or put it back); return the previous status."""
    if status not in FACT_STATUSES:
        raise EditError(f"unknown fact status “{status}”")
    return str(set_fact_fields(case, fact_id, {"status": status})["status"])


def correct_fact_value(case: Case, fact_id: int, value: str) -> Row:
    """Correct a fact's normalised value: it becomes confirmed and keeps the machine's value.

    Returns the previous ``value``, ``status`` and ``original_value`` (for ``set_fact_fields``).
    """
    current = fact(case, fact_id)
    original = current["original_value"]
    if original is None and current["status"] != "manual":
        original = current["value"]
    status = "manual" if current["status"] == "manual" else "confirmed"
    return set_fact_fields(
        case, fact_id, {"value": value, "status": status, "original_value": original}
    )


def change_fact_kind(case: Case, fact_id: int, kind: str) -> Row:
    """Give a fact another kind. An entity link of the wrong kind is dropped, and the fact
    joins the one entity of the new kind the case knows by that name, if there is one (a new
    entity is ``entity_edits.set_facts_kind``'s business). Returns the old fields."""
    if kind not in FACT_KINDS:
        raise EditError(f"unknown fact kind “{kind}”")
    current = fact(case, fact_id)
    fields: Row = {"kind": kind}
    if current["entity_id"] is not None:
        entity_kind = case.conn.execute(
            "SELECT kind FROM entities WHERE id = ?", (current["entity_id"],)
        ).fetchone()
        if entity_kind is None or entity_kind[0] != kind:
            fields["entity_id"] = None
    if fields.get("entity_id", current["entity_id"]) is None:
        from casedesk.entity_edits import known_entity

        fields["entity_id"] = known_entity(case.conn, kind, current["value"] or current["text"])
    if current["status"] == "extracted":
        fields["status"] = "confirmed"
    return set_fact_fields(case, fact_id, fields)


def add_manual_fact(
    case: Case,
    doc_id: int,
    kind: str,
    start: int,
    end: int,
    value: str | None = None,
    *,
    entity_id: int | None = None,
) -> int:
    """Add a fact the user marked by hand (status ``manual``, provenance ``user``)."""
    if kind not in FACT_KINDS:
        raise EditError(f"unknown fact kind “{kind}”")
    with case.transaction():
        text = _document_span(case, doc_id, start, end)
        stamp = now_iso()
        cur = case.conn.execute(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, status, "
            "provenance, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'manual', 'user', "
            "?, ?)",
            (doc_id, kind, start, end, text, value or text.strip(), entity_id, stamp, stamp),
        )
        case.touch()
    return int(cur.lastrowid or 0)


@dataclass(frozen=True)
class DeletedFact:
    row: Row
    event_sources: list[Row]


def delete_fact(case: Case, fact_id: int) -> DeletedFact:
    with case.transaction():
        row = fact(case, fact_id)
        sources = _rows(case.conn, "SELECT * FROM event_sources WHERE fact_id = ?", (fact_id,))
        case.conn.execute("DELETE FROM facts WHERE id = ?", (fact_id,))
        _sync_timeline(case, fact_id, was_event=row["kind"] == "event")
        case.touch()
    return DeletedFact(row, sources)


def restore_fact(case: Case, deleted: DeletedFact) -> int:
    """Put a deleted fact back; return its id (a new one when its old id was taken since).

    Refused (``StaleEdit``) when its document is gone, or the document's facts were extracted
    again and the same mention is back already."""
    row = dict(deleted.row)
    with case.transaction():
        _document_span(case, int(row["document_id"]), int(row["start"]), int(row["end"]))
        twin = case.conn.execute(
            "SELECT id FROM facts WHERE document_id = ? AND +kind = ? AND start = ? AND end = ?",
            (row["document_id"], row["kind"], row["start"], row["end"]),
        ).fetchone()
        if twin is not None:
            raise StaleEdit(
                f"the {row['kind']} “{row['text']}” is in the document again "
                "(its facts were extracted again)"
            )
        old_id = int(row["id"])
        if _existing(case.conn, "facts", [old_id]):
            del row["id"]
        if row.get("entity_id") is not None and not _existing(
            case.conn, "entities", [int(row["entity_id"])]
        ):
            row["entity_id"] = None
        _insert(case.conn, "facts", row)
        new_id = (
            old_id
            if "id" in row
            else int(case.conn.execute("SELECT last_insert_rowid()").fetchone()[0])
        )
        for source in deleted.event_sources:
            case.conn.execute(
                "INSERT OR IGNORE INTO event_sources(event_id, fact_id) "
                "SELECT id, ? FROM events WHERE id = ?",
                (new_id, source["event_id"]),
            )
        _sync_timeline(case, new_id, was_event=row["kind"] == "event")
        case.touch()
    return new_id


# -- entities --------------------------------------------------------------------------------


def entity(case: Case, entity_id: int) -> Row:
    found = _row(case.conn, "SELECT * FROM entities WHERE id = ?", (entity_id,))
    if found is None:
        raise StaleEdit(f"entity {entity_id} does not exist")
    return found


def entity_aliases(case: Case, entity_id: int) -> list[Row]:
    return _rows(
        case.conn,
        "SELECT id, alias, key FROM aliases WHERE entity_id = ? ORDER BY alias",
        (entity_id,),
    )


@dataclass(frozen=True)
class Merge:
    """What ``merge_entities`` did, enough for ``unmerge_entities`` to split it back exactly."""

    keep_id: int
    dropped: Row
    moved_alias_ids: list[int]
    duplicate_aliases: list[Row]
    added_alias_id: int | None
    fact_ids: list[int]
    event_entities: list[Row]
    added_event_ids: list[int]
    proposals: list[Row] = field(default_factory=list)


def merge_entities(case: Case, keep_id: int, drop_id: int) -> Merge:
    """Make ``drop_id`` part of ``keep_id``: its facts, aliases and events move over."""
    if keep_id == drop_id:
        raise EditError("an entity cannot be merged with itself")
    with case.transaction():
        keep = entity(case, keep_id)
        dropped = entity(case, drop_id)
        if keep["kind"] != dropped["kind"]:
            raise EditError(
                f"cannot merge a {dropped['kind']} into a {keep['kind']}: the kinds differ"
            )
        conn = case.conn
        keep_aliases = {r["alias"] for r in entity_aliases(case, keep_id)}
        moved: list[int] = []
        duplicates: list[Row] = []
        for alias in _rows(conn, "SELECT * FROM aliases WHERE entity_id = ?", (drop_id,)):
            if alias["alias"] in keep_aliases:
                duplicates.append(alias)
                conn.execute("DELETE FROM aliases WHERE id = ?", (alias["id"],))
            else:
                moved.append(int(alias["id"]))
                keep_aliases.add(alias["alias"])
        conn.executemany(
            "UPDATE aliases SET entity_id = ? WHERE id = ?", [(keep_id, i) for i in moved]
        )
        added_alias: int | None = None
        if dropped["name"] not in keep_aliases and dropped["name"] != keep["name"]:
            cur = conn.execute(
                "INSERT INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                (keep_id, dropped["name"], name_key(dropped["name"])),
            )
            added_alias = int(cur.lastrowid or 0)
        fact_ids = [
            int(r[0]) for r in conn.execute("SELECT id FROM facts WHERE entity_id = ?", (drop_id,))
        ]
        conn.execute("UPDATE facts SET entity_id = ? WHERE entity_id = ?", (keep_id, drop_id))
        event_rows = _rows(conn, "SELECT * FROM event_entities WHERE entity_id = ?", (drop_id,))
        added_events: list[int] = []
        for ev in event_rows:
            cur = conn.execute(
                "INSERT OR IGNORE INTO event_entities(event_id, entity_id) VALUES (?, ?)",
                (ev["event_id"], keep_id),
            )
            if cur.rowcount:
                added_events.append(int(ev["event_id"]))
        proposals = _rows(
            conn,
            "SELECT * FROM merge_proposals WHERE entity_a IN (?, ?) OR entity_b IN (?, ?)",
            (keep_id, drop_id, keep_id, drop_id),
        )
        conn.execute(
            "UPDATE merge_proposals SET status = 'accepted' WHERE "
            "(entity_a = ? AND entity_b = ?) OR (entity_a = ? AND entity_b = ?)",
            (keep_id, drop_id, drop_id, keep_id),
        )
        conn.execute("DELETE FROM entities WHERE id = ?", (drop_id,))
        case.touch()
    return Merge(
        keep_id,
        dropped,
        moved,
        duplicates,
        added_alias,
        fact_ids,
        event_rows,
        added_events,
        proposals,
    )


def unmerge_entities(case: Case, merge: Merge) -> None:
    """Split a merge back into the two entities exactly as they were.

    Refused (``StaleEdit``) when the kept entity is gone, the dropped one's id is taken again,
    or the facts that moved no longer exist (their document was extracted again)."""
    conn = case.conn
    with case.transaction():
        keep = entity(case, merge.keep_id)
        if keep["kind"] != merge.dropped["kind"]:
            raise StaleEdit(f"entity {merge.keep_id} is another entity now")
        if _existing(conn, "entities", [int(merge.dropped["id"])]):
            raise StaleEdit(f"entity {merge.dropped['id']} exists again")
        kept = _owned_facts(conn, merge.fact_ids, merge.keep_id)
        if kept != set(merge.fact_ids):
            raise StaleEdit(f"facts of “{merge.dropped['name']}” were replaced (extracted again)")
        _insert(conn, "entities", merge.dropped)
        drop_id = merge.dropped["id"]
        conn.executemany(
            "UPDATE aliases SET entity_id = ? WHERE id = ?",
            [(drop_id, i) for i in merge.moved_alias_ids],
        )
        for alias in merge.duplicate_aliases:
            _insert(conn, "aliases", alias)
        if merge.added_alias_id is not None:
            conn.execute("DELETE FROM aliases WHERE id = ?", (merge.added_alias_id,))
        conn.executemany(
            "UPDATE facts SET entity_id = ? WHERE id = ?", [(drop_id, i) for i in merge.fact_ids]
        )
        for ev in merge.event_entities:
            _insert(conn, "event_entities", ev)
        conn.executemany(
            "DELETE FROM event_entities WHERE event_id = ? AND entity_id = ?",
            [(e, merge.keep_id) for e in merge.added_event_ids],
        )
        for proposal in merge.proposals:
            conn.execute("DELETE FROM merge_proposals WHERE id = ?", (proposal["id"],))
            _insert(conn, "merge_proposals", proposal)
        case.touch()


@dataclass(frozen=True)
class Split:
    source_id: int
    new_id: int
    alias_ids: list[int]
    fact_ids: list[int]


def split_entity(
    case: Case,
    entity_id: int,
    *,
    alias_ids: list[int] | None = None,
    fact_ids: list[int] | None = None,
    name: str | None = None,
    new_id: int | None = None,
) -> Split:
    """Move some aliases and facts of an entity to a new entity of the same kind.

    The new entity's name is ``name``, else the first moved alias, else the first moved fact's
    text. Facts whose text matches a moved alias move with it. ``new_id`` asks for the new
    entity's id (a redo gives it the id it had, so later steps that name it still find it);
    when that id is taken, SQLite chooses one.
    """
    alias_ids = list(alias_ids or [])
    fact_ids = list(fact_ids or [])
    if not alias_ids and not fact_ids:
        raise EditError("choose at least one alias or fact to split off")
    conn = case.conn
    with case.transaction():
        source = entity(case, entity_id)
        aliases = {r["id"]: r for r in entity_aliases(case, entity_id)}
        stray = [i for i in alias_ids if i not in aliases]
        if stray:
            raise StaleEdit(f"alias {stray[0]} does not belong to entity {entity_id}")
        keys = {aliases[i]["key"] for i in alias_ids}
        facts = _rows(conn, "SELECT id, text FROM facts WHERE entity_id = ?", (entity_id,))
        owned = {int(f["id"]) for f in facts}
        if any(i not in owned for i in fact_ids):
            raise StaleEdit(f"a chosen fact does not belong to entity {entity_id}")
        moving = set(fact_ids) | {int(f["id"]) for f in facts if name_key(f["text"]) in keys}
        if not name:
            if alias_ids:
                name = str(aliases[alias_ids[0]]["alias"])
            else:
                name = next(str(f["text"]) for f in facts if f["id"] in moving)
        if len(moving) == len(owned) and len(alias_ids) == len(aliases) and owned:
            raise EditError("splitting off everything would leave the entity empty")
        if new_id is not None and _existing(conn, "entities", [new_id]):
            new_id = None
        cur = conn.execute(
            "INSERT INTO entities(id, kind, name, key, status, attrs) "
            "VALUES (?, ?, ?, ?, 'manual', ?)",
            (new_id, source["kind"], name, name_key(name), json.dumps({"split_from": entity_id})),
        )
        new_id = int(cur.lastrowid or 0)
        conn.executemany(
            "UPDATE aliases SET entity_id = ? WHERE id = ?", [(new_id, i) for i in alias_ids]
        )
        moved_facts = sorted(moving)
        conn.executemany(
            "UPDATE facts SET entity_id = ? WHERE id = ?", [(new_id, i) for i in moved_facts]
        )
        case.touch()
    return Split(entity_id, new_id, alias_ids, moved_facts)


def unsplit_entity(case: Case, split: Split) -> None:
    """Undo a split. Refused (``StaleEdit``) when either entity is gone or the moved facts
    were replaced (their document was extracted again)."""
    conn = case.conn
    with case.transaction():
        entity(case, split.source_id)
        new = entity(case, split.new_id)
        if json.loads(new["attrs"] or "{}").get("split_from") != split.source_id:
            raise StaleEdit(f"entity {split.new_id} is another entity now")
        if _owned_facts(conn, split.fact_ids, split.new_id) != set(split.fact_ids):
            raise StaleEdit("the split-off facts were replaced (extracted again)")
        conn.executemany(
            "UPDATE aliases SET entity_id = ? WHERE id = ?",
            [(split.source_id, i) for i in split.alias_ids],
        )
        conn.executemany(
            "UPDATE facts SET entity_id = ? WHERE id = ?",
            [(split.source_id, i) for i in split.fact_ids],
        )
        conn.execute("DELETE FROM entities WHERE id = ?", (split.new_id,))
        case.touch()


def create_entity(case: Case, kind: str, name: str) -> int:
    """A new entity the user names (for linking a manual fact)."""
    if kind not in ENTITY_KINDS:
        raise EditError(f"a {kind} is not an entity kind")
    with case.transaction():
        cur = case.conn.execute(
            "INSERT INTO entities(kind, name, key, status) VALUES (?, ?, ?, 'manual')",
            (kind, name, name_key(name)),
        )
        case.touch()
    return int(cur.lastrowid or 0)


# -- documents -------------------------------------------------------------------------------


def set_document_properties(case: Case, doc_id: int, fields: Row, *, isolate: bool = False) -> Row:
    """Change title, publisher, URL or publication date; return the previous values.

    A date change goes through the extraction pipeline when it is available, so relative dates
    in the text ("last Thursday") are resolved again (with ``isolate``, parsing in a process of
    its own). The returned values include the date's evidence, and handing them back here
    restores the date exactly as it was (that is undo).
    """
    fields = dict(fields)
    old: Row = {}
    with case.transaction():
        if "published" in fields:
            published = fields.pop("published")
            inferred = int(bool(fields.pop("published_inferred", 0)))
            restoring = "published_evidence" in fields
            evidence = fields.pop("published_evidence", None)
            before = case.document(doc_id)
            old.update(
                {k: before[k] for k in ("published", "published_inferred", "published_evidence")}
            )
            try:
                from casedesk.extract import pipeline
            except ImportError:
                case.conn.execute(
                    "UPDATE documents SET published = ?, published_inferred = ?, "
                    "published_evidence = ? WHERE id = ?",
                    (published, inferred, evidence if restoring else None, doc_id),
                )
            else:
                if restoring:
                    pipeline.restore_publication_date(
                        case,
                        doc_id,
                        {
                            "published": published,
                            "published_inferred": inferred,
                            "published_evidence": evidence,
                        },
                        isolate=isolate,
                    )
                else:
                    try:
                        pipeline.set_publication_date(case, doc_id, published, isolate=isolate)
                    except ValueError as exc:
                        raise EditError(str(exc)) from exc
                    if inferred:
                        case.update_document(doc_id, published_inferred=1)
        if fields:
            old.update(case.update_document(doc_id, **fields))
        case.touch()
    return old
