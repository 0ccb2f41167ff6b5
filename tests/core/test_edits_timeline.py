"""Timeline edits: each change, its undo, and what re-extraction does to it (nothing)."""

from __future__ import annotations

from typing import Any

import pytest

from casedesk import edits_timeline as tl
from casedesk.edits import EditError, StaleEdit
from casedesk.extract.pipeline import (
    extract_document,
    extract_documents,
    rebuild_events,
    set_publication_date,
)
from casedesk.store import Case
from casedesk.timeline import load_events

CURBS = "Japan tightened export controls on three chemicals on July 4."
CURBS_AGAIN = "The Japanese government tightened export controls on three chemicals on July 4."
MISSILES = "North Korea fired two short-range missiles into the sea on July 11."


def add(case: Case, text: str, published: str) -> int:
    return case.add_document(
        file_name=f"{abs(hash(text))}.txt",
        title=text[:20],
        text=text + "\n",
        sha256=str(abs(hash(text))),
        format="txt",
        published=published,
    )


def shown(case: Case) -> list[tuple[str, str, int]]:
    """The timeline as a user sees it: (date, title, number of sources)."""
    return [(e.date, e.title, len(e.sources)) for e in load_events(case)]


def snapshot(case: Case) -> dict[str, list[tuple[Any, ...]]]:
    return {
        t: sorted(tuple(r) for r in case.conn.execute(f"SELECT * FROM {t}"))
        for t in ("events", "event_sources", "event_entities")
    }


def fact_statuses(case: Case) -> list[tuple[int, str]]:
    return [tuple(r) for r in case.conn.execute("SELECT id, status FROM facts ORDER BY id")]


@pytest.fixture
def two_reports(case: Case) -> tuple[Case, int]:
    """One item with two reports (two articles about the same curbs), one id."""
    a = add(case, CURBS, "2019-07-12")
    b = add(case, CURBS_AGAIN, "2019-07-13")
    extract_documents(case, [a, b])
    (event_id,) = [e.id for e in load_events(case)]
    assert len(tl.event_fact_ids(case, event_id)) == 2
    return case, event_id


def test_rename_and_redate_undo_and_survive_reextraction(case: Case) -> None:
    doc = add(case, CURBS, "2019-07-12")
    extract_document(case, doc)
    (item,) = load_events(case)
    before = snapshot(case)

    old_title = tl.rename_event(case, item.id, "  Export curbs   take effect ")
    old_date = tl.redate_event(case, item.id, "2019-07-04T10:00")
    (edited,) = load_events(case)
    assert (edited.title, edited.date, edited.precision) == (
        "Export curbs take effect",
        "2019-07-04T10:00",
        "time",
    )
    assert edited.status == "confirmed"

    # a date change of the document extracts it again; the user's title and date stay
    set_publication_date(case, doc, "2019-07-13")
    extract_document(case, doc)
    rebuild_events(case)
    assert shown(case) == [("2019-07-04T10:00", "Export curbs take effect", 1)]

    tl.set_event_fields(case, item.id, old_date)
    tl.set_event_fields(case, item.id, old_title)
    assert shown(case) == [(item.date, item.title, 1)]
    assert snapshot(case)["events"] == before["events"]


def test_a_date_at_month_precision_becomes_a_bar(case: Case) -> None:
    doc = add(case, CURBS, "2019-07-12")
    extract_document(case, doc)
    (item,) = load_events(case)
    tl.redate_event(case, item.id, "2019-07")
    (edited,) = load_events(case)
    assert (edited.precision, edited.start.isoformat(), edited.end.isoformat()) == (
        "month",
        "2019-07-01",
        "2019-07-31",
    )
    with pytest.raises(EditError, match="not a date"):
        tl.redate_event(case, item.id, "last Tuesday")
    with pytest.raises(EditError, match="needs a title"):
        tl.rename_event(case, item.id, "   ")


def test_hidden_items_stay_hidden_after_reextraction(case: Case) -> None:
    a = add(case, CURBS, "2019-07-12")
    b = add(case, MISSILES, "2019-07-12")
    extract_documents(case, [a, b])
    missiles = next(e for e in load_events(case) if e.date == "2019-07-11")
    old = tl.hide_event(case, missiles.id)
    assert [e.date for e in load_events(case)] == ["2019-07-04"]
    extract_document(case, b)
    rebuild_events(case)
    assert [e.date for e in load_events(case)] == ["2019-07-04"]
    tl.set_event_fields(case, missiles.id, old)
    assert [e.date for e in load_events(case)] == ["2019-07-04", "2019-07-11"]


def test_merge_two_items_then_undo_and_reextract(case: Case) -> None:
    a = add(case, CURBS, "2019-07-12")
    b = add(case, MISSILES, "2019-07-12")
    extract_documents(case, [a, b])
    curbs, missiles = load_events(case)
    before = snapshot(case)
    merge = tl.merge_events(case, curbs.id, missiles.id)
    assert shown(case) == [(curbs.date, curbs.title, 2)]
    tl.unmerge_events(case, merge)
    assert snapshot(case) == before

    tl.merge_events(case, curbs.id, missiles.id)
    extract_document(case, b)  # the missiles report comes back to the merged item
    extract_document(case, a)
    rebuild_events(case)
    assert shown(case) == [(curbs.date, curbs.title, 2)]
    with pytest.raises(EditError):
        tl.merge_events(case, curbs.id, curbs.id)


def test_undoing_a_merge_after_its_reports_went_is_refused(case: Case) -> None:
    a = add(case, CURBS, "2019-07-12")
    b = add(case, MISSILES, "2019-07-12")
    extract_documents(case, [a, b])
    curbs, missiles = load_events(case)
    merge = tl.merge_events(case, curbs.id, missiles.id)
    case.delete_document(b)  # the missiles report is gone
    with pytest.raises(StaleEdit):
        tl.unmerge_events(case, merge)


def test_move_a_report_out_undo_and_reextract(two_reports: tuple[Case, int]) -> None:
    case, event_id = two_reports
    before = snapshot(case)
    statuses = fact_statuses(case)
    _first, second = tl.event_fact_ids(case, event_id)
    split = tl.split_event(case, event_id, second)
    assert sorted(n for _d, _t, n in shown(case)) == [1, 1]
    assert tl.event(case, split.new_id)["status"] == "manual"
    tl.unsplit_event(case, split)
    assert snapshot(case) == before
    assert fact_statuses(case) == statuses

    again = tl.split_event(case, event_id, second, new_id=split.new_id)
    assert again.new_id == split.new_id
    for doc in case.document_ids():
        extract_document(case, doc)
    rebuild_events(case)
    assert sorted(n for _d, _t, n in shown(case)) == [1, 1]
    (remaining,) = tl.event_fact_ids(case, event_id)
    with pytest.raises(EditError, match="only one report"):
        tl.split_event(case, event_id, remaining)


def test_an_item_added_by_hand_from_a_sentence_and_from_nothing(case: Case) -> None:
    doc = add(case, CURBS, "2019-07-12")
    extract_document(case, doc)
    from_sentence = tl.add_event(
        case, "2019-07-01", "Curbs announced", document_id=doc, start=0, end=len(CURBS)
    )
    from_nothing = tl.add_event(case, "2019-08", "Whitelist decision")
    titles = {e.title: e for e in load_events(case)}
    assert titles["Curbs announced"].sources[0].text == CURBS
    assert titles["Whitelist decision"].sources == []
    assert titles["Whitelist decision"].precision == "month"

    set_publication_date(case, doc, "2019-07-20")
    extract_document(case, doc)
    rebuild_events(case)
    assert {"Curbs announced", "Whitelist decision"} <= {e.title for e in load_events(case)}
    assert len(next(e for e in load_events(case) if e.title == "Curbs announced").sources) == 1

    gone = tl.delete_added_event(case, from_nothing)
    back = tl.restore_added_event(case, gone)
    assert back == from_nothing
    tl.delete_added_event(case, from_nothing)
    tl.delete_added_event(case, from_sentence)
    assert {"Curbs announced", "Whitelist decision"}.isdisjoint(e.title for e in load_events(case))
    assert [f for f in fact_statuses(case) if f[1] == "manual"] == []
    with pytest.raises(EditError):
        tl.add_event(case, "someday", "A title")


def test_the_first_date_of_a_sentence_is_offered_for_a_new_item(case: Case) -> None:
    from casedesk import queries

    doc = add(case, CURBS, "2019-07-12")
    extract_document(case, doc)
    assert queries.first_date_in(case, doc, 0, len(CURBS)) == "2019-07-04"
    assert queries.first_date_in(case, doc, 0, 5) is None
