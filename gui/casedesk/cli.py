"""The ``casedesk`` command: opens the window, and drives a case from the terminal.

Exit status: 0 on success, 1 when some inputs failed (or a case could not be opened),
2 on a usage error. Tables are for people; ``--format jsonl`` is for programs, and its fields
are stable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from casedesk.polarity import polarity_sql
from casedesk.store import Case, CaseError, describe_error

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


# -- output helpers ------------------------------------------------------------------------------

# Characters a terminal acts on (C0 but tab and newline, DEL, C1 with CSI) and lone surrogates
# (undecodable bytes of a file name) that would stop the output with an encoding error.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff]")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python could not decode in a file name
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def shown(text: object) -> str:
    """``text`` safe to print: control characters and undecodable bytes as ``\\xNN``, so a
    title or file name cannot move the cursor, recolour or retitle the user's terminal."""
    return _UNPRINTABLE.sub(_escape_char, str(text))


def _write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    count = 0
    buf: list[str] = []
    for row in rows:
        buf.append(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumps(row)))
        count += 1
        if len(buf) >= 2048:
            out.write("\n".join(buf) + "\n")
            buf.clear()
    if buf:
        out.write("\n".join(buf) + "\n")
    return count


def _write_lines(lines: Iterable[str], out: TextIO) -> int:
    count = 0
    buf: list[str] = []
    for line in lines:
        buf.append(line)
        count += 1
        if len(buf) >= 4096:
            out.write("\n".join(buf) + "\n")
            buf.clear()
    if buf:
        out.write("\n".join(buf) + "\n")
    return count


def _cell(value: Any, width: int) -> str:
    if value is None:
        text = ""
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    text = shown(" ".join(text.split()))
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _write_table(
    rows: Iterable[dict[str, Any]], columns: Sequence[tuple[str, int]], out: TextIO
) -> int:
    """Rows as aligned columns; each column is (field, maximum width)."""
    materialised = [{k: _cell(r.get(k), w) for k, w in columns} for r in rows]
    widths = {k: max([len(k)] + [len(r[k]) for r in materialised]) for k, _ in columns}
    out.write("  ".join(k.ljust(widths[k]) for k, _ in columns).rstrip() + "\n")
    for r in materialised:
        out.write("  ".join(r[k].ljust(widths[k]) for k, _ in columns).rstrip() + "\n")
    return len(materialised)


def _emit(
    rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[tuple[str, int]], out: TextIO
) -> int:
    if fmt == "jsonl":
        return _write_jsonl(rows, out)
    return _write_table(rows, columns, out)


def _err(message: str) -> None:
    print(f"casedesk: {shown(message)}", file=sys.stderr)


# -- queries behind list/facts/entities/timeline -------------------------------------------------


def list_rows(case: Case) -> Iterable[dict[str, Any]]:
    cur = case.conn.execute(
        "SELECT d.id, d.file_name, d.title, d.publisher, d.published, d.published_inferred, "
        "d.words, (SELECT count(*) FROM facts f WHERE f.document_id = d.id "
        "AND f.status != 'rejected') FROM documents d ORDER BY d.published IS NULL, "
        "d.published, d.id"
    )
    for i, name, title, publisher, published, inferred, words, facts in cur:
        yield {
            "id": i,
            "document": name,
            "title": title,
            "publisher": publisher,
            "published": published,
            "published_inferred": bool(inferred),
            "words": words,
            "facts": facts,
        }


_FACT_FIELDS = (
    ("id", "f.id"),
    ("kind", "f.kind"),
    ("text", "f.text"),
    ("value", "f.value"),
    ("entity", "e.name"),
    ("document", "d.file_name"),
    ("start", "f.start"),
    ("end", "f.end"),
    ("status", "f.status"),
    ("entity_id", "f.entity_id"),
    # A claim the speaker denies, an event reported only as denied: "denies".
    ("polarity", polarity_sql("f")),
)


def _fact_query(select: str, document_id: int | None, kind: str | None) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if document_id is not None:
        where.append("f.document_id = ?")
        params.append(document_id)
    if kind is not None:
        where.append("f.kind = ?")
        params.append(kind)
    sql = (
        f"SELECT {select} "
        "FROM facts f JOIN documents d ON d.id = f.document_id "
        "LEFT JOIN entities e ON e.id = f.entity_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY f.document_id, f.start, f.id"
    )
    return sql, params


def fact_rows(
    case: Case, document_id: int | None = None, kind: str | None = None
) -> Iterable[dict[str, Any]]:
    sql, params = _fact_query(", ".join(c for _, c in _FACT_FIELDS), document_id, kind)
    keys = tuple(k for k, _ in _FACT_FIELDS)
    cur = case.conn.execute(sql, params)
    cur.arraysize = 4096
    while batch := cur.fetchmany():
        for row in batch:
            yield dict(zip(keys, row, strict=True))


def fact_json_lines(
    case: Case, document_id: int | None = None, kind: str | None = None
) -> Iterable[str]:
    """The rows of ``fact_rows`` as JSON text, built by SQLite: a case holds hundreds of
    thousands of facts, and encoding each row in Python would cost most of the time."""
    select = "json_object(" + ", ".join(f"'{k}', {c}" for k, c in _FACT_FIELDS) + ")"
    sql, params = _fact_query(select, document_id, kind)
    cur = case.conn.execute(sql, params)
    cur.arraysize = 4096
    while batch := cur.fetchmany():
        for (line,) in batch:
            yield line


def entity_rows(case: Case) -> Iterable[dict[str, Any]]:
    aliases: dict[int, list[str]] = {}
    for entity_id, alias in case.conn.execute(
        "SELECT a.entity_id, a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE a.alias != e.name ORDER BY a.entity_id, a.alias"
    ):
        aliases.setdefault(entity_id, []).append(alias)
    documents: dict[int, list[str]] = {}
    mentions: dict[int, int] = {}
    for entity_id, name, count in case.conn.execute(
        "SELECT f.entity_id, d.file_name, count(*) FROM facts f "
        "JOIN documents d ON d.id = f.document_id "
        "WHERE f.entity_id IS NOT NULL AND f.status != 'rejected' "
        "GROUP BY f.entity_id, d.id ORDER BY f.entity_id, d.file_name"
    ):
        documents.setdefault(entity_id, []).append(name)
        mentions[entity_id] = mentions.get(entity_id, 0) + count
    for entity_id, kind, name in case.conn.execute(
        "SELECT id, kind, name FROM entities ORDER BY kind, name COLLATE NOCASE, id"
    ):
        if entity_id not in mentions:
            continue
        yield {
            "id": entity_id,
            "kind": kind,
            "name": name,
            "aliases": aliases.get(entity_id, []),
            "documents": documents.get(entity_id, []),
            "mentions": mentions[entity_id],
        }


def timeline_rows(case: Case) -> Iterable[dict[str, Any]]:
    sources: dict[int, list[dict[str, Any]]] = {}
    for event_id, name, start, end, text, polarity in case.conn.execute(
        f"SELECT s.event_id, d.file_name, f.start, f.end, f.text, {polarity_sql('f')} "
        "FROM event_sources s "
        "JOIN facts f ON f.id = s.fact_id JOIN documents d ON d.id = f.document_id "
        "WHERE f.status != 'rejected' ORDER BY s.event_id, d.published, d.id, f.start"
    ):
        sources.setdefault(event_id, []).append(
            {"document": name, "start": start, "end": end, "text": text, "polarity": polarity}
        )
    for event_id, date, title in case.conn.execute(
        "SELECT id, date, title FROM events WHERE status != 'rejected' "
        "ORDER BY date_start, date_end, id"
    ):
        if event_id in sources:
            yield {"id": event_id, "date": date, "title": title, "sources": sources[event_id]}


# -- commands ------------------------------------------------------------------------------------


def _open_case(path: str, *, readonly: bool = False) -> Case:
    """Open a case for a command; one that only reads opens it read-only, so it never writes
    to the file (not even a WAL checkpointed into it)."""
    case = Case.open(Path(path), readonly=readonly)
    for notice in case.notices:
        _err(notice)
    return case


def _extract(case: Case, doc_ids: list[int], quiet: bool) -> int:
    """Extract the documents just imported, and any an interrupted import left unextracted;
    each document whose extraction failed gets a line naming it; their number."""
    pending = [
        int(r[0])
        for r in case.conn.execute("SELECT id FROM documents WHERE extractor IS NULL ORDER BY id")
    ]
    doc_ids = sorted(set(doc_ids) | set(pending))
    if not doc_ids:
        return 0
    from casedesk.extract.pipeline import extract_documents

    progress = None if quiet else _progress_printer("extracting")
    results = extract_documents(case, doc_ids, progress=progress)
    if not quiet:
        print(file=sys.stderr)
    failed = [r for r in results if r.error]
    for r in failed:
        row = case.conn.execute(
            "SELECT file_name FROM documents WHERE id = ?", (r.document_id,)
        ).fetchone()
        name = row[0] if row else f"document {r.document_id}"
        _err(f"{name}: facts not extracted ({r.error})")
    return len(failed)


def cmd_extract(args: argparse.Namespace) -> int:
    """Extract the documents that need it: never extracted, or extracted by another version
    of the extractor (``--all``: every document). User decisions are kept."""
    from casedesk.extract.pipeline import (
        EXTRACTOR_VERSION,
        documents_needing_extraction,
        extract_documents,
    )

    with _open_case(args.case) as case:
        doc_ids = case.document_ids() if args.all else documents_needing_extraction(case)
        if not doc_ids:
            print(f"{args.case}: every document is up to date ({EXTRACTOR_VERSION})")
            return EXIT_OK
        progress = None if args.quiet else _progress_printer("extracting")
        results = extract_documents(case, doc_ids, progress=progress)
        if not args.quiet:
            print(file=sys.stderr)
        failed = [r for r in results if r.error]
        for r in failed:
            _err(f"document {r.document_id}: {r.error}")
        print(
            f"extracted {len(results) - len(failed)} of {len(doc_ids)} documents "
            f"({EXTRACTOR_VERSION})"
        )
        return EXIT_FAILED if failed else EXIT_OK


def _import_detail(done: int, total: int, path: Path, line: str) -> None:
    """Long work inside one file (a scan's pages being recognised), a line each."""
    print(f"{path.name}: {line}", file=sys.stderr, flush=True)


def _progress_printer(label: str) -> Callable[[int, int], None]:
    interactive = sys.stderr.isatty()

    def report(done: int, total: int) -> None:
        if interactive:
            print(f"\r{label}: {done}/{total}", end="", file=sys.stderr, flush=True)

    return report


def cmd_new(args: argparse.Namespace) -> int:
    case = Case.create(Path(args.case), name=args.name)
    case.close()
    print(f"created {args.case}")
    return EXIT_OK


def cmd_sample(args: argparse.Namespace) -> int:
    from casedesk.ingest import import_sample

    case = Case.create(Path(args.case))
    with case:
        report = import_sample(case)
        _extract(case, [doc_id for _, doc_id in report.imported], args.quiet)
        for path, reason in report.failed:
            _err(f"{path}: {reason}")
        print(f"wrote the sample case to {args.case}: {len(report.imported)} documents")
        return EXIT_FAILED if report.failed else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from casedesk.ingest import DocumentMeta, import_paths

    if args.published is not None:
        try:
            dt.date.fromisoformat(args.published)
        except ValueError as exc:
            raise UsageError(f"--published: '{args.published}' is not a YYYY-MM-DD date") from exc
    meta = DocumentMeta(
        title=args.title, publisher=args.publisher, published=args.published, url=args.url
    )
    with _open_case(args.case) as case:
        report = import_paths(
            case,
            [Path(p) for p in args.paths],
            meta=meta,
            manifest=Path(args.manifest) if args.manifest else None,
            detail=None if args.quiet else _import_detail,
        )
        for path, reason in report.failed:
            _err(f"{path}: {reason}")
        for path, doc_id in report.duplicates:
            print(
                shown(f"{path}: already in the case (document {doc_id}), skipped"), file=sys.stderr
            )
        not_extracted = 0
        if not args.no_extract:
            not_extracted = _extract(case, [doc_id for _, doc_id in report.imported], args.quiet)
        print(
            f"imported {len(report.imported)}, duplicates {len(report.duplicates)}, "
            f"failed {len(report.failed)}"
            + (f", facts not extracted from {not_extracted}" if not_extracted else "")
        )
        return EXIT_FAILED if report.failed or not_extracted else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with _open_case(args.case, readonly=True) as case:
        columns = [
            ("id", 6),
            ("document", 28),
            ("title", 50),
            ("publisher", 24),
            ("published", 10),
            ("words", 7),
            ("facts", 6),
        ]
        _emit(list_rows(case), args.format, columns, sys.stdout)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    with _open_case(args.case, readonly=True) as case:
        rows = (
            {"document": h.file_name, "title": h.title, "snippet": h.snippet, "score": h.score}
            for h in case.search(args.query, limit=args.limit)
        )
        _emit(rows, args.format, [("document", 28), ("title", 40), ("snippet", 70)], sys.stdout)
    return EXIT_OK


def cmd_facts(args: argparse.Namespace) -> int:
    with _open_case(args.case, readonly=True) as case:
        doc_id = None
        if args.document is not None:
            doc_id = case.find_document(args.document)
            if doc_id is None:
                raise UsageError(f"--document: no document '{args.document}' in {args.case}")
        columns = [
            ("id", 7),
            ("kind", 12),
            ("text", 40),
            ("value", 24),
            ("entity", 24),
            ("document", 24),
            ("status", 9),
        ]
        if args.format == "jsonl":
            _write_lines(fact_json_lines(case, doc_id, args.kind), sys.stdout)
        else:
            _write_table(fact_rows(case, doc_id, args.kind), columns, sys.stdout)
    return EXIT_OK


def cmd_entities(args: argparse.Namespace) -> int:
    with _open_case(args.case, readonly=True) as case:
        columns = [("id", 6), ("kind", 12), ("name", 36), ("aliases", 40), ("mentions", 8)]
        _emit(entity_rows(case), args.format, columns, sys.stdout)
    return EXIT_OK


def cmd_timeline(args: argparse.Namespace) -> int:
    with _open_case(args.case, readonly=True) as case:
        rows = timeline_rows(case)
        if args.format == "table":
            # a report that denies the happening is marked, never listed as one more source
            rows = (
                {
                    **r,
                    "sources": [
                        s["document"] + (" (denies)" if s["polarity"] == "denies" else "")
                        for s in r["sources"]
                    ],
                }
                for r in rows
            )
        _emit(
            rows, args.format, [("id", 6), ("date", 16), ("title", 60), ("sources", 40)], sys.stdout
        )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from casedesk.export import (
        ExportError,
        ExportOptions,
        format_for,
        render_brief,
        summary_html,
        summary_markdown,
        write_atomic,
    )

    if args.brief:
        narrowing = [
            flag
            for flag, given in (
                ("--confirmed-only", args.confirmed_only),
                ("--from", args.date_from),
                ("--to", args.date_to),
                ("--entity", args.entity),
                ("--tag", args.tag),
                ("--sections", args.sections),
            )
            if given
        ]
        if narrowing:
            raise UsageError(
                f"--brief takes no {', '.join(narrowing)}: they narrow the full summary"
            )
    elif args.format == "txt":
        raise UsageError("--format txt: plain text is for the brief (add --brief)")
    sections = tuple(s.strip() for s in args.sections.split(",")) if args.sections else None
    options = ExportOptions(
        confirmed_only=args.confirmed_only,
        date_from=args.date_from,
        date_to=args.date_to,
        tag=args.tag,
    )
    if sections:
        options.sections = sections
    with _open_case(args.case, readonly=True) as case:
        if args.entity:
            row = case.conn.execute(
                "SELECT id FROM entities WHERE name = ? COLLATE NOCASE OR id = ? LIMIT 1",
                (args.entity, args.entity),
            ).fetchone()
            if row is None:
                raise UsageError(f"--entity: no entity '{args.entity}' in {args.case}")
            options.entity_id = int(row[0])
        try:
            fmt = args.format
            if fmt is None:
                formats = ("md", "html", "txt") if args.brief else ("md", "html")
                fmt = format_for(Path(args.output), formats) if args.output else "md"
            if args.brief:
                text = render_brief(case, fmt)
            else:
                text = (
                    summary_html(case, options)
                    if fmt == "html"
                    else summary_markdown(case, options)
                )
            if args.output:
                written = write_atomic(Path(args.output), text)
                print(f"wrote {written}", file=sys.stderr)
            else:
                sys.stdout.write(text)
        except ExportError as exc:
            raise UsageError(str(exc)) from exc
        except OSError as exc:
            _err(f"{args.output}: cannot write ({exc.strerror or exc})")
            return EXIT_FAILED
    return EXIT_OK


def cmd_graph(args: argparse.Namespace) -> int:
    from casedesk.export import ExportError
    from casedesk.export.graph import export_graph, graph_format
    from casedesk.graph import (
        DEFAULT_KINDS,
        GraphError,
        GraphFilter,
        build_graph,
        describe,
        parse_kinds,
    )

    try:
        graph_format(args.output)
        kinds = parse_kinds(args.kind) if args.kind else DEFAULT_KINDS
        graph_filter = GraphFilter(
            kinds=kinds,
            date_from=args.date_from,
            date_to=args.date_to,
            min_weight=args.min_weight,
            max_nodes=args.max_nodes,
            isolated=args.isolated,
        )
        graph_filter.bounds()
    except (ExportError, GraphError) as exc:
        raise UsageError(str(exc)) from exc
    with _open_case(args.case, readonly=True) as case:
        graph = build_graph(case, graph_filter)
        try:
            written = export_graph(graph, Path(args.output), name=case.name)
        except OSError as exc:
            _err(f"{args.output}: cannot write ({exc.strerror})" if exc.strerror else str(exc))
            return EXIT_FAILED
    print(f"wrote {written}: {describe(graph)}", file=sys.stderr)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from casedesk import backups

    with _open_case(args.case, readonly=True) as case:
        made = backups.make(case, "made with casedesk backup")
    print(f"backed up {args.case} to {made}")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from casedesk import backups

    case_path = Path(args.case)
    if not case_path.is_file():
        raise CaseError(f"{args.case}: no such case file")
    rows = (
        {
            "made": b.made_at.isoformat().replace("+00:00", "Z"),
            "reason": b.reason,
            "documents": b.documents,
            "facts": b.facts,
            "bytes": b.size,
            "path": str(b.path),
        }
        for b in backups.list_backups(case_path)
    )
    columns = [("made", 20), ("reason", 36), ("documents", 9), ("facts", 7), ("path", 200)]
    _emit(rows, args.format, columns, sys.stdout)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from casedesk import backups

    with _open_case(args.case) as case:
        before = backups.restore(case, Path(args.backup))
    print(f"restored {args.backup} into {args.case}; the case as it was is kept as {before}")
    return EXIT_OK


# -- entity corrections --------------------------------------------------------------------------


def _one_entity(case: Case, name: str, kind: str | None = None) -> int:
    """The entity a typed name means; none or several is a usage error naming the candidates."""
    from casedesk import queries

    found = queries.find_entities(case, name, kind)
    if not found:
        raise UsageError(f"no entity '{name}' in {case.path}")
    if len(found) > 1:
        shown = "; ".join(
            f"#{r.id} {r.kind} '{r.name}' ({r.mentions} mentions)" for r in found[:12]
        )
        more = f"; and {len(found) - 12} more" if len(found) > 12 else ""
        raise UsageError(
            f"'{name}' matches {len(found)} entities: {shown}{more} (give the exact name, or #ID)"
        )
    return found[0].id


def _entity_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "name": row.name,
        "aliases": list(row.aliases),
        "mentions": row.mentions,
        "documents": row.documents,
        "status": row.status,
    }


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _said(case: Case, entity_id: int | None, what: str) -> None:
    from casedesk import queries

    row = queries.entity(case, entity_id) if entity_id is not None else None
    tail = ""
    if row is not None:
        tail = (
            f": #{row.id} {row.kind} '{row.name}', {_count(row.mentions, 'mention')} in "
            f"{_count(row.documents, 'document')}"
        )
    print(f"{what}{tail}")


def cmd_entity(args: argparse.Namespace) -> int:
    from casedesk import entity_edits as ee
    from casedesk import queries

    reads = args.action in ("list", "mentions", "proposals")
    with _open_case(args.case, readonly=reads) as case:
        action = args.action
        try:
            if action == "list":
                rows = queries.entities_page(
                    case,
                    args.kind,
                    args.filter,
                    sort=args.sort,
                    descending=args.sort in ("mentions", "documents"),
                    limit=args.limit or 1_000_000_000,
                    include_rejected=args.all,
                )
                columns = [
                    ("id", 6),
                    ("kind", 12),
                    ("name", 36),
                    ("aliases", 40),
                    ("mentions", 8),
                    ("documents", 9),
                ]
                _emit((_entity_json(r) for r in rows), args.format, columns, sys.stdout)
                return EXIT_OK
            if action == "mentions":
                entity_id = _one_entity(case, args.name)
                mentions = queries.entity_mentions(case, entity_id, limit=args.limit or 10**9)
                mention_rows = (
                    {
                        "fact": m.fact_id,
                        "document": m.document_title,
                        "published": m.published,
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                        "status": m.status,
                        "sentence": m.sentence,
                    }
                    for m in mentions
                )
                columns = [("fact", 7), ("document", 30), ("text", 24), ("sentence", 80)]
                _emit(mention_rows, args.format, columns, sys.stdout)
                return EXIT_OK
            if action == "proposals":
                for p in queries.proposals(case):
                    print(f"#{p.id}  {p.reason} ({p.score:.2f})")
                    for side in (p.a, p.b):
                        print(
                            f"    #{side.entity_id} {side.kind} '{side.name}' "
                            f"({side.mentions} mentions): {side.sentence}"
                        )
                return EXIT_OK
            if action == "rename":
                entity_id = _one_entity(case, args.name)
                old = queries.entity(case, entity_id)
                ee.rename_entity(case, entity_id, args.new)
                _said(case, entity_id, f"renamed '{old.name if old else args.name}'")
            elif action == "kind":
                entity_id = _one_entity(case, args.name)
                ee.set_entity_kind(case, [entity_id], args.kind)
                _said(case, entity_id, f"'{args.name}' is now a {args.kind}")
            elif action == "merge":
                ids = list(dict.fromkeys(_one_entity(case, n) for n in args.names))
                keep = _one_entity(case, args.keep) if args.keep else None
                edit = ee.merge_entities(
                    case, ids, keep_id=keep, name=args.new_name, kind=args.kind
                )
                kept = next(iter(e for e in ids if queries.entity(case, e) is not None), None)
                _said(
                    case, kept, f"merged {len(ids)} entities ({len(edit.changes.facts)} mentions)"
                )
            elif action == "split":
                entity_id = _one_entity(case, args.name)
                spellings = [a.strip() for a in (args.aliases or "").split(",") if a.strip()]
                facts = [int(f) for f in (args.facts or "").split(",") if f.strip()]
                edit = ee.split_entity(
                    case, entity_id, spellings=spellings, fact_ids=facts, name=args.new_name
                )
                _said(case, edit.new_entity_id, "split off")
                _said(case, entity_id, "kept")
            elif action == "reject":
                ids = list(dict.fromkeys(_one_entity(case, n) for n in args.names))
                edit = ee.reject_entities(case, ids)
                print(
                    f"not an entity: {_count(len(ids), 'entity').replace('entitys', 'entities')}"
                    f", {_count(len(edit.changes.facts), 'mention')} rejected"
                )
            elif action in ("accept", "decline"):
                if action == "accept":
                    keep = _one_entity(case, args.keep) if args.keep else None
                    ee.accept_proposal(case, args.id, keep_id=keep, kind=args.kind)
                    print(f"merge proposal {args.id} accepted")
                else:
                    ee.reject_proposal(case, args.id)
                    print(f"merge proposal {args.id} declined")
        except ee.EditError as exc:
            raise UsageError(str(exc)) from exc
    return EXIT_OK


def _correction_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "action": row.action,
        "entity_id": row.entity_id,
        "entity": row.entity_name,
        "kind": row.kind,
        "spellings": list(row.spellings),
        "value": row.value,
        "document_id": row.document_id,
        "start": row.start,
        "end": row.end,
        "detail": row.detail,
        "created_at": row.created_at,
        "revoked_at": row.revoked_at,
    }


def cmd_corrections(args: argparse.Namespace) -> int:
    from casedesk import entity_edits as ee
    from casedesk import queries

    with _open_case(args.case, readonly=not args.rest) as case:
        if args.rest:
            if len(args.rest) != 2 or args.rest[0] != "revoke" or not args.rest[1].isdigit():
                raise UsageError("expected: casedesk corrections CASE revoke ID")
            try:
                ee.revoke_correction(case, int(args.rest[1]))
            except ee.EditError as exc:
                raise UsageError(str(exc)) from exc
            print(f"correction {args.rest[1]} revoked")
            return EXIT_OK
        rows = queries.corrections(case, include_revoked=not args.in_force)
        if args.format == "jsonl":
            _write_jsonl((_correction_json(r) for r in rows), sys.stdout)
        else:
            table = (
                {
                    "id": r.id,
                    "action": r.action,
                    "decision": r.describe(),
                    "created": r.created_at,
                    "revoked": r.revoked_at or "",
                }
                for r in rows
            )
            columns = [
                ("id", 6),
                ("action", 12),
                ("decision", 70),
                ("created", 20),
                ("revoked", 20),
            ]
            _write_table(table, columns, sys.stdout)
    return EXIT_OK


def cmd_disputes(args: argparse.Namespace) -> int:
    """List where the sources disagree, or record a decision on one dispute."""
    from casedesk import disputes

    if args.rest:
        action, *ids = args.rest
        usage = "expected: casedesk disputes CASE resolve|dismiss|reopen ID [--note TEXT]"
        if action not in ("resolve", "dismiss", "reopen") or len(ids) != 1:
            raise UsageError(usage)
        if action == "reopen" and args.note:
            raise UsageError("reopen takes no --note")
        with _open_case(args.case) as case:
            try:
                dispute = disputes.find(case, ids[0])
                if action == "resolve":
                    disputes.resolve(case, dispute, args.note or "")
                elif action == "dismiss":
                    disputes.dismiss(case, dispute, args.note or "")
                else:
                    disputes.reopen(case, dispute)
            except disputes.DisputeError as exc:
                raise UsageError(str(exc)) from exc
            done = {"resolve": "resolved", "dismiss": "marked not a dispute", "reopen": "reopened"}
            print(f"dispute {dispute.id} ({dispute.kind}: {shown(dispute.subject)}) {done[action]}")
        return EXIT_OK
    if args.note:
        raise UsageError("--note goes with resolve or dismiss")
    with _open_case(args.case, readonly=True) as case:
        found = disputes.find_disputes(case, include_closed=not args.open)
        if args.kind:
            found = [d for d in found if d.kind == args.kind]
        if args.format == "jsonl":
            _write_jsonl((d.as_json() for d in found), sys.stdout)
            return EXIT_OK
        table = (
            {
                "id": d.id,
                "kind": d.kind,
                "status": disputes.STATUS_WORDS[d.status],
                "subject": d.subject,
                "sides": " | ".join(f"{s.document}: {s.value}" for s in d.sides),
            }
            for d in found
        )
        columns = [("id", 12), ("kind", 8), ("status", 13), ("subject", 50), ("sides", 90)]
        _write_table(table, columns, sys.stdout)
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    from casedesk.ui.app import run

    if args.case is None:
        return run(None)
    path = Path(args.case)
    # Refuse a bad file here, with the same clear message the window would show.
    _open_case(str(path), readonly=True).close()
    return run(path)


# -- parser --------------------------------------------------------------------------------------


class _VersionAction(argparse.Action):
    """``--version``, read only when asked for (reading package metadata is not free)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from casedesk import __version__

        print(f"casedesk {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casedesk",
        description="A case-file workbench. With no command, opens the window on the last "
        "case (on first run, on the sample case).",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_: str, func: Callable[[argparse.Namespace], int]) -> Any:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    def fmt(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--format",
            choices=("table", "jsonl"),
            default="table",
            help="table for people (default), jsonl for programs",
        )

    p = add("open", "open a case in the window (no CASE: the last one, or the sample)", cmd_open)
    p.add_argument("case", metavar="CASE", nargs="?")
    p = add("new", "create a new, empty case file", cmd_new)
    p.add_argument("case", metavar="CASE")
    p.add_argument("--name", help="the case's name (default: the file name)")
    p = add("sample", "write the sample case (five articles) to CASE, with extraction", cmd_sample)
    p.add_argument("case", metavar="CASE")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p = add(
        "import",
        "import documents (text, Markdown, HTML/MHTML, PDF, scans, .docx, .odt, .eml, .mbox, "
        "or folders) into a case",
        cmd_import,
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("paths", metavar="PATH", nargs="+")
    p.add_argument("--title")
    p.add_argument("--publisher")
    p.add_argument("--published", metavar="YYYY-MM-DD")
    p.add_argument("--url")
    p.add_argument(
        "--manifest",
        metavar="FILE",
        help="a manifest.json giving title/publisher/published per file",
    )
    p.add_argument("--no-extract", action="store_true", help="import only; extract later")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p = add(
        "extract",
        "extract facts again from documents extracted by another version (or never)",
        cmd_extract,
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("--all", action="store_true", help="every document, up to date or not")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p = add("list", "list the case's documents", cmd_list)
    p.add_argument("case", metavar="CASE")
    fmt(p)
    p = add("search", 'full-text search: words, "quoted phrases", prefix*', cmd_search)
    p.add_argument("case", metavar="CASE")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=_limit, default=50)
    fmt(p)
    p = add("facts", "list extracted and hand-made facts", cmd_facts)
    p.add_argument("case", metavar="CASE")
    p.add_argument("--document", metavar="NAME", help="file name, title or id of one document")
    p.add_argument("--kind", choices=_fact_kinds())
    fmt(p)
    p = add("entities", "list entities with their other spellings", cmd_entities)
    p.add_argument("case", metavar="CASE")
    fmt(p)
    p = add(
        "entity",
        "list and correct entities; every correction is kept and applied by later extraction",
        cmd_entity,
    )
    p.add_argument("case", metavar="CASE")
    acts = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    name_help = "a name or other spelling (case-insensitive), a part of one, or #ID"
    a = acts.add_parser("list", help="list entities (most mentioned first with --sort mentions)")
    a.add_argument("filter", metavar="FILTER", nargs="?", help="part of a name or spelling")
    a.add_argument("--kind", choices=_entity_kinds())
    a.add_argument("--sort", choices=("name", "kind", "mentions", "documents"), default="name")
    a.add_argument("--limit", type=int, default=0, help="at most this many (default: all)")
    a.add_argument("--all", action="store_true", help="also those marked not an entity")
    fmt(a)
    a = acts.add_parser("mentions", help="an entity's mentions with their sentences")
    a.add_argument("name", metavar="NAME", help=name_help)
    a.add_argument("--limit", type=int, default=0)
    fmt(a)
    acts.add_parser("proposals", help="merge proposals waiting for a decision")
    a = acts.add_parser("rename", help="give an entity the name you choose")
    a.add_argument("name", metavar="NAME", help=name_help)
    a.add_argument("new", metavar="NEW")
    a = acts.add_parser("kind", help="change the kind of an entity and every mention of it")
    a.add_argument("name", metavar="NAME", help=name_help)
    a.add_argument("kind", metavar="KIND", choices=_entity_kinds())
    a = acts.add_parser("merge", help="merge entities into one")
    a.add_argument("names", metavar="NAME", nargs="+", help=name_help)
    a.add_argument("--name", dest="new_name", metavar="N", help="the merged entity's name")
    a.add_argument(
        "--kind", choices=_entity_kinds(), help="the kind that wins (required if kinds differ)"
    )
    a.add_argument("--keep", metavar="NAME", help="the entity that stays (default: most mentioned)")
    a = acts.add_parser("split", help="move spellings or mentions into a new entity")
    a.add_argument("name", metavar="NAME", help=name_help)
    a.add_argument("--aliases", metavar="A,B", help="spellings to move, comma-separated")
    a.add_argument("--facts", metavar="ID,ID", help="mentions (fact ids) to move")
    a.add_argument("--name", dest="new_name", metavar="N", help="the new entity's name")
    a = acts.add_parser("reject", help="not an entity: reject every mention, for good")
    a.add_argument("names", metavar="NAME", nargs="+", help=name_help)
    a = acts.add_parser("accept", help="accept a merge proposal")
    a.add_argument("id", metavar="ID", type=int)
    a.add_argument("--kind", choices=_entity_kinds())
    a.add_argument("--keep", metavar="NAME")
    a = acts.add_parser("decline", help="decline a merge proposal")
    a.add_argument("id", metavar="ID", type=int)
    p = add(
        "corrections",
        "list the case's corrections (or: corrections CASE revoke ID)",
        cmd_corrections,
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("rest", metavar="revoke ID", nargs="*", help="withdraw one correction")
    p.add_argument("--in-force", action="store_true", help="leave out revoked corrections")
    fmt(p)
    p = add(
        "disputes",
        "list where the sources disagree (claims, dates, quantities, events), or: disputes "
        "CASE resolve ID --note TEXT | dismiss ID (not a dispute) | reopen ID",
        cmd_disputes,
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument(
        "rest", metavar="resolve|dismiss|reopen ID", nargs="*", help="decide on one dispute"
    )
    p.add_argument("--note", metavar="TEXT", help="why it is resolved (or not a dispute)")
    p.add_argument("--open", action="store_true", help="only the disputes nobody decided on")
    p.add_argument("--kind", choices=("claim", "date", "quantity", "event"))
    fmt(p)
    p = add("timeline", "list the case's events in date order with their sources", cmd_timeline)
    p.add_argument("case", metavar="CASE")
    fmt(p)
    p = add("backup", "keep a copy of the case now (see backups)", cmd_backup)
    p.add_argument("case", metavar="CASE")
    p = add("backups", "list the case's backups, newest first", cmd_backups)
    p.add_argument("case", metavar="CASE")
    fmt(p)
    p = add(
        "restore",
        "replace the case's content with a backup (the case as it is is backed up first)",
        cmd_restore,
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("backup", metavar="BACKUP", help="a path that `casedesk backups` lists")
    p = add(
        "export",
        "write a case summary or, with --brief, a brief of one or two pages "
        "(Markdown, HTML or, for the brief, plain text)",
        cmd_export,
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=".md, .html or (brief) .txt (default: Markdown to standard output)",
    )
    p.add_argument(
        "--brief",
        action="store_true",
        help="the key events, main actors, claims, disputes and notes on one or two pages",
    )
    p.add_argument(
        "--format",
        choices=("md", "html", "txt"),
        help="the output's format (default: from the file's suffix, else md); txt: brief only",
    )
    p.add_argument("--confirmed-only", action="store_true", help="only facts a user confirmed")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p.add_argument("--entity", metavar="NAME", help="only what concerns one entity")
    p.add_argument("--tag", metavar="TAG", help="only annotations with this tag")
    p.add_argument(
        "--sections",
        metavar="LIST",
        help="comma-separated: chronology,disputes,entities,claims,annotations,sources",
    )
    p = add(
        "graph",
        "write the network of who takes part in the same events and claims, for Gephi "
        "(GraphML or GEXF, from the output's suffix)",
        cmd_graph,
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help=".graphml or .gexf")
    p.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        help="entity kinds to keep, repeated or comma-separated, or 'all' (default: every "
        "kind but quantity)",
    )
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p.add_argument(
        "--min-weight",
        type=_limit,
        default=1,
        metavar="N",
        help="keep connections shared by at least N events and claims (default 1)",
    )
    p.add_argument(
        "--max-nodes", type=_limit, metavar="N", help="keep the N most connected entities"
    )
    p.add_argument("--isolated", action="store_true", help="also entities that connect to no other")
    return parser


def _entity_kinds() -> tuple[str, ...]:
    from casedesk.corrections import NAMED_KINDS

    return NAMED_KINDS


def _fact_kinds() -> tuple[str, ...]:
    from casedesk.store import FACT_KINDS

    return FACT_KINDS


def _run_command(args: argparse.Namespace) -> int:
    """Run a command; what the case file's content or place makes fail is said in one line
    naming the file (see ``casedesk.damage``), never as a traceback."""
    case = getattr(args, "case", None)
    if case is None:
        return int(args.func(args))
    from casedesk.damage import CASE_DATA_ERRORS, explain

    try:
        return int(args.func(args))
    except (UsageError, CaseError, BrokenPipeError, KeyboardInterrupt):
        raise
    except CASE_DATA_ERRORS as exc:
        _err(explain(case, exc))
        return EXIT_FAILED
    except OSError as exc:
        _err(f"{case}: {exc.strerror or exc}")
        return EXIT_FAILED


def _limit(text: str) -> int:
    """A positive whole number of a sensible size (SQLite takes 64-bit integers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"'{text}' is out of range (1 to 1000000)")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        # In the bundle, extraction's worker processes start this same executable.
        import multiprocessing

        multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from casedesk.ui.app import run

            return run(None)
        return _run_command(args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        _err(str(exc))
        return EXIT_USAGE
    except CaseError as exc:
        _err(str(exc))
        return EXIT_FAILED
    except sqlite3.Error as exc:
        # A case damaged past the opening checks, busy, or on a full disk: a message, never
        # a traceback.
        _err(describe_error(getattr(args, "case", None), exc))
        return EXIT_FAILED
    except UnicodeDecodeError as exc:
        # Text another program wrote into the case that is not UTF-8.
        case = getattr(args, "case", "the case file")
        _err(f"{case}: cannot be read, it holds data Casedesk did not write ({exc})")
        return EXIT_FAILED
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error for the user.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        _err("interrupted; the case file is consistent (each document is its own transaction)")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
