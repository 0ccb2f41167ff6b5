"""A denial stays a denial from import to the facts list and the summary: never shown as the
speaker's assertion, and a happening reported only as denied never shown as having happened.
The article is written for this test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from casedesk.cli import main

ARTICLE = """\
Port authority denies cover-up over harbour spill

The Harbour Authority on Tuesday denied that its inspectors had hidden test results from the
public. Chief executive Marta Quist said the authority would publish every sample taken since
January.

"We have nothing to hide and never have," Quist said.

The fishermen's union rejected claims that the spill had been contained. Environment minister
Ivo Brandt did not say that the harbour was safe, and the authority has not confirmed that the
pipeline was repaired on Monday.
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, _err = capsys.readouterr()
    return code, out


@pytest.fixture(scope="module")
def case_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("denials")
    article = folder / "harbour.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    path = folder / "harbour.casedesk"
    assert main(["new", str(path)]) == 0
    assert main(["import", str(path), str(article), "--published", "2024-03-08"]) == 0
    return path


def facts(capsys: pytest.CaptureFixture[str], path: Path, kind: str) -> list[dict[str, Any]]:
    code, out = run(capsys, "facts", str(path), "--kind", kind, "--format", "jsonl")
    assert code == 0
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_jsonl_claims_carry_polarity(capsys: pytest.CaptureFixture[str], case_path: Path) -> None:
    claims = facts(capsys, case_path, "claim")
    by_text = {" ".join(c["text"].split()): c for c in claims}
    assert {c["polarity"] for c in claims} == {"asserts", "denies"}
    hidden = by_text["its inspectors had hidden test results from the public"]
    assert (hidden["value"], hidden["polarity"]) == ("The Harbour Authority", "denies")
    assert hidden["entity_id"] is not None and hidden["entity"]  # the speaker is an entity
    assert by_text["the spill had been contained"]["polarity"] == "denies"
    assert by_text["the harbour was safe"]["polarity"] == "denies"
    repaired = by_text["the pipeline was repaired on Monday"]
    assert repaired["polarity"] == "denies"
    # "the authority" after "The Harbour Authority" is that organisation
    assert repaired["value"] == "the authority" and repaired["entity_id"] == hidden["entity_id"]
    publish = next(c for c in claims if c["text"].startswith("the authority would publish"))
    assert publish["polarity"] == "asserts"
    own = by_text["We have nothing to hide and never have"]
    assert own["polarity"] == "asserts" and own["value"] == "Quist"
    # other kinds carry no polarity
    assert {f["polarity"] for f in facts(capsys, case_path, "person")} == {None}


def test_events_reported_only_as_denied_are_marked(
    capsys: pytest.CaptureFixture[str], case_path: Path
) -> None:
    events = facts(capsys, case_path, "event")
    repaired = [e for e in events if "repaired" in e["text"] and e["value"] == "2024-03-04"]
    assert repaired and all(e["polarity"] == "denies" for e in repaired)
    code, out = run(capsys, "timeline", str(case_path), "--format", "jsonl")
    titles = [json.loads(line)["title"] for line in out.splitlines() if line.strip()]
    pipeline = [t for t in titles if "ipeline" in t]
    assert pipeline and all(t.startswith("Denied: ") for t in pipeline)


def test_the_summary_shows_a_denial_as_a_denial(
    capsys: pytest.CaptureFixture[str], case_path: Path, tmp_path: Path
) -> None:
    for suffix in ("md", "html"):
        target = tmp_path / f"summary.{suffix}"
        code, _ = run(capsys, "export", str(case_path), "-o", str(target))
        assert code == 0
        text = target.read_text(encoding="utf-8")
        if suffix == "md":
            claims = text.split("## Claims", 1)[1].split("\n## ", 1)[0]
            lines = [line for line in claims.splitlines() if "had hidden test results" in line]
            assert lines and all("**denies**" in line and "(denied)" in line for line in lines)
            lines = [line for line in claims.splitlines() if "the harbour was safe" in line]
            assert lines and all("**denies**" in line and "did not say" in line for line in lines)
            publish = [line for line in claims.splitlines() if "would publish every" in line]
            assert publish and not any("denies" in line for line in publish)
        else:
            assert "<strong>denies</strong>" in text


NESTED = """\
Ministry rejects ferry valve claims

The transport ministry on Wednesday rejected claims that engineer Pavel Novak told inspectors
the ferry's valves were faulty. Ministry spokeswoman Lina Marek said every valve had passed its
March inspection.
"""


@pytest.fixture(scope="module")
def nested_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A denial of a named person's statement: the engineer's words are only what the
    ministry says was never said."""
    folder = tmp_path_factory.mktemp("nested")
    article = folder / "valves.txt"
    article.write_text(NESTED, encoding="utf-8")
    path = folder / "valves.casedesk"
    assert main(["new", str(path)]) == 0
    assert main(["import", str(path), str(article), "--published", "2024-03-08"]) == 0
    return path


def test_a_denied_statement_of_a_named_person_is_a_denial_end_to_end(
    capsys: pytest.CaptureFixture[str], nested_path: Path, tmp_path: Path
) -> None:
    claims = facts(capsys, nested_path, "claim")
    denied = [c for c in claims if "valves were faulty" in c["text"]]
    assert [(" ".join(c["text"].split()), c["value"], c["polarity"]) for c in denied] == [
        (
            "engineer Pavel Novak told inspectors the ferry's valves were faulty",
            "The transport ministry",
            "denies",
        )
    ]
    assert not [c for c in claims if "Novak" in c["value"]]  # never the engineer's assertion
    target = tmp_path / "summary.md"
    assert run(capsys, "export", str(nested_path), "-o", str(target))[0] == 0
    section = target.read_text(encoding="utf-8").split("## Claims", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if "valves were faulty" in line]
    assert lines and all("**denies**" in line and "(rejected)" in line for line in lines)
    brief = tmp_path / "brief.md"
    assert run(capsys, "export", str(nested_path), "--brief", "-o", str(brief))[0] == 0
    lines = [line for line in brief.read_text(encoding="utf-8").splitlines() if "faulty" in line]
    assert all("denies" in line for line in lines)
