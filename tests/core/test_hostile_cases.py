"""Case files that pass every check at opening but hold what Casedesk never writes (another
program changed them): every command works around it or says, in one line naming the file,
what is wrong; never a traceback."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from casedesk import cli, edits
from casedesk.store import Case

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Each damage: SQL run on the closed case with an outside connection (foreign keys off, as
# in the sqlite3 shell), then statements run after it is reopened.
DAMAGE: dict[str, tuple[list[str], list[str]]] = {
    "invalid-utf8": (
        [
            "UPDATE documents SET title = CAST(x'4142ff' AS TEXT) WHERE id = 2",
            "UPDATE facts SET text = CAST(x'c3' AS TEXT) WHERE id = 3",
            "UPDATE entities SET name = CAST(x'80' AS TEXT) "
            "WHERE id = (SELECT min(id) FROM entities)",
            "UPDATE events SET title = CAST(x'ff' AS TEXT) WHERE id = (SELECT min(id) FROM events)",
            "UPDATE annotations SET note = CAST(x'fe' AS TEXT)",
        ],
        [],
    ),
    "blob-in-text": (
        [
            "UPDATE documents SET title = x'00ff', publisher = x'01' WHERE id = 2",
            "UPDATE facts SET value = x'0102', text = x'03' WHERE id IN (3, 4, 5, 60)",
            "UPDATE entities SET name = x'80' WHERE id = (SELECT min(id) FROM entities)",
            "UPDATE events SET title = x'ff', date = x'00' WHERE id = (SELECT min(id) FROM events)",
            "UPDATE annotations SET note = x'00'",
        ],
        [],
    ),
    "text-in-integer": (
        [
            "UPDATE facts SET start = 'abc', end = 'x' WHERE id IN (3, 60)",
            "UPDATE events SET date_start = 7 WHERE id = (SELECT min(id) FROM events)",
            "UPDATE documents SET words = 'many', published_inferred = 'yes' WHERE id = 2",
            "UPDATE annotations SET start = 'a', end = 'b'",
        ],
        [],
    ),
    "nulls": (
        [
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET sql = replace(replace(sql, 'NOT NULL', ''), "
            "'CHECK (start >= 0 AND end >= start)', 'CHECK (1)') WHERE type = 'table' "
            "AND name IN ('documents', 'facts', 'events', 'entities', 'annotations')",
            "PRAGMA writable_schema = OFF",
        ],
        [
            "UPDATE documents SET title = NULL, published = NULL, text = NULL WHERE id = 2",
            "UPDATE facts SET value = NULL, text = NULL, start = NULL WHERE id IN (3, 60)",
            "UPDATE facts SET value = NULL WHERE kind IN ('event', 'date')",
            "UPDATE events SET date = NULL, date_start = NULL, title = NULL "
            "WHERE id = (SELECT min(id) FROM events)",
            "UPDATE annotations SET text = NULL, start = NULL",
        ],
    ),
    "garbage-search-index": (
        ["UPDATE documents_fts_data SET block = randomblob(60) WHERE id > 1"],
        [],
    ),
    "dropped-events": (["DROP TABLE events"], []),
    "orphans": (
        [
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (999, 'event', 0, 5, 'x', "
            "'2019-07-04', 12345, 'test', 'a', 'b')",
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (1, 'person', 0, 5, 'x', 'y', 12345, "
            "'test', 'a', 'b')",
            "INSERT INTO event_sources VALUES ((SELECT min(id) FROM events), 99999)",
            "INSERT INTO event_sources VALUES "
            "(99999, (SELECT min(id) FROM facts WHERE kind = 'event'))",
            "INSERT INTO aliases(entity_id, alias, key) VALUES (77777, 'ghost', 'ghost')",
            "INSERT INTO annotations(document_id, start, end, text, created_at, updated_at) "
            "VALUES (555, 0, 3, 'abc', 'a', 'b')",
        ],
        [],
    ),
}

COMMANDS: dict[str, list[str]] = {
    "list": ["list", "{case}"],
    "list-jsonl": ["list", "{case}", "--format", "jsonl"],
    "search": ["search", "{case}", "export"],
    "facts": ["facts", "{case}"],
    "facts-jsonl": ["facts", "{case}", "--format", "jsonl"],
    "entities": ["entities", "{case}"],
    "timeline": ["timeline", "{case}"],
    "export": ["export", "{case}"],
    "export-html": ["export", "{case}", "-o", "{tmp}/summary.html"],
    "import": ["import", "{case}", "{tmp}/new.txt", "-q"],
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "base.casedesk"
    assert cli.main(["sample", str(path), "-q"]) == 0
    with Case.open(path) as case:
        edits.add_annotation(case, 1, 0, 10, note="a note")
    return path


def damaged(base: Path, folder: Path, damage: str) -> Path:
    path = folder / f"{damage}.casedesk"
    shutil.copyfile(base, path)
    before, after = DAMAGE[damage]
    conn = sqlite3.connect(path, isolation_level=None)
    for sql in before:
        conn.execute(sql)
    conn.close()
    if after:
        conn = sqlite3.connect(path, isolation_level=None)
        for sql in after:
            conn.execute(sql)
        conn.close()
    return path


@pytest.fixture
def new_article(tmp_path: Path) -> Iterator[Path]:
    article = tmp_path / "new.txt"
    article.write_text("Anna Berg said on 3 March 2021 that Sweden would curb lithium exports.\n")
    yield article


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_every_command_works_around_or_names_the_problem(
    base: Path,
    tmp_path: Path,
    new_article: Path,
    capsys: pytest.CaptureFixture[str],
    damage: str,
    command: str,
) -> None:
    path = damaged(base, tmp_path, damage)
    args = [a.format(case=path, tmp=tmp_path) for a in COMMANDS[command]]
    code = cli.main(args)  # an exception here is the traceback a user would see
    err = capsys.readouterr().err
    assert code in (0, 1), err
    if code == 1:
        lines = [line for line in err.splitlines() if line.startswith("casedesk:")]
        assert lines and str(path) in lines[-1], err
        assert "Traceback" not in err
    # The case is no worse than it was.
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


@pytest.mark.parametrize(
    "args",
    [
        ["search", "{case}", "x", "--limit", "99999999999999999999"],
        ["facts", "{case}", "--document", "99999999999999999999"],
        ["facts", "{case}", "--document", "9" * 5000],
        ["facts", "{case}", "--document", "²"],
        ["export", "{case}", "--entity", "99999999999999999999"],
    ],
)
def test_huge_numbers_in_arguments_are_usage_errors(
    base: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    try:
        code = cli.main([a.format(case=base) for a in args])
    except SystemExit as exc:  # argparse refuses it
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
