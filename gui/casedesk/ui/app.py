"""The Qt entry point: ``casedesk`` and ``casedesk open CASE`` end up in ``run``.

Start-up stays light: nothing here imports the language model or the extractors; they load in
the worker thread only when an import or the first-run sample needs them.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import types
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

import casedesk
from casedesk.paths import sample_case_path
from casedesk.store import Case, CaseError
from casedesk.ui.main_window import MainWindow
from casedesk.ui.safe_text import inert
from casedesk.ui.settings import APPLICATION, ORGANISATION, Settings
from casedesk.ui.worker import ImportWorker

TIMING_ENV = "CASEDESK_TIMING"


def _process_age() -> float:
    """Seconds since this process started (Linux), for the start-up figure."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter()


def dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor("#1e1f22"), QColor("#2b2d30"), QColor("#dfe1e5")
    disabled = QColor("#7a7e85")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#25272a"),
        QPalette.ColorRole.ToolTipBase: QColor("#3c3f41"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: disabled,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#35373b"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Highlight: QColor("#2f65ca"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#6ea8fe"),
        QPalette.ColorRole.Mid: QColor("#5a5d63"),
        QPalette.ColorRole.Dark: QColor("#151618"),
        QPalette.ColorRole.Light: QColor("#45484d"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def apply_palette(app: QApplication) -> None:
    """Fusion, light or dark as the system's colour scheme says."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    if app.styleHints().colorScheme() == Qt.ColorScheme.Dark:
        app.setPalette(dark_palette())
    else:
        app.setPalette(app.style().standardPalette())


def make_app() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    # Reading the version imports importlib.metadata (and email): not before the first paint.
    QTimer.singleShot(3000, lambda: app.setApplicationVersion(casedesk.__version__))
    app.setDesktopFileName("org.casedesk.Casedesk")
    try:
        from casedesk.ui.icons import app_icon

        app.setWindowIcon(app_icon())
    except (KeyError, FileNotFoundError, OSError):
        pass
    apply_palette(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_palette(app))
    return app


def open_initial_case(window: MainWindow, case_path: Path | None) -> None:
    """The case given, else the last one, else the sample (written on first run)."""
    if case_path is not None:
        window.open_case(case_path)
        return
    last = window.settings.last_case
    if last is not None and last.exists() and window.open_case(last):
        return
    sample = sample_case_path()
    if sample.exists():
        if window.open_case(sample):
            return
        QMessageBox.information(
            window,
            "Sample case",
            inert(f"The sample case at {sample} cannot be used; writing it anew."),
        )
        sample = sample.with_name(
            f"{sample.stem} ({time.strftime('%Y%m%d-%H%M%S')}){sample.suffix}"
        )
    write_sample_case(window, sample)


def write_sample_case(window: MainWindow, path: Path) -> None:
    """Create the sample case and fill it from the shipped seeds in the worker thread."""
    try:
        case = Case.create(path, name="Sample case: Japan–South Korea export controls")
    except CaseError as exc:
        QMessageBox.warning(window, "Sample case", inert(str(exc)))
        return
    window.set_case(case)
    window.start_work(ImportWorker(path, sample=True, parent=window))


class _FirstPaint(QObject):
    """Reports the time from process start to the reader's first paint with text in it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        window.reader.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self._window.reader.document_id is not None:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        # CPU time beside wall time: on a busy machine the wall time mostly measures the others.
        print(
            f"casedesk: first paint of the reader {_process_age():.3f} s after process start "
            f"(CPU {time.process_time():.3f} s)",
            file=sys.stderr,
            flush=True,
        )
        if os.environ.get(TIMING_ENV) == "quit":
            QApplication.quit()


def install_error_handler(window: MainWindow) -> None:
    """An unexpected error becomes a plain message (details on stderr), never a dead window."""
    import traceback

    def handle(
        kind: type[BaseException], value: BaseException, tb: types.TracebackType | None
    ) -> None:
        traceback.print_exception(kind, value, tb)
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        QMessageBox.critical(
            window,
            "Casedesk",
            inert(
                f"Something went wrong: {value}\n\nYour case file is safe: every change is saved "
                "as one transaction. Details were written to the terminal."
            ),
        )

    sys.excepthook = handle


def run(case_path: Path | None) -> int:
    """Open the window (on ``case_path``, else the last case, else the sample); run it."""
    app = make_app()
    # Ctrl+C in the terminal ends the program as it does any other command.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    window = MainWindow(Settings())
    install_error_handler(window)
    if os.environ.get(TIMING_ENV):
        _FirstPaint(window)
    # The case is opened before the first show, so the first paint already has the document.
    open_initial_case(window, Path(case_path) if case_path is not None else None)
    window.show()
    code = int(app.exec())
    release_clipboard()
    return code


def release_clipboard() -> None:
    """Hand what we put on the clipboard over to Qt before Python exits.

    Qt destroys the clipboard after the interpreter has finalised; if it still holds a
    QMimeData made from Python, deleting it then crashes. Its text is kept (as a Qt-made copy)
    so what the user copied survives the app where a clipboard manager takes it over.
    """
    clipboard = QApplication.clipboard()
    if clipboard.ownsClipboard():
        clipboard.setText(clipboard.text())
