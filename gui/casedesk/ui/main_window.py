"""The main window: sources, reader, facts, timeline and search around one open case."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import casedesk
from casedesk import edits
from casedesk.damage import CASE_DATA_ERRORS, explain
from casedesk.safe_html import plain_tooltip
from casedesk.store import FACT_KINDS, SUFFIX, Case, CaseError, describe_error
from casedesk.ui.actions import ActionId, ActionRegistry
from casedesk.ui.colours import KIND_NAMES
from casedesk.ui.commands import Commands, DocumentPropertiesCommand, WorkerPropertiesCommand
from casedesk.ui.dialogs import (
    AddFactDialog,
    AnnotationDialog,
    EntityPickerDialog,
    PropertiesDialog,
    SplitDialog,
    TagsDialog,
    swatch,
)
from casedesk.ui.disputes_view import DisputesController
from casedesk.ui.models import FactRow, FactsModel, SourcesModel
from casedesk.ui.operations import facts as fact_ops
from casedesk.ui.panels import FactsPanel, SearchPanel, SourcesPanel
from casedesk.ui.reader import DocumentReader, FindBar, KindLegend
from casedesk.ui.safe_text import inert
from casedesk.ui.settings import Settings
from casedesk.ui.signals import CaseSignals
from casedesk.ui.worker import BackupWorker, ImportSummary, ImportWorker, PropertiesWorker

# How often the window looks for changes another program made to the open case.
CHANGE_POLL_MS = 500
CASE_FILTER = f"Casedesk cases (*{SUFFIX});;All files (*)"


def import_filter() -> str:
    """The Import dialog's filter: every suffix a reader is registered for."""
    from casedesk.ingest.readers import SUFFIXES

    patterns = " ".join(f"*{s}" for s in sorted(SUFFIXES))
    return f"Documents ({patterns});;All files (*)"


def _part_of(case: Case, doc: dict[str, Any]) -> list[str]:
    """What the header adds for an e-mail (its recipients) and an attachment (its message)."""
    parts: list[str] = []
    try:
        attrs = json.loads(doc.get("attrs") or "null")
    except (TypeError, ValueError):
        attrs = None
    to = attrs.get("to") if isinstance(attrs, dict) else None
    if isinstance(to, list) and to:
        names = [str(x).split(" <")[0] for x in to[:3]]
        parts.append("to " + ", ".join(names) + (f" and {len(to) - 3} more" if len(to) > 3 else ""))
    parent = doc.get("parent_id")
    if parent is not None:
        row = case.conn.execute(
            "SELECT coalesce(title, file_name) FROM documents WHERE id = ?", (parent,)
        ).fetchone()
        if row is not None:
            parts.append(f"attached to “{row[0]}”")
    return parts


class MainWindow(QMainWindow):
    """Casedesk's one window.

    Signals:
        case_opened(object): a ``Case`` is now shown (None when the window holds no case).
        work_finished(object): an import or extraction run finished (its ``ImportSummary``).
    """

    case_opened = Signal(object)
    work_finished = Signal(object)

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.case: Case | None = None
        self.commands: Commands | None = None
        self.worker: ImportWorker | PropertiesWorker | None = None
        self._lost = False
        self._current_tag: int | None = None
        self.signals = CaseSignals(self)
        self.undo_stack = QUndoStack(self)
        self.registry = ActionRegistry(self)
        self.setWindowTitle("Casedesk")
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_watcher_file_changed)
        # Changes another program (another window, the command line) makes to the case: SQLite
        # counts them in ``PRAGMA data_version``, read every ``CHANGE_POLL_MS``.
        self._data_version: int | None = None
        self._change_timer = QTimer(self)
        self._change_timer.setInterval(CHANGE_POLL_MS)
        self._change_timer.timeout.connect(self.check_other_changes)
        # The daily backup: looked for soon after a case opens, and every hour while it is.
        self._backup_worker: BackupWorker | None = None
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self.backup_if_due)
        self._build_centre()
        self._build_docks()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect()
        self._update_actions()
        self.resize(1280, 800)
        if self.settings.geometry is not None:
            self.restoreGeometry(self.settings.geometry)
        if self.settings.window_state is not None:
            self.restoreState(self.settings.window_state)
        hidden = self.settings.hidden_kinds & set(FACT_KINDS)
        self.legend.set_hidden(hidden)
        self.reader.set_hidden_kinds(hidden)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(lambda _state: self.check_case_file())

    # -- building ---------------------------------------------------------------------------

    def _build_centre(self) -> None:
        centre = QWidget(self)
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.doc_header = QLabel(centre)
        self.doc_header.setObjectName("documentHeader")
        self.doc_header.setWordWrap(True)
        self.doc_header.setContentsMargins(12, 8, 12, 4)
        self.doc_header.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.doc_header)
        self.legend = KindLegend(centre)
        layout.addWidget(self.legend)
        self.reader = DocumentReader(centre)
        layout.addWidget(self.reader, 1)
        self.find_bar = FindBar(self.reader, centre)
        self.find_bar.hide()
        layout.addWidget(self.find_bar)
        self.setCentralWidget(centre)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        a = self.registry
        self.sources_model = SourcesModel(None, self)
        self.sources_panel = SourcesPanel(self.sources_model, self)
        self.sources_panel.view.addAction(a[ActionId.PROPERTIES])
        self.sources_dock = self._dock(
            "Sources", "sourcesDock", self.sources_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.search_panel = SearchPanel(self)
        self.search_dock = self._dock(
            "Search", "searchDock", self.search_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.tabifyDockWidget(self.sources_dock, self.search_dock)
        self._build_entities_dock()
        self.sources_dock.raise_()
        self.facts_model = FactsModel(None, self)
        fact_actions: list[QAction | None] = [
            a[ActionId.CONFIRM_FACT],
            a[ActionId.REJECT_FACT],
            a[ActionId.EDIT_FACT_VALUE],
            a[ActionId.CHANGE_FACT_KIND],
            None,
            a[ActionId.MERGE_ENTITIES],
            a[ActionId.SPLIT_ENTITY],
            None,
            a[ActionId.DELETE_FACT],
        ]
        self.facts_panel = FactsPanel(self.facts_model, fact_actions, self)
        self.facts_dock = self._dock(
            "Facts", "factsDock", self.facts_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.timeline: Any = None
        self.timeline_dock = self._dock(
            "Timeline",
            "timelineDock",
            self._make_timeline(),
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self._build_connections_dock()
        self._default_sizes_pending = True

    ENTITY_ACTIONS = {
        "rename": ActionId.RENAME_ENTITY,
        "kind": ActionId.ENTITY_KIND,
        "merge": ActionId.MERGE_SELECTED,
        "split": ActionId.SPLIT_SELECTED,
        "reject": ActionId.NOT_AN_ENTITY,
    }

    def _build_entities_dock(self) -> None:
        from casedesk.ui.entities_view import EntitiesPanel
        from casedesk.ui.entity_editor import EntityEditor

        actions = {name: self.registry[aid] for name, aid in self.ENTITY_ACTIONS.items()}
        self.entities_panel = EntitiesPanel(actions, self)
        self.entities_dock = self._dock(
            "Entities", "entitiesDock", self.entities_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.tabifyDockWidget(self.sources_dock, self.entities_dock)
        self.entity_editor = EntityEditor(self)
        self._entities_stale = False
        panel = self.entities_panel
        panel.mention_activated.connect(self._on_entities_panel_mention_activated)
        panel.proposal_accept_requested.connect(self.entity_editor.accept_proposal)
        panel.proposal_reject_requested.connect(self.entity_editor.reject_proposal)
        panel.correction_revoke_requested.connect(self.entity_editor.revoke)
        self.entities_dock.visibilityChanged.connect(self._on_entities_dock_visibility_changed)
        panel.view.selectionModel().selectionChanged.connect(
            lambda *_: self._on_entities_panel_selection_changed()
        )

    def _build_connections_dock(self) -> None:
        # The panel (and numpy, which lays it out) is made when the dock is first shown.
        self.connections_panel: Any = None
        self.connections_dock = self._dock(
            "Connections",
            "connectionsDock",
            QWidget(self),
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self.tabifyDockWidget(self.timeline_dock, self.connections_dock)
        self.timeline_dock.raise_()
        self.connections_dock.visibilityChanged.connect(
            self._on_connections_dock_visibility_changed
        )

    def _connections(self) -> Any:
        """The Connections panel, made on first use."""
        if self.connections_panel is None:
            from casedesk.ui.network_view import ConnectionsPanel

            panel = ConnectionsPanel(self)
            panel.active = False
            panel.entity_selected.connect(self.select_entity)
            panel.link_activated.connect(self._on_connections_panel_link_activated)
            self.connections_dock.setWidget(panel)
            self.connections_panel = panel
            panel.set_case(self.case)
        return self.connections_panel

    def _on_connections_dock_visibility_changed(self, visible: bool) -> None:
        if self.connections_panel is not None:
            self.connections_panel.set_active(visible)
        elif visible:
            # After the window's first paint (a dock left open is shown during start-up).
            QTimer.singleShot(
                0, lambda: self._connections().set_active(self.connections_dock.isVisible())
            )

    def _reload_connections(self) -> None:
        if self.connections_panel is not None:
            self.connections_panel.reload()

    def show_connections(self) -> None:
        """Show the Connections dock, tall enough to read (it shares the bottom with the
        timeline)."""
        dock = self.connections_dock
        panel = self._connections()
        dock.show()
        dock.raise_()
        panel.set_active(True)
        if not dock.isFloating() and dock.height() < self.height() * 0.4:
            self.resizeDocks([dock], [int(self.height() * 0.45)], Qt.Orientation.Vertical)
        panel.view.setFocus()

    def select_entity(self, entity_id: int) -> None:
        """Select an entity everywhere it is shown: in the Entities view (whose filter is
        cleared if it hides the entity), in the Facts panel when the document names it, and
        in the Connections view."""
        if self.case is None:
            return
        panel = self.entities_panel
        if self._entities_stale:
            self._entities_stale = False
            panel.reload()
        panel.reveal_entity(entity_id)
        if self.connections_panel is not None:
            self.connections_panel.select_entity(entity_id)
        doc_id = self.reader.document_id
        if doc_id is not None:
            from casedesk import queries

            fact_id = queries.first_mention_in(self.case, doc_id, entity_id)
            if fact_id is not None:
                self.facts_panel.select_fact(fact_id)
        found = panel.selected()
        if found:
            self.statusBar().showMessage(
                f"{found[0].name}: {found[0].mentions} mentions in {found[0].documents} documents",
                6000,
            )

    def _on_connections_panel_link_activated(self, doc_id: int, start: int, end: int) -> None:
        self.open_span(doc_id, start, end)
        self.reader.setFocus()

    def _on_entities_panel_selection_changed(self) -> None:
        if self.connections_panel is None:
            return
        ids = self.entities_panel.selected_ids()
        self.connections_panel.select_entity(ids[0] if len(ids) == 1 else None)

    def _make_timeline(self) -> QWidget:
        try:
            from casedesk.ui.timeline_view import TimelinePanel
        except ImportError as exc:
            label = QLabel(f"The timeline is not available in this build ({exc}).")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return label
        from casedesk.ui.timeline_editor import TimelineEditor

        self.timeline = TimelinePanel(self)
        self.timeline.event_activated.connect(self._on_timeline_event_activated)
        self.timeline_editor = TimelineEditor(self)
        self.timeline.edit_requested.connect(self.timeline_editor.handle)
        return self.timeline  # type: ignore[no-any-return]

    def _build_menus(self) -> None:
        a = self.registry
        bar = self.menuBar()
        case_menu = bar.addMenu("&Case")
        case_menu.addAction(a[ActionId.NEW_CASE])
        case_menu.addAction(a[ActionId.OPEN_CASE])
        self.recent_menu = case_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._add_actions(
            case_menu,
            (
                None,
                ActionId.IMPORT,
                ActionId.EXPORT,
                ActionId.EXPORT_BRIEF,
                None,
                ActionId.BACKUP_NOW,
                ActionId.RESTORE_BACKUP,
                None,
                ActionId.PROPERTIES,
                None,
                ActionId.QUIT,
            ),
        )
        self._add_actions(
            bar.addMenu("&Edit"),
            (
                ActionId.UNDO,
                ActionId.REDO,
                None,
                ActionId.FIND,
                ActionId.SEARCH_CASE,
                None,
                ActionId.MANAGE_TAGS,
            ),
        )
        self._add_actions(
            bar.addMenu("&Annotate"),
            (
                ActionId.TAG_SELECTION,
                ActionId.NOTE_SELECTION,
                ActionId.FACT_FROM_SELECTION,
                ActionId.EVENT_FROM_SELECTION,
                None,
                ActionId.EDIT_ANNOTATION,
                ActionId.DELETE_ANNOTATION,
            ),
        )
        self.tag_menu = QMenu("Highlight with Tag", self)
        self.tag_menu.aboutToShow.connect(self._fill_tag_menu)
        a[ActionId.TAG_SELECTION].setMenu(self.tag_menu)

        self._add_actions(
            bar.addMenu("&Facts"),
            (
                ActionId.CONFIRM_FACT,
                ActionId.REJECT_FACT,
                ActionId.EDIT_FACT_VALUE,
                ActionId.CHANGE_FACT_KIND,
                ActionId.DELETE_FACT,
                None,
                ActionId.MERGE_ENTITIES,
                ActionId.SPLIT_ENTITY,
                None,
                ActionId.SHOW_DISPUTES,
            ),
        )

        self._add_actions(
            bar.addMenu("E&ntity"),
            (
                ActionId.RENAME_ENTITY,
                ActionId.ENTITY_KIND,
                ActionId.MERGE_SELECTED,
                ActionId.SPLIT_SELECTED,
                ActionId.NOT_AN_ENTITY,
                None,
                ActionId.REVIEW_PROPOSALS,
                ActionId.SHOW_ENTITIES,
            ),
        )

        view_menu = bar.addMenu("&View")
        for dock in (
            self.sources_dock,
            self.entities_dock,
            self.search_dock,
            self.facts_dock,
            self.timeline_dock,
            self.connections_dock,
        ):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(a[ActionId.SHOW_ENTITIES])
        view_menu.addAction(a[ActionId.SHOW_CONNECTIONS])
        view_menu.addSeparator()
        view_menu.addAction(a[ActionId.FIT_TIMELINE])

        if self.timeline is not None:
            timeline_menu = bar.addMenu("&Timeline")
            for name, action in self.timeline.item_actions.items():
                if name == "add":
                    timeline_menu.addSeparator()
                timeline_menu.addAction(action)
            timeline_menu.addAction(a[ActionId.EVENT_FROM_SELECTION])
            timeline_menu.addSeparator()
            timeline_menu.addAction(a[ActionId.FIT_TIMELINE])

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(a[ActionId.ABOUT])

        self.reader.set_selection_actions(
            [
                a[ActionId.TAG_SELECTION],
                a[ActionId.NOTE_SELECTION],
                a[ActionId.FACT_FROM_SELECTION],
                a[ActionId.EVENT_FROM_SELECTION],
            ]
        )
        self.reader.set_annotation_actions(
            [a[ActionId.EDIT_ANNOTATION], a[ActionId.DELETE_ANNOTATION]]
        )
        delete_annotation = QAction(self.reader)
        delete_annotation.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_annotation.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_annotation.triggered.connect(self._delete_annotation)
        self.reader.addAction(delete_annotation)
        reject_key = QAction(self.facts_panel.view)
        reject_key.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        reject_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        reject_key.triggered.connect(lambda: self._set_status("rejected"))
        self.facts_panel.view.addAction(reject_key)

    def _add_actions(self, target: QMenu | QToolBar, ids: Sequence[ActionId | None]) -> None:
        """The registry's actions in order, ``None`` for a separator."""
        for action_id in ids:
            if action_id is None:
                target.addSeparator()
            else:
                target.addAction(self.registry[action_id])

    def _build_toolbar(self) -> None:
        a = self.registry
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("mainToolbar")
        bar.setIconSize(QSize(20, 20))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._add_actions(
            bar,
            (
                ActionId.OPEN_CASE,
                ActionId.IMPORT,
                ActionId.EXPORT,
                None,
                ActionId.UNDO,
                ActionId.REDO,
                None,
                ActionId.SEARCH_CASE,
                None,
                ActionId.TAG_SELECTION,
                ActionId.NOTE_SELECTION,
                ActionId.FACT_FROM_SELECTION,
            ),
        )
        button = bar.widgetForAction(a[ActionId.TAG_SELECTION])
        if isinstance(button, QToolButton):
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self._pending_progress: tuple[int, int, str] | None = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_INTERVAL_MS)
        self._progress_timer.timeout.connect(self._show_progress)
        self.progress_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel_work)
        for widget in (self.progress_label, self.progress, self.cancel_button):
            status.addPermanentWidget(widget)
            widget.hide()
        self.proposals_label = QLabel(self)
        self.proposals_label.setObjectName("proposalsLabel")
        self.proposals_label.setTextFormat(Qt.TextFormat.RichText)
        self.proposals_label.setToolTip("Merge proposals to review (Ctrl+Shift+R)")
        self.proposals_label.linkActivated.connect(lambda _link: self.review_proposals())
        status.addPermanentWidget(self.proposals_label)
        self.proposals_label.hide()

    def _connect(self) -> None:
        a = self.registry
        handlers: dict[ActionId, Callable[[], Any]] = {
            ActionId.NEW_CASE: self.new_case,
            ActionId.OPEN_CASE: self.open_case_dialog,
            ActionId.IMPORT: self.import_dialog,
            ActionId.EXPORT: self.export_summary,
            ActionId.EXPORT_BRIEF: self.export_brief,
            ActionId.BACKUP_NOW: self.backup_now,
            ActionId.RESTORE_BACKUP: self.restore_backup_dialog,
            ActionId.PROPERTIES: self.edit_properties,
            ActionId.QUIT: self.close,
            ActionId.UNDO: self.undo,
            ActionId.REDO: self.redo,
            ActionId.FIND: self.find_bar.open_bar,
            ActionId.SEARCH_CASE: self.focus_search,
            ActionId.MANAGE_TAGS: self.manage_tags,
            ActionId.TAG_SELECTION: lambda: self.tag_selection(None),
            ActionId.NOTE_SELECTION: self.note_selection,
            ActionId.FACT_FROM_SELECTION: self.fact_from_selection,
            ActionId.EVENT_FROM_SELECTION: self.event_from_selection,
            ActionId.EDIT_ANNOTATION: lambda: self._edit_annotation(None),
            ActionId.DELETE_ANNOTATION: self._delete_annotation,
            ActionId.CONFIRM_FACT: lambda: self._set_status("confirmed"),
            ActionId.REJECT_FACT: lambda: self._set_status("rejected"),
            ActionId.EDIT_FACT_VALUE: self.edit_fact_value,
            ActionId.CHANGE_FACT_KIND: self.change_fact_kind,
            ActionId.DELETE_FACT: self.delete_fact,
            ActionId.MERGE_ENTITIES: self.merge_entities,
            ActionId.SPLIT_ENTITY: self.split_entity,
            ActionId.FIT_TIMELINE: self._fit_timeline,
            ActionId.SHOW_ENTITIES: self.show_entities,
            ActionId.SHOW_DISPUTES: lambda: self.disputes.show_dialog(),
            ActionId.SHOW_CONNECTIONS: self.show_connections,
            ActionId.REVIEW_PROPOSALS: self.review_proposals,
            **{
                aid: partial(self._entity_action, name) for name, aid in self.ENTITY_ACTIONS.items()
            },
            ActionId.ABOUT: self.about,
        }
        for action_id, handler in handlers.items():
            a[action_id].triggered.connect(lambda _checked=False, h=handler: h())
        self.undo_stack.canUndoChanged.connect(a[ActionId.UNDO].setEnabled)
        self.undo_stack.canRedoChanged.connect(a[ActionId.REDO].setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda t: a[ActionId.UNDO].setText(f"&Undo {t}" if t else "&Undo")
        )
        self.undo_stack.redoTextChanged.connect(
            lambda t: a[ActionId.REDO].setText(f"&Redo {t}" if t else "&Redo")
        )
        self.sources_panel.document_selected.connect(self.show_document)
        self.sources_panel.properties_requested.connect(self.edit_properties)
        self.facts_panel.fact_activated.connect(self._on_facts_panel_fact_activated)
        self.facts_panel.view.selectionModel().selectionChanged.connect(
            lambda *_: self._update_actions()
        )
        self.facts_model.modelReset.connect(self._update_actions)
        self.reader.text_selected.connect(lambda _: self._update_actions())
        self.reader.cursorPositionChanged.connect(self._update_actions)
        self.legend.hidden_kinds_changed.connect(self._on_legend_hidden_kinds_changed)
        self.reader.fact_clicked.connect(self._on_reader_fact_clicked)
        self.reader.annotation_edit_requested.connect(self._edit_annotation)
        self.search_panel.edit.returnPressed.connect(self.search_case)
        self.search_panel.hit_activated.connect(self._on_search_panel_hit_activated)
        s = self.signals
        s.facts_changed.connect(self._on_facts_changed)
        s.annotations_changed.connect(self._on_annotations_changed)
        s.tags_changed.connect(self.reader.reload_annotations)
        s.documents_changed.connect(self._on_documents_changed)
        s.entities_changed.connect(self._reload_timeline)
        s.timeline_changed.connect(self._reload_timeline)
        s.entities_changed.connect(self._on_entities_changed)
        s.corrections_changed.connect(self._on_corrections_changed)
        # Where the sources disagree: the Facts panel's Disputed group, the timeline's marks,
        # the Disputed Facts dialog.
        self.disputes = DisputesController(self)
        for changed in (
            s.facts_changed,
            s.entities_changed,
            s.timeline_changed,
            s.documents_changed,  # a document's date dates its claims
        ):
            changed.connect(lambda *_: self._reload_connections())

    # -- the open case --------------------------------------------------------------------------

    def open_case(self, path: Path) -> bool:
        """Open a case file; on failure show why and keep the current case."""
        try:
            case = Case.open(path)
        except CaseError as exc:
            QMessageBox.warning(self, "Cannot open case", inert(str(exc)))
            self.settings.forget_recent(path)
            return False
        try:
            self.set_case(case)
        except CASE_DATA_ERRORS as exc:
            # Content another program left that the views cannot read (see casedesk.damage).
            self.set_case(None)
            QMessageBox.warning(self, "Cannot open case", inert(explain(path, exc)))
            self.settings.forget_recent(path)
            return False
        if case.notices:
            box = QMessageBox(QMessageBox.Icon.Warning, "Case opened", "", parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setText("\n\n".join(case.notices))
            box.open()
        QTimer.singleShot(RESUME_DELAY_MS, self, self._resume_extraction)
        return True

    def _resume_extraction(self) -> None:
        """Extract, in the background once the window has painted, the documents that were
        imported but never extracted (Casedesk was closed or killed during an import) and those
        extracted by another version of the extractor (its code, data or language model
        changed). Every user decision is kept; Cancel leaves the rest for the next opening."""
        if self.case is None or self.worker is not None or not self.isVisible():
            return
        from casedesk.extract.version import extractor_version  # no language model needed

        current = extractor_version()
        ids: list[int] = []
        outdated = 0
        for doc_id, extractor in self.case.conn.execute(
            "SELECT id, extractor FROM documents WHERE extractor IS NULL OR extractor != ? "
            "ORDER BY id",
            (current,),
        ):
            ids.append(int(doc_id))
            outdated += extractor is not None
        if not ids:
            return
        label = "Extracting facts"
        if outdated:
            label = "Updating facts to this version of Casedesk"
            # Short: the progress label and bar share the status bar with it.
            self.statusBar().showMessage(
                f"{outdated} document(s) from another version; your decisions are kept.", 10000
            )
        self.start_work(
            ImportWorker(self.case.path, extract_ids=ids, extract_label=label, parent=self)
        )

    def set_case(self, case: Case | None) -> None:
        self.cancel_work(wait=True)
        if self._backup_worker is not None:
            self._backup_worker.wait()  # a daily backup takes seconds at most
        if self.case is not None:
            if self._watcher.files():
                self._watcher.removePaths(self._watcher.files())
            self.case.close()
        self.case = case
        self._lost = False
        self._data_version = None
        self.undo_stack.clear()
        self.reader.clear_document()
        self.find_bar.hide()
        self.search_panel.show_results("", [])
        self.commands = None
        if case is not None:
            self.commands = Commands(
                case, self.undo_stack, self.signals, self._on_command_error, self._on_stale_step
            )
            self.commands.run_in_worker = self._run_properties_worker
            self.settings.add_recent(case.path)
            self._watcher.addPath(str(case.path))
            self.setWindowTitle(f"{case.name} — Casedesk")
            self.setWindowFilePath(str(case.path))
            self._change_timer.start()
            self._backup_timer.start()
            QTimer.singleShot(BACKUP_DELAY_MS, self, self.backup_if_due)
        else:
            self.setWindowTitle("Casedesk")
            self._change_timer.stop()
            self._backup_timer.stop()
        self.sources_model.set_case(case)
        self.facts_model.set_case(case)
        self.disputes.set_case(case)
        # The entities are read when the Entities view is first shown (counting the mentions
        # of a large case's entities takes a moment, and the view starts behind Sources).
        shown = self._entities_shown()
        self.entities_panel.set_case(case, load=shown)
        self._entities_stale = case is not None and not shown
        self._update_proposals_label()
        if self.timeline is not None:
            self.timeline.set_case(case)
        if self.connections_panel is not None:
            self.connections_panel.set_case(case)
        self._update_header()
        self._update_actions()
        self.case_opened.emit(case)
        if case is not None and self.sources_model.rowCount() > 0:
            last = self.settings.last_document(case.path)
            if last is not None and self.sources_model.row_of(last) is not None:
                self.show_document(last)
            else:
                self.sources_panel.view.selectRow(0)

    def show_document(self, doc_id: int) -> None:
        if self.case is None:
            return
        try:
            self._show_document(doc_id)
        except CASE_DATA_ERRORS as exc:
            self._unreadable("Cannot show the document", exc)

    def _unreadable(self, title: str, exc: BaseException) -> None:
        """Content another program left that a view cannot read: say which file and what."""
        path = self.case.path if self.case is not None else ""
        QMessageBox.warning(self, title, inert(explain(path, exc)))

    def _show_document(self, doc_id: int) -> None:
        assert self.case is not None
        self.reader.show_document(self.case, doc_id)
        self.settings.set_last_document(self.case.path, doc_id)
        self.facts_model.set_document(doc_id)
        self.sources_panel.select_document(doc_id)
        if self.timeline is not None:
            self.timeline.highlight_document(doc_id)
        if self.find_bar.isVisible():
            self.find_bar.refresh()
        self._update_header()
        self._update_actions()

    def _update_header(self) -> None:
        doc_id = self.reader.document_id
        if self.case is None:
            self.doc_header.setText(
                "<h3>No case open</h3>Use Case ▸ New or Open, or drop a case file here."
            )
            return
        if doc_id is None:
            count = self.sources_model._total
            self.doc_header.setText(
                f"<h3>{_esc(self.case.name)}</h3>"
                + (
                    "Choose a document in Sources."
                    if count
                    else "Importing documents…"
                    if self.worker is not None
                    else "This case has no documents yet: Case ▸ Import, or drop files here."
                )
            )
            return
        doc = self.case.document(doc_id)
        date = doc["published"] or "no date"
        if doc["published"] and doc["published_inferred"]:
            date += " (inferred)"
        parts = [p for p in (doc["publisher"], date, doc["file_name"]) if p]
        parts += _part_of(self.case, doc)
        self.doc_header.setText(
            f"<span style='font-size:13pt; font-weight:600'>"
            f"{_esc(doc['title'] or doc['file_name'])}</span><br>"
            f"<span style='color:palette(mid)'>{_esc(' · '.join(parts))}</span>"
        )

    def _update_actions(self) -> None:
        a = self.registry
        has_case = self.case is not None and not self._lost
        has_doc = has_case and self.reader.document_id is not None
        has_sel = has_doc and self.reader.selected_span() is not None
        facts = self.facts_panel.selected_facts() if has_case else []
        with_entity = [f for f in facts if f.entity_id is not None]
        for action_id in (
            ActionId.IMPORT,
            ActionId.EXPORT,
            ActionId.EXPORT_BRIEF,
            ActionId.BACKUP_NOW,
            ActionId.RESTORE_BACKUP,
            ActionId.SEARCH_CASE,
            ActionId.MANAGE_TAGS,
            ActionId.SHOW_DISPUTES,
        ):
            a[action_id].setEnabled(has_case)
        a[ActionId.PROPERTIES].setEnabled(has_doc)
        a[ActionId.FIND].setEnabled(has_doc)
        for action_id in (
            ActionId.TAG_SELECTION,
            ActionId.NOTE_SELECTION,
            ActionId.FACT_FROM_SELECTION,
        ):
            a[action_id].setEnabled(has_sel)
        a[ActionId.EVENT_FROM_SELECTION].setEnabled(has_sel and self.timeline is not None)
        on_annotation = has_doc and self.reader.annotation_under_cursor() is not None
        a[ActionId.EDIT_ANNOTATION].setEnabled(on_annotation)
        a[ActionId.DELETE_ANNOTATION].setEnabled(on_annotation)
        a[ActionId.CONFIRM_FACT].setEnabled(bool(facts))
        a[ActionId.REJECT_FACT].setEnabled(bool(facts))
        a[ActionId.DELETE_FACT].setEnabled(len(facts) == 1)
        a[ActionId.EDIT_FACT_VALUE].setEnabled(len(facts) == 1)
        a[ActionId.CHANGE_FACT_KIND].setEnabled(bool(facts))
        a[ActionId.MERGE_ENTITIES].setEnabled(bool(with_entity))
        a[ActionId.SPLIT_ENTITY].setEnabled(len(with_entity) == 1)
        a[ActionId.FIT_TIMELINE].setEnabled(self.timeline is not None and has_case)
        a[ActionId.UNDO].setEnabled(self.undo_stack.canUndo())
        a[ActionId.REDO].setEnabled(self.undo_stack.canRedo())

    # -- refreshing from the case's signals -------------------------------------------------------

    def _on_facts_changed(self, doc_id: int) -> None:
        current = self.facts_panel.selected_facts()
        current_id = current[0].id if current else None
        if not self.facts_model.refresh_in_place():
            self.facts_panel.expand_kinds()
            if current_id is not None:
                self.facts_panel.select_fact(current_id)
        if doc_id in (-1, self.reader.document_id):
            self.reader.reload_facts()
        if doc_id == -1:
            self.sources_model.reload()
            if self.reader.document_id is not None:
                self.sources_panel.select_document(self.reader.document_id)
        else:
            self.sources_model.refresh_document(doc_id)
        self._reload_timeline()
        self._on_entities_changed()  # mention counts
        self._update_actions()

    def _on_entities_changed(self) -> None:
        """Entities were corrected: the Entities view reads them again now if it is shown,
        else when it is next shown (counting mentions costs time in a large case)."""
        if self._entities_stale:
            return
        if self._entities_shown():
            self.entities_panel.reload()
        else:
            self._entities_stale = True
        self._update_proposals_label()

    def _on_corrections_changed(self) -> None:
        self.entities_panel.reload_side()
        self._update_proposals_label()

    def _entities_shown(self) -> bool:
        dock = self.entities_dock
        return dock.isVisible() and not dock.visibleRegion().isEmpty()

    def _on_entities_dock_visibility_changed(self, visible: bool) -> None:
        if visible and self._entities_stale:
            self._entities_stale = False
            self.entities_panel.reload()

    def _update_proposals_label(self) -> None:
        from casedesk import queries

        count = 0 if self.case is None else queries.proposals_count(self.case)
        self.proposals_label.setVisible(count > 0)
        noun = "merge proposal" if count == 1 else "merge proposals"
        self.proposals_label.setText(f"<a href='review'>{count} {noun} to review</a>")
        self.registry[ActionId.REVIEW_PROPOSALS].setEnabled(count > 0)

    def _entity_action(self, name: str) -> None:
        """An Entity menu action acts on the entities selected in the Entities view; when the
        view is hidden it is shown first, so nothing is changed that the user cannot see."""
        if not self._entities_shown():
            self.show_entities()
            self.statusBar().showMessage(
                "Select entities in the Entities view, then choose the action again.", 6000
            )
            return
        self.entity_editor.handle(name, self.entities_panel.selected())

    def show_entities(self) -> None:
        self.entities_dock.show()
        self.entities_dock.raise_()
        self.entities_panel.view.setFocus()

    def review_proposals(self) -> None:
        self.show_entities()
        self.entities_panel.show_review()

    def _on_entities_panel_mention_activated(self, doc_id: int, start: int, end: int) -> None:
        self.open_span(doc_id, start, end)

    def _on_annotations_changed(self, doc_id: int) -> None:
        if doc_id in (-1, self.reader.document_id):
            self.reader.reload_annotations()
        if doc_id != -1:
            self.sources_model.refresh_document(doc_id)
            if doc_id != self.reader.document_id:
                self.show_document(doc_id)
        self._update_actions()

    def _on_documents_changed(self) -> None:
        doc_id = self.reader.document_id
        self.sources_model.reload()
        if doc_id is not None:
            self.sources_panel.select_document(doc_id)
        self._update_header()
        self._update_actions()

    def check_other_changes(self) -> bool:
        """Show what another program wrote to the case since the last look; True if it had.

        While this window's own import or extraction runs, its reports refresh the views (and
        its process's writes would count here too): the count is taken afresh after it."""
        case = self.case
        if case is None or self._lost or self.worker is not None:
            self._data_version = None
            return False
        try:
            version = int(case.conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return False  # a closed or vanished case is told by check_case_file
        seen, self._data_version = self._data_version, version
        if seen is None or seen == version:
            return False
        self.refresh_from_case()
        self.statusBar().showMessage("The case was changed by another program.", 5000)
        return True

    def refresh_from_case(self) -> None:
        """Read everything shown from the case again (it was changed from outside)."""
        if self.case is None:
            return
        doc_id = self.reader.document_id
        self.sources_model.reload()
        if doc_id is not None and self.sources_model.row_of(doc_id) is None:
            self.reader.clear_document()  # deleted by the other program
            doc_id = None
        if doc_id is not None:
            self.sources_panel.select_document(doc_id)
            self.reader.reload_facts(apply=False)
            self.reader.reload_annotations()
        self.facts_model.reload()
        self._reload_timeline()
        self._reload_connections()
        self._on_entities_changed()
        self._on_corrections_changed()
        self.setWindowTitle(f"{self.case.name} — Casedesk")
        self._update_header()
        self._update_actions()

    def _reload_timeline(self) -> None:
        if self.timeline is not None:
            self.timeline.reload()

    def _on_legend_hidden_kinds_changed(self, kinds: set[str]) -> None:
        self.reader.set_hidden_kinds(kinds)
        self.settings.hidden_kinds = kinds

    # -- navigation -------------------------------------------------------------------------------

    def _on_facts_panel_fact_activated(self, fact: FactRow) -> None:
        self.open_span(fact.document_id, fact.start, fact.end)
        self._update_actions()

    def open_span(self, doc_id: int, start: int, end: int) -> None:
        """Show a document with ``[start, end)`` selected and in view."""
        if self.reader.document_id != doc_id:
            self.show_document(doc_id)
        self.reader.select_span(start, end)

    def _on_timeline_event_activated(self, event_id: int, source_index: int) -> None:
        if self.timeline is None:
            return
        event = next((e for e in self.timeline.view.events() if e.id == event_id), None)
        if event is None or not event.sources:
            return
        source = event.sources[max(0, min(source_index, len(event.sources) - 1))]
        self.open_span(source.document_id, source.start, source.end)
        self.reader.setFocus()
        self.statusBar().showMessage(
            f"{event.date}: {event.title} ({len(event.sources)} source"
            f"{'s' if len(event.sources) != 1 else ''})",
            8000,
        )

    def focus_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        selected = self.reader.selected_text()
        if selected and "\n" not in selected and len(selected) < 80:
            self.search_panel.edit.setText(selected)
        self.search_panel.edit.setFocus()
        self.search_panel.edit.selectAll()

    def search_case(self, query: str | None = None) -> None:
        if self.case is None:
            return
        if query is not None:
            self.search_panel.edit.setText(query)
        text = self.search_panel.edit.text()
        try:
            hits = self.case.search(text, limit=200)
        except CASE_DATA_ERRORS as exc:
            self._unreadable("Cannot search the case", exc)
            return
        self.search_panel.show_results(text, hits)

    def _on_search_panel_hit_activated(self, doc_id: int, query: str) -> None:
        self.show_document(doc_id)
        pattern = search_pattern(query)
        if not pattern:
            return
        starts = self.reader.set_search_terms(pattern, regex=True)
        if starts:
            start, end = self.reader.search_hits()[0]
            self.reader.select_span(start, end)

    def _fit_timeline(self) -> None:
        if self.timeline is not None:
            self.timeline_dock.show()
            self.timeline.view.fit_all()

    # -- editing ------------------------------------------------------------------------------

    def _edit(self, title: str, func: Callable[[], Any]) -> Any:
        """Run a change; a refusal or a storage error becomes a message, never a traceback."""
        if self.commands is None or not self.check_case_file():
            return None
        try:
            return func()
        except edits.EditError as exc:
            QMessageBox.warning(self, title, inert(str(exc)))
        except (sqlite3.Error, CaseError) as exc:
            self._on_command_error(title, exc)
        return None

    def _on_command_error(self, title: str, exc: Exception) -> None:
        if not self.check_case_file():
            return
        path = self.case.path if self.case else None
        QMessageBox.critical(
            self,
            title,
            inert(f"The change could not be saved to {path or ''}:\n\n{describe_error(path, exc)}"),
        )

    def _fill_tag_menu(self) -> None:
        self.tag_menu.clear()
        if self.case is None:
            return
        for tag in edits.tags(self.case):
            action = self.tag_menu.addAction(swatch(tag["colour"]), tag["name"])
            action.setCheckable(True)
            action.setChecked(tag["id"] == self._default_tag())
            action.triggered.connect(lambda _c=False, t=tag["id"]: self.tag_selection(t))
        self.tag_menu.addSeparator()
        self.tag_menu.addAction(self.registry[ActionId.MANAGE_TAGS])

    def _default_tag(self) -> int | None:
        if self.case is None:
            return None
        tags = edits.tags(self.case)
        ids = [t["id"] for t in tags]
        if self._current_tag not in ids:
            self._current_tag = ids[0] if ids else None
        return self._current_tag

    def tag_selection(self, tag_id: int | None) -> int | None:
        span = self.reader.selected_span()
        doc_id = self.reader.document_id
        if span is None or doc_id is None or self.commands is None:
            self.statusBar().showMessage("Select some text in the reader first.", 4000)
            return None
        if tag_id is None:
            tag_id = self._default_tag()
        else:
            self._current_tag = tag_id
        commands = self.commands
        ann_id = self._edit(
            "Highlight", lambda: commands.add_annotation(doc_id, span[0], span[1], tag_id=tag_id)
        )
        return None if ann_id is None else int(ann_id)

    def note_selection(self) -> None:
        span = self.reader.selected_span()
        doc_id = self.reader.document_id
        if span is None or doc_id is None or self.case is None or self.commands is None:
            return
        dialog = AnnotationDialog(
            self.case,
            self.reader.selected_text(),
            tag_id=self._default_tag(),
            title="Add note",
            parent=self,
        )
        if dialog.exec():
            commands = self.commands
            self._edit(
                "Add note",
                lambda: commands.add_annotation(
                    doc_id, span[0], span[1], tag_id=dialog.tag_id, note=dialog.note
                ),
            )

    def fact_from_selection(self) -> None:
        span = self.reader.selected_span()
        doc_id = self.reader.document_id
        if span is None or doc_id is None or self.commands is None:
            return
        dialog = AddFactDialog(self.reader.selected_text(), self)
        if dialog.exec():
            commands = self.commands
            fact_id = self._edit(
                "Add fact",
                lambda: commands.add_manual_fact(
                    doc_id, dialog.kind, span[0], span[1], dialog.value
                ),
            )
            if fact_id:
                self.facts_panel.select_fact(fact_id)

    def event_from_selection(self) -> None:
        """A timeline item reported by the selected sentence (title and date asked first)."""
        if self.timeline is not None and self.reader.selected_span() is not None:
            self.timeline_editor.add()

    def _on_reader_fact_clicked(self, fact_id: int) -> None:
        """A click on a fact in the text shows it in the facts panel (and selects its span)."""
        self.facts_panel.select_fact(fact_id)

    def _edit_annotation(self, ann_id: int | None = None) -> None:
        if ann_id is None:
            ann_id = self.reader.annotation_under_cursor()
        if ann_id is None or self.case is None or self.commands is None:
            return
        row = edits.annotation(self.case, ann_id)
        dialog = AnnotationDialog(
            self.case,
            row["text"],
            tag_id=row["tag_id"],
            note=row["note"],
            title="Edit annotation",
            parent=self,
        )
        if dialog.exec():
            fields = {"tag_id": dialog.tag_id, "note": dialog.note}
            changed = {k: v for k, v in fields.items() if row[k] != v}
            if changed:
                commands = self.commands
                self._edit("Edit annotation", lambda: commands.update_annotation(ann_id, changed))

    def _delete_annotation(self) -> None:
        ann_id = self.reader.annotation_under_cursor()
        if ann_id is None or self.commands is None:
            return
        commands = self.commands
        self._edit("Delete annotation", lambda: commands.delete_annotation(ann_id))

    def manage_tags(self) -> None:
        if self.case is None or self.commands is None:
            return
        TagsDialog(self.case, self.commands, self).exec()

    def _set_status(self, status: str) -> None:
        """Confirm or reject the selected facts (a group row: every mention it stands for),
        one undoable step that the case keeps as a decision."""
        facts = self.facts_panel.selected_facts()
        if not facts or self.commands is None:
            return
        commands = self.commands
        ids = [f.id for f in facts]
        self._edit("Fact status", lambda: fact_ops.set_status(commands, ids, status))

    def edit_fact_value(self) -> None:
        facts = self.facts_panel.selected_facts()
        if len(facts) != 1 or self.commands is None:
            return
        fact = facts[0]
        hint = {
            "date": "ISO value, e.g. 2019-07-04, 2019-07 or 2019-W28",
            "duration": "ISO duration, e.g. P3Y or P2M",
            "quantity": "number and unit, e.g. 100 items",
        }.get(fact.kind, "the normalised value")
        value, ok = QInputDialog.getText(
            self, "Edit value", f"“{' '.join(fact.text.split())}” — {hint}:", text=fact.value or ""
        )
        value = value.strip()
        if not ok or not value or value == fact.value:
            return
        if fact.kind == "date":
            from casedesk.extract.timex import period

            if period(value) is None:
                QMessageBox.warning(
                    self,
                    "Edit value",
                    inert(
                        f"“{value}” is not a date value Casedesk understands. Use 2019-07-04, "
                        "2019-07, 2019, 2019-W28 or 2019-Q3."
                    ),
                )
                return
        commands = self.commands
        self._edit("Edit value", lambda: commands.correct_fact_value(fact.id, value))

    def change_fact_kind(self) -> None:
        """Give the selected facts another kind, all in one undoable step."""
        facts = self.facts_panel.selected_facts()
        if not facts or self.commands is None:
            return
        fact = facts[0]
        labels = [KIND_NAMES[k] for k in FACT_KINDS]
        who = f"“{' '.join(fact.text.split())}”" if len(facts) == 1 else f"{len(facts)} facts"
        choice, ok = QInputDialog.getItem(
            self, "Change kind", f"Kind of {who}:", labels, FACT_KINDS.index(fact.kind), False
        )
        if not ok:
            return
        kind = FACT_KINDS[labels.index(choice)]
        ids = [f.id for f in facts if f.kind != kind]
        if ids:
            commands = self.commands
            self._edit("Change kind", lambda: fact_ops.set_kind(commands, ids, kind))
            self.facts_panel.select_fact(ids[0])

    def delete_fact(self) -> None:
        facts = self.facts_panel.selected_facts()
        if len(facts) != 1 or self.commands is None:
            return
        commands = self.commands
        self._edit("Delete fact", lambda: commands.delete_fact(facts[0].id))

    def merge_entities(self) -> None:
        if self.case is None or self.commands is None:
            return
        facts = [f for f in self.facts_panel.selected_facts() if f.entity_id is not None]
        if not facts:
            return
        keep_id = int(facts[0].entity_id or 0)
        others = [int(f.entity_id or 0) for f in facts[1:] if f.entity_id != keep_id]
        commands = self.commands
        if others:
            drop_ids = list(dict.fromkeys(others))
            answer = QMessageBox.question(
                self,
                "Merge entities",
                inert(
                    f"Merge {len(drop_ids)} other entit{'y' if len(drop_ids) == 1 else 'ies'} into "
                    f"“{facts[0].entity}”?",
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self._edit("Merge entities", partial(commands.merge_entities, keep_id, drop_ids))
            return
        dialog = EntityPickerDialog(self.case, edits.entity(self.case, keep_id), self)
        if dialog.exec() and dialog.chosen is not None:
            chosen = dialog.chosen
            self._edit("Merge entities", lambda: commands.merge_entities(keep_id, chosen))

    def split_entity(self) -> None:
        if self.case is None or self.commands is None:
            return
        facts = [f for f in self.facts_panel.selected_facts() if f.entity_id is not None]
        if len(facts) != 1:
            return
        entity_id = int(facts[0].entity_id or 0)
        dialog = SplitDialog(self.case, edits.entity(self.case, entity_id), self)
        if dialog.exec():
            commands = self.commands
            self._edit(
                "Split entity",
                lambda: commands.split_entity(
                    entity_id, dialog.alias_ids, dialog.fact_ids, dialog.name
                ),
            )

    def edit_properties(self, doc_id: int | None = None) -> None:
        if self.case is None or self.commands is None:
            return
        doc_id = doc_id if doc_id is not None else self.reader.document_id
        if doc_id is None:
            return
        if isinstance(self.worker, PropertiesWorker):
            self.statusBar().showMessage("Wait until the document's dates are read again.", 4000)
            return
        dialog = PropertiesDialog(self.case.document(doc_id), self)
        if not dialog.exec():
            return
        changes = dialog.changes()
        if not changes:
            return
        commands = self.commands
        if "published" not in changes:
            self._edit(
                "Document properties",
                lambda: commands.set_document_properties(doc_id, changes),
            )
            return
        # A new date extracts the document's facts again; the first time that loads the
        # language model, so it runs in a worker thread like an import.
        if self.worker is not None:
            QMessageBox.information(
                self,
                "Document properties",
                "An import is running, so the new date was not saved; "
                "change it again when the import has finished.",
            )
            return
        if not self.check_case_file():
            return
        worker = PropertiesWorker(self.case.path, doc_id, changes, parent=self)
        worker.properties_changed.connect(self._on_worker_properties_changed)
        worker.properties_failed.connect(self._on_worker_properties_failed)
        self.start_work(worker)

    def _run_properties_worker(
        self,
        doc_id: int,
        fields: dict[str, Any],
        finished: Callable[[dict[str, Any] | None, str | None], None],
    ) -> None:
        """Undo or redo of a date change: the same work in a worker; ``finished`` gets the
        result. The undo and redo actions wait meanwhile (see ``_step_must_wait``)."""
        if self.case is None:
            return
        worker = PropertiesWorker(self.case.path, doc_id, fields, parent=self)
        worker.finished_callback = finished
        worker.properties_changed.connect(self._on_worker_properties_changed)
        worker.properties_failed.connect(self._on_worker_properties_failed)
        self.start_work(worker)

    def _on_worker_properties_changed(self, old: dict[str, Any]) -> None:
        worker = self.worker
        if (
            not isinstance(worker, PropertiesWorker)
            or self.case is None
            or self.commands is None
            or self.case.path != worker.case_path
        ):
            return
        if worker.finished_callback is not None:
            worker.finished_callback(old, None)
            return
        self.commands.set_document_properties(worker.doc_id, worker.fields, done=old)
        self.statusBar().showMessage("The document's dates were read again.", 5000)

    def _on_worker_properties_failed(self, message: str, refused: bool) -> None:
        worker = self.worker
        if isinstance(worker, PropertiesWorker) and worker.finished_callback is not None:
            worker.finished_callback(None, message)
            return
        if refused:
            QMessageBox.warning(self, "Document properties", inert(message))
        else:
            self._on_command_error("Document properties", RuntimeError(message))

    def _step_must_wait(self, index: int) -> bool:
        """A document-properties step extracts facts again: not beside a running worker, which
        uses the language model (and the date change's worker is that step itself)."""
        if self.worker is None:
            return False
        command = self.undo_stack.command(index)
        if isinstance(self.worker, PropertiesWorker) or isinstance(
            command, DocumentPropertiesCommand | WorkerPropertiesCommand
        ):
            self.statusBar().showMessage(
                "Wait until the document's facts are extracted, then undo or redo.", 5000
            )
            return True
        return False

    def undo(self) -> None:
        if not self._step_must_wait(self.undo_stack.index() - 1):
            self.undo_stack.undo()

    def redo(self) -> None:
        if not self._step_must_wait(self.undo_stack.index()):
            self.undo_stack.redo()

    def _on_stale_step(self, message: str) -> None:
        """An undo or redo step refers to rows that are gone: say so; the step drops itself."""
        self.statusBar().showMessage(message, 12000)

    # -- case menu ------------------------------------------------------------------------------

    def new_case(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New case", "", CASE_FILTER)
        if not path:
            return
        target = Path(path)
        if target.suffix != SUFFIX:
            target = target.with_suffix(SUFFIX)
        if target.exists():
            answer = QMessageBox.question(
                self, "New case", inert(f"{target} exists. Open it instead?")
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.open_case(target)
            return
        try:
            case = Case.create(target)
        except CaseError as exc:
            QMessageBox.warning(self, "Cannot create case", inert(str(exc)))
            return
        self.set_case(case)

    def open_case_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open case", "", CASE_FILTER)
        if path:
            self.open_case(Path(path))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_cases
        for i, path in enumerate(recent, 1):
            action = self.recent_menu.addAction(f"&{i % 10} {path.name}")
            action.setToolTip(plain_tooltip(str(path)))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_case(p))
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)

    def import_dialog(self) -> None:
        if self.case is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Import documents", "", import_filter())
        if paths:
            self.import_paths([Path(p) for p in paths])

    def import_paths(self, paths: list[Path]) -> None:
        if self.case is None or not self.check_case_file():
            return
        if isinstance(self.worker, PropertiesWorker):
            QMessageBox.information(
                self,
                "Import",
                "A document's facts are being extracted; import again in a moment.",
            )
            return
        if self.worker is not None:
            QMessageBox.information(
                self, "Import", "An import is already running; wait for it or cancel it."
            )
            return
        self.start_work(ImportWorker(self.case.path, paths, parent=self))

    def start_work(self, worker: ImportWorker | PropertiesWorker) -> None:
        self.worker = worker
        worker.progress_changed.connect(self._on_worker_progress_changed)
        if isinstance(worker, ImportWorker):
            worker.import_finished.connect(self._on_worker_import_finished)
            worker.import_failed.connect(self._on_worker_import_failed)
            worker.documents_imported.connect(self._on_worker_documents_imported)
        worker.finished.connect(self._on_worker_thread_finished)
        self.progress.setRange(0, 0)
        for widget in (self.progress_label, self.progress, self.cancel_button):
            widget.show()
        # One document's date change is a single step; there is nothing to cancel halfway.
        self.cancel_button.setVisible(isinstance(worker, ImportWorker))
        self.cancel_button.setEnabled(True)
        self.progress_label.setText("Starting…")
        self._pending_progress = None
        self._progress_timer.stop()
        worker.start()
        self._update_header()

    def cancel_work(self, wait: bool = False) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText("Cancelling after the current document…")
            if wait:
                self.worker.wait()

    def _on_worker_progress_changed(self, done: int, total: int, label: str) -> None:
        """Show progress at once, then at most every ``PROGRESS_INTERVAL_MS`` (a worker may
        report hundreds of documents a second; each shown step repaints the status bar)."""
        self._pending_progress = (done, total, label)
        if not self._progress_timer.isActive():
            self._show_progress()

    def _show_progress(self) -> None:
        if self._pending_progress is None:
            return
        done, total, label = self._pending_progress
        self._pending_progress = None
        if self.worker is not None and not self.cancel_button.isEnabled():
            label = "Cancelling after the current document…"
        self.progress_label.setText(label)
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        else:
            self.progress.setRange(0, 0)
        self._progress_timer.start()

    def _on_worker_thread_finished(self) -> None:
        self._progress_timer.stop()
        self._pending_progress = None
        for widget in (self.progress_label, self.progress, self.cancel_button):
            widget.hide()
        if self.worker is not None:
            self.worker.deleteLater()
        self.worker = None
        self._update_header()

    def _on_worker_import_finished(self, summary: ImportSummary) -> None:
        if self.case is None:  # the window was closed while the work ran
            return
        doc_id = self.reader.document_id
        self.sources_model.reload()
        if doc_id is not None:
            self.sources_panel.select_document(doc_id)
        self._update_header()
        self._update_actions()
        parts = []
        if summary.imported or summary.duplicates or summary.failed:
            parts.append(f"Imported {len(summary.imported)} document(s)")
        if summary.duplicates:
            parts.append(f"{len(summary.duplicates)} already in the case")
        if summary.extracted:
            parts.append(f"facts extracted from {summary.extracted} document(s)")
        if summary.cancelled:
            parts.append("cancelled (the rest is extracted the next time the case is opened)")
        message = "; ".join(parts) + "."
        self.statusBar().showMessage(message[:1].upper() + message[1:], 10000)
        problems = [f"{Path(p).name}: {reason}" for p, reason in summary.failed]
        if summary.extraction_error:
            problems.append(f"Fact extraction: {summary.extraction_error}")
        if problems:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Import")
            box.setText(
                f"{len(summary.imported)} imported; {len(problems)} problem(s). The other files "
                "were imported normally."
            )
            box.setDetailedText("\n".join(problems))
            box.setInformativeText(inert("\n".join(problems[:5])))
            box.open()

        case = self.case

        def refresh_facts() -> None:
            if self.case is not case:
                return  # another case was opened meanwhile; it was read afresh
            if self.reader.document_id is None and summary.imported and case is not None:
                first = summary.imported[0][1]
                if self.sources_model.row_of(first) is not None:
                    self.show_document(first)  # loads its facts
                    return
            self.facts_model.reload()
            self.reader.reload_facts()
            self._update_actions()

        # The shown document's facts and the timeline are read again each in a later turn of
        # the event loop: the window repaints between the refreshes instead of stalling for
        # all of them at once. ``work_finished`` tells when the window shows everything.
        self._in_turns(
            [
                refresh_facts,
                self._reload_timeline,
                self._reload_connections,
                lambda: self.work_finished.emit(summary),
            ]
        )

    def _in_turns(self, steps: list[Callable[[], Any]]) -> None:
        """Run each step in its own turn of the event loop."""
        if not steps:
            return

        def run() -> None:
            steps[0]()
            self._in_turns(steps[1:])

        QTimer.singleShot(0, self, run)

    def _on_worker_documents_imported(self) -> None:
        doc_id = self.reader.document_id
        self.sources_model.reload()
        if doc_id is not None:
            self.sources_panel.select_document(doc_id)
        self._update_header()

        def show_first() -> None:
            # In a later turn: the reader loads the document after the list has repainted.
            if self.reader.document_id is None and self.sources_model.rowCount():
                self.sources_panel.view.selectRow(0)

        if doc_id is None:
            self._in_turns([show_first])

    def _on_worker_import_failed(self, message: str) -> None:
        QMessageBox.warning(self, "Import failed", inert(message))
        self.work_finished.emit(None)

    # -- backups --------------------------------------------------------------------------------

    def backup_if_due(self) -> bool:
        """Start the daily backup in the background, unless one was made in the last day (or
        work is running); True if it started."""
        if (
            self.case is None
            or self._lost
            or self.worker is not None
            or self._backup_worker is not None
        ):
            return False
        from casedesk import backups

        if not backups.due(self.case.path):
            return False
        worker = BackupWorker(self.case.path, self)
        worker.backup_made.connect(self._on_backup_made)
        worker.backup_failed.connect(
            lambda message: self.statusBar().showMessage(
                f"The daily backup failed: {message}", 15000
            )
        )
        worker.finished.connect(self._on_backup_thread_finished)
        self._backup_worker = worker
        worker.start()
        return True

    def _on_backup_made(self, made: Path | None) -> None:
        if made is not None:
            self.statusBar().showMessage("The case was backed up (daily backup).", 5000)

    def _on_backup_thread_finished(self) -> None:
        if self._backup_worker is not None:
            self._backup_worker.deleteLater()
        self._backup_worker = None

    def backup_now(self) -> Path | None:
        if self.case is None or not self.check_case_file():
            return None
        from casedesk import backups

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            made = backups.make(self.case, "made by hand")
        except CaseError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Back up", inert(str(exc)))
            return None
        QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(f"The case was backed up to {made}.", 8000)
        return made

    def restore_backup_dialog(self) -> None:
        if self.case is None or not self.check_case_file():
            return
        from casedesk.ui.backup_dialog import RestoreBackupDialog

        dialog = RestoreBackupDialog(self.case.path, self)
        chosen = dialog.chosen() if dialog.exec() else None
        dialog.deleteLater()
        if chosen is not None:
            self.restore_backup(chosen)

    def restore_backup(self, backup: Path) -> Path | None:
        """Replace the case's content with ``backup``; return the backup of the state before."""
        if self.case is None:
            return None
        if self.worker is not None:
            QMessageBox.information(
                self, "Restore from Backup", "Wait until the running work has finished."
            )
            return None
        from casedesk import backups

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            before = backups.restore(self.case, backup)
        except CaseError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Restore from Backup", inert(str(exc)))
            return None
        QApplication.restoreOverrideCursor()
        self.undo_stack.clear()  # its steps name rows of the content that was replaced
        self._data_version = None
        self.refresh_from_case()
        self.statusBar().showMessage(
            f"Restored the backup {backup.name}. The case as it was is the backup "
            f"{before.name}: restore that one to undo.",
            15000,
        )
        return before

    def export_brief(self) -> None:
        """The export dialog with the Brief preset chosen."""
        self.export_summary(preset="brief")

    def export_summary(self, preset: str | None = None) -> None:
        if self.case is None:
            return
        try:
            from casedesk.ui.export_dialog import ExportDialog
        except ImportError as exc:
            QMessageBox.information(
                self, "Export summary", inert(f"Exporting is not available in this build ({exc}).")
            )
            return
        dialog = ExportDialog(self.case, self, preset=preset)
        dialog.exec()
        dialog.deleteLater()  # not kept hidden under the window after each export

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Casedesk",
            f"<h3>Casedesk {casedesk.__version__}</h3>"
            "<p>A case-file workbench: read sources, check the facts extracted from them, "
            "annotate, and export summaries. Each case is one SQLite file.</p>"
            f"<p>Qt {_qt_version()}</p>",
        )

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self._default_sizes_pending:
            self._default_sizes_pending = False
            if self.settings.window_state is None:
                QTimer.singleShot(0, self._default_dock_sizes)

    def _default_dock_sizes(self) -> None:
        self.resizeDocks(
            [self.sources_dock, self.facts_dock], [330, 390], Qt.Orientation.Horizontal
        )
        # The timeline shares its dock area with the Connections tab: 256 leaves its view the
        # five lanes of labels (and the period band) that it had before the tab bar came.
        self.resizeDocks([self.timeline_dock], [256], Qt.Orientation.Vertical)

    # -- the case file going away ------------------------------------------------------------------

    def _on_watcher_file_changed(self, path: str) -> None:
        # Editors and SQLite itself may replace the file; look again shortly.
        QTimer.singleShot(300, self.check_case_file)

    def check_case_file(self) -> bool:
        """True if the open case file is still there; if not, offer to save a copy."""
        if self.case is None:
            return False
        if self._lost:
            return False
        if self.case.path.exists():
            if str(self.case.path) not in self._watcher.files():
                self._watcher.addPath(str(self.case.path))
            return True
        self._lost = True
        self._update_actions()
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Case file missing")
        box.setText(
            inert(f"The case file {self.case.path} was deleted or moved while it was open.")
        )
        box.setInformativeText(
            "Casedesk still holds its contents. Save them to a new file, or close the case."
        )
        save = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Close Case", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is save and self.save_copy_as():
            return True
        self.set_case(None)
        return False

    def save_copy_as(self, target: Path | None = None) -> bool:
        """Write the open case to ``target`` with SQLite's backup API and continue there."""
        if self.case is None:
            return False
        if target is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save case as", "", CASE_FILTER)
            if not path:
                return False
            target = Path(path)
        if target.suffix != SUFFIX:
            target = target.with_suffix(SUFFIX)
        try:
            dest = sqlite3.connect(target)
            with dest:
                self.case.conn.backup(dest)
            dest.close()
        except sqlite3.Error as exc:
            QMessageBox.critical(self, "Save as", inert(f"Could not write {target}: {exc}"))
            return False
        self._lost = False
        return self.open_case(target)

    # -- drag and drop ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.handle_dropped(paths)

    def handle_dropped(self, paths: list[Path]) -> None:
        cases = [p for p in paths if p.suffix == SUFFIX]
        if len(cases) == 1 and len(paths) == 1:
            self.open_case(cases[0])
            return
        if self.case is None:
            QMessageBox.information(
                self, "Import", "Open or create a case first, then drop documents on it."
            )
            return
        self.import_paths([p for p in paths if p.suffix != SUFFIX])

    # -- closing --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.cancel_work(wait=True)
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        if self.case is not None:
            # Through set_case: the views let go of the case too, so what the stopped work
            # reported (delivered after this) finds no closed case to read.
            self.set_case(None)
        super().closeEvent(event)


RESUME_DELAY_MS = 1500
BACKUP_DELAY_MS = 3000  # the daily backup waits until the window has settled
BACKUP_CHECK_MS = 3_600_000
PROGRESS_INTERVAL_MS = 150  # the progress bar and label change at most this often


def search_pattern(query: str) -> str:
    """A regular expression marking in the text what an FTS5 query matched.

    Words match whole words (FTS5 matches tokens), ``word*`` matches words starting so,
    phrases are marked word by word; AND/OR/NOT are operators, not words.
    """
    terms = []
    for raw in query.replace('"', " ").split():
        prefix = raw.endswith("*")
        word = "".join(c for c in raw if c.isalnum() or c in "-'")
        if not word or (not prefix and word.upper() in ("AND", "OR", "NOT", "NEAR")):
            continue
        terms.append(re.escape(word) + (r"\w*" if prefix else r"\b"))
    terms.sort(key=len, reverse=True)
    return "|".join(r"\b" + t for t in terms)


def _esc(text: str) -> str:
    import html

    return html.escape(text)


def _qt_version() -> str:
    from PySide6 import QtCore

    return str(QtCore.qVersion())
