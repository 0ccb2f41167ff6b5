"""The window and other programs on the same case file."""

from __future__ import annotations

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
