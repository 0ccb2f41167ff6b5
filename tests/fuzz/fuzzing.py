"""A mutation fuzzer over Casedesk's readers and case files (standard library only).

Readers are found the way the importer finds them: every suffix in ``ingest.SUFFIXES``, grouped
by the format ``sniff_format`` gives it, so a format added to the readers is fuzzed as soon as
it lands. Each input is written to a file and read with ``importer.read_file``, the importer's
own entry point: the only outcome allowed besides success is ``IngestError`` (one line naming
the file and the reason). Anything else is a traceback; an input that runs past the time cap is
a hang.

Case files are made with ``Case.create`` and then damaged: flipped bytes, truncated pages,
foreign triggers and views, a wrong ``application_id`` or ``user_version``. Opening one must
give a case or ``CaseError``; an opened case must answer the read-only commands
(``casedesk list``/``search``/``timeline``) with an exit status, never a traceback.

The run is reproducible: ``random.Random(seed)``, the seed printed with the counts.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import random
import signal
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

TIME_CAP_SECONDS = 5.0


class Hang(Exception):
    """An input ran past the per-input time cap."""


@contextlib.contextmanager
def time_cap(seconds: float) -> Iterator[None]:
    """Raise ``Hang`` in the main thread once the block has used ``seconds`` of CPU time.

    CPU time, not wall time, so a busy machine does not make a slow input a hang. The timer
    fires again every quarter second: an exception raised while a library runs a ``__del__``
    is swallowed there, and the next one lands."""

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"over {seconds:g} CPU-s")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


# -- seeds -----------------------------------------------------------------------------------

ARTICLE = (
    "Harbour cranes stood idle on Tuesday, March 3, 2020, after the dock workers' union "
    "rejected a pay offer.\n\nA spokesman for the port authority said talks would resume in "
    "Rotterdam on Friday. About 1,200 containers were waiting, officials said."
)


def make_pdf(text: str, pages: int = 1) -> bytes:
    """A small valid PDF showing ``text`` on each of ``pages`` pages."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in text.split("\n"):
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops += [f"({escaped}) Tj", "T*"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1", "replace")
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
    ]
    font = 3 + 2 * pages
    for i in range(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info << /Title (Port strike) >> >>\n" % (
        len(objects) + 1
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def seeds() -> dict[str, list[bytes]]:
    """Valid inputs per format (formats without seeds of their own get every seed)."""
    html = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Port strike</title>"
        "<meta property='article:published_time' content='2020-03-03'></head><body><nav>Home"
        "</nav><article><h1>Port strike</h1>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
        + "<figure><figcaption>Cranes, Tuesday</figcaption></figure></article>"
        "<footer>© 2020</footer></body></html>"
    )
    markdown = f"---\ntitle: Port strike\npublished: 2020-03-03\n---\n# Port strike\n\n{ARTICLE}"
    email = (
        "From: Desk <desk@example.org>\nTo: News <news@example.org>\nSubject: Port strike\n"
        "Date: Tue, 03 Mar 2020 10:00:00 +0000\nMessage-ID: <1@example.org>\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n\n" + ARTICLE + "\n"
    )
    mhtml = (
        'MIME-Version: 1.0\nContent-Type: multipart/related; boundary="b"\n\n--b\n'
        "Content-Type: text/html; charset=utf-8\nContent-Location: http://example.org/a\n\n"
        + html
        + "\n--b--\n"
    )
    return {
        "eml": [email.encode()],
        "mbox": [("From desk@example.org Tue Mar  3 10:00:00 2020\n" + email + "\n").encode() * 2],
        "mhtml": [mhtml.encode()],
        "txt": [ARTICLE.encode(), ARTICLE.encode("utf-16"), ARTICLE.encode("cp1252")],
        "md": [markdown.encode()],
        "html": [html.encode(), html.encode("cp1252")],
        "pdf": [make_pdf(ARTICLE), make_pdf(ARTICLE, pages=3)],
    }


# -- mutations -------------------------------------------------------------------------------

TOKENS = [
    b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\r", b"\n" * 50, b"\x1b[2J",
    b"<", b">", b"</", b"<p>", b"<div>" * 40, b"<![CDATA[", b"<!--", b"&#0;", b"&#x110000;",
    b"<meta charset='x-unknown'>", b"<?xml version='1.0' encoding='utf-16'?>", b"<html>",
    b"---\n", b"title: ", b"published: 99999-99-99\n",
    b"obj", b"endobj", b"stream", b"endstream", b"<<", b">>", b"[", b"]", b"R", b"0 R",
    b"/Length 999999999", b"/Length -1", b"/Filter /FlateDecode", b"/Filter /LZWDecode",
    b"/Filter /ASCII85Decode", b"/Filter /DCTDecode", b"/Filter [/FlateDecode /ASCIIHexDecode]",
    b"/DecodeParms << /Predictor 15 /Columns 99999 >>", b"/Type /Page", b"/Kids [1 0 R]",
    b"/Count 9999999", b"/Encrypt << /Filter /Standard /V 9 >>", b"/Font", b"/ToUnicode 5 0 R",
    b"/Encoding /Identity-H", b"/W [0 [9999999]]", b"Tj", b"TJ", b"Tf", b"Td", b"BT", b"ET",
    b"99999999999999999999", b"-1", b"1e308", b"NaN", b"%PDF-1.7", b"xref", b"trailer",
    b"startxref\n0", b"%%EOF", b"\\", b"(", b")",
]  # fmt: skip


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """``data`` with one to four random edits (bytes, tokens, cuts, copies, splices)."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        pos = rng.randrange(len(buf) + 1)
        if op == 0 and buf:  # flip a bit
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:  # a random byte
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif op == 2:  # a token the parsers care about
            buf[pos:pos] = rng.choice(TOKENS)
        elif op == 3 and buf:  # cut a span
            end = min(len(buf), pos + rng.randint(1, 64))
            del buf[pos:end]
        elif op == 4 and buf:  # copy a span elsewhere (nesting, repeats)
            start = rng.randrange(len(buf))
            piece = bytes(buf[start : start + rng.randint(1, 200)])
            buf[pos:pos] = piece * rng.randint(1, 20)
        elif op == 5:  # truncate
            del buf[pos:]
        elif op == 6:  # splice in part of another seed
            other = rng.choice(pool)
            start = rng.randrange(len(other) + 1)
            buf[pos:pos] = other[start : start + rng.randint(1, 400)]
        elif op == 7 and buf:  # a digit run changed to a large or negative number
            i = rng.randrange(len(buf))
            if chr(buf[i]).isdigit():
                buf[i : i + 1] = rng.choice([b"999999999", b"-7", b"0"])
    return bytes(buf)


# -- runs ------------------------------------------------------------------------------------


@dataclass
class Finding:
    target: str
    kind: str  # traceback or hang
    detail: str
    data: bytes


@dataclass
class Counts:
    seed: int
    inputs: int = 0
    refused: int = 0
    tracebacks: int = 0
    hangs: int = 0
    per_target: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def line(self) -> str:
        targets = ", ".join(f"{k} {v}" for k, v in sorted(self.per_target.items()))
        return (
            f"fuzz seed {self.seed}: {self.inputs} inputs ({targets}); {self.refused} refused "
            f"with a reason, {self.tracebacks} tracebacks, {self.hangs} hangs"
        )


def reader_formats() -> dict[str, str]:
    """One suffix per format the importer reads, from the importer's own suffix list."""
    from casedesk.ingest.readers import SUFFIXES, sniff_format

    formats: dict[str, str] = {}
    for suffix in sorted(SUFFIXES):
        formats.setdefault(sniff_format(b"", suffix), suffix)
    return formats


def read_one(path: Path, data: bytes) -> str:
    """Read one file as the importer does; 'ok' or 'refused', or raise what escaped."""
    from casedesk.ingest import IngestError, read_file

    path.write_bytes(data)
    try:
        read_file(path)
    except IngestError:
        return "refused"
    return "ok"


def run_readers(
    counts: Counts,
    rng: random.Random,
    folder: Path,
    budget_s: float,
    time_cap_s: float = TIME_CAP_SECONDS,
    limit: int | None = None,
) -> None:
    """Mutated inputs for every reader (round robin) until ``budget_s`` is spent or
    ``limit`` inputs were tried."""
    formats = reader_formats()
    by_format = seeds()
    pool = [s for group in by_format.values() for s in group]
    deadline = time.monotonic() + budget_s
    names = sorted(formats)
    i = 0
    while time.monotonic() < deadline and (limit is None or i < limit):
        fmt = names[i % len(names)]
        i += 1
        base = rng.choice(by_format.get(fmt) or pool)
        data = mutate(base, rng, pool)
        path = folder / f"input{formats[fmt]}"
        check(counts, f"reader:{fmt}", functools.partial(read_one, path, data), data, time_cap_s)


def check(
    counts: Counts, target: str, run: Callable[[], str], data: bytes, time_cap_s: float
) -> None:
    counts.inputs += 1
    counts.per_target[target] = counts.per_target.get(target, 0) + 1
    try:
        with time_cap(time_cap_s):
            outcome = run()
    except Hang as exc:
        counts.hangs += 1
        counts.findings.append(Finding(target, "hang", str(exc), data))
        return
    except Exception:  # noqa: BLE001 - this is what the fuzzer looks for
        counts.tracebacks += 1
        counts.findings.append(Finding(target, "traceback", traceback.format_exc(), data))
        return
    if outcome == "refused":
        counts.refused += 1


# -- case files ------------------------------------------------------------------------------


def make_case(path: Path) -> bytes:
    """A small case with two documents, a fact, a note and an event; its bytes."""
    from casedesk import edits
    from casedesk.store import Case

    case = Case.create(path, name="Fuzzed case")
    try:
        with case.transaction():
            ids = [
                case.add_document(
                    file_name=f"article{n}.txt",
                    text=ARTICLE + f"\n\nPart {n}.",
                    sha256=f"{n:064d}",
                    format="txt",
                    title=f"Port strike {n}",
                    published="2020-03-03",
                )
                for n in (1, 2)
            ]
        edits.add_annotation(case, ids[0], 0, 14, note="Check the *date*.")
        case.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        case.close()
    return path.read_bytes()


CASE_DAMAGE = [
    "flip",
    "truncate",
    "trigger",
    "view",
    "application_id",
    "user_version",
    "zero_page",
]


def damage_case(pristine: bytes, path: Path, rng: random.Random) -> tuple[str, bytes]:
    """Write a damaged copy of ``pristine`` to ``path``; the kind of damage and its bytes."""
    kind = rng.choice(CASE_DAMAGE)
    page = 4096
    buf = bytearray(pristine)
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        pages = max(1, len(buf) // page)
        del buf[rng.randrange(1, pages + 1) * page - rng.choice([0, 0, 100]) :]
    elif kind == "zero_page":
        p = rng.randrange(len(buf) // page)
        buf[p * page : (p + 1) * page] = bytes(page)
    path.write_bytes(bytes(buf))
    if kind in ("trigger", "view", "application_id", "user_version"):
        conn = sqlite3.connect(path)
        try:
            if kind == "trigger":
                conn.execute(
                    "CREATE TRIGGER watch AFTER UPDATE ON documents BEGIN DELETE FROM facts; END"
                )
            elif kind == "view":
                conn.execute("CREATE VIEW everything AS SELECT * FROM documents")
            elif kind == "application_id":
                conn.execute(f"PRAGMA application_id = {rng.choice([0, 1, -1, 0x7FFFFFFF])}")
            else:
                conn.execute(f"PRAGMA user_version = {rng.choice([-1, 0, 999, 2**31 - 1])}")
            conn.commit()
        finally:
            conn.close()
    return kind, path.read_bytes()


def open_case_and_list(path: Path) -> str:
    """Open a case as the window does and run the read-only commands on it."""
    from casedesk import cli
    from casedesk.store import Case, CaseError

    try:
        Case.open(path).close()
    except CaseError:
        return "refused"
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        codes = [
            cli.main(["list", str(path)]),
            cli.main(["search", str(path), "port"]),
            cli.main(["timeline", str(path)]),
        ]
    return "ok" if codes == [0, 0, 0] else "refused"


def run_cases(
    counts: Counts,
    rng: random.Random,
    folder: Path,
    budget_s: float,
    time_cap_s: float = TIME_CAP_SECONDS,
    limit: int | None = None,
) -> None:
    pristine = make_case(folder / "pristine.casedesk")
    deadline = time.monotonic() + budget_s
    n = 0
    while time.monotonic() < deadline and (limit is None or n < limit):
        n += 1
        target = folder / f"damaged{n}.casedesk"
        kind, data = damage_case(pristine, target, rng)
        run = functools.partial(open_case_and_list, target)
        check(counts, f"case:{kind}", run, data, time_cap_s)
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)


def fuzz(
    folder: Path,
    seconds: float,
    seed: int | None = None,
    cases_share: float = 0.25,
    time_cap_s: float | None = None,
    inputs: int | None = None,
) -> Counts:
    """Fuzz the readers and case files for about ``seconds`` (or ``inputs`` inputs, the
    same ones for the same seed, if that comes first); the counts and findings."""
    cap = TIME_CAP_SECONDS if time_cap_s is None else time_cap_s
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    # pypdf logs every repair it attempts; thousands of broken PDFs would flood the output.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    rng = random.Random(seed)
    counts = Counts(seed)
    reader_inputs = None if inputs is None else round(inputs * (1 - cases_share))
    case_inputs = None if inputs is None else inputs - (reader_inputs or 0)
    run_readers(counts, rng, folder, seconds * (1 - cases_share), cap, reader_inputs)
    run_cases(counts, rng, folder, seconds * cases_share, cap, case_inputs)
    return counts
