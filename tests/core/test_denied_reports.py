"""A report that denies a happening may sit on the happening's timeline item, but it is no
source that agrees: it neither counts towards "corroborated" nor dates or names the item."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from casedesk.cli import main
from casedesk.extract.nlp import get_nlp
from casedesk.store import Case
from casedesk.timeline import badge_label, load_events
from textcases import add_extracted

DOCS = {
    "times.txt": (
        "2026-03-06",
        "The union denied that its members set fire to a warehouse at the port on March 3.\n",
    ),
    "gazette.txt": (
        "2026-03-04",
        "Striking dockers set fire to a warehouse at the Marrowgate port on March 3, 2026, "
        "witnesses said.\n",
    ),
}


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    get_nlp()
    path: Path = tmp_path_factory.mktemp("denied") / "denied.casedesk"
    c = Case.create(path, name="denied")
    add_extracted(c, DOCS)
    yield c
    c.close()


def test_a_denial_is_no_source_that_agrees(case: Case) -> None:
    """It was counted: the item read "×2" (corroborated), and the denial, being the first
    report, named the item "Denied: ..."."""
    (fire,) = [e for e in load_events(case) if "fire" in e.title.lower()]
    assert len(fire.sources) == 2
    assert [s.denied for s in fire.sources].count(True) == 1
    assert fire.agreeing == 1
    assert badge_label(fire) == ""
    assert not fire.title.startswith("Denied")


def test_the_timeline_marks_a_denying_source(
    case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["timeline", str(case.path), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    (fire,) = [r for r in rows if "fire" in r["title"].lower()]
    assert sorted(s["polarity"] for s in fire["sources"]) == ["asserts", "denies"]
    assert main(["timeline", str(case.path)]) == 0
    assert "times.txt (denies)" in capsys.readouterr().out
