"""Claims: the polarity batteries (``tests/data/polarity/battery.txt`` and ``fresh.txt``), one
test a line.

Each line names the speaker, the polarity and the words of one claim its text should carry;
whatever the line, no claim may assert words a line of the same text says are denied. The
lines this extractor still gets wrong are listed in ``KNOWN_WRONG`` with what goes wrong (a
strict xfail: when one starts to pass, the list must lose it). ``bench/polarity.py`` prints
the same judgement as accuracy figures.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pytest
from spacy.language import Language

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from polarity import BATTERY, FRESH, Line, extract, judge, load_battery  # noqa: E402

FRESH_LINES = load_battery(FRESH)
LINES = load_battery() + FRESH_LINES
BY_TEXT: dict[str, list[Line]] = defaultdict(list)
for _line in LINES:
    BY_TEXT[_line.text].append(_line)

# Lines the extractor still gets wrong, by their text (with " => " and the words when the text
# carries several lines) -> what goes wrong there.
KNOWN_WRONG: dict[str, str] = {
    "Officials in Tarrow strongly disputed that the water was contaminated.": (
        "speaker: the place after the role is dropped"
    ),
}


def _known_wrong(line: Line) -> str | None:
    key = line.text if len(BY_TEXT[line.text]) == 1 else f"{line.text} => {line.content}"
    return KNOWN_WRONG.get(key)


def test_each_known_wrong_line_is_in_the_battery() -> None:
    keys = {line.text for line in LINES} | {f"{line.text} => {line.content}" for line in LINES}
    assert set(KNOWN_WRONG) <= keys


def _params() -> list[object]:
    params: list[object] = []
    for line in LINES:
        reason = _known_wrong(line)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        name = "fresh" if line in FRESH_LINES else line.group
        params.append(pytest.param(line, marks=marks, id=f"{name}-{line.number}"))
    return params


@pytest.mark.parametrize("line", _params())
def test_battery_line(nlp: Language, line: Line) -> None:
    verdict = judge(line, extract(line.text), BY_TEXT[line.text])
    assert verdict.wrong_assertion is None, verdict.reason()
    assert verdict.passed, verdict.reason()


def test_the_battery_is_large_and_covers_each_construction() -> None:
    assert len(LINES) >= 60
    groups = {line.group for line in LINES}
    for group in (
        "statement-object",
        "nested-denial",
        "nested-report",
        "double-negation",
        "pronoun",
        "control",
    ):
        assert group in groups
    assert {line.polarity for line in LINES} == {"asserts", "denies", "none"}


def test_a_malformed_battery_line_is_an_error_naming_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "battery.txt"
    bad.write_text("# header\nx | The mayor said it rained. | The mayor | maybe | it rained\n")
    with pytest.raises(ValueError, match=r"battery\.txt:2: polarity 'maybe'"):
        load_battery(bad)
    assert BATTERY.is_file()
