"""Asks what a timeline edit should be (a title, a date, the item to merge with) and runs it
as an operation. The window hands it the timeline panel's ``edit_requested``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from casedesk import queries
from casedesk.ui.operations import timeline as ops
from casedesk.ui.timeline_dialogs import AddEventDialog, EventDateDialog, EventPickerDialog

if TYPE_CHECKING:
    from casedesk.timeline import TimelineEvent
    from casedesk.ui.main_window import MainWindow


def suggested_title(text: str, limit: int = 80) -> str:
    """A first title for an item made from a sentence: its first words."""
    words = " ".join(text.split()).rstrip(".")
    if len(words) <= limit:
        return words
    cut = words[:limit].rsplit(" ", 1)[0]
    return cut + "…"


class TimelineEditor:
    """The dialogs in front of the timeline operations."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def _event(self, event_id: int) -> TimelineEvent | None:
        timeline = self.window.timeline
        return None if timeline is None else timeline.view.event_by_id(event_id)

    def handle(self, action: str, event_id: int, detail: object = None) -> None:
        if self.window.commands is None:
            return
        if action == "add":
            self.add(detail if isinstance(detail, str) else None)
            return
        event = self._event(event_id)
        if event is None:
            return
        if action == "rename":
            self.rename(event)
        elif action == "date":
            self.redate(event)
        elif action == "hide":
            self.hide(event)
        elif action == "merge":
            self.merge(event)
        elif action == "split":
            self.split(event, detail if isinstance(detail, int) else None)

    def rename(self, event: TimelineEvent) -> None:
        title, ok = QInputDialog.getText(
            self.window, "Rename timeline item", "Title:", text=event.title
        )
        commands = self.window.commands
        if ok and title.strip() and title.strip() != event.title and commands is not None:
            self.window._edit(
                "Rename timeline item", lambda: ops.rename_event(commands, event.id, title)
            )

    def redate(self, event: TimelineEvent) -> None:
        dialog = EventDateDialog(event, self.window)
        commands = self.window.commands
        if dialog.exec() and dialog.value != event.date and commands is not None:
            value = dialog.value
            self.window._edit("Change date", lambda: ops.redate_event(commands, event.id, value))

    def hide(self, event: TimelineEvent) -> None:
        commands = self.window.commands
        if commands is None:
            return
        self.window._edit("Hide timeline item", lambda: ops.hide_event(commands, event.id))
        self.window.statusBar().showMessage(
            f"“{event.title}” is hidden from the timeline (Undo brings it back).", 8000
        )

    def merge(self, event: TimelineEvent) -> None:
        timeline = self.window.timeline
        commands = self.window.commands
        if timeline is None or commands is None:
            return
        dialog = EventPickerDialog(event, timeline.view.events(), self.window)
        if dialog.exec() and dialog.chosen is not None:
            chosen = dialog.chosen
            self.window._edit(
                "Merge timeline items", lambda: ops.merge_events(commands, event.id, chosen)
            )

    def split(self, event: TimelineEvent, fact_id: int | None) -> None:
        commands = self.window.commands
        if commands is None or len(event.sources) < 2:
            return
        if fact_id is None:
            labels = [
                f"{s.document or s.file_name}: “{suggested_title(s.text, 60)}”"
                for s in event.sources
            ]
            choice, ok = QInputDialog.getItem(
                self.window,
                "Move report out",
                f"Which report of “{event.title}” is another happening?",
                labels,
                0,
                False,
            )
            if not ok:
                return
            fact_id = event.sources[labels.index(choice)].fact_id
        chosen = fact_id
        new_id = self.window._edit(
            "Move report out", lambda: ops.split_event(commands, event.id, chosen)
        )
        if new_id and self.window.timeline is not None:
            self.window.timeline.view.set_current_event(int(new_id))

    def add(self, date: str | None = None) -> None:
        """Add an item: from the sentence selected in the reader, or from nothing."""
        window = self.window
        commands = window.commands
        if commands is None or window.case is None:
            return
        span = window.reader.selected_span()
        doc_id = window.reader.document_id
        sentence = window.reader.selected_text() if span is not None else ""
        if date is None:
            date = self._date_near(doc_id, span)
        dialog = AddEventDialog(suggested_title(sentence), date, sentence or None, window)
        if not dialog.exec() or not dialog.title:
            return
        title, value = dialog.title, dialog.value
        if span is not None and doc_id is not None:
            start, end = span
            new_id = window._edit(
                "Add timeline item",
                lambda: ops.add_event(
                    commands, value, title, document_id=doc_id, start=start, end=end
                ),
            )
        else:
            new_id = window._edit(
                "Add timeline item", lambda: ops.add_event(commands, value, title)
            )
        if new_id and window.timeline is not None:
            window.timeline_dock.show()
            window.timeline.view.set_current_event(int(new_id))

    def _date_near(self, doc_id: int | None, span: tuple[int, int] | None) -> str | None:
        """A first date for a new item: a date named in the selected sentence, else the
        document's publication date."""
        case = self.window.case
        if case is None or doc_id is None:
            return None
        if span is not None:
            named = queries.first_date_in(case, doc_id, span[0], span[1])
            if named is not None:
                return named
        published = case.document(doc_id).get("published")
        return str(published) if published else None
