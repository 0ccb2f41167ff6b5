"""A research lab named by its short head word ("the Soil Carbon Lab") is an organisation, as
one named "Laboratory" is. The texts are written for these tests."""

from __future__ import annotations

from spacy.language import Language

from casedesk.extract.entities import find_entities
from casedesk.extract.nlp import parse


def _orgs(text: str) -> list[tuple[str, object]]:
    return [
        (m.text, m.attrs.get("kind_pass"))
        for m in find_entities(parse(text))
        if m.kind == "organization"
    ]


def test_a_name_ending_in_lab_is_an_organisation(nlp: Language) -> None:
    text = "Samples were sent to the Soil Carbon Lab for a second reading."
    assert not parse(text).ents or all(e.label_ != "ORG" for e in parse(text).ents)
    assert _orgs(text) == [("Soil Carbon Lab", "headed_organisations")]


def test_lab_alone_is_no_name(nlp: Language) -> None:
    assert _orgs("The Lab was closed for the summer.") == []
