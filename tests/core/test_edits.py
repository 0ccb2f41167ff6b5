"""The user's changes to a case and their inverses (what undo relies on)."""

from __future__ import annotations

import pytest

from casedesk import edits
from casedesk.store import Case, now_iso

TEXT = (
    "Japan restricted exports of hydrogen fluoride to South Korea on July 4, 2019. Seoul objected."
)


def _doc(case: Case) -> int:
    return case.add_document(file_name="a.txt", text=TEXT, sha256="a" * 64, format="txt")


def _entity(case: Case, kind: str, name: str, aliases: list[str]) -> int:
    with case.transaction():
        cur = case.conn.execute(
            "INSERT INTO entities(kind, name, key) VALUES (?, ?, ?)",
            (kind, name, edits.name_key(name)),
        )
        eid = int(cur.lastrowid or 0)
        for alias in aliases:
            case.conn.execute(
                "INSERT INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                (eid, alias, edits.name_key(alias)),
            )
    return eid


def _fact(case: Case, doc: int, kind: str, word: str, entity_id: int | None = None) -> int:
    start = TEXT.index(word)
    with case.transaction():
        cur = case.conn.execute(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'test', ?, ?)",
            (doc, kind, start, start + len(word), word, word, entity_id, now_iso(), now_iso()),
        )
    return int(cur.lastrowid or 0)


def _snapshot(case: Case) -> dict[str, list[tuple[object, ...]]]:
    tables = ["entities", "aliases", "facts", "annotations", "tags", "event_entities"]
    return {
        t: sorted(tuple(r) for r in case.conn.execute(f"SELECT * FROM {t}").fetchall())
        for t in tables
    }


def _without_times(snap: dict[str, list[tuple[object, ...]]]) -> dict[str, list[object]]:
    # facts/annotations carry updated_at, which a change and its undo legitimately move on
    return {
        t: [r[:-2] if t in ("facts", "annotations") else r for r in rows]
        for t, rows in snap.items()
    }


def test_annotation_add_update_delete_restore(case: Case) -> None:
    doc = _doc(case)
    tag = edits.add_tag(case, "Evidence", "#ff0000")
    ann = edits.add_annotation(case, doc, 0, 5, tag_id=tag, note="*first*")
    assert edits.annotation(case, ann)["text"] == "Japan"
    old = edits.update_annotation(case, ann, note="changed")
    assert old == {"note": "*first*"}
    assert edits.annotation(case, ann)["note"] == "changed"
    row = edits.delete_annotation(case, ann)
    assert case.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0
    edits.restore_annotation(case, row)
    assert edits.annotation(case, ann)["note"] == "changed"


def test_annotation_outside_text_is_refused(case: Case) -> None:
    doc = _doc(case)
    with pytest.raises(edits.EditError, match="outside"):
        edits.add_annotation(case, doc, 10, 10_000)


def test_every_change_touches_the_case(case: Case) -> None:
    doc = _doc(case)
    case.set_meta("modified_at", "2000-01-01T00:00:00Z")
    edits.add_annotation(case, doc, 0, 5)
    assert case.get_meta("modified_at") != "2000-01-01T00:00:00Z"


def test_tags_crud_and_restore_keeps_annotations_tagged(case: Case) -> None:
    doc = _doc(case)
    tag = edits.add_tag(case, "Timeline gap", "#123456")
    with pytest.raises(edits.EditError, match="already exists"):
        edits.add_tag(case, "timeline GAP", "#000000")
    ann = edits.add_annotation(case, doc, 0, 5, tag_id=tag)
    assert edits.update_tag(case, tag, name="Gap", colour="#abcdef") == {
        "name": "Timeline gap",
        "colour": "#123456",
    }
    deleted = edits.delete_tag(case, tag)
    assert edits.annotation(case, ann)["tag_id"] is None
    edits.restore_tag(case, deleted)
    assert edits.annotation(case, ann)["tag_id"] == tag
    assert any(t["name"] == "Gap" for t in edits.tags(case))


def test_confirm_reject_and_back(case: Case) -> None:
    doc = _doc(case)
    f = _fact(case, doc, "place", "Seoul")
    assert edits.set_fact_status(case, f, "confirmed") == "extracted"
    assert edits.set_fact_status(case, f, "rejected") == "confirmed"
    assert edits.fact(case, f)["status"] == "rejected"
    with pytest.raises(edits.EditError):
        edits.set_fact_status(case, f, "maybe")


def test_correct_value_keeps_the_machine_value_and_undoes(case: Case) -> None:
    doc = _doc(case)
    f = _fact(case, doc, "date", "July 4, 2019")
    old = edits.correct_fact_value(case, f, "2019-07-04")
    row = edits.fact(case, f)
    assert (row["value"], row["status"], row["original_value"]) == (
        "2019-07-04",
        "confirmed",
        "July 4, 2019",
    )
    # a second correction keeps the first machine value
    edits.correct_fact_value(case, f, "2019-07-05")
    assert edits.fact(case, f)["original_value"] == "July 4, 2019"
    edits.set_fact_fields(case, f, old)
    row = edits.fact(case, f)
    assert (row["value"], row["status"], row["original_value"]) == (
        "July 4, 2019",
        "extracted",
        None,
    )


def test_change_kind_drops_an_entity_of_another_kind(case: Case) -> None:
    doc = _doc(case)
    seoul = _entity(case, "place", "Seoul", [])
    f = _fact(case, doc, "place", "Seoul", seoul)
    old = edits.change_fact_kind(case, f, "organization")
    assert edits.fact(case, f)["kind"] == "organization"
    assert edits.fact(case, f)["entity_id"] is None
    edits.set_fact_fields(case, f, old)
    assert edits.fact(case, f)["entity_id"] == seoul
    assert edits.fact(case, f)["kind"] == "place"


def test_manual_fact_and_delete_restore(case: Case) -> None:
    doc = _doc(case)
    start = TEXT.index("hydrogen fluoride")
    f = edits.add_manual_fact(case, doc, "material", start, start + len("hydrogen fluoride"))
    row = edits.fact(case, f)
    assert (row["status"], row["provenance"], row["text"], row["value"]) == (
        "manual",
        "user",
        "hydrogen fluoride",
        "hydrogen fluoride",
    )
    with case.transaction():
        case.conn.execute(
            "INSERT INTO events(id, date, date_start, date_end, precision, title) "
            "VALUES (1, '2019-07-04', '2019-07-04', '2019-07-04', 'day', 'x')"
        )
        case.conn.execute("INSERT INTO event_sources(event_id, fact_id) VALUES (1, ?)", (f,))
    deleted = edits.delete_fact(case, f)
    assert case.conn.execute("SELECT count(*) FROM event_sources").fetchone()[0] == 0
    edits.restore_fact(case, deleted)
    assert edits.fact(case, f)["text"] == "hydrogen fluoride"
    assert case.conn.execute("SELECT count(*) FROM event_sources").fetchone()[0] == 1


def test_merge_then_unmerge_restores_everything(case: Case) -> None:
    doc = _doc(case)
    japan = _entity(case, "place", "Japan", ["Japan", "Tokyo"])
    tokyo = _entity(case, "place", "Tokyo", ["Tokyo", "Japanese government"])
    f1 = _fact(case, doc, "place", "Japan", japan)
    f2 = _fact(case, doc, "place", "Seoul", tokyo)
    with case.transaction():
        case.conn.execute(
            "INSERT INTO events(id, date, date_start, date_end, precision, title) "
            "VALUES (1, '2019', '2019-01-01', '2019-12-31', 'year', 'x')"
        )
        case.conn.execute("INSERT INTO event_entities VALUES (1, ?)", (tokyo,))
    before = _without_times(_snapshot(case))
    merge = edits.merge_entities(case, japan, tokyo)
    assert edits.fact(case, f2)["entity_id"] == japan
    names = {a["alias"] for a in edits.entity_aliases(case, japan)}
    assert names == {"Japan", "Tokyo", "Japanese government"}
    assert case.conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 1
    edits.unmerge_entities(case, merge)
    assert _without_times(_snapshot(case)) == before
    assert edits.fact(case, f1)["entity_id"] == japan


def test_merge_refuses_different_kinds(case: Case) -> None:
    a = _entity(case, "place", "Japan", [])
    b = _entity(case, "organization", "METI", [])
    with pytest.raises(edits.EditError, match="kinds differ"):
        edits.merge_entities(case, a, b)


def test_split_moves_chosen_aliases_and_their_facts(case: Case) -> None:
    doc = _doc(case)
    ent = _entity(case, "place", "Japan", ["Japan", "Seoul"])
    f_japan = _fact(case, doc, "place", "Japan", ent)
    f_seoul = _fact(case, doc, "place", "Seoul", ent)
    seoul_alias = next(a["id"] for a in edits.entity_aliases(case, ent) if a["alias"] == "Seoul")
    split = edits.split_entity(case, ent, alias_ids=[seoul_alias])
    assert edits.entity(case, split.new_id)["name"] == "Seoul"
    assert edits.fact(case, f_seoul)["entity_id"] == split.new_id
    assert edits.fact(case, f_japan)["entity_id"] == ent
    edits.unsplit_entity(case, split)
    assert edits.fact(case, f_seoul)["entity_id"] == ent
    assert {a["alias"] for a in edits.entity_aliases(case, ent)} == {"Japan", "Seoul"}
    with pytest.raises(edits.EditError):
        edits.entity(case, split.new_id)


def test_document_date_change_is_reversible(case: Case) -> None:
    doc = _doc(case)
    case.update_document(doc, published="2019-07-05", published_inferred=1)
    case.conn.execute(
        "UPDATE documents SET published_evidence = 'weekday in the text' WHERE id = ?", (doc,)
    )
    old = edits.set_document_properties(case, doc, {"published": "2019-07-06", "title": "T"})
    row = case.document(doc)
    assert (row["published"], row["published_inferred"], row["title"]) == ("2019-07-06", 0, "T")
    edits.set_document_properties(case, doc, old)
    row = case.document(doc)
    assert (row["published"], row["published_inferred"], row["published_evidence"]) == (
        "2019-07-05",
        1,
        "weekday in the text",
    )
    assert row["title"] is None


def test_a_date_that_is_not_a_date_is_refused(case: Case) -> None:
    doc = _doc(case)
    pytest.importorskip("casedesk.extract.pipeline")
    with pytest.raises(edits.EditError):
        edits.set_document_properties(case, doc, {"published": "next week"})
    assert case.document(doc)["published"] is None


def test_restoring_a_fact_whose_mention_is_back_is_refused(case: Case) -> None:
    doc = _doc(case)
    f = _fact(case, doc, "place", "Seoul")
    deleted = edits.delete_fact(case, f)
    again = _fact(case, doc, "place", "Seoul")  # as extraction running again would
    with pytest.raises(edits.StaleEdit, match="in the document again"):
        edits.restore_fact(case, deleted)
    assert case.conn.execute("SELECT count(*) FROM facts").fetchone()[0] == 1
    edits.delete_fact(case, again)
    other = _fact(case, doc, "place", "Japan")  # another fact may now hold the old id
    new_id = edits.restore_fact(case, deleted)
    assert edits.fact(case, new_id)["text"] == "Seoul"
    assert edits.fact(case, other)["text"] == "Japan"


def test_undoing_a_split_after_its_facts_were_replaced_is_refused(case: Case) -> None:
    doc = _doc(case)
    ent = _entity(case, "place", "Japan", ["Japan", "Seoul"])
    _fact(case, doc, "place", "Japan", ent)
    f_seoul = _fact(case, doc, "place", "Seoul", ent)
    seoul_alias = next(a["id"] for a in edits.entity_aliases(case, ent) if a["alias"] == "Seoul")
    split = edits.split_entity(case, ent, alias_ids=[seoul_alias])
    with case.transaction():
        case.conn.execute("DELETE FROM facts WHERE id = ?", (f_seoul,))
    with pytest.raises(edits.StaleEdit):
        edits.unsplit_entity(case, split)
    assert edits.entity(case, split.new_id)["name"] == "Seoul"


def test_split_again_reuses_the_new_entity_id(case: Case) -> None:
    doc = _doc(case)
    ent = _entity(case, "place", "Japan", ["Japan", "Seoul"])
    _fact(case, doc, "place", "Japan", ent)
    seoul_alias = next(a["id"] for a in edits.entity_aliases(case, ent) if a["alias"] == "Seoul")
    split = edits.split_entity(case, ent, alias_ids=[seoul_alias])
    later = edits.create_entity(case, "place", "Tokyo")
    edits.unsplit_entity(case, split)
    again = edits.split_entity(case, ent, alias_ids=[seoul_alias], new_id=split.new_id)
    assert again.new_id == split.new_id
    edits.unsplit_entity(case, again)
    taken = edits.split_entity(case, ent, alias_ids=[seoul_alias], new_id=later)
    assert taken.new_id not in (later, split.new_id)


def test_reviewing_an_event_report_keeps_the_timeline_in_step(case: Case) -> None:
    from casedesk.extract.pipeline import extract_document

    text = "Japan tightened export controls on three chemicals on July 4, 2019, officials said.\n"
    doc = case.add_document(
        file_name="wire.txt", text=text, sha256="wire", format="txt", published="2019-07-06"
    )
    extract_document(case, doc)

    def timeline() -> list[str]:
        return [r[0] for r in case.conn.execute("SELECT date FROM events")]

    event_fact = case.conn.execute("SELECT id FROM facts WHERE kind = 'event'").fetchone()[0]
    assert timeline() == ["2019-07-04"]
    edits.set_fact_status(case, event_fact, "rejected")
    assert timeline() == []
    edits.set_fact_status(case, event_fact, "extracted")
    assert timeline() == ["2019-07-04"]
    deleted = edits.delete_fact(case, event_fact)
    assert timeline() == []
    edits.restore_fact(case, deleted)
    assert timeline() == ["2019-07-04"]


def test_change_kind_joins_the_entity_of_that_kind_and_name(case: Case) -> None:
    # It left the mention without an entity.
    doc = _doc(case)
    seoul_org = _entity(case, "organization", "Seoul", [])
    place = _entity(case, "place", "Seoul", [])
    fid = _fact(case, doc, "place", "Seoul", place)
    old = edits.change_fact_kind(case, fid, "organization")
    assert edits.fact(case, fid)["entity_id"] == seoul_org
    edits.set_fact_fields(case, fid, old)
    assert edits.fact(case, fid)["entity_id"] == place
