"""Disputed facts: each kind found with its sides, nothing that agrees flagged, decisions kept,
undoable and outliving extraction run again."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from casedesk import disputes
from casedesk.cli import main
from casedesk.extract.nlp import get_nlp
from casedesk.extract.pipeline import extract_documents
from casedesk.store import Case
from casedesk.timeline import load_events
from textcases import add_extracted

# Three reports of one affair that disagree: on a date, a count, a claim and a happening.
DISAGREEING = {
    "herald.txt": (
        "2026-03-04",
        "Police in Marrowgate arrested 42 people on Tuesday, March 3, 2026, after a protest "
        "at the container port turned violent.\n\n"
        "The mayor, Tobias Venn, approved the transfer of the pension fund to a private bank, "
        "the auditors said.\n",
    ),
    "times.txt": (
        "2026-03-06",
        "Riot police arrested 37 people at the Marrowgate container port on March 5, 2026, "
        "after a protest turned violent.\n\n"
        "Tobias Venn denied that he approved the transfer of the pension fund to a private "
        "bank.\n\n"
        "The union denied that its members set fire to a warehouse at the port on March 3.\n",
    ),
    "gazette.txt": (
        "2026-03-04",
        "Striking dockers set fire to a warehouse at the Marrowgate port on March 3, 2026, "
        "witnesses said.\n",
    ),
}

# Reports that agree, at different precision and with approximate figures: nothing to flag.
AGREEING = {
    "one.txt": (
        "2026-05-13",
        "Flood water forced the evacuation of 1,200 residents from Lindholm on May 12, 2026.\n\n"
        "The river authority said the levee had not been inspected since 2019.\n",
    ),
    "two.txt": (
        "2026-05-20",
        "In May, flood water forced the evacuation of about 1,150 residents from Lindholm.\n\n"
        "The levee had not been inspected since 2019, the river authority said.\n",
    ),
    "three.txt": (
        "2026-05-14",
        "More than 1,000 residents were evacuated from Lindholm after flood water rose on "
        "May 12, 2026.\n",
    ),
}


def _build(path: Path, docs: dict[str, tuple[str, str]]) -> Case:
    case = Case.create(path, name=path.stem)
    add_extracted(case, docs)
    return case


@pytest.fixture(scope="module")
def disagreeing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    get_nlp()
    case = _build(tmp_path_factory.mktemp("disputes") / "disagreeing.casedesk", DISAGREEING)
    yield case
    case.close()


@pytest.fixture(scope="module")
def agreeing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    get_nlp()
    case = _build(tmp_path_factory.mktemp("disputes") / "agreeing.casedesk", AGREEING)
    yield case
    case.close()


def _by_kind(found: list[disputes.Dispute]) -> dict[str, list[disputes.Dispute]]:
    out: dict[str, list[disputes.Dispute]] = {}
    for d in found:
        out.setdefault(d.kind, []).append(d)
    return out


def test_each_kind_is_found_with_its_sides(disagreeing: Case) -> None:
    found = _by_kind(disputes.find_disputes(disagreeing))
    assert sorted(found) == ["claim", "date", "event", "quantity"]
    assert all(len(v) == 1 for v in found.values()), found

    (claim,) = found["claim"]
    assert [(s.document, s.value) for s in claim.sides] == [
        ("herald.txt", "the auditors asserts"),
        ("times.txt", "Tobias Venn denies"),
    ]
    assert "approved the transfer" in claim.sides[0].text

    (date,) = found["date"]
    assert [(s.document, s.value) for s in date.sides] == [
        ("herald.txt", "2026-03-03"),
        ("times.txt", "2026-03-05"),
    ]
    assert len(date.event_ids) == 2  # both timeline items carry the dispute

    (quantity,) = found["quantity"]
    assert [(s.document, s.value, s.text) for s in quantity.sides] == [
        ("herald.txt", "42 people", "42 people"),
        ("times.txt", "37 people", "37 people"),
    ]
    assert quantity.subject.startswith("people: arrested")

    (event,) = found["event"]
    assert [(s.document, s.value) for s in event.sides] == [
        ("gazette.txt", "reported (2026-03-03)"),
        ("times.txt", "denied by The union"),
    ]
    # each side's offsets point at its words in its document
    for d in (claim, date, quantity, event):
        for s in d.sides:
            text = disagreeing.conn.execute(
                "SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
                (s.start + 1, s.end - s.start, s.document_id),
            ).fetchone()[0]
            assert text == s.text


def test_the_denial_of_a_happening_is_one_dispute_not_also_a_claim(disagreeing: Case) -> None:
    subjects = [d.subject for d in disputes.find_disputes(disagreeing)]
    assert not any("set fire" in s for s in subjects if s.startswith("its members"))
    assert sum("set fire" in s for s in subjects) == 1


def test_nothing_that_agrees_is_flagged(agreeing: Case) -> None:
    # the same happening at day and month precision, 1,200 / about 1,150 / more than 1,000,
    # one claim reported by two documents
    events = load_events(agreeing)
    assert any(e.agreeing >= 2 for e in events)
    assert disputes.find_disputes(agreeing) == []


def test_decisions_are_undoable_and_outlive_extraction(tmp_path: Path) -> None:
    get_nlp()
    case = _build(tmp_path / "decided.casedesk", DISAGREEING)
    try:
        before = {d.id: d for d in disputes.find_disputes(case)}
        quantity = next(d for d in before.values() if d.kind == "quantity")
        claim = next(d for d in before.values() if d.kind == "claim")
        resolved = disputes.resolve(case, quantity, "The police count is 42.")
        disputes.dismiss(case, claim.id)
        now = {d.id: d for d in disputes.find_disputes(case)}
        assert (now[quantity.id].status, now[quantity.id].note) == (
            "resolved",
            "The police count is 42.",
        )
        assert now[claim.id].status == "not_a_dispute"
        assert {d.id for d in disputes.find_disputes(case, include_closed=False)} == set(before) - {
            quantity.id,
            claim.id,
        }

        disputes.undo(case, resolved)
        assert {d.id: d for d in disputes.find_disputes(case)}[quantity.id].status == "open"
        disputes.redo(case, resolved)

        extract_documents(case, case.document_ids())  # extraction run again
        again = {d.id: d for d in disputes.find_disputes(case)}
        assert set(again) == set(before)  # the same ids
        assert again[quantity.id].status == "resolved"
        assert again[claim.id].status == "not_a_dispute"

        reopened = disputes.reopen(case, quantity.id)
        assert {d.id: d for d in disputes.find_disputes(case)}[quantity.id].status == "open"
        disputes.undo(case, reopened)
        assert {d.id: d for d in disputes.find_disputes(case)}[quantity.id].status == "resolved"
        disputes.reopen(case, claim.id)
        with pytest.raises(disputes.DisputeError, match="open already"):
            disputes.reopen(case, claim.id)
    finally:
        case.close()


def test_the_command_line_lists_and_decides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    get_nlp()
    path = tmp_path / "cli.casedesk"
    _build(path, DISAGREEING).close()
    assert main(["disputes", str(path), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["kind"] for r in rows} == {"claim", "date", "quantity", "event"}
    for r in rows:
        assert set(r) == {"id", "kind", "subject", "sides", "status", "note"}
        assert all(set(s) == {"document", "start", "end", "text", "value"} for s in r["sides"])
    date = next(r for r in rows if r["kind"] == "date")

    assert main(["disputes", str(path), "resolve", date["id"][:6], "--note", "The 3rd."]) == 0
    assert "resolved" in capsys.readouterr().out
    assert main(["disputes", str(path), "--open", "--format", "jsonl"]) == 0
    assert date["id"] not in capsys.readouterr().out
    assert main(["disputes", str(path)]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == ["id", "kind", "status", "subject", "sides"]
    assert "resolved" in table and "herald.txt: 2026-03-03" in table

    # clear errors, usage exit status
    assert main(["disputes", str(path), "resolve", "zzzzzz"]) == 2
    assert "no dispute 'zzzzzz'" in capsys.readouterr().err
    assert main(["disputes", str(path), "frobnicate", date["id"]]) == 2
    assert main(["disputes", str(path), "--note", "why"]) == 2
    assert main(["disputes", str(path), "reopen", date["id"]]) == 0
    assert main(["disputes", str(path), "reopen", date["id"]]) == 2
    assert "open already" in capsys.readouterr().err
    assert main(["disputes", str(tmp_path / "missing.casedesk")]) == 1


def test_the_planted_disagreements_of_a_generated_case_are_found(tmp_path: Path) -> None:
    """bench/disputes.py's generator at a small size: every planted disagreement is found,
    and nothing else (its articles agree on every other detail, often at another precision
    or with an approximate figure)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_disputes", Path(__file__).resolve().parents[2] / "bench" / "disputes.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_disputes"] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    get_nlp()
    data = bench.generate(tmp_path / "articles", stories=8, seed=11)
    path = tmp_path / "planted.casedesk"
    docs = sorted(str(p) for p in data.glob("*.txt"))
    assert main(["new", str(path)]) == 0
    assert main(["import", str(path), *docs, "--manifest", str(data / "manifest.json"), "-q"]) == 0
    with Case.open(path, readonly=True) as case:
        found = [d.as_json() for d in disputes.find_disputes(case)]
    planted = json.loads((data / "planted.json").read_text(encoding="utf-8"))["planted"]
    assert {p["kind"] for p in planted} == {"claim", "date", "quantity", "event"}
    figures = bench.score(found, planted)
    for kind, f in figures.items():
        assert (f["precision"], f["recall"]) == (1.0, 1.0), (kind, f)


def test_the_summary_has_a_disputes_section_with_citations(disagreeing: Case) -> None:
    from casedesk.export import ExportOptions, summary_markdown

    md = summary_markdown(disagreeing)
    section = md.split("## Disputes", 1)[1].split("\n## ", 1)[0]
    assert "### Different values: people: arrested" in section
    assert "- **42 people**: *herald.txt*[^" in section
    assert "- **37 people**: *times.txt*[^" in section
    assert "### Dated differently:" in section and "3 March 2026" in section.replace(
        "March 3", "3 March"
    )
    assert "**denied by The union**" in section
    # every citation in the section has its footnote quoting the sentence
    for number in {n.split("]")[0] for n in section.split("[^")[1:]}:
        assert f"\n[^{number}]: " in md
    # in the chronology, the denial is cited as one, not as one more source
    chronology = md.split("## Chronology", 1)[1].split("\n## ", 1)[0]
    (fire,) = [line for line in chronology.splitlines() if "fire" in line.lower()]
    assert "denied: [^" in fire
    # a dispute marked not a dispute leaves the summary; a resolved one carries its note
    found = disputes.find_disputes(disagreeing)
    quantity = next(d for d in found if d.kind == "quantity")
    date = next(d for d in found if d.kind == "date")
    edits = [
        disputes.dismiss(disagreeing, quantity),
        disputes.resolve(disagreeing, date, "The court record <b>says</b> 3 March."),
    ]
    try:
        md = summary_markdown(disagreeing, ExportOptions(sections=("disputes",)))
        assert "people: arrested" not in md
        assert "Resolved: The court record \\<b\\>says\\</b\\> 3 March." in md or (
            "Resolved: The court record" in md and "<b>" not in md
        )
    finally:
        for edit in reversed(edits):
            disputes.undo(disagreeing, edit)


def test_the_summary_says_when_nothing_is_disputed(agreeing: Case) -> None:
    from casedesk.export import ExportOptions, summary_markdown

    md = summary_markdown(agreeing, ExportOptions(sections=("disputes",)))
    assert "No disputes" in md


# Reports that look alike but are not one happening or one figure: nothing to flag.
LOOKALIKES = {
    "wire.txt": (
        "2026-03-14",
        "Ferry services at Varnholt port will stop for freight at 6 p.m. on Tuesday, March 10, "
        "2026, and for passengers at 2 a.m. on Wednesday, March 11, 2026.\n\n"
        "The central bank of Varnia raised its main rate to 29% on Tuesday, March 10, 2026.\n",
    ),
    "daily.txt": (
        "2026-03-15",
        "Ferry services at Varnholt port stopped for passengers on Wednesday, March 11, "
        "2026.\n\n"
        "The Varnian crown has lost about 70% of its value since the central bank of Varnia "
        "ended its peg.\n",
    ),
}


@pytest.fixture(scope="module")
def lookalikes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    get_nlp()
    case = _build(tmp_path_factory.mktemp("disputes") / "lookalikes.casedesk", LOOKALIKES)
    yield case
    case.close()


def test_a_sentence_that_dates_several_happenings_is_no_date_dispute(lookalikes: Case) -> None:
    """A sentence giving two dates (ferries stop for freight on Tuesday, for passengers on
    Wednesday) agrees with a report of either: its Tuesday is not another date for the
    passengers' Wednesday."""
    assert [d for d in disputes.find_disputes(lookalikes) if d.kind == "date"] == []


def test_reports_sharing_only_a_thing_are_not_one_happening(case: Case) -> None:
    """Two reports a few days apart that share their words and the name of a thing ("trains")
    but no happening (a strike called, trains running) are two happenings, not one dated
    twice; sharing a class of happening (a strike, a strike) makes them one."""
    stamp = "2026-03-12T00:00:00Z"
    docs = []
    for name in ("a.txt", "b.txt"):
        text = f"A report of the case ({name})."
        docs.append(
            case.add_document(
                file_name=name,
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                format="txt",
                published="2026-03-12",
            )
        )
    words = ["vennb", "train", "drive", "dista", "long", "strik", "halt", "oper"]

    def report(doc: int, date: str, title: str, title_words: list[str]) -> None:
        attrs = {"title": title, "title_keywords": title_words, "keywords": words}
        case.conn.execute(
            "INSERT INTO facts(document_id, kind, start, end, text, value, provenance, attrs, "
            "created_at, updated_at) VALUES (?, 'event', 0, 20, ?, ?, 'test', ?, ?, ?)",
            (doc, title.lower(), date, json.dumps(attrs), stamp, stamp),
        )

    with case.transaction():
        report(
            docs[0],
            "2026-03-09",
            "drivers called strike on trains",
            ["drivers", "strike", "trains"],
        )
        report(docs[1], "2026-03-12", "share of trains running", ["share", "trains", "running"])
    assert [d.kind for d in disputes.find_disputes(case)] == []
    with case.transaction():
        case.conn.execute(
            "UPDATE facts SET attrs = json_set(attrs, '$.title_keywords', "
            'json(\'["strike", "trains", "running"]\'), \'$.title\', '
            "'strike kept trains from running'), text = 'strike kept trains from running' "
            "WHERE document_id = ?",
            (docs[1],),
        )
    assert [d.kind for d in disputes.find_disputes(case)] == ["date"]


def test_figures_of_different_things_are_not_compared(lookalikes: Case) -> None:
    """A rate of 29% and a currency that lost 70% of its value share the unit and some words
    of their sentences (the central bank), not what the figure measures."""
    assert [d for d in disputes.find_disputes(lookalikes) if d.kind == "quantity"] == []


def test_finding_disputes_does_not_load_the_language_model(disagreeing: Case) -> None:
    """The window looks for disputes after every change: that must not import spaCy (the
    scale benchmark found it loaded in the window). The stop words it reads are spaCy's."""
    import subprocess

    code = (
        "import sys\n"
        "from casedesk.disputes import find_disputes\n"
        "from casedesk.store import Case\n"
        f"with Case.open({str(disagreeing.path)!r}, readonly=True) as case:\n"
        "    assert find_disputes(case)\n"
        "print('spacy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "False", out.stderr
    from spacy.lang.en.stop_words import STOP_WORDS

    from casedesk.extract import corroborate

    assert corroborate._stop_words() == frozenset(STOP_WORDS)
