"""The case file: schema, migrations, transactions, crash consistency and defensive opening."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casedesk.store import APPLICATION_ID, SCHEMA_VERSION, Case, CaseError, plain_fts_query


def _add(case: Case, n: int, text: str = "Export curbs on hydrogen fluoride") -> int:
    return case.add_document(
        file_name=f"doc{n}.txt",
        text=f"{text} {n}",
        sha256=f"sha{n}",
        format="txt",
        title=f"Title {n}",
        boilerplate=[(0, 0, 0, 6, "navigation")],
    )


def test_new_case_is_marked_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "a.casedesk"
    Case.create(path, name="Export controls").close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with Case.open(path) as case:
        assert case.name == "Export controls"
        assert case.get_meta("modified_at")
        tags = [r[0] for r in case.conn.execute("SELECT name FROM tags")]
        assert "Key point" in tags


def test_create_refuses_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "a.casedesk"
    path.write_text("precious notes")
    with pytest.raises(CaseError, match="already exists"):
        Case.create(path)
    assert path.read_text() == "precious notes"


def test_search_index_follows_inserts_updates_and_deletes(case: Case) -> None:
    doc = _add(case, 1)
    assert [h.document_id for h in case.search("fluoride")] == [doc]
    case.update_document(doc, title="Semiconductor materials")
    assert [h.document_id for h in case.search("semiconductor")] == [doc]
    assert case.search("Title") == []
    case.delete_document(doc)
    assert case.search("fluoride") == []
    count = case.conn.execute("SELECT count(*) FROM boilerplate").fetchone()[0]
    assert count == 0  # cascades with the document


@pytest.mark.parametrize(
    "query",
    ['"unclosed phrase', "AND OR NOT", "fluor*", "(", "hydrogen NEAR(", "col:umn", '"', "*"],
)
def test_search_never_raises_on_what_users_type(case: Case, query: str) -> None:
    _add(case, 1)
    case.search(query)


def test_search_phrase_and_prefix(case: Case) -> None:
    a = _add(case, 1, "hydrogen fluoride shipments halted")
    _add(case, 2, "fluoride hydrogen reversed")
    assert [h.document_id for h in case.search('"hydrogen fluoride"')] == [a]
    assert len(case.search("fluor*")) == 2
    hit = case.search("shipments")[0]
    assert "[shipments]" in hit.snippet


def test_plain_query_quotes_every_word() -> None:
    assert plain_fts_query('a "b) c*') == '"a" "b" "c"'


def test_transaction_rolls_back_everything(case: Case) -> None:
    with pytest.raises(RuntimeError), case.transaction():
        _add(case, 1)
        _add(case, 2)
        raise RuntimeError("boom")
    assert case.document_ids() == []
    assert case.search("fluoride") == []


def test_deleting_a_document_removes_what_only_it_supported(case: Case) -> None:
    a, b = _add(case, 1), _add(case, 2)
    stamp = "2026-01-01T00:00:00Z"
    conn = case.conn
    with case.transaction():
        entity = conn.execute(
            "INSERT INTO entities(kind, name, key) VALUES ('place', 'Seoul', 'seoul')"
        ).lastrowid
        shared = conn.execute(
            "INSERT INTO entities(kind, name, key) VALUES ('place', 'Tokyo', 'tokyo')"
        ).lastrowid
        events = []
        for doc, ent in ((a, entity), (a, shared), (b, shared)):
            fact = conn.execute(
                "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
                "provenance, created_at, updated_at) VALUES (?, 'event', 0, 5, 'x', "
                "'2019-07-04', ?, 'test', ?, ?)",
                (doc, ent, stamp, stamp),
            ).lastrowid
            events.append(fact)
        only_a = conn.execute(
            "INSERT INTO events(date, date_start, date_end, precision, title) "
            "VALUES ('2019-07-04', '2019-07-04', '2019-07-04', 'day', 'only in a')"
        ).lastrowid
        both = conn.execute(
            "INSERT INTO events(date, date_start, date_end, precision, title) "
            "VALUES ('2019-07', '2019-07-01', '2019-07-31', 'month', 'in both')"
        ).lastrowid
        conn.execute("INSERT INTO event_sources VALUES (?, ?)", (only_a, events[0]))
        conn.execute("INSERT INTO event_sources VALUES (?, ?)", (both, events[1]))
        conn.execute("INSERT INTO event_sources VALUES (?, ?)", (both, events[2]))
    case.delete_document(a)
    titles = [r[0] for r in conn.execute("SELECT title FROM events")]
    assert titles == ["in both"]
    names = [r[0] for r in conn.execute("SELECT name FROM entities")]
    assert names == ["Tokyo"]


def test_update_document_returns_previous_values(case: Case) -> None:
    doc = _add(case, 1)
    old = case.update_document(doc, publisher="Yonhap", published="2019-07-06")
    assert old == {"publisher": None, "published": None}
    with pytest.raises(ValueError):
        case.update_document(doc, text="rewritten")


def test_find_document_by_id_file_name_or_title(case: Case) -> None:
    doc = _add(case, 7)
    assert case.find_document(str(doc)) == doc
    assert case.find_document("doc7.txt") == doc
    assert case.find_document("Title 7") == doc
    assert case.find_document("nope") is None


# -- defensive open ------------------------------------------------------------------------------


def test_open_refuses_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="no such file"):
        Case.open(tmp_path / "missing.casedesk")
    with pytest.raises(CaseError, match="folder"):
        Case.open(tmp_path)


def test_open_refuses_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.casedesk"
    path.write_text("just some notes")
    with pytest.raises(CaseError, match="not a Casedesk case"):
        Case.open(path)


def test_open_refuses_another_programs_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    with pytest.raises(CaseError, match="another program"):
        Case.open(path)


def test_open_refuses_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "future.casedesk"
    Case.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(CaseError, match="newer Casedesk"):
        Case.open(path)


def test_open_refuses_foreign_trigger_and_never_runs_it(tmp_path: Path) -> None:
    path = tmp_path / "tampered.casedesk"
    with Case.create(path) as case:
        _add(case, 1)
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TRIGGER steal AFTER INSERT ON annotations BEGIN DELETE FROM documents; END"
    )
    conn.commit()
    conn.close()
    with pytest.raises(CaseError, match="trigger 'steal'"):
        Case.open(path)


def test_open_refuses_altered_own_trigger(tmp_path: Path) -> None:
    path = tmp_path / "tampered.casedesk"
    Case.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER documents_fts_delete")
    conn.execute(
        "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN DELETE FROM tags; END"
    )
    conn.commit()
    conn.close()
    with pytest.raises(CaseError, match="documents_fts_delete"):
        Case.open(path)


def test_open_refuses_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "damaged.casedesk"
    with Case.create(path) as case:
        for n in range(200):
            _add(case, n, "lorem ipsum " * 50)
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data), page * 3):  # trample every third page past the header
        data[offset : offset + 512] = b"\xff" * 512
    path.write_bytes(bytes(data))
    with pytest.raises(CaseError, match="damaged|cannot open|not a readable"):
        Case.open(path)


def test_open_migrates_an_older_case_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.casedesk"
    with Case.create(path) as case:
        _add(case, 1)
    from casedesk import store

    later = [*store.MIGRATIONS, "ALTER TABLE documents ADD COLUMN reviewed INTEGER DEFAULT 0;"]
    monkeypatch.setattr(store, "MIGRATIONS", later)
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(later))
    with Case.open(path) as case:
        assert case.schema_version == len(later)
        assert case.document(1)["reviewed"] == 0
        assert [h.document_id for h in case.search("fluoride")] == [1]


# -- crash consistency ---------------------------------------------------------------------------

WRITER = r"""
import sys, time
from casedesk.store import Case
case = Case.open(sys.argv[1])
big = sys.argv[2] == "big"
n = 0
if big:
    with case.transaction():
        while True:
            n += 1
            case.add_document(file_name=f"k{n}.txt", text="kill test text " * 200,
                              sha256=f"big{n}", format="txt", boilerplate=[(0, 0, 0, 4, "x")])
            if n == 200:
                print("ready", flush=True)
            if n > 200:
                time.sleep(0.001)
else:
    while True:
        n += 1
        case.add_document(file_name=f"k{n}.txt", text="kill test text " * 200,
                          sha256=f"small{n}", format="txt", boilerplate=[(0, 0, 0, 4, "x")])
        if n == 50:
            print("ready", flush=True)
"""


@pytest.mark.parametrize("mode", ["small", "big"])
def test_kill_during_writes_leaves_a_consistent_case(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "kill.casedesk"
    Case.create(path).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "gui")}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), mode], stdout=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Case.open(path) as case:
        docs = case.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        plates = case.conn.execute("SELECT count(*) FROM boilerplate").fetchone()[0]
        indexed = case.conn.execute(
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'kill'"
        ).fetchone()[0]
        assert docs == plates == indexed
        if mode == "big":
            assert docs == 0  # the unfinished transaction left nothing behind
        else:
            assert docs >= 50
        integrity = case.conn.execute(
            "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)"
        )
        assert integrity is not None
