"""Whole-window flow: open → annotate → undo → redo → close → reopen, and it is still there."""

from __future__ import annotations

import warnings
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from casedesk.store import Case
from casedesk.ui.actions import ActionId
from casedesk.ui.main_window import MainWindow
from casedesk.ui.settings import Settings


def _sample(tmp_path: Path) -> Path:
    from casedesk.ingest import import_sample

    path = tmp_path / "Sample.casedesk"
    with Case.create(path) as case:
        import_sample(case)
    return path


def _window(qtbot: QtBot, settings: Settings) -> MainWindow:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    win.raise_()
    win.activateWindow()
    # Offscreen, activation can lag behind earlier windows' teardown; ask for it directly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(win)
    qtbot.waitUntil(win.isActiveWindow)
    return win


def test_annotation_survives_undo_redo_and_reopening(qtbot: QtBot, tmp_path: Path) -> None:
    path = _sample(tmp_path)
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = _window(qtbot, settings)
    assert win.open_case(path)

    # Pick the second document in the sources list, as a user would.
    view = win.sources_panel.view
    rect = view.visualRect(win.sources_model.index(1, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    doc_id = win.reader.document_id
    assert doc_id is not None
    text = win.reader.toPlainText()
    start = text.index("Japan")
    win.reader.setFocus()
    win.reader.select_span(start, start + len("Japan"))
    win.registry[ActionId.TAG_SELECTION].trigger()
    assert win.reader.layer("annotations") == [(start, start + 5)]

    qtbot.keyClick(win.reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.reader.layer("annotations") == []
    qtbot.keyClick(
        win.reader,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert win.reader.layer("annotations") == [(start, start + 5)]
    win.close()

    # Reopen from the recent-cases list in a new window.
    assert settings.recent_cases[0] == path.resolve()
    again = _window(qtbot, settings)
    assert again.open_case(settings.recent_cases[0])
    again.show_document(doc_id)
    assert again.reader.layer("annotations") == [(start, start + 5)]
    assert again.sources_model.data(again.sources_model.index(1, 4)) == 1
    again.close()
    with Case.open(path) as case:
        rows = case.conn.execute("SELECT document_id, text FROM annotations").fetchall()
    assert rows == [(doc_id, "Japan")]


def test_a_case_reopens_on_the_document_left_open(qtbot: QtBot, tmp_path: Path) -> None:
    path = _sample(tmp_path)
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = _window(qtbot, settings)
    assert win.open_case(path)
    third = win.sources_model.doc_id(2)
    assert third is not None
    win.show_document(third)
    win.close()
    again = _window(qtbot, settings)
    assert again.open_case(path)
    assert again.reader.document_id == third
    assert again.sources_panel.current_document() == third
    again.close()
