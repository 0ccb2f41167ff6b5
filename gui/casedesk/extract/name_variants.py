"""English given names and their usual short forms ("William" and "Bill", "Lawrence" and
"Larry"), as evidence that two spellings name one person.

Source: the PyPI package ``nicknames`` (Carlton Northern and Nick Crews; Apache License 2.0),
a hand-curated table of English given names and the nicknames they are known by
(``names.csv``: ``name1,has_nickname,name2``). It is read once per process from the installed
package's own file, never from the network; the package's name and version are part of the
extractor's version (``casedesk.extract.version``).

Criterion: two given names are variants when the table lists one as a nickname of the other,
in either direction, one step only ("Bill" is William's and Robert's, which does not make
William Robert). A variant is never a name by itself: the resolver takes it only together
with the same surname and fitting middle names ("Bill Tarrant", "William J. Tarrant"), joins
such spellings inside one document, and across documents only proposes them for review.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGE = "nicknames"
_DATA_FILE = "names.csv"


def package_version() -> str:
    """The installed package's version ("missing" without it), read without importing it."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "missing"


def _data_path() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / _DATA_FILE


@cache
def _table() -> dict[str, frozenset[str]]:
    path = _data_path()
    if path is None:
        raise RuntimeError(
            f"the {PACKAGE} package is not installed: install Casedesk's dependencies"
        )
    out: dict[str, set[str]] = defaultdict(set)
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RuntimeError(f"{path}: cannot be read ({exc})") from None
    for row in rows:
        if len(row) != 3 or row[1] != "has_nickname":
            continue  # the header, or a relation of another kind
        a, b = row[0].strip().lower(), row[2].strip().lower()
        if a and b and a != b:
            out[a].add(b)
            out[b].add(a)
    return {name: frozenset(v) for name, v in out.items()}


def variants(given_name: str) -> frozenset[str]:
    """The usual short and long forms of a given name, lower-case ("bill" for "William")."""
    return _table().get(given_name.lower(), frozenset())


def are_variants(a: str, b: str) -> bool:
    """One given name is a usual form of the other ("Larry", "Lawrence")."""
    return b.lower() in variants(a)
