"""Backups of a case: copies made with SQLite's online backup API, a few kept per case.

A backup is made before a migration, and once a day while a case is in use (the window checks
when it opens a case and every hour after). Backups live in the user's data folder, under
``backups/<case name>-<key>/`` (the key tells apart cases of the same name in different
folders), so a case folder shared with others or made read-only never fills with copies. The
newest ``KEEP`` are kept; older ones are removed as new ones are made.

Restoring copies a backup into the open case through the same API, in one step under the case's
write lock: the case file stays where and what it is (other programs with it open see the
change as any other write), and the state before is itself backed up first, so a restore is
undone by restoring that backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casedesk.store import SUFFIX, Case, CaseError, check_backup, migrate_to_current

KEEP = 5
DAILY = dt.timedelta(days=1)
_STAMP = "%Y-%m-%dT%H-%M-%SZ"
_NAME = re.compile(r"^(?P<stamp>\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ)(?:-(?P<n>\d+))? (?P<reason>.*)$")


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: dt.datetime  # UTC
    reason: str
    documents: int | None  # None when the copy cannot be read
    facts: int | None
    size: int

    def label(self) -> str:
        local = self.made_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if self.documents is None:
            return f"{local} — {self.reason} — unreadable"
        counts = f"{_count(self.documents, 'document')}, {_count(self.facts or 0, 'fact')}"
        return f"{local} — {self.reason} — {counts}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def folder(case_path: Path) -> Path:
    """Where the backups of the case at ``case_path`` are kept (not created here)."""
    from casedesk.paths import data_dir

    resolved = case_path.resolve()
    key = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:10]
    stem = re.sub(r"[^\w .-]+", "_", resolved.stem)[:60] or "case"
    return data_dir() / "backups" / f"{stem}-{key}"


def make(case: Case, reason: str) -> Path:
    """Back up the open case now; return the new backup's path. Raises ``CaseError``."""
    return backup_connection(case.conn, case.path, reason, turn=case.turn)


def backup_connection(
    conn: sqlite3.Connection,
    case_path: Path,
    reason: str,
    *,
    turn: Callable[[], AbstractContextManager[Any]] | None = None,
) -> Path:
    """Copy the database behind ``conn`` into a new backup of ``case_path``."""
    target_folder = folder(case_path)
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CaseError(
            f"{case_path}: cannot make a backup in {target_folder} ({exc.strerror or exc})"
        ) from None
    now = dt.datetime.now(dt.UTC)
    clean_reason = " ".join(re.sub(r"[^\w ,.()-]+", " ", reason).split())[:60] or "backup"
    target = _free_name(target_folder, now, clean_reason)
    partial = target.with_name(f".{target.name}.partial")
    try:
        dest = sqlite3.connect(partial)
        try:
            with _taking_turns(turn):
                conn.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dest.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        with suppress(OSError):
            partial.unlink()
        raise CaseError(f"{case_path}: the backup could not be written ({exc})") from None
    prune(case_path)
    return target


@contextmanager
def _taking_turns(turn: Callable[[], AbstractContextManager[Any]] | None) -> Iterator[None]:
    if turn is None:
        yield
        return
    with turn():
        yield


def _free_name(target_folder: Path, when: dt.datetime, reason: str) -> Path:
    """``<time> <reason>.casedesk``; a second backup within the same second is numbered
    (``<time>-2 …``), whatever its reason, so names sort in the order they were made."""
    stamp = when.strftime(_STAMP)
    numbers = [
        parsed[1]
        for entry in target_folder.iterdir()
        if (parsed := _parse(entry)) is not None and entry.name.startswith(stamp)
    ]
    if not numbers:
        return target_folder / f"{stamp} {reason}{SUFFIX}"
    return target_folder / f"{stamp}-{max(numbers) + 1} {reason}{SUFFIX}"


def _parse(path: Path) -> tuple[dt.datetime, int, str] | None:
    if not path.name.endswith(SUFFIX):
        return None
    found = _NAME.match(path.name[: -len(SUFFIX)])
    if found is None:
        return None
    made = dt.datetime.strptime(found["stamp"], _STAMP).replace(tzinfo=dt.UTC)
    return made, int(found["n"] or 1), found["reason"]


def _files(case_path: Path) -> list[tuple[dt.datetime, Path, str]]:
    """The backup files of a case, newest first."""
    try:
        entries = list(folder(case_path).iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        parsed = _parse(entry)
        if parsed is not None and entry.is_file():
            found.append((parsed[0], parsed[1], entry, parsed[2]))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [(made, path, reason) for made, _n, path, reason in found]


def prune(case_path: Path, keep: int = KEEP) -> None:
    """Remove all but the newest ``keep`` backups of a case."""
    for _made, path, _reason in _files(case_path)[keep:]:
        with suppress(OSError):
            path.unlink()


def list_backups(case_path: Path) -> list[Backup]:
    """The case's backups, newest first, with their document and fact counts."""
    backups = []
    for made, path, reason in _files(case_path):
        documents = facts = None
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                documents = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
                facts = int(
                    conn.execute(
                        "SELECT count(*) FROM facts WHERE status != 'rejected'"
                    ).fetchone()[0]
                )
            finally:
                conn.close()
        except sqlite3.Error:
            pass
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        backups.append(Backup(path, made, reason, documents, facts, size))
    return backups


def due(case_path: Path, now: dt.datetime | None = None) -> bool:
    """True if the case has no backup made in the last day."""
    files = _files(case_path)
    if not files:
        return True
    return (now or dt.datetime.now(dt.UTC)) - files[0][0] >= DAILY


def make_if_due(case: Case) -> Path | None:
    """The daily backup: made if the last is a day old or there is none."""
    if case.readonly or not due(case.path):
        return None
    return make(case, "daily")


def make_daily_apart(case_path: Path) -> Path | None:
    """The daily backup, read through a read-only connection of its own, for a thread that
    must not hold the open case's connection for the seconds a big case takes (in WAL mode
    that reader keeps nobody waiting). Raises ``CaseError``."""
    if not due(case_path):
        return None
    try:
        conn = sqlite3.connect(f"{case_path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise CaseError(f"{case_path}: cannot read the case to back it up ({exc})") from None
    try:
        return backup_connection(conn, case_path, "daily")
    finally:
        conn.close()


def restore(case: Case, backup: Path) -> Path:
    """Replace the open case's content with ``backup``'s; return the backup of the state
    before (restoring it undoes this). The backup is checked as a case file first."""
    version = check_backup(backup)
    before = make(case, "before restoring a backup")
    try:
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise CaseError(f"{backup}: cannot read the backup ({exc})") from None
    try:
        with case.turn():
            source.backup(case.conn)
            migrate_to_current(case, version)
    except sqlite3.Error as exc:
        raise CaseError(f"{case.path}: the backup could not be restored ({exc})") from None
    finally:
        source.close()
    return before
