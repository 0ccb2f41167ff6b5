"""The one spaCy pipeline the extractors share.

Loading the model costs about half a second and ~50 MB, so it is loaded once per process, on
first use, and every extractor works on the same parsed ``Doc``. The parser stays on: events and
claims need dependencies and sentence boundaries, and quantities use the ``nummod`` arcs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline.attributeruler import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

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
# exceptions through spaCy's Matcher; it costs about an eighth of the whole parse, mostly in
# per-match Python overhead. FastAttributeRuler applies the same patterns with dictionary
# look-ups (single-token patterns) and keeps the Matcher only for the few multi-token ones.
# Tokens are read as rows of string hashes (``Doc.to_array``), and the many "this word with
# this tag" exceptions are one look-up by (tag, word), so no pattern is tried token by token.
# Semantics are the AttributeRuler's: every pattern is matched against the tokens as they
# were before the component ran, then the attributes are set in pattern order, later patterns
# winning. tests/core/test_entities.py checks the two give identical tokens.

# A token is looked at as one row of ``Doc.to_array`` (string hashes and ids, no Token objects):
_COLUMNS = ("TAG", "LOWER", "ORTH", "DEP", "POS", "IS_SPACE")
_Row = list[int]
_Predicate = Callable[[_Row], bool]


class _Unsupported(Exception):
    pass


def _predicate(vocab: Vocab, spec: dict[str, Any]) -> _Predicate:
    checks: list[_Predicate] = [_check(vocab, key, want) for key, want in spec.items()]
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


def _check(vocab: Vocab, key: str, want: Any) -> _Predicate:
    if key not in _COLUMNS:
        raise _Unsupported(key)
    col = _COLUMNS.index(key)
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


class FastAttributeRuler:
    """Drop-in replacement for a loaded ``AttributeRuler`` (same patterns, same result)."""

    def __init__(self, ruler: AttributeRuler) -> None:
        # string hashes -> [(pattern order, predicate, or None when the key says it all)]
        vocab = ruler.vocab
        self.by_tag_lower: dict[tuple[int, int], list[_Entry]] = {}
        self.by_tag: dict[int, list[_Entry]] = {}
        self.by_lower: dict[int, list[_Entry]] = {}
        self.spaces: list[tuple[int, _Predicate]] = []
        self.other: list[tuple[int, _Predicate]] = []
        self.attrs: list[list[tuple[str, Any]]] = []
        self.indices: list[int] = []
        self.matcher = Matcher(vocab)
        self.has_multi = False
        entries: list[dict[str, Any]] = [dict(e) for e in ruler.patterns]
        for order, entry in enumerate(entries):
            self.attrs.append(_prepare_attrs(vocab, entry["attrs"]))
            self.indices.append(int(entry.get("index", 0)))
            for pattern in entry["patterns"]:
                if len(pattern) != 1:
                    self.matcher.add(str(order), [pattern])
                    self.has_multi = True
                    continue
                spec = dict(pattern[0])
                tag, lower = spec.get("TAG"), spec.get("LOWER")
                if isinstance(lower, dict) and set(lower) == {"IN"}:
                    lower = list(lower["IN"])
                elif isinstance(lower, str):
                    lower = [lower]
                if isinstance(tag, str) and isinstance(lower, list):
                    del spec["TAG"], spec["LOWER"]
                    item = (order, _predicate(vocab, spec) if spec else None)
                    for word in lower:
                        key = (_code(vocab, "TAG", tag), _code(vocab, "LOWER", word))
                        self.by_tag_lower.setdefault(key, []).append(item)
                elif isinstance(tag, str):
                    del spec["TAG"]
                    item = (order, _predicate(vocab, spec) if spec else None)
                    self.by_tag.setdefault(_code(vocab, "TAG", tag), []).append(item)
                elif isinstance(spec.get("LOWER"), str):
                    word = spec.pop("LOWER")
                    item = (order, _predicate(vocab, spec) if spec else None)
                    self.by_lower.setdefault(_code(vocab, "LOWER", word), []).append(item)
                elif spec.get("IS_SPACE") is True:
                    self.spaces.append((order, _predicate(vocab, spec)))
                else:
                    self.other.append((order, _predicate(vocab, spec)))

    def __call__(self, doc: Doc) -> Doc:
        hits: list[tuple[int, int]] = []  # (pattern order, token index)
        by_tag, by_lower, spaces, other = self.by_tag, self.by_lower, self.spaces, self.other
        by_tag_lower = self.by_tag_lower
        rows: list[_Row] = doc.to_array(list(_COLUMNS)).tolist() if len(doc) else []
        for i, row in enumerate(rows):
            for found in (
                by_tag_lower.get((row[0], row[1])),
                by_tag.get(row[0]),
                by_lower.get(row[1]),
            ):
                if found:
                    for order, check in found:
                        if check is None or check(row):
                            hits.append((order, i))
            if spaces and row[5]:
                for order, pred in spaces:
                    if pred(row):
                        hits.append((order, i))
            for order, pred in other:
                if pred(row):
                    hits.append((order, i))
        if self.has_multi:
            for match_id, start, end in self.matcher(doc):
                order = int(doc.vocab.strings[match_id])
                hits.append((order, doc[start:end][self.indices[order]].i))
        hits.sort()
        attrs = self.attrs
        for order, i in hits:
            tok = doc[i]
            for key, value in attrs[order]:
                if key == "pos":
                    tok.pos = value
                elif key == "morph":
                    tok.set_morph(value)  # type: ignore[attr-defined]
                elif key == "lemma":
                    tok.lemma_ = value
                elif key == "tag":
                    tok.tag_ = value
                else:
                    tok.dep_ = value
        return doc


def _prepare_attrs(vocab: Vocab, attrs: dict[str, Any]) -> list[tuple[str, Any]]:
    """Attribute values converted once into what the token setters take."""
    out: list[tuple[str, Any]] = []
    for key, value in attrs.items():
        if key == "POS":
            out.append(("pos", POS_IDS[value]))
        elif key == "MORPH":
            out.append(("morph", vocab.morphology.add(value)))
        elif key in ("LEMMA", "TAG", "DEP"):
            out.append((key.lower(), value))
        else:
            raise _Unsupported(key)
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
