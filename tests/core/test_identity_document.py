"""Identity inside one document: every spelling a writer uses for one person, organisation or
place is one entity (a kind read differently in one sentence, a surname, a short form), and
look-alikes stay apart. Mentions are built by hand (what the extractors would return), so
these tests are about the resolver alone."""

from __future__ import annotations

from typing import Any

import pytest

from casedesk.extract.entities import find_entities
from casedesk.extract.model import Mention
from casedesk.extract.nlp import parse
from casedesk.extract.resolve import normalise_key
from casedesk.store import Case
from textcases import resolve_mentions as resolve


def at(kind: str, start: int, name: str, provenance: str = "model:test", **attrs: Any) -> Mention:
    return Mention(kind, start, start + len(name), name, name, provenance=provenance, attrs=attrs)


# -- one kind per name in one document -----------------------------------------------------------


def test_a_name_read_as_two_kinds_in_one_document_is_one_entity_of_the_likelier_kind(
    case: Case,
) -> None:
    # The model read the pitcher as a company in two sentences of five.
    mentions = [
        at("person", 0, "Orrin Vale"),
        at("person", 30, "Vale", provenance="rules:same-name"),
        at("organization", 60, "Vale"),
        at("person", 90, "Vale", provenance="rules:same-name"),
        at("organization", 120, "Vale", cue="organization"),
        at("person", 150, "Vale", provenance="rules:same-name"),
    ]
    [ids] = resolve(case, mentions)
    assert len(set(ids)) == 1
    assert {m.kind for m in mentions} == {"person"}
    assert mentions[2].attrs["kind_pass"] == "document"


def test_the_users_kind_for_one_mention_is_kept(case: Case) -> None:
    mentions = [
        at("place", 0, "Brenholt"),
        at("place", 30, "Brenholt"),
        at("organization", 60, "Brenholt", relabelled="user"),
    ]
    resolve(case, mentions)
    assert [m.kind for m in mentions] == ["organization", "organization", "organization"]


def test_an_even_split_of_evidence_changes_nothing(case: Case) -> None:
    mentions = [at("person", 0, "Jordan"), at("place", 30, "Jordan")]
    [ids] = resolve(case, mentions)
    assert [m.kind for m in mentions] == ["person", "place"]
    assert ids[0] != ids[1]


# -- a bare surname or given name ----------------------------------------------------------------


def test_a_bare_name_that_is_one_persons_surname_and_anothers_given_name_is_the_surname(
    case: Case,
) -> None:
    # "Quell" ends one full name and starts another: a news or biography text refers back
    # to people by surname.
    mentions = [
        at("person", 0, "Quell"),  # in the headline, before the full name
        at("person", 20, "Marta Quell"),
        at("person", 60, "Quell Hargrove"),
        at("person", 90, "Quell"),
    ]
    [ids] = resolve(case, mentions)
    assert ids[0] == ids[1] == ids[3] != ids[2]


def test_a_family_name_written_first_keeps_a_bare_name_ambiguous(case: Case) -> None:
    # "Kim" starts a Korean name (the family name first) and ends another: either may be meant
    mentions = [
        at("person", 0, "Kim Jong-un"),
        at("person", 20, "Mary Kim"),
        at("person", 60, "Kim"),
    ]
    [ids] = resolve(case, mentions)
    assert ids[2] not in (ids[0], ids[1])


# -- an organisation's short form ----------------------------------------------------------------


def test_the_last_word_of_one_organisations_name_alone_is_that_organisation(case: Case) -> None:
    mentions = [
        at("organization", 0, "Church of Velmarism"),
        at("organization", 40, "Velmarism"),
        at("organization", 80, "University of Ostrel, Dunmere"),
        at("organization", 120, "Dunmere"),
    ]
    [ids] = resolve(case, mentions)
    assert ids[0] == ids[1] != ids[2] == ids[3]


def test_a_last_word_shared_by_two_organisations_or_a_country_joins_neither(case: Case) -> None:
    mentions = [
        at("organization", 0, "Port Authority of Dunmere"),
        at("organization", 40, "College of Dunmere"),
        at("organization", 80, "Dunmere"),
        at("organization", 120, "Government of India"),
        at("organization", 160, "India"),  # the country acting, not its government
        at("organization", 200, "Supreme Court"),
        at("organization", 240, "Court"),  # an institution's head: "the Court" is a rule's
    ]
    [ids] = resolve(case, mentions)
    assert len(set(ids)) == 7


def test_a_bare_head_word_in_another_document_is_not_the_organisation_it_shortened(
    case: Case,
) -> None:
    # "the Church" meant the Church of Velmarism in one article; in another, whatever church
    # that article is about
    (full, short), (other,) = resolve(
        case,
        [at("organization", 0, "Church of Velmarism"), at("organization", 40, "Church")],
        [at("organization", 0, "Church")],
    )
    assert full == short != other


# -- place names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("St. Ilmar", "St Ilmar"),  # an abbreviation's full stop
        ("Carrow, Ont.", "Carrow Ont"),  # the comma before a region
        ("Washington, D.C.", "Washington DC"),
        ("D.C.", "Washington, D.C."),  # the District's usual short form
        ("the States", "United States"),
    ],
)
def test_spellings_of_one_place_share_a_key(a: str, b: str) -> None:
    assert normalise_key("place", a) == normalise_key("place", b)


@pytest.mark.parametrize(
    ("a", "b"), [("Washington", "Washington, D.C."), ("Carrow", "Carrow, Ont.")]
)
def test_a_place_and_a_longer_name_keep_their_keys(a: str, b: str) -> None:
    assert normalise_key("place", a) != normalise_key("place", b)


def test_an_entity_keyed_by_an_older_spelling_rule_is_found(case: Case) -> None:
    with case.transaction():
        old = case.conn.execute(
            "INSERT INTO entities(kind, name, key) VALUES ('place', 'St. Ilmar', 'st. ilmar')"
        ).lastrowid
    [[new]] = resolve(case, [at("place", 0, "St Ilmar")])
    assert new == old


# -- a road's number -------------------------------------------------------------------------


def test_a_us_highway_is_a_road_of_its_own_never_the_country(case: Case) -> None:
    text = (
        "Take US-71 north from Farrowby, or US 64 east to Delmont. The U.S. 412 bypass is "
        "closed. The US has many such roads, and the US 1,000-mile survey counted them."
    )
    found = [(m.kind, m.text) for m in find_entities(parse(text)) if m.text.startswith("U")]
    assert found == [
        ("place", "US-71"),
        ("place", "US 64"),
        ("place", "U.S. 412"),
        ("place", "US"),
        ("place", "US"),
    ]


# -- acronyms written with full stops ------------------------------------------------------------


def test_an_acronym_written_with_full_stops_joins_its_expansion(case: Case) -> None:
    (full, dotted), (plain,), (later,) = resolve(
        case,
        [at("organization", 0, "Council of Maritime Nations"),
         at("organization", 40, "C.M.N.")],
        [at("organization", 0, "CMN")],
        [at("organization", 0, "C.M.N.")],
    )  # fmt: skip
    assert full == dotted == plain == later


def test_an_organisations_key_ignores_full_stops() -> None:
    assert normalise_key("organization", "C.M.N.") == normalise_key("organization", "CMN")
    assert normalise_key("organization", "St. Orla Hospital") == normalise_key(
        "organization", "St Orla Hospital"
    )


# -- a given name's usual short form -------------------------------------------------------------


def test_a_given_names_short_form_with_the_same_surname_is_one_person_in_a_document(
    case: Case,
) -> None:
    mentions = [
        at("person", 0, "William J. Tarrant"),
        at("person", 30, "Bill Tarrant"),
        at("person", 60, "Tarrant"),
        at("person", 90, "Bill Osgood"),  # another surname: another man
    ]
    [ids] = resolve(case, mentions)
    assert ids[0] == ids[1] == ids[2] != ids[3]


def test_short_forms_are_not_chained_into_other_names(case: Case) -> None:
    # "Bill" is a short form of William and of Robert; William and Robert are two men
    [ids] = resolve(case, [at("person", 0, "William Tarrant"), at("person", 30, "Robert Tarrant")])
    assert ids[0] != ids[1]
    # and a short form that fits two full names of the document joins neither
    [ids] = resolve(
        case,
        [at("person", 0, "William Tarrant"), at("person", 30, "Robert Tarrant"),
         at("person", 60, "Bill Tarrant")],
    )  # fmt: skip
    assert len(set(ids)) == 3


def test_a_given_names_short_form_in_another_document_is_proposed_not_merged(
    case: Case,
) -> None:
    (long,), (short,) = resolve(
        case, [at("person", 0, "Lawrence Quinlan")], [at("person", 0, "Larry Quinlan")]
    )
    assert long != short
    pending = case.conn.execute(
        "SELECT entity_a, entity_b, reason FROM merge_proposals WHERE status = 'pending'"
    ).fetchall()
    assert [(a, b) for a, b, _r in pending] == [tuple(sorted((long, short)))]
    assert "short form" in pending[0][2]


# -- a name written in both orders -----------------------------------------------------------------


def test_a_romanised_name_written_in_both_orders_in_one_document_is_one_person(
    case: Case,
) -> None:
    [ids] = resolve(
        case,
        [at("person", 0, "Sato Kenji"), at("person", 30, "Kenji Sato"),
         at("person", 60, "Sato")],
    )  # fmt: skip
    assert ids[0] == ids[1] == ids[2]
    # a name of no one romanisation system may be two people ("Ross Stuart", "Stuart Ross")
    [ids] = resolve(case, [at("person", 0, "Ross Stuart"), at("person", 30, "Stuart Ross")])
    assert ids[0] != ids[1]
