"""Bounded work on pathological inputs: behaviour that stays right when the work is bounded.

The figures (seconds, peak memory) are printed by bench/pathological.py; these tests check
that the bounded paths give the same kind of answer as the ordinary ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from casedesk.ingest.debris import EDGE_LINES, MAX_EXAMINED_LINES, find_debris
from casedesk.store import Case

if TYPE_CHECKING:
    from spacy.language import Language


def test_debris_of_a_very_long_text_is_looked_for_at_its_edges() -> None:
    body = [
        f"Entry {i}: the harbour master logged one more container ship at the quay today."
        for i in range(MAX_EXAMINED_LINES + 10_000)
    ]
    body[0] = "Share on Facebook Twitter"
    body[len(body) // 2] = "Share on Facebook Twitter"  # the middle is not examined
    body[-1] = "Copyright 2020 Example News. All rights reserved."
    text = "\n\n".join(body)
    debris = find_debris(text)
    flagged = [text[start:end] for _, _, start, end, _ in debris.ranges]
    assert flagged == ["Share on Facebook Twitter", body[-1]]
    first, last, _, _, reason = debris.ranges[-1]
    assert reason == "copyright" and first == last == 2 * (len(body) - 1)
    assert len(text.split("\n")) > 2 * EDGE_LINES


# -- extraction in pieces, long sentences, the time budget --------------------------------

ARTICLE = (
    "Dock workers in Rotterdam walked out on Tuesday, March 3, 2020, the union said. "
    "Talks with the port authority resumed in The Hague on Friday, officials said.\n\n"
)


def test_pieces_cover_the_text_and_end_at_paragraphs() -> None:
    from casedesk.extract.pipeline import pieces

    text = ARTICLE * 40
    cuts = pieces(text, 1000)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:], strict=False))
    assert all(0 < end - start <= 1000 for start, end in cuts)
    assert all(text[end - 2 : end] == "\n\n" for _, end in cuts[:-1])
    # No break at all: cut at a space, else where it must.
    assert pieces("x" * 2500, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_a_long_document_is_extracted_in_pieces_with_its_own_offsets(
    case: Case, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More text than the model takes at once (spaCy's E088 left such a document pending for
    ever and failed every later import): it is parsed in pieces, offsets kept."""
    from casedesk.extract import pipeline

    text = ARTICLE * 30
    monkeypatch.setattr(nlp, "max_length", 2_000)
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 1_000)
    with case.transaction():
        doc_id = case.add_document(
            file_name="long.txt", text=text, sha256="2" * 64, format="txt", published="2020-03-04"
        )
    (stats,) = pipeline.extract_documents(case, [doc_id])
    assert stats.error is None
    rows = case.conn.execute(
        "SELECT start, end, text, kind FROM facts WHERE document_id = ?", (doc_id,)
    ).fetchall()
    assert rows and all(text[s:e] == t for s, e, t, _k in rows)
    places = [s for s, _e, t, k in rows if k == "place" and t == "Rotterdam"]
    assert len(places) == 30 and places[-1] > len(text) - len(ARTICLE)
    assert pipeline.documents_needing_extraction(case) == []


def test_a_document_past_the_time_budget_is_marked_failed_and_the_rest_go_on(
    case: Case, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casedesk.extract import pipeline

    monkeypatch.setattr(pipeline, "PIECE_CHARS", 1_000)
    monkeypatch.setattr(pipeline, "DOCUMENT_BUDGET_SECONDS", 0.0)
    with case.transaction():
        slow = case.add_document(
            file_name="slow.txt", text=ARTICLE * 30, sha256="3" * 64, format="txt"
        )
        quick = case.add_document(
            file_name="quick.txt", text=ARTICLE, sha256="4" * 64, format="txt"
        )
    results = {r.document_id: r for r in pipeline.extract_documents(case, [slow, quick])}
    assert results[quick].error is None
    assert "extraction stopped after 0 CPU-s" in (results[slow].error or "")
    assert "extraction stopped" in (pipeline.extraction_failure(case, slow) or "")
    assert pipeline.extraction_failure(case, quick) is None
    # Not pending: it is not tried again at every open or import.
    assert pipeline.documents_needing_extraction(case) == []


def test_a_text_without_full_stops_is_parsed_in_bounded_sentences(nlp: Language) -> None:
    from casedesk.extract.pipeline import MAX_SENTENCE_TOKENS, make_doc

    text = ", ".join(["the union said talks resumed on Monday in Rotterdam"] * 400)
    doc = nlp(make_doc(nlp, text))
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS
    # Ordinary prose is not cut.
    normal = nlp(make_doc(nlp, ARTICLE))
    assert [s.text.strip() for s in normal.sents][0].endswith("the union said.")


def test_sentences_are_preset_at_blank_lines_and_cut_after_a_comma(nlp: Language) -> None:
    from casedesk.extract.pipeline import MAX_SENTENCE_TOKENS, make_doc

    assert MAX_SENTENCE_TOKENS == 200
    words = " ".join(["word"] * 150) + ", " + " ".join(["word"] * 100)
    text = words + "\n\nNext paragraph here. " + " ".join(["more"] * 420)
    doc = make_doc(nlp, text)  # tokenised only: the boundaries the parser must keep
    # the token after the comma (not the 201st) starts the second sentence; the paragraph's
    # first word starts one; a run of 420 words without a comma is cut every 200 tokens
    assert [t.i for t in doc if t.is_sent_start] == [0, 151, 252, 456, 656]


def test_the_cli_names_a_document_whose_extraction_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from casedesk.cli import main
    from casedesk.extract import pipeline

    monkeypatch.setattr(pipeline, "PIECE_CHARS", 1_000)
    monkeypatch.setattr(pipeline, "DOCUMENT_BUDGET_SECONDS", 0.0)
    path = tmp_path / "c.casedesk"
    assert main(["new", str(path)]) == 0
    long_file = tmp_path / "long.txt"
    long_file.write_text(ARTICLE * 30, "utf-8")
    assert main(["import", str(path), str(long_file), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "long.txt: facts not extracted (extraction stopped after 0 CPU-s" in err
