"""Where Casedesk finds its shipped files and keeps the user's."""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

APP_NAME = "Casedesk"
APP_ID = "org.casedesk.Casedesk"
_CHECKOUT = Path(__file__).resolve().parents[2]


def _shipped(package: str, checkout_dir: str) -> Traversable:
    """A folder shipped inside the wheel, or the checkout's own when run from source."""
    try:
        found = importlib.resources.files(package)
        if found.is_dir():
            return found
    except ModuleNotFoundError:
        pass
    return _CHECKOUT / checkout_dir


def resources_dir() -> Traversable:
    return _shipped("casedesk.resources", "resources")


def seeds_dir() -> Traversable:
    return _shipped("casedesk.seeds", "seeds")


def data_dir() -> Path:
    """The user's data directory (created on first use)."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def sample_case_path() -> Path:
    return data_dir() / "Sample case.casedesk"
