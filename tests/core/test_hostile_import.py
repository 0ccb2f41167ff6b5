"""Hostile files in an import batch: each bad one is one line naming it, the rest go in.

The PDFs under tests/data/fuzz/ were found by the fuzzer (tests/fuzz/): pypdf raises
``AssertionError``, ``NotImplementedError`` and ``OverflowError`` on them, which used to end
the whole batch with a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casedesk.cli import main
from casedesk.ingest import import_paths
from casedesk.store import Case

FUZZ_DATA = Path(__file__).resolve().parents[1] / "data" / "fuzz"
CRASHING_PDFS = {
    "pdf-assertionerror.pdf": "AssertionError",
    "pdf-notimplementederror.pdf": "NotImplementedError",
    "pdf-overflowerror.pdf": "OverflowError",
}
STORY = "Ferry services resumed on Monday after a two-day storm, the operator said.\n\nMore."


@pytest.fixture
def case(tmp_path: Path) -> Case:
    c = Case.create(tmp_path / "t.casedesk")
    yield c
    c.close()


def test_reader_library_errors_fail_one_file_each(case: Case, tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text(STORY, "utf-8")
    last = tmp_path / "last.txt"
    last.write_text(STORY.replace("Monday", "Tuesday"), "utf-8")
    pdfs = []
    for name in CRASHING_PDFS:
        target = tmp_path / name
        target.write_bytes((FUZZ_DATA / name).read_bytes())
        pdfs.append(target)
    report = import_paths(case, [first, *pdfs, last])
    assert [p for p, _ in report.imported] == [first, last]
    reasons = dict(report.failed)
    assert set(reasons) == set(pdfs)
    for path in pdfs:
        assert CRASHING_PDFS[path.name] in reasons[path]
    assert all(line.startswith(str(tmp_path)) for line in report.messages())


@pytest.mark.skipif(os.uname().sysname == "Darwin", reason="macOS file names must be UTF-8")
def test_a_file_name_that_is_not_utf8_is_imported(case: Case, tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9 report.txt"  # Latin-1, not UTF-8
    with open(raw, "wb") as fh:
        fh.write(STORY.encode())
    report = import_paths(case, [tmp_path])
    assert len(report.imported) == 1, report.failed
    (name,) = case.conn.execute("SELECT file_name FROM documents").fetchone()
    assert name == "caf\ufffd report.txt"


def test_nul_characters_are_removed_from_document_text(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    # UTF-16 with a BOM is text even though its bytes hold NULs; U+0000 itself is dropped.
    path.write_bytes(("Port talks\x00 resumed on Monday.\x00\n\nMore follows.").encode("utf-16"))
    report = import_paths(case, [path])
    assert len(report.imported) == 1, report.failed
    text, sqlite_length = case.conn.execute("SELECT text, length(text) FROM documents").fetchone()
    assert "\x00" not in text
    assert sqlite_length == len(text)
    assert text.startswith("Port talks resumed")


def test_cli_prints_control_characters_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "c.casedesk"
    assert main(["new", str(path)]) == 0
    doc = tmp_path / "note\x1b[31mred.txt"
    doc.write_text(STORY, "utf-8")
    hostile_title = "Ferry\x1b]0;owned\x07 back\x1b[2J\x9b31m"
    assert main(["import", str(path), str(doc), "--no-extract", "--title", hostile_title]) == 0
    missing = tmp_path / "gone\x1b[2J.txt"
    assert main(["import", str(path), str(missing), "--no-extract"]) == 1
    for fmt in ("table", "jsonl"):
        capsys.readouterr()
        assert main(["list", str(path), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
        assert "Ferry" in out
    assert main(["import", str(path), str(missing), "--no-extract"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "gone\\x1b[2J.txt" in err
    from casedesk.cli import shown

    assert shown("caf\udce9") == "caf\\xe9"  # an undecodable byte of a file name


def test_cli_reports_text_that_is_not_utf8_in_a_case(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Found by the case-file fuzzer: a flipped byte in a title made ``list`` a traceback."""
    import sqlite3

    path = tmp_path / "c.casedesk"
    assert main(["new", str(path)]) == 0
    doc = tmp_path / "a.txt"
    doc.write_text(STORY, "utf-8")
    assert main(["import", str(path), str(doc), "--no-extract"]) == 0
    conn = sqlite3.connect(path)
    conn.execute("UPDATE documents SET title = CAST(x'46e9727279' AS TEXT)")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["list", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "UTF-8" in err and "Traceback" not in err
