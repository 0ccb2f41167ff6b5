"""The window and other programs on the same case file."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from casedesk.ui.main_window import MainWindow
from casedesk.ui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

_HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta(key, value) VALUES ('holder', 'x')")
    print("holding", flush=True)
    sys.stdin.readline()
    """
)


def test_a_busy_case_is_a_message_naming_the_holder_not_a_traceback(
    window: MainWindow, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.case is not None and window.commands is not None
    doc_id = window.case.document_ids()[0]
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(sample_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    try:
        assert holder.stdout.readline().strip() == "holding"
        window.case.conn.execute("PRAGMA busy_timeout=200")
        commands = window.commands
        window._edit("Highlight", lambda: commands.add_annotation(doc_id, 0, 5))
    finally:
        holder.kill()
        holder.wait()
    assert len(shown) == 1
    assert "busy" in shown[0] and f"process {holder.pid}" in shown[0], shown[0]
    assert window.undo_stack.count() == 0  # nothing recorded as done


def test_a_stray_wal_moved_aside_is_told_in_the_window(
    qtbot: QtBot, sample_path: Path, settings: Settings
) -> None:
    wal = Path(str(sample_path) + "-wal")
    # A WAL header of a database with 1 KiB pages: not the case's (4 KiB).
    wal.write_bytes(struct.pack(">IIIIIIII", 0x377F0682, 3007000, 1024, 0, 1, 2, 3, 4))
    win = MainWindow(settings)
    qtbot.addWidget(win)
    assert win.open_case(sample_path)
    boxes = [b for b in win.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "moved aside" in boxes[0].text(), [b.text() for b in boxes]
    assert "page size" in boxes[0].text()
    assert not wal.exists() or wal.stat().st_size == 0
    assert list(sample_path.parent.glob("*.stray-*"))
    for box in boxes:
        box.close()
    win.set_case(None)


_OTHER_PROCESS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from casedesk import edits
    from casedesk.store import Case

    with Case.open(Path(sys.argv[1])) as case:
        edits.add_annotation(case, int(sys.argv[2]), 0, 5, note="noted in another window")
        case.add_document(
            file_name="elsewhere.txt", text="Imported by another program.", sha256="elsewhere",
            format="txt",
        )
        # Marked extracted: the window's resumed extraction has nothing to pick up.
        case.conn.execute("UPDATE documents SET extractor = 'elsewhere' WHERE sha256 = 'elsewhere'")
    """
)


def test_the_window_shows_changes_another_process_made_within_a_second(
    window: MainWindow, sample_path: Path, qtbot: QtBot
) -> None:
    assert window.case is not None
    doc_id = window.reader.document_id
    assert doc_id is not None
    rows = window.sources_model.rowCount()
    qtbot.wait(600)  # the window has taken its first look
    env = dict(os.environ, PYTHONPATH=str(ROOT / "gui"))
    subprocess.run(
        [sys.executable, "-c", _OTHER_PROCESS, str(sample_path), str(doc_id)],
        check=True,
        env=env,
        timeout=60,
    )

    def shown() -> None:
        assert window.sources_model.rowCount() == rows + 1
        notes = [a["note"] for a in window.reader._annotations]
        assert "noted in another window" in notes

    qtbot.waitUntil(shown, timeout=1500)
    assert window.reader.document_id == doc_id  # the reader stayed on its document


def test_the_window_does_not_refresh_for_its_own_changes(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.case is not None and window.commands is not None
    window.check_other_changes()  # the first look
    doc_id = window.case.document_ids()[0]
    commands = window.commands
    window._edit("Highlight", lambda: commands.add_annotation(doc_id, 0, 5))
    assert window.check_other_changes() is False


def test_the_daily_backup_is_made_soon_after_the_case_opens(
    window: MainWindow, sample_path: Path, qtbot: QtBot
) -> None:
    from casedesk import backups

    qtbot.waitUntil(lambda: bool(backups.list_backups(sample_path)), timeout=10_000)
    (made,) = backups.list_backups(sample_path)
    assert made.reason == "daily" and made.documents == 5
    assert window.backup_if_due() is False  # once a day


def test_restore_from_backup_lists_backups_and_restores_undoably(
    window: MainWindow, sample_path: Path
) -> None:
    from casedesk.ui.actions import ActionId
    from casedesk.ui.backup_dialog import RestoreBackupDialog

    assert window.case is not None
    assert window.registry[ActionId.RESTORE_BACKUP].isEnabled()
    made = window.backup_now()
    assert made is not None
    rows = window.sources_model.rowCount()
    window.case.delete_document(window.case.document_ids()[0])
    window.refresh_from_case()
    assert window.sources_model.rowCount() == rows - 1
    dialog = RestoreBackupDialog(window.case.path, window)
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert "made by hand" in labels[0] and f"{rows} documents" in labels[0], labels
    assert dialog.chosen() == made
    dialog.deleteLater()
    before = window.restore_backup(made)
    assert before is not None
    assert window.sources_model.rowCount() == rows
    assert window.undo_stack.count() == 0
    window.restore_backup(before)  # undoes the restore
    assert window.sources_model.rowCount() == rows - 1


def test_closing_the_window_during_a_background_extraction_raises_nothing(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.case is not None
    doc_id = window.case.document_ids()[0]
    window.case.conn.execute("UPDATE documents SET extractor = NULL WHERE id = ?", (doc_id,))
    window._resume_extraction()
    assert window.worker is not None
    # Closing waits for the work to stop; what it reported meanwhile arrives after the case
    # was closed, and must find nothing to read.
    window.close()
    qtbot.wait(300)
    assert window.case is None
