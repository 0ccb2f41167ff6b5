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


def _load_make_formats():  # type: ignore[no-untyped-def]
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("make_formats", DATA / "make_formats.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_formats"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def make_formats():  # type: ignore[no-untyped-def]
    """``tests/data/make_formats.py``: test files in every format, made from known text."""
    return _load_make_formats()


@pytest.fixture(scope="session")
def format_files(tmp_path_factory: pytest.TempPathFactory, make_formats) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """One file of each format (scan.png, scan.pdf, memo.docx, archive.mbox, ...), made once."""
    return make_formats.make_all(tmp_path_factory.mktemp("formats"))  # type: ignore[no-any-return]
