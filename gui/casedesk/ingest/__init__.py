"""Importing source documents into a case (plain Python, no Qt).

``import_paths`` reads .txt, .md, .html and .pdf files (and folders of them), detects the
encoding, normalises the text, flags web-page debris line by line and stores each document in
one transaction. It never runs extraction; callers do that on the ids it returns.
"""

from casedesk.ingest.debris import Debris, find_debris
from casedesk.ingest.importer import (
    MAX_FILE_BYTES,
    ImportReport,
    Manifest,
    content_sha256,
    import_file,
    import_paths,
    import_sample,
    read_file,
    read_manifest,
)
from casedesk.ingest.language import guess_language
from casedesk.ingest.model import DocumentMeta, IngestError, valid_date
from casedesk.ingest.readers import SUFFIXES

__all__ = [
    "MAX_FILE_BYTES",
    "SUFFIXES",
    "Debris",
    "DocumentMeta",
    "ImportReport",
    "IngestError",
    "Manifest",
    "content_sha256",
    "find_debris",
    "guess_language",
    "import_file",
    "import_paths",
    "import_sample",
    "read_file",
    "read_manifest",
    "valid_date",
]
