"""Case files that pass every check at opening but hold what Casedesk never writes (another
program changed them): every command works around it or says, in one line naming the file,
what is wrong; never a traceback."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from faults import DAMAGE, damage_case  # noqa: E402

from casedesk import cli, edits  # noqa: E402
from casedesk.store import Case  # noqa: E402

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
    path = tmp_path / f"{damage}.casedesk"
    shutil.copyfile(base, path)
    damage_case(path, damage)
    args = [a.format(case=path, tmp=tmp_path) for a in COMMANDS[command]]
    code = cli.main(args)  # an exception here is the traceback a user would see
    err = capsys.readouterr().err
    assert code in (0, 1), err
    if code == 1:
        lines = [line for line in err.splitlines() if line.startswith("casedesk:")]
        # The case, or for an import the file whose facts could not be written.
        named = [str(path), *(Path(a).name for a in args[2:] if a.endswith(".txt"))]
        assert lines and any(n in lines[-1] for n in named), err
        assert "Traceback" not in err
        # What another program did is never blamed on Casedesk.
        assert "fault in Casedesk" not in err, err
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
