"""Backups of a case: made with SQLite's backup API, a few kept, listed, restored undoably."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from casedesk import backups, store
from casedesk.store import Case, CaseError

ROOT = Path(__file__).resolve().parents[2]


def _add(case: Case, n: int) -> int:
    return case.add_document(
        file_name=f"d{n}.txt", text=f"Document number {n}.", sha256=f"s{n}", format="txt"
    )


def test_a_backup_is_a_whole_case_listed_with_its_counts(tmp_path: Path) -> None:
    path = tmp_path / "case.casedesk"
    with Case.create(path) as case:
        _add(case, 1)
        _add(case, 2)
        made = backups.make(case, "by hand")
        _add(case, 3)  # after the backup: not in it
    assert made.parent == backups.folder(path)
    assert made.parent.is_relative_to(tmp_path) is False  # kept in the data folder
    (listed,) = backups.list_backups(path)
    assert (listed.path, listed.reason, listed.documents, listed.facts) == (made, "by hand", 2, 0)
    assert "2 documents, 0 facts" in listed.label()
    with Case.open(made, readonly=True) as copy:  # a case like any other
        assert copy.document_ids() == [1, 2]


def test_only_the_newest_few_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "case.casedesk"
    with Case.create(path) as case:
        made = []
        for n in range(backups.KEEP + 2):
            _add(case, n)
            made.append(backups.make(case, f"step {n}"))
    kept = backups.list_backups(path)
    assert [b.path for b in kept] == made[::-1][: backups.KEEP]  # newest first
    assert [b.documents for b in kept] == list(range(backups.KEEP + 2, 2, -1))
    assert not made[0].exists() and not made[1].exists()


def test_the_daily_backup_is_made_once_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "case.casedesk"
    with Case.create(path) as case:
        first = backups.make_if_due(case)
        assert first is not None and "daily" in first.name
        assert backups.make_if_due(case) is None  # made today already
        later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1, minutes=1)
        assert backups.due(path, later)
        assert not backups.due(path, dt.datetime.now(dt.UTC) + dt.timedelta(hours=23))


def test_the_daily_backup_can_be_made_on_a_connection_of_its_own(tmp_path: Path) -> None:
    """The window's background backup reads through its own read-only connection while the
    window's connection goes on writing."""
    path = tmp_path / "case.casedesk"
    with Case.create(path) as case:
        _add(case, 1)
        made = backups.make_daily_apart(path)
        assert made is not None and "daily" in made.name
        assert backups.make_daily_apart(path) is None  # made today already
        _add(case, 2)
    (listed,) = backups.list_backups(path)
    assert listed.documents == 1


def test_restoring_replaces_the_case_and_can_be_undone(tmp_path: Path) -> None:
    path = tmp_path / "case.casedesk"
    with Case.create(path) as case:
        _add(case, 1)
        old = backups.make(case, "one document")
        _add(case, 2)
        before = backups.restore(case, old)
        assert case.document_ids() == [1]
        assert case.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert case.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # The state before was backed up first: restoring it undoes the restore.
        backups.restore(case, before)
        assert case.document_ids() == [1, 2]
    with Case.open(path) as case:  # what was restored is in the file
        assert case.document_ids() == [1, 2]
        assert [h.document_id for h in case.search("number")] == [1, 2]  # the index too


def test_a_restore_reaches_another_process_with_the_case_open(tmp_path: Path) -> None:
    path = tmp_path / "case.casedesk"
    with Case.create(path) as case:
        _add(case, 1)
        old = backups.make(case, "one document")
        _add(case, 2)
        other = sqlite3.connect(path)
        assert other.execute("SELECT count(*) FROM documents").fetchone() == (2,)
        backups.restore(case, old)
        assert other.execute("SELECT count(*) FROM documents").fetchone() == (1,)
        other.close()


def test_a_tampered_backup_is_refused_and_the_case_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "case.casedesk"
    with Case.create(path) as case:
        _add(case, 1)
        made = backups.make(case, "tampered later")
        conn = sqlite3.connect(made)
        conn.execute("CREATE TRIGGER steal AFTER INSERT ON tags BEGIN DELETE FROM documents; END")
        conn.commit()
        conn.close()
        _add(case, 2)
        with pytest.raises(CaseError, match="steal"):
            backups.restore(case, made)
        assert case.document_ids() == [1, 2]


def test_a_migration_is_preceded_by_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.casedesk"
    with Case.create(path) as case:
        _add(case, 1)
    later = [*store.MIGRATIONS, "ALTER TABLE documents ADD COLUMN reviewed INTEGER DEFAULT 0;"]
    monkeypatch.setattr(store, "MIGRATIONS", later)
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(later))
    with Case.open(path) as case:
        assert case.schema_version == len(later)
    (made,) = backups.list_backups(path)
    assert f"before the update to case format {len(later)}" in made.reason
    conn = sqlite3.connect(f"{made.path.as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(later) - 1  # as it was
    conn.close()
    # Restoring the old-format backup brings the case back to the current format.
    with Case.open(path) as case:
        backups.restore(case, made.path)
        assert case.schema_version == len(later)
        assert case.document(1)["reviewed"] == 0


def test_a_failed_backup_stops_the_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.casedesk"
    Case.create(path).close()
    version = store.SCHEMA_VERSION
    later = [*store.MIGRATIONS, "ALTER TABLE documents ADD COLUMN reviewed INTEGER DEFAULT 0;"]
    monkeypatch.setattr(store, "MIGRATIONS", later)
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(later))
    blocker = backups.folder(path)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the backups folder goes")
    with pytest.raises(CaseError, match="backup"):
        Case.open(path)
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version  # not migrated
    conn.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "gui"))
    return subprocess.run(
        [sys.executable, "-m", "casedesk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_backup_backups_and_restore_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "case.casedesk"
    with Case.create(path) as case:
        _add(case, 1)
    made = _cli("backup", str(path))
    assert made.returncode == 0, made.stderr
    with Case.open(path) as case:
        _add(case, 2)
    listed = _cli("backups", str(path), "--format", "jsonl")
    assert listed.returncode == 0, listed.stderr
    import json

    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["documents"], r["reason"]) for r in rows] == [(1, "made with casedesk backup")]
    restored = _cli("restore", str(path), rows[0]["path"])
    assert restored.returncode == 0, restored.stderr
    with Case.open(path) as case:
        assert case.document_ids() == [1]
    assert [
        r["documents"]
        for r in map(
            json.loads, _cli("backups", str(path), "--format", "jsonl").stdout.splitlines()
        )
    ] == [2, 1]


def test_a_backup_of_one_document_says_so_in_the_singular(tmp_path: Path) -> None:
    path = tmp_path / "case.casedesk"
    with Case.create(path) as case:
        _add(case, 1)
        backups.make(case, "one")
    (listed,) = backups.list_backups(path)
    assert listed.label().endswith("— one — 1 document, 0 facts")
