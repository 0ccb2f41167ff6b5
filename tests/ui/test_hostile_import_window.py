"""A batch dropped on the window with files that crash a reader library: each is listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from casedesk.ui.main_window import MainWindow
from casedesk.ui.worker import ImportSummary

FUZZ_DATA = Path(__file__).resolve().parents[1] / "data" / "fuzz"


def test_window_lists_each_bad_file_of_a_batch(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "open", lambda self: boxes.append(self))
    good = tmp_path / "ferry.txt"
    good.write_text("Ferry services resumed on Monday, the operator said.\n\nMore.", "utf-8")
    bad = []
    for source in sorted(FUZZ_DATA.glob("pdf-*.pdf")):
        target = tmp_path / f"<img src='x'> {source.name}"
        target.write_bytes(source.read_bytes())
        bad.append(target)
    assert len(bad) >= 3
    with qtbot.waitSignal(window.work_finished, timeout=60_000) as blocker:
        window.handle_dropped([*bad, good])
    summary = blocker.args[0]
    assert isinstance(summary, ImportSummary)
    assert [Path(p).name for p, _ in summary.imported] == ["ferry.txt"]
    assert sorted(Path(p).name for p, _ in summary.failed) == sorted(p.name for p in bad)
    (box,) = boxes
    for path in bad:
        assert path.name in box.detailedText()
    # The names are shown as text (escaped), not as an image tag for Qt to load.
    assert "&lt;img src=" in box.informativeText() and "<img" not in box.informativeText()
