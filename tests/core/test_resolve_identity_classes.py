"""Names that look like another's but name a different thing: a part of a place is not the
place, a numbered ruler is not another of the same name. Texts are written for these tests."""

from __future__ import annotations

import pytest

from casedesk.extract.entities import find_entities
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
