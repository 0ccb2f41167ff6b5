"""Fault injection in CI: a few trials of each kind from bench/faults.py (which runs hundreds
and prints figures). A SIGKILL at a random moment of an import (with and without
extraction), an extraction, a stream of edits or an export; a full disk; a read-only case
folder; the case file deleted or replaced while a process writes to it. After each: the file
is sound, every edit shown as done is in it, and the interrupted work, run again, gives the
case one clean run gives, with nothing twice."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import faults  # noqa: E402

from casedesk import edits  # noqa: E402
from casedesk.store import Case, CaseError  # noqa: E402


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[faults.Lab]:
    yield faults.Lab(tmp_path_factory.mktemp("faults"), files=5)


@pytest.mark.parametrize(
    ("kind", "trials"),
    [
        ("import", 3),
        ("import-extract", 1),
        ("extract", 1),
        ("edits", 3),
        ("export", 2),
        ("full-disk", 1),
        ("deleted", 1),
        ("replaced", 1),
    ],
)
def test_fault_trials_lose_and_break_nothing(
    lab: faults.Lab, tmp_path: Path, kind: str, trials: int
) -> None:
    rng = random.Random(f"{kind}-ci")
    shown = 0
    for n in range(trials):
        outcome = faults.trial(lab, kind, n, rng, tmp_path)
        assert outcome.ok, f"trial {n}: {outcome.problems}"
        shown += outcome.shown
    if kind in ("edits", "deleted", "replaced"):
        assert shown > 0  # the faults came after some edits were shown as done


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_case_moved_away_while_open_takes_no_more_writes(tmp_path: Path, how: str) -> None:
    path = tmp_path / "c.casedesk"
    other = tmp_path / "other.casedesk"
    Case.create(other, name="Another case").close()
    case = Case.create(path)
    doc = case.add_document(file_name="a.txt", text="Some text here.", sha256="a", format="txt")
    first = edits.add_annotation(case, doc, 0, 4, note="before")
    aside = tmp_path / "aside.casedesk"
    path.rename(aside)
    if how == "replaced":
        other.replace(path)  # as a sync tool or a copy over it does
    with pytest.raises(CaseError, match="deleted or replaced while it was open"):
        edits.add_annotation(case, doc, 5, 9, note="after")
    case.close()
    # What was written before is in the file the case had open; its WAL is not left beside
    # whatever now has its name.
    assert (
        not (tmp_path / "c.casedesk-wal").exists()
        or (tmp_path / "c.casedesk-wal").stat().st_size == 0
    )
    with Case.open(aside) as moved:
        notes = moved.conn.execute("SELECT id, note FROM annotations").fetchall()
        assert notes == [(first, "before")]
    if how == "replaced":
        with Case.open(path) as other:
            assert other.name == "Another case"
            assert other.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0


def test_a_read_only_case_folder_gives_messages_not_tracebacks(
    lab: faults.Lab, tmp_path: Path
) -> None:
    outcome = faults.read_only_trial(lab, tmp_path / "ro.casedesk", faults.Outcome("read-only"))
    if outcome.skipped:
        # Only where this machine allows neither a read-only bind mount nor chattr +i.
        pytest.skip(outcome.skipped)
    assert outcome.ok, outcome.problems


def test_the_benchmark_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    outcomes = [faults.Outcome("edits", shown=4), faults.Outcome("import", corrupt=True)]
    faults.print_figures(outcomes, 1.0)
    out = capsys.readouterr().out
    assert "| edits | 1 | 0 | 0 (4) |" in out
    assert "trials 2, corrupt files 1, lost edits 0 of 4 shown as done, failed trials 1" in out


def test_an_import_whose_extraction_fails_says_so_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As when the disk fills during extraction: the documents are in, their facts are not;
    the import must not report success."""
    import sqlite3

    from casedesk import cli
    from casedesk.extract import pipeline

    def full(*_a: object, **_k: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(pipeline, "write_analysis", full)
    path = tmp_path / "c.casedesk"
    Case.create(path).close()
    article = tmp_path / "a.txt"
    article.write_text("Anna Berg said on 3 March 2021 that Sweden would curb lithium exports.\n")
    assert cli.main(["import", str(path), str(article), "-q"]) == 1
    err = capsys.readouterr().err
    assert "a.txt: facts not extracted" in err and "disk is full" in err
