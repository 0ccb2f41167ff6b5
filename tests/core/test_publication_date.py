"""Publication dates inferred for documents that have none: from the source address, a
weekday named with a month-day, a dateline, a date heading the text; and what is refused.

Sentences are written for these tests."""

from __future__ import annotations

import datetime as dt

from casedesk.extract.dates import infer_publication_date, tag_dates_inferring, url_date


def test_a_day_in_the_source_address_dates_the_document() -> None:
    assert url_date("https://news.example.org/2021/03/09/harbour-closes/") == dt.date(2021, 3, 9)
    assert url_date("https://example.com/world/20210309-harbour.html") == dt.date(2021, 3, 9)
    assert url_date("https://example.com/a/2021-03-09-harbour") == dt.date(2021, 3, 9)
    assert url_date("https://example.com/2021/03/") is None  # a month, not a day
    assert url_date("https://example.com/item/20211399") is None  # no such day
    day, evidence = infer_publication_date(
        "The harbour closed on Monday.", url="https://example.org/2021/03/09/harbour/"
    ) or (None, "")
    assert day == dt.date(2021, 3, 9)
    assert "source address" in evidence


def test_a_bracketed_weekday_and_month_day_fix_the_year_from_the_years_named() -> None:
    text = (
        "The ferry line, founded in 2016, stopped its crossings on Friday (Feb. 1), "
        "the operator said."
    )
    day, evidence = infer_publication_date(text) or (None, "")
    # February 1 fell on a Friday in 2019, the first such year from 2016.
    assert day == dt.date(2019, 2, 1)
    assert "Friday (Feb. 1)" in evidence and "2016" in evidence


def test_a_weekday_and_month_day_without_any_year_need_the_day_the_document_came_in() -> None:
    text = "Dock workers walked out on Friday (Feb. 1) over a pay offer."
    assert infer_publication_date(text) is None  # an archive: no year to start from
    day, evidence = infer_publication_date(text, reference=dt.date(2019, 3, 15)) or (None, "")
    assert day == dt.date(2019, 2, 1)
    assert "low confidence" in evidence
    # The latest such year up to the day it came in, never a later one.
    day, _ = infer_publication_date(text, reference=dt.date(2024, 6, 1)) or (None, "")
    assert day == dt.date(2019, 2, 1)


def test_a_dateline_with_the_leads_weekday_is_dated_by_the_day_it_came_in() -> None:
    text = "LISBON, March 12 (Wire) - The port authority on Friday suspended night shifts."
    day, _ = infer_publication_date(text, reference=dt.date(2021, 4, 1)) or (None, "")
    assert day == dt.date(2021, 3, 12)  # a Friday


def test_a_date_heading_the_text_is_the_report_day_not_moved_by_a_later_weekday() -> None:
    text = (
        "The Harbour Gazette said in an editorial on Thursday, May 6:\n\n"
        "The council, elected in 2019, acted wisely on Wednesday, the editors said."
    )
    day, _ = infer_publication_date(text) or (None, "")
    assert day == dt.date(2021, 5, 6)


def test_a_full_date_in_a_text_that_counts_years_back_is_history() -> None:
    text = (
        "The court said Monday it would reopen the case of a fire that killed nine people "
        "almost three years ago. The blaze broke out on June 2, 2018, in a warehouse."
    )
    assert infer_publication_date(text) is None


def test_a_date_after_the_day_the_document_came_in_is_not_its_publication() -> None:
    text = "Officials on Aug. 2, 2031 opened the bridge."
    assert infer_publication_date(text, reference=dt.date(2025, 1, 1)) is None


def test_the_inferred_date_resolves_the_rest_of_the_document() -> None:
    text = "ROME, May 3 (Wire) - Rail staff on Monday began a strike. It ends next week."
    mentions, inferred = tag_dates_inferring(text, None, reference=dt.date(2021, 6, 1))
    assert inferred is not None and inferred[0] == dt.date(2021, 5, 3)
    values = {m.text: m.value for m in mentions}
    assert values["Monday"] == "2021-05-03"
    assert values["next week"] == "2021-W19"
    # Given a publication date, nothing is inferred.
    mentions, inferred = tag_dates_inferring(text, dt.date(2021, 5, 4))
    assert inferred is None


def test_a_dateline_is_the_leads_weekday_or_the_day_after() -> None:
    # The lead tells of Thursday; the report is filed on Friday, June 6 (2025).
    text = "OSLO, June 6 (Wire) - The harbour board on Thursday approved a new quay."
    day, _ = infer_publication_date(text, reference=dt.date(2025, 7, 1)) or (None, "")
    assert day == dt.date(2025, 6, 6)
    # Two days in a row in the lead: the later is the day of filing.
    text = "OSLO, June 5 (Wire) - Pilots stopped work on Wednesday. On Thursday the board met them."
    day, _ = infer_publication_date(text, reference=dt.date(2025, 7, 1)) or (None, "")
    assert day == dt.date(2025, 6, 5)  # a Thursday


def test_with_an_import_date_the_latest_fitting_year_since_the_year_named_is_taken() -> None:
    text = "OSLO, June 6 (Wire) - The quay, planned since 2012, opened on Friday."
    day, evidence = infer_publication_date(text, reference=dt.date(2025, 7, 1)) or (None, "")
    assert day == dt.date(2025, 6, 6)  # not 2014, the first Friday June 6 from 2012
    assert "2012" in evidence and "low confidence" in evidence  # 2014 and 2025 both fit
    day, _ = infer_publication_date(text) or (None, "")
    assert day == dt.date(2014, 6, 6)  # an archive: the first from the year named


def test_a_reporting_weekday_days_after_the_leads_date_moves_nothing() -> None:
    # "said Tuesday" four days after a Friday's vote spoke before it.
    text = (
        "Lawmakers on Friday, March 7, 2025 approved the port bill, which the minister said "
        "Tuesday would pass."
    )
    day, _ = infer_publication_date(text) or (None, "")
    assert day == dt.date(2025, 3, 7)
    text = "Lawmakers on March 6, 2025 approved the port bill, the minister said Saturday."
    day, _ = infer_publication_date(text) or (None, "")
    assert day == dt.date(2025, 3, 8)
