"""Cases made of texts written in a test: each added as a plain-text document and extracted."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from casedesk.extract.pipeline import extract_documents
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
