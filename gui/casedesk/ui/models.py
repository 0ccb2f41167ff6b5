"""Qt models over the case file, fetching rows lazily.

Each model asks SQLite for one batch of rows at a time (``canFetchMore``/``fetchMore``), so a
case of 10,000 documents costs what one screenful costs. Sorting and filtering are done by SQL
(``ORDER BY``/``WHERE``), not by loading everything into a proxy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from casedesk.extract.timex import period
from casedesk.polarity import DENIAL_MARK, denial_sql, denial_text
from casedesk.safe_html import plain_html, plain_tooltip, rich_tooltip
from casedesk.store import FACT_KINDS, Case, SearchHit
from casedesk.ui.colours import DENIAL, DISPUTED, KIND_LABELS, kind_colour
from casedesk.words import spoken_date

Index = QModelIndex | QPersistentModelIndex
BATCH = 200

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
FACT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_ROLE = Qt.ItemDataRole.UserRole + 3
ROW_ROLE = Qt.ItemDataRole.UserRole + 4
# The Facts panel's group of facts the sources disagree on (sides of open disputes).
DISPUTED_GROUP = "disputed"


def _kind_icon(kind: str) -> Any:
    try:
        from casedesk.ui.icons import kind_icon

        return kind_icon(kind)
    except (KeyError, FileNotFoundError, OSError):
        return None


class SourcesModel(QAbstractTableModel):
    """The case's documents: title, publisher, date (inferred ones marked), counts and the
    e-mail thread. A document that is part of another (an e-mail's attachment) is listed,
    indented, right after its parent, whichever way the list is sorted by title, publisher,
    date or thread."""

    COLUMNS = ("Title", "Publisher", "Date", "Facts", "Notes", "Thread")
    # Sort keys: a part is sorted by its parent's key (p is the parent, when there is one).
    _ORDER = (
        "coalesce(p.title, p.file_name, d.title, d.file_name) COLLATE NOCASE",
        "CASE WHEN p.id IS NULL THEN d.publisher ELSE p.publisher END COLLATE NOCASE",
        "CASE WHEN p.id IS NULL THEN d.published ELSE p.published END",
        "facts",
        "notes",
        "thread COLLATE NOCASE",
    )
    _COUNT_COLUMNS = (3, 4)
    # The thread's name: the subject of its first message (the list shows it for every
    # message of the thread, so sorting by it puts a conversation together).
    _THREAD = (
        "CASE WHEN coalesce(d.thread_id, p.thread_id) IS NULL THEN NULL ELSE "
        "(SELECT coalesce(t.title, t.file_name) FROM documents t "
        "WHERE t.thread_id = coalesce(d.thread_id, p.thread_id) "
        "ORDER BY t.published, t.id LIMIT 1) END AS thread"
    )
    _FIELDS = (
        "d.id, coalesce(d.title, d.file_name), d.publisher, d.published, d.published_inferred, "
        "d.file_name, d.url"
    )
    _FROM = "FROM documents d LEFT JOIN documents p ON p.id = d.parent_id"

    def __init__(self, case: Case | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self._rows: list[tuple[Any, ...]] = []
        self._total = 0
        self._filter = ""
        self._resetting = False
        self._sort_column = 2
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.set_case(case)

    # -- loading ---------------------------------------------------------------------------

    def set_case(self, case: Case | None) -> None:
        self._case = case
        self.reload()

    def set_filter(self, text: str) -> None:
        if text != self._filter:
            self._filter = text
            self.reload()

    def _where(self) -> tuple[str, tuple[Any, ...]]:
        if not self._filter.strip():
            return "", ()
        like = f"%{self._filter.strip()}%"
        return (
            "WHERE (d.title LIKE ? OR d.publisher LIKE ? OR d.file_name LIKE ? OR d.published "
            "LIKE ?)",
            (like, like, like, like),
        )

    def reload(self) -> None:
        self._resetting = True
        self.beginResetModel()
        self._rows = []
        self._total = 0
        if self._case is not None:
            where, params = self._where()
            self._total = int(
                self._case.conn.execute(
                    f"SELECT count(*) FROM documents d {where}", params
                ).fetchone()[0]
            )
            # The first screenful comes with the reset; the view asks for more as it scrolls.
            self._rows = self._query(0, BATCH)
        self.endResetModel()
        self._resetting = False

    _COUNTS = (
        "(SELECT count(*) FROM facts f WHERE f.document_id = d.id AND f.status != 'rejected') "
        "AS facts, (SELECT count(*) FROM annotations a WHERE a.document_id = d.id) AS notes"
    )

    def _query(self, offset: int, limit: int) -> list[tuple[Any, ...]]:
        assert self._case is not None
        where, params = self._where()
        direction = "ASC" if self._sort_order == Qt.SortOrder.AscendingOrder else "DESC"
        order = self._ORDER[self._sort_column]
        # The counts are most of a row's cost (they walk the document's facts); unless the list
        # is sorted by them they are read when a row is first shown (see ``_counts``).
        counted = self._sort_column in self._COUNT_COLUMNS
        counts = self._COUNTS if counted else "NULL AS facts, NULL AS notes"
        # A part comes right after its parent: the parent's id, then parents before parts.
        # A part comes right after its parent (the parent's id, then the parent, then its
        # parts in the order they came); sorted by a count, every row stands on its own.
        if counted:
            then = f"d.id {direction}"
        else:
            then = f"coalesce(d.parent_id, d.id) {direction}, d.parent_id IS NOT NULL, d.id"
        if self._sort_column == 5:  # a thread's messages in date order
            then = f"{self._ORDER[2]}, {then}"
        rows = self._case.conn.execute(
            f"SELECT {self._FIELDS}, {counts}, d.parent_id, {self._THREAD} "
            f"{self._FROM} {where} ORDER BY {order} {direction}, {then} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        # Another program may have stored bytes where text belongs: show them as text.
        return [
            tuple(v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in row)
            for row in rows
        ]

    def _counts(self, row: int) -> tuple[int, int]:
        """A row's fact and note counts, read on first use and kept with the row."""
        values = self._rows[row]
        if values[7] is None and self._case is not None:
            counts = self._case.conn.execute(
                f"SELECT {self._COUNTS} FROM documents d WHERE d.id = ?", (values[0],)
            ).fetchone()
            values = self._rows[row] = (*values[:7], *(counts or (0, 0)), *values[9:])
        return int(values[7] or 0), int(values[8] or 0)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not self._resetting and not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._case is None:
            return
        self._append(BATCH)

    def _append(self, limit: int) -> None:
        """Load up to ``limit`` more rows, as one insertion."""
        rows = self._query(len(self._rows), limit)
        rows = rows[: self._total - len(self._rows)]
        if not rows:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def refresh_document(self, doc_id: int) -> None:
        """Reread one loaded row (after an edit) without resetting the view."""
        for i, row in enumerate(self._rows):
            if row[0] == doc_id and self._case is not None:
                fresh = self._case.conn.execute(
                    f"SELECT {self._FIELDS}, {self._COUNTS}, d.parent_id, {self._THREAD} "
                    f"{self._FROM} WHERE d.id = ?",
                    (doc_id,),
                ).fetchone()
                if fresh:
                    self._rows[i] = fresh
                    self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))
                return

    # -- the model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in (3, 4):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        doc_id, title, publisher, published, inferred, file_name, url = row[:7]
        parent_id, thread = row[9], row[10]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"\u21b3 {title}" if parent_id is not None else title
            if col == 5:
                return thread or ""
            if col == 1:
                return publisher or ""
            if col == 2:
                if not published:
                    return "—"
                return f"{published}*" if inferred else published
            if col == 3:
                return self._counts(index.row())[0]
            if col == 4:
                return self._counts(index.row())[1]
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col == 2 and inferred:
                return "Date inferred from the text (edit it in Document Properties)"
            lines = [f"<b>{plain_html(title, 500)}</b>", plain_html(file_name, 500)]
            if parent_id is not None:
                lines.append("attached to the document listed above it")
            if thread:
                lines.append(f"thread: {plain_html(thread, 500)}")
            if publisher:
                lines.append(plain_html(publisher, 500))
            if url:
                lines.append(plain_html(url, 500))
            return rich_tooltip("<br>".join(lines))
        elif role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.FontRole and col == 2 and inferred:
            font = QFont()
            font.setItalic(True)
            return font
        elif role == DOC_ID_ROLE:
            return doc_id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.COLUMNS):
            self._sort_column = column
            self._sort_order = order
            self.reload()

    def doc_id(self, row: int) -> int | None:
        return int(self._rows[row][0]) if 0 <= row < len(self._rows) else None

    def row_of(self, doc_id: int) -> int | None:
        """The row showing ``doc_id``, loading further rows until it is found.

        Each further load is twice the one before (one query and one insertion each), so a
        document at the end of 10,000 costs six queries, not fifty each skipping the rows
        before it again (sorted by a count, one query: each would count every row)."""
        start, limit = 0, BATCH
        while True:
            for i in range(start, len(self._rows)):
                if self._rows[i][0] == doc_id:
                    return i
            if self._case is None or not self.canFetchMore():
                return None
            start = len(self._rows)
            # Sorted by a count, every query counts and sorts all rows: load the rest at once.
            counted = self._sort_column in self._COUNT_COLUMNS
            self._append(self._total if counted else limit)
            limit *= 2


@dataclass
class FactRow:
    id: int
    document_id: int
    kind: str
    start: int
    end: int
    text: str
    value: str | None
    status: str
    entity_id: int | None
    entity: str | None
    original_value: str | None
    provenance: str
    document: str
    # A claim the speaker denies: the words that deny ("denied", "did not say"); an event
    # reported only as denied: who denied it ("" if unknown); None otherwise.
    denial: str | None = None


_FACT_SELECT = (
    "SELECT f.id, f.document_id, f.kind, f.start, f.end, f.text, f.value, f.status, f.entity_id, "
    "e.name, f.original_value, f.provenance, coalesce(d.title, d.file_name), "
    f"{denial_sql('f')} "
    "FROM facts f LEFT JOIN entities e ON e.id = f.entity_id "
    "JOIN documents d ON d.id = f.document_id "
)


STATUS_MARKS = {"extracted": "", "confirmed": "✓", "rejected": "✗", "manual": "✎"}
STATUS_HELP = "Status: ✓ confirmed, ✗ rejected, ✎ added or corrected by you, blank: as extracted"


@dataclass
class FactGroup:
    """The mentions of one entity of one kind in the panel's scope, shown as one row with
    their count (a document naming a company 34 times shows one row, not 34)."""

    entity_id: int
    count: int
    first: FactRow
    confirmed: int
    rejected: int
    members: list[FactRow] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.confirmed == self.count:
            return "confirmed"
        if self.rejected == self.count:
            return "rejected"
        return "extracted"


Item = FactRow | FactGroup
_MEMBER = 1 << 32  # internalIds from here on are a group's members (see FactsModel.index)


class FactsModel(QAbstractItemModel):
    """Facts grouped by kind: a top-level row per kind, its facts below, loaded on demand.
    Several mentions of one entity are one row with their count, expandable to the mentions.

    The scope is one document or, with ``document_id=None``, the whole case.

    Signals:
        reloaded(): a reset is complete and rows may be fetched (views re-expand on it; no
            fetching is allowed while the reset is in flight).
    """

    reloaded = Signal()

    COLUMNS = ("Text", "Value", "Entity", "✓", "Document")
    # internalId of top-level rows; an item's internalId is its kind row + 1; a group member's
    # is (kind row + 1) << 32 | (item row + 1).
    _GROUP = 0

    def __init__(self, case: Case | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._case = case
        self._document_id: int | None = None
        self._whole_case = False
        # (kind, facts, rows): rows counts a group of one entity's mentions once
        self._groups: list[tuple[str, int, int]] = []
        self._items: list[list[Item]] = []
        self._resetting = False
        # Facts that are sides of open disputes (casedesk.disputes), shown again in their own
        # group first; ``_disputed_only`` shows that group alone.
        self._disputed: frozenset[int] = frozenset()
        self._disputed_only = False
        self.reload()

    def set_case(self, case: Case | None) -> None:
        self._case = case
        self._document_id = None
        self._disputed = frozenset()
        self.reload()

    def set_disputed(self, fact_ids: frozenset[int]) -> None:
        """The facts the sources disagree on; the Disputed group follows them."""
        if fact_ids != self._disputed:
            self._disputed = frozenset(fact_ids)
            self.reload()

    def set_disputed_only(self, only: bool) -> None:
        if only != self._disputed_only:
            self._disputed_only = only
            self.reload()

    @property
    def disputed_only(self) -> bool:
        return self._disputed_only

    def set_document(self, doc_id: int | None) -> None:
        self._document_id = doc_id
        if not self._whole_case:
            self.reload()

    def set_whole_case(self, whole: bool) -> None:
        if whole != self._whole_case:
            self._whole_case = whole
            self.reload()

    @property
    def whole_case(self) -> bool:
        return self._whole_case

    def _scope(self) -> tuple[str, tuple[Any, ...]]:
        if self._whole_case:
            return "", ()
        return "WHERE f.document_id = ?", (self._document_id if self._document_id else -1,)

    def _in_scope(self) -> bool:
        return self._case is not None and (self._whole_case or self._document_id is not None)

    def _read_groups(self) -> list[tuple[str, int, int]]:
        assert self._case is not None
        where, params = self._scope()
        counts = {
            str(k): (int(n), int(rows))
            for k, n, rows in self._case.conn.execute(
                "SELECT f.kind, count(*), count(DISTINCT coalesce(f.entity_id, -f.id)) "
                f"FROM facts f {where} GROUP BY f.kind",
                params,
            )
        }
        groups = [(k, *counts[k]) for k in FACT_KINDS if k in counts]
        disputed = 0
        if self._disputed:
            where, params = self._kind_where(DISPUTED_GROUP)
            disputed = int(
                self._case.conn.execute(f"SELECT count(*) FROM facts f {where}", params).fetchone()[
                    0
                ]
            )
        if self._disputed_only:
            return [(DISPUTED_GROUP, disputed, disputed)]
        return ([(DISPUTED_GROUP, disputed, disputed)] if disputed else []) + groups

    def reload(self) -> None:
        self._resetting = True
        self.beginResetModel()
        self._groups = []
        self._items = []
        if self._in_scope():
            self._groups = self._read_groups()
            self._items = [[] for _ in self._groups]
        self.endResetModel()
        self._resetting = False
        self.reloaded.emit()

    def _kind_where(self, kind: str) -> tuple[str, tuple[Any, ...]]:
        where, params = self._scope()
        if kind == DISPUTED_GROUP:
            among = "f.id IN (SELECT value FROM json_each(?))"
            where = f"{where} AND {among}" if where else f"WHERE {among}"
            return where, (*params, json.dumps(sorted(self._disputed)))
        where = f"{where} AND f.kind = ?" if where else "WHERE f.kind = ?"
        return where, (*params, kind)

    def _fetch(self, group: int, offset: int, limit: int) -> list[Item]:
        """Rows ``offset`` to ``offset + limit`` of a kind, in order of first mention."""
        assert self._case is not None
        kind = self._groups[group][0]
        where, params = self._kind_where(kind)
        # each disputed fact is its own row (a claim's speaker is no reason to fold claims)
        by = "-f.id" if kind == DISPUTED_GROUP else "coalesce(f.entity_id, -f.id)"
        found = self._case.conn.execute(
            "SELECT f.entity_id, count(*), min((f.document_id << 32) + f.start) AS first, f.id, "
            "sum(f.status = 'confirmed'), sum(f.status = 'rejected') "
            f"FROM facts f {where} GROUP BY {by} "
            "ORDER BY first, f.id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        firsts = self._rows_by_id([int(r[3]) for r in found])
        items: list[Item] = []
        for entity_id, n, _first, fact_id, confirmed, rejected in found:
            row = firsts.get(int(fact_id))
            if row is None:
                continue
            if entity_id is not None and int(n) > 1:
                items.append(FactGroup(int(entity_id), int(n), row, int(confirmed), int(rejected)))
            else:
                items.append(row)
        return items

    def _rows_by_id(self, ids: list[int]) -> dict[int, FactRow]:
        assert self._case is not None
        rows: dict[int, FactRow] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._case.conn.execute(_FACT_SELECT + f"WHERE f.id IN ({marks})", chunk):
                rows[int(r[0])] = FactRow(*r)
        return rows

    def _fetch_members(self, group: int, item: FactGroup, offset: int, limit: int) -> list[FactRow]:
        assert self._case is not None
        where, params = self._kind_where(self._groups[group][0])
        rows = self._case.conn.execute(
            _FACT_SELECT + f"{where} AND f.entity_id = ? "
            "ORDER BY f.document_id, f.start, f.id LIMIT ? OFFSET ?",
            (*params, item.entity_id, limit, offset),
        ).fetchall()
        return [FactRow(*r) for r in rows]

    def group_members(self, index: Index) -> list[FactRow]:
        """Every mention a group row stands for (read from the case, loaded or not)."""
        item = self._item(index)
        if not isinstance(item, FactGroup) or self._case is None:
            return []
        g = self._kind_row_of(index)
        return self._fetch_members(g, item, 0, item.count)

    @staticmethod
    def _key(item: Item) -> tuple[str, int]:
        return ("e", item.entity_id) if isinstance(item, FactGroup) else ("f", item.id)

    def refresh_in_place(self) -> bool:
        """Reread the loaded rows without a reset when the rows are unchanged.

        Keeps the view's selection and scroll position after a status or value change; returns
        False (after a full reload) when facts were added, removed, grouped otherwise or
        changed kind.
        """
        if not self._in_scope():
            self.reload()
            return False
        if self._read_groups() != self._groups:
            self.reload()
            return False
        for g, loaded in enumerate(self._items):
            if not loaded:
                continue
            fresh = self._fetch(g, 0, len(loaded))
            if [self._key(i) for i in fresh] != [self._key(i) for i in loaded] or [
                i.count for i in fresh if isinstance(i, FactGroup)
            ] != [i.count for i in loaded if isinstance(i, FactGroup)]:
                self.reload()
                return False
            for i, (old, new) in enumerate(zip(loaded, fresh, strict=True)):
                if isinstance(old, FactGroup) and isinstance(new, FactGroup) and old.members:
                    members = self._fetch_members(g, new, 0, len(old.members))
                    if [m.id for m in members] != [m.id for m in old.members]:
                        self.reload()
                        return False
                    new.members = members
                    parent = self.index(i, 0, self.index(g, 0))
                    self.dataChanged.emit(
                        self.index(0, 0, parent),
                        self.index(len(members) - 1, len(self.COLUMNS) - 1, parent),
                    )
            self._items[g] = fresh
            parent = self.index(g, 0)
            self.dataChanged.emit(
                self.index(0, 0, parent), self.index(len(fresh) - 1, len(self.COLUMNS) - 1, parent)
            )
        return True

    # -- structure ------------------------------------------------------------------------

    def _kind_row_of(self, index: Index) -> int:
        internal = int(index.internalId())
        return internal - 1 if internal < _MEMBER else (internal >> 32) - 1

    def _item(self, index: Index) -> Item | None:
        """The row an item-level index shows (None for kind rows and group members)."""
        if not index.isValid():
            return None
        internal = int(index.internalId())
        if internal == self._GROUP or internal >= _MEMBER:
            return None
        g = internal - 1
        if g >= len(self._items) or index.row() >= len(self._items[g]):
            return None
        return self._items[g][index.row()]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(self.COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._groups):
                return QModelIndex()
            return self.createIndex(row, column, self._GROUP)
        if parent.column() != 0:
            return QModelIndex()
        internal = int(parent.internalId())
        if internal == self._GROUP:
            group = parent.row()
            if group >= len(self._items) or row >= len(self._items[group]):
                return QModelIndex()
            return self.createIndex(row, column, group + 1)
        item = self._item(parent)
        if not isinstance(item, FactGroup) or row >= len(item.members):
            return QModelIndex()
        return self.createIndex(row, column, (internal << 32) | (parent.row() + 1))

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == self._GROUP:
            return QModelIndex()
        internal = int(index.internalId())
        if internal < _MEMBER:
            return self.createIndex(internal - 1, 0, self._GROUP)
        return self.createIndex((internal & 0xFFFFFFFF) - 1, 0, internal >> 32)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0:
            return 0
        if parent.internalId() == self._GROUP:
            return len(self._items[parent.row()]) if parent.row() < len(self._items) else 0
        item = self._item(parent)
        return len(item.members) if isinstance(item, FactGroup) else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if not parent.isValid():
            return bool(self._groups)
        if parent.column() != 0:
            return False
        if parent.internalId() == self._GROUP:
            return parent.row() < len(self._groups) and self._groups[parent.row()][1] > 0
        return isinstance(self._item(parent), FactGroup)

    def canFetchMore(self, parent: Index) -> bool:
        if self._resetting or not parent.isValid() or parent.column() != 0:
            return False
        if parent.internalId() == self._GROUP:
            g = parent.row()
            return g < len(self._groups) and len(self._items[g]) < self._groups[g][2]
        item = self._item(parent)
        return isinstance(item, FactGroup) and len(item.members) < item.count

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        if parent.internalId() == self._GROUP:
            g = parent.row()
            loaded = self._items[g]
            items = self._fetch(g, len(loaded), BATCH)[: self._groups[g][2] - len(loaded)]
            if not items:
                kind, facts, _rows = self._groups[g]
                self._groups[g] = (kind, facts, len(loaded))
                return
            self.beginInsertRows(parent, len(loaded), len(loaded) + len(items) - 1)
            loaded.extend(items)
            self.endInsertRows()
            return
        item = self._item(parent)
        assert isinstance(item, FactGroup)
        g = self._kind_row_of(parent)
        members = self._fetch_members(g, item, len(item.members), BATCH)
        members = members[: item.count - len(item.members)]
        if not members:
            item.count = len(item.members)
            return
        first = len(item.members)
        self.beginInsertRows(parent, first, first + len(members) - 1)
        item.members.extend(members)
        self.endInsertRows()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == 3:
                return STATUS_HELP
        return None

    # -- data -----------------------------------------------------------------------------

    def group_at(self, index: Index) -> FactGroup | None:
        item = self._item(index)
        return item if isinstance(item, FactGroup) else None

    def fact_at(self, index: Index) -> FactRow | None:
        """The fact a row shows; for a group of mentions, its first mention."""
        if not index.isValid() or index.internalId() == self._GROUP:
            return None
        internal = int(index.internalId())
        if internal >= _MEMBER:
            group = self._item(self.parent(index))
            if not isinstance(group, FactGroup) or index.row() >= len(group.members):
                return None
            return group.members[index.row()]
        item = self._item(index)
        if isinstance(item, FactGroup):
            return item.first
        return item

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() == self._GROUP:
            if index.row() >= len(self._groups):
                return None
            kind, count, _rows = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and col == 0:
                if kind == DISPUTED_GROUP:
                    return f"▲ Disputed ({count})"
                return f"{KIND_LABELS.get(kind, kind)} ({count})"
            if role == Qt.ItemDataRole.DecorationRole and col == 0:
                if kind == DISPUTED_GROUP:
                    return QColor(DISPUTED)
                return _kind_icon(kind) or kind_colour(kind)
            if role == Qt.ItemDataRole.ToolTipRole and kind == DISPUTED_GROUP:
                return (
                    "Facts the sources disagree on (Facts ▸ Disputed Facts… shows the sides "
                    "side by side)"
                )
            if role == Qt.ItemDataRole.FontRole and col == 0:
                font = QFont()
                font.setBold(True)
                return font
            if role == KIND_ROLE:
                return kind
            return None
        group = self.group_at(index)
        if group is not None:
            return self._group_data(group, col, role)
        fact = self.fact_at(index)
        if fact is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                text = " ".join(fact.text.split())
                if fact.denial is not None:
                    # never shown as the speaker's assertion or as a happening that took place
                    verb = "denies" if fact.kind == "claim" else "denied"
                    return f"{DENIAL_MARK} {verb}: {text}"
                return text
            if col == 1:
                return fact.value or ""
            if col == 2:
                # The entity only where it says more than the value (an alias, a merge).
                return fact.entity if fact.entity and fact.entity != fact.value else ""
            if col == 3:
                if fact.status == "confirmed" and fact.original_value not in (None, fact.value):
                    return STATUS_MARKS["manual"]
                return STATUS_MARKS.get(fact.status, "")
            if col == 4:
                return fact.document
        elif role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{fact.kind}: {' '.join(fact.text.split())}"]
            if fact.value and fact.kind in ("date", "event") and period(fact.value):
                lines.append(f"date: {spoken_date(fact.value)}")  # in words, not TimeML
            elif fact.value:
                lines.append(f"value: {fact.value}")
            if fact.denial is not None:
                lines.append(denial_text(fact.kind, fact.value, fact.denial))
            if fact.original_value and fact.original_value != fact.value:
                lines.append(f"machine value: {fact.original_value}")
            if fact.entity:
                lines.append(f"entity: {fact.entity}")
            lines.append(f"status: {fact.status} · {fact.provenance}")
            return plain_tooltip("\n".join(lines))
        elif role == Qt.ItemDataRole.ForegroundRole and fact.status == "rejected":
            palette = QApplication.palette()
            return QBrush(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        elif role == Qt.ItemDataRole.ForegroundRole and fact.denial is not None and col == 0:
            return QBrush(QColor(DENIAL))
        elif role == Qt.ItemDataRole.FontRole and fact.status == "rejected":
            font = QFont()
            font.setStrikeOut(True)
            return font
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignCenter)
        elif role == Qt.ItemDataRole.DecorationRole and col == 0:
            return kind_colour(fact.kind)
        elif role == FACT_ID_ROLE:
            return fact.id
        elif role == DOC_ID_ROLE:
            return fact.document_id
        elif role == KIND_ROLE:
            return fact.kind
        return None

    def _group_data(self, group: FactGroup, col: int, role: int) -> Any:
        first = group.first
        name = first.entity or " ".join(first.text.split())
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{name} ({group.count})"
            if col == 1:
                return f"{group.count} mentions"
            if col == 3:
                return STATUS_MARKS.get(group.status, "")
            if col == 4:
                return first.document
            return ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(
                f"{first.kind}: {name}\n{group.count} mentions ({group.confirmed} confirmed, "
                f"{group.rejected} rejected); expand to see each. Actions on this row act on "
                "every mention."
            )
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return kind_colour(first.kind)
        if role == Qt.ItemDataRole.FontRole and col == 0:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == FACT_ID_ROLE:
            return first.id
        if role == DOC_ID_ROLE:
            return first.document_id
        if role == KIND_ROLE:
            return first.kind
        return None

    def find_fact(self, fact_id: int) -> QModelIndex:
        """The index of a fact (inside its entity's group if it has one), fetching as far as
        needed."""
        if self._case is None:
            return QModelIndex()
        found = self._case.conn.execute(
            "SELECT kind, entity_id FROM facts WHERE id = ?", (fact_id,)
        ).fetchone()
        if found is None:
            return QModelIndex()
        kind, entity_id = found
        # its own kind's group first, the Disputed group only when that is not shown
        order = sorted(enumerate(self._groups), key=lambda g: g[1][0] == DISPUTED_GROUP)
        for g, (group_kind, _n, _rows) in order:
            if group_kind == DISPUTED_GROUP:
                if fact_id not in self._disputed:
                    continue
                entity_id = None  # each disputed fact is a row of its own
            elif group_kind != kind:
                continue
            parent = self.index(g, 0)
            seen = 0
            while True:
                items = self._items[g]
                for i in range(seen, len(items)):
                    item = items[i]
                    if isinstance(item, FactGroup):
                        if item.entity_id == entity_id:
                            return self._find_member(self.index(i, 0, parent), item, fact_id)
                    elif item.id == fact_id:
                        return self.index(i, 0, parent)
                seen = len(items)
                if not self.canFetchMore(parent):
                    return QModelIndex()
                self.fetchMore(parent)
        return QModelIndex()

    def _find_member(self, parent: QModelIndex, group: FactGroup, fact_id: int) -> QModelIndex:
        while True:
            for r, member in enumerate(group.members):
                if member.id == fact_id:
                    return self.index(r, 0, parent)
            if not self.canFetchMore(parent):
                return QModelIndex()
            self.fetchMore(parent)


class SearchResultsModel(QAbstractListModel):
    """Case-wide full-text hits: document title and a snippet with the match in bold."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._query = ""

    def set_results(self, query: str, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._query = query
        self._hits = list(hits)
        self.endResetModel()

    @property
    def query(self) -> str:
        return self._query

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        title = hit.title or hit.file_name
        snippet = " ".join(hit.snippet.split())
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{title}\n{snippet.replace('[', '').replace(']', '')}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(snippet)
        if role == ROW_ROLE:
            return (title, snippet)
        if role == DOC_ID_ROLE:
            return hit.document_id
        return None
