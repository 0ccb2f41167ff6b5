"""Documents an interrupted import left unextracted are extracted when the case is opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from casedesk.ingest import import_paths
from casedesk.store import Case
from casedesk.ui.main_window import MainWindow
from casedesk.ui.settings import Settings


def test_opening_a_case_extracts_what_was_left_unextracted(qtbot: QtBot, tmp_path: Path) -> None:
    article = tmp_path / "wire.txt"
    article.write_text(
        "Trade Minister Anna Berg said on Tuesday that Sweden will restrict exports of "
        "lithium hydroxide from next month.\n"
    )
    path = tmp_path / "c.casedesk"
    with Case.create(path) as case:
        report = import_paths(case, [article])  # imported, then the app was killed
        assert report.imported
    window = MainWindow(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.work_finished, timeout=120_000):
        assert window.open_case(path)
    assert window.case is not None
    facts = window.case.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    assert facts > 0
