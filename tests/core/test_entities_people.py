"""People's names the model types as something else, on sentences written for these tests:
a name a pronoun takes up ("he", "she", "his", "her") is a person's, unless the name itself
or its context says it is an organisation or a place."""

from __future__ import annotations

from spacy.language import Language

from casedesk.extract.entities import find_entities
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
