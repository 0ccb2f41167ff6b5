"""The user's changes to the timeline: rename an item, change its date, hide it, merge two
items, move one report out into an item of its own, add an item by hand.

A timeline item is a row of ``events`` with the event facts (one per source sentence) that
report it in ``event_sources``. Corroboration recomputes machine items (status ``extracted``)
whenever documents are extracted; it never rewrites the date or title of an item the user has
spoken on, and never deletes one. So every change here marks the item it leaves behind:

* ``confirmed``: a machine item the user renamed, redated, merged into or merged;
* ``rejected``: an item the user hid (its reports stay in the documents, off the timeline;
  reports of it that come back on re-extraction go back to it, so it stays hidden);
* ``manual``: an item the user made (added by hand, or a report moved out of an item).

A report moved out of an item, and a sentence an item was added from, become facts the user
reviewed (``confirmed`` or ``manual``), so re-extracting their document keeps them where the
user put them. Each function is one transaction and returns what its inverse needs, like
``casedesk.edits``. No Qt here.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from casedesk.edits import (
    EditError,
    Row,
    StaleEdit,
    _document_span,
    _existing,
    _insert,
    _row,
    _rows,
)
from casedesk.extract.timex import period
from casedesk.store import Case, now_iso

EVENT_FIELDS = ("date", "date_start", "date_end", "precision", "modifier", "title", "status")
MAX_TITLE = 300


def event(case: Case, event_id: int) -> Row:
    found = _row(case.conn, "SELECT * FROM events WHERE id = ?", (event_id,))
    if found is None:
        raise StaleEdit(f"timeline item {event_id} does not exist")
    return found


def event_fact_ids(case: Case, event_id: int) -> list[int]:
    """The reports (event facts) of an item, in document and text order."""
    return [
        int(r[0])
        for r in case.conn.execute(
            "SELECT f.id FROM event_sources s JOIN facts f ON f.id = s.fact_id "
            "WHERE s.event_id = ? ORDER BY f.document_id, f.start, f.id",
            (event_id,),
        )
    ]


def _reviewed(status: str) -> str:
    """The status an item takes once the user changed it: machine items become confirmed."""
    return "confirmed" if status == "extracted" else status


def set_event_fields(case: Case, event_id: int, fields: Row) -> Row:
    """Write event columns as given; return their previous values. The inverse of itself."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise EditError(f"cannot change timeline field(s): {', '.join(sorted(unknown))}")
    with case.transaction():
        before = event(case, event_id)
        old = {k: before[k] for k in fields}
        if fields:
            sets = ", ".join(f"{k} = ?" for k in fields)
            case.conn.execute(
                f"UPDATE events SET {sets} WHERE id = ?", (*fields.values(), event_id)
            )
            case.touch()
    return old


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise EditError("a timeline item needs a title")
    if len(title) > MAX_TITLE:
        raise EditError(f"a title of more than {MAX_TITLE} characters is too long")
    return title


def date_fields(value: str, modifier: str | None = None) -> Row:
    """The date columns of an item dated ``value``, a TimeML value at its own precision
    (``2020``, ``2020-06``, ``2020-W26``, ``2020-06-22``, ``2020-06-22T19:00``)."""
    value = value.strip()
    found = period(value, modifier)
    if found is None:
        raise EditError(
            f"“{value}” is not a date Casedesk understands: use 2020, 2020-06, 2020-W26, "
            "2020-06-22 or 2020-06-22T19:00"
        )
    return {
        "date": value,
        "date_start": found.start.isoformat(),
        "date_end": found.end.isoformat(),
        "precision": found.precision,
        "modifier": modifier or None,
    }


def rename_event(case: Case, event_id: int, title: str) -> Row:
    """Give an item the title the user chose; return the previous title and status."""
    title = _clean_title(title)
    with case.transaction():
        current = event(case, event_id)
        return set_event_fields(
            case, event_id, {"title": title, "status": _reviewed(str(current["status"]))}
        )


def redate_event(case: Case, event_id: int, value: str, modifier: str | None = None) -> Row:
    """Move an item to another date, at the precision the value has; return the old fields."""
    fields = date_fields(value, modifier)
    with case.transaction():
        current = event(case, event_id)
        fields["status"] = _reviewed(str(current["status"]))
        return set_event_fields(case, event_id, fields)


def hide_event(case: Case, event_id: int) -> Row:
    """Take an item off the timeline (it stays in the case, hidden); return its old status."""
    with case.transaction():
        event(case, event_id)
        return set_event_fields(case, event_id, {"status": "rejected"})


@dataclass(frozen=True)
class EventMerge:
    """What ``merge_events`` did, enough for ``unmerge_events`` to put both items back."""

    keep_id: int
    keep_fields: Row
    dropped: Row
    fact_ids: list[int]
    entity_links: list[Row]
    added_entity_ids: list[int] = field(default_factory=list)

    @property
    def event_ids(self) -> list[int]:
        return [self.keep_id, int(self.dropped["id"])]


def merge_events(case: Case, keep_id: int, drop_id: int) -> EventMerge:
    """Make ``drop_id``'s reports reports of ``keep_id`` (which keeps its date and title) and
    remove ``drop_id``."""
    if keep_id == drop_id:
        raise EditError("a timeline item cannot be merged with itself")
    conn = case.conn
    with case.transaction():
        keep = event(case, keep_id)
        dropped = event(case, drop_id)
        fact_ids = event_fact_ids(case, drop_id)
        links = _rows(conn, "SELECT * FROM event_entities WHERE event_id = ?", (drop_id,))
        conn.executemany(
            "INSERT OR IGNORE INTO event_sources(event_id, fact_id) VALUES (?, ?)",
            [(keep_id, f) for f in fact_ids],
        )
        added: list[int] = []
        for link in links:
            cur = conn.execute(
                "INSERT OR IGNORE INTO event_entities(event_id, entity_id) VALUES (?, ?)",
                (keep_id, link["entity_id"]),
            )
            if cur.rowcount:
                added.append(int(link["entity_id"]))
        keep_fields = set_event_fields(case, keep_id, {"status": _reviewed(str(keep["status"]))})
        conn.execute("DELETE FROM events WHERE id = ?", (drop_id,))
        case.touch()
    return EventMerge(keep_id, keep_fields, dropped, fact_ids, links, added)


def unmerge_events(case: Case, merge: EventMerge) -> None:
    """Put a merged item back with its reports. Refused (``StaleEdit``) when the kept item is
    gone, the dropped one's id is taken, or its reports were replaced (extracted again)."""
    conn = case.conn
    with case.transaction():
        event(case, merge.keep_id)
        if _existing(conn, "events", [int(merge.dropped["id"])]):
            raise StaleEdit(f"timeline item {merge.dropped['id']} exists again")
        on_keep = set(event_fact_ids(case, merge.keep_id))
        if not set(merge.fact_ids) <= on_keep:
            raise StaleEdit(
                f"the reports of “{merge.dropped['title']}” were replaced (extracted again)"
            )
        _insert(conn, "events", merge.dropped)
        drop_id = int(merge.dropped["id"])
        conn.executemany(
            "DELETE FROM event_sources WHERE event_id = ? AND fact_id = ?",
            [(merge.keep_id, f) for f in merge.fact_ids],
        )
        conn.executemany(
            "INSERT INTO event_sources(event_id, fact_id) VALUES (?, ?)",
            [(drop_id, f) for f in merge.fact_ids],
        )
        conn.executemany(
            "DELETE FROM event_entities WHERE event_id = ? AND entity_id = ?",
            [(merge.keep_id, e) for e in merge.added_entity_ids],
        )
        for link in merge.entity_links:
            conn.execute(
                "INSERT OR IGNORE INTO event_entities(event_id, entity_id) "
                "SELECT ?, id FROM entities WHERE id = ?",
                (drop_id, link["entity_id"]),
            )
        set_event_fields(case, merge.keep_id, merge.keep_fields)
        case.touch()


@dataclass(frozen=True)
class EventSplit:
    """A report moved out of ``source_id`` into the new item ``new_id``."""

    source_id: int
    new_id: int
    fact_id: int
    fact_status: str
    source_fields: Row

    @property
    def event_ids(self) -> list[int]:
        return [self.source_id, self.new_id]


def _fact_title(attrs: str | None, text: str) -> str:
    try:
        title = json.loads(attrs).get("title") if attrs else None
    except (ValueError, AttributeError):
        title = None
    return _clean_title(str(title or text)[:MAX_TITLE])


def split_event(
    case: Case, event_id: int, fact_id: int, *, new_id: int | None = None
) -> EventSplit:
    """Move one report of an item into an item of its own, dated and titled by that report.

    The item left behind keeps its date and title (it becomes confirmed), and the report
    becomes a fact the user reviewed, so re-extraction keeps the two apart. ``new_id`` asks for
    the new item's id (a redo gives it the id it had)."""
    conn = case.conn
    with case.transaction():
        source = event(case, event_id)
        reports = event_fact_ids(case, event_id)
        if fact_id not in reports:
            raise StaleEdit(f"report {fact_id} is not on timeline item {event_id}")
        if len(reports) < 2:
            raise EditError("this item has only one report: there is nothing to move out")
        found = _row(
            conn, "SELECT value, modifier, text, attrs, status FROM facts WHERE id = ?", (fact_id,)
        )
        assert found is not None
        fields = date_fields(str(found["value"]), found["modifier"])
        if new_id is not None and _existing(conn, "events", [new_id]):
            new_id = None
        cur = conn.execute(
            "INSERT INTO events(id, date, date_start, date_end, precision, modifier, title, "
            "status) VALUES (?, ?, ?, ?, ?, ?, ?, 'manual')",
            (
                new_id,
                fields["date"],
                fields["date_start"],
                fields["date_end"],
                fields["precision"],
                fields["modifier"],
                _fact_title(found["attrs"], str(found["text"])),
            ),
        )
        new_id = int(cur.lastrowid or 0)
        conn.execute(
            "UPDATE event_sources SET event_id = ? WHERE event_id = ? AND fact_id = ?",
            (new_id, event_id, fact_id),
        )
        _link_entities(conn, new_id, [fact_id])
        source_fields = set_event_fields(
            case, event_id, {"status": _reviewed(str(source["status"]))}
        )
        fact_status = str(found["status"])
        if fact_status == "extracted":
            conn.execute(
                "UPDATE facts SET status = 'confirmed', updated_at = ? WHERE id = ?",
                (now_iso(), fact_id),
            )
        case.touch()
    return EventSplit(event_id, new_id, fact_id, fact_status, source_fields)


def unsplit_event(case: Case, split: EventSplit) -> None:
    """Put a moved report back on its item and remove the item it was moved into."""
    conn = case.conn
    with case.transaction():
        event(case, split.source_id)
        new = event(case, split.new_id)
        if new["status"] != "manual" or event_fact_ids(case, split.new_id) != [split.fact_id]:
            raise StaleEdit(f"timeline item {split.new_id} is another item now")
        conn.execute(
            "UPDATE event_sources SET event_id = ? WHERE event_id = ? AND fact_id = ?",
            (split.source_id, split.new_id, split.fact_id),
        )
        conn.execute("DELETE FROM events WHERE id = ?", (split.new_id,))
        conn.execute(
            "UPDATE facts SET status = ?, updated_at = ? WHERE id = ?",
            (split.fact_status, now_iso(), split.fact_id),
        )
        set_event_fields(case, split.source_id, split.source_fields)
        case.touch()


def _link_entities(conn: sqlite3.Connection, event_id: int, fact_ids: list[int]) -> None:
    """Link an item to the participants its reports name (as corroboration does)."""
    for (attrs,) in conn.execute(
        f"SELECT attrs FROM facts WHERE id IN ({','.join('?' * len(fact_ids))})", fact_ids
    ).fetchall():
        try:
            ids = json.loads(attrs).get("entity_ids") or [] if attrs else []
        except (ValueError, AttributeError):
            ids = []
        conn.executemany(
            "INSERT OR IGNORE INTO event_entities(event_id, entity_id) "
            "SELECT ?, id FROM entities WHERE id = ?",
            [(event_id, int(e)) for e in ids],
        )


@dataclass(frozen=True)
class AddedEvent:
    """An item the user added, with the report made from a sentence (``fact_id``) if any."""

    event_id: int
    fact_id: int | None

    @property
    def event_ids(self) -> list[int]:
        return [self.event_id]


def add_event(
    case: Case,
    value: str,
    title: str,
    *,
    document_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
    modifier: str | None = None,
) -> AddedEvent:
    """Add an item by hand, dated ``value``. With a document span, the span becomes its
    report (a fact the user added), so a click on the item opens that sentence."""
    title = _clean_title(title)
    fields = date_fields(value, modifier)
    conn = case.conn
    with case.transaction():
        cur = conn.execute(
            "INSERT INTO events(date, date_start, date_end, precision, modifier, title, status) "
            "VALUES (?, ?, ?, ?, ?, ?, 'manual')",
            (
                fields["date"],
                fields["date_start"],
                fields["date_end"],
                fields["precision"],
                fields["modifier"],
                title,
            ),
        )
        event_id = int(cur.lastrowid or 0)
        fact_id: int | None = None
        if document_id is not None:
            if start is None or end is None:
                raise EditError("a report needs the start and end of its sentence")
            text = _document_span(case, document_id, start, end)
            stamp = now_iso()
            cur = conn.execute(
                "INSERT INTO facts(document_id, kind, start, end, text, value, modifier, status, "
                "provenance, attrs, created_at, updated_at) "
                "VALUES (?, 'event', ?, ?, ?, ?, ?, 'manual', 'user', ?, ?, ?)",
                (
                    document_id,
                    start,
                    end,
                    text,
                    fields["date"],
                    fields["modifier"],
                    json.dumps({"title": title}, ensure_ascii=False),
                    stamp,
                    stamp,
                ),
            )
            fact_id = int(cur.lastrowid or 0)
            conn.execute(
                "INSERT INTO event_sources(event_id, fact_id) VALUES (?, ?)", (event_id, fact_id)
            )
        case.touch()
    return AddedEvent(event_id, fact_id)


@dataclass(frozen=True)
class DeletedEvent:
    row: Row
    fact: Row | None
    entity_links: list[Row]


def delete_added_event(case: Case, added: AddedEvent) -> DeletedEvent:
    """Remove an item the user added (and the report made with it): the undo of ``add_event``."""
    conn = case.conn
    with case.transaction():
        row = event(case, added.event_id)
        if row["status"] != "manual":
            raise StaleEdit(f"timeline item {added.event_id} is another item now")
        fact = None
        if added.fact_id is not None:
            fact = _row(conn, "SELECT * FROM facts WHERE id = ?", (added.fact_id,))
            conn.execute("DELETE FROM facts WHERE id = ?", (added.fact_id,))
        links = _rows(conn, "SELECT * FROM event_entities WHERE event_id = ?", (added.event_id,))
        conn.execute("DELETE FROM events WHERE id = ?", (added.event_id,))
        case.touch()
    return DeletedEvent(row, fact, links)


def restore_added_event(case: Case, deleted: DeletedEvent) -> AddedEvent:
    """Bring back an item removed by ``delete_added_event`` under its old ids (the redo)."""
    conn = case.conn
    with case.transaction():
        if _existing(conn, "events", [int(deleted.row["id"])]):
            raise StaleEdit(f"timeline item {deleted.row['id']} exists again")
        _insert(conn, "events", deleted.row)
        fact_id: int | None = None
        if deleted.fact is not None:
            fact = dict(deleted.fact)
            if _existing(conn, "facts", [int(fact["id"])]):
                del fact["id"]
            _insert(conn, "facts", fact)
            fact_id = int(conn.execute("SELECT last_insert_rowid()").fetchone()[0])
            conn.execute(
                "INSERT INTO event_sources(event_id, fact_id) VALUES (?, ?)",
                (deleted.row["id"], fact_id),
            )
        for link in deleted.entity_links:
            conn.execute(
                "INSERT OR IGNORE INTO event_entities(event_id, entity_id) "
                "SELECT ?, id FROM entities WHERE id = ?",
                (link["event_id"], link["entity_id"]),
            )
        case.touch()
    return AddedEvent(int(deleted.row["id"]), fact_id)
