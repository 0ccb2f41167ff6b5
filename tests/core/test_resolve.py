"""Cross-document entity resolution: one entity per real-world thing, and look-alikes kept
apart. Mentions are built by hand (what the extractors would return) so these tests are about
the resolver alone; the last test runs the extractors too."""

from __future__ import annotations

import json
from typing import Any

import pytest

from casedesk.extract.entities import find_entities
from casedesk.extract.model import Mention
from casedesk.extract.nlp import parse
from casedesk.extract.resolve import EntityResolver, countries_compatible, normalise_key
from casedesk.store import Case
from textcases import resolve_mentions as resolve


def mention(kind: str, name: str, **attrs: Any) -> Mention:
    return Mention(kind=kind, start=0, end=len(name), text=name, value=name, attrs=attrs)


def entity_names(case: Case) -> dict[int, str]:
    return {int(i): str(n) for i, n in case.conn.execute("SELECT id, name FROM entities")}


def aliases(case: Case, ent_id: int) -> set[str]:
    rows = case.conn.execute("SELECT alias FROM aliases WHERE entity_id = ?", (ent_id,))
    return {str(r[0]) for r in rows}


def proposals(case: Case) -> set[tuple[str, str]]:
    rows = case.conn.execute(
        "SELECT a.name, b.name FROM merge_proposals p JOIN entities a ON a.id = p.entity_a "
        "JOIN entities b ON b.id = p.entity_b WHERE p.status = 'pending'"
    )
    return {tuple(sorted((str(a), str(b)))) for a, b in rows}  # type: ignore[misc]


# -- keys ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("person", "Moon Jae-in", "Moon Jae In"),
        ("person", "Yoon Suk-yeol", "yoon suk yeol"),
        ("person", "Park Geun-hye", "Park Geun Hye"),
        ("person", "President Emmanuel Macron", "Emmanuel Macron"),
        ("person", "Jūrō Satō", "Juro Sato"),
        ("organization", "Ministry of Economy, Trade and Industry",
         "Economy, Trade and Industry Ministry"),
        ("organization", "Samsung Electronics Co.", "Samsung Electronics"),
        ("organization", "Nordvik Energy ASA", "Nordvik Energy"),
        ("organization", "Amu Power Company", "Amu Power"),
        ("organization", "The World Bank", "World Bank"),
        ("place", "S. Korea", "South Korea"),
        ("place", "U.S.", "United States"),
        ("place", "TOKYO", "Tokyo"),
        ("material", "fluorinated polyimide", "fluorine polyimide"),
        ("material", "photoresists", "photoresist"),
        ("material", "high-purity hydrogen fluoride", "hydrogen fluoride"),
        ("material", "chlorinated polyethylene", "chlorine polyethylene"),
    ],
)  # fmt: skip
def test_spelling_variants_share_a_key(kind: str, a: str, b: str) -> None:
    assert normalise_key(kind, a) == normalise_key(kind, b)


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("person", "Kim Jong-un", "Kim Yo-jong"),
        ("person", "Lee Ho-hyun", "Lee Ko-hyun"),
        # two romanisation systems: a proposal at most, never one key
        ("person", "Lee Ho-hyeon", "Lee Ho-hyun"),
        ("person", "Kenji Ōta", "Kenji Ohta"),
        ("person", "Li Wei", "Lee Wei"),
        ("person", "John Smith", "Jon Smith"),
        ("place", "Ohta", "Ota"),
        ("organization", "Ministry of Trade, Industry and Energy",
         "Ministry of Economy, Trade and Industry"),
        ("organization", "Ministry of Industry, Trade and Industry",
         "Ministry of Trade and Industry"),
        ("place", "North Korea", "South Korea"),
        ("place", "Korea", "North Korea"),
        ("material", "hydrogen fluoride", "hydrogen chloride"),
        ("material", "sulfuric acid", "sulfurous acid"),
        ("material", "silicon", "silicone"),
    ],
)  # fmt: skip
def test_look_alikes_keep_different_keys(kind: str, a: str, b: str) -> None:
    assert normalise_key(kind, a) != normalise_key(kind, b)


@pytest.mark.parametrize(
    ("a", "b", "proposed"),
    [
        ("Lee Ho-hyeon", "Lee Ho-hyun", True),  # Korean, two systems
        ("Kenji Ōta", "Kenji Ohta", True),  # Japanese, macron or "h"
        ("Moon Jae-in", "Mun Jae-in", True),
        ("Li Wei", "Lee Wei", False),  # "Li Wei" is Pinyin, "Lee Wei" is no one system
        ("Lee Ho-hyun", "Lee Ko-hyun", False),  # another name
    ],
)
def test_romanisation_variants_are_proposed_never_merged(
    case: Case, a: str, b: str, proposed: bool
) -> None:
    (x,), (y,) = resolve(case, [mention("person", a)], [mention("person", b)])
    assert x != y
    assert (tuple(sorted((a, b))) in proposals(case)) is proposed


def test_romanisation_variants_in_one_document_stay_two_people(case: Case) -> None:
    [ids] = resolve(case, [mention("person", "Li Wei"), mention("person", "Lee Wei")])
    assert ids[0] != ids[1]
    assert not proposals(case)


def test_country_compatibility() -> None:
    assert countries_compatible(None, "Japan")
    assert countries_compatible("Korea", "South Korea")
    assert not countries_compatible("South Korea", "North Korea")
    assert not countries_compatible("Japan", "South Korea")


# -- resolution ---------------------------------------------------------------------------------


def test_spelling_variants_across_documents_are_one_entity(case: Case) -> None:
    (a,), (b,) = resolve(
        case, [mention("person", "Ban Ki-moon")], [mention("person", "Ban Ki Moon")]
    )
    assert a == b
    assert aliases(case, a) == {"Ban Ki-moon", "Ban Ki Moon"}  # type: ignore[arg-type]


def test_canonical_name_is_the_most_complete_then_most_frequent(case: Case) -> None:
    ids = resolve(
        case,
        [mention("person", "Olaf Scholz"), mention("person", "Scholz")],
        [mention("person", "Olaf Scholz"), mention("person", "OLAF SCHOLZ")],
    )
    assert len({i for doc in ids for i in doc}) == 1
    assert list(entity_names(case).values()) == ["Olaf Scholz"]


def test_bare_surname_joins_the_full_name_in_its_document(case: Case) -> None:
    [ids] = resolve(
        case,
        [mention("person", "Gina Raimondo"), mention("place", "Raimondo Park"),
         mention("person", "Raimondo")],
    )  # fmt: skip
    assert ids[0] == ids[2] != ids[1]


def test_shared_surname_is_proposed_not_merged(case: Case) -> None:
    [ids] = resolve(
        case,
        [mention("person", "Kim Jong-un"), mention("person", "Kim Yo-jong"),
         mention("person", "Kim")],
    )  # fmt: skip
    assert len(set(ids)) == 3
    assert proposals(case) == {("Kim", "Kim Jong-un"), ("Kim", "Kim Yo-jong")}


def test_bare_surname_in_another_document_is_proposed(case: Case) -> None:
    (abe1,), (full, abe2) = resolve(
        case,
        [mention("person", "Abe")],
        [mention("person", "Shinzo Abe"), mention("person", "Abe")],
    )
    assert full == abe2 != abe1
    assert proposals(case) == {("Abe", "Shinzo Abe")}


def test_acronym_joins_its_expansion_within_and_across_documents(case: Case) -> None:
    (meti, meti_acr, motie), (later,) = resolve(
        case,
        [
            mention("organization", "Ministry of Economy, Trade and Industry"),
            mention("organization", "METI",
                    acronym_of="Ministry of Economy, Trade and Industry"),
            mention("organization", "Ministry of Trade, Industry and Energy"),
        ],
        [mention("organization", "METI")],
    )  # fmt: skip
    assert meti == meti_acr == later != motie
    assert entity_names(case)[meti] == "Ministry of Economy, Trade and Industry"  # type: ignore[index]


def test_two_letter_acronym_is_never_merged_on_initials(case: Case) -> None:
    (sk,), (skh,) = resolve(
        case, [mention("organization", "Shell Korea")], [mention("organization", "SK")]
    )
    assert sk != skh
    assert proposals(case) == {("SK", "Shell Korea")}


def test_same_ministry_name_of_two_countries_stays_two(case: Case) -> None:
    (kr, jp), (plain,), (korean,) = resolve(
        case,
        [
            mention("organization", "Ministry of Foreign Affairs", country="South Korea"),
            mention("organization", "Ministry of Foreign Affairs", country="Japan"),
        ],
        [mention("organization", "Ministry of Foreign Affairs")],
        [mention("organization", "Foreign Affairs Ministry", country="Korea")],
    )
    assert kr != jp
    # without a country it could be either: a new entity, proposed against both
    assert plain not in (kr, jp)
    pairs = set(case.conn.execute("SELECT entity_a, entity_b FROM merge_proposals"))
    assert {(min(kr, plain), max(kr, plain)), (min(jp, plain), max(jp, plain))} <= pairs  # type: ignore[type-var]
    assert (min(kr, jp), max(kr, jp)) not in pairs  # type: ignore[type-var]
    # "Korean" fits South Korea's ministry and not Japan's
    assert korean == kr


def test_north_and_south_korea_and_look_alike_chemicals_stay_apart(case: Case) -> None:
    [ids] = resolve(
        case,
        [mention("place", "North Korea"), mention("place", "South Korea"),
         mention("place", "Korea"), mention("material", "hydrogen fluoride"),
         mention("material", "hydrogen chloride"), mention("place", "S. Korea")],
    )  # fmt: skip
    assert len(set(ids[:5])) == 5
    assert ids[5] == ids[1]


def test_quantities_get_no_entity(case: Case) -> None:
    q = Mention("quantity", 0, 10, "27 countries", "27 countries")
    [ids] = resolve(case, [q, mention("place", "Japan")])
    assert ids[0] is None and ids[1] is not None


def test_a_new_run_reads_the_case_and_reuses_its_entities(case: Case) -> None:
    [[first]] = resolve(case, [mention("material", "fluorinated polyimide")])
    [[again]] = resolve(case, [mention("material", "Fluorine polyimide")])
    assert first == again


def test_user_chosen_name_is_kept(case: Case) -> None:
    [[ent]] = resolve(case, [mention("person", "Lee Ho-hyun")])
    with case.transaction():
        case.conn.execute(
            "UPDATE entities SET name = 'Lee Ho-hyeon (MOTIE)', status = 'confirmed' WHERE id = ?",
            (ent,),
        )
    resolve(case, [mention("person", "Lee Ho-hyeon"), mention("person", "Lee Ho-hyeon")])
    assert entity_names(case)[ent] == "Lee Ho-hyeon (MOTIE)"  # type: ignore[index]


def test_country_is_stored_on_the_entity(case: Case) -> None:
    [[ent]] = resolve(case, [mention("organization", "Ministry of Commerce", country="China")])
    row = case.conn.execute("SELECT attrs FROM entities WHERE id = ?", (ent,)).fetchone()
    assert json.loads(row[0]) == {"country": "China"}


def test_extracted_articles_resolve_end_to_end(case: Case) -> None:
    first = (
        "China's Ministry of Commerce (MOFCOM) restricted exports of gallium nitride. "
        "President Yoon Suk-yeol met Commerce Secretary Gina Raimondo, and Raimondo said "
        "North Korea was discussed."
    )
    second = (
        "MOFCOM said on Friday that the gallium nitride rules stand. Yoon Suk Yeol "
        "visited South Korea's largest port."
    )
    m1, m2 = find_entities(parse(first)), find_entities(parse(second))
    ids1, ids2 = resolve(case, m1, m2)
    by_text: dict[str, set[int | None]] = {}
    for ms, ids in ((m1, ids1), (m2, ids2)):
        for m, i in zip(ms, ids, strict=True):
            by_text.setdefault(m.text, set()).add(i)
    assert by_text["MOFCOM"] == by_text["Ministry of Commerce"]
    assert len(by_text["gallium nitride"]) == 1
    assert by_text["Yoon Suk-yeol"] == by_text["Yoon Suk Yeol"]
    assert by_text["Raimondo"] == by_text["Gina Raimondo"]
    assert by_text["North Korea"] != by_text["South Korea"]


def test_entity_deleted_during_a_run_is_not_reused(case: Case) -> None:
    resolver = EntityResolver(case)
    with case.transaction():
        gone, _japan = resolver.resolve(
            1,
            [mention("organization", "Bureau of Industry and Security"), mention("place", "Japan")],
        )
        case.conn.execute("DELETE FROM entities WHERE id = ?", (gone,))
        [new] = resolver.resolve(2, [mention("organization", "BIS")])
        [again] = resolver.resolve(3, [mention("organization", "Bureau of Industry and Security")])
    assert new is not None and new != gone and again != gone
    assert again == new  # the acronym found its expansion anew
    assert entity_names(case)[new] == "Bureau of Industry and Security"


def test_shorter_place_name_is_proposed_against_longer_ones(case: Case) -> None:
    resolve(
        case,
        [mention("place", "South Sudan"), mention("place", "New York")],
        [mention("place", "Sudan"), mention("place", "York")],
    )
    assert proposals(case) == {("South Sudan", "Sudan"), ("New York", "York")}
    assert len(entity_names(case)) == 4


def test_a_short_place_name_is_proposed_for_each_longer_one_never_merged(case: Case) -> None:
    # no table of short forms: "Guinea" may be Guinea, Equatorial Guinea or Papua New Guinea
    (equatorial, papua), (guinea,) = resolve(
        case,
        [mention("place", "Equatorial Guinea"), mention("place", "Papua New Guinea")],
        [mention("place", "Guinea")],
    )
    assert guinea not in (equatorial, papua)
    assert proposals(case) == {("Equatorial Guinea", "Guinea"), ("Guinea", "Papua New Guinea")}


def test_shorter_company_name_is_proposed_not_merged(case: Case) -> None:
    (full,), (short, other) = resolve(
        case,
        [mention("organization", "Samsung Electronics Co.")],
        [mention("organization", "Samsung"), mention("organization", "Samsonite")],
    )
    assert len({full, short, other}) == 3
    assert proposals(case) == {("Samsung", "Samsung Electronics Co.")}


def test_name_in_the_other_order_is_proposed(case: Case) -> None:
    (a,), (b,) = resolve(case, [mention("person", "Shinzo Abe")], [mention("person", "Abe Shinzo")])
    assert a != b
    assert proposals(case) == {("Abe Shinzo", "Shinzo Abe")}


def test_short_company_name_joins_its_full_name_in_the_same_document(case: Case) -> None:
    [ids] = resolve(
        case,
        [mention("organization", "Infineon Technologies"), mention("organization", "Infineon"),
         mention("organization", "Hyundai Motor"), mention("organization", "Hyundai Steel"),
         mention("organization", "Hyundai")],
    )  # fmt: skip
    assert ids[0] == ids[1]
    assert len({ids[2], ids[3], ids[4]}) == 3  # two Hyundais: which one is not known


def test_a_name_known_in_english_as_another_is_one_entity(case: Case) -> None:
    text = (
        "Shin-Etsu Kagaku, known in English as Shin-Etsu Chemical, makes wafers in Gunma. "
        "Shin-Etsu Kagaku said demand was strong."
    )
    found = [m for m in find_entities(parse(text)) if m.kind == "organization"]
    assert [m.text for m in found] == ["Shin-Etsu Kagaku", "Shin-Etsu Chemical", "Shin-Etsu Kagaku"]
    (ids,) = resolve(case, found)
    assert len(set(ids)) == 1


def model_mention(kind: str, name: str, **attrs: Any) -> Mention:
    m = mention(kind, name, **attrs)
    m.provenance = "model:en_core_web_sm"
    return m


def test_a_name_typed_alone_takes_the_kind_the_case_knows(case: Case) -> None:
    first = [mention("organization", "Hanwa Jushi"), mention("place", "Osaka")]
    second = [
        model_mention("person", "Hanwa Jushi"),  # the model's reading, no cue in its article
        model_mention("person", "Osaka"),  # one word: not changed
        model_mention("place", "Kenji Mori", relabelled="context"),  # a cue in its article
    ]
    (company, _osaka), (again, osaka_person, mori) = resolve(case, first, second)
    assert again == company
    assert second[0].kind == "organization"
    assert second[1].kind == "person" and osaka_person != _osaka
    assert second[2].kind == "place" and mori is not None
    # a well-known place keeps its kind whatever an earlier article's model said
    (_org,), (_place,) = resolve(
        case, [mention("organization", "New York")], [model_mention("place", "New York")]
    )
    assert _place != _org


def test_a_name_with_and_without_middle_names_is_one_person(case: Case) -> None:
    (full, short, initial, titled), (other_doc,), (conflicting,) = resolve(
        case,
        [
            mention("person", "Harriet Jane Okafor"),
            mention("person", "Harriet Okafor"),
            mention("person", "Harriet J. Okafor"),
            mention("person", "Harriet Okafor FRS"),
        ],
        [mention("person", "Harriet Okafor")],
        [mention("person", "Harriet T. Okafor")],
    )
    assert full == short == initial == titled == other_doc
    assert conflicting != full  # another middle initial: another person


def test_a_surname_shared_by_relatives_is_the_person_named_first(case: Case) -> None:
    mentions = [
        Mention("person", 0, 14, "Tomas Ferreira", "Tomas Ferreira"),
        Mention("person", 40, 54, "Lucia Ferreira", "Lucia Ferreira"),
        Mention("person", 80, 88, "Ferreira", "Ferreira"),
    ]
    tomas, lucia, bare = resolve(case, mentions)[0]
    assert bare == tomas != lucia
    # a family name written first may be any of them: kept apart
    korean = [
        Mention("person", 0, 11, "Park Min-ji", "Park Min-ji"),
        Mention("person", 20, 33, "Park Seo-yeon", "Park Seo-yeon"),
        Mention("person", 40, 44, "Park", "Park"),
    ]
    first, second, park = resolve(case, korean)[0]
    assert park not in (first, second)


# -- identity across the case: variants of one name, and the companies they must not join ------


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("person", "Ada M. Brenner", "Ada Brenner"),  # a middle initial
        ("person", "Ada Maria Brenner", "Ada M. Brenner"),
        ("organization", "Norvik Group", "Norvik"),  # "Group": the company as a whole
        ("organization", "Norvik Holdings", "Norvik Group"),
        ("organization", "Norvik Holdings Ltd.", "Norvik"),
        ("organization", "The Halden Trust", "Halden Trust"),  # a leading "The"
        ("organization", "Pellmark Inc.", "Pellmark Corporation"),  # two legal suffixes
    ],
)  # fmt: skip
def test_name_variants_in_two_documents_are_one_entity(
    case: Case, kind: str, a: str, b: str
) -> None:
    (x,), (y,) = resolve(case, [mention(kind, a)], [mention(kind, b)])
    assert x == y


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Norvik Holdings", "Norvik Bank"),  # a parent and its bank
        ("Norvik Group", "Norvik Securities"),
        ("Norvik Bank", "Norvik Insurance"),  # two subsidiaries
        ("Norvik Chemical Co.", "Norvik Chemical America"),
    ],
)
def test_parent_and_subsidiary_stay_apart(case: Case, a: str, b: str) -> None:
    (x,), (y,) = resolve(case, [mention("organization", a)], [mention("organization", b)])
    assert x != y
    [[z]] = resolve(case, [mention("organization", b)])
    assert z == y


def test_parent_and_subsidiary_in_one_document_stay_apart(case: Case) -> None:
    [ids] = resolve(
        case,
        [mention("organization", "Norvik Holdings"), mention("organization", "Norvik Bank"),
         mention("organization", "Norvik")],
    )  # fmt: skip
    assert len(set(ids)) == 2
    assert ids[2] == ids[0]  # the brand alone is the parent company


@pytest.mark.parametrize("order", ["acronym first", "expansion first"])
def test_acronym_and_expansion_in_different_documents_are_one_entity(
    case: Case, order: str
) -> None:
    full = [mention("organization", "Halden Maritime Safety Authority")]
    short = [mention("organization", "HMSA")]
    docs = (short, full) if order == "acronym first" else (full, short)
    (x,), (y,) = resolve(case, *docs)
    assert x == y
