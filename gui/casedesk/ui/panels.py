"""The docked panels: sources, facts and case-wide search results."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from casedesk.ui.models import (
    DOC_ID_ROLE,
    ROW_ROLE,
    FactRow,
    FactsModel,
    SearchResultsModel,
    SourcesModel,
)
from casedesk.ui.safe_text import InertDocument


class SourcesPanel(QWidget):
    """The case's documents, sortable and filterable.

    Signals:
        document_selected(int): the user chose a document.
        properties_requested(int): the user asked to edit a document's properties.
    """

    document_selected = Signal(int)
    properties_requested = Signal(int)

    def __init__(self, model: SourcesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by title, publisher, date…")
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self, singleShot=True, interval=200)
        self._filter_timer.timeout.connect(lambda: self.model.set_filter(self.filter_edit.text()))
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        layout.addWidget(self.filter_edit)
        self.view = QTableView(self)
        self.view.setObjectName("sourcesView")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3, 4, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(5, 90)
        header.resizeSection(1, 78)
        header.resizeSection(2, 80)
        header.resizeSection(3, 38)
        header.resizeSection(4, 38)
        header.setHighlightSections(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # True while the view follows a document shown elsewhere: no document_selected then.
        self._following = False
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        layout.addWidget(self.view, 1)
        self.status = QLabel(self)
        self.status.setObjectName("sourcesStatus")
        layout.addWidget(self.status)
        model.modelReset.connect(self._update_status)
        model.rowsInserted.connect(self._update_status)

    def _update_status(self) -> None:
        shown, total = self.model.rowCount(), self.model._total
        more = f" (scroll for {total - shown} more)" if total > shown else ""
        noun = "document" if total == 1 else "documents"
        self.status.setText(f"{total} {noun}{more} · * date inferred")

    def _on_view_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following:
            return
        doc_id = self.model.doc_id(current.row()) if current.isValid() else None
        if doc_id is not None:
            self.document_selected.emit(doc_id)

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        doc_id = self.model.doc_id(index.row())
        if doc_id is not None:
            self.properties_requested.emit(doc_id)

    def current_document(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.doc_id(index.row()) if index.isValid() else None

    def select_document(self, doc_id: int) -> None:
        """Select the row of a document already shown (``document_selected`` is not emitted)."""
        self._following = True
        try:
            row = self.model.row_of(doc_id)
            if row is None and self.filter_edit.text():
                self.filter_edit.clear()
                self.model.set_filter("")
                row = self.model.row_of(doc_id)
            if row is not None and row != self.view.currentIndex().row():
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
        finally:
            self._following = False


class FactsPanel(QWidget):
    """Facts grouped by kind, for the selected document or the whole case.

    Signals:
        fact_activated(object): a ``FactRow`` the user selected (the reader shows its span).
    """

    fact_activated = Signal(object)

    def __init__(
        self, model: FactsModel, actions: list[QAction | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(QLabel("Show facts of:"))
        self.scope = QComboBox(self)
        self.scope.addItems(["This document", "The whole case"])
        self.scope.currentIndexChanged.connect(self._on_scope_current_index_changed)
        top.addWidget(self.scope, 1)
        # The filter: only the facts the sources disagree on (the Disputed group).
        self.disputed_only = QCheckBox("&Disputed only", self)
        self.disputed_only.setToolTip("Show only the facts the sources disagree on")
        self.disputed_only.toggled.connect(self.model.set_disputed_only)
        top.addWidget(self.disputed_only)
        layout.addLayout(top)
        self.toolbar = QToolBar(self)
        self.toolbar.setIconSize(QSize(16, 16))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for action in actions:
            if action is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(action)
        layout.addWidget(self.toolbar)
        self.view = QTreeView(self)
        self.view.setObjectName("factsView")
        self.view.setModel(model)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAllColumnsShowFocus(True)
        self.view.setHeaderHidden(False)
        header = self.view.header()
        header.setStretchLastSection(False)
        # The text keeps a fixed width the user can drag; the value takes what is left (values
        # such as full organisation names are the longest), the status is one symbol wide.
        self.view.setIndentation(14)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 150)
        header.resizeSection(2, 80)
        header.resizeSection(3, 26)
        header.setSectionHidden(4, True)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        # A click on the current fact shows it again (the reader may have scrolled away).
        self.view.clicked.connect(lambda index: self._on_view_current_changed(index, index))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        self._menu_actions = actions
        layout.addWidget(self.view, 1)
        model.reloaded.connect(self._on_model_reloaded)
        model.dataChanged.connect(lambda *_: self._span_groups())

    def _on_model_reloaded(self) -> None:
        self._span_groups()
        self.expand_kinds()

    def expand_kinds(self) -> None:
        """Open every kind's list (a group of one entity's mentions stays closed)."""
        for row in range(self.model.rowCount()):
            self.view.expand(self.model.index(row, 0))

    def _span_groups(self) -> None:
        # A kind's heading ("Organisations (12)") reads across the whole row.
        for row in range(self.model.rowCount()):
            self.view.setFirstColumnSpanned(row, QModelIndex(), True)

    def _on_scope_current_index_changed(self, index: int) -> None:
        self.model.set_whole_case(index == 1)
        self.view.header().setSectionHidden(4, index != 1)

    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        fact = self.model.fact_at(current)
        if fact is not None:
            self.fact_activated.emit(fact)

    def _on_view_context_menu_requested(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for action in self._menu_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def selected_facts(self) -> list[FactRow]:
        """The selected facts; a selected group of an entity's mentions stands for all of
        them."""
        rows = []
        seen = set()
        for index in self.view.selectionModel().selectedRows(0):
            group = self.model.group_at(index)
            facts = self.model.group_members(index) if group is not None else []
            if group is None:
                fact = self.model.fact_at(index)
                facts = [fact] if fact is not None else []
            for fact in facts:
                if fact.id not in seen:
                    seen.add(fact.id)
                    rows.append(fact)
        if not rows:
            current = self.view.currentIndex()
            if self.model.group_at(current) is not None:
                rows.extend(self.model.group_members(current))
            else:
                fact = self.model.fact_at(current)
                if fact is not None:
                    rows.append(fact)
        return rows

    def select_fact(self, fact_id: int) -> bool:
        index = self.model.find_fact(fact_id)
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.view.expand(parent)
            parent = parent.parent()
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True


class SnippetDelegate(QStyledItemDelegate):
    """Draws a search hit as a bold title over a snippet with the match in bold."""

    def _document(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QTextDocument:
        title, snippet = index.data(ROW_ROLE)
        body = html.escape(snippet).replace("[", "<b><u>").replace("]", "</u></b>")
        doc = InertDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(f"<b>{html.escape(title)}</b><br><span>{body}</span>")
        doc.setTextWidth(max(option.rect.width(), 200))
        return doc

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        option.text = ""
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        doc = self._document(option, index)
        painter.save()
        painter.translate(option.rect.topLeft())
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 4)


class SearchPanel(QWidget):
    """Case-wide full-text search with snippets.

    Signals:
        hit_activated(int, str): open document (id) with the query's terms marked.
    """

    hit_activated = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SearchResultsModel(self)
        self._search = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText('Search the case: words, "a phrase", prefix*')
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit)
        self.view = QListView(self)
        self.view.setObjectName("searchResults")
        self.view.setModel(self.model)
        self.view.setItemDelegate(SnippetDelegate(self.view))
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.activated.connect(self._on_view_activated)
        self.view.clicked.connect(self._on_view_activated)
        layout.addWidget(self.view, 1)
        self.status = QLabel(self)
        layout.addWidget(self.status)

    def show_results(self, query: str, hits: list) -> None:  # type: ignore[type-arg]
        self.model.set_results(query, hits)
        self.status.setText(
            f"{len(hits)} document{'s' if len(hits) != 1 else ''} match" if query else ""
        )

    def _on_view_activated(self, index: QModelIndex) -> None:
        doc_id = index.data(DOC_ID_ROLE)
        if doc_id is not None:
            self.hit_activated.emit(int(doc_id), self.model.query)
