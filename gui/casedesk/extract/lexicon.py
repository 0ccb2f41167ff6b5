"""Word lists kept as data: ``casedesk/extract/data/*.txt``.

Each file starts with a header (``#`` lines) saying what belongs in the list and why, then
holds one entry per line. ``@include NAME`` takes in every entry of another list, so a word
that serves two purposes is written once, in the list that states its criterion; a test checks
that no entry is written in two files, unless it is marked ``WORD @also OTHER`` (a word with
a second role, written as well in the list OTHER that states its first). Tables (read with
``table``) hold ``key = value`` lines. Files are read once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().with_name("data")


class LexiconError(ValueError):
    """A list file that cannot be read: names the file and the line."""


@cache
def written(name: str) -> tuple[str, ...]:
    """The entries written in the list file ``name`` itself (no includes), in file order."""
    path = DATA / f"{name}.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LexiconError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return tuple(
        line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
    )


@cache
def entries(name: str, _seen: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The entries of ``name`` with its includes expanded."""
    if name in _seen:
        raise LexiconError(f"{DATA / (name + '.txt')}: includes itself ({' > '.join(_seen)})")
    out: list[str] = []
    for entry in written(name):
        if entry.startswith("@include "):
            out.extend(entries(entry.split(None, 1)[1].strip(), (*_seen, name)))
        else:
            out.append(entry.split(" @also ", 1)[0].strip())
    return tuple(out)


def words(name: str, *, lower: bool = True) -> frozenset[str]:
    """The list as a set (lower-cased unless ``lower`` is False)."""
    return frozenset(e.lower() for e in entries(name)) if lower else frozenset(entries(name))


def table(name: str) -> dict[str, str]:
    """A ``key = value`` list as a dict (keys as written)."""
    out: dict[str, str] = {}
    for entry in entries(name):
        key, sep, value = entry.partition(" = ")
        if not sep or not key.strip() or not value.strip():
            raise LexiconError(f"{DATA / (name + '.txt')}: '{entry}' is not 'key = value'")
        out[key.strip()] = value.strip()
    return out


def list_names() -> list[str]:
    """Every list file in the package read by this module (files divided into ``[sections]``
    are read by their own extractor)."""
    return sorted(
        p.stem
        for p in DATA.glob("*.txt")
        if not any(line.startswith("[") for line in p.read_text(encoding="utf-8").splitlines())
    )
