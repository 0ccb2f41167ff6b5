"""Shared fixtures. Qt must find a platform before it is first imported, so this comes first."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import pytest  # noqa: E402

from casedesk.store import Case  # noqa: E402

if TYPE_CHECKING:
    from spacy.language import Language

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the real user's data and settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    """A new, empty case."""
    c = Case.create(tmp_path / "test.casedesk", name="Test case")
    yield c
    c.close()


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The shared spaCy pipeline (loaded on first use by the extraction tests only)."""
    from casedesk.extract.nlp import get_nlp

    return get_nlp()
