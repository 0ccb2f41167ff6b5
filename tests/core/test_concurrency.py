"""Two writers on one case: another connection (another process, another window) extracting
and editing while this one works ends with every edit present and one entity and one
timeline item per thing, as if the work had been done once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casedesk import edits
from casedesk.extract.nlp import get_nlp
from casedesk.extract.pipeline import extract_documents
from casedesk.ingest import import_paths
from casedesk.store import Case

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

ARTICLES = [
    "Trade Minister Anna Berg of Sweden met Finnish officials in Helsinki on 3 March 2021 "
    "to discuss export controls on lithium hydroxide. Berg said the curbs would start in May.",
    "Anna Berg told reporters in Stockholm on 4 March 2021 that Sweden and Finland had agreed "
    "to coordinate lithium hydroxide licences. The Swedish Trade Agency will publish rules.",
    "The Swedish Trade Agency said on 5 March 2021 that lithium hydroxide shipments to Norway "
    "would need a licence. Sweden and Finland agreed on 4 March 2021 to coordinate lithium "
    "hydroxide licences, the Swedish Trade Agency said.",
]


def _add(case: Case, n: int, text: str) -> int:
    return case.add_document(
        file_name=f"a{n}.txt", text=text, sha256=f"s{n}", format="txt", published="2021-03-06"
    )


def _shape(case: Case) -> tuple[list[tuple[str, str]], list[tuple[str, int]], int]:
    """What a user sees: entities by kind and name, timeline items with their source count,
    and the number of facts."""
    entities = sorted(
        (str(k), str(n)) for k, n in case.conn.execute("SELECT kind, name FROM entities")
    )
    events = sorted(
        (str(d), int(c))
        for d, c in case.conn.execute(
            "SELECT e.date, (SELECT count(*) FROM event_sources s WHERE s.event_id = e.id) "
            "FROM events e"
        )
    )
    facts = int(case.conn.execute("SELECT count(*) FROM facts").fetchone()[0])
    return entities, events, facts


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    get_nlp()


@pytest.mark.parametrize("both", [False, True], ids=["other-documents", "same-documents"])
def test_extraction_sees_entities_another_connection_wrote_meanwhile(
    tmp_path: Path, both: bool
) -> None:
    once = tmp_path / "once.casedesk"
    with Case.create(once) as case:
        ids = [_add(case, n, t) for n, t in enumerate(ARTICLES)]
        extract_documents(case, ids)
        expected = _shape(case)
    path = tmp_path / "twice.casedesk"
    with Case.create(path) as case:
        ids = [_add(case, n, t) for n, t in enumerate(ARTICLES)]
    first, second = Case.open(path), Case.open(path)
    try:
        interleaved = False

        def progress(done: int, total: int) -> None:
            # The first writer has done one document; another writer now extracts a
            # document the first will not (creating entities and timeline items that the
            # first has not seen and its next document names too), or, as a second import
            # of the same files does, the ones the first is about to extract.
            nonlocal interleaved
            if done == 1 and not interleaved:
                interleaved = True
                extract_documents(second, ids[1:] if both else [ids[1]])

        extract_documents(first, ids if both else [ids[0], ids[2]], progress=progress)
        assert interleaved
        assert _shape(first) == expected
        assert first.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        first.close()
        second.close()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "gui"), "QT_QPA_PLATFORM": "offscreen"}


def _import_cmd(path: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "casedesk",
        "import",
        str(path),
        *sorted(str(p) for p in SEEDS.glob("*.txt")),
        "--manifest",
        str(SEEDS / "manifest.json"),
        "-q",
    ]


def test_two_concurrent_imports_give_the_case_of_one(tmp_path: Path) -> None:
    once = tmp_path / "once.casedesk"
    Case.create(once).close()
    subprocess.run(_import_cmd(once), env=_env(), check=True, capture_output=True, timeout=300)
    with Case.open(once) as case:
        expected = _shape(case)
    path = tmp_path / "twice.casedesk"
    Case.create(path).close()
    a = subprocess.Popen(_import_cmd(path), env=_env(), stderr=subprocess.PIPE)
    time.sleep(0.5)
    b = subprocess.Popen(_import_cmd(path), env=_env(), stderr=subprocess.PIPE)
    for proc in (a, b):
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        assert b"Traceback" not in err and b"locked" not in err
    with Case.open(path) as case:
        assert case.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert _shape(case) == expected


ANNOTATOR = r"""
import sys, time
from casedesk import edits
from casedesk.store import Case
case = Case.open(sys.argv[1])
doc = int(sys.argv[2])
until = time.monotonic() + float(sys.argv[3])
n = 0
while time.monotonic() < until:
    n += 1
    ann = edits.add_annotation(case, doc, 0, 5, note=f"note {n}")
    print(ann, flush=True)
    if n % 3 == 0:
        edits.update_annotation(case, ann, note=f"edited {n}")
        print(f"u{ann}", flush=True)
case.close()
"""


def test_annotating_while_another_process_imports_and_extracts(tmp_path: Path) -> None:
    """One process adds and edits annotations for ~15 s while this one imports and extracts
    documents into the same case: every annotation shown as done is in the file, no writer
    fails on a locked database, and the file is sound. (bench/faults.py runs a full minute.)"""
    path = tmp_path / "busy.casedesk"
    with Case.create(path) as case:
        doc = _add(case, 0, ARTICLES[0])
    seconds = 15.0
    annotator = subprocess.Popen(
        [sys.executable, "-c", ANNOTATOR, str(path), str(doc), str(seconds)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    folder = tmp_path / "incoming"
    folder.mkdir()
    started = time.monotonic()
    rounds = 0
    with Case.open(path) as case:
        while time.monotonic() - started < seconds - 2:
            rounds += 1
            article = folder / f"wire{rounds}.txt"
            article.write_text(f"Round {rounds}. " + ARTICLES[rounds % len(ARTICLES)])
            report = import_paths(case, [article])
            assert report.ok, report.messages()
            stats = extract_documents(case, [d for _, d in report.imported])
            assert all(s.error is None for s in stats), [s.error for s in stats]
    out, err = annotator.communicate(timeout=60)
    assert annotator.returncode == 0, err
    shown = [line for line in out.split() if line]
    added = {int(x) for x in shown if not x.startswith("u")}
    updated = {int(x[1:]) for x in shown if x.startswith("u")}
    assert len(added) > 20 and rounds >= 2
    with Case.open(path) as case:
        assert case.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = dict(case.conn.execute("SELECT id, note FROM annotations").fetchall())
        assert added <= set(rows), sorted(added - set(rows))[:5]
        assert all(rows[a].startswith("edited") for a in updated)
        docs = case.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert docs == rounds + 1
        assert edits.annotation(case, max(added))["document_id"] == doc
