"""Cases made of texts written in a test: each added as a plain-text document and extracted;
or of mentions written in a test, resolved as one document's each."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from casedesk.extract.model import Mention
from casedesk.extract.pipeline import extract_documents
from casedesk.extract.resolve import EntityResolver
from casedesk.store import Case


def add_extracted(case: Case, docs: Mapping[str, tuple[str, str]]) -> list[int]:
    """Add each ``file name -> (publication date, text)`` to the case and extract them all."""
    ids = [
        case.add_document(
            file_name=name,
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            format="txt",
            published=published,
        )
        for name, (published, text) in docs.items()
    ]
    extract_documents(case, ids)
    return ids


def resolve_mentions(case: Case, *docs: list[Mention]) -> list[list[int | None]]:
    """Resolve each list of mentions as the mentions of document 1, 2, ...: their entity ids."""
    resolver = EntityResolver(case)
    out = []
    with case.transaction():
        for n, mentions in enumerate(docs, 1):
            out.append(resolver.resolve(n, mentions))
    return out
