"""The source list of a large case: finding a document far down it reads few batches, and the
fact and note counts shown are right although they are read only for rows that are shown."""

from __future__ import annotations

from PySide6.QtCore import Qt

from casedesk.store import Case, now_iso
from casedesk.ui.models import SourcesModel

N = 3000


def _big_case(case: Case) -> int:
    """N documents dated in order; the last one has 3 facts (1 rejected) and 2 notes."""
    with case.transaction():
        for i in range(N):
            case.add_document(
                file_name=f"{i:05d}.txt",
                text=f"Text of document {i}.",
                sha256=f"{i:064d}",
                format="txt",
                published=f"2019-{1 + i // 250:02d}-{1 + i % 28:02d}",
            )
    last = case.conn.execute(
        "SELECT id FROM documents ORDER BY published DESC, id DESC LIMIT 1"
    ).fetchone()[0]
    stamp = now_iso()
    with case.transaction():
        for start, status in ((0, "extracted"), (5, "confirmed"), (9, "rejected")):
            case.conn.execute(
                "INSERT INTO facts(document_id, kind, start, end, text, value, status, "
                "provenance, created_at, updated_at) VALUES (?, 'place', ?, ?, 'Text', 'Text', "
                "?, 'test', ?, ?)",
                (last, start, start + 4, status, stamp, stamp),
            )
        for start in (0, 5):
            case.conn.execute(
                "INSERT INTO annotations(document_id, start, end, text, note, created_at, "
                "updated_at) VALUES (?, ?, ?, 'Text', 'a note', ?, ?)",
                (last, start, start + 4, stamp, stamp),
            )
    return int(last)


def test_a_document_at_the_end_of_a_long_list_is_found_in_few_queries(case: Case) -> None:
    last = _big_case(case)
    model = SourcesModel(case)
    assert model.rowCount() == 200
    queries: list[str] = []
    case.conn.set_trace_callback(queries.append)
    try:
        row = model.row_of(last)
    finally:
        case.conn.set_trace_callback(None)
    assert row == N - 1 and model.doc_id(row) == last
    batches = [q for q in queries if q.lstrip().startswith("SELECT d.id")]
    assert len(batches) <= 4, f"{len(batches)} queries to reach row {row}"
    # The counts of the row are right, read when the row is shown.
    assert model.data(model.index(row, 3)) == 2  # the rejected fact is not counted
    assert model.data(model.index(row, 4)) == 2


def test_sorted_by_fact_count_the_counts_order_the_list(case: Case) -> None:
    last = _big_case(case)
    model = SourcesModel(case)
    model.sort(3, Qt.SortOrder.DescendingOrder)
    assert model.doc_id(0) == last
    assert model.data(model.index(0, 3)) == 2
    model.sort(3, Qt.SortOrder.AscendingOrder)
    assert model.row_of(last) == N - 1
    assert model.data(model.index(N - 1, 3)) == 2 and model.data(model.index(0, 3)) == 0
