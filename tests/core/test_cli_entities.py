"""`casedesk entity` and `casedesk corrections`: correcting a case from the terminal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from casedesk.cli import main

ENTITY_FIELDS = ["id", "kind", "name", "aliases", "mentions", "documents", "status"]
CORRECTION_FIELDS = [
    "id",
    "action",
    "entity_id",
    "entity",
    "kind",
    "spellings",
    "value",
    "document_id",
    "start",
    "end",
    "detail",
    "created_at",
    "revoked_at",
]


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
def case(sample_case: Path, tmp_path: Path) -> str:
    copy = tmp_path / "copy.casedesk"
    shutil.copy(sample_case, copy)
    return str(copy)


def entities(capsys: pytest.CaptureFixture[str], case: str, *extra: str) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, "entity", case, "list", "--format", "jsonl", *extra)
    assert code == 0
    return jsonl(out)


def one(capsys: pytest.CaptureFixture[str], case: str, name: str) -> dict[str, Any]:
    (row,) = [r for r in entities(capsys, case, "--all") if r["name"] == name]
    return row


def test_list_filters_by_kind_and_text(capsys: pytest.CaptureFixture[str], case: str) -> None:
    rows = entities(capsys, case)
    assert rows and list(rows[0]) == ENTITY_FIELDS
    assert all(r["kind"] == "place" for r in entities(capsys, case, "--kind", "place"))
    ministries = entities(capsys, case, "ministry")
    assert ministries and all("ministry" in r["name"].lower() for r in ministries)
    top = entities(capsys, case, "--sort", "mentions", "--limit", "1")
    assert top[0]["mentions"] == max(r["mentions"] for r in rows)
    code, out, _ = run(capsys, "entity", case, "list", "--kind", "place")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["id", "kind", "name"]


def test_rename(capsys: pytest.CaptureFixture[str], case: str) -> None:
    code, out, _ = run(capsys, "entity", case, "rename", "seoul", "Seoul government")
    assert code == 0 and "Seoul government" in out
    row = one(capsys, case, "Seoul government")
    assert "Seoul" in row["aliases"] and row["status"] == "confirmed"


def test_change_kind_changes_every_mention(capsys: pytest.CaptureFixture[str], case: str) -> None:
    seoul = one(capsys, case, "Seoul")
    code, out, _ = run(capsys, "entity", case, "kind", "Seoul", "organization")
    assert code == 0
    after = one(capsys, case, "Seoul")
    assert after["kind"] == "organization" and after["mentions"] == seoul["mentions"]
    code, out, _ = run(capsys, "facts", case, "--kind", "place", "--format", "jsonl")
    assert "Seoul" not in [f["text"] for f in jsonl(out)]


def test_an_ambiguous_name_lists_the_candidates(
    capsys: pytest.CaptureFixture[str], case: str
) -> None:
    code, _out, err = run(capsys, "entity", case, "rename", "Abe", "Shinzo Abe")
    assert code == 2
    assert "'Abe' matches 2 entities" in err and "'Shinzo Abe'" in err
    code, _out, err = run(capsys, "entity", case, "kind", "nobody at all", "person")
    assert code == 2 and "no entity 'nobody at all'" in err


def test_merge_needs_the_kind_when_kinds_differ(
    capsys: pytest.CaptureFixture[str], case: str
) -> None:
    abe = [r for r in entities(capsys, case) if r["name"] in ("Abe", "Shinzo Abe")]
    assert len(abe) == 2
    ids = [f"#{r['id']}" for r in abe]
    code, out, _ = run(capsys, "entity", case, "merge", *ids, "--name", "Abe Shinzo")
    assert code == 0
    merged = one(capsys, case, "Abe Shinzo")
    assert merged["mentions"] == sum(r["mentions"] for r in abe)
    before = entities(capsys, case)
    code, _out, err = run(capsys, "entity", case, "merge", "Tokyo", "Yonhap")
    assert code == 2 and "different kinds" in err
    assert entities(capsys, case) == before
    code, _out, _err = run(
        capsys, "entity", case, "merge", "Tokyo", "Yonhap", "--kind", "organization"
    )
    assert code == 0
    assert one(capsys, case, "Tokyo")["kind"] == "organization"


def test_split_by_spelling(capsys: pytest.CaptureFixture[str], case: str) -> None:
    lee = one(capsys, case, "Lee Ho-hyun")
    assert "Lee Ko-hyun" in lee["aliases"]
    code, out, _ = run(capsys, "entity", case, "split", "Lee Ho-hyun", "--aliases", "Lee Ko-hyun")
    assert code == 0 and "split off" in out
    ko = one(capsys, case, "Lee Ko-hyun")
    assert ko["mentions"] >= 1
    assert one(capsys, case, "Lee Ho-hyun")["mentions"] == lee["mentions"] - ko["mentions"]


def test_reject_and_revoke(capsys: pytest.CaptureFixture[str], case: str) -> None:
    code, out, _ = run(capsys, "entity", case, "reject", "Hyundai Motor")
    assert code == 0 and "1 entity, " in out
    assert "Hyundai Motor" not in [r["name"] for r in entities(capsys, case)]
    code, out, _ = run(capsys, "corrections", case, "--format", "jsonl")
    (row,) = jsonl(out)
    assert list(row) == CORRECTION_FIELDS
    assert row["action"] == "reject" and "hyundai motor" in row["spellings"]
    code, out, _ = run(capsys, "corrections", case)
    assert "“Hyundai Motor” is not an entity" in out
    code, out, _ = run(capsys, "corrections", case, "revoke", str(row["id"]))
    assert code == 0
    assert "Hyundai Motor" in [r["name"] for r in entities(capsys, case)]
    code, out, _ = run(capsys, "corrections", case, "--in-force", "--format", "jsonl")
    assert jsonl(out) == []
    code, _out, err = run(capsys, "corrections", case, "revoke", str(row["id"]))
    assert code == 2 and "revoked already" in err
    code, _out, err = run(capsys, "corrections", case, "forget", "1")
    assert code == 2


def test_mentions_and_proposals(capsys: pytest.CaptureFixture[str], case: str) -> None:
    code, out, _ = run(capsys, "entity", case, "mentions", "Yonhap", "--format", "jsonl")
    rows = jsonl(out)
    assert code == 0 and rows and all("Yonhap" in r["sentence"] for r in rows)
    code, out, _ = run(capsys, "entity", case, "proposals")
    assert code == 0
