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
from spacy.tokens import Doc, Token
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
# Semantics are the AttributeRuler's: every pattern is matched against the tokens as they
# were before the component ran, then the attributes are set in pattern order, later patterns
# winning. tests/core/test_entities.py checks the two give identical tokens.

_Predicate = Callable[[Token], bool]
_ATTR_GETTERS: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda t: t.tag_,
    "LOWER": lambda t: t.lower_,
    "ORTH": lambda t: t.text,
    "DEP": lambda t: t.dep_,
    "POS": lambda t: t.pos_,
    "IS_SPACE": lambda t: t.is_space,
}


class _Unsupported(Exception):
    pass


def _predicate(spec: dict[str, Any]) -> _Predicate:
    checks: list[_Predicate] = [_check(key, want) for key, want in spec.items()]
    if len(checks) == 1:
        return checks[0]
    return lambda t: all(check(t) for check in checks)


def _check(key: str, want: Any) -> _Predicate:
    getter = _ATTR_GETTERS.get(key)
    if getter is None:
        raise _Unsupported(key)
    if not isinstance(want, dict):
        return lambda t: bool(getter(t) == want)
    if set(want) == {"IN"}:
        allowed = frozenset(want["IN"])
        return lambda t: getter(t) in allowed
    if set(want) == {"NOT_IN"}:
        banned = frozenset(want["NOT_IN"])
        return lambda t: getter(t) not in banned
    if set(want) == {"REGEX"}:
        rx = re.compile(want["REGEX"])
        return lambda t: rx.search(getter(t)) is not None
    raise _Unsupported(str(want))


class FastAttributeRuler:
    """Drop-in replacement for a loaded ``AttributeRuler`` (same patterns, same result)."""

    def __init__(self, ruler: AttributeRuler) -> None:
        # index key -> [(pattern order, predicate, or None when the key says it all)]
        self.by_tag: dict[str, list[tuple[int, _Predicate | None]]] = {}
        self.by_lower: dict[str, list[tuple[int, _Predicate | None]]] = {}
        self.spaces: list[tuple[int, _Predicate]] = []
        self.other: list[tuple[int, _Predicate]] = []
        self.attrs: list[list[tuple[str, Any]]] = []
        self.indices: list[int] = []
        self.matcher = Matcher(ruler.vocab)
        self.has_multi = False
        entries: list[dict[str, Any]] = [dict(e) for e in ruler.patterns]
        for order, entry in enumerate(entries):
            self.attrs.append(_prepare_attrs(ruler.vocab, entry["attrs"]))
            self.indices.append(int(entry.get("index", 0)))
            for pattern in entry["patterns"]:
                if len(pattern) != 1:
                    self.matcher.add(str(order), [pattern])
                    self.has_multi = True
                    continue
                spec = dict(pattern[0])
                if isinstance(spec.get("TAG"), str):
                    tag = spec.pop("TAG")
                    item = (order, _predicate(spec) if spec else None)
                    self.by_tag.setdefault(tag, []).append(item)
                elif isinstance(spec.get("LOWER"), str):
                    lower = spec.pop("LOWER")
                    item = (order, _predicate(spec) if spec else None)
                    self.by_lower.setdefault(lower, []).append(item)
                elif spec.get("IS_SPACE") is True:
                    self.spaces.append((order, _predicate(spec)))
                else:
                    self.other.append((order, _predicate(spec)))

    def __call__(self, doc: Doc) -> Doc:
        hits: list[tuple[int, int]] = []  # (pattern order, token index)
        by_tag, by_lower, spaces, other = self.by_tag, self.by_lower, self.spaces, self.other
        for tok in doc:
            found = by_tag.get(tok.tag_)
            if found:
                for order, check in found:
                    if check is None or check(tok):
                        hits.append((order, tok.i))
            found = by_lower.get(tok.lower_)
            if found:
                for order, check in found:
                    if check is None or check(tok):
                        hits.append((order, tok.i))
            if spaces and tok.is_space:
                for order, pred in spaces:
                    if pred(tok):
                        hits.append((order, tok.i))
            for order, pred in other:
                if pred(tok):
                    hits.append((order, tok.i))
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


@Language.factory("casedesk_fast_attributes")
def _make_fast_attributes(nlp: Language, name: str) -> FastAttributeRuler:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    return FastAttributeRuler(ruler)


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
