"""Entities: a famous city's name used as a family name is a person's.

"Ms Paris said ...", "Judge Madrid ruled ...": after a person's title or an honorific, the name
is a person's, while the same name elsewhere in the article ("flew to Paris") stays a place.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from casedesk.extract.entities import find_entities
from casedesk.extract.pipeline import make_doc


def kinds(nlp: Language, text: str) -> list[tuple[str, str]]:
    doc = nlp(make_doc(nlp, text))
    return [(m.text, m.kind) for m in find_entities(doc) if m.kind in ("person", "place")]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Ms Paris said the warehouse had been closed since Tuesday.", "Paris"),
        ("Judge Madrid ruled on Friday that the contract was void.", "Madrid"),
        ("The nurse, Dr. Lisbon, told reporters the ward was full.", "Lisbon"),
        (
            "A spokeswoman, Claire Paris, said the firm was not told. "
            "Ms Paris rejected suggestions that it had kept selling.",
            "Paris",
        ),
    ],
)
def test_a_city_name_after_a_title_is_a_person(nlp: Language, text: str, name: str) -> None:
    found = [kind for text_, kind in kinds(nlp, text) if text_ == name]
    assert found and set(found) == {"person"}


def test_the_same_name_as_a_place_in_the_same_article_stays_a_place(nlp: Language) -> None:
    found = kinds(nlp, "Ms Paris said the shop would close. She then flew to Paris on Monday.")
    assert [k for t, k in found if t == "Paris"] == ["person", "place"]


def test_a_city_after_a_preposition_is_still_a_place(nlp: Language) -> None:
    assert ("Paris", "place") in kinds(nlp, "The minister flew to Paris on Monday.")
