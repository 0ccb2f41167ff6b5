"""The largest online platforms are organisations wherever they are named, whatever the small
model made of the word ("Twitter" read as part of a title, "Facebook" not seen at all). The
texts are written for these tests."""

from __future__ import annotations

from spacy.language import Language

from casedesk.extract.entities import find_entities
from casedesk.extract.nlp import parse


def _found(text: str) -> list[tuple[str, str, object]]:
    return [(m.text, m.kind, m.attrs.get("kind_pass")) for m in find_entities(parse(text))]


def test_platforms_the_model_misreads_are_organisations(nlp: Language) -> None:
    text = "Her clip spread on Twitter before YouTube took it down."
    assert ("Twitter before", "WORK_OF_ART") in [(e.text, e.label_) for e in parse(text).ents]
    assert _found(text) == [
        ("Twitter", "organization", "institutions"),
        ("YouTube", "organization", "institutions"),
    ]


def test_a_platform_the_model_did_not_see_is_found(nlp: Language) -> None:
    text = "Facebook said the page broke its rules."
    assert not parse(text).ents
    assert _found(text) == [("Facebook", "organization", "institutions")]


def test_a_platform_name_inside_a_longer_word_is_not_one(nlp: Language) -> None:
    found = _found("The Googleplex tour and the twitter of birds filled the morning.")
    assert [t for t, k, _p in found if k == "organization"] == []
