"""Organisation names opened by their kind: "University of X", "Universidad de X", "Istituto X".

In French, Spanish, Portuguese, Italian and German an organisation's name begins with the word for
its kind, and the small model often reads such a name as a place or a person's name, or cuts it
at a connecting word. The ``kind_first_organisations`` pass takes the whole capitalised run that
such a word opens as one organisation. The texts are written for these tests.
"""

from __future__ import annotations

from spacy.language import Language

from casedesk.extract.entities import find_entities
from casedesk.extract.nlp import parse

_PASS = "kind_first_organisations"


def _found(text: str, *, on: bool = True) -> list[tuple[str, str, object]]:
    off = () if on else (_PASS,)
    return [
        (m.text, m.kind, m.attrs.get("kind_pass")) for m in find_entities(parse(text), disable=off)
    ]


def test_a_spanish_university_read_as_a_facility_is_an_organisation(nlp: Language) -> None:
    text = "He lectured at the Universidad Autónoma de Ciencias a Distancia del Sur for a decade."
    name = "Universidad Autónoma de Ciencias a Distancia del Sur"
    assert [(t, k) for t, k, _p in _found(text, on=False)] == [(name, "place")]
    assert _found(text) == [(name, "organization", _PASS)]


def test_a_name_cut_by_the_model_is_taken_whole(nlp: Language) -> None:
    text = "Senators of the Movimento Civico Lombardo walked out."
    assert [(t, k) for t, k, _p in _found(text, on=False)] == [("Civico Lombardo", "person")]
    assert _found(text) == [("Movimento Civico Lombardo", "organization", _PASS)]


def test_names_in_a_credit_line_are_organisations(nlp: Language) -> None:
    text = "Data: Laboratorio de Redes Sociales, Universidade Federal do Paraná."
    assert ("Laboratorio de Redes Sociales", "person") in [
        (t, k) for t, k, _p in _found(text, on=False)
    ]
    assert [(t, k) for t, k, _p in _found(text)] == [
        ("Laboratorio de Redes Sociales", "organization"),
        ("Universidade Federal do Paraná", "organization"),
    ]


def test_two_names_joined_by_and_stay_two(nlp: Language) -> None:
    text = (
        "The survey was run by researchers of the University of Exeter and the Society for "
        "Coastal Ecology."
    )
    assert [(t, k) for t, k, _p in _found(text)] == [
        ("University of Exeter", "organization"),
        ("Society for Coastal Ecology", "organization"),
    ]


def test_an_english_kind_word_opens_a_name_only_before_of_or_for(nlp: Language) -> None:
    """ "Council" before a capitalised word is no name's start in English ("Council Tax")."""
    text = "The Council Tax Reduction was cut by a third in Ellerby."
    assert all(p != _PASS for _t, _k, p in _found(text))


def test_a_person_named_right_after_the_organisation_stays_a_person(nlp: Language) -> None:
    """A ministry's name written before its minister's, with no title between them."""
    text = "The talks were led by Ministry of Land and Transport Kim Dae-sung on Friday."
    assert [(t, k) for t, k, _p in _found(text)] == [
        ("Ministry of Land and Transport", "organization"),
        ("Kim Dae-sung", "person"),
    ]
