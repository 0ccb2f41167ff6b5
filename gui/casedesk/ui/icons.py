"""Icons drawn for Casedesk, loaded from the SVGs shipped in ``casedesk.resources``.

Every name below has a file ``resources/icons/<name>.svg``. The icons are drawn with mid-tone
fills and a darker outline so they read on light and dark palettes alike (Qt's SVG renderer
ignores ``currentColor``, so they cannot follow the palette).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.resources
from functools import cache
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from casedesk.paths import resources_dir

APP_ICON = "casedesk"
APP_ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)

#: Toolbar and menu actions.
ACTION_ICONS: tuple[str, ...] = (
    "new-case",
    "open",
    "import",
    "export",
    "search",
    "find",
    "undo",
    "redo",
    "confirm",
    "reject",
    "edit",
    "highlight",
    "note",
    "add-fact",
    "merge",
    "split",
    "fit-timeline",
    "zoom-in",
    "zoom-out",
    "tags",
    "properties",
)

#: One icon per fact kind, keyed by the kind as stored in ``facts.kind``.
KIND_ICONS: dict[str, str] = {
    kind: f"kind-{kind}"
    for kind in (
        "date",
        "duration",
        "person",
        "organization",
        "place",
        "material",
        "quantity",
        "event",
        "claim",
    )
}

ICON_NAMES: tuple[str, ...] = (APP_ICON, *ACTION_ICONS, *KIND_ICONS.values())

# Resources normally sit on disk (wheel install, checkout, PyInstaller bundle); if they ever come
# from a zip, as_file extracts them once and they stay extracted until the process exits.
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


def icon_path(name: str) -> Path:
    """The SVG file for ``name``; raises KeyError for a name that has no icon."""
    if name not in ICON_NAMES:
        raise KeyError(f"no icon named {name!r} (known: {', '.join(ICON_NAMES)})")
    source = resources_dir() / "icons" / f"{name}.svg"
    if not source.is_file():
        raise FileNotFoundError(f"icon {name!r} is missing its file: {source}")
    return _extracted.enter_context(importlib.resources.as_file(source))


@cache
def icon(name: str) -> QIcon:
    """The icon called ``name`` (see ICON_NAMES), loaded once and shared."""
    return QIcon(str(icon_path(name)))


def kind_icon(kind: str) -> QIcon:
    """The icon for a fact kind such as ``"person"``."""
    try:
        return icon(KIND_ICONS[kind])
    except KeyError:
        raise KeyError(f"no icon for fact kind {kind!r}") from None


@cache
def app_icon() -> QIcon:
    """The application icon: the pre-rendered PNG sizes (crisp when small), else the SVG."""
    result = QIcon()
    png_dir = resources_dir() / "icons" / "png"
    for size in APP_ICON_SIZES:
        png = png_dir / f"{APP_ICON}-{size}.png"
        if png.is_file():
            path = _extracted.enter_context(importlib.resources.as_file(png))
            result.addFile(str(path), QSize(size, size))
    return result if not result.isNull() else icon(APP_ICON)
