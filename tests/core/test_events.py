"""Events: which dated sentences become timeline items, and how they are titled."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from casedesk.extract.corroborate import EventFact, compatible, similarity
from casedesk.extract.dates import tag_dates
from casedesk.extract.events import find_events
from casedesk.extract.model import Mention
from casedesk.extract.nlp import get_nlp
from casedesk.extract.pipeline import make_doc
from casedesk.extract.timex import period


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def events(nlp: Language, text: str, published: str = "2019-07-13") -> list[Mention]:
    doc = nlp(make_doc(nlp, text))
    dates = tag_dates(text, dt.date.fromisoformat(published))
    return find_events(doc, dates)


def test_a_dated_action_is_an_event_titled_from_its_clause(nlp: Language) -> None:
    text = (
        "From July 4, Tokyo stiffened controls on the exports of three chemicals -- "
        "fluorinated polyimide, hydrogen fluoride and photoresist."
    )
    (event,) = events(nlp, text)
    assert event.value == "2019-07-04"
    assert event.attrs["title"].startswith("Tokyo stiffened controls")
    assert len(event.attrs["title"].split()) <= 10
    assert (event.start, event.end) == (0, len(text))
    start, end = event.attrs["date_fact"]
    assert text[start:end] == "July 4"


def test_relative_dates_place_the_event_by_the_publication_date(nlp: Language) -> None:
    (event,) = events(
        nlp, "President Moon issued a strong warning to Japan on Monday.", "2019-07-15"
    )
    assert event.value == "2019-07-15"
    assert "warning" in event.attrs["title"]


def test_a_meeting_dated_directly_is_titled_by_the_meeting(nlp: Language) -> None:
    text = (
        "The first working-level meeting between the two governments on July 12 "
        "highlighted mutual distrust."
    )
    (event,) = events(nlp, text)
    assert event.value == "2019-07-12"
    assert event.attrs["title"].lower().startswith("first working-level meeting")


@pytest.mark.parametrize(
    "text",
    [
        "Trade Minister Yoo speaks at a meeting in this file photo taken on July 4, 2019.",
        "Officials are seen at the ministry in Tokyo on July 12, 2019. (Pool photo)",
        "The two countries have not held trade consultations since 2017.",
        "More than 150 cases of illegal exports were exposed from 2015 to this past March.",
        "Seoul asked for a concrete position by the end of this month.",
        "The ministry needs three years to finish the review.",
        "Exports to the country were suspended until March.",
    ],
)
def test_dates_that_do_not_date_a_happening_are_not_events(nlp: Language, text: str) -> None:
    assert events(nlp, text) == []


def test_a_meeting_that_lasted_until_a_date_is_dated_by_its_end(nlp: Language) -> None:
    text = "The video meeting lasted until early Wednesday morning."
    (event,) = events(nlp, text, "2020-03-11")
    assert event.value == "2020-03-11TMO"  # the morning of that Wednesday
    assert "meeting" in event.attrs["title"].lower()


def test_two_dates_in_one_sentence_are_two_events(nlp: Language) -> None:
    text = (
        "The government restricted exports of three items in July last year, and in the "
        "following month it removed Korea from its list of trusted partners."
    )
    found = events(nlp, text, "2020-05-12")
    assert sorted(e.value or "" for e in found) == ["2019-07", "2019-08"]


def _fact(fid: int, doc: int, value: str, title: str, keywords: list[str]) -> EventFact:
    p = period(value)
    assert p is not None
    from casedesk.extract.corroborate import _stems

    return EventFact(
        fid,
        doc,
        0,
        10,
        value,
        None,
        title,
        _stems(title.lower().split()),
        _stems(keywords),
        frozenset(),
        p,
    )


def test_reports_at_different_precision_are_compatible_but_different_days_are_not() -> None:
    day = _fact(1, 1, "2019-07-04", "Japan tightened export controls", ["export", "control"])
    month = _fact(2, 2, "2019-07", "Japan restricted exports", ["export", "restrict"])
    other_day = _fact(3, 3, "2019-07-12", "Japan tightened export controls", ["export"])
    assert compatible(day, month)
    assert not compatible(day, other_day)
    unrelated = _fact(4, 4, "2019-07-04", "North Korea fired two missiles", ["missile", "fire"])
    assert similarity(day, month) > similarity(day, unrelated)


def test_a_report_dated_only_by_year_or_season_groups_only_with_that_same_period() -> None:
    """In a large case a year holds thousands of dated happenings: "in 2019" alone cannot
    tell which one a report means, so it only joins other reports of 2019."""
    day = _fact(1, 1, "2019-07-04", "Japan tightened export controls", ["export", "control"])
    year = _fact(2, 2, "2019", "Japan tightened export controls", ["export", "control"])
    same_year = _fact(3, 3, "2019", "Japan tightened its export controls", ["export"])
    summer = _fact(4, 4, "2019-SU", "Japan tightened export controls", ["export", "control"])
    assert not compatible(day, year)
    assert not compatible(year, summer)
    assert compatible(year, same_year)
    week = _fact(5, 5, "2019-W27", "Japan tightened export controls", ["export"])
    assert compatible(day, week)


def test_reports_sharing_a_wider_period_need_more_agreement() -> None:
    from casedesk.extract.corroborate import Cluster, _fits

    title, words = "Union members approved the strike plan", ["union", "strike", "plan"]
    same_day = Cluster(1, "extracted", [_fact(1, 1, "2019-07-04", title, words)])
    same_month = Cluster(2, "extracted", [_fact(2, 1, "2019-07", title, words)])
    report = _fact(3, 2, "2019-07-04", title, words)
    assert _fits(report, same_day) > _fits(report, same_month) > 0.34
