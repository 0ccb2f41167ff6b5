"""Claims: "the company said" stands for the company named before it (the nearest
organisation that is no public body, association or abbreviation), so the claim is the
company's."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from casedesk.extract.claims import find_claims
from casedesk.extract.dates import tag_dates
from casedesk.extract.entities import find_entities
from casedesk.extract.pipeline import make_doc


def speaker_heads(nlp: Language, text: str) -> list[str]:
    doc = nlp(make_doc(nlp, text))
    dates = tag_dates(text, dt.date(2026, 3, 7))
    out = []
    for c in find_claims(doc, find_entities(doc), dates, "2026-03-07"):
        head = c.attrs.get("speaker_head") or c.attrs.get("speaker_span")
        out.append(text[head[0] : head[1]] if head else "")
    return out


@pytest.mark.parametrize(
    "text, speaker",
    [
        (
            "Shares of Tarkin fell 9 percent on Wednesday after the company said the recall "
            "would cost about 60 million euros.",
            "Tarkin",
        ),
        (
            "The regulator said doctors should switch. Velmora Foods will pay for the "
            "replacements, the company said.",
            "Velmora Foods",
        ),
        (
            "Ostrava Mining Ltd closed the pit. The Health Ministry fined the plant on "
            "Tuesday. The firm said it would appeal.",
            "Ostrava Mining Ltd",
        ),
    ],
)
def test_the_company_is_the_company_named_before(nlp: Language, text: str, speaker: str) -> None:
    assert speaker_heads(nlp, text)[-1] == speaker


def test_a_public_body_is_no_company(nlp: Language) -> None:
    heads = speaker_heads(
        nlp, "The Health Ministry fined the plant. The company said it would appeal."
    )
    assert heads == ["company"] or heads == ["The company"]
