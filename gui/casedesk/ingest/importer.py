"""Bringing files into a case: stored in short batches, bad files reported, never fatal.

The importer only reads and stores; extraction is run afterwards by the caller (the command
line or the window), on the ids this returns.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from casedesk.ingest.debris import find_debris
from casedesk.ingest.language import guess_language
from casedesk.ingest.model import DocumentMeta, IngestError, valid_date
from casedesk.ingest.readers import SUFFIXES, Extracted, read_bytes
from casedesk.store import Case, is_open_case_file

# Files larger than this are refused before they are read (50 MB of text is about 8 million
# words, far beyond any article; such a file is a mistake or a dump).
MAX_FILE_BYTES = 50 * 1024 * 1024
# PDFs carry images and fonts, so the file may be larger than its text.
MAX_PDF_BYTES = 200 * 1024 * 1024
# Documents are committed together for up to this long (or this many): a commit per file costs
# as much as reading and checking the file, and a batch keeps the write lock only briefly.
BATCH_SECONDS = 0.25
BATCH_FILES = 200


@dataclass
class ImportReport:
    """What an import did. ``failed`` holds the reason text for each file that was refused."""

    imported: list[tuple[Path, int]] = field(default_factory=list)
    duplicates: list[tuple[Path, int]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed

    def messages(self) -> list[str]:
        """One line per duplicate or failure, naming the file."""
        lines = [f"{p}: already in the case (document {i})" for p, i in self.duplicates]
        lines += [f"{p}: {reason}" for p, reason in self.failed]
        return lines


class Manifest(dict[str, DocumentMeta]):
    """Metadata per file name, as read from a manifest like ``seeds/manifest.json``."""

    def __init__(self, name: str | None = None, folder: Path | None = None) -> None:
        super().__init__()
        self.name = name
        self.folder = folder
        self._resolved = folder.resolve() if folder is not None else None

    def lookup(self, path: Path) -> DocumentMeta | None:
        """The entry for ``path``: by its path relative to the manifest, else by file name."""
        if self._resolved is not None:
            try:
                rel = path.resolve().relative_to(self._resolved).as_posix()
            except ValueError:
                rel = None
            if rel is not None and rel in self:
                return self[rel]
        return self.get(path.name)


_MANIFEST_FIELDS = ("title", "publisher", "published", "url", "language")


def read_manifest(path: str | Path) -> Manifest:
    """Read a manifest: ``{"case": name, "documents": [{"file": ..., "title": ...}, ...]}``.

    Dates are checked when each file is imported, so one bad entry fails one file only.
    """
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise IngestError(path, f"cannot read manifest ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise IngestError(path, "manifest is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise IngestError(
            path, f"manifest is not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from None
    entries = raw.get("documents") if isinstance(raw, dict) else raw
    if not isinstance(entries, list):
        raise IngestError(path, 'manifest needs a "documents" list')
    name = raw.get("case") if isinstance(raw, dict) else None
    manifest = Manifest(name if isinstance(name, str) else None, path.parent)
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise IngestError(path, f'manifest entry {n} has no "file" name')
        values: dict[str, str | None] = {}
        for key in _MANIFEST_FIELDS:
            value = entry.get(key)
            if value is not None and not isinstance(value, str):
                raise IngestError(path, f"manifest entry {n} ({entry['file']}): {key} is not text")
            values[key] = value.strip() or None if isinstance(value, str) else None
        manifest[entry["file"]] = DocumentMeta(**values)
    return manifest


def expand_paths(paths: Sequence[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files to import, in order; folders are walked for recognised suffixes.

    Yields ``(path, None)`` for a file to read and ``(path, reason)`` for a path that cannot
    give any (missing, a folder with nothing to import, ...).
    """
    for raw in paths:
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            yield path, "no such file or folder"
            continue
        except OSError as exc:
            yield path, f"cannot access ({exc.strerror or exc})"
            continue
        if not stat.S_ISDIR(mode):
            yield path, None
            continue
        found = False
        walk_errors: list[OSError] = []
        for root, dirs, files in os.walk(path, onerror=walk_errors.append):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                    found = True
                    yield Path(root) / name, None
        for err in walk_errors:
            yield Path(err.filename or path), f"cannot read folder ({err.strerror or err})"
        if not found and not walk_errors:
            yield path, "folder holds no files Casedesk can import (.txt, .md, .html, .pdf)"


def read_file(path: Path) -> Extracted:
    """Read one file, refusing what is not a regular, readable, reasonably sized text."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IngestError(path, "no such file") from None
    except OSError as exc:
        raise IngestError(path, f"cannot access ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise IngestError(path, "not a regular file")
    if is_open_case_file(path):
        # Reading it here and closing it would drop the case's locks (see store.py).
        raise IngestError(path, "is an open case file (or part of one), not a document")
    is_pdf = path.suffix.lower() == ".pdf"
    limit = MAX_PDF_BYTES if is_pdf else MAX_FILE_BYTES
    if info.st_size > limit:
        raise IngestError(
            path, f"file is too large ({_mb(info.st_size)}; the limit is {_mb(limit)})"
        )
    if info.st_size == 0:
        raise IngestError(path, "empty file")
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise IngestError(path, f"cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:  # the file grew while we looked at it
        raise IngestError(path, f"file is too large (over {_mb(limit)})")
    try:
        extracted = read_bytes(data, path.suffix)
    except ValueError as exc:
        raise IngestError(path, str(exc)) from None
    except RecursionError:
        raise IngestError(path, "file is nested too deeply to read") from None
    if not extracted.text.strip():
        raise IngestError(path, "no text in the file (only whitespace)")
    return extracted


def _mb(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def content_sha256(text: str) -> str:
    """The identity of a document: the hash of its normalised text, whatever its encoding."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _checked(meta: DocumentMeta, source: str, path: Path) -> DocumentMeta:
    if meta.published is None:
        return meta
    try:
        return replace(meta, published=valid_date(meta.published))
    except ValueError as exc:
        raise IngestError(path, f"{source}: {exc}") from None


def import_file(
    case: Case,
    path: Path,
    *,
    meta: DocumentMeta | None = None,
    manifest_meta: DocumentMeta | None = None,
) -> tuple[int, bool]:
    """Import one file (one transaction, or part of the caller's); return ``(id, is_new)``.

    Metadata precedence: ``meta`` (given at import) over the manifest entry over the file's
    own metadata; the title falls back to the article's own headline line.
    """
    given = _checked(meta or DocumentMeta(), "given metadata", path)
    listed = _checked(manifest_meta or DocumentMeta(), "manifest", path)
    extracted = read_file(path)
    sha = content_sha256(extracted.text)
    existing = case.document_id_by_sha256(sha)
    if existing is not None:
        return existing, False
    own = extracted.meta
    merged = given.over(listed).over(own)
    evidence = extracted.published_evidence
    inferred = extracted.published_inferred
    if given.published is not None:
        evidence, inferred = "given at import", False
    elif listed.published is not None:
        evidence, inferred = "manifest", False
    debris = find_debris(extracted.text, merged.title)
    title = merged.title or debris.title
    language = merged.language or guess_language(extracted.text)
    try:
        with case.transaction(), _savepoint(case):
            doc_id = case.add_document(
                file_name=path.name,
                text=extracted.text,
                sha256=sha,
                format=extracted.format,
                title=title,
                publisher=merged.publisher,
                url=merged.url,
                published=merged.published,
                published_inferred=inferred if merged.published else False,
                published_evidence=evidence if merged.published else None,
                language=language,
                encoding=extracted.encoding,
                boilerplate=debris.ranges,
            )
    except sqlite3.IntegrityError:
        # Another import of the same content won the race; the transaction was rolled back.
        found = case.document_id_by_sha256(sha)
        if found is None:
            raise
        return found, False
    return doc_id, True


def import_paths(
    case: Case,
    paths: Sequence[Path],
    *,
    meta: DocumentMeta | None = None,
    manifest: Path | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and folders; a bad file is reported in ``failed`` and the rest go on.

    ``progress(done, total, path)`` is called after each file; ``cancel()`` is asked before
    each file and stops the batch (documents already imported stay). Documents are committed
    in batches of a fraction of a second; a file that fails while being stored is rolled back
    alone. A manifest that cannot be read is reported as the only failure and nothing is
    imported.
    """
    report = ImportReport()
    listing = None
    if manifest is not None:
        try:
            listing = read_manifest(manifest)
        except IngestError as exc:
            # Importing without the metadata the user asked for would store documents that a
            # second, corrected import could not fix (they would be duplicates): import nothing.
            report.failed.append((Path(manifest), exc.reason))
            return report
    todo = list(expand_paths(paths))
    total = len(todo)
    done = 0
    while done < total and not report.cancelled:
        deadline = time.monotonic() + BATCH_SECONDS
        with case.transaction():
            for _ in range(BATCH_FILES):
                if done >= total:
                    break
                if cancel is not None and cancel():
                    report.cancelled = True
                    break
                path, problem = todo[done]
                done += 1
                if problem is not None:
                    report.failed.append((path, problem))
                else:
                    entry = listing.lookup(path) if listing is not None else None
                    try:
                        doc_id, new = import_file(case, path, meta=meta, manifest_meta=entry)
                    except IngestError as exc:
                        report.failed.append((path, exc.reason))
                    except (sqlite3.Error, MemoryError, OSError) as exc:
                        reason = f"could not be stored ({type(exc).__name__}: {exc})"
                        report.failed.append((path, reason))
                    else:
                        (report.imported if new else report.duplicates).append((path, doc_id))
                if progress is not None:
                    progress(done, total, path)
                if time.monotonic() > deadline:
                    break
    return report


@contextmanager
def _savepoint(case: Case) -> Iterator[None]:
    """Undo one file's rows if storing it fails, keeping the rest of a batch."""
    case.conn.execute("SAVEPOINT import_file")
    try:
        yield
    except BaseException:
        case.conn.execute("ROLLBACK TO import_file")
        case.conn.execute("RELEASE import_file")
        raise
    case.conn.execute("RELEASE import_file")


def import_sample(case: Case) -> ImportReport:
    """Import the sample articles (the seeds) with their manifest and name the case after it."""
    from casedesk.paths import seeds_dir

    seeds: Any = seeds_dir()
    if isinstance(seeds, Path):
        return _import_seed_folder(case, seeds)
    # Shipped inside a zip: copy the few small files out first.
    with tempfile.TemporaryDirectory(prefix="casedesk-seeds-") as tmp:
        folder = Path(tmp)
        for item in seeds.iterdir():
            if item.is_file() and (item.name.endswith(".txt") or item.name == "manifest.json"):
                with item.open("rb") as src, (folder / item.name).open("wb") as dst:
                    shutil.copyfileobj(src, dst)
        return _import_seed_folder(case, folder)


def _import_seed_folder(case: Case, folder: Path) -> ImportReport:
    manifest_path = folder / "manifest.json"
    listing = read_manifest(manifest_path)
    files = [folder / name for name in listing]
    report = import_paths(case, files, manifest=manifest_path)
    if listing.name:
        with case.transaction():
            case.set_meta("name", listing.name)
            case.touch()
    return report
