"""One kind per entity across the case: the kind is decided from the evidence of all an
entity's mentions in every document, not document by document; the user's word decides."""

from __future__ import annotations

import hashlib

from casedesk import entity_edits as ee
from casedesk.extract import pipeline
from casedesk.extract.model import Mention
from casedesk.store import Case


def _doc(case: Case, text: str) -> int:
    return case.add_document(
        file_name=f"k{len(case.document_ids())}.txt",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        format="txt",
        published="2023-03-01",
    )


def _write(case: Case, text: str, kind: str, name: str, **attrs: object) -> int:
    """A document whose every mention of ``name`` the extractor typed ``kind`` (``cue``: the
    kind its context showed)."""
    doc = _doc(case, text)
    mentions = []
    start = text.find(name)
    while start >= 0:
        mentions.append(
            Mention(kind, start, start + len(name), name, name, provenance="model:test",
                    attrs=dict(attrs))
        )  # fmt: skip
        start = text.find(name, start + len(name))
    with case.transaction():
        pipeline.write_analysis(
            case, pipeline.Analysis(doc, mentions, "2023-03-01", False, None, 9, 0.0), None
        )
    return doc


def _kinds(case: Case, name: str) -> set[tuple[str, int]]:
    return {
        (str(k), int(e))
        for k, e in case.conn.execute("SELECT kind, entity_id FROM facts WHERE text = ?", (name,))
    }


def test_a_cue_in_a_later_document_retypes_the_entity_and_its_earlier_mentions(
    case: Case,
) -> None:
    # The model read the name as a person in the first article, without a cue there; the
    # second article says what it is ("shares of Velmora Textil fell").
    _write(case, "Velmora Textil hired staff. Velmora Textil grew.", "person", "Velmora Textil")
    _write(case, "Shares of Velmora Textil fell.", "organization", "Velmora Textil",
           cue="organization")  # fmt: skip
    kinds = _kinds(case, "Velmora Textil")
    assert len(kinds) == 1
    ((kind, ent),) = kinds
    assert kind == "organization"
    assert case.conn.execute("SELECT kind FROM entities WHERE id = ?", (ent,)).fetchone()[0] == (
        "organization"
    )


def test_more_evidence_in_the_case_keeps_its_kind(case: Case) -> None:
    text = "Orlan Vasquez Ruiz spoke. Orlan Vasquez Ruiz left. Orlan Vasquez Ruiz returned."
    _write(case, text, "person", "Orlan Vasquez Ruiz", cue="person")
    later = _write(case, "Orlan Vasquez Ruiz opened.", "place", "Orlan Vasquez Ruiz")
    assert {k for k, _e in _kinds(case, "Orlan Vasquez Ruiz")} == {"person"}
    assert len({e for _k, e in _kinds(case, "Orlan Vasquez Ruiz")}) == 1
    assert (
        case.conn.execute("SELECT kind FROM facts WHERE document_id = ?", (later,)).fetchone()[0]
        == "person"
    )


def test_the_users_kind_is_never_overturned_by_evidence(case: Case) -> None:
    _write(case, "Corran Bay Works expanded.", "person", "Corran Bay Works")
    (ent,) = {e for _k, e in _kinds(case, "Corran Bay Works")}
    ee.set_entity_kind(case, [ent], "place")
    _write(case, "Shares of Corran Bay Works rose. Corran Bay Works said so.", "organization",
           "Corran Bay Works", cue="organization")  # fmt: skip
    assert _kinds(case, "Corran Bay Works") == {("place", ent)}


def test_one_word_names_are_not_joined_across_kinds(case: Case) -> None:
    # "Jordan" the person and "Jordan" the country: one word says too little
    _write(case, "Jordan scored twice.", "person", "Jordan", cue="person")
    _write(case, "Talks in Jordan ended.", "place", "Jordan", cue="place")
    assert {k for k, _e in _kinds(case, "Jordan")} == {"person", "place"}
