"""Disputed facts in the window: found off the GUI thread, listed with their sides side by
side, and decided on (resolved with a note, not a dispute, reopened) as undoable steps.

Text from sources and notes is shown as plain text everywhere here (``plain_label``, plain
text editors, escaped tooltips): it is data, never markup.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casedesk.disputes import (
    KIND_WORDS,
    KINDS,
    NOT_A_DISPUTE,
    OPEN,
    RESOLVED,
    STATUS_WORDS,
    Dispute,
    find_disputes,
)
from casedesk.safe_html import plain_tooltip
from casedesk.store import Case
from casedesk.ui.colours import DISPUTED
from casedesk.ui.safe_text import inert, plain_label
from casedesk.words import spoken_date

Index = QModelIndex | QPersistentModelIndex
REFRESH_DELAY_MS = 300


class DisputesFinder(QObject):
    """Finds the case's disputes on a worker thread with its own read-only connection (a
    large case takes seconds), a short while after the last change asked for it.

    Signals:
        found(object): the case's disputes (``list[Dispute]``), decided ones included.
    """

    found = Signal(object)
    _finished = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self._generation = 0
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self._start)
        self._finished.connect(self._on_finished)
        self.disputes: list[Dispute] = []
        self.error = ""
        # One search at a time: changes during a search (an import writing document after
        # document) ask for one more search after it, never for a pile of parallel ones.
        self._running = False
        self._again = False

    def set_case(self, case: Case | None) -> None:
        self._case = case
        self._generation += 1
        self._again = False
        self.disputes = []
        self.found.emit([])
        if case is not None:
            self.refresh()

    def refresh(self) -> None:
        """Find the disputes again soon (changes in a burst cause one search)."""
        if self._case is not None:
            self._timer.start()

    def _start(self) -> None:
        case = self._case
        if case is None:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._generation += 1
        generation = self._generation
        uri = case.path.resolve().as_uri() + "?mode=ro"
        done = self._finished

        def work() -> None:
            result: object
            try:
                conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
                try:
                    result = find_disputes(conn)
                finally:
                    conn.close()
            except Exception as exc:  # reported, never lost in the thread
                result = exc
            with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
                done.emit(generation, result)

        threading.Thread(target=work, name="disputes", daemon=True).start()

    def _on_finished(self, generation: int, result: object) -> None:
        self._running = False
        if self._again:
            self._again = False
            self._timer.start()
        if generation != self._generation:
            return  # the case changed meanwhile
        if isinstance(result, BaseException):
            self.error = f"Could not look for disputes: {result}"
            return
        assert isinstance(result, list)
        self.error = ""
        self.disputes = result
        self.found.emit(result)


def disputed_events(disputes: Sequence[Dispute]) -> dict[int, str]:
    """Timeline item id -> what its open disputes are about, in words."""
    out: dict[int, list[str]] = {}
    for d in disputes:
        if d.status != OPEN:
            continue
        for event_id in d.event_ids:
            out.setdefault(event_id, []).append(KIND_WORDS[d.kind])
    return {e: "; ".join(dict.fromkeys(words)) for e, words in out.items()}


def disputed_facts(disputes: Sequence[Dispute]) -> frozenset[int]:
    """The facts that are sides of open disputes."""
    return frozenset(f for d in disputes if d.status == OPEN for f in d.fact_ids)


# -- the list ------------------------------------------------------------------------------------

SHOWS = (
    ("Open disputes", (OPEN,)),
    ("All disputes", (OPEN, RESOLVED, NOT_A_DISPUTE)),
    ("Resolved", (RESOLVED,)),
    ("Not a dispute", (NOT_A_DISPUTE,)),
)


class DisputesModel(QAbstractTableModel):
    """The disputes shown: a row each, with kind, subject, sides and the user's decision."""

    COLUMNS = ("Kind", "Subject", "Sides", "Status")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Dispute] = []
        self._rows: list[Dispute] = []
        self._statuses: tuple[str, ...] = (OPEN,)
        self._kind: str | None = None

    def set_disputes(self, disputes: Sequence[Dispute]) -> None:
        self._all = list(disputes)
        self._refilter()

    def set_filter(self, statuses: tuple[str, ...], kind: str | None) -> None:
        self._statuses, self._kind = statuses, kind
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = [
            d
            for d in self._all
            if d.status in self._statuses and (self._kind is None or d.kind == self._kind)
        ]
        self.endResetModel()

    def dispute(self, row: int) -> Dispute | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, dispute_id: str) -> int | None:
        return next((i for i, d in enumerate(self._rows) if d.id == dispute_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        d = self.dispute(index.row()) if index.isValid() else None
        if d is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return KIND_WORDS[d.kind]
            if col == 1:
                return " ".join(d.subject.split())
            if col == 2:
                return " | ".join(" ".join(_value(d, s.value).split()) for s in d.sides)
            if col == 3:
                return STATUS_WORDS[d.status]
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 2, 3):
            lines = [d.subject]
            lines += [f"{s.title}: {_value(d, s.value)}" for s in d.sides]
            if d.note:
                lines.append(f"Note: {d.note}")
            return plain_tooltip("\n".join(lines))
        if role == Qt.ItemDataRole.ForegroundRole and col == 0 and d.status == OPEN:
            return QBrush(QColor(DISPUTED))
        return None


def _value(d: Dispute, value: str) -> str:
    return spoken_date(value) if d.kind == "date" else value


# -- the dialog ----------------------------------------------------------------------------------


class _SideView(QFrame):
    """One source's version: its document, the value it gives and its words."""

    def __init__(self, dispute: Dispute, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        side = dispute.sides[index]
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        title = plain_label(side.title or side.document, self)
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        value = plain_label(_value(dispute, side.value), self)
        value.setWordWrap(True)
        value.setStyleSheet(f"color: {DISPUTED}")
        layout.addWidget(value)
        words = QPlainTextEdit(self)
        words.setReadOnly(True)
        words.setPlainText(" ".join(side.text.split()))
        words.setMinimumHeight(60)
        layout.addWidget(words, 1)
        self.show_button = QPushButton(f"Show in &Reader ({index + 1})", self)
        self.show_button.setToolTip("Open the document at these words")
        layout.addWidget(self.show_button)


class DisputesDialog(QDialog):
    """Where the sources disagree: the disputes in a list, the selected one's sides side by
    side, and the decisions. It only asks; the window performs each decision as an undoable
    step (Ctrl+Z in the window undoes it).

    Signals:
        resolve_requested(object dispute, str note)
        dismiss_requested(object dispute, str note): not a dispute.
        reopen_requested(object dispute)
        side_requested(int document_id, int start, int end): show a side in the reader.
    """

    resolve_requested = Signal(object, str)
    dismiss_requested = Signal(object, str)
    reopen_requested = Signal(object)
    side_requested = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Disputed Facts")
        self.setObjectName("disputesDialog")
        self.resize(900, 600)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.show_box = QComboBox(self)
        for label, _statuses in SHOWS:
            self.show_box.addItem(label)
        self.kind_box = QComboBox(self)
        self.kind_box.addItem("Every kind", None)
        for kind in KINDS:
            self.kind_box.addItem(KIND_WORDS[kind].capitalize(), kind)
        show_label = QLabel("&Show:", self)
        show_label.setBuddy(self.show_box)
        top.addWidget(show_label)
        top.addWidget(self.show_box)
        top.addWidget(self.kind_box)
        top.addStretch(1)
        self.status = plain_label("", self)
        top.addWidget(self.status)
        layout.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.model = DisputesModel(self)
        self.view = QTableView(split)
        self.view.setObjectName("disputesView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 150)
        header.resizeSection(2, 260)
        self.sides_area = QScrollArea(split)
        self.sides_area.setWidgetResizable(True)
        split.addWidget(self.view)
        split.addWidget(self.sides_area)
        split.setSizes([220, 380])
        layout.addWidget(split, 1)
        note_row = QHBoxLayout()
        note_label = QLabel("&Note:", self)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText("Which side holds, and why (kept with the decision)")
        self.note.setMaximumHeight(60)
        self.note.setTabChangesFocus(True)
        note_label.setBuddy(self.note)
        note_row.addWidget(note_label)
        note_row.addWidget(self.note, 1)
        layout.addLayout(note_row)
        buttons = QHBoxLayout()
        self.resolve_button = QPushButton("Mark &Resolved", self)
        self.resolve_button.setToolTip("Resolved, with the note (Ctrl+Return)")
        self.dismiss_button = QPushButton("&Not a Dispute", self)
        self.dismiss_button.setToolTip("The sides speak of different things")
        self.reopen_button = QPushButton("Re&open", self)
        close = QPushButton("&Close", self)
        for b in (self.resolve_button, self.dismiss_button, self.reopen_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resolve_button.clicked.connect(self._resolve)
        self.dismiss_button.clicked.connect(self._dismiss)
        self.reopen_button.clicked.connect(self._reopen)
        close.clicked.connect(self.close)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._resolve)
        self.show_box.currentIndexChanged.connect(self._on_filter_changed)
        self.kind_box.currentIndexChanged.connect(self._on_filter_changed)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.model.modelReset.connect(self._after_reset)
        self._side_views: list[_SideView] = []
        self._keep: str | None = None
        self._show_current()

    # -- data ----------------------------------------------------------------------------------

    def set_disputes(self, disputes: Sequence[Dispute]) -> None:
        """Show these disputes, keeping the selected one selected if it is still there."""
        current = self.current_dispute()
        self._keep = current.id if current is not None else None
        self.model.set_disputes(disputes)
        open_ = sum(1 for d in disputes if d.status == OPEN)
        self.status.setText(
            f"{open_} open of {len(disputes)} dispute{'s' if len(disputes) != 1 else ''}"
        )

    def current_dispute(self) -> Dispute | None:
        index = self.view.currentIndex()
        return self.model.dispute(index.row()) if index.isValid() else None

    def select(self, dispute_id: str) -> bool:
        row = self.model.row_of(dispute_id)
        if row is None and self.show_box.currentIndex() != 1:
            self.show_box.setCurrentIndex(1)  # every dispute, decided or not
            row = self.model.row_of(dispute_id)
        if row is None:
            return False
        self.view.selectRow(row)
        return True

    def _on_filter_changed(self) -> None:
        statuses = SHOWS[self.show_box.currentIndex()][1]
        self.model.set_filter(statuses, self.kind_box.currentData())

    def _after_reset(self) -> None:
        row = self.model.row_of(self._keep) if self._keep else None
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.view.selectRow(row)
        self._show_current()

    def _show_current(self) -> None:
        d = self.current_dispute()
        for view in self._side_views:
            view.deleteLater()
        self._side_views = []
        holder = QWidget()
        row = QHBoxLayout(holder)
        if d is None:
            row.addWidget(plain_label("No dispute selected.", holder))
        else:
            for i in range(len(d.sides)):
                view = _SideView(d, i, holder)
                side = d.sides[i]
                view.show_button.clicked.connect(
                    lambda _c=False, s=side: self.side_requested.emit(s.document_id, s.start, s.end)
                )
                row.addWidget(view, 1)
                self._side_views.append(view)
            self.note.setPlainText(d.note)
        self.sides_area.setWidget(holder)
        self.resolve_button.setEnabled(d is not None)
        self.dismiss_button.setEnabled(d is not None and d.status != NOT_A_DISPUTE)
        self.reopen_button.setEnabled(d is not None and d.status != OPEN)

    # -- decisions -----------------------------------------------------------------------------

    def _resolve(self) -> None:
        d = self.current_dispute()
        if d is not None:
            self.resolve_requested.emit(d, self.note.toPlainText().strip())

    def _dismiss(self) -> None:
        d = self.current_dispute()
        if d is not None:
            self.dismiss_requested.emit(d, self.note.toPlainText().strip())

    def _reopen(self) -> None:
        d = self.current_dispute()
        if d is not None:
            self.reopen_requested.emit(d)


# -- the window's part ---------------------------------------------------------------------------


class DisputesController(QObject):
    """Keeps the window's views in step with the case's disputes: the Facts panel's Disputed
    group, the timeline's marks and the Disputed Facts dialog; performs the dialog's decisions
    as undoable steps. Needs from the window: ``signals``, ``commands``, ``facts_model``,
    ``timeline`` (or None), ``open_span`` and ``_on_command_error``."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.finder = DisputesFinder(self)
        self.finder.found.connect(self._on_finder_found)
        self.dialog: DisputesDialog | None = None
        s = window.signals
        for signal in (
            s.facts_changed,
            s.timeline_changed,
            s.entities_changed,
            s.documents_changed,
            s.disputes_changed,
        ):
            signal.connect(lambda *_: self.finder.refresh())

    def set_case(self, case: Case | None) -> None:
        self.finder.set_case(case)

    def _on_finder_found(self, disputes: list[Dispute]) -> None:
        self.window.facts_model.set_disputed(disputed_facts(disputes))
        timeline = getattr(self.window, "timeline", None)
        if timeline is not None:
            timeline.view.set_disputed(disputed_events(disputes))
        if self.dialog is not None:
            self.dialog.set_disputes(disputes)

    def show_dialog(self) -> DisputesDialog:
        if self.dialog is None:
            self.dialog = DisputesDialog(self.window)
            self.dialog.resolve_requested.connect(self._on_dialog_resolve_requested)
            self.dialog.dismiss_requested.connect(self._on_dialog_dismiss_requested)
            self.dialog.reopen_requested.connect(self._on_dialog_reopen_requested)
            self.dialog.side_requested.connect(self.window.open_span)
        self.dialog.set_disputes(self.finder.disputes)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.view.setFocus()
        return self.dialog

    def _decide(self, what: str, run: Any) -> None:
        from casedesk.edits import EditError

        commands = self.window.commands
        if commands is None:
            return
        try:
            run(commands)
        except EditError as exc:  # e.g. reopening an open dispute: nothing was changed
            QMessageBox.information(self.dialog or self.window, what, inert(str(exc)))
        except sqlite3.Error as exc:
            self.window._on_command_error(what, exc)

    def _on_dialog_resolve_requested(self, dispute: Dispute, note: str) -> None:
        from casedesk.ui.operations import disputes as ops

        self._decide("Resolve dispute", lambda c: ops.resolve(c, dispute, note))

    def _on_dialog_dismiss_requested(self, dispute: Dispute, note: str) -> None:
        from casedesk.ui.operations import disputes as ops

        self._decide("Not a dispute", lambda c: ops.dismiss(c, dispute, note))

    def _on_dialog_reopen_requested(self, dispute: Dispute) -> None:
        from casedesk.ui.operations import disputes as ops

        self._decide("Reopen dispute", lambda c: ops.reopen(c, dispute))
