"""The case file: one SQLite database per case, written through sqlite-utils.

The file is meant to be opened by anyone with SQLite tools, so the schema is plain tables with
documented columns (see the README). Three promises shape this module:

* Spans are character offsets into ``documents.text``, which is never changed after import.
* Every user-visible change runs in one transaction (``Case.transaction``), and the database runs
  in WAL mode, so a crash or kill at any moment leaves the file consistent.
* A case file may come from someone else. It is opened with ``trusted_schema=OFF``, checked with
  ``quick_check``, and refused unless every trigger and view it carries is exactly the SQL this
  version of Casedesk writes; only then are our own triggers (which keep the FTS5 index in step)
  allowed to run.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import sqlite_utils

APPLICATION_ID = 0x43534B31  # "CSK1": marks a SQLite file as a Casedesk case
SUFFIX = ".casedesk"
# How long a write waits for another connection (or thread) to finish its own.
BUSY_TIMEOUT_MS = 5000

FACT_KINDS = (
    "date",
    "duration",
    "person",
    "organization",
    "place",
    "material",
    "quantity",
    "event",
    "claim",
)
ENTITY_KINDS = ("person", "organization", "place", "material", "quantity")
FACT_STATUSES = ("extracted", "confirmed", "rejected", "manual")
# Statuses a re-extraction must leave alone: the user has spoken on these facts.
USER_STATUSES = ("confirmed", "rejected", "manual")


class CaseError(Exception):
    """A case file cannot be opened or used; the message names the file and the reason."""


class CaseBusy(CaseError, sqlite3.OperationalError):
    """Another connection kept the case locked past the busy timeout; nothing was changed.
    Also an ``sqlite3.Error``, so code that reports storage errors reports this one."""


def describe_error(path: Path | str | None, exc: BaseException) -> str:
    """A storage error as a message for the user, naming the file and what it means."""
    if isinstance(exc, CaseError):
        return str(exc)
    where = f"{path}: " if path else ""
    text = str(exc)
    lowered = text.lower()
    if "database is locked" in lowered or "database is busy" in lowered:
        return busy_message(Path(path)) if path else f"the case is busy ({text})"
    if "malformed" in lowered or "file is not a database" in lowered:
        return (
            f"{where}the file is damaged ({text}); restore it from a backup, or open a copy "
            "with the sqlite3 shell's .recover"
        )
    if "disk i/o error" in lowered or "database or disk is full" in lowered:
        return f"{where}could not write the case ({text}); check the disk, then try again"
    if "readonly" in lowered or "read-only" in lowered:
        return f"{where}the case cannot be written ({text}); check the file's permissions"
    return f"{where}{text}"


def busy_message(path: Path) -> str:
    """Why a change could not be saved to a busy case, naming what holds it where it can."""
    holders = _holders(path)
    who = ", ".join(holders[:3]) or "another program (or another Casedesk window)"
    return (
        f"{path}: the case is busy: {who} is writing to it and did not finish within "
        f"{BUSY_TIMEOUT_MS // 1000} seconds, so nothing was changed. Try again when it has "
        "finished."
    )


def _holders(path: Path) -> list[str]:
    """Other processes with the case (or its WAL) open, as "sqlite3 (process 12)"; best effort,
    from /proc where there is one. Reads links and process names only, never the case."""
    try:
        target = str(path.resolve())
    except OSError:
        return []
    names = {target, target + "-wal"}
    found: list[str] = []
    proc = Path("/proc")
    try:
        pids = [e.name for e in proc.iterdir() if e.name.isdigit()]
    except OSError:
        return []
    me = str(os.getpid())
    for pid in pids:
        if pid == me:
            continue
        links: set[str] = set()
        try:
            for fd in (proc / pid / "fd").iterdir():
                with suppress(OSError):  # closed meanwhile
                    links.add(os.readlink(fd))
        except OSError:
            continue  # not ours to look at
        if not links & names:
            continue
        try:
            argv = (proc / pid / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            argv = []
        program = Path(argv[0]).name if argv and argv[0] else "another program"
        module = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else ""
        if program.startswith("casedesk") or module.startswith("casedesk"):
            found.append(f"another Casedesk window or command (process {pid})")
        else:
            found.append(f"{program} (process {pid})")
    return found


def _kinds_sql(kinds: Sequence[str]) -> str:
    return ", ".join(f"'{k}'" for k in kinds)


# Ordered migrations: MIGRATIONS[i] takes a case from user_version i to i + 1. Never edit a
# released migration; append a new one. The canonical schema of each version is what these
# scripts produce, and ``Case.open`` compares a file against it.
MIGRATIONS: list[str] = [
    f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    title TEXT,
    publisher TEXT,
    url TEXT,
    published TEXT,
    published_inferred INTEGER NOT NULL DEFAULT 0,
    published_evidence TEXT,
    language TEXT,
    sha256 TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    encoding TEXT,
    imported_at TEXT NOT NULL,
    words INTEGER NOT NULL DEFAULT 0,
    extracted_at TEXT,
    extractor TEXT,
    text TEXT NOT NULL
);
CREATE INDEX documents_file_name ON documents(file_name);
CREATE INDEX documents_published ON documents(published);
CREATE TABLE boilerplate (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX boilerplate_document ON boilerplate(document_id, start);
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ({_kinds_sql(ENTITY_KINDS)})),
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'extracted'
        CHECK (status IN ({_kinds_sql(FACT_STATUSES)})),
    attrs TEXT
);
CREATE INDEX entities_kind_key ON entities(kind, key);
CREATE TABLE aliases (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    key TEXT NOT NULL,
    UNIQUE (entity_id, alias)
);
CREATE INDEX aliases_key ON aliases(key);
CREATE TABLE merge_proposals (
    id INTEGER PRIMARY KEY,
    entity_a INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    entity_b INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'accepted', 'rejected')),
    UNIQUE (entity_a, entity_b)
);
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ({_kinds_sql(FACT_KINDS)})),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT,
    modifier TEXT,
    entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'extracted'
        CHECK (status IN ({_kinds_sql(FACT_STATUSES)})),
    original_value TEXT,
    provenance TEXT NOT NULL,
    attrs TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (start >= 0 AND end >= start)
);
CREATE INDEX facts_document ON facts(document_id, start);
CREATE INDEX facts_entity ON facts(entity_id);
CREATE INDEX facts_kind ON facts(kind);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_end TEXT NOT NULL,
    precision TEXT NOT NULL CHECK (precision IN ('year', 'month', 'week', 'day', 'time')),
    modifier TEXT,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'extracted'
        CHECK (status IN ({_kinds_sql(FACT_STATUSES)}))
);
CREATE INDEX events_date ON events(date_start, date_end);
CREATE TABLE event_sources (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, fact_id)
);
CREATE INDEX event_sources_fact ON event_sources(fact_id);
CREATE TABLE event_entities (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, entity_id)
);
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    colour TEXT NOT NULL
);
CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    tag_id INTEGER REFERENCES tags(id) ON DELETE SET NULL,
    colour TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (start >= 0 AND end >= start)
);
CREATE INDEX annotations_document ON annotations(document_id, start);
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
""",
    # 2: the case's standing decisions (casedesk.corrections): what the user said about an
    # entity or a fact, applied by every later extraction. Entities are listed by kind and
    # name, so the Entities view pages through an index.
    f"""
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL
        CHECK (action IN ('rename', 'kind', 'merge', 'split', 'reject', 'confirm_fact',
                          'reject_fact')),
    entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL,
    kind TEXT CHECK (kind IS NULL OR kind IN ({_kinds_sql(FACT_KINDS)})),
    spellings TEXT NOT NULL DEFAULT '[]',
    value TEXT,
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER,
    end INTEGER,
    detail TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX corrections_entity ON corrections(entity_id);
CREATE INDEX corrections_document ON corrections(document_id);
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);
CREATE INDEX facts_entity_document ON facts(entity_id, document_id);
""",
    # 3: documents that are parts of another (an e-mail's attachments), e-mail threads and
    # Message-IDs (a reply finds its thread by the one it answers), the
    # OCR that produced a text (engine, languages, per-page confidence) and format-specific
    # fields (an e-mail's sender and recipients, a Word file's author), both as JSON.
    """
ALTER TABLE documents ADD COLUMN parent_id INTEGER REFERENCES documents(id) ON DELETE SET NULL;
ALTER TABLE documents ADD COLUMN thread_id TEXT;
ALTER TABLE documents ADD COLUMN message_id TEXT;
ALTER TABLE documents ADD COLUMN ocr TEXT;
ALTER TABLE documents ADD COLUMN attrs TEXT;
CREATE INDEX documents_parent ON documents(parent_id);
CREATE INDEX documents_thread ON documents(thread_id);
CREATE INDEX documents_message_id ON documents(message_id);
""",
    # 4: an entity's timeline links and merge proposals found by the entity (deleting or
    # merging one entity scanned both tables); an entity's mention and document counts read
    # from one index (the Entities view sorts 100,000 entities by them), which also serves
    # every look-up by entity (one index less to update for each mention written or moved).
    """
CREATE INDEX event_entities_entity ON event_entities(entity_id);
CREATE INDEX merge_proposals_b ON merge_proposals(entity_b);
DROP INDEX facts_entity_document;
DROP INDEX facts_entity;
CREATE INDEX facts_entity_counts ON facts(entity_id, kind, status, document_id);
""",
    # 5: the user's decisions on disputed facts (casedesk.disputes): a dispute is found anew
    # from the facts each time, under an id derived from what it is, so a decision outlives
    # extraction run again.
    """
CREATE TABLE dispute_decisions (
    dispute_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('claim', 'date', 'quantity', 'event')),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('resolved', 'not_a_dispute')),
    note TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL
);
""",
]

SCHEMA_VERSION = len(MIGRATIONS)

DEFAULT_TAGS = (
    ("Key point", "#f6c343"),
    ("Question", "#5aa9e6"),
    ("Contradiction", "#e4572e"),
    ("Follow up", "#7bc950"),
)

_canonical_cache: dict[int, set[tuple[str, str, str]]] = {}


def _canonical_schema(version: int) -> set[tuple[str, str, str]]:
    """The (type, name, sql) of every trigger and view a case of ``version`` holds."""
    if version not in _canonical_cache:
        conn = sqlite3.connect(":memory:")
        try:
            for script in MIGRATIONS[:version]:
                for statement in _split_sql(script):
                    conn.execute(statement)
            rows = conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
            ).fetchall()
        finally:
            conn.close()
        _canonical_cache[version] = {(t, n, s) for t, n, s in rows}
    return _canonical_cache[version]


_tables_cache: dict[int, dict[str, tuple[str, tuple[tuple[str, str, bool], ...]]]] = {}


def canonical_tables(version: int) -> dict[str, tuple[str, tuple[tuple[str, str, bool], ...]]]:
    """Every table a case of ``version`` holds as Casedesk writes it: its name, its SQL and
    its columns as (name, declared type, NOT NULL)."""
    if version not in _tables_cache:
        conn = sqlite3.connect(":memory:")
        try:
            for script in MIGRATIONS[:version]:
                for statement in _split_sql(script):
                    conn.execute(statement)
            tables: dict[str, tuple[str, tuple[tuple[str, str, bool], ...]]] = {}
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            ).fetchall():
                columns = tuple(
                    (str(row[1]), str(row[2]).upper(), bool(row[3]))
                    for row in conn.execute("SELECT * FROM pragma_table_info(?)", (name,))
                )
                tables[str(name)] = (str(sql), columns)
        finally:
            conn.close()
        _tables_cache[version] = tables
    return _tables_cache[version]


_T = TypeVar("_T")


def chunked(items: Sequence[_T], size: int = 500) -> Iterator[tuple[Sequence[_T], str]]:
    """``items`` in pieces short enough for one ``IN (...)`` list, each with its placeholders
    (``"?,?,?"``)."""
    for i in range(0, len(items), size):
        chunk = items[i : i + size]
        yield chunk, ",".join("?" * len(chunk))


def now_iso() -> str:
    """The current UTC time, to the second, as stored in timestamp columns."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class SearchHit:
    document_id: int
    file_name: str
    title: str | None
    snippet: str
    score: float


class _Connection:
    """The one SQLite connection a process keeps to a case file.

    Every ``Case`` this process opens on the same file shares it (a background job in the
    window's process borrows the window's connection instead of opening the file again), and
    it is closed when the last of them closes. Transactions of different threads on it take
    turns: ``lock`` is held from BEGIN to COMMIT.
    """

    def __init__(
        self, conn: sqlite3.Connection, path: Path, key: tuple[int, int], readonly: bool = False
    ) -> None:
        self.conn = conn
        self.readonly = readonly
        self.path = path.resolve()
        self.key = key
        self.users = 0
        self.lock = threading.RLock()
        self.depth = 0
        self.commits = 0  # transactions committed through this connection
        self.pid = os.getpid()

    def moved(self) -> bool:
        """True when the path no longer names the file this connection has open."""
        if self.key[0] == -1:
            return False  # a connection of its own, never registered
        try:
            return _file_key(self.path.stat()) != self.key
        except OSError:
            return True

    def keep_in_moved_file(self) -> None:
        """Copy what the WAL holds into the file this connection has open: SQLite does not
        on closing a file that was moved or deleted, and the WAL, named after the path,
        would then sit beside whatever file is there now."""
        with suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def usable(self) -> bool:
        try:
            self.conn.execute("SELECT 1").fetchone()
        except sqlite3.ProgrammingError:  # closed behind our back
            return False
        except sqlite3.Error:
            return True  # busy or similar: still open
        return True


# The connections this process has open, by the case file's (device, inode). Held while a case
# is opened or closed, so no thread reads a file another thread is connecting to.
_REGISTRY_LOCK = threading.RLock()
_OPEN: dict[tuple[int, int], list[_Connection]] = {}


def _file_key(info: os.stat_result) -> tuple[int, int]:
    return (info.st_dev, info.st_ino)


def _in_use_here(key: tuple[int, int]) -> bool:
    """True if this process has a connection open on the file (under any of its names)."""
    return any(c.pid == os.getpid() for c in _OPEN.get(key, ()))


def is_open_case_file(path: Path) -> bool:
    """True if ``path`` is a case file this process has open, or its ``-wal``/``-shm``/
    ``-journal``: such a file must never be opened with Python file objects (see
    ``_read_before_connecting``)."""
    candidates = [path]
    for ending in ("-wal", "-shm", "-journal"):
        if path.name.endswith(ending):
            candidates.append(path.with_name(path.name[: -len(ending)]))
    with _REGISTRY_LOCK:
        for candidate in candidates:
            try:
                if _in_use_here(_file_key(candidate.stat())):
                    return True
            except OSError:
                continue
    return False


_CREATING = ".creating-"


def _remove_files(path: Path) -> None:
    for ending in ("", "-wal", "-shm", "-journal"):
        with suppress(OSError):
            path.with_name(path.name + ending).unlink()


def _remove_unfinished(path: Path) -> None:
    """Clear away what a creation of ``path`` killed before it finished left behind (the
    hidden temporary file of a process that is gone)."""
    prefix = f".{path.name}{_CREATING}"
    try:
        leftovers = [p for p in path.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    for leftover in leftovers:
        pid = leftover.name[len(prefix) :]
        if not pid.isdigit():
            continue  # its -wal or -shm: removed with the file itself
        try:
            os.kill(int(pid), 0)
            if int(pid) != os.getpid():
                continue  # still being created by a running process
        except ProcessLookupError:
            pass
        except OSError:
            continue
        _remove_files(leftover)


def _stat_case(path: Path) -> os.stat_result:
    """The case file's status, refusing what cannot be a case before anything reads it."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise CaseError(f"{path}: no such file") from None
    except OSError as exc:
        raise CaseError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise CaseError(f"{path}: is a folder, not a case file")
    if not stat.S_ISREG(info.st_mode):
        raise CaseError(
            f"{path}: not a regular file ({_file_kind(info.st_mode)}), so not a case file"
        )
    return info


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not an ordinary file"


@dataclass
class _Before:
    """What the case's files say before any connection of this process opens them."""

    header: bytes  # the case file's first 100 bytes
    held_elsewhere: bool  # another process holds SQLite's locks on it (has it open)
    wal: bytes = b""  # the -wal's first 32 bytes
    wal_size: int = 0
    wal_kind: str = ""  # what the -wal is when it is not a regular file
    wal_app_ids: tuple[int, ...] = ()  # application_id of each copy of page 1 in the WAL


_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_FRAMES_SCANNED = 4096
# SQLite's lock bytes (PENDING_BYTE, RESERVED_BYTE, the SHARED range): in WAL mode every open
# connection that has read holds a shared lock here.
_LOCK_BYTES = (0x40000000, 512)


def _read_before_connecting(path: Path) -> _Before:
    """Read a case file's header, and its ``-wal``'s header and copies of page 1.

    THE one place Casedesk reads a case's files with plain file I/O, and only while this
    process has no connection open on the case (the caller holds ``_REGISTRY_LOCK`` and has
    checked ``_in_use_here``): closing any descriptor of a file drops every POSIX lock the
    process holds on it, so another program (the sqlite3 shell, ``casedesk list``) would take
    itself for the last connection, checkpoint and delete the WAL, and this process would go on
    writing into an unlinked file. Everything else reads the case through SQLite.
    A named pipe or device is never waited on: each file is opened without blocking and read
    only if it is a regular file.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    wal_path = path.with_name(path.name + "-wal")
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise CaseError(f"{path}: no such file") from None
    except OSError as exc:
        raise CaseError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CaseError(
                f"{path}: not a regular file ({_file_kind(info.st_mode)}), so not a case file"
            )
        before = _Before(header=os.pread(fd, 100, 0), held_elsewhere=_locked_elsewhere(fd))
    except OSError as exc:
        raise CaseError(f"{path}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    try:
        fd = os.open(wal_path, flags)
    except OSError:
        return before  # no WAL (or none this user may read: SQLite will say so)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            before.wal_kind = _file_kind(info.st_mode)
            return before
        before.wal_size = info.st_size
        before.wal = os.pread(fd, 32, 0)
        if len(before.wal) < 32 or int.from_bytes(before.wal[:4], "big") not in _WAL_MAGIC:
            return before
        page = int.from_bytes(before.wal[8:12], "big")
        salts = before.wal[16:24]
        ids = []
        offset = 32
        for _ in range(_WAL_FRAMES_SCANNED):
            frame = os.pread(fd, 24, offset)
            if len(frame) < 24 or frame[8:16] != salts:
                break  # the end of the frames SQLite would read
            if int.from_bytes(frame[:4], "big") == 1:
                ids.append(int.from_bytes(os.pread(fd, 4, offset + 24 + 68), "big"))
            offset += 24 + page
        before.wal_app_ids = tuple(ids)
    except OSError:
        pass
    finally:
        os.close(fd)
    return before


def _locked_elsewhere(fd: int) -> bool:
    """True if another process holds SQLite's locks on the open file ``fd`` (or if that cannot
    be told: then nothing beside the case is ever moved)."""
    import sys

    if sys.platform.startswith("linux"):
        layout = "hhqqi4x"  # l_type, l_whence, l_start, l_len, l_pid
    elif sys.platform == "darwin" or "bsd" in sys.platform:
        layout = "qqihh"  # l_start, l_len, l_pid, l_type, l_whence
    else:
        return True
    try:
        import fcntl
        import struct

        start, length = _LOCK_BYTES
        if layout == "hhqqi4x":
            query = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, start, length, 0)
            kind = struct.unpack(layout, fcntl.fcntl(fd, fcntl.F_GETLK, query))[0]
        else:
            query = struct.pack(layout, start, length, 0, fcntl.F_WRLCK, os.SEEK_SET)
            kind = struct.unpack(layout, fcntl.fcntl(fd, fcntl.F_GETLK, query))[3]
    except (ImportError, OSError, ValueError):
        return True
    return bool(kind != fcntl.F_UNLCK)


def _page_size(header: bytes) -> int:
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def _stray_wal(path: Path, before: _Before) -> str | None:
    """Why the ``-wal`` beside a case does not belong to it, or None if it may."""
    if before.held_elsewhere:
        return None  # a program has the case open: the WAL is its own, in use
    if before.wal_kind:
        return f"it is {before.wal_kind}, not a file"
    if before.wal_size == 0 or int.from_bytes(before.wal[:4], "big") not in _WAL_MAGIC:
        return None  # empty, or a header SQLite ignores: nothing of it would be applied
    wal_page = int.from_bytes(before.wal[8:12], "big")
    if len(before.header) >= 18 and wal_page != _page_size(before.header):
        return f"its page size ({wal_page}) is not the case's ({_page_size(before.header)})"
    if any(app_id != APPLICATION_ID for app_id in before.wal_app_ids):
        return "it belongs to an SQLite file of another program"
    stamp = _clean_close_stamp(path)
    current = _file_stamp(path)
    if stamp is None or current is None or stamp[2] != 0:
        return None
    if stamp[:2] + stamp[3:] == current[:2] + current[3:]:
        return "Casedesk closed the case cleanly, with no WAL, and nothing wrote to it since"
    return None


def _move_aside(path: Path, reason: str) -> str:
    """Rename a stray ``-wal`` (and its ``-shm``) beside ``path``; return the notice."""
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    moved = []
    for ending in ("-wal", "-shm"):
        source = path.with_name(path.name + ending)
        if not (source.exists() or source.is_symlink()):
            continue
        target = source.with_name(f"{source.name}.stray-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = source.with_name(f"{source.name}.stray-{stamp}-{n}")
        try:
            os.rename(source, target)
        except OSError as exc:
            raise CaseError(
                f"{path}: the file {source.name} beside it does not belong to the case "
                f"({reason}) and could not be moved aside ({exc.strerror or exc}); move it "
                "away, then open the case again"
            ) from None
        moved.append(target.name)
    return (
        f"{path}: the file {path.name}-wal beside it did not belong to the case ({reason}); "
        f"it was moved aside as {' and '.join(moved)}, not applied. The case is as it was "
        "when last closed."
    )


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    return sqlite3.connect(path, isolation_level=None, check_same_thread=False)


def _connect_checked(path: Path, migrate: bool, readonly: bool = False) -> sqlite3.Connection:
    """A connection to a case file that passed every check: a Casedesk case of a version this
    Casedesk reads, undamaged, carrying no trigger or view Casedesk did not write (migrated to
    the current version when ``migrate``). The checks run on a read-only connection: a file
    that fails them is never written to (not even a WAL checkpointed into it)."""
    checked = _check(path)
    if readonly and not (migrate and checked < SCHEMA_VERSION):
        return _connect(path, True)
    try:
        conn = _connect(path, False)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if migrate and version < SCHEMA_VERSION:
            from casedesk import backups  # not imported at start-up: most opens need none

            backups.backup_connection(
                conn, path, f"before the update to case format {SCHEMA_VERSION}"
            )
            conn.execute("PRAGMA trusted_schema=ON")
            conn.execute("BEGIN IMMEDIATE")
            try:
                _migrate(conn, version)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as exc:
        with suppress(UnboundLocalError):
            conn.close()
        raise CaseError(f"{path}: cannot open case ({exc})") from exc
    if readonly:
        conn.close()
        return _connect(path, True)
    return conn


def _check(path: Path) -> int:
    """Check a case file on a read-only connection; return its schema version."""
    try:
        conn = _connect(path, True)
        conn.execute("PRAGMA trusted_schema=OFF")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise CaseError(f"{path}: not a readable SQLite database ({exc})") from exc
    try:
        if app_id == 0 and version == 0 and not _has_tables(conn):
            raise CaseError(
                f"{path}: an empty SQLite file, an incomplete case (creating it may have been "
                "interrupted); delete it and create the case again"
            )
        if app_id != APPLICATION_ID:
            raise CaseError(f"{path}: not a Casedesk case (an SQLite file of another program)")
        if version > SCHEMA_VERSION:
            raise CaseError(
                f"{path}: made by a newer Casedesk (case format {version}; this version "
                f"reads up to {SCHEMA_VERSION}); update Casedesk to open it"
            )
        if version < 1:
            raise CaseError(f"{path}: Casedesk case with no schema (file is incomplete)")
        try:
            # A file this machine closed cleanly and nobody touched since needs no
            # full scan (it costs about a second per 100 MB); any other file gets one.
            if _closed_cleanly(path):
                result = [("ok",)]
            else:
                result = conn.execute("PRAGMA quick_check").fetchall()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            # A damaged page can make the check's own report text that is not UTF-8.
            raise CaseError(f"{path}: the file is damaged ({exc})") from exc
        if result != [("ok",)]:
            first = "; ".join(str(r[0]) for r in result[:3])
            raise CaseError(f"{path}: the file is damaged ({first})")
        found = {
            (t, n, s)
            for t, n, s in conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
            )
        }
        foreign = found - _canonical_schema(version)
        if foreign:
            kind, name, _ = sorted(foreign)[0]
            raise CaseError(
                f"{path}: carries a {kind} '{name}' that Casedesk did not write; "
                "refusing to open it"
            )
    except CaseError:
        conn.close()
        raise
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        conn.close()
        raise CaseError(f"{path}: cannot open case ({exc})") from exc
    conn.close()
    return int(version)


def check_backup(path: Path) -> int:
    """Check a backup as any case file is checked before it is opened (read-only); return its
    case format version. Raises ``CaseError``."""
    info = _stat_case(path)
    del info
    return _check(path)


def migrate_to_current(case: Case, version: int) -> None:
    """Bring a case whose content was just replaced (a restored backup of format ``version``)
    to the current format, and back to WAL mode."""
    if version < SCHEMA_VERSION:
        with case.transaction():
            _migrate(case.conn, version)
    case.conn.execute("PRAGMA journal_mode=WAL")


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def _migrate(conn: sqlite3.Connection, from_version: int) -> None:
    for version in range(from_version, SCHEMA_VERSION):
        for statement in _split_sql(MIGRATIONS[version]):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={version + 1}")


class Case:
    """An open case file.

    ``db`` is the sqlite-utils view of the connection, ``conn`` the raw one. Use
    ``transaction()`` for anything a user would see as one change.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection | _Connection) -> None:
        self.path = path
        if isinstance(conn, sqlite3.Connection):
            conn = _Connection(conn, path, (-1, id(conn)))  # not shared with anyone
        self._shared = conn
        self.conn = conn.conn
        # What opening did that the user should hear of (a stray WAL moved aside).
        self.notices: list[str] = []
        conn.users += 1
        self._closed = False

    def change_count(self) -> tuple[int, int]:
        """Changes to the case file so far: other connections' commits (``data_version``)
        and this process's, which may share this connection. Read inside a transaction, it
        cannot change until that transaction's own commit, which adds one to the second."""
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        return (version, self._shared.commits)

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of the connection (imported on first use: it is not light)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, name: str | None = None) -> Case:
        """Create a new, empty case file at ``path`` (which must not exist yet).

        The case is made under a hidden temporary name in the same folder and takes its name
        only when complete, so a kill while creating leaves no half-made file under it (the
        next creation in that folder clears the leftovers away)."""
        path = Path(path)
        if path.exists() or path.is_symlink():
            raise CaseError(f"{path}: already exists; open it instead of creating it")
        if not path.parent.is_dir():
            raise CaseError(f"{path}: folder {path.parent} does not exist")
        _remove_unfinished(path)
        tmp = path.with_name(f".{path.name}{_CREATING}{os.getpid()}")
        try:
            conn = sqlite3.connect(tmp, isolation_level=None, check_same_thread=False)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                _migrate(conn, 0)
                stamp = now_iso()
                conn.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?)",
                    [("name", name or path.stem), ("created_at", stamp), ("modified_at", stamp)],
                )
                conn.executemany("INSERT INTO tags(name, colour) VALUES (?, ?)", DEFAULT_TAGS)
                conn.execute("COMMIT")
            finally:
                conn.close()  # the last connection: the WAL is written back and removed
            try:
                os.link(tmp, path)  # never replaces a file that appeared meanwhile
            except FileExistsError:
                raise CaseError(f"{path}: already exists; open it instead of creating it") from None
            except OSError:
                if path.exists():
                    raise CaseError(
                        f"{path}: already exists; open it instead of creating it"
                    ) from None
                os.replace(tmp, path)  # a file system without hard links
        except sqlite3.Error as exc:
            raise CaseError(f"{path}: cannot create case file ({exc})") from exc
        except OSError as exc:
            raise CaseError(f"{path}: cannot create case file ({exc.strerror or exc})") from exc
        finally:
            _remove_files(tmp)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True, readonly: bool = False) -> Case:
        """Open an existing case file defensively; raise ``CaseError`` with a clear reason.

        Nothing is written to the file before it has passed every check (they run on a
        read-only connection). A ``-wal`` beside it that does not belong to it is moved aside,
        never applied (``notices`` says so). ``readonly`` opens it read-only (``mode=ro``), so
        even a WAL a killed writer left is read, never written back into the file.
        A case this process has open already is not read or checked again: the new ``Case``
        shares the open one's connection."""
        path = Path(path)
        notices: list[str] = []
        with _REGISTRY_LOCK:
            info = _stat_case(path)
            key = _file_key(info)
            for shared in list(_OPEN.get(key, ())):
                if shared.pid != os.getpid() or not shared.usable():
                    _OPEN[key].remove(shared)
                elif shared.path == path.resolve() and (readonly or not shared.readonly):
                    return cls(path, shared)
            if not _in_use_here(key):
                before = _read_before_connecting(path)
                if not before.header:
                    raise CaseError(
                        f"{path}: the file is empty, not a case (creating it may have been "
                        "interrupted); delete it and create the case again"
                    )
                if before.header[:16] != b"SQLite format 3\x00":
                    raise CaseError(f"{path}: not a Casedesk case (not an SQLite database)")
                reason = _stray_wal(path, before)
                if reason is not None:
                    notices.append(_move_aside(path, reason))
            conn = _connect_checked(path, migrate, readonly)
            case = cls(path, _Connection(conn, path, key, readonly=readonly))
            case.notices = notices
            case._finish_open()
            case._register()
            if not readonly:
                _forget_clean_close(path)  # from now on it may change under a kill
        return case

    def _register(self) -> None:
        try:
            key = _file_key(self.path.stat())
        except OSError:
            return
        with _REGISTRY_LOCK:
            self._shared.key = key
            _OPEN.setdefault(key, []).append(self._shared)

    @property
    def readonly(self) -> bool:
        return self._shared.readonly

    def _finish_open(self) -> None:
        # Only reached once every trigger in the file is known to be ours.
        if self.readonly:
            self.conn.execute("PRAGMA query_only=ON")
        self.conn.execute("PRAGMA trusted_schema=ON")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def _migrate(self, from_version: int) -> None:
        _migrate(self.conn, from_version)

    def close(self) -> None:
        """Close this view of the case; the connection closes with the last one open."""
        if self._closed:
            return
        self._closed = True
        shared = self._shared
        with _REGISTRY_LOCK:
            shared.users -= 1
            if shared.users > 0:
                return
            entries = _OPEN.get(shared.key, [])
            if shared in entries:
                entries.remove(shared)
                if not entries:
                    del _OPEN[shared.key]
            if not shared.readonly:
                with suppress(sqlite3.Error):
                    shared.conn.execute("PRAGMA optimize")
            moved = shared.moved()
            if moved and not shared.readonly:
                shared.keep_in_moved_file()
            with suppress(sqlite3.Error):
                shared.conn.close()
            if not moved and not _in_use_here(shared.key):
                _record_clean_close(self.path)

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and metadata -------------------------------------------------------------

    @contextmanager
    def turn(self) -> Iterator[sqlite3.Connection]:
        """The connection to this thread alone (no transaction of another thread sharing it
        runs meanwhile), e.g. for a backup that must see only committed data."""
        shared = self._shared
        if not shared.lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise CaseBusy(
                f"{self.path}: the case is busy: a background job in this window is writing "
                f"to it and did not finish within {BUSY_TIMEOUT_MS // 1000} seconds. Try "
                "again in a moment."
            )
        try:
            yield shared.conn
        finally:
            shared.lock.release()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One user-visible change: all of it is written, or none of it. Nests safely.

        Threads sharing the connection take turns; one that waits longer than the busy
        timeout gets "database is locked", as it would from another process."""
        shared = self._shared
        if not shared.lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise CaseBusy(
                f"{self.path}: the case is busy: a background job in this window is writing "
                f"to it and did not finish within {BUSY_TIMEOUT_MS // 1000} seconds, so "
                "nothing was changed. Try again in a moment."
            )
        try:
            if shared.depth:
                shared.depth += 1
                try:
                    yield shared.conn
                finally:
                    shared.depth -= 1
                return
            try:
                shared.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise CaseBusy(busy_message(self.path)) from exc
                raise
            if shared.moved():
                # Deleted, or replaced by another file (a copy, a sync tool, an editor): what
                # would be written now goes into a file nobody can reach any more.
                shared.conn.execute("ROLLBACK")
                shared.keep_in_moved_file()
                raise CaseError(
                    f"{self.path}: the case file was deleted or replaced while it was open; "
                    "nothing more is written to it"
                )
            shared.depth = 1
            try:
                yield shared.conn
            except BaseException:
                shared.depth = 0
                shared.conn.execute("ROLLBACK")
                raise
            shared.depth = 0
            shared.conn.execute("COMMIT")
            shared.commits += 1
        finally:
            shared.lock.release()

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    def set_meta(self, key: str, value: str | None) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def touch(self) -> None:
        """Record that the case changed now (shown in summaries as the date of last change)."""
        self.set_meta("modified_at", now_iso())

    @property
    def name(self) -> str:
        return self.get_meta("name") or self.path.stem

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- documents ---------------------------------------------------------------------------

    def document_id_by_sha256(self, sha256: str) -> int | None:
        row = self.conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else int(row[0])

    def add_document(
        self,
        *,
        file_name: str,
        text: str,
        sha256: str,
        format: str,
        title: str | None = None,
        publisher: str | None = None,
        url: str | None = None,
        published: str | None = None,
        published_inferred: bool = False,
        published_evidence: str | None = None,
        language: str | None = None,
        encoding: str | None = None,
        boilerplate: Sequence[tuple[int, int, int, int, str]] = (),
        parent_id: int | None = None,
        thread_id: str | None = None,
        message_id: str | None = None,
        ocr: Mapping[str, Any] | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> int:
        """Insert a document with its debris ranges.

        Each range is ``(first_line, last_line, start, end, reason)``. ``ocr`` and ``attrs``
        are stored as JSON.
        """
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO documents(file_name, title, publisher, url, published, "
                "published_inferred, published_evidence, language, sha256, format, encoding, "
                "imported_at, words, text, parent_id, thread_id, message_id, ocr, attrs) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    file_name,
                    title,
                    publisher,
                    url,
                    published,
                    int(published_inferred),
                    published_evidence,
                    language,
                    sha256,
                    format,
                    encoding,
                    now_iso(),
                    count_words(text),
                    text,
                    parent_id,
                    thread_id,
                    message_id,
                    json.dumps(dict(ocr), ensure_ascii=False) if ocr else None,
                    json.dumps(dict(attrs), ensure_ascii=False) if attrs else None,
                ),
            )
            doc_id = int(cur.lastrowid or 0)
            self.conn.executemany(
                "INSERT INTO boilerplate(document_id, first_line, last_line, start, end, reason) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(doc_id, *b) for b in boilerplate],
            )
            self.touch()
        return doc_id

    def document(self, doc_id: int) -> dict[str, Any]:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,))
        cols = [c[0] for c in row.description]
        found = row.fetchone()
        if found is None:
            raise KeyError(doc_id)
        return dict(zip(cols, found, strict=True))

    def document_ids(self) -> list[int]:
        return [int(r[0]) for r in self.conn.execute("SELECT id FROM documents ORDER BY id")]

    def find_document(self, name: str) -> int | None:
        """A document by id, file name or title (in that order)."""
        if name.isascii() and name.isdigit() and len(name) <= 18:
            row = self.conn.execute("SELECT id FROM documents WHERE id = ?", (int(name),))
            found = row.fetchone()
            if found:
                return int(found[0])
        for column in ("file_name", "title"):
            found = self.conn.execute(
                f"SELECT id FROM documents WHERE {column} = ? ORDER BY id LIMIT 1", (name,)
            ).fetchone()
            if found:
                return int(found[0])
        return None

    def boilerplate(self, doc_id: int) -> list[tuple[int, int, str]]:
        """Debris ranges of a document as ``(start, end, reason)``, in text order."""
        return [
            (int(s), int(e), str(r))
            for s, e, r in self.conn.execute(
                "SELECT start, end, reason FROM boilerplate WHERE document_id = ? ORDER BY start",
                (doc_id,),
            )
        ]

    def update_document(self, doc_id: int, **fields: Any) -> dict[str, Any]:
        """Change a document's editable properties; return their previous values (for undo)."""
        allowed = {"title", "publisher", "url", "published", "published_inferred", "language"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot edit document field(s): {', '.join(sorted(unknown))}")
        before = self.document(doc_id)
        old = {k: before[k] for k in fields}
        if fields:
            with self.transaction():
                sets = ", ".join(f"{k} = ?" for k in fields)
                self.conn.execute(
                    f"UPDATE documents SET {sets} WHERE id = ?", (*fields.values(), doc_id)
                )
                self.touch()
        return old

    def delete_document(self, doc_id: int) -> None:
        """Delete a document with its facts, annotations and debris ranges; machine-made
        timeline items it was the only source of go too, and so do machine-made entities no
        fact mentions any more."""
        with self.transaction():
            self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            self.conn.execute(
                "DELETE FROM events WHERE status = 'extracted' AND NOT EXISTS "
                "(SELECT 1 FROM event_sources s WHERE s.event_id = events.id)"
            )
            self.conn.execute(
                "DELETE FROM entities WHERE status = 'extracted' AND NOT EXISTS "
                "(SELECT 1 FROM facts f WHERE f.entity_id = entities.id)"
            )
            self.touch()

    # -- search ------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over titles and texts.

        Accepts what users type: words, "quoted phrases" and prefix*. A query FTS5 cannot
        parse is searched again as plain words.
        """
        query = query.strip()
        if not query:
            return []
        try:
            return self._search(query, limit)
        except sqlite3.OperationalError:
            return self._search(plain_fts_query(query), limit)

    def _search(self, fts_query: str, limit: int) -> list[SearchHit]:
        if not fts_query:
            return []
        # Rank first, then build snippets and names for the hits shown only: SQLite computes
        # every selected column before sorting, so snippets for all matches (thousands in a
        # big case) cost more than the ranking itself.
        top = self.conn.execute(
            "SELECT rowid, bm25(documents_fts) AS score FROM documents_fts "
            "WHERE documents_fts MATCH ? ORDER BY score LIMIT ?",
            (fts_query, limit),
        ).fetchall()
        if not top:
            return []
        # Bytes another program stored where text belongs are shown as text.
        shown = {
            int(i): (_as_text(f), _as_text(t), s)
            for i, f, t, s in self.conn.execute(
                "SELECT d.id, d.file_name, d.title, snippet(documents_fts, 1, '[', ']', '…', 12) "
                "FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
                "WHERE documents_fts MATCH ? "
                "AND documents_fts.rowid IN (SELECT value FROM json_each(?))",
                (fts_query, json.dumps([int(i) for i, _ in top])),
            )
        }
        return [
            SearchHit(int(i), *shown[int(i)], round(-float(sc), 4))
            for i, sc in top
            if int(i) in shown
        ]


_CLEAN_CLOSES = "clean-closes.json"
_CLEAN_CLOSES_KEPT = 64


def _file_stamp(path: Path) -> list[int] | None:
    """What changes when anyone writes a case or its WAL, from ``stat`` alone (never a read):
    size and modification time, and the inode and status-change time, which a write that
    puts the old modification time back (or a copy over the file) still changes."""
    try:
        st = path.stat()
    except OSError:
        return None
    wal = path.with_name(path.name + "-wal")
    try:
        wal_size = wal.stat().st_size
    except OSError:
        wal_size = 0
    return [st.st_size, st.st_mtime_ns, wal_size, st.st_ino, st.st_ctime_ns]


def _clean_closes_file() -> Path | None:
    try:
        from casedesk.paths import data_dir

        return data_dir() / _CLEAN_CLOSES
    except OSError:
        return None


def _read_clean_closes(record: Path) -> dict[str, list[int]]:
    try:
        data = json.loads(record.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _clean_close_stamp(path: Path) -> list[int] | None:
    record = _clean_closes_file()
    if record is None:
        return None
    try:
        found = _read_clean_closes(record).get(str(path.resolve()))
    except OSError:
        return None
    return found if isinstance(found, list) and len(found) == 5 else None


def _forget_clean_close(path: Path) -> None:
    """The case is open for writing: until it closes cleanly again, nothing vouches for it."""
    record = _clean_closes_file()
    if record is None:
        return
    entries = _read_clean_closes(record)
    if entries.pop(str(path.resolve()), None) is not None:
        _write_clean_closes(record, entries)


def _closed_cleanly(path: Path) -> bool:
    record = _clean_closes_file()
    if record is None:
        return False
    stamp = _file_stamp(path)
    return stamp is not None and _read_clean_closes(record).get(str(path.resolve())) == stamp


def _record_clean_close(path: Path) -> None:
    """Remember that this case was closed by Casedesk, unchanged since its last check, and with
    no WAL left (another program still has it open, or it was open read-only, when one is)."""
    record = _clean_closes_file()
    stamp = _file_stamp(path)
    if record is None or stamp is None:
        return
    entries = _read_clean_closes(record)
    entries.pop(str(path.resolve()), None)
    if stamp[2] == 0:
        entries[str(path.resolve())] = stamp
    _write_clean_closes(record, entries)


def _write_clean_closes(record: Path, entries: dict[str, list[int]]) -> None:
    kept = dict(list(entries.items())[-_CLEAN_CLOSES_KEPT:])
    tmp = record.with_name(f"{record.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(kept), "utf-8")
        os.replace(tmp, record)
    except OSError:
        with suppress(OSError):
            tmp.unlink()


def _as_text(value: Any) -> Any:
    """Bytes another program stored where text belongs, as text (undecodable bytes replaced)."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def plain_fts_query(query: str) -> str:
    """Turn arbitrary text into an FTS5 query of quoted words (all must match)."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
    return " ".join('"' + w + '"' for w in words)


def count_words(text: str) -> int:
    return len(text.split())


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (triggers keep their inner semicolons)."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements
