"""Entity and quantity extraction on short articles written for these tests (not the sample):
other people, ministries, materials and countries, so the rules are shown to be general."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from casedesk.extract.entities import acronym_matches, find_entities
from casedesk.extract.model import Mention
from casedesk.extract.nlp import parse
from casedesk.extract.quantities import find_quantities, parse_number

ENERGY = """Berlin and Paris agree on battery materials plan

BERLIN -- German Chancellor Olaf Scholz and French President Emmanuel Macron agreed on \
Tuesday to pool support for battery plants, a government spokesperson said.

The Federal Ministry for Economic Affairs and Climate Action (BMWK) will fund 12 projects \
worth about 3 billion euros over four years, the ministry said. Scholz said Europe imports \
more than 80 percent of its lithium carbonate and most of its cobalt sulfate from outside the \
European Union.

The three companies will also buy ultra-pure silicon wafers and graphite from suppliers in \
Norway and Canada.

Macron told reporters in Paris that the plan "protects 40,000 jobs". The French Ministry for \
the Economy and Finance will publish the list next month.
"""

CHIPS = """US widens curbs on chip materials

WASHINGTON -- The U.S. Commerce Department's Bureau of Industry and Security (BIS) on Friday \
added 36 Chinese firms to its trade blacklist, Commerce Secretary Gina Raimondo said.

China's Ministry of Commerce (MOFCOM) said it "firmly opposes" the move and would restrict \
exports of gallium nitride and germanium, two metals used in chipmaking. Raimondo said the \
rules target "a small yard with a high fence".

Shipments of hydrogen chloride and sulfuric acid are not affected. Taiwan Semiconductor \
Manufacturing Co. said it was studying the rules; TSMC supplies more than 90 percent of the \
most advanced chips.
"""

KOREA = """North Korea fires missiles as Seoul and Tokyo talk

SEOUL -- North Korean leader Kim Jong-un oversaw the launch of two missiles on Sunday, while \
his sister Kim Yo-jong warned Seoul against "reckless" drills, the Korean Central News Agency \
(KCNA) said.

South Korea's Ministry of Foreign Affairs said Foreign Minister Park Jin spoke by phone with \
Japan's Ministry of Foreign Affairs officials. Park said the three countries would respond \
together with the United States.

Kim said the drills were a rehearsal for war. Former UN Secretary-General Ban Ki-moon urged \
calm; Ban Ki Moon has led the Global Green Growth Institute since 2019.

About 28,500 US troops are stationed in South Korea.
"""


def _found(text: str) -> list[Mention]:
    return find_entities(parse(text))


def _names(mentions: list[Mention], kind: str) -> list[str]:
    return [m.text for m in mentions if m.kind == kind]


def test_people_places_and_organisations_of_an_unseen_article(nlp: Language) -> None:
    found = _found(ENERGY)
    assert {"Olaf Scholz", "Emmanuel Macron"} <= set(_names(found, "person"))
    assert {"Berlin", "Paris", "Norway", "Canada"} <= set(_names(found, "place"))
    orgs = _names(found, "organization")
    # the model splits this name at "and"; the extractor joins it again
    assert "Federal Ministry for Economic Affairs and Climate Action" in orgs
    assert "European Union" in orgs
    # a dateline in capitals is shown as the place's name
    assert any(m.value == "Berlin" and m.text == "BERLIN" for m in found)


def test_nationality_adjectives_are_not_entities(nlp: Language) -> None:
    texts = [m.text for m in _found(ENERGY) + _found(KOREA)]
    for demonym in ("German", "French", "North Korean", "Korean"):
        assert demonym not in texts


def test_a_surname_the_model_calls_an_organisation_is_the_person(nlp: Language) -> None:
    found = _found(CHIPS)
    raimondo = [m for m in found if m.text == "Raimondo"]
    assert raimondo and all(m.kind == "person" for m in raimondo)


def test_acronym_in_parentheses_is_linked_to_its_name(nlp: Language) -> None:
    found = {m.text: m for m in _found(CHIPS) + _found(KOREA)}
    assert found["BIS"].attrs["acronym_of"] == "Bureau of Industry and Security"
    assert found["KCNA"].attrs["acronym_of"] == "Korean Central News Agency"
    # a syllabic acronym, and the name stops before the parenthesis
    assert found["MOFCOM"].attrs["acronym_of"] == "Ministry of Commerce"
    assert found["BIS"].kind == "organization"


def test_parenthesised_letters_that_do_not_spell_the_name_are_only_flagged(
    nlp: Language,
) -> None:
    bmwk = next(m for m in _found(ENERGY) if m.text == "BMWK")
    assert "acronym_of" not in bmwk.attrs
    assert bmwk.attrs["parenthesised_after"].startswith("Federal Ministry")


def test_country_of_a_ministry_comes_from_its_owner_or_adjective(nlp: Language) -> None:
    ministries = [m for m in _found(KOREA) if m.text == "Ministry of Foreign Affairs"]
    assert [m.attrs.get("country") for m in ministries] == ["South Korea", "Japan"]
    french = next(m for m in _found(ENERGY) if "Economy and Finance" in m.text)
    assert french.text == "Ministry for the Economy and Finance"
    assert french.attrs["country"] == "France"


def test_hyphenated_given_name_cut_short_by_the_model_is_completed(nlp: Language) -> None:
    doc = nlp.make_doc("President Roh Moo-hyun met Chung Sye-kyun.")
    doc = _run_pipeline_without_ner(nlp, doc)
    # Simulate the model's typical error: only "Roh Moo" tagged.
    doc.ents = [Span(doc, 1, 3, label="PERSON")]
    assert _names(find_entities(doc), "person") == ["Roh Moo-hyun"]


def _run_pipeline_without_ner(nlp: Language, doc: Doc) -> Doc:
    for name, proc in nlp.pipeline:
        if name != "ner":
            doc = proc(doc)
    return doc


def test_title_words_and_leading_articles_are_not_part_of_names(nlp: Language) -> None:
    found = _found(
        "The Bank of Korea (BOK) said on Monday. The Reserve Bank's governor spoke. "
        "The Ministry said the Cabinet agreed."
    )
    texts = [m.text for m in found]
    assert "Bank of Korea" in texts
    assert "Ministry" not in texts and "Cabinet" not in texts
    assert not any(t.startswith("The ") or t.endswith("'s") for t in texts)


def test_materials_from_the_chemical_grammar(nlp: Language) -> None:
    mats = _names(_found(ENERGY) + _found(CHIPS), "material")
    for name in (
        "lithium carbonate",
        "cobalt sulfate",
        "ultra-pure silicon wafers",
        "graphite",
        "gallium nitride",
        "hydrogen chloride",
        "sulfuric acid",
    ):
        assert name in mats


def test_words_that_only_look_like_materials_are_not(nlp: Language) -> None:
    found = _found(
        "The company will lead the talks on a concrete plan. Chemicals and raw materials "
        "rose. Tin prices were flat. The gas station near the Oil Ministry closed."
    )
    assert _names(found, "material") == []


def test_material_at_sentence_start_is_lower_cased(nlp: Language) -> None:
    found = _found("Sulfuric acid leaked from the tank.")
    assert [(m.text, m.value) for m in found if m.kind == "material"] == [
        ("Sulfuric acid", "sulfuric acid")
    ]


def test_spans_point_at_the_text(nlp: Language) -> None:
    for text in (ENERGY, CHIPS, KOREA):
        for m in _found(text) + find_quantities(parse(text)):
            assert text[m.start : m.end] == m.text
            assert m.provenance


def test_acronym_matching_rules() -> None:
    assert acronym_matches("METI", "Ministry of Economy, Trade and Industry")
    assert acronym_matches("MOTIE", "Ministry of Trade, Industry and Energy")
    assert acronym_matches("WTO", "World Trade Organization")
    assert not acronym_matches("METI", "Ministry of Trade, Industry and Energy")
    assert not acronym_matches("MOFCOM", "Ministry of Commerce")
    assert acronym_matches("MOFCOM", "Ministry of Commerce", prefixes=True)


# -- quantities -------------------------------------------------------------------------------


def _quantities(text: str) -> dict[str, Mention]:
    return {m.text: m for m in find_quantities(parse(text))}


def test_quantities_with_what_they_count(nlp: Language) -> None:
    q = _quantities(ENERGY)
    assert q["12 projects"].value == "12 projects"
    assert q["12 projects"].attrs == {"number": 12.0, "unit": "projects"}
    assert q["more than 80 percent"].value == "80 percent"
    assert q["more than 80 percent"].attrs["approx"] == "more than"
    assert q["40,000 jobs"].attrs["number"] == 40000.0
    assert q["about 3 billion euros"].attrs["number"] == 3e9
    assert q["four years"].value == "4 years"
    q = _quantities(KOREA)
    assert q["two missiles"].value == "2 missiles"
    assert q["About 28,500 US troops"].attrs["unit"] == "US troops"


def test_definite_counts_dates_and_bare_numbers_are_not_quantities(nlp: Language) -> None:
    q = _quantities(
        "The three companies met on July 4, 2019 at 2 p.m. Three of them agreed. "
        "In the last five months, the two countries signed."
    )
    assert q == {}


def test_fractions_and_durations(nlp: Language) -> None:
    q = _quantities("The meeting lasted 5 1/2 hours. Travellers will be quarantined for 14 days.")
    assert q["5 1/2 hours"].attrs["number"] == 5.5
    assert q["14 days"].value == "14 days"


def test_parse_number() -> None:
    assert parse_number(["3.5", "billion"]) == 3.5e9
    assert parse_number(["two", "hundred"]) == 200
    assert parse_number(["1,200"]) == 1200
    assert parse_number(["5", "1/2"]) == 5.5
    assert parse_number(["several"]) is None


def test_fast_attribute_ruler_and_lemmatizer_give_the_model_s_own_tokens(nlp: Language) -> None:
    import spacy

    from casedesk.extract.nlp import MODEL_PACKAGE

    assert "casedesk_fast_attributes" in nlp.pipe_names
    assert "casedesk_cached_lemmatizer" in nlp.pipe_names
    original = spacy.load(MODEL_PACKAGE)
    texts = [
        ENERGY,
        CHIPS,
        KOREA,
        "There's a cat. Y' know nothin'. He gets it; she got it.\n\n  x",
        # every multi-token pattern of the model's ruler, and words only a dependency marks
        "I ain't gonna wait, y'all gotta see it. Let's go, c'mon! There are cats and there's "
        "a dog. Doin' somethin' with 'em, ol' friend, is 'nuff. I saw it; you gave it to me.",
        # one word, several lemmas: the lemma goes with the tag, not with the word alone
        "The saw cut the boards. She saw the saws and said the cuts were clean; he cuts too.",
    ]
    for a, b in zip(original.pipe(texts), nlp.pipe(texts), strict=True):
        assert [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in a] == [
            (t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in b
        ]
    # the two-word patterns were matched (each sets a lemma no single word would get)
    lemmas = [t.lemma_ for t in nlp(texts[-2])]
    assert lemmas[1:5] == ["be", "not", "go", "to"] and "us" in lemmas and "come" in lemmas
    # tokens nothing tagged keep no morphology (no "_" analysis) and no coarse tag
    fast = nlp.get_pipe("casedesk_fast_attributes")
    ruler = original.get_pipe("attribute_ruler")
    bare = [ruler(nlp.make_doc("Hello there world")), fast(nlp.make_doc("Hello there world"))]
    assert [[(t.pos_, str(t.morph), t.lemma_) for t in d] for d in bare] == [[("", "", "")] * 3] * 2


def test_elements_named_alone_and_verbs_that_look_like_modifiers(nlp: Language) -> None:
    mats = _names(
        _found(
            "Beijing restricted gallium and germanium. The hydrogen bomb was tested. "
            "They enriched uranium further. Iran holds enriched uranium."
        ),
        "material",
    )
    assert mats == ["gallium", "germanium", "uranium", "enriched uranium"]


def test_materials_the_tagger_mistags_are_still_found(nlp: Language) -> None:
    # the small model tags "fluorinated" as a participle and "polyimide" as an adverb here
    found = _found(
        "Tokyo curbed exports of fluorinated polyimide, which is used in displays. "
        "Suppliers shipped chlorinated polyethylene and brominated epoxy resin to Busan."
    )
    assert _names(found, "material") == [
        "fluorinated polyimide",
        "chlorinated polyethylene",
        "brominated epoxy resin",
    ]


def test_credit_line_names_a_person_running_text_keeps_organisations(nlp: Language) -> None:
    found = _found(
        "The deal was advised by Goldman Sachs and signed in Paris.\n\n"
        "(Japanese original by Naoya Matsumoto, Business News Department)"
    )
    kinds = {m.text: m.kind for m in found}
    assert kinds["Goldman Sachs"] == "organization"
    assert kinds["Naoya Matsumoto"] == "person"


def test_compounds_and_headline_labels_are_not_names(nlp: Language) -> None:
    found = _found("BREAKING -- Joe Biden-era rules end. Michael Bloomberg met Reuters editors.")
    assert [(m.kind, m.text) for m in found] == [
        ("person", "Joe Biden"),
        ("person", "Michael Bloomberg"),
        ("organization", "Reuters"),
    ]


def test_material_word_inside_a_company_name_stays_the_company(nlp: Language) -> None:
    found = _found("Bethlehem Steel and Korea Zinc bought steel and zinc oxide.")
    assert [(m.kind, m.text) for m in found] == [
        ("organization", "Bethlehem Steel"),
        ("organization", "Korea Zinc"),
        ("material", "steel"),
        ("material", "zinc oxide"),
    ]


def test_portfolio_before_a_title_is_not_an_organisation_a_company_is(nlp: Language) -> None:
    found = _found(
        "Trade Minister Ahn Duk-geun met Samsung Chairman Lee Jae-yong and Former UN "
        "Secretary-General Ban Ki-moon."
    )
    orgs = _names(found, "organization")
    assert "Samsung" in orgs and "UN" in orgs
    assert "Trade" not in orgs


def test_name_after_a_title_is_found_when_the_model_misses_it(nlp: Language) -> None:
    doc = _run_pipeline_without_ner(nlp, nlp.make_doc("She met President Yoon Suk-yeol on Monday."))
    doc.ents = []
    assert [(m.kind, m.text, m.provenance) for m in find_entities(doc)] == [
        ("person", "Yoon Suk-yeol", "rules:title")
    ]


def test_short_names_of_companies_and_family_first_surnames(nlp: Language) -> None:
    found = _found(
        "Commerce Minister Wang Wentao met Infineon Technologies. Wang said Infineon would "
        "invest. It took place at the Truman Presidential Library, opened by President Truman."
    )
    kinds = [(m.text, m.kind) for m in found]
    assert ("Wang", "person") in kinds
    assert ("Infineon", "organization") in kinds
    assert ("Truman", "person") in kinds


def test_organisation_named_by_its_head_word_when_the_model_misses_it(nlp: Language) -> None:
    found = _found(
        "European Commission Vice-President Maros Sefcovic met the Security Council on Monday."
    )
    orgs = _names(found, "organization")
    assert "European Commission" in orgs and "Security Council" in orgs


def test_currency_named_after_the_amount_and_south_asian_scales(nlp: Language) -> None:
    text = (
        "The bank lent 2.5 trillion won to the builder and 300 million yen to its unit. "
        "The state set aside Rs 45 crore for the bridge."
    )
    found = {m.text: m.value for m in find_quantities(nlp(text))}
    assert found == {
        "2.5 trillion won": "2.5 trillion won",
        "300 million yen": "300 million yen",
        "Rs 45 crore": "45 crore rupees",
    }
    assert parse_number(["45", "crore"]) == 450_000_000


def test_numbers_inside_adjectives_and_technology_names_are_not_quantities(
    nlp: Language,
) -> None:
    text = "A five-member board approved a two-stage plan to build 4G masts in 12 villages."
    assert [m.text for m in find_quantities(nlp(text))] == ["12 villages"]


def test_a_material_extends_over_the_noun_naming_its_form(nlp: Language) -> None:
    text = (
        "The supplier sells epoxy molding compound and silica filler to packaging plants, "
        "and the steel plant nearby makes no graphite anode material."
    )
    materials = [m.text for m in _found(text) if m.kind == "material"]
    # "steel plant" is a plant: only nouns naming a form of the material extend it
    assert materials == [
        "epoxy molding compound",
        "silica filler",
        "steel",
        "graphite anode material",
    ]


def test_the_dateline_place_stays_a_place_where_the_model_reads_a_company(
    nlp: Language,
) -> None:
    from casedesk.extract.entities import _relabel_dateline_places

    text = "TILBURY, England, Monday 2 June - Ferry crews walked out at the port today.\n"
    (dateline,) = [m for m in _found(text) if m.provenance == "rules:dateline"]
    assert (dateline.kind, dateline.value) == ("place", "Tilbury")
    company_reading = Mention("organization", 200, 207, "Tilbury", "Tilbury", None, "model", {})
    (relabelled,) = _relabel_dateline_places([company_reading], [dateline])
    assert relabelled.kind == "place"


def test_letters_in_parentheses_the_article_goes_on_using_name_the_body(nlp: Language) -> None:
    text = (
        "The International Federation of Robotics (FIR) counted 3.9 million robots. "
        "The German Engineering Federation (VDMA) welcomed the study. "
        "VDMA said orders had slowed since March."
    )
    found = {m.text: m for m in _found(text) if m.provenance == "rules:acronym"}
    assert found["VDMA"].attrs["acronym_of"] == "German Engineering Federation"
    # letters of the name in another language, the first one starting a word of this one
    assert found["FIR"].attrs["acronym_of"] == "International Federation of Robotics"


def test_the_head_word_alone_names_the_one_organisation_written_out_before(
    nlp: Language,
) -> None:
    text = (
        "The Federal Trade Commission sued the retailer on Monday. The Commission said the "
        "merger would raise prices. The Securities and Exchange Commission declined to comment, "
        "and the Commission was not named."
    )
    short = [(m.start, m.value) for m in _found(text) if m.provenance == "rules:short-form"]
    # the second "Commission" comes after two full names with that head: left alone
    assert short == [(text.index("Commission said"), "Federal Trade Commission")]


def test_entity_passes_are_named_ordered_switchable_and_recorded(nlp: Language) -> None:
    from casedesk.extract.entities import ENTITY_PASSES, entity_pass_names

    names = entity_pass_names()
    last = ["same_names", "road_numbers", "place_parts", "state_names"]
    assert names[0] == "model" and names[-4:] == last
    assert len(set(names)) == len(names) == len(ENTITY_PASSES)
    text = "Maria Ostrova met the board in Lyon. Later, Ostrova said the vote would wait."
    doc = parse(text)
    every = find_entities(doc, disable=())
    # each mention names the pass that set its kind
    assert all(m.attrs.get("kind_pass") in names for m in every)
    surname = [m for m in every if m.text == "Ostrova"]
    assert surname and surname[0].kind == "person"
    # switching a pass off removes what only it found
    without = find_entities(doc, disable={"same_names"})
    assert len(without) <= len(every)
    assert not any(m.attrs.get("kind_pass") == "same_names" for m in without)
    with pytest.raises(ValueError, match="no entity pass named nonsense"):
        find_entities(doc, disable={"nonsense"})


def test_a_currency_code_beside_an_amount_is_no_organisation(nlp: Language) -> None:
    found = _found(
        "Kayaks rent for 140 NOK per hour and bikes for 90 NOK a day, the Harbour Office said. "
        "Ferry tickets are sold in NOK only."
    )
    assert "NOK" not in {m.text for m in found}


def test_an_abbreviation_of_a_lowercase_phrase_is_a_term_not_a_name(nlp: Language) -> None:
    found = _found(
        "Analysts at Norvik Capital track the average revenue per user (ARPU) of each "
        "operator. ARPU fell in the spring, Norvik Capital said."
    )
    names = {m.text for m in found if m.kind in ("person", "organization", "place")}
    assert "ARPU" not in names
    assert "Norvik Capital" in names


def test_authors_of_author_year_references_are_people(nlp: Language) -> None:
    found = _found(
        "Harbour dredging raises silt levels (Okafor & Brenner, 2019; Vell, Haldane, & "
        "Marrow, 2021), as Quennell (2018) showed for estuaries, though Tamsin Oduya et al. "
        "(2020) disagree; see the survey by the World Maritime Institute (World Maritime "
        "Institute, 2017) and a study in London (London, 2015)."
    )
    people = set(_names(found, "person"))
    assert {"Okafor", "Brenner", "Vell", "Haldane", "Marrow", "Quennell"} <= people
    assert "Tamsin Oduya" in people
    kinds = {m.text: m.kind for m in found}
    assert kinds.get("World Maritime Institute") == "organization"
    assert kinds.get("London") == "place"


def test_buildings_grounds_and_streets_are_places(nlp: Language) -> None:
    found = _found(
        "The concert was held at Varnell Hall in the old quarter, next to the Ostrava "
        "Cathedral. The shop is at 12 Marlow Ave, near Ferring Blvd. Arsenio Hall spoke."
    )
    kinds = {m.text: m.kind for m in found}
    assert kinds["Varnell Hall"] == kinds["Ostrava Cathedral"] == kinds["Ferring Blvd"]
    assert kinds["Ferring Blvd"] == "place"
    assert kinds["Arsenio Hall"] == "person"  # a family name that is also a place head


def test_an_abbreviation_used_as_a_common_noun_is_no_name(nlp: Language) -> None:
    found = _found(
        "Each household replaced a busted CFL with an LED bulb, and the CFL was recycled. "
        "Maize was grown there by 5000 BCE. The NATO summit ended, and NATO said so."
    )
    names = {m.text for m in found if m.kind in ("person", "organization", "place")}
    assert "CFL" not in names and "BCE" not in names
    assert "NATO" in names


def test_a_place_and_its_region_after_a_comma_are_places(nlp: Language) -> None:
    found = _found(
        "Goode was born in Exeter, Devon. He moved to Gillette, Wyoming in 2004. "
        "In London, Smith said no."
    )
    kinds = {m.text: m.kind for m in found}
    assert kinds["Devon"] == kinds["Gillette"] == "place"
    assert kinds.get("Smith") != "place"


def test_a_work_s_title_before_its_year_is_no_author(nlp: Language) -> None:
    found = _found("She starred in Harbour of the Gulls (1958), directed by Pell Ardent.")
    assert "Gulls" not in _names(found, "person")
    # a film list in a text that cites nobody by author and year
    found = _found("Her films include Marrowby (2010), Stell Crossing (2013) and Tamsin (2016).")
    assert not [m for m in found if m.provenance == "rules:citation"]


def test_whole_occurrences_of_a_name_are_not_parts_of_longer_words() -> None:
    from casedesk.extract.entities import _whole_occurrences

    text = "Norvik sold Norviks; pro-Norvik groups and Norvik_2 met Norvik-Hale and Norvik."
    assert list(_whole_occurrences(text, "Norvik")) == [0, text.rindex("Norvik")]
    assert list(_whole_occurrences("Åsa Lind met Åsa", "Åsa")) == [0, 13]
    assert list(_whole_occurrences("Norvik", "")) == []


def test_regular_verbs_get_their_dictionary_lemma(nlp: Language) -> None:
    # spaCy's lemmatizer after 3.8.7 chose the shorter of two dictionary forms ("rat" for
    # "rated"): event keywords and claim cues are read from lemmas
    doc = nlp(
        "The council hopes the fund is rated well, but the vote slated for May was delayed "
        "and support waned."
    )
    lemmas = {t.text: t.lemma_ for t in doc}
    assert [lemmas[w] for w in ("hopes", "rated", "slated", "waned", "delayed")] == [
        "hope",
        "rate",
        "slate",
        "wane",
        "delay",
    ]
