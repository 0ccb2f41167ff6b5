"""Undo steps are told apart by their type, never by the words of their label."""

from __future__ import annotations

from casedesk import edits
from casedesk.ui.commands import DocumentPropertiesCommand, EditCommand
from casedesk.ui.main_window import MainWindow


def test_a_document_properties_step_is_recognised_by_its_type(window: MainWindow) -> None:
    assert window.case is not None and window.commands is not None
    doc_id = window.reader.document_id
    assert doc_id is not None
    case = window.case
    ignore = lambda *_a: None  # noqa: E731

    def retitle(title: str) -> EditCommand:
        return EditCommand(
            "Edit document properties",  # the label alone must not make it wait
            lambda: edits.set_document_properties(case, doc_id, {"title": title}),
            lambda old: edits.set_document_properties(case, doc_id, old),
            ignore,
            ignore,
        )

    window.undo_stack.push(retitle("A"))
    window.undo_stack.push(
        DocumentPropertiesCommand(
            "Retitle",
            lambda: edits.set_document_properties(case, doc_id, {"title": "B"}),
            lambda old: edits.set_document_properties(case, doc_id, old),
            ignore,
            ignore,
        )
    )
    window.worker = object()  # type: ignore[assignment]  # an import is running
    try:
        assert window._step_must_wait(1)
        assert not window._step_must_wait(0)
    finally:
        window.worker = None
