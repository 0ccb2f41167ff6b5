"""Values passed between the readers, the importer and its callers."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, fields, replace

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
