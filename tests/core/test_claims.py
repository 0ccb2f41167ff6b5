"""Claims: reported speech with its speaker, cue and date."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from casedesk.extract.claims import find_claims, find_quotes
from casedesk.extract.dates import tag_dates
from casedesk.extract.entities import find_entities
from casedesk.extract.model import Mention
from casedesk.extract.pipeline import make_doc

PUBLISHED = "2019-07-06"


def claims(nlp: Language, text: str) -> list[Mention]:
    doc = nlp(make_doc(nlp, text))
    dates = tag_dates(text, dt.date.fromisoformat(PUBLISHED))
    return find_claims(doc, find_entities(doc), dates, PUBLISHED)


def test_clause_then_speaker_with_said_and_a_weekday(nlp: Language) -> None:
    text = (
        "The government has stepped up preparations for further export curbs, "
        "a related ministry official said Saturday."
    )
    (claim,) = claims(nlp, text)
    assert claim.value == "a related ministry official"
    assert claim.text.startswith("The government has stepped up preparations")
    assert claim.attrs["cue"] == "said"
    assert claim.attrs["date"] == "2019-07-06"
    assert claim.attrs["date_source"] == "text"


def test_according_to_names_the_source(nlp: Language) -> None:
    text = (
        "According to the Ministry of Trade, Industry and Energy, the video meeting lasted "
        "until early Wednesday morning."
    )
    (claim,) = claims(nlp, text)
    assert claim.attrs["cue"] == "according to"
    assert claim.value == "the Ministry of Trade, Industry and Energy"
    assert claim.text.startswith("the video meeting lasted")
    assert claim.attrs["date"] == PUBLISHED  # no date of its own: the publication date


def test_curly_quote_then_surname_said_and_its_continuation(nlp: Language) -> None:
    text = (
        "Trade Minister Sung Yun-mo met reporters.\n\n"
        "“The government has worked to resolve the problem as quickly as possible,” Sung said. "
        "“We have established enough trust through many explanations.”"
    )
    found = claims(nlp, text)
    assert [c.value for c in found] == ["Sung", "Sung"]
    assert (
        found[0].text == "The government has worked to resolve the problem as quickly as possible"
    )
    assert found[1].text.startswith("We have established enough trust")


def test_said_before_the_speaker_keeps_the_whole_speaker(nlp: Language) -> None:
    text = (
        '"We appreciate the crackdowns but the country needs a better system," said a senior '
        "official of the Economy, Trade and Industry Ministry."
    )
    (claim,) = claims(nlp, text)
    assert claim.value == "a senior official of the Economy, Trade and Industry Ministry"
    assert claim.text.startswith("We appreciate the crackdowns")


def test_he_is_the_speaker_of_the_sentence_before(nlp: Language) -> None:
    text = (
        "The president hopes to listen to business leaders in person, a Cheong Wa Dae "
        "official said. He added the government is trying to handle the issue calmly."
    )
    found = claims(nlp, text)
    assert [c.value for c in found] == ["a Cheong Wa Dae official"] * 2
    assert found[1].attrs["cue"] == "added"
    assert found[1].attrs["speaker_as_written"] == "He"


def test_he_is_the_person_named_before(nlp: Language) -> None:
    text = (
        "Lee Ho-hyun held a press conference in Seoul.\n\n"
        "He emphasized that the necessary measures were taken to strengthen export controls."
    )
    (claim,) = claims(nlp, text)
    assert claim.value == "Lee Ho-hyun"
    assert claim.attrs["cue"] == "emphasized"
    assert claim.text.startswith("the necessary measures were taken")


def test_a_quote_running_over_paragraphs(nlp: Language) -> None:
    text = (
        'The delegation insisted that "the figures prove that we are strictly cracking down.\n\n'
        '"Our crackdowns do not include what is produced in Japan," the delegation said.'
    )
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert text[quotes[0].start : quotes[0].end].endswith("produced in Japan")
    (claim,) = claims(nlp, text)
    assert claim.value == "The delegation"
    assert "produced in Japan" in claim.text


def test_pointed_out_and_scare_quotes(nlp: Language) -> None:
    (claim,) = claims(nlp, 'Japan pointed out that "concerns about security can\'t be dispelled."')
    assert claim.attrs["cue"] == "pointed out"
    assert claim.value == "Japan"
    assert claims(nlp, 'Seoul has called the export curbs "retaliatory".') == []


def test_a_negated_say_is_no_claim(nlp: Language) -> None:
    text = "The official didn't clearly say whether Tokyo believes the materials were moved."
    assert claims(nlp, text) == []


def test_a_wrapped_line_does_not_cut_the_sentence(nlp: Language) -> None:
    text = (
        "The government has stepped up preparations for new\n"
        "export curbs, a related ministry official said Saturday.\n\n"
        "Share this article"
    )
    (claim,) = claims(nlp, text)
    assert claim.value == "a related ministry official"
    assert claim.text.startswith("The government") and "export curbs" in claim.text


def test_a_name_in_apposition_to_a_role_is_the_speaker(nlp: Language) -> None:
    found = claims(nlp, "A company spokeswoman, Maria Lopez, said the plant would reopen soon.")
    assert [c.value for c in found] == ["Maria Lopez"]
    found = claims(nlp, "Its chief financial officer, Peter Hall, said the results were strong.")
    assert [c.value for c in found] == ["Peter Hall"]


def test_a_dateline_is_not_the_speaker(nlp: Language) -> None:
    text = (
        "LONDON, March 3 (Newswire) - The Bank of England on Thursday said that rates would hold."
    )
    assert [c.value for c in claims(nlp, text)] == ["The Bank of England"]


def test_headline_lines_are_told_from_sentences() -> None:
    from casedesk.extract.claims import _headline

    text = "Bank widens curbs, adds 12 lenders to watch list\n\nThe bank said so.\n"
    assert _headline(text, 0, 20)
    body = text.index("The bank")
    assert not _headline(text, body, body + 17)


def test_claims_are_looked_for_only_from_their_cue_words(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casedesk.extract import claims as module
    from casedesk.extract.claims import possible_cues

    text = (
        "According to the ministry, exports fell. The mayor denied that the bridge was closed. "
        "Her claim that rents rose was checked. The chef pointed out that the oven was cold. "
        "There was no evidence that fares had gone up. The dog ran home. "
        "The ministry called reports that the dam leaked completely false. "
        "Steel output rose by a tenth last year, industry figures show."
    )
    doc = nlp(make_doc(nlp, text))
    assert [doc[i].text for i in possible_cues(doc)] == [
        "According",
        "denied",
        "claim",
        "pointed",
        "evidence",
        "called",
        "reports",
        "show",
    ]
    # looking at every token finds nothing more
    found = claims(nlp, text)
    assert found
    assert {c.attrs.get("cue") for c in found} >= {"show"}  # the trailing source is found
    assert any(c.attrs.get("polarity") == "denies" for c in found)  # so is the judged one
    monkeypatch.setattr(module, "possible_cues", lambda d: list(range(len(d))))
    monkeypatch.setattr(module, "_has_that", lambda sent: True)
    assert claims(nlp, text) == found
