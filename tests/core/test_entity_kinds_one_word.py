"""One kind per entity across the case, for a one-word name: a company the model read as a
person in one article ("Marovec rejected the claim ...") is the organisation another article
shows ("Shares of Marovec fell ..."), whichever article is imported first; a family name
stays a person's."""

from __future__ import annotations

import pytest

from casedesk.store import Case
from textcases import add_extracted

READ_AS_PERSON = (
    "Workers said managers had ignored the reports. "
    "Marovec rejected the claim that managers had ignored the reports."
)
SHOWN_A_COMPANY = (
    "Shares of Marovec fell 9 percent on Wednesday after the company cut its forecast."
)


def _kinds(case: Case, name: str) -> set[tuple[str, str, int]]:
    return {
        (str(d), str(k), int(e))
        for d, k, e in case.conn.execute(
            "SELECT d.file_name, f.kind, f.entity_id FROM facts f "
            "JOIN documents d ON d.id = f.document_id WHERE f.text = ?",
            (name,),
        )
    }


@pytest.mark.parametrize("first", ["read_as_person", "shown_a_company"])
def test_a_one_word_company_has_one_kind_whichever_article_comes_first(
    case: Case, first: str
) -> None:
    texts = [READ_AS_PERSON, SHOWN_A_COMPANY]
    if first == "shown_a_company":
        texts.reverse()
    add_extracted(case, {"a.txt": ("2024-03-01", texts[0]), "b.txt": ("2024-03-05", texts[1])})
    found = _kinds(case, "Marovec")
    assert {d for d, _k, _e in found} == {"a.txt", "b.txt"}
    assert {(k, e) for _d, k, e in found} == {("organization", next(iter(found))[2])}
    assert [k for (k,) in case.conn.execute("SELECT kind FROM entities")] == ["organization"]


def test_a_family_name_in_a_full_name_stays_a_person(case: Case) -> None:
    add_extracted(
        case,
        {
            "a.txt": ("2024-03-01", SHOWN_A_COMPANY),
            "b.txt": (
                "2024-03-05",
                "The actor Nina Marovec arrived on Monday. Marovec said she would stay a week.",
            ),
        },
    )
    kinds = {(d, k) for d, k, _e in _kinds(case, "Marovec")}
    assert ("a.txt", "organization") in kinds
    assert ("b.txt", "organization") not in kinds


# A name the model alone calls an organisation, which its article does not show to be one, is
# left out there unless the case knows the organisation (``_known_to_the_case``).
UNSHOWN_HERE = "Norbrek tablets were recalled on Monday. The deal with Norbrek collapsed."
SHOWN_THERE = "Shares of Norbrek fell 9 percent on Wednesday after the company cut its forecast."


@pytest.mark.parametrize("separately", [False, True], ids=["one_import", "two_imports"])
@pytest.mark.parametrize("first", ["unshown", "shown"])
def test_an_organisation_shown_in_one_article_is_written_in_the_other_whatever_the_order(
    case: Case, first: str, separately: bool
) -> None:
    texts = [UNSHOWN_HERE, SHOWN_THERE]
    if first == "shown":
        texts.reverse()
    docs = {"a.txt": ("2024-03-01", texts[0]), "b.txt": ("2024-03-05", texts[1])}
    if separately:
        for name, doc in docs.items():
            add_extracted(case, {name: doc})
    else:
        add_extracted(case, docs)
    found = _kinds(case, "Norbrek")
    assert {d for d, _k, _e in found} == {"a.txt", "b.txt"}
    assert len({(k, e) for _d, k, e in found}) == 1
    assert {k for _d, k, _e in found} == {"organization"}
