"""The window and other programs on the same case file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from casedesk.ui.main_window import MainWindow

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
