"""The word lists kept as data files: each states its criterion, a word is written once."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from casedesk.extract import lexicon
from casedesk.extract.lexicon_names import INSTITUTIONS, WELL_KNOWN_PLACES


def test_every_list_has_a_header_saying_what_belongs() -> None:
    for name in lexicon.list_names():
        first = (lexicon.DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 20, name


def test_a_word_is_written_in_one_list_only() -> None:
    where: dict[str, list[str]] = defaultdict(list)
    for name in lexicon.list_names():
        for entry in lexicon.written(name):
            if entry.startswith("@include "):
                continue
            word, _, also = entry.partition(" @also ")
            key = word.partition(" = ")[0].strip().lower()
            if also:
                assert key in {
                    e.split(" @also ")[0].partition(" = ")[0].strip().lower()
                    for e in lexicon.written(also.strip())
                }, f"{name}: '{word}' says it is also in {also}, which lacks it"
                continue
            where[key].append(name)
    twice = {w: names for w, names in where.items() if len(names) > 1}
    assert twice == {}


def test_lists_load_with_includes_and_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("# a\nOne\n@include b\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("# b\ntwo @also a\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("# t\nx = y\nbroken\n", encoding="utf-8")
    (tmp_path / "loop.txt").write_text("# loop\n@include loop\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "DATA", tmp_path)
    for f in (lexicon.written, lexicon.entries):
        f.cache_clear()
    try:
        assert lexicon.words("a") == {"one", "two"}
        assert lexicon.words("a", lower=False) == {"One", "two"}
        with pytest.raises(lexicon.LexiconError, match="t.txt.*'broken'"):
            lexicon.table("t")
        with pytest.raises(lexicon.LexiconError, match="includes itself"):
            lexicon.entries("loop")
        with pytest.raises(lexicon.LexiconError, match="missing.txt: cannot be read"):
            lexicon.entries("missing")
    finally:
        for f in (lexicon.written, lexicon.entries):
            f.cache_clear()


def test_place_lists_follow_their_criteria() -> None:
    # ISO 3166 countries, national capitals, US states, world regions
    for name in ("burkina faso", "eswatini", "ulaanbaatar", "wyoming", "sub-saharan africa"):
        assert name in WELL_KNOWN_PLACES
    # a city that is neither a capital nor among the largest is not listed
    assert "kobe" not in WELL_KNOWN_PLACES
    assert INSTITUTIONS["Kremlin"] == "organization"
