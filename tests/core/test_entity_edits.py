"""Entity corrections in the core: each one step that says what changed, undoes and redoes
exactly, and leaves a decision in the case. (The extraction side: test_corrections.py.)"""

from __future__ import annotations

import hashlib

import pytest

from casedesk import entity_edits as ee
from casedesk import queries
from casedesk.store import Case, now_iso

TEXTS = [
    "Brannock Tiles said on Monday that Brannock Tiles would close a kiln. Oduya Mensah agreed.",
    "Oduya Mensah visited Brannock Tiles in Lisbon. Brannock Tiles Ltd. denied the report.",
    "Mensah said Brannock Tile Works opened in Porto. Photo: Kestrel Lane.",
]


def _doc(case: Case, text: str) -> int:
    return case.add_document(
        file_name=f"d{len(case.document_ids())}.txt",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        format="txt",
        published="2021-03-0" + str(len(case.document_ids()) + 1),
    )


def _entity(case: Case, kind: str, name: str, aliases: tuple[str, ...] = ()) -> int:
    with case.transaction():
        eid = int(
            case.conn.execute(
                "INSERT INTO entities(kind, name, key) VALUES (?, ?, ?)",
                (kind, name, name.lower()),
            ).lastrowid
            or 0
        )
        for a in aliases:
            case.conn.execute(
                "INSERT INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)", (eid, a, a.lower())
            )
    return eid


def _mentions(case: Case, doc: int, kind: str, word: str, entity_id: int) -> list[int]:
    text = case.document(doc)["text"]
    ids = []
    start = text.find(word)
    while start >= 0:
        with case.transaction():
            cur = case.conn.execute(
                "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
                "provenance, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'test', ?, ?)",
                (doc, kind, start, start + len(word), word, word, entity_id, now_iso(), now_iso()),
            )
        ids.append(int(cur.lastrowid or 0))
        start = text.find(word, start + len(word))
    return ids


@pytest.fixture
def world(case: Case) -> dict[str, int]:
    d = [_doc(case, t) for t in TEXTS]
    brannock = _entity(case, "person", "Brannock Tiles", ("Brannock Tiles Ltd.",))
    works = _entity(case, "organization", "Brannock Tile Works")
    mensah = _entity(case, "person", "Oduya Mensah", ("Mensah",))
    kestrel = _entity(case, "person", "Kestrel Lane")
    lisbon = _entity(case, "place", "Lisbon")
    for doc in d[:2]:
        _mentions(case, doc, "person", "Brannock Tiles", brannock)
        _mentions(case, doc, "person", "Oduya Mensah", mensah)
    _mentions(case, d[1], "person", "Brannock Tiles Ltd.", brannock)
    _mentions(case, d[2], "organization", "Brannock Tile Works", works)
    _mentions(case, d[2], "person", "Mensah", mensah)
    _mentions(case, d[2], "person", "Kestrel Lane", kestrel)
    _mentions(case, d[1], "place", "Lisbon", lisbon)
    with case.transaction():
        case.conn.execute(
            "INSERT INTO merge_proposals(entity_a, entity_b, score, reason) VALUES (?, ?, 0.5, "
            "'one name is the start of the other')",
            (brannock, works),
        )
    return {
        "brannock": brannock,
        "works": works,
        "mensah": mensah,
        "kestrel": kestrel,
        "lisbon": lisbon,
        "d0": d[0],
        "d1": d[1],
        "d2": d[2],
    }


TABLES = ("entities", "aliases", "facts", "event_entities", "merge_proposals", "corrections")


def snapshot(case: Case) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    for table in TABLES:
        cur = case.conn.execute(f"SELECT * FROM {table}")
        cols = [c[0] for c in cur.description]
        keep = [i for i, c in enumerate(cols) if c not in ("updated_at",)]
        out[table] = sorted(tuple(r[i] for i in keep) for r in cur.fetchall())
    return out


def _kinds(case: Case, entity_id: int) -> set[str]:
    return {
        str(r[0])
        for r in case.conn.execute("SELECT kind FROM facts WHERE entity_id = ?", (entity_id,))
    }


def _undo_redo(case: Case, before: dict[str, object], edit: ee.Edit) -> None:
    after = snapshot(case)
    assert after != before
    ee.undo(case, edit)
    assert snapshot(case) == before
    ee.redo(case, edit)
    assert snapshot(case) == after


def test_change_kind_changes_every_mention_and_undoes_exactly(
    case: Case, world: dict[str, int]
) -> None:
    before = snapshot(case)
    edit = ee.set_entity_kind(case, [world["brannock"]], "organization")
    # The organisation of the same name elsewhere is not merged (another key), every mention
    # of the corrected entity changed with it.
    assert _kinds(case, world["brannock"]) == {"organization"}
    row = queries.entity(case, world["brannock"])
    assert row is not None and row.kind == "organization" and row.mentions == 5
    assert row.status == "confirmed"
    assert world["brannock"] in edit.changes.entities
    assert {world["d0"], world["d1"]} <= edit.changes.documents
    assert len(edit.changes.facts) == 5
    (decision,) = queries.corrections(case)
    assert decision.action == "kind" and decision.value == "organization"
    assert "brannock tiles" in decision.spellings
    assert "brannock tiles ltd." in decision.spellings
    _undo_redo(case, before, edit)


def test_change_kind_joins_the_entity_of_that_kind_and_name(
    case: Case, world: dict[str, int]
) -> None:
    twin = _entity(case, "organization", "Brannock Tiles")
    with case.transaction():
        case.conn.execute("UPDATE entities SET key = 'brannock tiles' WHERE id = ?", (twin,))
        case.conn.execute(
            "UPDATE entities SET key = 'brannock tiles' WHERE id = ?", (world["brannock"],)
        )
    _mentions(case, world["d2"], "organization", "Photo", twin)
    before = snapshot(case)
    edit = ee.set_entity_kind(case, [world["brannock"]], "organization")
    assert queries.entity(case, twin) is None
    assert queries.entity(case, world["brannock"]).mentions == 6  # type: ignore[union-attr]
    assert twin in edit.changes.entities
    _undo_redo(case, before, edit)


def test_rename_keeps_the_old_name_as_a_spelling(case: Case, world: dict[str, int]) -> None:
    before = snapshot(case)
    edit = ee.rename_entity(case, world["mensah"], "Oduya K. Mensah")
    row = queries.entity(case, world["mensah"])
    assert row is not None and row.name == "Oduya K. Mensah"
    assert "Oduya Mensah" in row.aliases
    assert row.status == "confirmed"
    assert queries.corrections(case)[0].describe() == ("“Oduya Mensah” is named “Oduya K. Mensah”")
    _undo_redo(case, before, edit)
    with pytest.raises(ee.EditError):
        ee.rename_entity(case, world["mensah"], "   ")


def test_merging_kinds_without_the_winning_kind_is_refused_before_anything(
    case: Case, world: dict[str, int]
) -> None:
    before = snapshot(case)
    with pytest.raises(ee.EditError, match="different kinds"):
        ee.merge_entities(case, [world["brannock"], world["works"]])
    assert snapshot(case) == before
    edit = ee.merge_entities(
        case,
        [world["brannock"], world["works"]],
        kind="organization",
        name="Brannock Tile Works",
    )
    keep = world["brannock"]  # more mentions
    row = queries.entity(case, keep)
    assert row is not None
    assert (row.kind, row.name, row.mentions, row.documents) == (
        "organization",
        "Brannock Tile Works",
        6,
        3,
    )
    assert set(row.aliases) == {"Brannock Tiles", "Brannock Tiles Ltd."}
    assert queries.entity(case, world["works"]) is None
    assert queries.proposals(case) == []
    assert world["works"] in edit.changes.entities and edit.changes.proposals
    _undo_redo(case, before, edit)
    ee.undo(case, edit)
    assert len(queries.proposals(case)) == 1


def test_merge_fifty_is_one_step(case: Case) -> None:
    doc = _doc(case, "Vantor Group. " * 60)
    ids = []
    for i in range(50):
        e = _entity(case, "organization", f"Vantor Group {i}")
        with case.transaction():
            case.conn.execute(
                "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
                "provenance, created_at, updated_at) VALUES (?, 'organization', ?, ?, "
                "'Vantor Group', 'Vantor Group', ?, 'test', ?, ?)",
                (doc, i * 14, i * 14 + 12, e, now_iso(), now_iso()),
            )
        ids.append(e)
    before = snapshot(case)
    edit = ee.merge_entities(case, ids, keep_id=ids[0], name="Vantor Group")
    assert queries.entities_count(case) == 1
    assert queries.entity(case, ids[0]).mentions == 50  # type: ignore[union-attr]
    _undo_redo(case, before, edit)


def test_split_by_spelling_moves_its_mentions(case: Case, world: dict[str, int]) -> None:
    before = snapshot(case)
    edit = ee.split_entity(case, world["brannock"], spellings=["Brannock Tiles Ltd."])
    new = edit.new_entity_id
    assert new is not None
    row = queries.entity(case, new)
    assert row is not None and (row.name, row.mentions, row.kind) == (
        "Brannock Tiles Ltd.",
        1,
        "person",
    )
    assert queries.entity(case, world["brannock"]).mentions == 4  # type: ignore[union-attr]
    assert "brannock tiles ltd." in queries.corrections(case)[0].spellings
    _undo_redo(case, before, edit)
    with pytest.raises(ee.EditError, match="never written"):
        ee.split_entity(case, world["brannock"], spellings=["Kestrel"])


def test_split_chosen_mentions(case: Case, world: dict[str, int]) -> None:
    mine = [m.fact_id for m in queries.entity_mentions(case, world["mensah"]) if m.text == "Mensah"]
    edit = ee.split_entity(case, world["mensah"], fact_ids=mine, name="Ama Mensah")
    assert queries.entity(case, edit.new_entity_id or 0).name == "Ama Mensah"  # type: ignore[union-attr]
    assert queries.entity(case, world["mensah"]).mentions == 2  # type: ignore[union-attr]


def test_not_an_entity_rejects_every_mention(case: Case, world: dict[str, int]) -> None:
    before = snapshot(case)
    edit = ee.reject_entities(case, [world["kestrel"]])
    assert [r.name for r in queries.entities_page(case, text="kestrel")] == []
    statuses = {
        r[0]
        for r in case.conn.execute(
            "SELECT status FROM facts WHERE entity_id = ?", (world["kestrel"],)
        )
    }
    assert statuses == {"rejected"}
    assert queries.corrections(case)[0].describe() == "“Kestrel Lane” is not an entity"
    _undo_redo(case, before, edit)


def test_many_facts_at_once(case: Case, world: dict[str, int]) -> None:
    facts = [m.fact_id for m in queries.entity_mentions(case, world["brannock"])]
    before = snapshot(case)
    edit = ee.set_facts_status(case, facts, "confirmed")
    assert edit.changes.facts == frozenset(facts)
    assert len(queries.corrections(case)) == len(facts)
    _undo_redo(case, before, edit)
    ee.undo(case, edit)
    edit = ee.set_facts_status(case, facts[:2], "rejected")
    assert queries.entity(case, world["brannock"]).mentions == 3  # type: ignore[union-attr]


def test_changing_one_facts_kind_gives_it_an_entity_of_that_kind(
    case: Case, world: dict[str, int]
) -> None:
    (lisbon,) = [m.fact_id for m in queries.entity_mentions(case, world["lisbon"])]
    (kestrel,) = [m.fact_id for m in queries.entity_mentions(case, world["kestrel"])]
    before = snapshot(case)
    edit = ee.set_facts_kind(case, [kestrel], "organization")
    row = case.conn.execute("SELECT kind, entity_id FROM facts WHERE id = ?", (kestrel,)).fetchone()
    assert row[0] == "organization" and row[1] is not None
    made = queries.entity(case, row[1])
    assert made is not None and (made.kind, made.name) == ("organization", "Kestrel Lane")
    _undo_redo(case, before, edit)
    # to a kind that is not an entity: no entity
    ee.set_facts_kind(case, [lisbon], "date")
    assert case.conn.execute("SELECT entity_id FROM facts WHERE id = ?", (lisbon,)).fetchone() == (
        None,
    )


def test_proposals_list_accept_and_reject(case: Case, world: dict[str, int]) -> None:
    (p,) = queries.proposals(case)
    assert {p.a.name, p.b.name} == {"Brannock Tiles", "Brannock Tile Works"}
    assert "Brannock Tile" in p.a.sentence and "Brannock Tile" in p.b.sentence
    assert queries.proposals_count(case) == 1
    with pytest.raises(ee.EditError, match="different kinds"):
        ee.accept_proposal(case, p.id)
    edit = ee.reject_proposal(case, p.id)
    assert queries.proposals(case) == []
    ee.undo(case, edit)
    edit = ee.accept_proposal(case, p.id, kind="organization")
    assert queries.entity(case, world["works"]) is None
    ee.undo(case, edit)
    assert queries.entity(case, world["works"]) is not None
    assert len(queries.proposals(case)) == 1


def test_revoking_not_an_entity_brings_the_mentions_back(case: Case, world: dict[str, int]) -> None:
    ee.reject_entities(case, [world["kestrel"]])
    (decision,) = queries.corrections(case)
    before = snapshot(case)
    edit = ee.revoke_correction(case, decision.id)
    assert queries.corrections(case)[0].revoked
    assert queries.entity(case, world["kestrel"]).mentions == 1  # type: ignore[union-attr]
    _undo_redo(case, before, edit)
    with pytest.raises(ee.EditError, match="revoked already"):
        ee.revoke_correction(case, decision.id)


def test_an_undo_after_the_rows_changed_is_refused(case: Case, world: dict[str, int]) -> None:
    edit = ee.merge_entities(case, [world["mensah"], world["kestrel"]])
    with case.transaction():
        case.conn.execute("DELETE FROM facts WHERE document_id = ?", (world["d2"],))
    before = snapshot(case)
    with pytest.raises(ee.StaleEdit):
        ee.undo(case, edit)
    assert snapshot(case) == before


def test_entities_page_filters_sorts_and_pages(case: Case, world: dict[str, int]) -> None:
    names = [r.name for r in queries.entities_page(case)]
    assert names == sorted(names, key=str.casefold)
    assert [r.name for r in queries.entities_page(case, kind="place")] == ["Lisbon"]
    # another spelling matches too
    assert [r.name for r in queries.entities_page(case, text="ltd")] == ["Brannock Tiles"]
    top = queries.entities_page(case, sort="mentions", descending=True, limit=1)
    assert [(r.name, r.mentions, r.documents) for r in top] == [("Brannock Tiles", 5, 2)]
    assert [r.name for r in queries.entities_page(case, offset=1, limit=2)] == names[1:3]
    # the order by mentions follows a change at once
    merge = ee.merge_entities(case, [world["kestrel"], world["mensah"]], keep_id=world["kestrel"])
    top = queries.entities_page(case, sort="mentions", descending=True, limit=2)
    assert [(r.name, r.mentions) for r in top] == [("Brannock Tiles", 5), ("Kestrel Lane", 4)]
    ee.undo(case, merge)
    assert queries.entities_count(case, text="brannock") == 2
    # a claim the entity speaks carries its id, and is not a mention of it
    with case.transaction():
        case.conn.execute(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (?, 'claim', 0, 20, 'x', "
            "'Kestrel Lane', ?, 'test', ?, ?)",
            (world["d2"], world["kestrel"], now_iso(), now_iso()),
        )
    assert queries.entity(case, world["kestrel"]).mentions == 1  # type: ignore[union-attr]
    order = {i: n for i, n, _d in queries.entity_order(case)}
    assert order[world["kestrel"]] == 1
    (m, *_rest) = queries.entity_mentions(case, world["kestrel"])
    assert m.sentence == "Photo: Kestrel Lane."
    text = case.document(m.document_id)["text"]
    assert text[m.sentence_start : m.sentence_start + 6] == "Photo:"


def test_find_entities_prefers_the_exact_name(case: Case, world: dict[str, int]) -> None:
    assert [r.id for r in queries.find_entities(case, "brannock tiles")] == [world["brannock"]]
    assert {r.id for r in queries.find_entities(case, "Brannock")} == {
        world["brannock"],
        world["works"],
    }
    assert [r.id for r in queries.find_entities(case, "mensah")] == [world["mensah"]]
    assert [r.id for r in queries.find_entities(case, f"#{world['lisbon']}")] == [world["lisbon"]]
    assert queries.find_entities(case, "nobody") == []


def test_entity_order_reads_a_count_order_once_in_the_order_of_the_pages(
    case: Case, world: dict[str, int]
) -> None:
    for sort in ("mentions", "documents"):
        for descending in (True, False):
            order = queries.entity_order(case, sort=sort, descending=descending)
            pages = queries.entities_page(case, sort=sort, descending=descending, limit=1000)
            assert [i for i, _n, _d in order] == [r.id for r in pages]
            assert queries.entity_rows(case, order[1:3]) == pages[1:3]
    assert [i for i, _n, _d in queries.entity_order(case, kind="place")] == [world["lisbon"]]
    with pytest.raises(ValueError):
        queries.entity_order(case, sort="name")
