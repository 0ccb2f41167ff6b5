"""Corrections teach the case: every later extraction (a new import, a date change, an
extractor upgrade) obeys what the user decided once."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from casedesk import entity_edits as ee
from casedesk import queries
from casedesk.corrections import Decisions, spelling_key, split_spellings
from casedesk.extract import pipeline
from casedesk.extract.model import Mention
from casedesk.store import Case

# -- the writer, fed mentions directly (what the extractor would have found) ---------------------


def _doc(case: Case, text: str, published: str = "2022-05-02") -> int:
    return case.add_document(
        file_name=f"n{len(case.document_ids())}.txt",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        format="txt",
        published=published,
    )


def _write(case: Case, doc: int, found: list[tuple[str, str]]) -> None:
    """Write an analysis of ``doc`` naming each (kind, name) where the text has it."""
    text = case.document(doc)["text"]
    mentions = []
    for kind, name in found:
        start = text.index(name)
        while start >= 0:
            mentions.append(
                Mention(kind, start, start + len(name), name, name, provenance="model:test")
            )
            start = text.find(name, start + len(name))
    analysis = pipeline.Analysis(doc, mentions, "2022-05-02", False, None, 10, 0.0)
    with case.transaction():
        pipeline.write_analysis(case, analysis, None)


def _facts(case: Case, doc: int, name: str) -> list[tuple[str, int | None, str]]:
    return [
        (str(k), e, str(s))
        for k, e, s in case.conn.execute(
            "SELECT kind, entity_id, status FROM facts WHERE document_id = ? AND text = ?",
            (doc, name),
        )
    ]


def _entity_of(case: Case, name: str) -> int:
    (row,) = queries.find_entities(case, name)
    return row.id


def test_a_corrected_kind_reaches_documents_imported_later(case: Case) -> None:
    a = _doc(case, "Halden Brook Mining cut jobs. Halden Brook Mining denied it.")
    _write(case, a, [("person", "Halden Brook Mining")])
    ent = _entity_of(case, "Halden Brook Mining")
    ee.set_entity_kind(case, [ent], "organization")
    b = _doc(case, "Investors left Halden Brook Mining on Friday.")
    _write(case, b, [("person", "Halden Brook Mining")])
    assert _facts(case, b, "Halden Brook Mining") == [("organization", ent, "extracted")]
    # extracted again (a date change, an upgrade): still corrected, still one entity
    _write(case, a, [("person", "Halden Brook Mining")])
    assert {f[:2] for f in _facts(case, a, "Halden Brook Mining")} == {("organization", ent)}
    assert queries.entities_count(case) == 1


def test_a_name_the_user_gave_is_never_replaced(case: Case) -> None:
    a = _doc(case, "Halden Brook Mining cut jobs.")
    _write(case, a, [("organization", "Halden Brook Mining")])
    ent = _entity_of(case, "Halden Brook Mining")
    ee.rename_entity(case, ent, "HBM Group")
    b = _doc(case, "Halden Brook Mining of Norway and Halden Brook Mining again.")
    _write(case, b, [("organization", "Halden Brook Mining")])
    _write(case, a, [("organization", "Halden Brook Mining")])
    row = queries.entity(case, ent)
    assert row is not None and row.name == "HBM Group" and row.mentions == 3


def test_merged_spellings_keep_resolving_to_the_merged_entity(case: Case) -> None:
    a = _doc(case, "Northgate Ferries and NGF Shipping Line sailed.")
    _write(case, a, [("organization", "Northgate Ferries"), ("person", "NGF Shipping Line")])
    one, two = _entity_of(case, "Northgate Ferries"), _entity_of(case, "NGF Shipping Line")
    with pytest.raises(ee.EditError):
        ee.merge_entities(case, [one, two])
    ee.merge_entities(case, [one, two], keep_id=one, kind="organization")
    b = _doc(case, "NGF Shipping Line raised fares.")
    _write(case, b, [("person", "NGF Shipping Line")])
    assert _facts(case, b, "NGF Shipping Line") == [("organization", one, "extracted")]
    _write(case, a, [("organization", "Northgate Ferries"), ("person", "NGF Shipping Line")])
    assert _facts(case, a, "NGF Shipping Line") == [("organization", one, "extracted")]
    assert queries.entities_count(case) == 1


def test_a_split_stays_split(case: Case) -> None:
    # One key for both spellings: the resolver puts them together on its own.
    a = _doc(case, "Ana Okonkwo-Reyes spoke. Ana Okonkwo Reyes left.")
    _write(case, a, [("person", "Ana Okonkwo-Reyes"), ("person", "Ana Okonkwo Reyes")])
    ent = _entity_of(case, "Ana Okonkwo-Reyes")
    assert {f[1] for f in _facts(case, a, "Ana Okonkwo Reyes")} == {ent}
    split = ee.split_entity(case, ent, spellings=["Ana Okonkwo Reyes"])
    new = split.new_entity_id
    b = _doc(case, "Ana Okonkwo Reyes returned; Ana Okonkwo-Reyes did not.")
    _write(case, b, [("person", "Ana Okonkwo-Reyes"), ("person", "Ana Okonkwo Reyes")])
    assert {f[1] for f in _facts(case, b, "Ana Okonkwo Reyes")} == {new}
    assert {f[1] for f in _facts(case, b, "Ana Okonkwo-Reyes")} == {ent}
    _write(case, a, [("person", "Ana Okonkwo-Reyes"), ("person", "Ana Okonkwo Reyes")])
    assert {f[1] for f in _facts(case, a, "Ana Okonkwo Reyes")} == {new}
    assert queries.entities_count(case) == 2


def test_not_an_entity_never_comes_back(case: Case) -> None:
    a = _doc(case, "Photo Desk Staff. Marta Quill wrote.")
    _write(case, a, [("person", "Photo Desk Staff"), ("person", "Marta Quill")])
    ee.reject_entities(case, [_entity_of(case, "Photo Desk Staff")])
    b = _doc(case, "Photo Desk Staff. Marta Quill wrote again.")
    _write(case, b, [("organization", "Photo Desk Staff"), ("person", "Marta Quill")])
    assert _facts(case, b, "Photo Desk Staff") == []
    _write(case, a, [("person", "Photo Desk Staff"), ("person", "Marta Quill")])
    assert {f[2] for f in _facts(case, a, "Photo Desk Staff")} == {"rejected"}
    assert [r.name for r in queries.entities_page(case)] == ["Marta Quill"]


def test_a_revoked_decision_is_no_longer_applied(case: Case) -> None:
    a = _doc(case, "Halden Brook Mining cut jobs.")
    _write(case, a, [("person", "Halden Brook Mining")])
    ee.set_entity_kind(case, [_entity_of(case, "Halden Brook Mining")], "organization")
    (decision,) = queries.corrections(case)
    assert Decisions.load(case.conn).rules["halden brook mining"].kind == "organization"
    ee.revoke_correction(case, decision.id)
    assert not Decisions.load(case.conn)
    assert queries.corrections(case)[0].revoked


def test_a_surname_follows_a_decision_only_beside_the_full_name(case: Case) -> None:
    a = _doc(case, "Teodor Vasile-Brandt spoke. Vasile-Brandt left.")
    _write(case, a, [("organization", "Teodor Vasile-Brandt"), ("organization", "Vasile-Brandt")])
    ent = _entity_of(case, "Teodor Vasile-Brandt")
    ee.set_entity_kind(case, [ent], "person")
    (decision,) = queries.corrections(case)
    assert "teodor vasile-brandt" in decision.spellings
    b = _doc(case, "Vasile-Brandt Logistics? No: Vasile-Brandt alone.")
    _write(case, b, [("organization", "Vasile-Brandt")])
    assert {f[0] for f in _facts(case, b, "Vasile-Brandt")} == {"organization"}


def test_a_confirmed_or_rejected_fact_is_a_decision_too(case: Case) -> None:
    a = _doc(case, "Corvid Rail bought Pell Yard.")
    _write(case, a, [("organization", "Corvid Rail"), ("place", "Pell Yard")])
    (fact,) = [m.fact_id for m in queries.entity_mentions(case, _entity_of(case, "Pell Yard"))]
    ee.set_facts_status(case, [fact], "rejected")
    (decision,) = queries.corrections(case)
    assert decision.action == "reject_fact" and decision.document_id == a
    # the fact itself is gone (say, deleted by mistake): the decision still rejects it
    with case.transaction():
        case.conn.execute("DELETE FROM facts WHERE id = ?", (fact,))
    _write(case, a, [("organization", "Corvid Rail"), ("place", "Pell Yard")])
    assert [f[2] for f in _facts(case, a, "Pell Yard")] == ["rejected"]


def test_spelling_keys_and_weak_forms() -> None:
    assert spelling_key("The  Acme Group’s") == "acme group"
    assert spelling_key("Zürich") == "zurich"
    strong, weak = split_spellings("person", ["Lena Ruiz", "Ruiz", "Dr Lena Ruiz"])
    assert (strong, weak) == (["dr lena ruiz", "lena ruiz"], ["ruiz"])
    strong, weak = split_spellings("organization", ["Acme Tools", "Acme", "ACT"])
    assert (strong, weak) == (["acme tools", "act"], ["acme"])
    assert split_spellings("person", ["Ruiz"]) == (["ruiz"], [])
    assert not Decisions()


# -- the real extractor ------------------------------------------------------------------------

SAMPLE_NAMES = "SELECT id, kind, name FROM entities ORDER BY id"


@pytest.fixture(scope="module")
def sample_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from casedesk.extract.nlp import get_nlp
    from casedesk.ingest import import_sample

    get_nlp()
    path = tmp_path_factory.mktemp("sample") / "sample.casedesk"
    with Case.create(path) as case:
        report = import_sample(case)
        pipeline.extract_documents(case, [d for _, d in report.imported])
    return path


def test_reextraction_keeps_every_decision_and_every_given_name(
    sample_case: Path, tmp_path: Path
) -> None:
    path = tmp_path / "c.casedesk"
    shutil.copy(sample_case, path)
    with Case.open(path) as case:
        seoul = _entity_of(case, "Seoul")
        tokyo = _entity_of(case, "Tokyo")
        ee.rename_entity(case, seoul, "Seoul (the government)")
        ee.set_entity_kind(case, [seoul], "organization")
        ee.reject_entities(case, [tokyo])
        mentions = queries.entity(case, seoul)
        assert mentions is not None
        docs = case.document_ids()
        for doc in docs:  # a date change re-extracts one document
            pipeline.set_publication_date(case, doc, case.document(doc)["published"])
        with case.transaction():  # an extractor upgrade re-extracts them all
            case.conn.execute("UPDATE documents SET extractor = 'older'")
        pipeline.extract_documents(case, pipeline.documents_needing_extraction(case))
        after = queries.entity(case, seoul)
        assert after is not None
        assert (after.name, after.kind, after.mentions) == (
            "Seoul (the government)",
            "organization",
            mentions.mentions,
        )
        assert queries.find_entities(case, "Tokyo")[0].status == "rejected"
        assert (
            case.conn.execute(
                "SELECT count(*) FROM facts WHERE text = 'Tokyo' AND status != 'rejected'"
            ).fetchone()[0]
            == 0
        )


def test_done_when_one_fix_reaches_a_document_imported_afterwards(
    sample_case: Path, tmp_path: Path
) -> None:
    from casedesk.ingest import import_paths

    path = tmp_path / "c.casedesk"
    shutil.copy(sample_case, path)
    with Case.open(path) as case:
        (moon,) = queries.find_entities(case, "Seoul")
        assert moon.mentions > 5 and moon.documents > 2
        # whatever the extractor said, the user says otherwise, once
        ee.set_entity_kind(case, [moon.id], "organization")
        kinds = {
            r[0]
            for r in case.conn.execute("SELECT kind FROM facts WHERE entity_id = ?", (moon.id,))
        }
        assert kinds == {"organization"}
        new = tmp_path / "later.txt"
        new.write_text(
            "Seoul answered on Tuesday. Officials in Seoul said the talks would go on.\n",
            encoding="utf-8",
        )
        report = import_paths(case, [new])
        ((_p, doc),) = report.imported
        pipeline.extract_documents(case, [doc])
        found = _facts(case, doc, "Seoul")
        assert found and {f[:2] for f in found} == {("organization", moon.id)}


def test_an_entity_made_needless_by_a_decision_is_forgotten_by_the_resolver(case: Case) -> None:
    # The resolver makes an entity for a name it does not know, a decision takes the mention
    # to the user's entity, and the needless entity goes; SQLite then gives its id to the next
    # new entity, which the resolver must not take for the one that went.
    from casedesk import corrections
    from casedesk.extract.resolve import EntityResolver

    a = _doc(case, "Marta Quill wrote.")
    _write(case, a, [("person", "Marta Quill")])
    quill = _entity_of(case, "Marta Quill")
    with case.transaction():
        corrections.record(
            case.conn, "rename", entity_id=quill, kind="person", spellings=["m. quill-ferrante"]
        )
    resolver = EntityResolver(case)
    b = _doc(case, "M. Quill-Ferrante wrote.")
    c = _doc(case, "Pell Yard opened. M. Quill-Ferrante came.")
    for doc, found in (
        (b, [("person", "M. Quill-Ferrante")]),
        (c, [("place", "Pell Yard"), ("person", "M. Quill-Ferrante")]),
    ):
        text = case.document(doc)["text"]
        mentions = [
            Mention(k, text.index(n), text.index(n) + len(n), n, n, provenance="model:test")
            for k, n in found
        ]
        with case.transaction():
            pipeline.write_analysis(
                case,
                pipeline.Analysis(doc, mentions, "2022-05-02", False, None, 3, 0.0),
                resolver,
                drop_orphans=False,
            )
    assert _facts(case, b, "M. Quill-Ferrante") == [("person", quill, "extracted")]
    assert _facts(case, c, "M. Quill-Ferrante") == [("person", quill, "extracted")]
    (pell,) = _facts(case, c, "Pell Yard")
    assert pell[1] != quill and queries.entity(case, pell[1] or 0).name == "Pell Yard"  # type: ignore[union-attr]


LATER = (
    "Trade talks resume\n\nShinzo Abe met reporters in Tokyo on Monday. Lee Ko-hyun asked "
    "whether Seoul would answer. Yonhap reported that the ministry would reply on Friday.\n"
)


def _import_later(case: Case, folder: Path) -> int:
    from casedesk.ingest import import_paths

    path = folder / "later.txt"
    path.write_text(LATER, encoding="utf-8")
    ((_p, doc),) = import_paths(case, [path]).imported
    pipeline.extract_documents(case, [doc])
    return doc


def test_done_when_merge_split_and_not_an_entity_reach_a_later_document(
    sample_case: Path, tmp_path: Path
) -> None:
    control_path, path = tmp_path / "control.casedesk", tmp_path / "c.casedesk"
    shutil.copy(sample_case, control_path)
    shutil.copy(sample_case, path)
    # Without corrections, the extractor puts the later document's names where it always did.
    with Case.open(control_path) as control:
        # "Lee Ko-hyun" is written in parentheses after "Lee Ho-hyun" (another romanisation of
        # "Lee Ho-hyeon": proposed as one person, not merged)
        lee, seoul = _entity_of(control, "Lee Ho-hyun"), _entity_of(control, "Seoul")
        doc = _import_later(control, tmp_path)
        assert {f[:2] for f in _facts(control, doc, "Lee Ko-hyun")} == {("person", lee)}
        assert {f[:2] for f in _facts(control, doc, "Seoul")} == {("place", seoul)}
        assert _facts(control, doc, "Yonhap")
    with Case.open(path) as case:
        office = _entity_of(case, "Cheong Wa Dae")
        seoul = _entity_of(case, "Seoul")
        # "Seoul said": the government, as the presidential office
        ee.merge_entities(case, [office, seoul], keep_id=office, kind="organization")
        split = ee.split_entity(case, _entity_of(case, "Lee Ho-hyun"), spellings=["Lee Ko-hyun"])
        ee.reject_entities(case, [_entity_of(case, "Yonhap")])
        doc = _import_later(case, tmp_path)
        assert {f[:2] for f in _facts(case, doc, "Lee Ko-hyun")} == {
            ("person", split.new_entity_id)
        }
        assert {f[:2] for f in _facts(case, doc, "Seoul")} == {("organization", office)}
        assert _facts(case, doc, "Yonhap") == []


def test_a_decision_made_after_an_undo_is_the_one_applied(case: Case) -> None:
    # The undone decision's id goes to the next one: the decisions read before must not be
    # taken for the new ones.
    a = _doc(case, "Halden Brook Mining cut jobs.")
    _write(case, a, [("person", "Halden Brook Mining")])
    ent = _entity_of(case, "Halden Brook Mining")
    ee.undo(case, ee.set_entity_kind(case, [ent], "organization"))
    assert not Decisions.load(case.conn)
    edit = ee.set_entity_kind(case, [ent], "place")
    assert Decisions.load(case.conn).rules["halden brook mining"].kind == "place"
    ee.undo(case, edit)
    ee.set_entity_kind(case, [ent], "organization")
    assert Decisions.load(case.conn).rules["halden brook mining"].kind == "organization"
    b = _doc(case, "Halden Brook Mining again.")
    _write(case, b, [("person", "Halden Brook Mining")])
    assert _facts(case, b, "Halden Brook Mining") == [("organization", ent, "extracted")]
