"""The Entities view: every entity of the case (lazy, sortable, filterable), the mentions of the
selected one, the merge proposals to review and the case's corrections.

Reads go through ``casedesk.queries``; changes are requested by signal and made by the
window's operations (``casedesk.ui.operations.entities``).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from casedesk import queries
from casedesk.store import ENTITY_KINDS, Case
from casedesk.ui.colours import KIND_LABELS, KIND_NAMES, kind_colour
from casedesk.words import document_label

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 11


class EntitiesModel(QAbstractTableModel):
    """The case's entities: kind, name, other spellings, mentions, documents; loaded a page at
    a time as the view scrolls, sorted and filtered by SQL."""

    COLUMNS = ("Kind", "Name", "Other spellings", "Mentions", "Documents")
    _SORTS = ("kind", "name", "name", "mentions", "documents")

    def __init__(self, case: Case | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self._rows: list[queries.EntityRow] = []
        self._total = 0
        # Sorted by a count: the order of every matching entity, read in one pass at reload
        # (pages are then cheap); None when sorted by name or kind (SQL pages through an index).
        self._order: list[tuple[int, int, int]] | None = None
        self._kind: str | None = None
        self._text = ""
        self._sort_column = 3
        self._descending = True
        self._resetting = False
        self.set_case(case)

    # -- loading -------------------------------------------------------------------------------

    def set_case(self, case: Case | None) -> None:
        self._case = case
        self.reload()

    def set_filter(self, *, kind: str | None = None, text: str = "") -> None:
        if (kind, text) != (self._kind, self._text):
            self._kind, self._text = kind, text
            self.reload()

    @property
    def total(self) -> int:
        return self._total

    @property
    def case(self) -> Case | None:
        return self._case

    def _by_count(self) -> bool:
        return self._SORTS[self._sort_column] in ("mentions", "documents")

    def _query(self, offset: int, limit: int) -> list[queries.EntityRow]:
        assert self._case is not None
        if self._order is not None:
            return queries.entity_rows(self._case, self._order[offset : offset + limit])
        return queries.entities_page(
            self._case,
            self._kind,
            self._text or None,
            sort=self._SORTS[self._sort_column],
            descending=self._descending,
            offset=offset,
            limit=limit,
        )

    def reload(self) -> None:
        if QApplication.instance() is None:
            self._reload()
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a count of a large case
        try:
            self._reload()
        finally:
            QApplication.restoreOverrideCursor()

    def _reload(self) -> None:
        self._resetting = True
        self.beginResetModel()
        self._rows = []
        self._total = 0
        self._order = None
        if self._case is not None:
            if self._by_count():
                self._order = queries.entity_order(
                    self._case,
                    self._kind,
                    self._text or None,
                    sort=self._SORTS[self._sort_column],
                    descending=self._descending,
                )
                self._total = len(self._order)
            else:
                self._total = queries.entities_count(self._case, self._kind, self._text or None)
            self._rows = self._query(0, PAGE)
        self.endResetModel()
        self._resetting = False

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not self._resetting and not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._case is None:
            return
        rows = self._query(len(self._rows), PAGE)[: self._total - len(self._rows)]
        if not rows:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        # (no fetching from inside the insertion: views and testers ask during it)
        self._resetting = True
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
        self._resetting = False

    def refresh_rows(self) -> bool:
        """Reread the loaded rows in place when the same entities are still there (a rename, a
        kind change); False after a full reload (entities came or went)."""
        if self._case is None:
            return True
        if self._order is not None:
            # Sorted by a count: the rows stay where they are (they do not jump while the user
            # corrects them) and show their new counts; a new sort puts them in order again.
            total = queries.entities_count(self._case, self._kind, self._text or None)
            fresh_rows = [queries.entity(self._case, r.id) for r in self._rows]
            if total != self._total or any(r is None for r in fresh_rows):
                self.reload()
                return False
            self._rows = [r for r in fresh_rows if r is not None]
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 4))
            return True
        total = queries.entities_count(self._case, self._kind, self._text or None)
        fresh = self._query(0, len(self._rows)) if self._rows else []
        if total != self._total or [r.id for r in fresh] != [r.id for r in self._rows]:
            self.reload()
            return False
        self._rows = fresh
        if fresh:
            self.dataChanged.emit(self.index(0, 0), self.index(len(fresh) - 1, 4))
        return True

    # -- the model interface ---------------------------------------------------------------

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
            if role == Qt.ItemDataRole.TextAlignmentRole and section >= 3:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def entity_at(self, row: int) -> queries.EntityRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return KIND_NAMES.get(row.kind, row.kind)
            if col == 1:
                return row.name
            if col == 2:
                return ", ".join(row.aliases)
            if col == 3:
                return row.mentions
            if col == 4:
                return row.documents
        elif role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"<b>{html.escape(row.name)}</b> ({html.escape(row.kind)})"]
            if row.aliases:
                lines.append("also: " + html.escape(", ".join(row.aliases)))
            lines.append(f"{row.mentions} mentions in {row.documents} documents")
            if row.status in ("confirmed", "manual"):
                lines.append("<i>corrected by you</i>")
            return "<br>".join(lines)
        elif role == Qt.ItemDataRole.DecorationRole and col == 0:
            return kind_colour(row.kind)
        elif role == Qt.ItemDataRole.TextAlignmentRole and col >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif (
            role == Qt.ItemDataRole.FontRole and col == 1 and row.status in ("confirmed", "manual")
        ):
            font = QFont()
            font.setItalic(True)
            return font
        elif role == ENTITY_ID_ROLE:
            return row.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.COLUMNS):
            self._sort_column = column
            self._descending = order == Qt.SortOrder.DescendingOrder
            self.reload()

    def row_of(self, entity_id: int) -> int | None:
        """The row of an entity among those loaded (loading more pages as needed)."""
        start = 0
        while True:
            for i in range(start, len(self._rows)):
                if self._rows[i].id == entity_id:
                    return i
            if not self.canFetchMore():
                return None
            start = len(self._rows)
            self.fetchMore()


class _RowsModel(QAbstractTableModel):
    """A table over a Python list of rows, one column per name in ``COLUMNS``."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None


class MentionsModel(_RowsModel):
    """The mentions of one entity with their sentences, in document order (pages of 500)."""

    COLUMNS = ("Document", "Sentence")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self._entity: int | None = None
        self._rows: list[queries.MentionRow] = []
        self._more = False

    def set_entity(self, case: Case | None, entity_id: int | None) -> None:
        self.beginResetModel()
        self._case, self._entity = case, entity_id
        self._rows = []
        self._more = False
        if case is not None and entity_id is not None:
            self._rows = queries.entity_mentions(case, entity_id, limit=500)
            self._more = len(self._rows) == 500
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._case is None or self._entity is None:
            return
        rows = queries.entity_mentions(self._case, self._entity, offset=len(self._rows), limit=500)
        self._more = len(rows) == 500
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def mention_at(self, row: int) -> queries.MentionRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        m = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return document_label(m.document_title, None, m.published)
            return m.sentence
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"<b>{html.escape(' '.join(m.text.split()))}</b> ({html.escape(m.status)})"
                f"<br>{html.escape(m.sentence)}"
            )
        if role == Qt.ItemDataRole.FontRole and m.status == "rejected":
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None


class CorrectionsModel(_RowsModel):
    """The case's standing decisions, newest first; revoked ones shown struck out."""

    COLUMNS = ("Correction", "Made")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[queries.CorrectionRow] = []

    def set_case(self, case: Case | None) -> None:
        self.beginResetModel()
        self._rows = [] if case is None else queries.corrections(case)
        self.endResetModel()

    def correction_at(self, row: int) -> queries.CorrectionRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return c.describe() + (" (revoked)" if c.revoked else "")
            return c.created_at[:16].replace("T", " ")
        if role == Qt.ItemDataRole.FontRole and c.revoked:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            state = (
                "revoked: later extraction ignores it"
                if c.revoked
                else ("every later extraction in this case applies it")
            )
            return f"{html.escape(c.describe())}<br><i>{state}</i>"
        return None


def _table(parent: QWidget, model: QAbstractTableModel, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    return view


class ProposalReview(QWidget):
    """One pending merge proposal at a time: the two entities side by side with a sentence of
    each; Accept (A), Reject (R) or Skip (S).

    Signals:
        accept_requested(object): merge the two entities of this ``ProposalRow``.
        reject_requested(object): the two are different things.
    """

    accept_requested = Signal(object)
    reject_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[queries.ProposalRow] = []
        self._at = 0
        self._skipped: set[int] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.position = QLabel(self)
        layout.addWidget(self.position)
        sides = QHBoxLayout()
        self.sides = (self._side_label(), self._side_label())
        for label in self.sides:
            sides.addWidget(label, 1)
        layout.addLayout(sides, 1)
        self.reason = QLabel(self)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        self.decision_actions: dict[str, QAction] = {}
        for name, text, key, tip in (
            ("accept", "&Accept", "A", "They are one entity: merge them (A)"),
            ("reject", "&Reject", "R", "They are different things (R)"),
            ("skip", "&Skip", "S", "Decide later (S)"),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(tip)
            action.setObjectName(f"proposal_{name}")
            self.addAction(action)
            self.decision_actions[name] = action
            button = QPushButton(text.replace("&", "") + f"  ({key})", self)
            button.setObjectName(f"proposal_{name}_button")
            button.setToolTip(tip)
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        decide = self.decision_actions
        decide["accept"].triggered.connect(lambda: self._decide(self.accept_requested))
        decide["reject"].triggered.connect(lambda: self._decide(self.reject_requested))
        decide["skip"].triggered.connect(self.skip)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._show()

    def _side_label(self) -> QLabel:
        label = QLabel(self)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setFrameShape(QFrame.Shape.StyledPanel)
        label.setMargin(6)
        return label

    def set_proposals(self, rows: list[queries.ProposalRow]) -> None:
        current = self.current()
        self._rows = rows
        ids = [r.id for r in rows]
        self._skipped &= set(ids)
        self._at = ids.index(current.id) if current is not None and current.id in ids else 0
        self._show()

    def current(self) -> queries.ProposalRow | None:
        return self._rows[self._at] if 0 <= self._at < len(self._rows) else None

    def skip(self) -> None:
        if self._rows:
            self._at = (self._at + 1) % len(self._rows)
            self._show()

    def _decide(self, signal: Any) -> None:
        row = self.current()
        if row is not None:
            signal.emit(row)

    def _show(self) -> None:
        row = self.current()
        for action in self.decision_actions.values():
            action.setEnabled(row is not None)
        if row is None:
            self.position.setText("No merge proposals to review.")
            for label in self.sides:
                label.setText("")
            self.reason.setText("")
            return
        self.position.setText(
            f"Proposal {self._at + 1} of {len(self._rows)}: are these one entity?"
        )
        for label, side in zip(self.sides, (row.a, row.b), strict=True):
            sentence = html.escape(side.sentence)
            name = html.escape(side.name)
            label.setText(
                f"<b>{name}</b> <span style='color:palette(mid)'>({html.escape(side.kind)})"
                f"</span><br>{side.mentions} mentions in {side.documents} documents"
                f"<p><i>“{sentence}”</i><br>"
                f"<span style='color:palette(mid)'>{html.escape(side.document_title)}</span></p>"
            )
        self.reason.setText(f"Why proposed: {row.reason} (score {row.score:.2f})")


ENTITY_ACTIONS = ("rename", "kind", "merge", "split", "reject")
SHORT_TEXTS = {
    "rename": "Rename",
    "kind": "Kind",
    "merge": "Merge",
    "split": "Split",
    "reject": "Not an Entity",
}


class EntitiesPanel(QWidget):
    """The Entities dock: filter by kind and text, a sortable list, and below it the selected
    entity's mentions, the review queue of merge proposals and the case's corrections.

    Signals:
        entity_action_requested(str action, object entity_ids): rename, kind, merge, split or
            reject the given entities (``ENTITY_ACTIONS``).
        mention_activated(int document_id, int start, int end): open a mention in the reader.
        proposal_accept_requested(object): a ``ProposalRow`` to merge.
        proposal_reject_requested(object): a ``ProposalRow`` to turn down.
        correction_revoke_requested(int): withdraw a correction by id.
    """

    entity_action_requested = Signal(str, object)
    mention_activated = Signal(int, int, int)
    proposal_accept_requested = Signal(object)
    proposal_reject_requested = Signal(object)
    correction_revoke_requested = Signal(int)

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self.model = EntitiesModel(None, self)
        self.mentions = MentionsModel(self)
        self.corrections = CorrectionsModel(self)
        self.entity_actions = actions
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem("All kinds", None)
        for kind in ENTITY_KINDS:
            swatch = QPixmap(12, 12)
            swatch.fill(kind_colour(kind))
            self.kind_combo.addItem(QIcon(swatch), KIND_LABELS.get(kind, kind), kind)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by name or spelling…")
        self.filter_edit.setClearButtonEnabled(True)
        top.addWidget(self.kind_combo)
        top.addWidget(self.filter_edit, 1)
        layout.addLayout(top)
        self.toolbar = QToolBar(self)
        self.toolbar.setIconSize(QSize(16, 16))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in ENTITY_ACTIONS:
            actions[name].setIconText(SHORT_TEXTS[name])
            self.toolbar.addAction(actions[name])
        layout.addWidget(self.toolbar)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.view = _table(splitter, self.model, "entitiesView")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        header.resizeSection(0, metrics.horizontalAdvance("Organisation") + 34)
        header.resizeSection(1, 150)
        for col in (3, 4):
            header.resizeSection(col, metrics.horizontalAdvance(EntitiesModel.COLUMNS[col]) + 20)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        self.tabs = QTabWidget(splitter)
        self.mentions_view = _table(self.tabs, self.mentions, "mentionsView")
        self.mentions_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.mentions_view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        self.mentions_view.horizontalHeader().resizeSection(0, 180)
        self.mentions_view.clicked.connect(self._on_mentions_view_clicked)
        self.mentions_view.activated.connect(self._on_mentions_view_clicked)
        self.review = ProposalReview(self.tabs)
        self.review.accept_requested.connect(self.proposal_accept_requested)
        self.review.reject_requested.connect(self.proposal_reject_requested)
        corrections_page = QWidget(self.tabs)
        corrections_layout = QVBoxLayout(corrections_page)
        corrections_layout.setContentsMargins(0, 0, 0, 0)
        self.corrections_view = _table(corrections_page, self.corrections, "correctionsView")
        self.corrections_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.corrections_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        corrections_layout.addWidget(self.corrections_view, 1)
        self.revoke_action = QAction("Re&voke Correction", self)
        self.revoke_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.revoke_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.revoke_action.setToolTip(
            "Withdraw the decision: later extraction no longer applies it (Delete)"
        )
        self.revoke_action.triggered.connect(self._revoke)
        self.corrections_view.addAction(self.revoke_action)
        revoke = QPushButton("Revoke", corrections_page)
        revoke.setObjectName("revokeButton")
        revoke.setToolTip(self.revoke_action.toolTip())
        revoke.clicked.connect(self._revoke)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(revoke)
        corrections_layout.addLayout(row)
        self.tabs.addTab(self.mentions_view, "Mentions")
        self.tabs.addTab(self.review, "Review queue")
        self.tabs.addTab(corrections_page, "Corrections")
        splitter.addWidget(self.view)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.status = QLabel(self)
        self.status.setObjectName("entitiesStatus")
        layout.addWidget(self.status)
        self._filter_timer = QTimer(self, singleShot=True, interval=200)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.kind_combo.currentIndexChanged.connect(self._apply_filter)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.model.modelReset.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)
        self.model.modelReset.connect(self._on_model_reset)

    # -- the case ------------------------------------------------------------------------------

    def set_case(self, case: Case | None, *, load: bool = True) -> None:
        """Show a case's entities (with ``load`` False, only when ``reload`` is called)."""
        self._case = case
        self.model.set_case(case if load else None)
        self.mentions.set_entity(case, None)
        self.reload_side()

    def reload(self) -> None:
        """Read the entities again after an edit, keeping the selection where it can."""
        if self.model.case is not self._case:
            self.model.set_case(self._case)
            self.reload_side()
            return
        selected = self.selected_ids()
        if self.model.refresh_rows():
            self._refresh_mentions()
        else:
            self.select_entities(selected)
        self.reload_side()

    def reload_side(self) -> None:
        """Read the review queue and the corrections list again."""
        case = self._case
        self.review.set_proposals([] if case is None else queries.proposals(case))
        self.corrections.set_case(case)
        pending = len(self.review._rows)
        self.tabs.setTabText(1, f"Review queue ({pending})" if pending else "Review queue")
        self._update_status()

    def _apply_filter(self) -> None:
        self.model.set_filter(
            kind=self.kind_combo.currentData(), text=self.filter_edit.text().strip()
        )

    def _update_status(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        more = f" (scroll for {total - shown:,} more)" if total > shown else ""
        noun = "entity" if total == 1 else "entities"
        self.status.setText(f"{total:,} {noun}{more}")

    def _on_model_reset(self) -> None:
        self.mentions.set_entity(self._case, None)
        self._update_actions()

    # -- selection -----------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows(0)})
        ids = []
        for row in rows:
            entity = self.model.entity_at(row)
            if entity is not None:
                ids.append(entity.id)
        return ids

    def selected(self) -> list[queries.EntityRow]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows(0)})
        return [e for e in (self.model.entity_at(r) for r in rows) if e is not None]

    def select_entities(self, ids: list[int]) -> None:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        first: int | None = None
        for entity_id in ids:
            row = self.model.row_of(entity_id)
            if row is not None:
                first = row if first is None else first
                selection.select(self.model.index(row, 0), self.model.index(row, 4))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.selectionModel().select(selection, flags)
        if first is not None:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(first, 1), QItemSelectionModel.SelectionFlag.NoUpdate
            )
            self.view.scrollTo(self.model.index(first, 1))

    def reveal_entity(self, entity_id: int) -> None:
        """Select one entity, clearing the filter first if it hides the entity."""
        if self.model.row_of(entity_id) is None and (
            self.filter_edit.text() or self.kind_combo.currentIndex() > 0
        ):
            self._filter_timer.stop()
            for widget in (self.filter_edit, self.kind_combo):
                widget.blockSignals(True)
            self.filter_edit.clear()
            self.kind_combo.setCurrentIndex(0)
            for widget in (self.filter_edit, self.kind_combo):
                widget.blockSignals(False)
            self._apply_filter()
        self.select_entities([entity_id])

    def _on_view_selection_changed(self, *_args: object) -> None:
        self._refresh_mentions()
        self._update_actions()

    def _refresh_mentions(self) -> None:
        ids = self.selected_ids()
        self.mentions.set_entity(self._case, ids[0] if len(ids) == 1 else None)
        if len(ids) == 1:
            self.tabs.setTabText(
                0,
                f"Mentions ({self.mentions.rowCount()}"
                f"{'+' if self.mentions.canFetchMore() else ''})",
            )
        else:
            self.tabs.setTabText(0, "Mentions")

    def _update_actions(self) -> None:
        n = len(self.selected_ids())
        a = self.entity_actions
        a["rename"].setEnabled(n == 1)
        a["kind"].setEnabled(n >= 1)
        a["merge"].setEnabled(n >= 2)
        a["split"].setEnabled(n == 1)
        a["reject"].setEnabled(n >= 1)

    def _on_view_context_menu_requested(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for name in ENTITY_ACTIONS:
            menu.addAction(self.entity_actions[name])
        self.context_menu = menu
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def _on_mentions_view_clicked(self, index: QModelIndex) -> None:
        mention = self.mentions.mention_at(index.row())
        if mention is not None:
            self.mention_activated.emit(mention.document_id, mention.start, mention.end)

    def _revoke(self) -> None:
        correction = self.corrections.correction_at(self.corrections_view.currentIndex().row())
        if correction is not None and not correction.revoked:
            self.correction_revoke_requested.emit(correction.id)

    def show_review(self) -> None:
        self.tabs.setCurrentWidget(self.review)
        self.review.setFocus()
