"""Typed access to the window's QSettings (organisation "Casedesk").

Only plain values are stored (strings, lists of strings, byte arrays from Qt's own
``saveGeometry``/``saveState``), never pickled objects. ``SETTINGS_VERSION`` lets a later
release upgrade what an earlier one wrote.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "Casedesk"
APPLICATION = "Casedesk"
SETTINGS_VERSION = 1
MAX_RECENT = 10


class Settings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or QSettings(ORGANISATION, APPLICATION)
        if int(str(self._s.value("settings_version", 0) or 0)) < SETTINGS_VERSION:
            self._s.setValue("settings_version", SETTINGS_VERSION)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._s.setValue("window/state", value)

    @property
    def recent_cases(self) -> list[Path]:
        value = self._s.value("cases/recent", [])
        if isinstance(value, str):
            value = [value]
        return [Path(str(v)) for v in (value if isinstance(value, list) else []) if v]

    def add_recent(self, path: Path) -> None:
        path = path.resolve()
        recent = [p for p in self.recent_cases if p != path]
        self._s.setValue("cases/recent", [str(p) for p in [path, *recent][:MAX_RECENT]])
        self._s.setValue("cases/last", str(path))

    def forget_recent(self, path: Path) -> None:
        self._s.setValue("cases/recent", [str(p) for p in self.recent_cases if p != path.resolve()])

    @property
    def last_case(self) -> Path | None:
        value = self._s.value("cases/last", "")
        return Path(str(value)) if value else None

    def last_document(self, case_path: Path) -> int | None:
        """The document last shown in a case (a case opens where the user left it)."""
        value = self._s.value(f"documents/{_key(case_path)}", None)
        try:
            return int(str(value)) if value is not None else None
        except ValueError:
            return None

    def set_last_document(self, case_path: Path, doc_id: int) -> None:
        self._s.setValue(f"documents/{_key(case_path)}", doc_id)

    @property
    def hidden_kinds(self) -> set[str]:
        value = self._s.value("reader/hidden_kinds", [])
        if isinstance(value, str):
            value = [value]
        return {str(v) for v in (value if isinstance(value, list) else [])}

    @hidden_kinds.setter
    def hidden_kinds(self, kinds: set[str]) -> None:
        self._s.setValue("reader/hidden_kinds", sorted(kinds))

    def sync(self) -> None:
        self._s.sync()


def _key(path: Path) -> str:
    """A settings key for a file path (QSettings keys must not contain slashes)."""
    import hashlib

    return hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
