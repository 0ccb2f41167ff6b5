"""People's names the model types as something else, on sentences written for these tests:
a name a pronoun takes up ("he", "she", "his", "her") or that begins with a common given name
is a person's, unless the name itself or its context says it is an organisation or a place."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from casedesk.extract.entities import find_entities
from casedesk.extract.given_names import GivenNamesError, given_names, read_names
from casedesk.extract.model import Mention
from casedesk.extract.nlp import parse


def _found(text: str) -> list[Mention]:
    return find_entities(parse(text))


def _kinds(found: list[Mention], name: str) -> set[str]:
    return {m.kind for m in found if m.text == name}


def test_a_subject_taken_up_by_his_or_her_is_a_person(nlp: Language) -> None:
    found = _found("Bellamy Grange sold his house in Ostend.")
    assert _kinds(found, "Bellamy Grange") == {"person"}  # the model reads a company
    (m,) = [m for m in found if m.text == "Bellamy Grange"]
    assert m.attrs["kind_pass"] == "pronouns"
    assert m.attrs["cue"] == "person"  # weighed case-wide like a context cue


def test_the_next_sentences_he_takes_up_the_subject(nlp: Language) -> None:
    found = _found("Bellamy Grange opened a bakery in 1990. He ran it for twenty years.")
    assert _kinds(found, "Bellamy Grange") == {"person"}


def test_no_pronoun_evidence_where_another_person_could_be_meant(nlp: Language) -> None:
    # another person in the first sentence; a new paragraph
    found = _found("Bellamy Grange hired Nora Pike in 1990. She ran the bakery for twenty years.")
    assert _kinds(found, "Bellamy Grange") == {"organization"}
    found = _found("Bellamy Grange opened a bakery in 1990.\n\nHe ran it for twenty years.")
    assert _kinds(found, "Bellamy Grange") == {"organization"}


def test_a_description_after_the_is_never_a_person(nlp: Language) -> None:
    found = _found('The Church said in a statement: "She was never forced to stay."')
    assert _kinds(found, "Church") == {"organization"}


def test_organisation_evidence_outweighs_a_pronoun(nlp: Language) -> None:
    # a company word ends the name (a company named after its founder)
    found = _found("Rosalind Ferrer Motors raised her prices.")
    assert _kinds(found, "Rosalind Ferrer Motors") == {"organization"}
    # "its" as often as "he"
    text = (
        "Orla Dunmore founded Dunmore Grange Ltd in 1990. Dunmore Grange Ltd raised its "
        "prices. Dunmore Grange Ltd said he was right."
    )
    assert _kinds(_found(text), "Dunmore Grange Ltd") == {"organization"}


def test_a_name_beginning_with_a_common_given_name_is_a_persons(nlp: Language) -> None:
    found = _found("The hearing was adjourned after Tiffany Kovalenko asked for more time.")
    assert _kinds(found, "Tiffany Kovalenko") == {"person"}  # the model reads a company
    (m,) = [m for m in found if m.text == "Tiffany Kovalenko"]
    assert m.attrs["kind_pass"] == "given_names"
    found = _found("After the vote, Dustin Marrow thanked the volunteers.")
    assert _kinds(found, "Dustin Marrow") == {"person"}  # the model reads a place


def test_a_given_name_gives_way_to_organisation_and_place_evidence(nlp: Language) -> None:
    # a company or a trust named after a person
    assert _kinds(_found("Investors sold Chase Bank shares on Monday."), "Chase Bank") == {
        "organization"
    }
    found = _found("The fund was set up by Carol Hendriksen Trust in 1990.")
    assert _kinds(found, "Carol Hendriksen Trust") == {"organization"}
    found = _found("Shares of Grace fell. Analysts said Grace would cut jobs.")
    assert _kinds(found, "Grace") == {"organization"}
    # a town named after a person
    found = _found("The storm reached Augusta on Monday. Crews in Augusta cleared the roads.")
    assert _kinds(found, "Augusta") == {"place"}


def test_the_census_lists_are_read_with_their_criterion(tmp_path: Path) -> None:
    names = given_names()
    assert {"deborah", "nathan", "tiffany", "james"} <= names
    assert "june" not in names  # a month
    sample = tmp_path / "dist.test.first"
    sample.write_text("MARY 2.629 2.629 1\nZELDA 0.004 90.000 3000\n", encoding="ascii")
    assert read_names(sample) == {"mary"}  # one person in 10,000 or more
    sample.write_text("MARY two\n", encoding="ascii")
    with pytest.raises(GivenNamesError, match=r"dist\.test\.first, line 1"):
        read_names(sample)


def test_interjections_and_family_relations_alone_are_no_names(nlp: Language) -> None:
    found = _found("Nah, we never went back.\n\nDad wanted to leave early. Ask Grandma why.")
    assert [m.text for m in found if m.kind == "person"] == []
    found = _found("Dad told Maria Lopez the news.")
    assert [m.text for m in found if m.kind == "person"] == ["Maria Lopez"]


def test_a_role_word_alone_is_no_name(nlp: Language) -> None:
    # a capitalised word for an occupation or calling, alone, names no one
    found = _found("The page was signed by Volunteer on the morning shift.")
    assert _kinds(found, "Volunteer") == set()
    # the same word as part of a person's name keeps the name
    found = _found("Dora Volunteer signed the page. Later Volunteer left early.")
    assert "person" in _kinds(found, "Dora Volunteer")


def test_a_subject_the_model_missed_is_a_person_where_a_pronoun_takes_it_up(
    nlp: Language,
) -> None:
    found = _found("Quorvath opened a clinic in 1990. He ran it alone. Patients trusted Quorvath.")
    # the model finds no name at all: the subject taken up by "He" is one, and so is the
    # same word later
    assert [(m.text, m.kind) for m in found] == [("Quorvath", "person"), ("Quorvath", "person")]
    assert [m.attrs["kind_pass"] for m in found] == ["pronouns", "same_names"]
    found = _found("Pellucidar said she would stay. Friends of Pellucidar were not surprised.")
    assert _kinds(found, "Pellucidar") == {"person"}


def test_a_proper_noun_subject_without_a_pronoun_is_not_made_a_person(nlp: Language) -> None:
    found = _found("Quorvath opened a clinic in 1990. It grew fast. Patients trusted Quorvath.")
    assert not _kinds(found, "Quorvath") & {"person"}


def test_cited_authors_with_mc_mac_and_o_prefixes_are_people(nlp: Language) -> None:
    found = _found(
        "Earlier studies (MacAskill, 2011; O'Dowd & Ferris, 2012; Hallworth & McTavish, 2014)"
        " disagree."
    )
    people = [m.text for m in found if m.kind == "person"]
    assert people == ["MacAskill", "O'Dowd", "Ferris", "Hallworth", "McTavish"]


def test_authors_named_before_a_numbered_reference_are_people(nlp: Language) -> None:
    text = "Our study was inspired by Dellacroix & Wenham [7] and by Ostler et al. [9, 12]."
    found = _found(text)
    assert [m.text for m in found if m.kind == "person"] == ["Dellacroix", "Wenham", "Ostler"]
    # one name before a footnote mark may be anything
    found = _found("She was born in Montreuil [3]. Later she taught in Lyon [4].")
    assert not [m for m in found if m.kind == "person"]


def test_a_given_name_alone_the_model_missed_is_a_person(nlp: Language) -> None:
    assert _kinds(_found("So I told Dolores that it was over."), "Dolores") == {"person"}
    found = _found("We drove to the river and Jenna fell asleep.")  # read as a nationality
    assert _kinds(found, "Jenna") == {"person"}
    # the same word in lower case in the text: a common word
    found = _found("We drove to the river and Jenna fell asleep. The jenna tree grew there.")
    assert not _kinds(found, "Jenna")
    # accents are no part of the Census spelling
    assert _kinds(_found("So I told Dolorès that it was over."), "Dolorès") == {"person"}
