"""The case file under other connections, other programs and kills: nothing is lost."""

from __future__ import annotations

import ast
import builtins
import hashlib
import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from casedesk.store import Case, CaseError

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "gui") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _seed(path: Path) -> int:
    with Case.create(path) as case:
        return case.add_document(
            file_name="a.txt", text="Two ministers met in Geneva.", sha256="a", format="txt"
        )


# The window's process in miniature: the case is open, a background job opens it again (and
# closes it), another program reads the case, one more edit is made, then the process is killed.
_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from casedesk import edits
    from casedesk.store import Case, CaseError

    path, doc, again = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    case = Case.open(path)
    edits.add_annotation(case, doc, 0, 3, note="first edit")
    job = Case.open(again)
    job.conn.execute("SELECT count(*) FROM documents").fetchone()
    job.close()
    print("opened twice", flush=True)
    sys.stdin.readline()  # the outside reader runs now
    edits.add_annotation(case, doc, 4, 13, note="second edit")
    print("written", flush=True)
    sys.stdin.readline()  # killed while waiting here
    """
)


def _outside_reader(path: Path) -> None:
    """Another program reading the case, as the sqlite3 shell or Datasette would."""
    conn = sqlite3.connect(path)
    conn.execute("SELECT count(*) FROM annotations").fetchone()
    conn.close()


@pytest.mark.parametrize("second", ["same name", "a link"])
def test_second_open_and_outside_reader_then_kill_lose_nothing(tmp_path: Path, second: str) -> None:
    path = tmp_path / "kill.casedesk"
    doc = _seed(path)
    again = path
    if second == "a link":
        again = tmp_path / "link.casedesk"
        again.symlink_to(path)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path), str(doc), str(again)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "opened twice"
        _outside_reader(path)
        result = subprocess.run(
            [sys.executable, "-m", "casedesk", "list", str(path)],
            capture_output=True,
            text=True,
            env=_env(),
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "written"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        notes = [r[0] for r in conn.execute("SELECT note FROM annotations ORDER BY id")]
    finally:
        conn.close()
    assert notes == ["first edit", "second edit"]


def test_second_open_under_another_name_reads_nothing_with_file_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the case open, opening it again (by its name or through a link), importing it as a
    document and listing it never open the case's files with Python file objects."""
    from casedesk import cli
    from casedesk.ingest import import_paths

    path = tmp_path / "open.casedesk"
    _seed(path)
    link = tmp_path / "link.casedesk"
    link.symlink_to(path)
    names = {str(p) for p in (path, link)}
    names |= {n + suffix for n in list(names) for suffix in ("-wal", "-shm", "-journal")}
    opened: list[str] = []
    real_os_open, real_io_open = os.open, io.open

    def os_open(file: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(str(file))
        return real_os_open(file, *args, **kwargs)

    def io_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_io_open(file, *args, **kwargs)

    with Case.open(path) as case:
        monkeypatch.setattr(os, "open", os_open)
        monkeypatch.setattr(io, "open", io_open)
        monkeypatch.setattr(builtins, "open", io_open)
        with Case.open(path) as again:
            assert again.conn is case.conn  # borrowed, not opened again
        with Case.open(link) as linked:
            assert linked.conn.execute("SELECT count(*) FROM documents").fetchone() == (1,)
        report = import_paths(case, [path, Path(str(path) + "-wal")])
        assert len(report.failed) == 2 and not report.imported
        assert "open case file" in report.failed[0][1]
        assert cli.main(["list", str(link)]) == 0
        monkeypatch.undo()
    assert not names & set(opened), sorted(names & set(opened))


# Every call in gui/casedesk that opens or reads a file by name, with why it never touches an open
# case. A new one fails the test below until it is checked and added here: nothing may read a
# case's files with Python file objects except ``store._read_before_connecting``.
FILE_IO_ALLOWED = {
    ("__init__.py", "_version", "read_text"): "package metadata",
    ("export/__init__.py", "write_atomic", "fdopen"): "the export's own new file",
    ("extract/lexicon.py", "written", "read_text"): "the package's own word lists",
    ("extract/lexicon.py", "list_names", "read_text"): "the package's own word lists",
    ("extract/given_names.py", "read_names", "read_text"): "the 'names' package's Census lists",
    ("ingest/importer.py", "read_manifest", "read_text"): "a manifest the user names",
    ("ingest/importer.py", "read_file_documents", "open"): (
        "a source document (open cases refused first)"
    ),
    ("ingest/readers.py", "read_pdf", "write_bytes"): "a scan's copy in a new temporary folder",
    ("ingest/readers.py", "read_image", "write_bytes"): "an image's copy in a new temporary folder",
    ("ingest/importer.py", "import_sample", "open"): "the shipped sample articles",
    ("store.py", "_read_before_connecting", "open"): "THE audited read, before any connection",
    ("store.py", "_read_before_connecting", "pread"): "THE audited read, before any connection",
    ("store.py", "_read_clean_closes", "read_text"): "the record in the user's data folder",
    ("store.py", "_holders", "read_bytes"): "/proc/PID/cmdline of a process holding a case",
    ("store.py", "_write_clean_closes", "write_text"): "the record in the user's data folder",
    ("ui/app.py", "_process_age", "open"): "/proc/self/stat and /proc/uptime",
    ("extract/claims.py", "load_lexicon", "read_text"): "a lexicon shipped in the package",
    ("extract/version.py", "model_versions", "read_text"): "spaCy's and the model's own files",
    ("extract/corroborate.py", "_stop_words", "read_text"): "spaCy's own stop-word list file",
    ("extract/version.py", "compute_version", "read_bytes"): "the extractor's own files",
    ("extract/gazetteer.py", "_read", "read_text"): "the gazetteer package's own data",
    ("extract/name_variants.py", "_table", "read_text"): "the 'nicknames' package's table",
}
# Calls named like file I/O that are not: Case.open (the checked way in), QMessageBox.open,
# readers.read_bytes (parses bytes already read).
NOT_FILE_IO = {
    ("cli.py", "_open_case", "open"),
    ("store.py", "Case.create", "open"),
    ("ui/main_window.py", "MainWindow.open_case", "open"),
    ("ui/main_window.py", "MainWindow._on_worker_import_finished", "open"),
    ("ui/worker.py", "run_import", "open"),
    ("ui/worker.py", "PropertiesWorker.run", "open"),
}
_IO_NAMES = {"open", "fdopen", "read_bytes", "read_text", "write_bytes", "write_text", "pread"}
_IO_NAMES |= {"mmap", "FileIO", "openat"}


class _FileIOCalls(ast.NodeVisitor):
    """Calls named like file I/O in one module, as (module, enclosing scope, name)."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.scope: list[str] = []
        self.found: set[tuple[str, str, str]] = set()

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _enter

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = None
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute):
            name = func.attr
        if name in _IO_NAMES:
            self.found.add((self.module, ".".join(self.scope), name))
        self.generic_visit(node)


def _file_io_calls() -> set[tuple[str, str, str]]:
    package = ROOT / "gui" / "casedesk"
    found: set[tuple[str, str, str]] = set()
    for file in sorted(package.rglob("*.py")):
        visitor = _FileIOCalls(file.relative_to(package).as_posix())
        visitor.visit(ast.parse(file.read_text("utf-8")))
        found |= visitor.found
    return found


def test_no_new_file_io_that_could_touch_an_open_case() -> None:
    found = _file_io_calls()
    unchecked = found - set(FILE_IO_ALLOWED) - NOT_FILE_IO
    assert not unchecked, (
        "file I/O added in gui/casedesk; a case's files may only be read by "
        f"store._read_before_connecting: {sorted(unchecked)}"
    )
    # The list stays true: an entry whose call went away is removed from it.
    assert not (set(FILE_IO_ALLOWED) | NOT_FILE_IO) - found


def test_views_of_one_case_share_its_connection_and_transactions_take_turns(
    tmp_path: Path,
) -> None:
    from casedesk import edits

    path = tmp_path / "shared.casedesk"
    doc = _seed(path)
    with Case.open(path) as window:
        job = Case.open(path)
        assert job.conn is window.conn
        inside, release = threading.Event(), threading.Event()

        def background() -> None:
            with job.transaction():
                edits.add_annotation(job, doc, 0, 3, note="job")
                inside.set()
                release.wait(5)

        thread = threading.Thread(target=background)
        thread.start()
        assert inside.wait(5)
        started = time.monotonic()
        threading.Timer(0.3, release.set).start()
        # The window's edit waits for the job's transaction instead of joining it.
        edits.add_annotation(window, doc, 4, 13, note="window")
        assert time.monotonic() - started >= 0.25
        thread.join()
        job.close()
        # The job closing leaves the window's connection open.
        notes = [r[0] for r in window.conn.execute("SELECT note FROM annotations ORDER BY id")]
        assert notes == ["job", "window"]


# -- files that are not cases, busy cases, interrupted creation, damage -----------------------


def _run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casedesk", *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_a_named_pipe_called_casedesk_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.casedesk"
    os.mkfifo(fifo)
    with pytest.raises(CaseError, match="not a regular file"):
        Case.open(fifo)
    result = _run_cli("list", str(fifo), timeout=20)  # it used to wait forever on the pipe
    assert result.returncode == 1
    assert "named pipe" in result.stderr and "Traceback" not in result.stderr


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


def test_a_busy_case_gives_a_clear_message_naming_the_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casedesk import edits, store

    path = tmp_path / "busy.casedesk"
    doc = _seed(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 300)
        with Case.open(path) as case:
            case.conn.execute("PRAGMA busy_timeout=300")
            with pytest.raises(CaseError) as caught:
                edits.add_annotation(case, doc, 0, 3)
        message = str(caught.value)
        assert str(path) in message and "busy" in message
        assert f"process {holder.pid}" in message, message
        assert isinstance(caught.value, sqlite3.Error)  # the window's edit handler catches it
        result = _run_cli("import", str(path), str(ROOT / "seeds"), "--no-extract", "-q")
        assert result.returncode == 1
        assert "busy" in result.stderr and "Traceback" not in result.stderr, result.stderr
    finally:
        holder.kill()
        holder.wait()


_CREATOR = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from casedesk import store

    real = store._migrate

    def migrate_then_stop(conn, version):
        real(conn, version)
        print("half made", flush=True)
        sys.stdin.readline()  # killed here

    store._migrate = migrate_then_stop
    store.Case.create(Path(sys.argv[1]))
    """
)


def test_a_kill_while_creating_leaves_no_file_that_is_not_a_case(tmp_path: Path) -> None:
    path = tmp_path / "new.casedesk"
    child = subprocess.Popen(
        [sys.executable, "-c", _CREATOR, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "half made"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert not path.exists()
    # The half-made file is cleared away by the next creation, which succeeds.
    with Case.create(path) as case:
        assert case.document_ids() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.casedesk"]


def test_an_empty_or_half_made_file_is_named_as_such(tmp_path: Path) -> None:
    empty = tmp_path / "empty.casedesk"
    empty.touch()
    with pytest.raises(CaseError, match="empty"):
        Case.open(empty)
    half = tmp_path / "half.casedesk"
    conn = sqlite3.connect(half)
    conn.execute("PRAGMA journal_mode=WAL")  # writes the first page, nothing else
    conn.close()
    with pytest.raises(CaseError, match="incomplete"):
        Case.open(half)


def _trample(path: Path) -> None:
    """Overwrite the last pages (documents' rows, not the schema), leaving size and
    modification time as they were."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    for offset in range(len(data) - 4096 * 4, len(data), 4096):
        data[offset : offset + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def _big_case(path: Path) -> None:
    with Case.create(path) as case:
        for n in range(200):
            case.add_document(
                file_name=f"d{n}.txt", text="lorem ipsum " * 50, sha256=f"s{n}", format="txt"
            )


def test_damage_after_a_clean_close_with_size_and_time_kept_is_found(tmp_path: Path) -> None:
    path = tmp_path / "damaged.casedesk"
    _big_case(path)
    _trample(path)
    with pytest.raises(CaseError, match="damaged"):
        Case.open(path)


def test_damage_found_by_a_command_is_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from casedesk import cli, store

    path = tmp_path / "damaged.casedesk"
    _big_case(path)
    _trample(path)
    monkeypatch.setattr(store, "_closed_cleanly", lambda _path: True)  # as if the check passed
    assert cli.main(["list", str(path)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and str(path) in err, err


# -- WAL files that do not belong to the case; read-only commands -----------------------------

# A writer killed before it wrote its WAL back: with ``foreign`` it is another program's
# database, else the case (or a copy of it) with one more document.
_KILLED_WRITER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    if sys.argv[2] == "foreign":
        conn.execute("CREATE TABLE IF NOT EXISTS orders(id INTEGER PRIMARY KEY, item TEXT)")
        conn.execute("INSERT INTO orders(item) VALUES ('spare parts')")
    elif sys.argv[2] == "trigger":
        conn.execute("CREATE TRIGGER steal AFTER INSERT ON tags BEGIN DELETE FROM documents; END")
    else:
        conn.execute(
            "INSERT INTO documents(file_name, sha256, format, imported_at, text) "
            "VALUES ('late.txt', 'late', 'txt', '2026-01-01T00:00:00Z', 'Written late.')"
        )
    print("written", flush=True)
    sys.stdin.readline()
    """
)


def _killed_writer(path: Path, what: str) -> None:
    """Leave ``path`` with a WAL a killed writer did not write back."""
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(path), what],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "written"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert Path(str(path) + "-wal").stat().st_size > 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _titles(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT file_name FROM documents ORDER BY id")]
    finally:
        conn.close()


def _forget_clean_closes() -> None:
    from casedesk.paths import data_dir

    (data_dir() / "clean-closes.json").unlink(missing_ok=True)


@pytest.mark.parametrize("origin", ["another program", "a copy of the case"])
def test_a_wal_that_does_not_belong_is_moved_aside_never_applied(
    tmp_path: Path, origin: str
) -> None:
    path = tmp_path / "case.casedesk"
    _seed(path)  # closed cleanly: no WAL
    other = tmp_path / ("other.db" if origin == "another program" else "copy.casedesk")
    if origin == "another program":
        _killed_writer(other, "foreign")
        _forget_clean_closes()  # told apart by its page 1 alone
    else:
        shutil.copy(path, other)
        _killed_writer(other, "document")  # told apart by the clean close without a WAL
    os.rename(str(other) + "-wal", str(path) + "-wal")
    digest = _digest(path)
    result = _run_cli("list", str(path))  # read-only: must not apply it either
    assert result.returncode == 0, result.stderr
    assert "moved aside" in result.stderr and "late.txt" not in result.stdout
    assert _digest(path) == digest
    moved = sorted(p.name for p in tmp_path.iterdir() if ".stray-" in p.name)
    assert moved and moved[0].startswith("case.casedesk-wal.stray-"), moved
    with Case.open(path) as case:
        assert case.notices == []
        assert [r[0] for r in case.conn.execute("SELECT file_name FROM documents")] == ["a.txt"]
        assert case.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = [r[0] for r in case.conn.execute("SELECT name FROM sqlite_master")]
        assert "orders" not in names


def test_a_wal_of_a_killed_casedesk_is_kept_after_a_clean_close_before(tmp_path: Path) -> None:
    """The clean-close rule never takes a real WAL for a stray one: Casedesk opened the case
    again after closing it cleanly, wrote and was killed."""
    path = tmp_path / "case.casedesk"
    _seed(path)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path), "1", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "opened twice"
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "written"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    with Case.open(path) as case:
        assert case.notices == []
        notes = [r[0] for r in case.conn.execute("SELECT note FROM annotations ORDER BY id")]
    assert notes == ["first edit", "second edit"]
    assert not [p for p in tmp_path.iterdir() if ".stray-" in p.name]


def test_a_wal_in_use_by_a_running_program_is_never_moved(tmp_path: Path) -> None:
    path = tmp_path / "case.casedesk"
    _seed(path)
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(path), "document"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "written"  # and still running
        result = _run_cli("list", str(path), "--format", "jsonl")
        assert result.returncode == 0, result.stderr
        assert "late.txt" in result.stdout and "moved aside" not in result.stderr
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert not [p for p in tmp_path.iterdir() if ".stray-" in p.name]
    assert _titles(path) == ["a.txt", "late.txt"]


def test_opening_writes_nothing_before_the_case_is_accepted(tmp_path: Path) -> None:
    """A case refused (here for a trigger Casedesk did not write, added by a writer killed
    before its WAL went back) is left byte for byte as it was, WAL included."""
    path = tmp_path / "case.casedesk"
    _seed(path)
    _forget_clean_closes()
    _killed_writer(path, "trigger")
    digest = _digest(path)
    with pytest.raises(CaseError, match="steal"):
        Case.open(path)
    assert _digest(path) == digest
    assert Path(str(path) + "-wal").stat().st_size > 0


def test_read_only_commands_never_write_into_the_case(tmp_path: Path) -> None:
    path = tmp_path / "case.casedesk"
    _seed(path)
    _forget_clean_closes()  # else the WAL of a program other than Casedesk is taken as stray
    _killed_writer(path, "document")
    digest = _digest(path)
    for command in ("list", "facts", "entities", "timeline", "export"):
        result = _run_cli(command, str(path))
        assert result.returncode == 0, (command, result.stderr)
    assert "late.txt" in _run_cli("list", str(path)).stdout  # the WAL is read
    assert _digest(path) == digest  # and never written back by a command that only reads
    with Case.open(path, readonly=True) as case, pytest.raises(sqlite3.OperationalError):
        case.conn.execute("DELETE FROM documents")
