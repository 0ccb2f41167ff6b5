"""Entity kinds and boundaries from context and from the rest of the document, on articles
written for these tests: a company the model reads as a person or a place, a surname used
alone after the full name, an abbreviation reused alone, a name cut short by the model, and
places the model reads as people. Look-alikes must stay apart."""

from __future__ import annotations

from spacy.language import Language

from casedesk.extract.entities import find_entities
from casedesk.extract.model import Mention
from casedesk.extract.nlp import parse
from casedesk.extract.resolve import EntityResolver
from casedesk.store import Case

COMPANY = """Court blocks Hanwa Jushi takeover

OSAKA -- Hanwa Jushi, the Osaka-based maker of packaging films, said on Monday it would \
appeal. Hanwa Jushi President Kenji Morimoto said the ruling was unfair. Morimoto added that \
the company would keep its 900 staff. Shares of Hanwa Jushi fell 3 percent, and analysts said \
Hanwa could look for another buyer. Baekdu Chemical will buy the plant. Workers said Baekdu \
had offered more. Baekdu, which is based in Gumi, also runs a plant in Yeosu. Tokyo Electron \
shares rose in Tokyo.
"""

FLOODS = """LUCKNOW, Aug. 2 (Ganga Newswire) - Floods hit villages in Sitapur and Bahraich \
districts on Monday, and relief reached the capital Lucknow. Schools in the districts \
bordering Nepal were shut. Transport minister Lena Marquart said the Driver and Vehicle \
Licensing Agency (Dvla) would reopen. Marquart said roads were safe. A ministry spokesperson, \
He Jun, said the Samajwadi Janata Front (SJF) had asked for help. SJF leader Ravi Kumar said \
the SJF-led alliance would protest. Its chief executive, Anders Kovac, said the Vienna \
Institute for International Economic Studies agreed, as did the European Steel Producers' \
Association. The Bihar State Disaster Management Authority said rain would continue in Bihar.
"""

STRIKE = """Dockers walk out at Harwich

Members rejected a pay offer from Harwich Dock and Harbour Transport Company (HDHTC) last \
week. The union's negotiator, Aileen Brody, said talks at the Vienna Institute had failed. \
Brody told reporters that HDHTC had "walked away". Ministry spokesperson He Lan told a briefing \
that the Centre for Port Studies agreed; "We will wait," He said.
"""


def _found(text: str) -> list[Mention]:
    return find_entities(parse(text))


def _kinds(found: list[Mention], name: str) -> list[str]:
    return [m.kind for m in found if m.text == name]


def _spans(found: list[Mention], kind: str) -> list[str]:
    return [m.text for m in found if m.kind == kind]


def test_a_company_is_one_company_in_every_sentence(nlp: Language) -> None:
    found = _found(COMPANY)
    # the model reads "Hanwa Jushi" as a person three times out of four; its context ("the
    # Osaka-based maker of", "Hanwa Jushi President ...", "Shares of") says company
    assert _kinds(found, "Hanwa Jushi") == ["organization"] * 4
    assert _kinds(found, "Hanwa") == ["organization"]
    assert _kinds(found, "Kenji Morimoto") == ["person"]


def test_the_brand_alone_names_the_company_but_a_known_place_stays_a_place(
    nlp: Language,
) -> None:
    found = _found(COMPANY)
    assert _kinds(found, "Baekdu") == ["organization", "organization"]
    assert _kinds(found, "Baekdu Chemical") == ["organization"]
    assert _kinds(found, "Gumi") == ["place"]  # "based in Gumi"
    assert _kinds(found, "Tokyo Electron") == ["organization"]
    assert _kinds(found, "Tokyo") == ["place"]


def test_a_place_at_the_start_of_a_public_body_stays_a_place(nlp: Language) -> None:
    found = _found(FLOODS)
    assert "Bihar State Disaster Management Authority" in _spans(found, "organization")
    assert _kinds(found, "Bihar") == ["place"]


def test_a_surname_alone_after_the_full_name_is_that_person(nlp: Language) -> None:
    found = _found(COMPANY)
    assert _kinds(found, "Morimoto") == ["person"]
    found = _found(STRIKE)
    assert _kinds(found, "Aileen Brody") == ["person"]
    assert _kinds(found, "Brody") == ["person"]


def test_a_name_after_a_spokesperson_title_even_one_that_looks_like_a_pronoun(
    nlp: Language,
) -> None:
    found = _found(FLOODS)
    assert _kinds(found, "He Jun") == ["person"]
    found = _found(STRIKE)
    assert _kinds(found, "He Lan") == ["person"]
    # the pronoun is not taken for the surname; after a quotation closed by a comma, where a
    # pronoun would be written in lower case, the capitalised word is the surname
    text = (
        'Ministry spokesperson He Lan told a briefing that talks were over. "We will wait," He '
        'said. He added that a deal was possible. "It is done." He left.'
    )
    found = _found(text)
    assert [m.text for m in found if m.kind == "person"] == ["He Lan", "He"]
    assert found[1].start == text.index('," He') + 3


def _with_label(text: str, name: str, label: str) -> list[Mention]:
    """The document as if the model had given ``name`` the label ``label``."""
    doc = parse(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name), label=label)
    assert span is not None
    doc.ents = [e for e in doc.ents if e.end <= span.start or e.start >= span.end] + [span]
    return find_entities(doc)


def test_a_name_in_apposition_after_a_role_is_a_person(nlp: Language) -> None:
    assert _kinds(_found(FLOODS), "Anders Kovac") == ["person"]
    text = "Its chief executive, Gerrit Drees, said on Monday that talks had failed."
    assert _kinds(_with_label(text, "Gerrit Drees", "ORG"), "Gerrit Drees") == ["person"]
    # a company after a role word is still a company ("analyst Nomura Securities")
    text = "Its adviser, Nomura Securities, said on Monday that talks had failed."
    found = _with_label(text, "Nomura Securities", "ORG")
    assert _kinds(found, "Nomura Securities") == ["organization"]


def test_an_abbreviation_reused_alone_keeps_its_kind(nlp: Language) -> None:
    found = _found(FLOODS)
    assert _kinds(found, "Samajwadi Janata Front") == ["organization"]
    # "(SJF)", "SJF leader", "the SJF-led alliance"
    assert _kinds(found, "SJF") == ["organization"] * 3
    text = (
        "The Ministry of Ports and Shipping (MOPAS) said on Friday it would act. MOPAS "
        "spokesperson Lin Hua told reporters the rules were final."
    )
    found = _found(text)
    assert _kinds(found, "MOPAS") == ["organization"] * 2  # the model misses the second
    assert _kinds(found, "Lin Hua") == ["person"]


def test_an_abbreviation_says_where_a_name_cut_short_starts(nlp: Language) -> None:
    found = _found(STRIKE)
    orgs = _spans(found, "organization")
    assert "Harwich Dock and Harbour Transport Company" in orgs
    assert orgs.count("HDHTC") == 2
    found = _found(FLOODS)
    # a title-case abbreviation spelling the name's initials ("Dvla")
    assert "Driver and Vehicle Licensing Agency" in _spans(found, "organization")
    assert _kinds(found, "Dvla") == ["organization"]
    assert not any(m.text == "Driver" for m in found)


def test_an_organisation_name_keeps_its_of_for_tail_and_possessive(nlp: Language) -> None:
    orgs = _spans(_found(FLOODS), "organization")
    assert "Vienna Institute for International Economic Studies" in orgs
    assert "European Steel Producers' Association" in orgs
    # but a date after the head is not part of the name
    orgs = _spans(_found("The Commission on Tuesday fined Intel."), "organization")
    assert "Commission on Tuesday" not in orgs


def test_places_from_place_nouns_and_well_known_countries(nlp: Language) -> None:
    found = _found(FLOODS)
    places = _spans(found, "place")
    # "Sitapur and Bahraich districts", "the capital Lucknow", "bordering Nepal"
    assert {"Sitapur", "Bahraich", "Lucknow", "Nepal"} <= set(places)
    assert not {"Sitapur", "Bahraich", "Nepal"} & set(_spans(found, "person"))


def test_the_news_service_in_a_dateline_is_an_organisation(nlp: Language) -> None:
    found = _found(FLOODS)
    assert _kinds(found, "Ganga Newswire") == ["organization"]
    assert _kinds(found, "LUCKNOW") == ["place"]


def test_short_company_names_and_surnames_join_their_full_names(nlp: Language, case: Case) -> None:
    found = [m for m in _found(COMPANY) if m.kind != "material"]
    with case.transaction():
        ids = EntityResolver(case).resolve(1, found)
    by_text: dict[str, set[int | None]] = {}
    for m, e in zip(found, ids, strict=True):
        by_text.setdefault(m.text, set()).add(e)
    assert by_text["Baekdu"] == by_text["Baekdu Chemical"]
    assert by_text["Hanwa"] == by_text["Hanwa Jushi"]
    assert by_text["Morimoto"] == by_text["Kenji Morimoto"]
    assert by_text["Tokyo"] != by_text["Tokyo Electron"]
    assert len(by_text["Hanwa Jushi"]) == 1


def test_a_name_in_a_list_of_places_is_a_place(nlp: Language) -> None:
    text = (
        "By-elections will be held in four states, including Goa, Sikkim, Manipur and "
        "Tripura, next month. Talks between Japan and China stalled, Kishida said."
    )
    found = _found(text)
    # the model reads "Goa" as a person; in a list of places it is one
    assert {"Goa", "Sikkim", "Manipur", "Tripura"} <= set(_spans(found, "place"))
    # a name after the list, in the next clause, is left alone
    assert _kinds(found, "Kishida") == ["person"]


def test_a_port_keeps_port_of_in_its_name(nlp: Language) -> None:
    found = _found("Dockers at the Port of Hull, operated by Humber Docks, will vote.")
    assert _kinds(found, "Port of Hull") == ["place"]
    assert _kinds(found, "Humber Docks") == ["organization"]


def test_a_capitalised_common_word_is_no_person(nlp: Language) -> None:
    text = (
        '"No family will go hungry. Rice, flour and drinking water are reaching the camps," '
        "she said. Shinzo Abe met reporters. Abe and his aides left."
    )
    found = _found(text)
    assert "Rice" not in [m.text for m in found]
    assert _kinds(found, "Abe") == ["person"]  # a surname opening a sentence stays


def test_a_surname_after_in_is_still_the_person(nlp: Language) -> None:
    text = (
        "Police named the suspect as Ansel Brockway, 41. Detectives said interest in "
        "Brockway had grown after a tip."
    )
    found = _found(text)
    assert _kinds(found, "Brockway") == ["person"]


def test_a_union_of_states_stays_a_place(nlp: Language) -> None:
    found = _found("The Soviet Union collapsed in 1991.")
    assert _kinds(found, "Soviet Union") == ["place"]


def test_a_country_starting_a_company_name_stays_a_country(nlp: Language) -> None:
    found = _found("Shares of U.S. Steel rose as U.S. officials met in Washington.")
    assert _kinds(found, "U.S. Steel") == ["organization"]
    assert _kinds(found, "U.S.") == ["place"]


def test_a_railway_after_the_is_an_organisation(nlp: Language) -> None:
    found = _found("Analysts said the Northern Plains Railway cancelled 20 trains.")
    assert _kinds(found, "Northern Plains Railway") == ["organization"]


def test_a_known_place_is_not_a_surname_of_a_misread_name(nlp: Language) -> None:
    text = "The Miami Ortiz family spoke on Monday. Police in Miami said the boy was safe."
    found = _with_label(text, "Miami Ortiz", "PERSON")
    assert [m.kind for m in found if m.text == "Miami"] == ["place"]


def test_a_chemical_modifier_read_as_a_verb_in_a_list_stays_in_the_material(
    nlp: Language,
) -> None:
    text = "Beijing curbed shipments of gallium arsenide, fluorinated polyimide and photoresist."
    materials = _spans(_found(text), "material")
    assert materials == ["gallium arsenide", "fluorinated polyimide", "photoresist"]
    # with a subject before it, the word is the verb
    text = "Regulators said the company fluorinated polyimide films at the plant."
    assert "fluorinated polyimide films" not in _spans(_found(text), "material")


def test_a_royal_title_or_honorific_is_not_part_of_the_name(nlp: Language) -> None:
    text = (
        "Jordan's King Hussein met Prince Norodom Ranariddh in Amman. General Motors and "
        "General Electric were not invited."
    )
    found = _found(text)
    assert {"Hussein", "Norodom Ranariddh"} <= set(_spans(found, "person"))
    assert {"General Motors", "General Electric"} <= set(_spans(found, "organization"))


def test_a_city_starting_a_company_name_stays_a_city_where_it_is_a_place(
    nlp: Language,
) -> None:
    text = (
        "Phoenix Technologies Ltd. said profit rose. Separately, Sun Country Airlines, "
        "Phoenix, Ariz., reported a loss."
    )
    found = _found(text)
    assert _kinds(found, "Phoenix") == ["place"]
    assert _kinds(found, "Phoenix Technologies Ltd.") == ["organization"]
    found = _found("Police in Buffalo said Buffalo Savings Bank was robbed on Monday.")
    assert _kinds(found, "Buffalo") == ["place"]


def test_company_names_with_an_apostrophe_or_a_legal_suffix(nlp: Language) -> None:
    text = (
        "The offer for Dunkin' Donuts Inc. was extended; Dunkin' has set Nov. 10 as the "
        "deadline and Dunkin's board agreed. John Labatt Ltd. said it plans a placement. "
        "Vanguard Group Inc. and T. Rowe Price Associates Inc. cut fees."
    )
    found = _found(text)
    orgs = _spans(found, "organization")
    assert "Dunkin' Donuts Inc." in orgs
    assert _kinds(found, "Dunkin") == ["organization", "organization"]
    assert "John Labatt Ltd." in orgs  # the model reads a person
    assert {"Vanguard Group Inc.", "T. Rowe Price Associates Inc."} <= set(orgs)
    assert not _spans(found, "person")


COAL = """Kenyan court halts Lamu coal plant

NAIROBI, Kenya (East Africa Ledger) -- A court on Monday cancelled the licence of Amu Power \
Company, which planned a coal plant near the coastal town of Lamu. Save Lamu, a coalition of \
local groups, welcomed the ruling. Amu Power said it would appeal. Vestas and Siemens Gamesa, \
the two largest turbine makers, did not comment. Steven Goldstein, the campaign spokesman, \
was less reticent. Dan Burton, the committee's chairman, said nothing.
"""


def test_appositions_name_the_kind_by_their_head_noun(nlp: Language) -> None:
    found = _found(COAL)
    assert _kinds(found, "Save Lamu") == ["organization"]  # "a coalition of local groups"
    assert _kinds(found, "Siemens Gamesa") == ["organization"]  # "the two largest ... makers"
    # the head is the role, not the word before it
    assert _kinds(found, "Steven Goldstein") == ["person"]
    assert _kinds(found, "Dan Burton") == ["person"]


def test_a_town_named_inside_an_organisation_is_still_a_place(nlp: Language) -> None:
    # "the coastal town of Lamu"; the model's person "Save Lamu" is a coalition
    assert _kinds(_found(COAL), "Lamu") == ["place", "place"]


def test_a_company_without_its_legal_form_is_the_company(nlp: Language, case: Case) -> None:
    found = [m for m in _found(COAL) if m.kind == "organization"]
    assert [m.text for m in found if "Amu" in m.text] == ["Amu Power Company", "Amu Power"]
    with case.transaction():
        ids = EntityResolver(case).resolve(1, found)
    by_text = {m.text: e for m, e in zip(found, ids, strict=True)}
    assert by_text["Amu Power"] == by_text["Amu Power Company"]


def test_a_headline_descriptor_is_not_part_of_the_company_name(nlp: Language) -> None:
    text = (
        "Chipmaker Veltra to build $4 billion plant in Arizona\n\n"
        "SAN FRANCISCO (Bayline News) - Veltra Semiconductor Inc. said on Thursday it would "
        "build a plant near Chandler, Arizona. Ms. Tsai Ming-hui, Veltra's chief executive, "
        "said construction would start in March."
    )
    found = _found(text)
    assert _kinds(found, "Veltra") == ["organization", "organization"]
    assert "Chipmaker Veltra" not in [m.text for m in found]
    # a dateline with a news service and no date
    assert _kinds(found, "SAN FRANCISCO") == ["place"]
    assert _kinds(found, "Bayline News") == ["organization"]
    assert _kinds(found, "Tsai Ming-hui") == ["person"]


def test_what_the_text_says_a_name_is_gives_its_kind(nlp: Language) -> None:
    text = (
        "Velmora is a small town on the northern coast. Tarrant Okoye (born 3 May 1961) "
        "opened a bakery there. Okoye is a retired teacher, and Brask, a local carpenter, "
        "built the counter."
    )
    kinds = {m.text: m.kind for m in find_entities(parse(text))}
    assert kinds.get("Velmora") == "place"
    assert kinds.get("Tarrant Okoye") == "person"
    assert kinds.get("Brask") == "person"


def test_a_biographys_first_line_names_the_person_and_their_short_names(nlp: Language) -> None:
    text = (
        "Orrin Vale\n\nOrrin Tobias Vale (born 2 March 1979) is a stage designer. "
        "Vale grew up near the harbour, and Orrin Vale still lives there."
    )
    found = find_entities(parse(text))
    kinds = {(m.text, m.kind) for m in found}
    assert ("Orrin Tobias Vale", "person") in kinds
    assert all(m.kind == "person" for m in found if m.text in ("Vale", "Orrin Vale"))


def test_names_of_events_and_prizes_are_no_entities(nlp: Language) -> None:
    text = (
        "Tickets for the Harrowgate Summer Games sold out. Dora Pike won the Velden Prize "
        "in 2019, and the Oslo 2031 Olympics were discussed."
    )
    found = {m.text: m.kind for m in find_entities(parse(text))}
    assert not any(t.endswith(("Games", "Prize", "Olympics")) for t in found)
    assert found.get("Oslo") == "place"
    assert found.get("Dora Pike") == "person"


def test_possessive_company_words_honorifics_and_who_give_the_kind(nlp: Language) -> None:
    found = find_entities(
        parse(
            "Tarrow Pell's chief executive resigned on Monday, and Tarrow Pell's shareholders "
            "approved the sale. Mr. Edvin Sarro, who led the talks, said the price was fair."
        )
    )
    assert set(_kinds(found, "Tarrow Pell")) == {"organization"}
    assert set(_kinds(found, "Edvin Sarro")) == {"person"}
