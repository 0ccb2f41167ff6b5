"""The known_organisations pass: intergovernmental organisations found by their own names where
the model found none. The texts are written for these tests."""

from __future__ import annotations

from casedesk.extract.entities import find_entities
from casedesk.extract.nlp import parse

_PASS = "known_organisations"


def _found(text: str, *, on: bool = True) -> list[tuple[str, str, object]]:
    off = () if on else (_PASS,)
    return [
        (m.text, m.kind, m.attrs.get("kind_pass"))
        for m in find_entities(parse(text), disable=off)
        if m.kind in ("person", "organization", "place")
    ]


def test_an_agency_abbreviation_the_model_left_out_is_an_organisation() -> None:
    text = "UNICEF sent tents to the valley."
    assert all(t != "UNICEF" for t, _k, _p in _found(text, on=False))
    assert ("UNICEF", "organization", _PASS) in _found(text)


def test_a_longer_name_that_holds_the_abbreviation_is_kept_whole() -> None:
    text = "The UN Security Council met in New York on Tuesday to discuss the blockade."
    assert all(p != _PASS for _t, _k, p in _found(text))


def test_a_place_spelling_is_left_to_the_place_rules() -> None:
    text = "Farmers in the EU will be paid less for milk next year, the ministers agreed."
    assert all(p != _PASS for _t, _k, p in _found(text))
