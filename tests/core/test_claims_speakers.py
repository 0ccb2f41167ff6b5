"""Claims: who the speaker is (names beside roles, pronouns, speakers the parse misses) and
which reporting verbs and shapes make a claim. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

from spacy.language import Language

from casedesk.extract.claims import find_claims
from casedesk.extract.dates import tag_dates
from casedesk.extract.entities import find_entities
from casedesk.extract.model import Mention
from casedesk.extract.pipeline import make_doc
from casedesk.store import Case

PUBLISHED = "2024-03-08"


def claims(nlp: Language, text: str) -> list[Mention]:
    doc = nlp(make_doc(nlp, text))
    dates = tag_dates(text, dt.date.fromisoformat(PUBLISHED))
    return find_claims(doc, find_entities(doc), dates, PUBLISHED)


def speakers(nlp: Language, text: str) -> list[str | None]:
    return [c.value for c in claims(nlp, text)]


# -- names next to roles -------------------------------------------------------------------


def test_a_name_between_commas_after_a_role_is_the_speaker(nlp: Language) -> None:
    text = "His lawyer, Daniel Okafor, said on Monday that the contract had never been signed."
    (claim,) = claims(nlp, text)
    assert claim.value == "Daniel Okafor"
    assert claim.text == "the contract had never been signed"
    text = "Its largest shareholder, pension fund Veridia, said it would vote against the merger."
    assert speakers(nlp, text) == ["pension fund Veridia"]


def test_a_lower_case_name_between_commas_after_a_role(nlp: Language) -> None:
    text = "The country's biggest teachers' union, fenprof, said the strike would go ahead."
    assert speakers(nlp, text) == ["fenprof"]


def test_a_role_after_the_name_is_not_the_speaker(nlp: Language) -> None:
    text = "Laura Mendes, a spokeswoman for the port authority, said the berths would reopen soon."
    assert speakers(nlp, text) == ["Laura Mendes"]


def test_a_name_written_close_to_its_role_stays_in_the_speaker(nlp: Language) -> None:
    text = "Water levels at the dam will fall by a third this month, its operator Hidrovale said."
    (claim,) = claims(nlp, text)
    assert claim.value == "its operator Hidrovale"
    start, end = claim.attrs["speaker_head"]  # the entity the claim is linked to: the name
    assert text[start:end] == "Hidrovale"


def test_a_name_with_commas_inside_is_kept_whole(nlp: Language) -> None:
    text = (
        "The Department of Lands, Water, Parks and Heritage said it would publish the survey "
        "in June."
    )
    assert speakers(nlp, text) == ["The Department of Lands, Water, Parks and Heritage"]


def test_a_dateline_before_a_dash_is_not_the_speaker(nlp: Language) -> None:
    text = (
        "OSLO, May 2 (Nordic Wire) - The Norwegian Maritime Authority (NMA) on Thursday "
        "announced that two ferries would be withdrawn from service."
    )
    (speaker,) = speakers(nlp, text)
    assert speaker is not None and speaker.startswith("The Norwegian Maritime Authority")


def test_who_said_names_the_person_it_describes(nlp: Language) -> None:
    text = "The plan was drafted by Ines Varga, who said the savings would reach 40 million."
    (claim,) = claims(nlp, text)
    assert claim.value == "Ines Varga"


def test_which_and_that_name_the_body_they_describe(nlp: Language) -> None:
    text = "Harlow Mining, which denied that the dam had cracked, will pay for the repairs."
    assert [(c.value, c.attrs["polarity"]) for c in claims(nlp, text)] == [
        ("Harlow Mining", "denies")
    ]
    text = "The agency that said the water was safe has closed its office."
    assert speakers(nlp, text) == ["The agency"]


def test_who_names_its_person_when_the_main_clause_is_passive(nlp: Language) -> None:
    text = "The goalkeeper, who denied that he had taken money, was banned for a year."
    assert [(c.value, c.attrs["polarity"]) for c in claims(nlp, text)] == [
        ("The goalkeeper", "denies")
    ]
    # the subject of a passive verb a reporting verb is joined to was told, not telling
    text = "Residents were asked to leave and suggest where the shelter should be built."
    assert claims(nlp, text) == []


def test_a_long_speaker_after_a_quotation(nlp: Language) -> None:
    text = (
        '"The river has never risen this fast in living memory," regional civil protection '
        "chief of operations Tomas Berg said at a briefing in Tromso."
    )
    (claim,) = claims(nlp, text)
    assert claim.value is not None and claim.value.endswith("Tomas Berg")
    assert claim.text.startswith("The river has never risen")


# -- pronouns --------------------------------------------------------------------------------


def test_it_said_is_the_body_named_as_subject_just_before(nlp: Language) -> None:
    text = (
        "The central bank raised its main rate by half a point on Tuesday. It said inflation "
        "would stay above target until next year."
    )
    (claim,) = claims(nlp, text)
    assert claim.value == "The central bank"
    assert claim.attrs["speaker_as_written"] == "It"


def test_it_said_with_no_body_before_is_no_claim(nlp: Language) -> None:
    text = "The storm reached the coast late on Monday. It said the damage was limited to roofs."
    assert claims(nlp, text) == []


def test_he_is_not_an_organisation_that_spoke_just_before(nlp: Language) -> None:
    text = (
        "Transport minister Karl Weiss visited the depot in the morning. The Rail Authority "
        "said the line would reopen on Friday. He said the repairs had cost 3 million euros."
    )
    found = claims(nlp, text)
    assert [c.value for c in found] == ["The Rail Authority", "Karl Weiss"]


# -- verbs of saying by class -----------------------------------------------------------------


def test_speech_acts_with_an_object(nlp: Language) -> None:
    (urged,) = claims(nlp, "Health minister Sara Lind urged hospitals to postpone routine surgery.")
    assert urged.value == "Health minister Sara Lind"
    assert urged.text == "urged hospitals to postpone routine surgery"
    (accused,) = claims(
        nlp, "The pilots' union accused the airline of cutting rest periods to save money."
    )
    assert accused.value == "The pilots' union"
    assert accused.text.startswith("accused the airline of cutting rest periods")
    (called,) = claims(nlp, "The mayor called for calm after the second night of protests.")
    assert called.attrs["cue"] == "called for"
    (criticised,) = claims(
        nlp, "Tenant groups have criticised the council for raising rents by 9%."
    )
    assert criticised.value == "Tenant groups"


def test_forecasts_and_findings(nlp: Language) -> None:
    (forecast,) = claims(nlp, "The OECD forecasts growth of 1.4% next year.")
    assert forecast.value is not None and "OECD" in forecast.value
    assert "growth of 1.4%" in forecast.text
    (found,) = claims(
        nlp, "A survey by the chamber found that half of its members planned to cut jobs."
    )
    assert found.text == "half of its members planned to cut jobs"
    (expects,) = claims(nlp, "The utility expects demand to peak in the second week of July.")
    assert expects.value == "The utility"


def test_a_source_written_after_the_words(nlp: Language) -> None:
    text = "Exports fell 7% in the first quarter, customs figures show."
    (claim,) = claims(nlp, text)
    assert claim.value == "customs figures"
    assert claim.text == "Exports fell 7% in the first quarter"
    text = (
        "A week-long port strike would cost the region 300 million euros, the Bremen "
        "Institute for Trade Studies estimated last year."
    )
    (claim,) = claims(nlp, text)
    assert claim.value is not None and claim.value.startswith("the Bremen Institute")
    assert claim.text.startswith("A week-long port strike")


def test_what_only_looks_like_a_statement_is_no_claim(nlp: Language) -> None:
    assert claims(nlp, "The union called a strike for Monday.") == []
    assert claims(nlp, "The mayor criticised the police.") == []  # no reason: nothing said
    assert claims(nlp, "Staff were told that the plant would close.") == []  # they heard it
    assert claims(nlp, "Residents were told to leave their homes before noon.") == []
    assert claims(nlp, "The ferry is expected to resume sailing on Friday.") == []
    assert claims(nlp, "Rescuers found the missing climbers near the summit.") == []
    assert claims(nlp, "An estimated 4,000 people attended the rally.") == []


def test_two_sources_in_one_sentence(nlp: Language) -> None:
    text = (
        "Finance minister Olga Petrov said the deficit had narrowed to 3.1% of output, which "
        "was below the euro zone average, according to the statistics office."
    )
    found = claims(nlp, text)
    assert sorted(c.value or "" for c in found) == [
        "Finance minister Olga Petrov",
        "the statistics office",
    ]
    text = (
        "Norlink said it would suspend two routes from April, while Baltic Lines told "
        "passengers to expect delays."
    )
    assert sorted(c.value or "" for c in claims(nlp, text)) == ["Baltic Lines", "Norlink"]


def test_a_statement_noun_with_its_owner(nlp: Language) -> None:
    text = "The regulator rejected the company's claim that its prices reflected higher costs."
    # the company's claim, and the regulator's denial of the same words
    found = sorted(claims(nlp, text), key=lambda c: c.attrs["polarity"])
    assert [(c.value, c.attrs["polarity"]) for c in found] == [
        ("the company", "asserts"),
        ("The regulator", "denies"),
    ]
    assert {c.text for c in found} == {"its prices reflected higher costs"}


# -- quotations that continue ------------------------------------------------------------------


def test_a_quotation_continues_its_speaker_but_not_a_quote_attributed_after(
    nlp: Language,
) -> None:
    text = (
        'Harbour master Ian Doyle said: "The channel is open again." "We will keep two tugs on '
        'standby through the weekend."'
    )
    assert speakers(nlp, text) == ["Harbour master Ian Doyle"] * 2
    text = (
        "The port authority expects traffic to double by 2030.\n\n"
        '"We cannot handle that. The quays are too short for the new ships," director '
        "Anne Kerr said."
    )
    found = claims(nlp, text)
    assert [c.value for c in found] == ["The port authority", "director Anne Kerr"]
    assert found[1].text.startswith("We cannot handle that")


def test_a_quotation_after_according_to_is_not_the_source_s(nlp: Language) -> None:
    text = (
        "According to the weather service, the heatwave will last until Sunday. "
        '"Nobody in this village has seen a summer like it before."'
    )
    assert speakers(nlp, text) == ["the weather service"]


def test_he_after_two_people_in_one_subject_stays_as_written(nlp: Language) -> None:
    text = (
        "Economy minister Jonas Berg and his deputy Lena Holt met the unions on Monday. "
        "He said the talks had been constructive."
    )
    (claim,) = claims(nlp, text)
    assert claim.value == "He"
    text = "Economy minister Jonas Berg met the unions on Monday. He said the talks had gone well."
    assert speakers(nlp, text) == ["Jonas Berg"]


def test_judging_verbs_need_what_they_judge_for(nlp: Language) -> None:
    (praised,) = claims(nlp, "The senator praised the rescue teams for their speed.")
    assert praised.text == "praised the rescue teams for their speed"
    (accused,) = claims(nlp, "The opposition accused the minister of fraud.")
    assert accused.value == "The opposition"
    assert claims(nlp, "The mayor criticised the head of the police.") == []


def test_speech_acts_that_have_not_happened_are_no_claims(nlp: Language) -> None:
    assert claims(nlp, "Commuters can expect delays on the northern line until May.") == []
    assert claims(nlp, "The union could call for a national strike next month.") == []
    assert claims(nlp, "The mayor plans to urge residents to conserve water.") == []


def test_findings_need_a_proposition_and_a_source(nlp: Language) -> None:
    assert claims(nlp, "Police found the stolen car parked behind the station.") == []
    assert claims(nlp, "The closure shows how fragile the local economy has become.") == []
    (claim,) = claims(nlp, "The audit showed that the agency had overpaid its suppliers.")
    assert claim.value == "The audit"
    assert claims(nlp, "A company official asked not to be named.") == []


def test_it_is_not_a_plural_subject(nlp: Language) -> None:
    text = "Several charities raised money for the victims. It said the appeal would close soon."
    assert claims(nlp, text) == []


def test_a_reporting_verb_inside_reported_words_belongs_to_them(nlp: Language) -> None:
    text = (
        "Fernhill Foods, recovering from last year's loss, expects to report a profit of about "
        "$2 million for the quarter, its chief financial officer said."
    )
    (claim,) = claims(nlp, text)
    assert claim.value == "its chief financial officer"
    assert claim.text.startswith("Fernhill Foods")


def test_a_quotation_before_a_speech_act_is_its_content(nlp: Language) -> None:
    text = '"Stay indoors and keep your windows shut," the fire chief urged residents on Sunday.'
    (claim,) = claims(nlp, text)
    assert claim.value == "the fire chief"
    assert claim.text == "Stay indoors and keep your windows shut"


def test_the_nearest_attribution_names_the_speaker(nlp: Language) -> None:
    text = (
        "The state news agency reported that foreign ministry spokesman Omar Haddad said the "
        "talks would resume in April."
    )
    (claim,) = claims(nlp, text)
    assert claim.value == "foreign ministry spokesman Omar Haddad"
    assert claim.text == "the talks would resume in April"


def test_an_attribution_in_the_middle_of_the_words(nlp: Language) -> None:
    text = (
        "Nine of the wells were contaminated, inspector Maria Lund said. Of the nine, four were "
        "near the plant, three were downstream and two were on farmland, she said, and the "
        "rest are still being tested."
    )
    found = claims(nlp, text)
    assert [c.value for c in found] == ["inspector Maria Lund"] * 2
    assert found[1].text.startswith("Of the nine, four were near the plant")


def test_a_speech_act_and_a_statement_joined_by_saying(nlp: Language) -> None:
    text = (
        "The two leaders called for a quick ratification of the treaty, saying it would bring "
        "stability to the region."
    )
    found = claims(nlp, text)
    assert [c.text for c in found] == [
        "called for a quick ratification of the treaty",
        "it would bring stability to the region",
    ]


def test_a_preposition_left_without_its_object_is_no_statement(nlp: Language) -> None:
    assert claims(nlp, "It was the crisis that the economist had warned about in 2019.") == []


def test_as_someone_said_is_not_part_of_the_claim(nlp: Language) -> None:
    text = (
        "The ministry says the meeting was not a negotiation, as the deputy minister said on "
        "Friday."
    )
    (claim,) = claims(nlp, text)
    assert claim.value == "The ministry"
    assert claim.text == "the meeting was not a negotiation"


def test_they_is_a_plural_speaker_just_before(nlp: Language) -> None:
    text = (
        "Analysts at Fenwick Securities said the bank would cut rates in June. They added that "
        "inflation was falling faster than expected."
    )
    assert speakers(nlp, text) == ["Analysts at Fenwick Securities"] * 2
    text = "The minister said the plan was sound. They said it would fail within a year."
    assert speakers(nlp, text) == ["The minister", "They"]


def test_typewriter_quotation_marks(nlp: Language) -> None:
    text = (
        "Union leader Tom Hale spoke outside the plant. ``We have waited three years for this "
        "offer and it is still not enough,'' he said. ``Our members will decide next week.''"
    )
    found = claims(nlp, text)
    assert [c.value for c in found] == ["Tom Hale"] * 2
    assert found[0].text == ("We have waited three years for this offer and it is still not enough")
    assert found[1].text.startswith("Our members will decide next week")


def test_the_and_the_last_word_of_an_organisation_before_is_that_organisation(
    nlp: Language,
) -> None:
    text = (
        "The Northgate Water Company raised its prices in May. "
        "The company said the cost of chemicals had doubled."
    )
    (claim,) = claims(nlp, text)
    assert claim.value == "The company"  # as written
    start, end = claim.attrs["speaker_head"]
    assert text[start:end] == "Northgate Water Company"  # resolves to the organisation
    # a plural or a noun with more to it is not a short form of that name
    text = "The Northgate Water Company raised its prices. Two companies said costs had doubled."
    (claim,) = claims(nlp, text)
    start, end = claim.attrs["speaker_head"]
    assert text[start:end] == "companies"


def test_a_possessive_mark_with_nothing_after_it_is_not_part_of_the_speaker(
    nlp: Language,
) -> None:
    assert speakers(nlp, "Northwind's said that the plant will close in June.") == ["Northwind"]
    assert speakers(nlp, "The plant will close in June, the company's said.") == ["the company"]
    # a possessive before the role stays: the role is the speaker
    text = "The deal will close in May, Kessler Group's chief executive said."
    assert speakers(nlp, text) == ["Kessler Group's chief executive"]


def test_a_spokesperson_speaks_for_the_one_organisation_in_the_phrase(nlp: Language) -> None:
    def spoken_for(text: str) -> str | None:
        (claim,) = claims(nlp, text)
        body = claim.attrs.get("speaks_for")
        return text[body[0] : body[1]] if body else None

    text = "A spokesman for the Vestby Port Authority denied that the crane had failed."
    assert spoken_for(text) == "Vestby Port Authority"
    assert spoken_for("A Northwind spokesman said the plant would close in June.") == "Northwind"
    # a named spokesperson and a role that speaks for itself keep their own words
    text = "Northwind spokeswoman Ana Ruiz said the plant would close in June."
    assert spoken_for(text) is None
    text = "The chief executive of Northwind said the plant would close in June."
    assert spoken_for(text) is None


def test_the_claim_of_a_spokesperson_is_the_organisations_entity(case: Case) -> None:
    import hashlib

    from casedesk.extract.pipeline import extract_documents

    text = (
        "The Vestby Port Authority opened an inquiry on Monday. A spokesman for the Vestby "
        "Port Authority said the crane had been inspected in May.\n"
    )
    doc = case.add_document(
        file_name="crane.txt",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        format="txt",
        published=PUBLISHED,
    )
    extract_documents(case, [doc])
    (row,) = case.conn.execute(
        "SELECT f.value, e.name, e.kind FROM facts f JOIN entities e ON e.id = f.entity_id "
        "WHERE f.kind = 'claim'"
    ).fetchall()
    assert row == (
        "A spokesman for the Vestby Port Authority",
        "Vestby Port Authority",
        "organization",
    )
