"""Names that look like another's but name a different thing: a part of a place is not the
place, a numbered ruler is not another of the same name. Texts are written for these tests."""

from __future__ import annotations

import pytest

from casedesk.extract.entities import find_entities
from casedesk.extract.model import Mention
from casedesk.extract.nlp import parse
from casedesk.store import Case
from textcases import resolve_mentions as resolve


def ids_by_value(case: Case, *texts: str) -> dict[str, set[int | None]]:
    found = [find_entities(parse(t)) for t in texts]
    out: dict[str, set[int | None]] = {}
    for ms, ids in zip(found, resolve(case, *found), strict=True):
        for m, i in zip(ms, ids, strict=True):
            out.setdefault(m.value or m.text, set()).add(i)
    return out


def pending_proposals(case: Case) -> set[tuple[str, str]]:
    rows = case.conn.execute(
        "SELECT a.name, b.name FROM merge_proposals p JOIN entities a ON a.id = p.entity_a "
        "JOIN entities b ON b.id = p.entity_b WHERE p.status = 'pending'"
    )
    return {(str(a), str(b)) for a, b in rows}


# -- a qualified place is a part of the place, another place ------------------------------------


@pytest.mark.parametrize("qualifier", ["southern", "downtown", "central", "northeastern"])
def test_a_place_after_a_part_qualifier_is_not_the_bare_place(case: Case, qualifier: str) -> None:
    text = (
        f"The storm flooded {qualifier} Finland on Monday. Finland asked its neighbours "
        "for pumps, and Finland will pay for them."
    )
    ids = ids_by_value(case, text)
    part = f"{qualifier.capitalize()} Finland"
    assert part in ids and "Finland" in ids
    assert ids[part].isdisjoint(ids["Finland"])


def test_a_part_of_a_place_in_another_document_stays_apart_and_is_not_proposed(
    case: Case,
) -> None:
    ids = ids_by_value(
        case,
        "Rents in downtown Chicago rose again last year.",
        "Chicago elected a new mayor. Chicago voters turned out in numbers.",
    )
    assert ids["Downtown Chicago"].isdisjoint(ids["Chicago"])
    assert not any("Chicago" in a and "Chicago" in b for a, b in pending_proposals(case))


def test_a_qualified_name_the_model_cut_short_is_the_part(case: Case) -> None:
    ids = ids_by_value(
        case,
        "We took the ferry to Manhattan and walked from Upper Manhattan down to the park.",
    )
    assert ids["Upper Manhattan"].isdisjoint(ids["Manhattan"])


def test_a_qualifier_inside_another_name_is_left_alone() -> None:
    mentions = find_entities(parse("She studied at Central Michigan University in Michigan."))
    assert "Central Michigan" not in {m.value for m in mentions if m.kind == "place"}


# -- regnal numbers and generational suffixes ----------------------------------------------------


def at(kind: str, start: int, name: str) -> Mention:
    return Mention(kind, start, start + len(name), name, name, provenance="model:test")


def test_two_numbered_rulers_and_the_bare_name_stay_three(case: Case) -> None:
    # "Henry VII died in 1509. Henry VIII married six times. Henry ..." (two bearers: ambiguous)
    mentions = [
        at("person", 0, "Henry VII"),
        at("person", 30, "Henry VIII"),
        at("person", 60, "Henry"),
    ]
    [ids] = resolve(case, mentions)
    assert len(set(ids)) == 3


def test_a_bare_name_after_the_one_numbered_bearer_is_that_bearer(case: Case) -> None:
    mentions = [at("person", 0, "Shah Tamas II"), at("person", 40, "Shah Tamas")]
    [ids] = resolve(case, mentions)
    assert ids[0] == ids[1]


def test_a_bare_name_before_the_numbered_bearer_is_named_is_an_earlier_bearer(case: Case) -> None:
    # "Shah Tamas built the bridge; a century later Shah Tamas II rebuilt it."
    mentions = [at("person", 0, "Shah Tamas"), at("person", 40, "Shah Tamas II")]
    [ids] = resolve(case, mentions)
    assert ids[0] != ids[1]


def test_junior_and_senior_are_two_people_in_one_document_and_across(case: Case) -> None:
    one = [at("person", 0, "Carl Dunmore Sr."), at("person", 40, "Carl Dunmore Jr.")]
    two = [at("person", 0, "Carl Dunmore Jr.")]
    three = [at("person", 0, "Carl Dunmore Sr.")]
    [ids1], [ids2], [ids3] = (resolve(case, ms) for ms in (one, two, three))
    assert ids1[0] != ids1[1]
    assert ids2[0] == ids1[1] and ids3[0] == ids1[0]


def test_a_full_name_without_its_suffix_joins_the_one_bearer(case: Case) -> None:
    mentions = [at("person", 0, "Carl Dunmore Jr."), at("person", 40, "Carl Dunmore")]
    [ids] = resolve(case, mentions)
    assert ids[0] == ids[1]
    both = [
        at("person", 0, "Carl Dunmore Sr."),
        at("person", 40, "Carl Dunmore Jr."),
        at("person", 80, "Carl Dunmore"),
    ]
    [ids] = resolve(case, both)
    assert len(set(ids)) == 3


def test_a_name_without_the_suffix_in_another_document_is_proposed_not_merged(
    case: Case,
) -> None:
    [ids1], [ids2] = (
        resolve(case, [at("person", 0, "Carl Dunmore Jr.")]),
        resolve(case, [at("person", 0, "Carl Dunmore")]),
    )
    assert ids1 != ids2
    assert ("Carl Dunmore", "Carl Dunmore Jr.") in {
        tuple(sorted(p)) for p in pending_proposals(case)
    }


# -- a state and its city of one name -------------------------------------------------------------


def test_the_bare_name_after_a_town_is_the_state_not_the_city(case: Case) -> None:
    ids = ids_by_value(
        case,
        "The mill closed in Ithaca, New York, in 1998.",
        "Rents in New York keep rising, and New York City landlords are pleased.",
    )
    assert "New York State" in ids
    assert ids["New York State"].isdisjoint(ids["New York"])


def test_a_document_that_names_the_state_uses_the_bare_name_for_it(case: Case) -> None:
    ids = ids_by_value(
        case,
        "Dairy farms in upstate New York lost money. New York lawmakers promised aid.",
        "Tourists fill New York each December.",
    )
    assert ids["New York State"].isdisjoint(ids["New York"])
    assert len(ids["New York State"]) == 1


def test_the_bare_name_in_a_list_of_cities_stays_the_city() -> None:
    found = find_entities(parse("Flights link Lyon, New York and Osaka every day."))
    assert [m.value for m in found if m.text == "New York"] == ["New York"]
