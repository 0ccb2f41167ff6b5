"""The one spaCy pipeline the extractors share.

Loading the model costs about half a second and ~50 MB, so it is loaded once per process, on
first use, and every extractor works on the same parsed ``Doc``. The parser stays on: events and
claims need dependencies and sentence boundaries, and quantities use the ``nummod`` arcs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

import numpy
import spacy
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import Lemmatizer
from spacy.pipeline.attributeruler import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab
from thinc.types import Ints2d

from casedesk.extract.version import MODEL_PACKAGE  # the model is part of the version

# What the facts' provenance calls the statistical model (the package is the official one).
MODEL_NAME = "en_core_web_sm"

_lock = threading.Lock()
_nlp: Language | None = None


class ModelMissingError(RuntimeError):
    """The spaCy model package is not installed; the message says how to install it."""


def get_nlp() -> Language:
    """The shared pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                try:
                    nlp = spacy.load(MODEL_PACKAGE)
                except OSError as exc:
                    raise ModelMissingError(
                        f"spaCy model {MODEL_PACKAGE!r} is not installed ({exc}); install the "
                        "en_core_web_sm 3.8 wheel shipped with Casedesk"
                    ) from exc
                # Articles are short, but a pasted book must not hit spaCy's default limit.
                nlp.max_length = 5_000_000
                _use_fast_attributes(nlp)
                _use_cached_lemmatizer(nlp)
                _nlp = nlp
    return _nlp


def parse(text: str) -> Doc:
    """Parse one document's text. Debris is expected to be masked with spaces by the caller,
    so character offsets in the ``Doc`` are offsets into the stored text."""
    return get_nlp()(text)


def parse_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse many texts with ``nlp.pipe`` (faster than one by one)."""
    yield from get_nlp().pipe(texts, batch_size=batch_size)


# -- a faster attribute ruler ---------------------------------------------------------------------
#
# The model's attribute_ruler maps fine tags to coarse POS and morphology and applies ~180
# exceptions through spaCy's Matcher, which tries every pattern at every token and sets the
# attributes through one Token object per match. FastAttributeRuler applies the same patterns
# without either:
# * tokens are read as rows of string hashes (``Doc.to_array``); a one-token pattern is indexed
#   by what it asks of a word and tag, a word, a dependency or a tag, so a row finds its
#   patterns with a few dictionary look-ups, and what they set is kept per distinct row (the
#   same word with the same tag and dependency is looked up once, not once per occurrence);
# * the eight multi-token patterns ("gon na", "there are", ...) are found from one of their
#   words, never tried elsewhere;
# * the attributes are written as one array (``Doc.from_array``).
# Semantics are the AttributeRuler's: every pattern is matched against the tokens as they
# were before the component ran, then the attributes are set in pattern order, later patterns
# winning. tests/core/test_entities.py checks the two give identical tokens.

# A token is looked at as one row of ``Doc.to_array`` (string hashes and ids, no Token objects):
_COLUMNS = ("TAG", "LOWER", "ORTH", "DEP", "POS", "IS_SPACE")
_Row = list[int]
_Predicate = Callable[[_Row], bool]


class _Unsupported(Exception):
    pass


def _predicate(vocab: Vocab, spec: dict[str, Any], columns: Sequence[str]) -> _Predicate:
    checks: list[_Predicate] = [_check(vocab, key, want, columns) for key, want in spec.items()]
    if len(checks) == 1:
        return checks[0]
    return lambda row: all(check(row) for check in checks)


def _code(vocab: Vocab, key: str, value: Any) -> int:
    """A pattern's value as the row holds it."""
    if key == "POS":
        return int(POS_IDS[value])
    if key == "IS_SPACE":
        return int(bool(value))
    return int(vocab.strings.add(str(value)))


def _check(vocab: Vocab, key: str, want: Any, columns: Sequence[str]) -> _Predicate:
    if key not in columns:
        raise _Unsupported(key)
    col = columns.index(key)
    if not isinstance(want, dict):
        code = _code(vocab, key, want)
        return lambda row: row[col] == code
    if set(want) == {"IN"}:
        allowed = frozenset(_code(vocab, key, w) for w in want["IN"])
        return lambda row: row[col] in allowed
    if set(want) == {"NOT_IN"}:
        banned = frozenset(_code(vocab, key, w) for w in want["NOT_IN"])
        return lambda row: row[col] not in banned
    if set(want) == {"REGEX"} and key not in ("POS", "IS_SPACE"):
        rx = re.compile(want["REGEX"])
        strings = vocab.strings
        seen: dict[int, bool] = {}

        def search(row: _Row) -> bool:
            found = seen.get(row[col])
            if found is None:
                found = seen[row[col]] = rx.search(strings[row[col]]) is not None
            return found

        return search
    raise _Unsupported(str(want))


_Entry = tuple[int, _Predicate | None]
# A multi-token pattern, found from one of its words: (pattern order, that word's position in
# the pattern, one predicate per pattern token, the position of the token it sets)
_Anchored = tuple[int, int, list[_Predicate], int]
# What the single-token patterns do to a token with given column values: the orders of the
# patterns that match and the attributes they leave (the last pattern setting one wins).
_Outcome = tuple[tuple[int, ...], int]
# Outcomes kept between documents: distinct tag/word/dependency combinations, a few hundred
# bytes each. A long import meets new words all the time, so the table is emptied when it
# reaches this size (a few megabytes; an article's common words are back after one document).
_MEMO_SIZE = 20_000


class FastAttributeRuler:
    """Drop-in replacement for a loaded ``AttributeRuler`` (same patterns, same result)."""

    def __init__(self, ruler: AttributeRuler) -> None:
        # string hashes -> [(pattern order, predicate, or None when the key says it all)]
        vocab = ruler.vocab
        self.by_tag_lower: dict[tuple[int, int], list[_Entry]] = {}
        self.by_lower: dict[int, list[_Entry]] = {}
        self.by_dep: dict[int, list[_Entry]] = {}
        self.by_tag: dict[int, list[_Entry]] = {}
        self.spaces: list[tuple[int, _Predicate]] = []
        self.other: list[tuple[int, _Predicate]] = []
        self.anchors: dict[int, list[_Anchored]] = {}  # word -> multi-token patterns
        self.attrs: list[list[tuple[int, int]]] = []
        self.memo: dict[tuple[int, ...], _Outcome] = {}
        self.final_ids: dict[tuple[tuple[int, int], ...], int] = {}
        self.tables: tuple[numpy.ndarray[Any, Any], numpy.ndarray[Any, Any]] | None = None
        entries: list[dict[str, Any]] = [dict(e) for e in ruler.patterns]
        used = {k for e in entries for pattern in e["patterns"] for t in pattern for k in t}
        if used - set(_COLUMNS):
            raise _Unsupported(", ".join(sorted(used - set(_COLUMNS))))
        # Only the columns some pattern reads are read (they make a token's memo key).
        self.columns = [c for c in _COLUMNS if c in used]
        self.col = {c: i for i, c in enumerate(self.columns)}
        self.read: list[int | str] = [*self.columns]
        self.write: list[int | str] = [*_SET]
        for order, entry in enumerate(entries):
            self.attrs.append(_prepare_attrs(vocab, entry["attrs"]))
            index = int(entry.get("index", 0))
            for pattern in entry["patterns"]:
                if len(pattern) != 1:
                    self._add_anchored(vocab, order, [dict(t) for t in pattern], index)
                else:
                    self._add_single(vocab, order, dict(pattern[0]))

    def _add_single(self, vocab: Vocab, order: int, spec: dict[str, Any]) -> None:
        """Index a one-token pattern by the most telling of its values (word and tag, word,
        dependency, tag); what the key does not say is left to a predicate."""
        tags, lowers, deps = (_values(spec.get(k)) for k in ("TAG", "LOWER", "DEP"))
        if tags is not None and lowers is not None:
            del spec["TAG"], spec["LOWER"]
            item = (order, _predicate(vocab, spec, self.columns) if spec else None)
            for tag in tags:
                for word in lowers:
                    key = (_code(vocab, "TAG", tag), _code(vocab, "LOWER", word))
                    self.by_tag_lower.setdefault(key, []).append(item)
            return
        for name, values, table in (
            ("LOWER", lowers, self.by_lower),
            ("DEP", deps, self.by_dep),
            ("TAG", tags, self.by_tag),
        ):
            if values is not None:
                del spec[name]
                item = (order, _predicate(vocab, spec, self.columns) if spec else None)
                for value in values:
                    table.setdefault(_code(vocab, name, value), []).append(item)
                return
        if spec.get("IS_SPACE") is True:
            self.spaces.append((order, _predicate(vocab, spec, self.columns)))
        else:
            self.other.append((order, _predicate(vocab, spec, self.columns)))

    def _add_anchored(
        self, vocab: Vocab, order: int, pattern: list[dict[str, Any]], index: int
    ) -> None:
        """Index a multi-token pattern by one of its words (spaCy's Matcher would try it at
        every token)."""
        at = next((i for i, t in enumerate(pattern) if _values(t.get("LOWER")) is not None), None)
        if at is None or any("OP" in t for t in pattern):
            raise _Unsupported(str(pattern))
        checks = [_predicate(vocab, t, self.columns) for t in pattern]
        target = index if index >= 0 else len(pattern) + index
        if not 0 <= target < len(pattern):
            raise _Unsupported(f"index {index} of {pattern}")
        for word in _values(pattern[at].get("LOWER")) or ():
            self.anchors.setdefault(_code(vocab, "LOWER", word), []).append(
                (order, at, checks, target)
            )

    def _outcome(self, row: _Row) -> _Outcome:
        """What the one-token patterns do to a token whose columns are ``row``."""
        col = self.col
        tag = row[col["TAG"]] if "TAG" in col else 0
        lower = row[col["LOWER"]] if "LOWER" in col else 0
        dep = row[col["DEP"]] if "DEP" in col else 0
        orders: list[int] = []
        for found in (
            self.by_tag_lower.get((tag, lower)),
            self.by_lower.get(lower),
            self.by_dep.get(dep),
            self.by_tag.get(tag),
        ):
            for order, check in found or ():
                if check is None or check(row):
                    orders.append(order)
        if "IS_SPACE" in col and row[col["IS_SPACE"]]:
            orders += [order for order, check in self.spaces if check(row)]
        orders += [order for order, check in self.other if check(row)]
        orders.sort()
        return tuple(orders), self._final(orders)

    def _final(self, orders: Iterable[int]) -> int:
        """The id of what the patterns of ``orders`` set, applied in that order."""
        final: dict[int, int] = {}
        for order in orders:
            final.update(self.attrs[order])
        key = tuple(sorted(final.items()))
        found = self.final_ids.get(key)
        if found is None:
            found = self.final_ids[key] = len(self.final_ids)
            self.tables = None
        return found

    def _tables(self) -> tuple[numpy.ndarray[Any, Any], numpy.ndarray[Any, Any]]:
        """Per final id: the values it sets and where (one column per ``_SET`` attribute)."""
        if self.tables is None:
            values = numpy.zeros((len(self.final_ids), len(_SET)), dtype=numpy.uint64)
            where = numpy.zeros((len(self.final_ids), len(_SET)), dtype=bool)
            for final, k in self.final_ids.items():
                for slot, value in final:
                    values[k, slot] = value
                    where[k, slot] = True
            self.tables = values, where
        return self.tables

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows: list[_Row] = doc.to_array(self.read).tolist()
        memo, outcome, anchors = self.memo, self._outcome, self.anchors
        lower_col = self.col.get("LOWER", 0)
        n = len(rows)
        if len(memo) > _MEMO_SIZE:
            memo.clear()
        finals: list[int] = []  # per token, the id of what it is set to
        extra: dict[int, list[int]] = {}  # token -> orders of multi-token patterns setting it
        for i, row in enumerate(rows):
            key = tuple(row)
            found = memo.get(key)
            if found is None:
                found = memo[key] = outcome(row)
            finals.append(found[1])
            if row[lower_col] in anchors:
                for order, at, checks, target in anchors[row[lower_col]]:
                    start = i - at
                    if start < 0 or start + len(checks) > n:
                        continue
                    if all(check(rows[start + k]) for k, check in enumerate(checks)):
                        extra.setdefault(start + target, []).append(order)
        for i, orders in extra.items():
            # patterns of both kinds set this token: all of them in order, the last one winning
            finals[i] = self._final(sorted([*memo[tuple(rows[i])][0], *orders]))
        # The attributes are written as one array: a Token object per token would cost more
        # than the rest of this component.
        values, where = self._tables()
        chosen = numpy.asarray(finals, dtype=numpy.intp)
        before = doc.to_array(self.write)
        after = cast(Ints2d, numpy.where(where[chosen], values[chosen], before))
        if after[:, _MORPH].all():
            doc.from_array(self.write, after)
        else:
            # ``from_array`` would give a token without morphology the empty analysis "_":
            # the morphology of such a document is set token by token.
            others = [k for k in range(len(_SET)) if k != _MORPH]
            doc.from_array([_SET[k] for k in others], cast(Ints2d, after[:, others]))
            for i in numpy.flatnonzero(after[:, _MORPH] != before[:, _MORPH]).tolist():
                doc[i].set_morph(int(after[i, _MORPH]))
        return doc


def _values(want: Any) -> list[str] | None:
    """The values a pattern's ``want`` allows when it is one value or ``IN`` a list."""
    if isinstance(want, str):
        return [want]
    if isinstance(want, dict) and set(want) == {"IN"}:
        return [str(w) for w in want["IN"]]
    return None


# The attributes a pattern may set, in the order of the array they are written with.
_SET = ("POS", "MORPH", "LEMMA", "TAG", "DEP")
_MORPH = _SET.index("MORPH")


def _prepare_attrs(vocab: Vocab, attrs: dict[str, Any]) -> list[tuple[int, int]]:
    """A pattern's attributes as (position in ``_SET``, value as ``Doc.to_array`` gives it)."""
    out: list[tuple[int, int]] = []
    for key, value in attrs.items():
        if key == "POS":
            code = int(POS_IDS[value])
        elif key == "MORPH":
            code = int(vocab.morphology.add(value))
        elif key in ("LEMMA", "TAG", "DEP"):
            code = int(vocab.strings.add(str(value)))
        else:
            raise _Unsupported(key)
        out.append((_SET.index(key), code))
    return out


def _make_fast_attributes(nlp: Language, name: str) -> FastAttributeRuler:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    return FastAttributeRuler(ruler)


# spaCy checks a factory's arguments against the function's annotations. This module's
# ``from __future__ import annotations`` leaves them as strings, which confection 0.1 (the
# config library of spaCy 3.8.7) cannot resolve: the objects themselves are given here.
_make_fast_attributes.__annotations__ = {"nlp": Language, "name": str, "return": FastAttributeRuler}
Language.factory("casedesk_fast_attributes", func=_make_fast_attributes)


def _use_fast_attributes(nlp: Language) -> None:
    """Swap the model's attribute_ruler for FastAttributeRuler, unless a pattern uses a
    feature it does not implement (then the original stays)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    try:
        nlp.add_pipe("casedesk_fast_attributes", after="attribute_ruler")
    except _Unsupported:
        return
    nlp.remove_pipe("attribute_ruler")


# -- lemmas looked up once per distinct token -------------------------------------------------
#
# The model's lemmatizer (rule mode) gives a token the lemma its word, coarse tag and
# morphology call for, and keeps a cache on exactly those three; but it still makes a Token
# object per token, a cache key with a MorphAnalysis object in it, and sets each lemma
# through the string store. CachedLemmatizer reads the three as rows of ``Doc.to_array``, asks
# the model's lemmatizer only for a combination it has not seen, and writes the lemmas as one
# array. Tokens that already have a lemma (the attribute ruler sets a few) keep it, as the
# lemmatizer does unless its ``overwrite`` is set.

_LEMMA_COLUMNS: list[int | str] = ["ORTH", "POS", "MORPH", "LEMMA"]
_LEMMA_MEMO_SIZE = 50_000  # distinct (word, tag, morphology) kept; then the table is emptied


class CachedLemmatizer:
    """Drop-in replacement for a loaded rule or lookup ``Lemmatizer`` (same lemmas)."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        if lemmatizer.mode not in ("rule", "lookup"):
            raise _Unsupported(f"lemmatizer mode {lemmatizer.mode}")
        self.lemmatizer = lemmatizer
        self.overwrite = bool(lemmatizer.overwrite)
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows: list[list[int]] = doc.to_array(_LEMMA_COLUMNS).tolist()
        memo, strings, lemmatize = self.memo, doc.vocab.strings, self.lemmatizer.lemmatize
        if len(memo) > _LEMMA_MEMO_SIZE:
            memo.clear()
        lemmas: list[int] = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not self.overwrite:
                lemmas.append(lemma)
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                found = memo[key] = int(strings.add(lemmatize(doc[i])[0]))
            lemmas.append(found)
        doc.from_array(["LEMMA"], cast(Ints2d, numpy.array(lemmas, dtype=numpy.uint64)))
        return doc


def _make_cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer, Lemmatizer)
    return CachedLemmatizer(lemmatizer)


_make_cached_lemmatizer.__annotations__ = {
    "nlp": Language,
    "name": str,
    "return": CachedLemmatizer,
}
Language.factory("casedesk_cached_lemmatizer", func=_make_cached_lemmatizer)


def _use_cached_lemmatizer(nlp: Language) -> None:
    """Swap the model's lemmatizer for CachedLemmatizer when it works by rules or a table."""
    if "lemmatizer" not in nlp.pipe_names or not isinstance(nlp.get_pipe("lemmatizer"), Lemmatizer):
        return
    try:
        nlp.add_pipe("casedesk_cached_lemmatizer", after="lemmatizer")
    except _Unsupported:
        return
    nlp.remove_pipe("lemmatizer")
