"""Events: which dated sentences become timeline items, and how they are titled."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from casedesk.extract.corroborate import EventFact, compatible, similarity
from casedesk.extract.dates import tag_dates
from casedesk.extract.events import find_events
from casedesk.extract.model import Mention
from casedesk.extract.pipeline import make_doc
from casedesk.extract.timex import period


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


@pytest.mark.parametrize(
    ("text", "published", "title"),
    [
        # An infinitive after "is due to" / "is expected to" takes the subject of the verb it
        # hangs on, in the headline's future: "X to do Y".
        (
            "The striker is due to fly to Madrid on Friday for a medical.",
            "2023-05-10",
            "Striker to fly to Madrid",
        ),
        (
            "The regulator is expected to publish its findings on Thursday.",
            "2023-05-10",
            "Regulator to publish its findings",
        ),
        # A verb joined to another by "and" shares its subject.
        (
            "The stoppage began on Monday and is due to end at midnight on Wednesday.",
            "2023-05-10",
            "Stoppage to end",
        ),
        # An amount that hangs on the verb without a preposition belongs to the headline.
        (
            "Shares in the brewer fell 12% on Tuesday.",
            "2023-05-10",
            "Shares in the brewer fell 12%",
        ),
        # A pronoun in reported speech is written out as the speaker.
        (
            "The airline said on Monday that it would cut 400 jobs.",
            "2023-05-10",
            "Airline would cut 400 jobs",
        ),
        # A relative pronoun is written out as the noun it stands for.
        (
            "Unemployment, which the agency put at 6.1% in March, is expected to fall.",
            "2023-05-10",
            "Agency put unemployment",
        ),
        # An elliptic "the last" takes the noun of the sentence before.
        (
            "The union has staged four walkouts since January. The last, in April, lasted "
            "three days.",
            "2023-05-10",
            "Last walkout lasted three days",
        ),
        # A gerund of reason is done by the one the verb acts on.
        (
            "UEFA fined the club on Monday for breaching spending rules in 2022.",
            "2023-05-10",
            "Club breaching spending rules",
        ),
        # A clause after a semicolon is not what the verb before it reports.
        (
            "The board met on Monday; the staff were told two days later.",
            "2023-05-10",
            "Staff were told",
        ),
        # A sentence that opens on a pronoun names the subject of the sentence before.
        (
            "The currency closed at 1,712 on Thursday. It recovered to 1,695 on Friday.",
            "2023-05-13",
            "Currency recovered to 1,695",
        ),
        (
            "The brewer reported a loss on Monday. Its shares fell 8% on Tuesday.",
            "2023-05-13",
            "Brewer's shares fell 8%",
        ),
        # An event noun that is only the object or the occasion of a verb gives way to it.
        (
            "Shareholders approved the merger at an extraordinary meeting on Tuesday.",
            "2023-05-10",
            "Shareholders approved merger",
        ),
        # What did not happen ("without agreement") is not the happening.
        (
            "The talks ended without agreement on Tuesday.",
            "2023-05-10",
            "Talks ended without agreement",
        ),
        # A statement dated by its issue is titled by what it said.
        (
            "In a statement issued on Wednesday, the party said its leader would resign.",
            "2023-05-10",
            "Party's leader would resign",
        ),
        # A speaker named with a title is named by name.
        (
            'Club chairman Anna Berg told reporters on Monday: "We are happy."',
            "2023-05-10",
            "Anna Berg: We are happy",
        ),
        # A bare event noun gives way to the clause that says what happened.
        (
            "The merger, approved by the competition authority on March 3, creates the "
            "largest grocer in the country.",
            "2023-05-10",
            "Merger approved by the competition authority",
        ),
    ],
)
def test_titles_read_as_headlines(nlp: Language, text: str, published: str, title: str) -> None:
    found = [e for e in events(nlp, text, published) if e.attrs["title"]]
    assert found, text
    assert found[-1].attrs["title"] == title
    assert len(title.split()) <= 10


def test_a_dateline_is_neither_the_date_nor_the_subject_of_the_lead(nlp: Language) -> None:
    text = (
        "OSLO, May 3 (Nordic Wire) - Hundreds of ferry workers walked off the job on "
        "Wednesday over pay."
    )
    (event,) = events(nlp, text, "2023-05-03")
    assert event.value == "2023-05-03"
    assert event.attrs["date_text"] == "Wednesday"
    assert event.attrs["title"].startswith("Hundreds of ferry workers walked")
    assert "OSLO" not in event.attrs["title"]


@pytest.mark.parametrize(
    "text",
    [
        # page stamps, menus and footers
        "Ferry strike spreads to northern ports Published Tuesday, May 2, 2023",
        "Ferry strike spreads to northern ports Wednesday 3 May 2023",
        "Home | Business | Markets | Updated 3 May 2023",
        "Posted on May 2, 2023 by staff writer",
        "Read more: Court halts ferry strike (May 2, 2023)",
        "Read our coverage on the live page · Local news since 1987 ·",
        # a date that dates the source of the report, not a happening
        "Sales rose 4%, according to figures published on Monday.",
        # the ends of a range, a baseline of a comparison
        "The tablets were made between January and March.",
        "Exports were 4% weaker than a year earlier.",
        # a state since a date, a level at a date
        "The plant has been closed since April.",
        "Reserves stood at $40 billion at the end of March.",
    ],
)
def test_stamps_menus_sources_and_ranges_are_not_events(nlp: Language, text: str) -> None:
    assert events(nlp, text, "2023-05-03") == []


def test_a_count_in_an_apposition_dates_nothing(nlp: Language) -> None:
    text = "The strike, the third this year, will start on Monday."
    (event,) = events(nlp, text, "2023-05-10")
    assert event.value == "2023-05-15"
    assert event.attrs["title"] == "Strike will start"
    text = "The carmaker recalled 700,000 cars in March, the second recall this year."
    assert [e.value for e in events(nlp, text, "2023-05-10")] == ["2023-03"]


def test_a_date_inside_what_a_verb_is_for_titles_that_thing(nlp: Language) -> None:
    text = "The coach named him on Thursday for two qualifiers in Spain later this month."
    found = {e.value: e.attrs["title"] for e in events(nlp, text, "2023-05-10")}
    assert found.pop("2023-05").startswith("Two qualifiers")
    assert [title.startswith("Coach named him") for title in found.values()] == [True]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Dock workers began a strike on Monday.", "The walkout started on Monday."),
        (
            "The central bank raised its main rate on Monday.",
            "The lender hiked borrowing costs on Monday.",
        ),
        ("The court upheld the ban on Monday.", "Judges ruled for the ministry on Monday."),
        ("The company recalled 40,000 cars on Monday.", "A recall was issued on Monday."),
        ("Officials evacuated the town on Monday.", "The evacuation was ordered on Monday."),
        ("The regulator fined the bank on Monday.", "The lender was penalised on Monday."),
        ("Talks ended on Monday.", "The negotiations concluded on Monday."),
        ("The rules take effect on Monday.", "The levies, which come into force on Monday, ..."),
        # a happening the date itself introduces counts towards the title's words
        (
            "The takeover will be completed on Monday.",
            "The chief executive will step down on Monday, when the takeover is completed.",
        ),
    ],
)
def test_differently_worded_reports_of_one_happening_share_a_class(
    nlp: Language, first: str, second: str
) -> None:
    """Outlets name one happening with different words of one class: the title stems of
    the two reports meet, so corroboration can join them."""
    from casedesk.extract.corroborate import _stems

    (a,) = events(nlp, first, "2023-05-10")
    (b,) = events(nlp, second, "2023-05-10")
    assert _stems(a.attrs["title_keywords"]) & _stems(b.attrs["title_keywords"])


def test_accents_do_not_keep_a_name_apart() -> None:
    from casedesk.extract.corroborate import stem

    assert stem("Araújo") == stem("Araujo")
    assert stem("Zürich") == stem("Zurich")


def test_a_price_rise_and_a_rate_raise_stay_different_classes() -> None:
    from casedesk.extract.corroborate import stem

    assert stem("rise") != stem("raise")
    assert stem("cut") != stem("fall")
    assert stem("hike") == stem("increase") == stem("raise")


# --- periods without a happening; titles from the happening's clause --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The 2019 season drew record crowds.",
        "The 2024 fiscal year begins in April.",
        "Net income in fiscal 2023 rose 4% to $1.1 billion.",
        "In the first quarter, the group sold 300 trucks.",
        "Sales in the second half rose 8%.",
    ],
)
def test_a_period_without_a_happening_is_no_event(nlp: Language, text: str) -> None:
    assert events(nlp, text, "2024-03-13") == []


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("In the first quarter, the group sold its bank.", "Group sold its bank"),
        ("The 2019 election was marred by fraud.", "Election was marred by fraud"),
    ],
)
def test_a_happening_in_a_period_is_still_an_event(nlp: Language, text: str, title: str) -> None:
    (event,) = events(nlp, text, "2024-03-13")
    assert event.attrs["title"] == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Speaking to reporters on Tuesday, the governor announced new curbs.",
            "Governor announced new curbs",
        ),
        ("Writing in a newspaper on Sunday, the mayor defended the plan.", "Mayor defended plan"),
        (
            "Asked on Monday about the deal, the chief executive declined to comment.",
            "Chief executive declined to comment",
        ),
        ("In a statement on Friday, the union called off the strike.", "Union called off strike"),
    ],
)
def test_a_title_is_the_clause_of_the_happening_not_its_opening_phrase(
    nlp: Language, text: str, title: str
) -> None:
    (event,) = events(nlp, text, "2024-03-13")
    assert event.attrs["title"] == title


def test_a_speaker_speaking_on_a_day_is_titled_by_what_was_said(nlp: Language) -> None:
    text = "The minister, speaking on Monday, said prices would fall."
    (event,) = events(nlp, text, "2024-03-13")
    assert event.value == "2024-03-11"
    assert event.attrs["title"] == "Prices would fall"
