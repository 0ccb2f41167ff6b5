"""Telling a case another program changed from a fault in Casedesk: ``damage.find_damage``
names what a file holds that Casedesk never writes, and the one-line message blames the file
only when it finds something."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from faults import DAMAGE, damage_case  # noqa: E402

from casedesk import cli, edits  # noqa: E402
from casedesk.damage import find_damage  # noqa: E402
from casedesk.ingest import import_paths  # noqa: E402
from casedesk.store import Case  # noqa: E402

# Damage whose reading fails inside SQLite or the text decoder: it is named from that error.
_NAMED_BY_SQLITE = {"invalid-utf8", "garbage-search-index"}


def broken(_case: Case) -> list[dict[str, object]]:
    """A listing that fails as a mistake in Casedesk's own code would."""
    raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")


@pytest.fixture(scope="module")
def worked_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample case after the edits a user makes: highlights, notes, merges, corrections."""
    folder = tmp_path_factory.mktemp("worked")
    path = folder / "worked.casedesk"
    assert cli.main(["sample", str(path), "-q"]) == 0
    article = folder / "extra.txt"
    article.write_text(
        "Lena Ortiz, a spokeswoman for Harbor Freight Lines Inc., said on 2 May 2022 that the "
        "company had not moved any cargo through the port. Harbor Freight denied the report.\n"
    )
    with Case.open(path) as case:
        import_paths(case, [article])
        tag = edits.add_tag(case, "Check", "#123456")
        edits.add_annotation(case, 1, 0, 10, note="*a* note", tag_id=tag)
        people = [
            row["id"]
            for row in case.db.query("SELECT id FROM entities WHERE kind = 'person' LIMIT 2")
        ]
        edits.merge_entities(case, people[0], people[1])
        fact_id = next(case.db.query("SELECT id FROM facts WHERE kind = 'date' LIMIT 1"))["id"]
        edits.correct_fact_value(case, fact_id, "2019-07-05")
        edits.set_fact_status(case, fact_id, "confirmed")
        edits.add_manual_fact(case, 2, "organization", 0, 5)
    return path


def test_a_case_casedesk_wrote_and_edited_holds_no_damage(worked_case: Path) -> None:
    assert find_damage(worked_case) is None


@pytest.mark.parametrize("damage", sorted(set(DAMAGE) - _NAMED_BY_SQLITE))
def test_what_another_program_changed_is_found(
    worked_case: Path, tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "changed.casedesk"
    shutil.copyfile(worked_case, path)
    damage_case(path, damage)
    assert find_damage(path)


def test_a_fault_in_casedesk_on_a_sound_case_is_not_blamed_on_the_file(
    worked_case: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "sound.casedesk"
    shutil.copyfile(worked_case, path)

    monkeypatch.setattr(cli, "list_rows", broken)
    assert cli.main(["list", str(path)]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert str(path) in err
    assert "fault in Casedesk" in err
    assert "another program" not in err


def test_the_same_failure_on_a_changed_case_blames_the_change(
    worked_case: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "changed.casedesk"
    shutil.copyfile(worked_case, path)
    damage_case(path, "text-in-integer")

    monkeypatch.setattr(cli, "list_rows", broken)
    assert cli.main(["list", str(path)]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert "another program" in err and "wrong type" in err
    assert "fault in Casedesk" not in err
