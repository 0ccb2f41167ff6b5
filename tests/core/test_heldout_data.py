"""The held-out evaluation sets are well formed: a wrong offset or value would skew every figure.

Two sets: ``tests/data/heldout/`` and ``tests/data/heldout2/`` (the second, annotated before any
extractor ran on it). Only the data is checked here (spans, values, identities, happenings); the
extraction itself is measured by ``bench/heldout.py``, which prints figures and asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from casedesk.ingest.importer import import_paths
from casedesk.store import Case

ROOT = Path(__file__).resolve().parents[2]
KINDS = {"date", "duration", "person", "organization", "place", "material", "quantity", "debris"}
ENTITY_KINDS = {"person", "organization", "place", "material"}
# Mentions of one group never overlap; a name may sit inside a quantity ("four NDRF teams").
GROUPS = (ENTITY_KINDS, {"date", "duration"}, {"quantity"})
DATE_VALUE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:T(?:\d{2}:\d{2}|MO|AF|EV|NI))?)?"
    r"|-W(?P<w>\d{2})(?:-WE)?|-Q[1-4]|-(?:SP|SU|FA|WI))?$"
)
DURATION_VALUE = re.compile(r"^P(?:(?:\d+|X)[YMWD]|T(?:\d+|X)[HMS])$")


@dataclass(frozen=True)
class HeldoutSet:
    """One evaluation set and what it must keep exercising."""

    folder: Path
    min_mentions: int
    min_claims: int
    # Canonical entity -> spellings in other articles that must keep that identity.
    aliases: dict[str, frozenset[str]]
    # Entities that only look alike and must stay apart.
    lookalikes: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return self.folder.name


SETS = (
    HeldoutSet(
        ROOT / "tests" / "data" / "heldout",
        min_mentions=300,
        min_claims=50,
        aliases={
            "Choi Jung-woo": frozenset({"Choi Jeong-woo"}),
            "Yusuke Ohno": frozenset({"Yūsuke Ōno"}),
            "Tokai Resin": frozenset({"Tokai Jushi"}),
        },
        lookalikes=(
            ("Korea Fair Trade Commission", "Japan Fair Trade Commission"),
            ("Ministry of Commerce (China)", "Department of Commerce (US)"),
            ("North Chungcheong Province", "South Chungcheong Province"),
            ("gallium nitride", "gallium arsenide"),
        ),
    ),
    HeldoutSet(
        ROOT / "tests" / "data" / "heldout2",
        min_mentions=700,
        min_claims=100,
        aliases={
            "João Vítor Araújo": frozenset({"Joao Vitor Araujo", "Araujo"}),
            "CD Alvorada": frozenset({"Clube Desportivo Alvorada"}),
            "Mario Reiß": frozenset({"Mario Reiss"}),
            "GDL": frozenset({"German Train Drivers' Union"}),
            "Deutsche Bahn": frozenset({"Deutsche Bahn AG", "DB"}),
            "Nigerian National Petroleum Company": frozenset(
                {"Nigerian National Petroleum Co.", "NNPC Limited"}
            ),
            "sulfuric acid": frozenset({"sulphuric acid"}),
        },
        lookalikes=(
            ("João Vítor Araújo", "Rui Araújo"),
            ("Ifeoma Adeyemi", "Tunde Adeyemi"),
            ("Ulrike Becker", "Thomas Becker"),
            ("Federal Ministry of Transport", "Federal Ministry of Labour and Social Affairs"),
            ("Federal Ministry of Finance (Nigeria)", "Ministry of Budget and Economic Planning"),
            ("Ministry of Mines and Energy", "Ministry of Environment and Climate Change"),
            ("Austrian Federal Railways", "Swiss Federal Railways"),
            ("Premier League", "Primeira Liga"),
            ("N-nitrosodiethylamine", "N-nitrosodimethylamine"),
            ("valsartan", "losartan"),
            ("lithium", "lithium hydroxide"),
        ),
    ),
)


@pytest.fixture(scope="module", params=SETS, ids=str)
def heldout(request: pytest.FixtureRequest) -> HeldoutSet:
    chosen: HeldoutSet = request.param
    return chosen


def _manifest(data: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(
        (data / "manifest.json").read_text(encoding="utf-8")
    )["documents"]
    return entries


def _gold(data: Path) -> list[dict[str, Any]]:
    with (data / "gold.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _events(data: Path) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads((data / "events.json").read_text(encoding="utf-8"))
    return events


@pytest.fixture(scope="module")
def stored_texts(heldout: HeldoutSet, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The articles as a case stores them (offsets are into this text)."""
    data = heldout.folder
    case = Case.create(tmp_path_factory.mktemp(data.name) / "heldout.casedesk")
    report = import_paths(
        case, [data / d["file"] for d in _manifest(data)], manifest=data / "manifest.json"
    )
    assert not report.failed, report.failed
    texts = {str(n): str(t) for n, t in case.conn.execute("SELECT file_name, text FROM documents")}
    case.conn.close()
    return texts


def _valid_date_value(value: str) -> bool:
    m = DATE_VALUE.match(value)
    if m is None:
        return False
    if m["d"]:
        try:
            dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return False
    elif m["m"]:
        return 1 <= int(m["m"]) <= 12
    elif m["w"]:
        return 1 <= int(m["w"]) <= 53
    return True


def test_manifest_lists_every_article_with_a_publication_date(heldout: HeldoutSet) -> None:
    data = heldout.folder
    listed = {d["file"] for d in _manifest(data)}
    assert listed == {p.name for p in data.glob("*.txt") if p.name != "annotations.txt"}
    for entry in _manifest(data):
        dt.date.fromisoformat(entry["published"])
        assert entry["publisher"], entry["file"]


def test_every_gold_span_is_the_stored_text(
    heldout: HeldoutSet, stored_texts: dict[str, str]
) -> None:
    gold = _gold(heldout.folder)
    assert len(gold) > heldout.min_mentions
    assert {row["file"] for row in gold} == set(stored_texts)
    for row in gold:
        where = f"{row['file']} {row['start']}-{row['end']}"
        assert row["kind"] in KINDS, where
        text = stored_texts[row["file"]]
        assert 0 <= row["start"] < row["end"] <= len(text), where
        assert text[row["start"] : row["end"]] == row["text"], where
        assert row["text"] == row["text"].strip(), where


def test_values_are_timeml_and_entities_have_ids(heldout: HeldoutSet) -> None:
    for row in _gold(heldout.folder):
        where = f"{row['file']} {row['text']!r}"
        if row["kind"] == "date":
            assert _valid_date_value(row["value"]), where
        elif row["kind"] == "duration":
            assert DURATION_VALUE.match(row["value"]), where
        elif row["kind"] in ENTITY_KINDS:
            assert row["entity"], where


def test_mentions_of_a_group_do_not_overlap_nor_touch_debris(heldout: HeldoutSet) -> None:
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _gold(heldout.folder):
        by_file[row["file"]].append(row)
    for name, rows in by_file.items():
        debris = [(r["start"], r["end"]) for r in rows if r["kind"] == "debris"]
        spans = sorted((r["start"], r["end"], r["text"]) for r in rows if r["kind"] != "debris")
        for group in GROUPS:
            mine = sorted((r["start"], r["end"], r["text"]) for r in rows if r["kind"] in group)
            for (_, e1, t1), (s2, _, t2) in zip(mine, mine[1:], strict=False):
                assert s2 >= e1, f"{name}: {t1!r} overlaps {t2!r}"
        for s, e, t in spans:
            assert not any(ds < e and s < de for ds, de in debris), f"{name}: {t!r} in debris"


def test_the_set_has_cross_article_aliases_and_lookalikes(heldout: HeldoutSet) -> None:
    forms: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in _gold(heldout.folder):
        if row["kind"] in ENTITY_KINDS:
            forms[row["entity"]].add((row["file"], row["text"]))
    # An entity named differently in two different articles.
    cross = [
        e for e, fs in forms.items() if any(f1 != f2 and t1 != t2 for f1, t1 in fs for f2, t2 in fs)
    ]
    assert len(cross) >= len(heldout.aliases) >= 2, cross
    # The named spellings keep their identity and appear in another article than the canonical
    # name does.
    for entity, spellings in heldout.aliases.items():
        texts = {text for _, text in forms[entity]}
        assert spellings <= texts, (entity, spellings - texts)
        assert entity in cross, entity
    # Look-alikes stay distinct entities, and each is really mentioned.
    for a, b in heldout.lookalikes:
        assert forms[a] and forms[b] and a != b, (a, b)


def test_happenings_have_sources_in_several_articles(
    heldout: HeldoutSet, stored_texts: dict[str, str]
) -> None:
    events = _events(heldout.folder)
    assert len(events) >= 3
    for event in events:
        assert _valid_date_value(event["date"]), event["id"]
        files = {s["file"] for s in event["sources"]}
        assert len(files) >= 2, event["id"]
        for src in event["sources"]:
            text = stored_texts[src["file"]]
            assert text[src["start"] : src["end"]] == src["text"], event["id"]


def test_claims_are_sentences_with_speakers(
    heldout: HeldoutSet, stored_texts: dict[str, str]
) -> None:
    claims = json.loads((heldout.folder / "claims.json").read_text(encoding="utf-8"))
    assert len(claims) >= heldout.min_claims
    for claim in claims:
        text = stored_texts[claim["file"]]
        assert text[claim["start"] : claim["end"]] == claim["text"], claim
        assert claim["speakers"] and all(claim["speakers"]), claim


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_heldout", ROOT / "bench" / "heldout.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_gold_is_compiled_from_the_current_annotations(
    heldout: HeldoutSet, tmp_path: Path, stored_texts: dict[str, str]
) -> None:
    data = heldout.folder
    copy = tmp_path / data.name
    shutil.copytree(data, copy)
    _bench().build_gold(copy, stored_texts)
    assert (copy / "gold.jsonl").read_text(encoding="utf-8") == (data / "gold.jsonl").read_text(
        encoding="utf-8"
    )
    for name in ("events.json", "claims.json"):
        assert (copy / name).read_text(encoding="utf-8") == (data / name).read_text(
            encoding="utf-8"
        )
    assert (copy / "events.json").read_text(encoding="utf-8") == (data / "events.json").read_text(
        encoding="utf-8"
    )
