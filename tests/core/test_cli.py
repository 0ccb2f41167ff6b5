"""Every command of `casedesk`, as a user or a script would drive it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from casedesk import __version__
from casedesk.cli import main
from casedesk.extract.timex import period

LIST_FIELDS = [
    "id",
    "document",
    "title",
    "publisher",
    "published",
    "published_inferred",
    "words",
    "facts",
]
SEARCH_FIELDS = ["document", "title", "snippet", "score"]
FACT_FIELDS = [
    "id",
    "kind",
    "text",
    "value",
    "entity",
    "document",
    "start",
    "end",
    "status",
    "entity_id",
    "polarity",
]
ENTITY_FIELDS = ["id", "kind", "name", "aliases", "documents", "mentions"]
TIMELINE_FIELDS = ["id", "date", "title", "sources"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def sample_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.casedesk"
    assert main(["sample", str(path), "--quiet"]) == 0
    return path


@pytest.fixture
def sample_copy(sample_case: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.casedesk"
    shutil.copy(sample_case, copy)
    return copy


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in [
        "open",
        "new",
        "sample",
        "import",
        "extract",
        "list",
        "search",
        "facts",
        "entities",
        "timeline",
        "export",
    ]:
        with pytest.raises(SystemExit) as exit_:
            main([command, "--help"])
        assert exit_.value.code == 0
        assert "usage: casedesk " + command in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["frobnicate"])
    assert exit_.value.code == 2
    case = tmp_path / "c.casedesk"
    assert main(["new", str(case)]) == 0
    code, _, err = run(capsys, "import", str(case), str(tmp_path), "--published", "12/07/2019")
    assert code == 2 and "YYYY-MM-DD" in err


def test_new_then_empty_case_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    case = str(tmp_path / "empty.casedesk")
    assert run(capsys, "new", case)[0] == 0
    for command in ["list", "facts", "entities", "timeline"]:
        code, out, _ = run(capsys, command, case, "--format", "jsonl")
        assert (code, out) == (0, "")
        code, out, _ = run(capsys, command, case)
        assert code == 0 and out.count("\n") == 1  # the header only
    code, out, _ = run(capsys, "search", case, "anything", "--format", "jsonl")
    assert (code, out) == (0, "")
    code, out, _ = run(capsys, "export", case)
    assert code == 0 and out.startswith("# ")


def test_new_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    case = tmp_path / "c.casedesk"
    case.write_text("not mine to overwrite")
    code, _, err = run(capsys, "new", str(case))
    assert code == 1 and "already exists" in err
    assert case.read_text() == "not mine to overwrite"


def test_commands_refuse_a_file_that_is_not_a_case(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    for command in (["list"], ["facts"], ["open"], ["export"]):
        code, _, err = run(capsys, command[0], str(bogus))
        assert code == 1
        assert str(bogus) in err and "not a Casedesk case" in err


def test_list_sample(capsys: pytest.CaptureFixture[str], sample_case: Path) -> None:
    code, out, _ = run(capsys, "list", str(sample_case), "--format", "jsonl")
    rows = jsonl(out)
    assert code == 0 and len(rows) == 5
    assert all(list(r) == LIST_FIELDS for r in rows)
    by_name = {r["document"]: r for r in rows}
    first = by_name["000_07b12ffcae950391.txt"]
    assert first["published"] == "2019-07-06" and first["published_inferred"] is False
    assert first["publisher"] == "The Korea Post (Yonhap)"
    assert first["words"] > 300 and first["facts"] > 0
    code, out, _ = run(capsys, "list", str(sample_case))
    assert "Tense Japan, S. Korean meeting" in out


def test_search(capsys: pytest.CaptureFixture[str], sample_case: Path) -> None:
    code, out, _ = run(capsys, "search", str(sample_case), "photoresist*", "--format", "jsonl")
    rows = jsonl(out)
    assert code == 0 and rows and all(list(r) == SEARCH_FIELDS for r in rows)
    assert any("[photoresist" in r["snippet"].lower() for r in rows)
    code, out, _ = run(
        capsys, "search", str(sample_case), '"hydrogen fluoride"', "--format", "jsonl"
    )
    assert {r["document"] for r in jsonl(out)} >= {"001_4b779f434aa6dbcc.txt"}
    for hostile in ['"unbalanced', "AND (", "NEAR(", "-", "*"]:
        code, _, err = run(capsys, "search", str(sample_case), hostile)
        assert code == 0 and "Traceback" not in err


def test_facts_entities_timeline(capsys: pytest.CaptureFixture[str], sample_case: Path) -> None:
    code, out, _ = run(capsys, "facts", str(sample_case), "--format", "jsonl")
    facts = jsonl(out)
    assert code == 0 and facts and all(list(f) == FACT_FIELDS for f in facts)
    kinds = {f["kind"] for f in facts}
    assert {"date", "person", "organization", "place"} <= kinds
    code, out, _ = run(
        capsys,
        "facts",
        str(sample_case),
        "--document",
        "000_07b12ffcae950391.txt",
        "--kind",
        "date",
        "--format",
        "jsonl",
    )
    dates = jsonl(out)
    assert dates and {f["document"] for f in dates} == {"000_07b12ffcae950391.txt"}
    assert {f["kind"] for f in dates} == {"date"}
    code, _, err = run(capsys, "facts", str(sample_case), "--document", "no-such-doc")
    assert code == 2 and "no-such-doc" in err

    code, out, _ = run(capsys, "entities", str(sample_case), "--format", "jsonl")
    entities = jsonl(out)
    assert code == 0 and entities and all(list(e) == ENTITY_FIELDS for e in entities)
    assert all(e["mentions"] >= 1 and e["documents"] for e in entities)

    code, out, _ = run(capsys, "timeline", str(sample_case), "--format", "jsonl")
    events = jsonl(out)
    assert code == 0 and events and all(list(e) == TIMELINE_FIELDS for e in events)
    starts = [period(e["date"]).start for e in events]  # type: ignore[union-attr]
    assert starts == sorted(starts)
    for event in events:
        for source in event["sources"]:
            assert set(source) == {"document", "start", "end", "text", "polarity"}
            assert source["polarity"] in ("asserts", "denies")


def test_import_reports_bad_files_and_keeps_going(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Officials met in Geneva on Tuesday to discuss tariffs on steel.\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    missing = tmp_path / "missing.txt"
    code, out, err = run(
        capsys,
        "import",
        str(sample_copy),
        str(empty),
        str(good),
        str(binary),
        str(missing),
        "--publisher",
        "Test Wire",
        "--published",
        "2021-03-02",
        "--quiet",
    )
    assert code == 1
    for bad in (empty, binary, missing):
        assert str(bad) in err
    assert "imported 1" in out
    code, out, _ = run(capsys, "list", str(sample_copy), "--format", "jsonl")
    rows = {r["document"]: r for r in jsonl(out)}
    assert len(rows) == 6
    assert rows["good.txt"]["publisher"] == "Test Wire"
    assert rows["good.txt"]["published"] == "2021-03-02"
    # Importing the same content again is recognised, not duplicated.
    code, out, err = run(capsys, "import", str(sample_copy), str(good), "--quiet")
    assert code == 0 and "duplicates 1" in out
    code, out, _ = run(capsys, "list", str(sample_copy), "--format", "jsonl")
    assert len(jsonl(out)) == 6


def test_import_extracts_facts(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, tmp_path: Path
) -> None:
    doc = tmp_path / "wire.txt"
    doc.write_text(
        "Trade Minister Anna Berg said on Tuesday that Sweden will restrict exports of "
        "lithium hydroxide from next month.\n"
    )
    assert (
        run(capsys, "import", str(sample_copy), str(doc), "--published", "2021-03-04", "-q")[0] == 0
    )
    code, out, _ = run(
        capsys, "facts", str(sample_copy), "--document", "wire.txt", "--format", "jsonl"
    )
    values = {(f["kind"], f["value"]) for f in jsonl(out)}
    assert ("date", "2021-03-02") in values  # "on Tuesday", said in the past
    assert ("date", "2021-04") in values  # "next month"


def test_export_to_stdout_and_files(
    capsys: pytest.CaptureFixture[str], sample_case: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "export", str(sample_case))
    assert code == 0 and out.startswith("# ")
    md = tmp_path / "summary.md"
    html = tmp_path / "summary.html"
    assert run(capsys, "export", str(sample_case), "-o", str(md))[0] == 0
    assert run(capsys, "export", str(sample_case), "-o", str(html))[0] == 0
    assert md.read_text("utf-8") == out
    assert "<table" in html.read_text("utf-8")
    code, _, err = run(capsys, "export", str(sample_case), "--entity", "Nobody At All")
    assert code == 2 and "Nobody At All" in err


def test_export_option_errors_are_usage_errors(
    capsys: pytest.CaptureFixture[str], sample_case: Path, tmp_path: Path
) -> None:
    for argv, needle in (
        (["--from", "last week"], "last week"),
        (["--sections", "chronology,gossip"], "gossip"),
        (["-o", str(tmp_path / "summary.pdf")], "pdf"),
    ):
        code, _, err = run(capsys, "export", str(sample_case), *argv)
        assert code == 2, argv
        assert needle in err and "Traceback" not in err
    code, _, err = run(capsys, "export", str(sample_case), "-o", str(tmp_path / "no" / "x.md"))
    assert code == 1 and "cannot write" in err


def test_import_also_extracts_what_an_interrupted_import_left(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = tmp_path / "c.casedesk"
    first = tmp_path / "first.txt"
    first.write_text("Officials met in Geneva on Tuesday to discuss steel tariffs.\n")
    second = tmp_path / "second.txt"
    second.write_text("The ministry said on Friday it would review the quotas next month.\n")
    assert run(capsys, "new", str(case))[0] == 0
    # As if the import of the first file was killed before its extraction ran:
    assert run(capsys, "import", str(case), str(first), "--no-extract", "-q")[0] == 0
    assert run(capsys, "import", str(case), str(second), "--published", "2021-03-05", "-q")[0] == 0
    code, out, _ = run(capsys, "facts", str(case), "--document", "first.txt", "--format", "jsonl")
    assert code == 0 and jsonl(out)
