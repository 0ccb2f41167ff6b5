"""The extraction pipeline on a case: what the user sees after import, re-extraction and
date changes, and what survives a failure."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from casedesk import edits
from casedesk.extract import corroborate, pipeline
from casedesk.extract.nlp import get_nlp
from casedesk.extract.pipeline import (
    EXTRACTOR_VERSION,
    extract_document,
    extract_documents,
    rebuild_events,
    set_publication_date,
)
from casedesk.store import Case


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    get_nlp()


def add(case: Case, text: str, published: str | None, **kw: Any) -> int:
    return case.add_document(
        file_name=f"doc{len(case.document_ids())}.txt",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        format="txt",
        published=published,
        **kw,
    )


def facts(case: Case, doc_id: int, kind: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM facts WHERE document_id = ?"
    params: list[Any] = [doc_id]
    if kind:
        sql += " AND kind = ?"
        params.append(kind)
    cur = case.conn.execute(sql + " ORDER BY start", params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def events(case: Case) -> list[dict[str, Any]]:
    cur = case.conn.execute(
        "SELECT e.*, (SELECT COUNT(*) FROM event_sources s WHERE s.event_id = e.id) AS sources "
        "FROM events e ORDER BY date_start"
    )
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


ARTICLE = (
    "Seoul stepped up preparations for new export curbs, a ministry official said Saturday.\n\n"
    "Trade Minister Yoo Myung-hee met the heads of Samsung Electronics and LG in Seoul. "
    "The ministry in January made a list of 100 industrial products, the official said."
)


def test_extraction_writes_facts_entities_and_marks_the_document(case: Case) -> None:
    doc_id = add(case, ARTICLE, "2019-07-06")
    (stats,) = extract_documents(case, [doc_id])
    assert stats.error is None
    kinds = {f["kind"] for f in facts(case, doc_id)}
    assert {"date", "person", "organization", "event", "claim"} <= kinds
    doc = case.document(doc_id)
    assert doc["extractor"] == EXTRACTOR_VERSION and doc["extracted_at"]
    yoo = [f for f in facts(case, doc_id, "person") if "Yoo" in f["text"]]
    assert yoo and yoo[0]["entity_id"] is not None


def test_reextraction_keeps_every_user_decision(case: Case) -> None:
    doc_id = add(case, ARTICLE, "2019-07-06")
    extract_document(case, doc_id)
    dates = facts(case, doc_id, "date")
    saturday = next(f for f in dates if f["text"] == "Saturday")
    january = next(f for f in dates if f["text"] == "January")
    orgs = facts(case, doc_id, "organization")
    edits.set_fact_status(case, orgs[0]["id"], "rejected")
    edits.set_fact_status(case, saturday["id"], "confirmed")
    edits.correct_fact_value(case, january["id"], "2019-02")
    manual = edits.add_manual_fact(case, doc_id, "material", 60, 72, "export curbs")
    before = len(facts(case, doc_id))

    extract_document(case, doc_id)

    after = facts(case, doc_id)
    assert len(after) == before  # nothing duplicated, nothing lost
    by_id = {f["id"]: f for f in after}
    assert by_id[orgs[0]["id"]]["status"] == "rejected"
    assert by_id[saturday["id"]]["status"] == "confirmed"
    assert by_id[january["id"]]["value"] == "2019-02"
    assert by_id[january["id"]]["original_value"] == "2019-01"
    assert by_id[manual]["status"] == "manual"
    same_span = [
        f
        for f in after
        if (f["kind"], f["start"], f["end"]) == ("organization", orgs[0]["start"], orgs[0]["end"])
    ]
    assert len(same_span) == 1  # the rejected fact does not come back as a machine fact
    # The event of the corrected date follows the user's value.
    assert any(e["value"] == "2019-02" for e in facts(case, doc_id, "event"))


def test_changing_the_publication_date_moves_relative_dates(case: Case) -> None:
    doc_id = add(case, ARTICLE, "2019-07-06")
    extract_document(case, doc_id)
    saturday = next(f for f in facts(case, doc_id, "date") if f["text"] == "Saturday")
    assert saturday["value"] == "2019-07-06"

    old = set_publication_date(case, doc_id, "2019-07-13")

    assert old == {"published": "2019-07-06", "published_inferred": 0, "published_evidence": None}
    moved = next(f for f in facts(case, doc_id, "date") if f["text"] == "Saturday")
    assert moved["value"] == "2019-07-13"
    claim = facts(case, doc_id, "claim")[0]
    assert '"date": "2019-07-13"' in claim["attrs"]
    assert any(e["date"] == "2019-07-13" for e in events(case))
    assert not any(e["date"] == "2019-07-06" for e in events(case))
    with pytest.raises(ValueError, match="not a date"):
        set_publication_date(case, doc_id, "next Tuesday")


def test_a_missing_publication_date_is_inferred_with_evidence(case: Case) -> None:
    text = (
        "Japan tightened export controls on July 4, 2019, officials said.\n\n"
        "The ministry said Saturday that talks would continue."
    )
    doc_id = add(case, text, None)
    (stats,) = extract_documents(case, [doc_id])
    doc = case.document(doc_id)
    assert doc["published"] == "2019-07-06" and doc["published_inferred"] == 1
    assert "July 4, 2019" in doc["published_evidence"]
    assert stats.published_inferred
    saturday = next(f for f in facts(case, doc_id, "date") if f["text"] == "Saturday")
    assert saturday["value"] == "2019-07-06"


def test_one_happening_reported_at_two_precisions_is_one_timeline_item(case: Case) -> None:
    a = add(case, "Japan tightened export controls on three chemicals on July 4.", "2019-07-12")
    b = add(
        case,
        "The Japanese government tightened its export controls on three chemicals "
        "in July last year.",
        "2020-05-12",
    )
    extract_documents(case, [a, b])
    (event,) = events(case)
    assert event["sources"] == 2
    assert (event["date"], event["precision"]) == ("2019-07-04", "day")
    rebuild_events(case)
    (event,) = events(case)
    assert event["sources"] == 2


def test_different_days_or_unrelated_happenings_stay_apart(case: Case) -> None:
    a = add(case, "Japan tightened export controls on three chemicals on July 4.", "2019-07-13")
    b = add(case, "Japan tightened export controls on three chemicals on July 12.", "2019-07-13")
    c = add(
        case, "North Korea fired two short-range missiles into the sea on July 4.", "2019-07-13"
    )
    extract_documents(case, [a, b, c])
    found = events(case)
    assert len(found) == 3
    assert all(e["sources"] == 1 for e in found)


def test_user_reviewed_events_survive_rebuilds(case: Case) -> None:
    a = add(case, "Japan tightened export controls on three chemicals on July 4.", "2019-07-12")
    extract_documents(case, [a])
    (event,) = events(case)
    case.conn.execute(
        "UPDATE events SET status = 'confirmed', title = 'Curbs' WHERE id = ?", (event["id"],)
    )
    rebuild_events(case)
    extract_document(case, a)
    (after,) = events(case)
    assert (after["id"], after["title"], after["status"]) == (event["id"], "Curbs", "confirmed")
    assert after["sources"] == 1


def test_a_rejected_report_leaves_the_timeline(case: Case) -> None:
    a = add(case, "Japan tightened export controls on three chemicals on July 4.", "2019-07-12")
    b = add(
        case, "North Korea fired two short-range missiles into the sea on July 11.", "2019-07-12"
    )
    extract_documents(case, [a, b])
    assert len(events(case)) == 2
    (missiles,) = facts(case, b, "event")
    edits.set_fact_status(case, missiles["id"], "rejected")
    with case.transaction():
        corroborate.sync_fact(case.conn, missiles["id"])
    assert [e["date"] for e in events(case)] == ["2019-07-04"]
    extract_document(case, b)  # re-extraction neither restores nor duplicates it
    assert [e["date"] for e in events(case)] == ["2019-07-04"]
    assert len(facts(case, b, "event")) == 1
    edits.set_fact_status(case, missiles["id"], "confirmed")
    with case.transaction():
        corroborate.sync_fact(case.conn, missiles["id"])
    assert [e["date"] for e in events(case)] == ["2019-07-04", "2019-07-11"]


def test_a_failure_rolls_back_that_document_only(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = add(case, "Japan tightened export controls on three chemicals on July 4.", "2019-07-12")
    bad = add(case, "North Korea fired two missiles into the sea on July 11.", "2019-07-12")
    real_attach = corroborate.attach

    def failing(conn: Any, fact_ids: Any, *args: Any, **kwargs: Any) -> list[int]:
        doc = conn.execute("SELECT document_id FROM facts WHERE id = ?", (fact_ids[0],)).fetchone()
        if doc and doc[0] == bad:
            raise RuntimeError("disk full")
        return real_attach(conn, fact_ids, *args, **kwargs)

    monkeypatch.setattr(corroborate, "attach", failing)
    results = extract_documents(case, [good, bad])
    assert results[0].error is None
    assert results[1].error is not None and "disk full" in results[1].error
    assert facts(case, good) and not facts(case, bad)
    assert case.document(bad)["extracted_at"] is None
    with pytest.raises(RuntimeError):
        extract_document(case, bad)
    assert not facts(case, bad)


def test_entities_without_facts_go_unless_user_made(case: Case) -> None:
    doc_id = add(case, ARTICLE, "2019-07-06")
    extract_document(case, doc_id)
    stray = case.conn.execute(
        "INSERT INTO entities(kind, name, key) VALUES ('person', 'Nobody', 'nobody')"
    ).lastrowid
    kept = case.conn.execute(
        "INSERT INTO entities(kind, name, key, status) VALUES ('person', 'Mine', 'mine', 'manual')"
    ).lastrowid
    person = facts(case, doc_id, "person")[0]
    case.conn.execute("UPDATE facts SET entity_id = ? WHERE id = ?", (stray, person["id"]))
    other = facts(case, doc_id, "organization")[0]
    case.conn.execute("UPDATE facts SET entity_id = ? WHERE id = ?", (kept, other["id"]))
    extract_document(case, doc_id)
    ids = {r[0] for r in case.conn.execute("SELECT id FROM entities")}
    assert stray not in ids
    assert kept in ids


def test_debris_is_masked_but_offsets_stay(case: Case) -> None:
    text = (
        "Share this on Facebook on July 1.\n\nJapan tightened controls on July 4, officials said."
    )
    doc_id = add(case, text, "2019-07-06", boilerplate=[(1, 1, 0, 33, "share prompt")])
    extract_document(case, doc_id)
    dates = facts(case, doc_id, "date")
    assert [d["text"] for d in dates] == ["July 4"]
    assert text[dates[0]["start"] : dates[0]["end"]] == "July 4"


def test_progress_and_cancel(case: Case) -> None:
    ids = [
        add(case, f"Japan held talks number {n} on July {n + 1}.", "2019-07-20") for n in range(3)
    ]
    seen: list[tuple[int, int]] = []
    done = extract_documents(
        case, ids, progress=lambda i, n: seen.append((i, n)), cancel=lambda: len(seen) >= 2
    )
    assert seen == [(1, 3), (2, 3)]
    assert len(done) == 2
    assert case.document(ids[2])["extracted_at"] is None


def test_documents_of_an_older_extractor_are_listed_for_extraction(case: Case) -> None:
    a = add(case, "Japan held talks on July 4.", "2019-07-06")
    b = add(case, "Korea held talks on July 5.", "2019-07-06")
    assert pipeline.documents_needing_extraction(case) == [a, b]
    extract_documents(case, [a, b])
    assert pipeline.documents_needing_extraction(case) == []
    case.conn.execute("UPDATE documents SET extractor = 'casedesk-extract 0' WHERE id = ?", (b,))
    assert pipeline.documents_needing_extraction(case) == [b]


def test_workers_fall_back_to_this_process_when_processes_cannot_start(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_processes(*args: Any, **kwargs: Any) -> Any:
        raise OSError("process creation is not allowed here")

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", no_processes)
    monkeypatch.setattr(pipeline, "MIN_DOCS_PER_WORKER", 1)
    ids = [
        add(case, f"Japan held talks number {n} on July {n + 1}.", "2019-07-20") for n in range(4)
    ]
    results = extract_documents(case, ids, workers=2)
    assert [r.document_id for r in results] == ids
    assert all(r.error is None for r in results)
    assert all(case.document(i)["extracted_at"] for i in ids)


def test_isolated_extraction_never_parses_in_this_process(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window extracts with isolate=True: even one document is parsed in a worker process,
    so the window's interpreter is never busy with the model."""
    from casedesk.extract import nlp

    def not_here() -> Any:
        raise AssertionError("the model ran in the calling process")

    monkeypatch.setattr(nlp, "get_nlp", not_here)
    doc = add(case, "Japan held talks in Tokyo on July 4.", "2019-07-06")
    with pytest.raises(AssertionError, match="calling process"):
        extract_documents(case, [doc])
    (isolated,) = extract_documents(case, [doc], isolate=True)
    assert isolated.error is None
    assert {f["text"] for f in facts(case, doc, "place")} == {"Japan", "Tokyo"}


def test_a_small_event_cache_gives_the_same_timeline(
    case: Case, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events kept in memory during a long run are a cache: forgetting them changes nothing."""
    texts = [
        ("Japan tightened export controls on three chemicals on July 4.", "2019-07-06"),
        ("Tokyo tightened controls on exports of three chemicals in July.", "2019-08-01"),
        ("South Korea filed a complaint at the WTO on September 11.", "2019-09-12"),
        ("Seoul filed a WTO complaint over the controls in September.", "2019-10-02"),
        ("Officials met in Vienna on December 16 for export talks.", "2019-12-17"),
    ]

    def timeline(c: Case) -> list[tuple[str, int]]:
        return sorted(
            (str(r[0]), int(r[1]))
            for r in c.conn.execute(
                "SELECT e.date, count(s.fact_id) FROM events e "
                "JOIN event_sources s ON s.event_id = e.id GROUP BY e.id"
            )
        )

    ids = [add(case, t, p) for t, p in texts]
    extract_documents(case, ids)
    other = Case.create(tmp_path / "small-cache.casedesk")
    monkeypatch.setattr(corroborate, "CACHE_LIMIT", 1)
    monkeypatch.setattr(corroborate, "MONTHS_LIMIT", 1)
    extract_documents(other, [add(other, t, p) for t, p in texts])
    assert timeline(other) == timeline(case)
    assert any(n > 1 for _d, n in timeline(case))
    other.close()


def test_the_month_index_finds_events_across_a_month_boundary(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report of a week that spans two months is compared with the events of both, also
    after the index forgot a month and when the event was made before the month was read."""
    import json

    monkeypatch.setattr(corroborate, "MONTHS_LIMIT", 1)
    doc = add(case, "x" * 400, "2019-08-10")

    def report(value: str, title: str, start: int) -> int:
        attrs = {"title": title, "keywords": title.lower().split()}
        with case.transaction():
            return int(
                case.conn.execute(
                    "INSERT INTO facts(document_id, kind, start, end, text, value, status, "
                    "provenance, attrs, created_at, updated_at) VALUES "
                    "(?, 'event', ?, ?, 'x', ?, 'extracted', 'test', ?, '', '')",
                    (doc, start, start + 5, value, json.dumps(attrs)),
                ).lastrowid
                or 0
            )

    def place(fact_id: int, cache: corroborate.EventCache) -> int:
        with case.transaction():
            corroborate.attach(case.conn, [fact_id], cache=cache)
        row = case.conn.execute(
            "SELECT event_id FROM event_sources WHERE fact_id = ?", (fact_id,)
        ).fetchone()
        return int(row[0])

    talks = place(
        report("2019-08-02", "Rail union and operator held talks", 0), corroborate.EventCache()
    )
    cache = corroborate.EventCache()
    assert place(report("2019-07-15", "Drought cut hydropower output", 10), cache) != talks
    # 2019-W31 runs from 29 July to 4 August: the July index is read, then August's.
    assert place(report("2019-W31", "Union and operator held talks", 20), cache) == talks
    assert place(report("2019-07-20", "Drought cut hydropower output", 30), cache) != talks
    assert len(cache.months) == 1


def test_trim_cache_forgets_the_least_recently_used() -> None:
    from casedesk.extract.timex import period

    def report(i: int) -> corroborate.EventFact:
        day = period("2019-07-04")
        assert day is not None
        return corroborate.EventFact(
            i, 1, i, i + 1, "2019-07-04", None, "t", frozenset(), frozenset(), frozenset(), day
        )

    cache = {i: corroborate.Cluster(i, "extracted", [report(i)]) for i in range(8)}
    cache[0] = cache.pop(0)  # used again
    corroborate.trim_cache(cache, limit=8)
    assert list(cache) == [1, 2, 3, 4, 5, 6, 7, 0]  # not over the limit: nothing forgotten
    cache[8] = corroborate.Cluster(8, "extracted", [report(8), report(9)])
    corroborate.trim_cache(cache, limit=8)
    # 10 reports held: the least recently used events go until 6 (three quarters) are left.
    assert list(cache) == [5, 6, 7, 0, 8]


def test_worker_processes_are_replaced_during_a_long_run(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers, each replaced after two batches: the run finishes and every document is
    extracted (replacing processes must never leave queued batches without one)."""
    import threading

    monkeypatch.setattr(pipeline, "BATCH", 1)
    monkeypatch.setattr(pipeline, "BATCHES_PER_WORKER", 2)
    monkeypatch.setattr(pipeline, "MIN_DOCS_PER_WORKER", 1)
    ids = [add(case, f"Japan held talks in Tokyo on July {n}.", "2019-07-20") for n in range(1, 13)]
    pools: list[Any] = []
    make_pool = pipeline._worker_pool

    def counted(n: int) -> Any:
        pools.append(n)
        return make_pool(n)

    monkeypatch.setattr(pipeline, "_worker_pool", counted)
    results: list[Any] = []
    path = case.path

    def run() -> None:
        # The case's connection belongs to the test's thread; the run gets its own.
        other = Case.open(path)
        try:
            results.extend(extract_documents(other, ids, workers=2))
        finally:
            other.close()

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(timeout=300)
    assert not runner.is_alive(), "the extraction waits on batches no worker process takes"
    assert [r.error for r in results] == [None] * len(ids)
    assert all(facts(case, i, "event") for i in ids)
    assert len(pools) == 3  # twelve batches, four per pool of two processes


def test_an_isolated_date_change_parses_elsewhere_and_can_be_undone(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casedesk.extract import nlp

    doc = add(case, "Japan and Korea held talks in Tokyo on Wednesday.", "2019-07-06")
    extract_documents(case, [doc])

    def not_here() -> Any:
        raise AssertionError("the model ran in the calling process")

    monkeypatch.setattr(nlp, "get_nlp", not_here)
    old = pipeline.set_publication_date(case, doc, "2019-07-13", isolate=True)
    assert [f["value"] for f in facts(case, doc, "date")] == ["2019-07-10"]
    pipeline.restore_publication_date(case, doc, old, isolate=True)
    assert [f["value"] for f in facts(case, doc, "date")] == ["2019-07-03"]
    assert case.document(doc)["published"] == "2019-07-06"


def test_documents_are_extracted_by_date_and_reported_in_the_order_asked(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = add(case, "Japan held talks on July 24.", "2019-07-25")
    undated = add(case, "Korea held talks on July 4.", None)
    early = add(case, "Japan held talks on July 2.", "2019-07-03")
    written: list[int] = []
    real = pipeline.write_analysis

    def record(case_: Case, analysis: Any, *args: Any, **kw: Any) -> Any:
        written.append(analysis.document_id)
        return real(case_, analysis, *args, **kw)

    monkeypatch.setattr(pipeline, "write_analysis", record)
    results = extract_documents(case, [late, undated, early])
    assert written == [early, late, undated]
    assert [r.document_id for r in results] == [late, undated, early]


def test_mask_debris_keeps_line_breaks() -> None:
    assert pipeline.mask_debris("ab\ncd\nef", [(1, 5)]) == "a \n  \nef"


def test_changing_a_date_renames_no_entity(case: Case) -> None:
    # It did: a claim's speaker phrase ("Abe and his conservative aides") counted as a name of
    # the speaker's entity, and the re-extracted document's names counted twice.
    from casedesk.ingest import import_sample

    report = import_sample(case)
    extract_documents(case, [d for _, d in report.imported])
    names = "SELECT id, kind, name FROM entities ORDER BY id"
    before = case.conn.execute(names).fetchall()
    for doc, published in case.conn.execute("SELECT id, published FROM documents").fetchall():
        set_publication_date(case, doc, published[:8] + "28")
        assert case.conn.execute(names).fetchall() == before


def test_a_publication_date_is_inferred_from_the_source_address(case: Case) -> None:
    text = "Harbour pilots stopped work on Tuesday. They return to work next week."
    doc_id = add(case, text, None, url="https://news.example.org/2022/11/16/pilots-strike/")
    extract_documents(case, [doc_id])
    doc = case.document(doc_id)
    assert doc["published"] == "2022-11-16" and doc["published_inferred"] == 1
    assert "source address" in doc["published_evidence"]
    values = {f["text"]: f["value"] for f in facts(case, doc_id, "date")}
    assert values == {"Tuesday": "2022-11-15", "next week": "2022-W47"}


def test_a_weekday_and_month_day_are_dated_no_later_than_the_import(case: Case) -> None:
    text = "Harbour pilots stopped work on Friday (Feb. 1) over the new rosters."
    doc_id = add(case, text, None)
    case.conn.execute(
        "UPDATE documents SET imported_at = '2020-03-01T09:00:00+00:00' WHERE id = ?", (doc_id,)
    )
    extract_documents(case, [doc_id])
    doc = case.document(doc_id)
    assert doc["published"] == "2019-02-01" and doc["published_inferred"] == 1
    assert "low confidence" in doc["published_evidence"]


def test_a_dateline_a_day_ahead_of_the_import_in_utc_is_kept(case: Case) -> None:
    # Imported late on June 5 (UTC) from a publisher whose clock already says June 6.
    text = "OSLO, June 6 (Wire) - The harbour board on Friday approved a new quay."
    doc_id = add(case, text, None)
    case.conn.execute(
        "UPDATE documents SET imported_at = '2025-06-05T23:10:00Z' WHERE id = ?", (doc_id,)
    )
    extract_documents(case, [doc_id])
    assert case.document(doc_id)["published"] == "2025-06-06"


def test_named_spans_find_what_a_scan_of_every_mention_finds() -> None:
    """Events and claims find their entities through an index by position (a long document
    has thousands of names): it must give what looking at every mention gives, ties included."""
    import random

    from casedesk.extract.model import Mention
    from casedesk.extract.pipeline import _NamedSpans

    order = {"person": 0, "organization": 1, "place": 2, "material": 3}
    kinds = [*order, "quantity"]

    def scan_at(ms: list[Mention], ids: list[int | None], start: int, end: int) -> int | None:
        best = None
        for m, ent in zip(ms, ids, strict=True):
            if ent is None:
                continue
            if not (m.start <= start and end <= m.end or start <= m.start < end):
                continue
            if not (m.start <= start < m.end or start <= m.start < end):
                continue
            rank = order.get(m.kind, 9)
            if best is None or rank < best[0]:
                best = (rank, ent)
        return None if best is None else best[1]

    rng = random.Random(5)
    for _ in range(200):
        ms, ids = [], []
        for k in range(rng.randint(0, 30)):
            s = rng.randint(0, 120)
            e = s + rng.randint(0, 25) if rng.random() > 0.02 else s - 1
            ms.append(Mention(rng.choice(kinds), s, e, "x" * max(e - s, 0)))
            ids.append(None if rng.random() < 0.2 else k % 7)
        named = _NamedSpans(ms, ids)
        for _ in range(20):
            a = rng.randint(0, 140)
            b = a + rng.randint(-1, 40)
            inside = {
                e
                for m, e in zip(ms, ids, strict=True)
                if e is not None and a <= m.start and m.end <= b
            }
            assert {e for _m, e in named.within(a, b)} == inside
            assert named.entity_at(a, b) == scan_at(ms, ids, a, b)
