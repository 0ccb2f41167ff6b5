"""Disputed facts in the window: the timeline marks a disputed item, the Facts panel has a
Disputed group and a filter for it, and the Disputed Facts dialog shows the sides side by side
and decides (resolved with a note, not a dispute, reopened) as undoable steps. Source text is
shown as text. The articles are written for this test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit
from pytestqt.qtbot import QtBot

from casedesk import disputes
from casedesk.store import Case
from casedesk.ui.main_window import MainWindow
from casedesk.ui.models import DISPUTED_GROUP, KIND_ROLE
from casedesk.ui.settings import Settings
from textcases import add_extracted

DOCS = {
    "herald.txt": (
        "2026-03-04",
        "Police in Marrowgate arrested 42 people on Tuesday, March 3, 2026, after a protest "
        "at the container port turned violent.\n",
    ),
    "times.txt": (
        "2026-03-06",
        "Riot police arrested 37 people at the Marrowgate container port on March 5, 2026, "
        "after a protest turned violent.\n\n"
        "The <b>union</b> denied that its members set fire to a warehouse at the port on "
        "March 3.\n",
    ),
    "gazette.txt": (
        "2026-03-04",
        "Striking dockers set fire to a warehouse at the Marrowgate port on March 3, 2026, "
        "witnesses said.\n",
    ),
}


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    path = tmp_path / "disputed.casedesk"
    with Case.create(path) as case:
        add_extracted(case, DOCS)
    win = MainWindow(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.disputes.finder.found, timeout=20_000):
        assert win.open_case(path)
    qtbot.waitUntil(lambda: bool(win.disputes.finder.disputes), timeout=20_000)
    win.show()
    yield win
    if win.disputes.dialog is not None:
        win.disputes.dialog.close()
    win.set_case(None)


def _group_rows(win: MainWindow) -> list[str]:
    model = win.facts_model
    for g in range(model.rowCount()):
        parent = model.index(g, 0)
        if model.data(parent, KIND_ROLE) == DISPUTED_GROUP:
            while model.canFetchMore(parent):
                model.fetchMore(parent)
            return [
                str(model.data(model.index(r, 0, parent))) for r in range(model.rowCount(parent))
            ]
    return []


def test_the_timeline_marks_disputed_items(window: MainWindow) -> None:
    assert window.timeline is not None
    view = window.timeline.view
    marked = view.disputed()
    found = window.disputes.finder.disputes
    assert set(marked) == {e for d in found for e in d.event_ids}
    fire = next(e for e in view.events() if "fire" in e.title.lower())
    assert "reported and denied" in marked[fire.id]
    tip = view._tooltip(fire)
    assert "Disputed:" in tip and "(denies it)" in tip
    assert "<b>union</b>" not in tip  # source text is escaped in the tooltip
    view.grab()  # paints the marks


def test_the_facts_panel_has_a_disputed_group_and_filter(window: MainWindow) -> None:
    panel = window.facts_panel
    panel.scope.setCurrentIndex(1)  # the whole case
    model = window.facts_model
    first = model.index(0, 0)
    assert model.data(first, KIND_ROLE) == DISPUTED_GROUP
    assert str(model.data(first)).startswith("▲ Disputed (")
    rows = _group_rows(window)
    assert "42 people" in rows and "37 people" in rows
    kinds = {str(model.data(model.index(g, 0), KIND_ROLE)) for g in range(model.rowCount())}
    assert {"quantity", "event"} <= kinds
    panel.disputed_only.setChecked(True)
    assert [model.data(model.index(g, 0), KIND_ROLE) for g in range(model.rowCount())] == [
        DISPUTED_GROUP
    ]
    panel.disputed_only.setChecked(False)
    assert model.rowCount() == len(kinds)


def test_the_dialog_shows_the_sides_and_decides_with_undo(window: MainWindow, qtbot: QtBot) -> None:
    from casedesk.ui.actions import ActionId

    window.registry[ActionId.SHOW_DISPUTES].trigger()
    dialog = window.disputes.dialog
    assert dialog is not None and dialog.isVisible()
    model = dialog.model
    assert model.rowCount() == 3  # open disputes: a date, a quantity, a denied happening
    quantity_row = next(
        r
        for r in range(model.rowCount())
        if model.dispute(r).kind == "quantity"  # type: ignore[union-attr]
    )
    dialog.view.selectRow(quantity_row)
    texts = [w.toPlainText() for w in dialog.sides_area.widget().findChildren(QPlainTextEdit)]
    assert len(texts) == 2 and any("42 people" in t for t in texts)
    labels = dialog.sides_area.widget().findChildren(QLabel)
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    quantity = dialog.current_dispute()
    assert quantity is not None

    dialog.note.setPlainText("The police count is 42.")
    with qtbot.waitSignal(window.disputes.finder.found, timeout=20_000):
        dialog.resolve_button.click()
    with Case.open(window.case.path, readonly=True) as case:  # type: ignore[union-attr]
        saved = {d.id: d for d in disputes.find_disputes(case)}
    assert (saved[quantity.id].status, saved[quantity.id].note) == (
        "resolved",
        "The police count is 42.",
    )
    assert model.rowCount() == 2  # the open ones are shown
    assert "42 people" not in _group_rows(window)

    with qtbot.waitSignal(window.disputes.finder.found, timeout=20_000):
        window.undo_stack.undo()
    assert model.rowCount() == 3
    assert "42 people" in _group_rows(window)
    with qtbot.waitSignal(window.disputes.finder.found, timeout=20_000):
        window.undo_stack.redo()
    assert model.rowCount() == 2

    # not a dispute, shown under "Not a dispute", then reopened
    date_row = next(r for r in range(model.rowCount()) if model.dispute(r).kind == "date")  # type: ignore[union-attr]
    dialog.view.selectRow(date_row)
    date = dialog.current_dispute()
    assert date is not None
    with qtbot.waitSignal(window.disputes.finder.found, timeout=20_000):
        dialog.dismiss_button.click()
    dialog.show_box.setCurrentIndex(3)
    assert [model.dispute(r).id for r in range(model.rowCount())] == [date.id]  # type: ignore[union-attr]
    dialog.view.selectRow(0)
    assert dialog.reopen_button.isEnabled()
    with qtbot.waitSignal(window.disputes.finder.found, timeout=20_000):
        dialog.reopen_button.click()
    assert model.rowCount() == 0

    # a side opens its words in the reader
    dialog.show_box.setCurrentIndex(0)
    dialog.view.selectRow(0)
    current = dialog.current_dispute()
    assert current is not None
    buttons = dialog._side_views[0].show_button
    buttons.click()
    side = current.sides[0]
    assert window.reader.document_id == side.document_id
    assert window.reader.selected_span() == (side.start, side.end)


def test_changes_during_a_search_ask_for_one_more_search_not_many(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import writes document after document; each change asks for the disputes again.
    While a search runs, more requests make one search after it, never parallel ones (each
    reads the whole case)."""
    import threading
    import time

    from casedesk.ui import disputes_view

    calls: list[int] = []
    running = threading.Event()

    def slow(conn: object) -> list[disputes.Dispute]:
        calls.append(1)
        assert not running.is_set(), "two searches at once"
        running.set()
        time.sleep(0.4)
        running.clear()
        return []

    monkeypatch.setattr(disputes_view, "find_disputes", slow)
    finder = window.disputes.finder
    for _ in range(5):
        finder._start()
    qtbot.waitUntil(lambda: len(calls) == 2 and not finder._running, timeout=10_000)
    qtbot.wait(600)
    assert len(calls) == 2
