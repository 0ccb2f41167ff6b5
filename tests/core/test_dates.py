"""The date tagger: values at their own precision, anchored on the publication date."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from casedesk.extract.dates import infer_publication_date, tag_dates
from casedesk.extract.model import Mention
from casedesk.extract.timex import period

SATURDAY = dt.date(2019, 7, 6)
MAY_12 = dt.date(2020, 5, 12)
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from shared import shared_dir  # noqa: E402

TEMPEVAL = (shared_dir() or ROOT / "shared") / "tempeval" / "TBAQ-cleaned"


def found(text: str, dct: dt.date | None = SATURDAY) -> dict[str, Mention]:
    return {m.text: m for m in tag_dates(text, dct)}


def value_of(text: str, phrase: str, dct: dt.date | None = SATURDAY) -> str | None:
    mentions = found(text, dct)
    assert phrase in mentions, f"{phrase!r} not tagged; got {sorted(mentions)}"
    return mentions[phrase].value


# --- the examples ------------------------------------------------------------------


def test_weekdays_follow_tense() -> None:
    text = (
        "The ministry said Saturday that the session slated for Wednesday would decide. "
        "Officials met on Thursday."
    )
    assert value_of(text, "Saturday") == "2019-07-06"
    assert value_of(text, "Wednesday") == "2019-07-10"
    assert value_of(text, "Thursday") == "2019-07-04"


def test_future_auxiliaries_choose_the_next_weekday() -> None:
    assert value_of("Talks will resume on Monday.", "Monday") == "2019-07-08"
    assert value_of("Seoul is expected to answer by Tuesday.", "Tuesday") == "2019-07-09"
    assert value_of("Seoul answered on Tuesday.", "Tuesday") == "2019-07-02"


def test_month_without_year_is_the_nearest_one_minding_tense() -> None:
    assert value_of("Exports fell in January.", "January") == "2019-01"
    assert value_of("Talks will be held in December.", "December") == "2019-12"
    assert value_of("The tariffs were imposed in December.", "December") == "2018-12"


def test_relative_months_and_anaphora() -> None:
    text = (
        "In July last year Japan tightened export rules. The following month it removed Korea "
        "from its white list. Next month talks resume. On the 12th officials met."
    )
    assert value_of(text, "July last year", MAY_12) == "2019-07"
    assert value_of(text, "The following month", MAY_12) == "2019-08"
    assert value_of(text, "Next month", MAY_12) == "2020-06"
    assert value_of(text, "the 12th", MAY_12) == "2020-05-12"
    assert found(text, MAY_12)["The following month"].attrs["anchor"] == "previous"


def test_day_of_this_month() -> None:
    assert value_of(
        "It took effect on the 6th of this month.", "the 6th of this month", MAY_12
    ) == ("2020-05-06")
    assert value_of(
        "The rule changed on the 28th of last month.", "the 28th of last month", MAY_12
    ) == ("2020-04-28")


def test_korean_style_day_of_this_month() -> None:
    text = "The law will be enforced next month, and this month 6th he emphasized it."
    assert value_of(text, "this month 6th", MAY_12) == "2020-05-06"


def test_anaphoric_day_after_an_explicit_date() -> None:
    text = "The list was revised on Aug. 2, 2019. The next day Seoul protested."
    assert value_of(text, "The next day", MAY_12) == "2019-08-03"


def test_weeks_are_iso_weeks() -> None:
    text = "Officials met last week and will meet again next week."
    assert value_of(text, "last week") == "2019-W26"
    assert value_of(text, "next week") == "2019-W28"


def test_full_date_with_weekday_and_time() -> None:
    mentions = found("The notice came Thursday, July 11, 2019 at 2 p.m. in Tokyo.")
    m = mentions["Thursday, July 11, 2019 at 2 p.m."]
    assert m.value == "2019-07-11T14:00"
    assert m.attrs["type"] == "TIME"
    assert period(m.value) is not None and period(m.value).start == dt.date(2019, 7, 11)  # type: ignore[union-attr]


def test_clock_time_lands_on_the_anchored_day() -> None:
    text = "The ministry announced the measures on July 1. The briefing began at 2 p.m."
    assert value_of(text, "2 p.m.") == "2019-07-01T14:00"


def test_vague_parts_keep_precision_with_a_modifier() -> None:
    mentions = found("Shipments resumed in mid-December and early July.")
    assert (mentions["mid-December"].value, mentions["mid-December"].modifier) == ("2018-12", "mid")
    assert (mentions["early July"].value, mentions["early July"].modifier) == ("2019-07", "early")


def test_explicit_dates_at_their_own_precision() -> None:
    text = (
        "It began in 2019, peaked in July 2019, ended on July 4, 2019 and the third quarter "
        "of 2019."
    )
    mentions = found(text)
    assert mentions["2019"].value == "2019"
    assert mentions["July 2019"].value == "2019-07"
    assert mentions["July 4, 2019"].value == "2019-07-04"
    assert mentions["the third quarter of 2019"].value == "2019-Q3"


def test_relative_days_and_years() -> None:
    text = "Yesterday the ministry said exports rose 5% last year and would grow this year."
    mentions = found(text)
    assert mentions["Yesterday"].value == "2019-07-05"
    assert mentions["last year"].value == "2018"
    assert mentions["this year"].value == "2019"
    assert value_of("The rule was adopted three years ago.", "three years ago") == "2016"


# --- durations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The talks lasted 5 1/2 hours.", "5 1/2 hours", "PT5H30M"),
        ("The dispute has run three years.", "three years", "P3Y"),
        ("Exports were halted for 14 days.", "14 days", "P14D"),
        ("It has lasted more than three years.", "more than three years", "P3Y"),
        ("Reviews take about 90 days.", "about 90 days", "P90D"),
    ],
)
def test_durations_are_not_calendar_dates(text: str, phrase: str, value: str) -> None:
    m = found(text)[phrase]
    assert m.kind == "duration"
    assert m.value == value
    assert m.attrs["type"] == "DURATION"
    assert period(m.value) is None


def test_more_than_is_kept_as_modifier() -> None:
    assert found("It has lasted more than three years.")["more than three years"].modifier == (
        "more_than"
    )


# --- false dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Seoul may retaliate if Tokyo does not relent.",
        "We will respond, the minister said.",
        "Protesters march on the embassy every week.",
        "Sun Microsystems shares rose.",
        "The stock rose 3.5 to 42.10 in heavy trading.",
        "About 1,500 workers and 2000 people joined the rally.",
        "The score stood at 7 to 5.",
        "Room 2019 was empty.",
        "March forward, he urged.",
        "\u00a9 2019 Yonhap News Agency. Copyright 2019 The Mainichi.",
    ],
)
def test_no_false_dates(text: str) -> None:
    calendar = [
        m for m in tag_dates(text, SATURDAY) if m.kind == "date" and m.value != "PRESENT_REF"
    ]
    assert calendar == [], [(m.text, m.value) for m in calendar]


def test_may_and_march_as_months_with_context() -> None:
    mentions = found("The rules changed in May and again in March 2020.", MAY_12)
    assert mentions["May"].value == "2020-05"
    assert mentions["March 2020"].value == "2020-03"
    mentions = found("Curbs applied from March to May.", MAY_12)
    assert (mentions["March"].value, mentions["May"].value) == ("2020-03", "2020-05")
    assert not found("Unions gathered and March on the ministry.", MAY_12)


def test_year_used_as_modifier_is_a_year() -> None:
    assert value_of("the 2019 export curbs", "2019") == "2019"


# --- mechanics ------------------------------------------------------------------------------


def test_offsets_match_text_and_mentions_do_not_overlap() -> None:
    text = (
        "TOKYO, July 4 (Reuters) - Japan said on Thursday, July 4, 2019 that curbs start "
        "next week, three years after talks began in mid-2016; a meeting is set for 10:30 a.m. "
        "Friday and lasted 5 1/2 hours."
    )
    mentions = tag_dates(text, SATURDAY)
    assert mentions
    previous_end = -1
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.start >= previous_end
        assert m.provenance == "rules:dates"
        assert m.attrs["type"] in ("DATE", "TIME", "DURATION", "SET")
        assert "rule" in m.attrs and "anchor" in m.attrs
        previous_end = m.end


def test_skip_ranges_are_ignored() -> None:
    text = "Updated July 1, 2019. Japan imposed curbs on July 4, 2019."
    skip = [(0, 21)]
    values = [m.value for m in tag_dates(text, SATURDAY, skip=skip)]
    assert values == ["2019-07-04"]


def test_without_a_publication_date_only_absolute_dates_get_values() -> None:
    mentions = found("On July 4, 2019 Japan acted; on Friday Seoul replied.", None)
    assert mentions["July 4, 2019"].value == "2019-07-04"
    assert not any(
        m.value and m.value.startswith("2019-07-0") for t, m in mentions.items() if t == "Friday"
    )


# --- publication date inference ---------------------------------------------------------------


def test_infer_publication_date_from_weekday_and_full_date() -> None:
    text = (
        "Japan on July 4, 2019 tightened rules on exports to South Korea. Seoul said Saturday "
        "it would file a complaint."
    )
    result = infer_publication_date(text)
    assert result is not None
    day, evidence = result
    assert day == dt.date(2019, 7, 6)
    assert "July 4, 2019" in evidence and "Saturday" in evidence


def test_infer_publication_date_is_honest() -> None:
    assert infer_publication_date("Seoul said Saturday it would respond.") is None
    assert infer_publication_date("No dates at all here.") is None


def test_infer_publication_date_from_full_date_alone() -> None:
    day, evidence = infer_publication_date("The rules took effect on Aug. 28, 2019.") or (None, "")
    assert day == dt.date(2019, 8, 28)
    assert "Aug. 28, 2019" in evidence


# --- the TempEval-3 scorer ------------------------------------------------------------------


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tempeval_bench", ROOT / "bench" / "tempeval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SNIPPET = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-08"
 functionInDocument="CREATION_TIME">1998-08-08</TIMEX3></DCT>
<TEXT>
Bombs exploded <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3> at the
embassies &amp; killed dozens.
Talks lasted <TIMEX3 tid="t2" type="DURATION" value="P3D">three days</TIMEX3> and will
resume <TIMEX3 tid="t3" type="DATE" value="1998-W33">next week</TIMEX3>.
Sales rose in <TIMEX3 tid="t4" type="DATE" value="1998-Q2">the second quarter of
1998</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_timeml_is_stripped_with_gold_offsets() -> None:
    bench = _bench()
    doc = bench.strip_timeml(SNIPPET, "snippet.tml")
    assert doc.dct == dt.date(1998, 8, 8)
    assert "&amp;" not in doc.text and " & " in doc.text
    assert [(" ".join(g.text.split()), g.value) for g in doc.gold] == [
        ("Friday", "1998-08-07"),
        ("three days", "P3D"),
        ("next week", "1998-W33"),
        ("the second quarter of 1998", "1998-Q2"),
    ]
    for g in doc.gold:
        assert doc.text[g.start : g.end] == g.text


def test_scorer_counts_strict_relaxed_and_value_matches() -> None:
    bench = _bench()
    doc = bench.strip_timeml(SNIPPET, "snippet.tml")
    calendar = [g for g in doc.gold if g.type in ("DATE", "TIME")]
    mentions = [m for m in tag_dates(doc.text, doc.dct) if m.kind == "date"]
    counts = bench.score(doc, calendar, mentions)
    assert counts.gold == 3
    assert counts.relaxed == 3
    assert counts.value == 3
    # A prediction that only overlaps counts as relaxed, not strict.
    shifted = [
        Mention("date", g.start, g.end + 1, doc.text[g.start : g.end + 1], g.value)
        for g in calendar
    ]
    partial = bench.score(doc, calendar, shifted)
    assert (partial.strict, partial.relaxed, partial.value) == (0, 3, 3)
    wrong = [Mention("date", g.start, g.end, g.text, "1900") for g in calendar]
    assert bench.score(doc, calendar, wrong).value == 0


def test_timeml_without_dct_is_a_clear_error() -> None:
    bench = _bench()
    with pytest.raises(ValueError, match="broken.tml"):
        bench.strip_timeml("<TimeML><TEXT>x</TEXT></TimeML>", "broken.tml")


@pytest.mark.skipif(not TEMPEVAL.exists(), reason="TempEval-3 data not present")
def test_value_f1_on_a_sample_of_timebank() -> None:
    bench = _bench()
    files = sorted((TEMPEVAL / "TimeBank").glob("*.tml"))[:25]
    total = bench.Counts()
    for f in files:
        doc = bench.strip_timeml(f.read_text(encoding="utf-8"), f.name)
        calendar = [g for g in doc.gold if g.type in ("DATE", "TIME")]
        others = [g for g in doc.gold if g.type not in ("DATE", "TIME")]
        mentions = [m for m in tag_dates(doc.text, doc.dct) if m.kind == "date"]
        total.add(bench.score(doc, calendar, mentions, ignore=others))
    assert total.prf(total.value)[2] > 0.7


def test_future_cue_after_the_weekday() -> None:
    text = (
        "On Sunday, the presidential chief of staff for economic policy is expected to meet them."
    )
    assert value_of(text, "Sunday") == "2019-07-07"


def test_edges_of_the_current_period() -> None:
    mentions = found("Seoul asked for an answer by the end of this month.", MAY_12)
    m = mentions["the end of this month"]
    assert (m.value, m.modifier) == ("2020-05", "late")


def test_newspaper_names_are_not_sets() -> None:
    assert not [m for m in tag_dates("Read the Mainichi Daily and Business Weekly.", SATURDAY)]


def test_timestamp_with_date() -> None:
    assert value_of("Updated 18:38, May 12 by the desk.", "18:38, May 12", MAY_12) == (
        "2020-05-12T18:38"
    )


def test_every_calendar_value_is_placed_by_period() -> None:
    text = (
        "On Thursday, July 11, 2019 at 2 p.m. officials met; last weekend, in the 1990s, in the "
        "third quarter, last summer, mid-December, next week, yesterday evening, the following "
        "month, the end of the year, this century, this morning and three years ago."
    )
    for m in tag_dates(text, SATURDAY):
        if m.kind == "date" and m.value not in ("PRESENT_REF", "PAST_REF", "FUTURE_REF"):
            assert period(m.value, m.modifier) is not None, (m.text, m.value)


def test_period_of_weekends_and_decades() -> None:
    weekend = period("2019-W28-WE")
    assert weekend is not None and (weekend.start, weekend.end) == (
        dt.date(2019, 7, 13),
        dt.date(2019, 7, 14),
    )
    decade = period("199")
    assert decade is not None and (decade.start.year, decade.end.year) == (1990, 1999)


def test_second_day_of_a_coordinated_pair() -> None:
    mentions = found("The summit meets on April 24 and 25 in Washington.", dt.date(1999, 3, 12))
    assert mentions["April 24"].value == "1999-04-24"
    assert mentions["25"].value == "1999-04-25"
    assert "5" not in found("On July 4 and 5 people were hurt.")


def test_holidays() -> None:
    assert value_of(
        "Protesters prayed as Easter week began.", "Easter week", dt.date(2000, 4, 17)
    ) == ("2000-W16")
    assert value_of(
        "The campaign runs to Election Day.", "Election Day", dt.date(1998, 10, 26)
    ) == ("1998-11-03")


def test_numeric_dates_of_web_pages() -> None:
    mentions = found("Posted : 2019-07-06 14:35 Updated : 2019.07.06 15:01", None)
    assert mentions["2019-07-06 14:35"].value == "2019-07-06T14:35"
    assert mentions["2019.07.06 15:01"].value == "2019-07-06T15:01"
    assert found("Install version 2019.1.2 today.", None).keys() <= {"today"}


def test_infer_publication_date_ignores_dates_ahead() -> None:
    text = (
        "Japan removed South Korea from its list on Aug. 2, 2019, officials said Friday. "
        "The rule will take effect on Aug. 28, 2019."
    )
    result = infer_publication_date(text)
    assert result is not None
    assert result[0] == dt.date(2019, 8, 2)


def test_scorer_treats_week_and_hour_spellings_as_one_value() -> None:
    bench = _bench()
    assert bench.same_value("2000-W7", "2000-W07")
    assert bench.same_value("1989-11-06T17", "1989-11-06T17:00")
    assert bench.same_value("199X", "199")
    assert not bench.same_value("2000-W7", "2000-W17")
    assert not bench.same_value("1998-08-07", "1998-08-07T10:35")


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Results for Q3 2019 were weak.", "Q3 2019", "2019-Q3"),
        ("FY2019 sales rose.", "FY2019", "2019"),
        ("Talks are set for the week of July 8.", "the week of July 8", "2019-W28"),
        ("The meeting is set for July 24-25.", "25", "2019-07-25"),
        ("Exports fell in the first half of this year.", "the first half of this year", "2019-H1"),
    ],
)
def test_business_and_range_forms(text: str, phrase: str, value: str) -> None:
    assert value_of(text, phrase) == value


def test_over_the_past_is_a_preposition_not_more_than() -> None:
    m = found("Exports grew over the past 30 years.")["the past 30 years"]
    assert (m.value, m.modifier) == ("P30Y", None)


def test_every_weekday_is_a_set() -> None:
    m = {m.text: m for m in tag_dates("The committee meets every Monday.", SATURDAY, sets=True)}[
        "every Monday"
    ]
    assert (m.kind, m.attrs["type"]) == ("duration", "SET")


def test_story_anchored_on_years_ago() -> None:
    text = "Three years ago the rules were eased. The following year they were tightened."
    assert value_of(text, "The following year") == "2017"


def test_publication_datetime_is_taken_as_its_day() -> None:
    stamp = dt.datetime(2019, 7, 6, 18, 30)
    assert value_of("Officials met yesterday.", "yesterday", stamp) == "2019-07-05"


def test_head_word_windows_find_what_a_full_scan_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each rule only runs near its head words; that must not change what is found."""
    from casedesk.extract import dates

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts.append(
        "On Thursday, July 11, 2019 at 2 p.m. (0500 GMT) officials met; in the 1990s, the '80s, "
        "the nineties, nineteen ninety-six, FY2019, Q3 2019, the week of July 8, every Monday, "
        "Christmas Eve, Easter week, year-end, the end of this month, on the 12th, this month 6th, "
        "a week or so ago, three years ago, the year-ago quarter, the third quarter of 1990, "
        "recently, these days, in the past, daily, 2019.07.06 14:35, 7/4/2019, 5 1/2 hours."
    )
    fast = [[(m.start, m.end, m.value) for m in tag_dates(t, SATURDAY)] for t in texts]
    for rule in dates._RULES:
        monkeypatch.setattr(rule, "head_pattern", None)
    full = [[(m.start, m.end, m.value) for m in tag_dates(t, SATURDAY)] for t in texts]
    assert fast == full
    assert sum(len(f) for f in fast) > 40


def test_infer_publication_date_ignores_debris() -> None:
    debris = "Related: Updated Aug. 30, 2021. "
    text = debris + "Japan on July 4, 2019 tightened rules. Seoul said Saturday it would respond."
    day, _ = infer_publication_date(text, skip=[(0, len(debris))]) or (None, "")
    assert day == dt.date(2019, 7, 6)


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Controls apply as of the 28th.", "the 28th", "2020-05-28"),
        ("They met on the afternoon of the 12th.", "the 12th", "2020-05-12"),
        ("Results for H1 2019 were weak.", "H1 2019", "2019-H1"),
    ],
)
def test_day_of_month_after_prepositions(text: str, phrase: str, value: str) -> None:
    assert value_of(text, phrase, MAY_12) == value


def test_ordinals_that_are_not_days() -> None:
    assert not found("The office is on the 2nd floor, on the 5th anniversary.", MAY_12)


def test_day_of_a_month_named_in_the_same_sentence() -> None:
    text = "In July last year, Japan acted on the 4th. Seoul answered on the 12th."
    assert value_of(text, "the 4th", MAY_12) == "2019-07-04"
    assert value_of(text, "the 12th", MAY_12) == "2020-05-12"


def test_thousands_in_durations() -> None:
    assert value_of("a history of 1,000 years", "1,000 years") == "P1000Y"


def test_year_possessive_quarter_and_fourth_of_july() -> None:
    assert value_of("2020's first quarter was weak.", "2020's first quarter", MAY_12) == "2020-Q1"
    assert value_of("Parades on the Fourth of July.", "Fourth of July", MAY_12) == "2020-07-04"


def test_years_after_prepositions_and_bare_seasons() -> None:
    assert value_of("Since 1990 there has been a trend.", "1990") == "1990"
    assert value_of("Spending in 1990 will rise.", "1990") == "1990"
    assert value_of("Exports recover in spring.", "spring", MAY_12) == "2020-SP"
    assert not found("The ``Spring of Life'' rallies drew crowds.")


def test_infer_publication_date_from_dateline_and_lead_weekday() -> None:
    text = (
        "GENEVA, June 3 (Wire) - The panel on Tuesday ruled against the tariffs, which were "
        "imposed in 2022. Officials said they would appeal."
    )
    result = infer_publication_date(text)
    assert result is not None
    assert result[0] == dt.date(2025, 6, 3)  # the first June 3 that is a Tuesday from 2022
    assert "dateline" in result[1] and "2022" in result[1]


def test_infer_publication_date_needs_a_year_to_bound_the_weekday() -> None:
    text = "GENEVA, June 3 (Wire) - The panel on Tuesday ruled against the tariffs."
    assert infer_publication_date(text) is None


def test_scheduled_effect_and_forecasts_are_future() -> None:
    thursday = dt.date(2025, 3, 13)
    assert value_of(
        "The duties, which come into force on Friday, drew protests.", "Friday", thursday
    ) == ("2025-03-14")
    assert value_of("The duties took effect on Friday.", "Friday", thursday) == "2025-03-07"
    assert value_of(
        "Forecasters expect heavy rain, forecasting 20 cm on Saturday.", "Saturday", thursday
    ) == ("2025-03-15")


def test_part_of_a_named_day_is_kept() -> None:
    text = "Negotiators met on Wednesday evening and signed the accord yesterday afternoon."
    assert value_of(text, "Wednesday evening") == "2019-07-03TEV"
    assert value_of(text, "yesterday afternoon") == "2019-07-05TAF"
    assert period("2019-07-03TEV", None) is not None


def test_clock_time_before_a_dated_day_joins_it() -> None:
    text = "The strike begins at 10pm on Monday 15 July, and the port reopens at 9 a.m. on July 17."
    assert value_of(text, "10pm on Monday 15 July") == "2019-07-15T22:00"
    assert value_of(text, "9 a.m. on July 17") == "2019-07-17T09:00"
    assert value_of("Polls shut at 8pm on 2 May 2019.", "8pm on 2 May 2019") == "2019-05-02T20:00"


def test_frequencies_are_sets_and_fractions_are_not_durations() -> None:
    text = "The mill ships 40,000 tonnes a month, is audited every year and pays $3 a day."
    mentions = {m.text: m for m in tag_dates(text, SATURDAY, sets=True)}
    for phrase, value in (("a month", "P1M"), ("every year", "P1Y"), ("a day", "P1D")):
        assert mentions[phrase].value == value
        assert mentions[phrase].attrs["type"] == "SET"
        assert mentions[phrase].attrs["quant"] == "EACH"
    assert value_of("He stayed in Busan for a year.", "a year") == "P1Y"
    assert found("He stayed in Busan for a year.")["a year"].attrs["type"] == "DURATION"
    assert not found("Imports shrank by a quarter after the ban.")
    assert not found("A quarter of the workforce left.")


def test_a_range_of_lengths_covers_both_numbers() -> None:
    assert value_of("Repairs will take two to four weeks.", "two to four weeks") == "PXW"
    assert value_of("Sentences of 8-10 years were handed down.", "8-10 years") == "PXY"
    assert value_of("The audit lasted six months.", "six months") == "P6M"


def test_future_clauses_take_the_next_month() -> None:
    march = dt.date(2021, 3, 9)
    text = "Analysts said the levy was modest before the surcharge becomes payable in August."
    assert value_of(text, "August", march) == "2021-08"
    text = (
        "The ministry said on Friday it would tighten export licensing for gallium "
        "from November 1, extending curbs imposed in 2019."
    )
    assert value_of(text, "November 1", march) == "2021-11-01"
    assert value_of("A verdict is expected in October.", "October", march) == "2021-10"
    assert value_of("Exports slumped in October, the agency said.", "October", march) == "2020-10"


def test_the_afternoon_belongs_to_the_day_just_named() -> None:
    text = "The board met on Tuesday and the chairman resigned in the afternoon."
    assert value_of(text, "the afternoon") == "2019-07-02TAF"
    assert "the morning" not in found("He read the morning papers on Tuesday.")
    assert "the morning" not in found("On Tuesday the shop opened at 4 in the morning.")
