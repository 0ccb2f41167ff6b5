"""Qt's side of keeping case content inert (see ``casedesk.safe_html``).

Qt guesses rich text from any known tag in a string's first line (labels, tooltips, message
boxes) and a rich-text document loads every resource it names. Widgets that show case content
as HTML use ``InertTextBrowser`` / ``InertDocument`` (which load nothing, whatever the HTML
says); labels and message boxes showing case content are set to plain text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import QLabel, QTextBrowser, QWidget

from casedesk.safe_html import SAFE_SCHEMES, plain_html, rich_tooltip


class InertDocument(QTextDocument):
    """A text document that never loads an image, style sheet or any other resource."""

    def loadResource(self, type: int, name: QUrl | str) -> Any:  # noqa: A002, N802
        return None


class InertTextBrowser(QTextBrowser):
    """A read-only rich-text view that loads no resource. A click on a link within the page
    scrolls to it; an http(s) or mailto link opens in the system's browser or mail program;
    any other link does nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(InertDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if not url.scheme() and not url.path() and url.fragment():
            self.scrollToAnchor(url.fragment())
        elif url.scheme().lower() in SAFE_SCHEMES:
            QDesktopServices.openUrl(url)

    def loadResource(self, type: int, name: QUrl | str) -> Any:  # noqa: A002, N802
        return None


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows ``text`` as itself, never as rich text."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def inert(text: str) -> str:
    """``text`` for a widget that guesses its format (message boxes, tooltips): unchanged
    when Qt would show it as plain text anyway, else escaped inside ``<qt>`` so that it is
    shown as itself (a file named ``<img src=...>.txt`` stays a name)."""
    if not QtGuiNamespace.mightBeRichText(text):
        return text
    return rich_tooltip(plain_html(text))


__all__ = [
    "InertDocument",
    "InertTextBrowser",
    "inert",
    "plain_label",
]
