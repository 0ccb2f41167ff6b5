"""Dialogs that ask for a timeline edit: a date at a chosen precision, a new item, an item to
merge with."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casedesk.extract.timex import period
from casedesk.timeline import TimelineEvent
from casedesk.words import spoken_date

PRECISIONS = (
    ("year", "Year"),
    ("month", "Month"),
    ("week", "Week"),
    ("day", "Day"),
    ("time", "Day and time"),
)
_FORMATS = {
    "year": "yyyy",
    "month": "MMMM yyyy",
    "week": "dd MMM yyyy",
    "day": "ddd dd MMM yyyy",
    "time": "ddd dd MMM yyyy HH:mm",
}


def date_value(moment: dt.datetime, precision: str) -> str:
    """The TimeML value of ``moment`` at ``precision`` (``2020``, ``2020-06``, ``2020-W26``,
    ``2020-06-22``, ``2020-06-22T19:00``)."""
    if precision == "year":
        return f"{moment.year:04d}"
    if precision == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if precision == "week":
        year, week, _ = moment.date().isocalendar()
        return f"{year:04d}-W{week:02d}"
    if precision == "time":
        return f"{moment:%Y-%m-%dT%H:%M}"
    return moment.date().isoformat()


class DateField(QWidget):
    """A date with its precision: a precision list, a date (and time) editor and the date in
    words below them."""

    def __init__(self, value: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.precision = QComboBox(self)
        for key, label in PRECISIONS:
            self.precision.addItem(label, key)
        self.edit = QDateTimeEdit(self)
        self.edit.setCalendarPopup(True)
        self.words = QLabel(self)
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        layout.addRow("&Precision:", self.precision)
        layout.addRow("&Date:", self.edit)
        layout.addRow("", self.words)
        self.set_value(value or dt.date.today().isoformat())
        self.precision.currentIndexChanged.connect(self._on_changed)
        self.edit.dateTimeChanged.connect(self._on_changed)

    def set_value(self, value: str) -> None:
        found = period(value)
        if found is None:
            found = period(dt.date.today().isoformat())
            assert found is not None
        moment = dt.datetime.combine(found.start, dt.time(12, 0))
        if found.precision == "time" and len(value) >= 16 and value[11:13].isdigit():
            moment = dt.datetime.fromisoformat(value[:16])
        self.precision.setCurrentIndex(max(self.precision.findData(found.precision), 0))
        self.edit.setDateTime(
            QDateTime(
                QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
            )
        )
        self._on_changed()

    def _on_changed(self, *_args: object) -> None:
        self.edit.setDisplayFormat(_FORMATS[str(self.precision.currentData())])
        self.words.setText(spoken_date(self.value))

    @property
    def value(self) -> str:
        qdt = self.edit.dateTime()
        d, t = qdt.date(), qdt.time()
        moment = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        return date_value(moment, str(self.precision.currentData()))


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class EventDateDialog(QDialog):
    """Change a timeline item's date, at any precision."""

    def __init__(self, event: TimelineEvent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change date")
        layout = QVBoxLayout(self)
        label = QLabel(f"“{event.title}” is now on {spoken_date(event.date)}.", self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.date = DateField(event.date, self)
        layout.addWidget(self.date)
        layout.addWidget(_buttons(self, "&Change Date"))

    @property
    def value(self) -> str:
        return self.date.value


class AddEventDialog(QDialog):
    """A new timeline item: its title and date (and the sentence it comes from, if any)."""

    def __init__(
        self,
        title: str = "",
        date: str | None = None,
        sentence: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add timeline item")
        self.resize(480, 0)
        layout = QVBoxLayout(self)
        if sentence:
            quote = " ".join(sentence.split())
            quote = quote if len(quote) <= 240 else quote[:239] + "…"
            label = QLabel(f"From “{quote}”", self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            layout.addWidget(label)
        form = QFormLayout()
        self.title_edit = QLineEdit(title, self)
        self.title_edit.setPlaceholderText("What happened")
        form.addRow("&Title:", self.title_edit)
        layout.addLayout(form)
        self.date = DateField(date, self)
        layout.addWidget(self.date)
        self.buttons = _buttons(self, "&Add Item")
        layout.addWidget(self.buttons)
        self.title_edit.textChanged.connect(self._on_title_changed)
        self._on_title_changed(self.title_edit.text())

    def _on_title_changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))

    @property
    def title(self) -> str:
        return self.title_edit.text().strip()

    @property
    def value(self) -> str:
        return self.date.value


class EventPickerDialog(QDialog):
    """Choose the item to merge into the current one, the nearest in time first."""

    def __init__(
        self, event: TimelineEvent, others: list[TimelineEvent], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge timeline items")
        self.resize(520, 440)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Merge into “{event.title}” ({spoken_date(event.date)}): the chosen item's "
            "reports become reports of this one, which keeps its title and date.",
            self,
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by title or date")
        layout.addWidget(self.filter)
        self.list = QListWidget(self)
        nearest = sorted(
            (e for e in others if e.id != event.id), key=lambda e: (abs(e.t - event.t), e.id)
        )[:200]
        for other in nearest:
            n = len(other.sources)
            item = QListWidgetItem(
                f"{spoken_date(other.date)} — {other.title} ({n} source{'s' if n != 1 else ''})"
            )
            item.setData(Qt.ItemDataRole.UserRole, other.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.filter.textChanged.connect(self._on_filter_text_changed)
        layout.addWidget(self.list, 1)
        layout.addWidget(_buttons(self, "&Merge"))

    def _on_filter_text_changed(self, text: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(text.casefold() not in item.text().casefold())

    @property
    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else int(item.data(Qt.ItemDataRole.UserRole))
