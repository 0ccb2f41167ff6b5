"""The date tagger reads tense from the clause a date belongs to, not from the nearest verb.

Sentences here are written for these tests; the publication dates are chosen so that the past
and the future reading of each expression differ.
"""

from __future__ import annotations

import datetime as dt

import pytest

from casedesk.extract.dates import tag_dates
from casedesk.extract.model import Mention

THURSDAY = dt.date(2025, 6, 12)
WEDNESDAY = dt.date(2025, 6, 11)
FEBRUARY = dt.date(2025, 2, 20)
MONDAY_MARCH = dt.date(2025, 3, 10)


def found(text: str, dct: dt.date, *, sets: bool = False) -> dict[str, Mention]:
    return {m.text: m for m in tag_dates(text, dct, sets=sets)}


def value_of(text: str, phrase: str, dct: dt.date) -> str | None:
    mentions = found(text, dct)
    assert phrase in mentions, f"{phrase!r} not tagged; got {sorted(mentions)}"
    return mentions[phrase].value


# --- weekdays ---------------------------------------------------------------------------------


def test_weekday_after_an_infinitive_in_a_dated_report_is_ahead() -> None:
    text = "The minister said on Tuesday that she had asked the unions to resume talks on Monday."
    assert value_of(text, "Tuesday", THURSDAY) == "2025-06-10"
    assert value_of(text, "Monday", THURSDAY) == "2025-06-16"


def test_weekday_after_by_or_from_is_a_deadline_or_start_ahead() -> None:
    text = "The company expects most customers to switch their contracts by Friday."
    assert value_of(text, "Friday", THURSDAY) == "2025-06-13"
    assert value_of("Dockers call strike from Saturday", "Saturday", THURSDAY) == "2025-06-14"
    text = "The regulator expects the fire crews to reach the valley by Sunday evening."
    assert value_of(text, "Sunday evening", THURSDAY) == "2025-06-15TEV"


def test_a_past_verb_still_wins_over_a_deadline_preposition() -> None:
    assert value_of("Talks had collapsed by Friday.", "Friday", THURSDAY) == "2025-06-06"
    assert value_of("Bookings have doubled since Monday.", "Monday", THURSDAY) == "2025-06-09"


def test_irregular_past_tenses_date_weekdays_to_the_past() -> None:
    text = "The blockade began early on Tuesday and is due to end on Sunday."
    assert value_of(text, "Tuesday", THURSDAY) == "2025-06-10"
    assert value_of(text, "Sunday", THURSDAY) == "2025-06-15"
    assert value_of("Prices rose sharply on Monday.", "Monday", THURSDAY) == "2025-06-09"


def test_passive_participles_are_not_past_tenses() -> None:
    text = "A ceremony will be held on July 20 in the capital."
    assert value_of(text, "July 20", FEBRUARY) == "2025-07-20"


# --- quarters and months ahead ---------------------------------------------------------------


def test_quarters_not_yet_begun_are_this_years_in_future_clauses() -> None:
    text = "The treasury said it would sell bonds in the third quarter."
    assert value_of(text, "the third quarter", FEBRUARY) == "2025-Q3"
    text = "The sale was postponed until the fourth quarter."
    assert value_of(text, "the fourth quarter", FEBRUARY) == "2025-Q4"
    text = "The ministry dropped its plan for a listing in the second quarter."
    assert value_of(text, "the second quarter", FEBRUARY) == "2025-Q2"


def test_quarters_reported_as_done_stay_in_the_past_year() -> None:
    assert value_of("Sales in the third quarter rose 4%.", "the third quarter", FEBRUARY) == (
        "2024-Q3"
    )


def test_edge_of_a_quarter_and_a_condition_after_it() -> None:
    text = "Reserves should recover by the end of the second quarter if exports held up."
    m = found(text, FEBRUARY)["the end of the second quarter"]
    assert (m.value, m.modifier) == ("2025-Q2", "late")


def test_modal_verbs_put_a_month_ahead() -> None:
    text = "Economists said the regulator could cut rates at its next meeting in June."
    assert value_of(text, "June", FEBRUARY) == "2025-06"
    assert value_of("The regulator cut rates in June.", "June", FEBRUARY) == "2024-06"


# --- clock times -----------------------------------------------------------------------------


def test_bare_clock_time_in_reported_speech_is_on_the_reporting_day() -> None:
    text = (
        "The merger closed on June 2. The chief executive told reporters at 3 p.m. that no "
        "jobs would go."
    )
    assert value_of(text, "3 p.m.", WEDNESDAY) == "2025-06-11T15:00"


def test_bare_clock_time_follows_the_day_of_its_story() -> None:
    text = "On Monday gunmen stormed the building. At 4 p.m. police moved in."
    assert value_of(text, "4 p.m.", WEDNESDAY) == "2025-06-09T16:00"
    text = "The vote was held on June 3 in a hall where at 2 p.m. protesters gathered."
    assert value_of(text, "2 p.m.", WEDNESDAY) == "2025-06-03T14:00"


def test_bare_clock_time_takes_a_weekday_later_in_its_sentence() -> None:
    text = "The explosion happened at 9 a.m. (0700 GMT) Tuesday near the port."
    assert value_of(text, "9 a.m.", WEDNESDAY) == "2025-06-10T09:00"


def test_bare_clock_time_without_any_day_is_the_publication_day() -> None:
    assert value_of("Polls close at 8 p.m.", "8 p.m.", WEDNESDAY) == "2025-06-11T20:00"


# --- comparisons -----------------------------------------------------------------------------


def test_a_year_earlier_keeps_the_precision_it_compares_with() -> None:
    text = (
        "Reserves stood at $30 billion at the end of February, down from $33 billion a year "
        "earlier."
    )
    assert value_of(text, "a year earlier", MONDAY_MARCH) == "2024-02"
    text = "The index closed at 1,200 on Friday, 3% lower than a week earlier."
    assert value_of(text, "Friday", MONDAY_MARCH) == "2025-03-07"
    assert value_of(text, "a week earlier", MONDAY_MARCH) == "2025-02-28"


def test_a_year_earlier_than_a_statement_day_is_a_year() -> None:
    text = "The company said on Friday that sales were 5% higher than a year earlier."
    assert value_of(text, "a year earlier", MONDAY_MARCH) == "2024"


# --- not dates -------------------------------------------------------------------------------


def test_that_night_before_a_compound_noun_is_not_a_date() -> None:
    text = "Trains ran on Monday, and that night trains to Berlin were cancelled."
    assert "that night" not in found(text, WEDNESDAY)
    assert value_of("Police arrived that night.", "that night", WEDNESDAY) is not None


def test_same_period_last_year_is_dated_by_last_year_alone() -> None:
    mentions = found("Sales rose 5% from the same period last year.", WEDNESDAY)
    assert "the same period" not in mentions
    assert mentions["last year"].value == "2024"


# --- durations and frequencies ---------------------------------------------------------------


def test_frequencies_are_not_returned_as_durations_by_default() -> None:
    text = "The plant burns 2 million tonnes of coal a year and runs daily checks every Monday."
    assert not [m for m in tag_dates(text, WEDNESDAY) if m.kind == "duration"]
    sets = found(text, WEDNESDAY, sets=True)
    assert sets["a year"].attrs["type"] == "SET"
    assert sets["every Monday"].attrs["type"] == "SET"


def test_a_rate_after_a_counted_noun_with_of_is_not_a_duration() -> None:
    text = "The field pumps 1.6 million barrels of oil a day."
    assert found(text, WEDNESDAY, sets=True)["a day"].attrs["type"] == "SET"
    assert value_of("He stayed there for a day.", "a day", WEDNESDAY) == "P1D"


def test_ordinal_second_is_not_a_second() -> None:
    assert not found("The firm switched to a second supplier.", WEDNESDAY)
    assert value_of("The lights went out for a second.", "a second", WEDNESDAY) == "PT1S"


def test_units_and_times_of_day_in_compounds_are_not_durations() -> None:
    text = "The levy rises for every 100 kilowatt-hours, and users move load to off-peak hours."
    assert not found(text, WEDNESDAY)
    assert value_of("Rescuers searched for hours.", "hours", WEDNESDAY) == "PTXH"


def test_length_with_a_modifier_before_its_unit() -> None:
    assert value_of("Refunds arrive within two business days.", "two business days", WEDNESDAY) == (
        "P2D"
    )
    text = "The union wants a working week of 35 hours."
    mentions = found(text, WEDNESDAY)
    assert "a working week" not in mentions
    assert mentions["35 hours"].value == "PT35H"


def test_over_before_a_length_is_a_preposition_after_an_amount() -> None:
    m = found("Losses are capped at 105 million pounds over three years.", WEDNESDAY)["three years"]
    assert (m.value, m.modifier) == ("P3Y", None)
    m = found("The outage lasted over a week.", WEDNESDAY)["over a week"]
    assert (m.value, m.modifier) == ("P1W", "more_than")


def test_another_is_part_of_a_length() -> None:
    text = "The contract runs for another 12 months."
    assert value_of(text, "another 12 months", WEDNESDAY) == "P12M"


def test_one_unit_old_is_a_length_but_an_age_is_not() -> None:
    text = "Miners said the levy broke a decade-old promise to a 52-year-old prospector."
    mentions = found(text, WEDNESDAY)
    assert mentions["decade-old"].value == "P10Y"
    assert not [m for m in mentions if "52" in m]


# --- weekdays under a modal, with and without the parse ----------------------------------------


MODAL_CASES = [
    # (sentence, weekday, value with the publication date a Thursday, 2025-06-12)
    ("The motion could go to a vote as early as Friday.", "Friday", "2025-06-13"),
    ("The board might decide on Monday.", "Monday", "2025-06-16"),
    ("The council will vote on Tuesday.", "Tuesday", "2025-06-17"),
    (
        "The inspectors said they would not publish their findings until Monday.",
        "Monday",
        "2025-06-16",
    ),
    ("The ferry is expected to sail on Saturday.", "Saturday", "2025-06-14"),
    ("The council voted on Tuesday.", "Tuesday", "2025-06-10"),
    ("The mayor could not be reached on Monday.", "Monday", "2025-06-09"),
    ("The driver could have left on Monday.", "Monday", "2025-06-09"),
    ("Neither man could be found on Tuesday.", "Tuesday", "2025-06-10"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), MODAL_CASES)
def test_a_weekday_under_a_modal_is_ahead_and_under_a_past_tense_behind(
    text: str, phrase: str, value: str
) -> None:
    assert value_of(text, phrase, THURSDAY) == value


@pytest.mark.parametrize(("text", "phrase", "value"), MODAL_CASES)
def test_with_the_parse_a_weekday_takes_the_tense_of_its_verb(
    text: str, phrase: str, value: str
) -> None:
    from casedesk.extract.nlp import parse

    mentions = {m.text: m for m in tag_dates(text, THURSDAY, doc=parse(text))}
    assert mentions[phrase].value == value


def test_a_date_before_the_clause_a_modal_heads_keeps_the_outer_tense() -> None:
    from casedesk.extract.nlp import parse

    text = "The envoy rejected warnings on Tuesday that the talks could collapse."
    mentions = {m.text: m for m in tag_dates(text, THURSDAY, doc=parse(text))}
    assert mentions["Tuesday"].value == "2025-06-10"


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Prices fell yesterday.", "yesterday", "2025-06-11"),
        ("The port reopens this week.", "this week", "2025-W24"),
        ("The port closed last week.", "last week", "2025-W23"),
        ("The port reopens next month.", "next month", "2025-07"),
    ],
)
def test_relative_days_weeks_and_months_count_from_the_publication_date(
    text: str, phrase: str, value: str
) -> None:
    assert value_of(text, phrase, THURSDAY) == value
