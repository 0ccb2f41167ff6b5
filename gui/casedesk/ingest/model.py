"""Values passed between the readers, the importer and its callers."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class IngestError(Exception):
    """A file cannot be imported. ``str(error)`` is ``"<file>: <reason>"``."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class DocumentMeta:
    """Descriptive metadata of a document; ``None`` means "not known", never "empty"."""

    title: str | None = None
    publisher: str | None = None
    published: str | None = None  # YYYY-MM-DD
    url: str | None = None
    language: str | None = None

    def over(self, other: DocumentMeta) -> DocumentMeta:
        """This metadata, with gaps filled from ``other`` (lower precedence)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, value in values.items():
            if value is None:
                values[name] = getattr(other, name)
        return replace(self, **values)


def valid_date(value: str) -> str:
    """``value`` if it is a real calendar date written YYYY-MM-DD; raise ValueError otherwise."""
    value = value.strip()
    if not _DATE.fullmatch(value):
        raise ValueError(f"published date '{value}' is not written YYYY-MM-DD")
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"published date '{value}' is not a real date") from None
    return value


def date_prefix(value: str) -> str | None:
    """The YYYY-MM-DD date at the start of an ISO timestamp, if it is a real date."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return valid_date(match.group(0))
    except ValueError:
        return None


class ImportCancelled(Exception):
    """The user cancelled while a file was being read (between two pages being recognised)."""


@dataclass
class Extracted:
    """What a reader found in one file (or one part of it: a message, an attachment)."""

    text: str
    format: str  # txt, md, html, pdf, image, docx, odt, email, mhtml
    encoding: str | None
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    # Where the published date came from, and whether it was guessed rather than stated.
    published_evidence: str | None = None
    published_inferred: bool = False
    # The name the document is stored under when it is a part of the file (a message of an
    # mbox, an attachment); None for the file itself.
    name: str | None = None
    # Lines the reader knows are not the document's own text (an e-mail's header block, quoted
    # replies): ``(first_line, last_line, reason)``, flagged like web-page debris.
    debris_lines: list[tuple[int, int, str]] = field(default_factory=list)
    ocr: dict[str, Any] | None = None  # engine, languages, per-page confidence
    attrs: dict[str, Any] = field(default_factory=dict)  # sender, recipients, author, ...
    thread: str | None = None  # the e-mail thread's key (its first message's Message-ID)
    children: list[Extracted] = field(default_factory=list)  # attachments
    # Parts that could not be read (an attachment in no format Casedesk reads), as
    # ``(name, reason)`` with the name the part would have been stored under.
    problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReadContext:
    """What a reader may use besides the bytes: the file's place on disk, a line of progress
    for long work inside one file (pages being recognised), and the user's Cancel."""

    path: Path | None = None
    progress: Callable[[str], None] | None = None
    cancel: Callable[[], bool] | None = None
    depth: int = 0  # how deep inside attachments (a message attached to a message ...)

    def say(self, line: str) -> None:
        if self.progress is not None:
            self.progress(line)

    def check_cancel(self) -> None:
        """Raise ``ImportCancelled`` when the user has asked to stop."""
        if self.cancel is not None and self.cancel():
            raise ImportCancelled()

    def nested(self) -> ReadContext:
        """The context for a part inside this file (no folder of its own)."""
        return ReadContext(None, self.progress, self.cancel, self.depth + 1)


ReadFunction = Callable[[bytes, ReadContext], "list[Extracted]"]


@dataclass(frozen=True)
class Reader:
    """One format Casedesk imports: its suffixes, how to recognise it without one, the
    largest file it accepts, and the function that reads it (one or more documents)."""

    format: str
    description: str
    suffixes: frozenset[str]
    read: ReadFunction
    sniff: Callable[[bytes], bool] | None = None
    # The largest file accepted; None: the text limit (``importer.MAX_FILE_BYTES``). Formats
    # that carry images and fonts besides their text may be larger.
    max_bytes: int | None = None
