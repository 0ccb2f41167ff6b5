"""Bringing files into a case: stored in short batches, bad files reported, never fatal.

The importer only reads and stores; extraction is run afterwards by the caller (the command
line or the window), on the ids this returns.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, overload

from casedesk.ingest.debris import find_debris
from casedesk.ingest.language import guess_language
from casedesk.ingest.model import DocumentMeta, ImportCancelled, IngestError, valid_date
from casedesk.ingest.readers import (
    READERS,
    SUFFIXES,
    Extracted,
    ReadContext,
    Reader,
    reader_for,
)
from casedesk.store import Case, is_open_case_file

# Files larger than this are refused before they are read (50 MB of text is about 8 million
# words, far beyond any article; such a file is a mistake or a dump).
MAX_FILE_BYTES = 50 * 1024 * 1024
# Documents are committed together for up to this long (or this many): a commit per file costs
# as much as reading and checking the file, and a batch keeps the write lock only briefly.
BATCH_SECONDS = 0.25
BATCH_FILES = 200
BATCH_CHARS = 20_000_000  # and no more text than this waits in memory to be stored


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
            pages = _saved_page_stems(files)
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and not _is_page_resources(d, pages)
            )
            for name in sorted(files):
                if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                    found = True
                    yield Path(root) / name, None
        for err in walk_errors:
            yield Path(err.filename or path), f"cannot read folder ({err.strerror or err})"
        if not found and not walk_errors:
            yield path, f"folder holds no files Casedesk can import ({_suffix_list()})"


_RESOURCE_WORD = re.compile(r"[^\W\d_]{2,20}")


def _saved_page_stems(files: list[str]) -> set[str]:
    return {Path(f).stem for f in files if Path(f).suffix.lower() in (".html", ".htm", ".xhtml")}


def _is_page_resources(folder: str, pages: set[str]) -> bool:
    """A browser's "Web page, complete" folder beside its page: the page's name, ``_`` or ``-``
    and one word (``page_files``, ``page-Dateien``, ``page_fichiers``). Its pictures, scripts
    and frames are part of the page, not documents of their own."""
    for stem in pages:
        if folder.startswith(stem) and len(folder) > len(stem) + 1:
            sep, word = folder[len(stem)], folder[len(stem) + 1 :]
            if sep in "_-" and _RESOURCE_WORD.fullmatch(word):
                return True
    return False


def _limit(reader: Reader) -> int:
    return reader.max_bytes or MAX_FILE_BYTES


def _largest_limit() -> int:
    return max(_limit(r) for r in READERS.values())


def _suffix_list() -> str:
    return ", ".join(sorted(SUFFIXES))


def read_file(path: Path, context: ReadContext | None = None) -> Extracted:
    """Read one file, refusing what is not a regular, readable, reasonably sized text.
    A file that holds several documents (an mbox) gives its first."""
    return read_file_documents(path, context)[0]


def read_file_documents(path: Path, context: ReadContext | None = None) -> list[Extracted]:
    """Read one file into the documents it holds; raise ``IngestError`` naming the reason."""
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
    if info.st_size == 0:
        raise IngestError(path, "empty file")
    # A known suffix gives the limit before the file is opened; an unknown one is sniffed.
    known = path.suffix.lower() in SUFFIXES
    limit = _limit(reader_for(b"", path.suffix)) if known else _largest_limit()
    if info.st_size > limit:
        raise IngestError(
            path, f"file is too large ({_mb(info.st_size)}; the limit is {_mb(limit)})"
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise IngestError(path, f"cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:  # the file grew while we looked at it
        raise IngestError(path, f"file is too large (over {_mb(limit)})")
    reader = reader_for(data, path.suffix)
    if len(data) > _limit(reader):
        raise IngestError(
            path, f"file is too large ({_mb(len(data))}; the limit is {_mb(_limit(reader))})"
        )
    context = context or ReadContext()
    context.path = path
    try:
        documents = reader.read(data, context)
    except ValueError as exc:
        raise IngestError(path, str(exc)) from None
    except RecursionError:
        raise IngestError(path, "file is nested too deeply to read") from None
    except ImportCancelled:
        raise
    except MemoryError:
        raise IngestError(path, "file needs more memory to read than is available") from None
    except Exception as exc:  # noqa: BLE001 - a reader library's own bug or limit is one bad file
        raise IngestError(path, f"cannot be read ({type(exc).__name__}: {exc})"[:500]) from None
    for document in _all_parts(documents):
        document.text = storable(document.text)
        document.name = storable(document.name)
        document.meta = DocumentMeta(
            **{f.name: storable(getattr(document.meta, f.name)) for f in fields(document.meta)}
        )
    if not documents or not any(d.text.strip() for d in documents):
        raise IngestError(path, "no text in the file (only whitespace)")
    return documents


def _all_parts(documents: list[Extracted]) -> Iterator[Extracted]:
    for document in documents:
        yield document
        yield from _all_parts(document.children)


def _mb(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


_SURROGATE = re.compile("[\ud800-\udfff]")


@overload
def storable(text: str) -> str: ...
@overload
def storable(text: None) -> None: ...
def storable(text: str | None) -> str | None:
    """``text`` as a case stores it: no NUL (SQLite counts text up to the first NUL and
    Python past it, so lengths and offsets would disagree) and no lone surrogate (a reader's
    broken UTF-16 pair, which SQLite cannot store), each replaced by U+FFFD or dropped."""
    if text is None:
        return None
    if "\x00" in text:
        text = text.replace("\x00", "")
    if _SURROGATE.search(text) is not None:
        text = _SURROGATE.sub("\ufffd", text)
    return text


def stored_name(path: Path) -> str:
    """The file name as it is stored and shown: bytes that are not UTF-8 (a name from another
    system's encoding) become U+FFFD, since a case holds text only."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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
    context: ReadContext | None = None,
) -> tuple[int, bool]:
    """Import one file (one transaction, or part of the caller's); return ``(id, is_new)`` of
    its first document (see ``import_file_documents`` for files that hold several)."""
    stored, _problems = import_file_documents(
        case, path, meta=meta, manifest_meta=manifest_meta, context=context
    )
    return stored[0]


def import_file_documents(
    case: Case,
    path: Path,
    *,
    meta: DocumentMeta | None = None,
    manifest_meta: DocumentMeta | None = None,
    context: ReadContext | None = None,
) -> tuple[list[tuple[int, bool]], list[tuple[str, str]]]:
    """Import every document a file holds, attachments linked to their message; return
    ``(id, is_new)`` for each and the parts that could not be read as ``(name, reason)``.

    Metadata precedence: ``meta`` (given at import) over the manifest entry over the file's
    own metadata (given and manifest metadata apply to a file's own document, not to the
    messages of an mbox); the title falls back to the article's own headline line.
    """
    given = _checked(meta or DocumentMeta(), "given metadata", path)
    listed = _checked(manifest_meta or DocumentMeta(), "manifest", path)
    documents = read_file_documents(path, context)
    return store_documents(case, path, documents, given, listed)


def store_documents(
    case: Case,
    path: Path,
    documents: list[Extracted],
    given: DocumentMeta,
    listed: DocumentMeta,
) -> tuple[list[tuple[int, bool]], list[tuple[str, str]]]:
    """Store what was read from one file: all of it, or (on a storage error) none of it."""
    if len(documents) > 1:
        given = listed = DocumentMeta()
    stored: list[tuple[int, bool]] = []
    problems: list[tuple[str, str]] = []
    with case.transaction(), _savepoint(case, "import_source"):
        for extracted in documents:
            _store(case, path, extracted, given, listed, None, stored, problems)
    return stored, problems


def _store(
    case: Case,
    path: Path,
    extracted: Extracted,
    given: DocumentMeta,
    listed: DocumentMeta,
    parent_id: int | None,
    stored: list[tuple[int, bool]],
    problems: list[tuple[str, str]],
) -> None:
    """Store one document and its children (depth first), or note why it is left out."""
    name = extracted.name or path.name
    problems.extend(extracted.problems)
    if not extracted.text.strip():
        problems.append((name, "no text in it (only whitespace)"))
        return
    doc_id, new = _store_one(case, path, extracted, given, listed, parent_id)
    stored.append((doc_id, new))
    empty = DocumentMeta()
    for child in extracted.children:
        _store(case, path, child, empty, empty, doc_id, stored, problems)


def _store_one(
    case: Case,
    path: Path,
    extracted: Extracted,
    given: DocumentMeta,
    listed: DocumentMeta,
    parent_id: int | None,
) -> tuple[int, bool]:
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
    ranges = _with_reader_debris(extracted.text, debris.ranges, extracted.debris_lines)
    title = merged.title or debris.title
    language = merged.language or guess_language(extracted.text)
    thread = _thread_id(case, extracted)
    try:
        with case.transaction(), _savepoint(case):
            doc_id = case.add_document(
                file_name=storable(extracted.name) if extracted.name else stored_name(path),
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
                boilerplate=ranges,
                parent_id=parent_id,
                thread_id=thread,
                message_id=_text_attr(extracted.attrs, "message_id"),
                ocr=extracted.ocr,
                attrs=extracted.attrs,
            )
    except sqlite3.IntegrityError:
        # Another import of the same content won the race; the transaction was rolled back.
        found = case.document_id_by_sha256(sha)
        if found is None:
            raise
        return found, False
    return doc_id, True


def _text_attr(attrs: dict[str, Any], key: str) -> str | None:
    value = attrs.get(key)
    return value if isinstance(value, str) and value else None


# Through the index documents_message_id: one look-up a reply, however many messages.
THREAD_OF_MESSAGE = (
    "SELECT thread_id FROM documents WHERE message_id = ? AND thread_id IS NOT NULL LIMIT 1"
)


def _thread_id(case: Case, extracted: Extracted) -> str | None:
    """A message's thread: the thread of the message it answers when that one is in the case
    (its key may come from an earlier message the reply does not name), else the reader's."""
    reply_to = extracted.attrs.get("in_reply_to")
    if isinstance(reply_to, str) and reply_to:
        row = case.conn.execute(THREAD_OF_MESSAGE, (reply_to,)).fetchone()
        if row is not None:
            return str(row[0])
    return extracted.thread


def _with_reader_debris(
    text: str,
    found: list[tuple[int, int, int, int, str]],
    flagged: list[tuple[int, int, str]],
) -> list[tuple[int, int, int, int, str]]:
    """Debris ranges found in the text, with the lines the reader flagged (an e-mail's header
    block, quoted replies) added where no range covers them yet."""
    if not flagged:
        return found
    covered = {line for first, last, *_ in found for line in range(first, last + 1)}
    starts = [0]
    lines = text.split("\n")
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    ranges = list(found)
    for first, last, reason in flagged:
        first, last = max(first, 0), min(last, len(lines) - 1)
        run: list[int] = []
        for line in [*range(first, last + 1), -1]:
            if line >= 0 and line not in covered:
                run.append(line)
                continue
            if run:
                a, b = run[0], run[-1]
                ranges.append((a, b, starts[a], starts[b] + len(lines[b]), reason))
                run = []
    return sorted(ranges, key=lambda r: r[0])


def import_paths(
    case: Case,
    paths: Sequence[Path],
    *,
    meta: DocumentMeta | None = None,
    manifest: Path | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    detail: Callable[[int, int, Path, str], None] | None = None,
) -> ImportReport:
    """Import files and folders; a bad file is reported in ``failed`` and the rest go on.

    ``progress(done, total, path)`` is called after each file, ``detail(done, total, path,
    line)`` during long work inside one (each page being recognised); ``cancel()`` is asked
    before each file and between pages, and stops the batch (documents already imported
    stay; the file being read is left out). Files are read outside any transaction and
    stored in batches of a fraction of a second; a file that fails while being stored is
    rolled back alone. A manifest that cannot be read is reported as the only failure and
    nothing is imported.
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
    # Files are read outside any transaction (recognising a scan takes seconds a page, and the
    # window must be able to write meanwhile); what was read is stored in short batches.
    pending: list[tuple[Path, list[Extracted], DocumentMeta, DocumentMeta]] = []
    pending_chars = 0
    deadline = time.monotonic() + BATCH_SECONDS

    def flush() -> None:
        nonlocal pending_chars, deadline
        if pending:
            with case.transaction():
                for path, documents, given, listed in pending:
                    _store_read(case, report, path, documents, given, listed)
        pending.clear()
        pending_chars = 0
        deadline = time.monotonic() + BATCH_SECONDS

    for done, (path, problem) in enumerate(todo, 1):
        if cancel is not None and cancel():
            report.cancelled = True
            break
        if problem is not None:
            report.failed.append((path, problem))
        else:
            entry = listing.lookup(path) if listing is not None else None
            context = ReadContext(progress=_detail(detail, done - 1, total, path), cancel=cancel)
            try:
                given = _checked(meta or DocumentMeta(), "given metadata", path)
                listed = _checked(entry or DocumentMeta(), "manifest", path)
                documents = read_file_documents(path, context)
            except IngestError as exc:
                report.failed.append((path, exc.reason))
            except ImportCancelled:
                report.cancelled = True
                break
            except (MemoryError, OSError) as exc:
                report.failed.append((path, f"could not be read ({type(exc).__name__}: {exc})"))
            except Exception as exc:  # noqa: BLE001 - one file never ends the batch
                reason = f"could not be imported ({type(exc).__name__}: {exc})"
                report.failed.append((path, reason[:500]))
            else:
                pending.append((path, documents, given, listed))
                pending_chars += sum(_chars(d) for d in documents)
        if (
            len(pending) >= BATCH_FILES
            or pending_chars > BATCH_CHARS
            or time.monotonic() > deadline
        ):
            flush()
        if progress is not None:
            progress(done, total, path)
    flush()
    if listing is not None and listing.name and report.imported:
        _name_from_manifest(case, listing.name)
    return report


def _name_from_manifest(case: Case, name: str) -> None:
    """Name a case that has no name of its own yet (only its file's) after its manifest's
    ``"case"``: summaries and briefs are titled by the case's name."""
    name = " ".join(name.split())
    current = case.get_meta("name")
    if name and (not current or current == Path(case.path).stem):
        with case.transaction():
            case.set_meta("name", name)


# Storing errors that come from one file's rows (a value SQLite refuses), not from the case.
_FILE_ERRORS = (sqlite3.IntegrityError, sqlite3.DataError, sqlite3.InterfaceError)


def _chars(extracted: Extracted) -> int:
    return len(extracted.text) + sum(_chars(c) for c in extracted.children)


def _store_read(
    case: Case,
    report: ImportReport,
    path: Path,
    documents: list[Extracted],
    given: DocumentMeta,
    listed: DocumentMeta,
) -> None:
    try:
        stored, problems = store_documents(case, path, documents, given, listed)
    except (sqlite3.Error, MemoryError, OSError) as exc:
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, _FILE_ERRORS):
            # The case cannot be written (disk full, read-only, a damaged search index): no
            # later file could be either.
            raise
        report.failed.append((path, f"could not be stored ({type(exc).__name__}: {exc})"))
        return
    except Exception as exc:  # noqa: BLE001 - one file never ends the batch
        report.failed.append((path, f"could not be stored ({type(exc).__name__}: {exc})"[:500]))
        return
    for doc_id, new in stored:
        (report.imported if new else report.duplicates).append((path, doc_id))
    report.failed += [(path, f"{part}: {why}") for part, why in problems]


def _detail(
    detail: Callable[[int, int, Path, str], None] | None, done: int, total: int, path: Path
) -> Callable[[str], None] | None:
    if detail is None:
        return None
    return lambda line: detail(done, total, path, line)


@contextmanager
def _savepoint(case: Case, name: str = "import_file") -> Iterator[None]:
    """Undo one file's (or document's) rows if storing fails, keeping the rest of a batch."""
    case.conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        case.conn.execute(f"ROLLBACK TO {name}")
        case.conn.execute(f"RELEASE {name}")
        raise
    case.conn.execute(f"RELEASE {name}")


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
