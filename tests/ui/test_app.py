"""Start-up: the case given, the last case, or (first run) the sample written in the background."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from casedesk.ui import app as app_module
from casedesk.ui.main_window import MainWindow
from casedesk.ui.settings import Settings


@pytest.fixture
def fresh_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings)
    qtbot.addWidget(win)
    return win


def test_first_run_writes_the_sample_case_in_the_background(
    qtbot: QtBot, fresh_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    sample = tmp_path / "data" / "Sample case.casedesk"
    sample.parent.mkdir()
    monkeypatch.setattr(app_module, "sample_case_path", lambda: sample)
    with qtbot.waitSignal(fresh_window.work_finished, timeout=120_000):
        app_module.open_initial_case(fresh_window, None)
        # The window is usable while the sample is written.
        assert fresh_window.case is not None
        assert fresh_window.worker is not None
    assert sample.exists()
    assert fresh_window.sources_model.rowCount() == 5
    assert fresh_window.settings.last_case == sample.resolve()
    fresh_window.cancel_work(wait=True)


def test_next_start_opens_the_last_case(
    fresh_window: MainWindow, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "sample_case_path", lambda: Path("/nonexistent/x.casedesk"))
    fresh_window.settings.add_recent(sample_path)
    app_module.open_initial_case(fresh_window, None)
    assert fresh_window.case is not None
    assert fresh_window.case.path == sample_path.resolve()
    assert fresh_window.sources_model.rowCount() == 5


def test_a_bad_case_on_the_command_line_gets_a_message(
    fresh_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "casedesk.ui.main_window.QMessageBox.warning",
        lambda parent, title, text, *a: shown.append(text),
    )
    missing = tmp_path / "gone.casedesk"
    app_module.open_initial_case(fresh_window, missing)
    assert fresh_window.case is None
    assert shown and "no such file" in shown[0]


def test_casedesk_open_shows_the_window_and_reports_first_paint(sample_path: Path) -> None:
    # In a child process: app.exec() and quit() would end the event loops of this test session.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{app_module.TIMING_ENV: "quit"})
    result = subprocess.run(
        [sys.executable, "-m", "casedesk", "open", str(sample_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "first paint of the reader" in result.stderr
    assert "Traceback" not in result.stderr


def test_dark_scheme_gives_a_dark_palette() -> None:
    palette = app_module.dark_palette()
    assert palette.color(palette.ColorRole.Base).lightness() < 60
    assert palette.color(palette.ColorRole.Text).lightness() > 180


def test_start_up_does_not_load_the_language_model() -> None:
    code = (
        "import sys, casedesk.cli, casedesk.ui.app, casedesk.ui.main_window, casedesk.edits; "
        "bad = [m for m in ('spacy', 'casedesk.extract.pipeline', 'thinc') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


FIRST_PAINT_PROBE = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from casedesk.ui import app as app_module
from casedesk.ui.main_window import MainWindow
from casedesk.ui.settings import Settings
from PySide6.QtCore import QSettings

app = app_module.make_app()
settings = Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
window = MainWindow(settings)
app_module.open_initial_case(window, Path(sys.argv[1]))
window.show()
heavy = ("markdown", "sqlite_utils", "numpy", "casedesk.export", "casedesk.ui.export_dialog",
         "casedesk.extract.pipeline", "spacy", "importlib.metadata")

def report():
    assert window.reader.document_id is not None
    print("LOADED", [m for m in heavy if m in sys.modules])
    app.quit()

QTimer.singleShot(0, lambda: (window.reader.viewport().repaint(), report()))
app.exec()
"""


def test_nothing_heavy_is_imported_before_the_first_paint(
    sample_path: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT_PROBE, str(sample_path), str(tmp_path / "s.ini")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout, result.stdout + result.stderr
