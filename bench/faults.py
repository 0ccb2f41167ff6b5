"""Fault injection: kills, a full disk, a read-only folder and a case file deleted or replaced
while open, each followed by the checks a user relies on.

    python bench/faults.py --trials 500 [--seed 1] [--kinds import,edits,...] [--minute 60]

Each trial copies a small case, starts Casedesk's own command line (or a process making edits
through ``casedesk.edits``, which prints each edit's id once its commit has returned: "shown
as done") and injects one fault at a random moment. Afterwards:

* ``PRAGMA integrity_check`` and the search index's own check are ok (else: a corrupt file);
* every edit shown as done is in the file (else: a lost edit);
* the interrupted work resumes: the import run again (or the extraction the window starts
  on opening) brings the case to exactly the documents, entities and timeline of one
  uninterrupted run (else: lost or duplicated work);
* a refused command says so in one line naming the case, with no traceback.

With ``--minute N`` a final trial has one process annotate for N seconds while another imports
with extraction into the same case. Prints one line per kind and the totals. The CI suite
(tests/core/test_faults.py) runs a few trials of each kind through the same functions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUI = ROOT / "gui"
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(GUI))

KINDS = (
    "import",
    "import-extract",
    "extract",
    "edits",
    "export",
    "full-disk",
    "read-only",
    "deleted",
    "replaced",
)

# A process that makes edits until it is killed: one line per edit, printed only after the
# edit's function (its transaction) has returned.
EDITOR = r"""
import json, random, sys
from casedesk import edits
from casedesk.store import Case, CaseError
case = Case.open(sys.argv[1])
rng = random.Random(int(sys.argv[2]))
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 10**9
docs = list(case.conn.execute("SELECT id, length(text) FROM documents"))
facts = [int(r[0]) for r in case.conn.execute("SELECT id FROM facts WHERE kind != 'event'")]
mine = []
print("ready", flush=True)
try:
    for n in range(limit):
        doc, size = rng.choice(docs)
        start = rng.randrange(0, size - 20)
        step = rng.random()
        if step < 0.45 or not mine:
            print(json.dumps(["doing", "add", None, f"note {n}"]), flush=True)
            ann = edits.add_annotation(case, doc, start, start + 10, note=f"note {n}")
            mine.append(ann)
            print(json.dumps(["annotation", ann, f"note {n}"]), flush=True)
        elif step < 0.6:
            ann = rng.choice(mine)
            print(json.dumps(["doing", "annotation", ann, f"edited {n}"]), flush=True)
            edits.update_annotation(case, ann, note=f"edited {n}")
            print(json.dumps(["annotation", ann, f"edited {n}"]), flush=True)
        elif step < 0.7:
            ann = mine.pop(rng.randrange(len(mine)))
            print(json.dumps(["doing", "deleted", ann, None]), flush=True)
            edits.delete_annotation(case, ann)
            print(json.dumps(["deleted", ann, None]), flush=True)
        elif step < 0.8:
            fact = rng.choice(facts)
            status = rng.choice(["confirmed", "rejected"])
            print(json.dumps(["doing", "status", fact, status]), flush=True)
            edits.set_fact_status(case, fact, status)
            print(json.dumps(["status", fact, status]), flush=True)
        elif step < 0.9:
            fact = rng.choice(facts)
            print(json.dumps(["doing", "value", fact, f"value {n}"]), flush=True)
            edits.correct_fact_value(case, fact, f"value {n}")
            print(json.dumps(["value", fact, f"value {n}"]), flush=True)
        else:
            print(json.dumps(["doing", "add", None, f"manual {n}"]), flush=True)
            fact = edits.add_manual_fact(case, doc, "person", start, start + 8, f"manual {n}")
            facts.append(fact)
            print(json.dumps(["value", fact, f"manual {n}"]), flush=True)
except CaseError as exc:
    print(f"casedesk: {exc}", file=sys.stderr)
    case.close()
    sys.exit(1)
case.close()
"""

# Edits go on until the kill, which comes at a random moment within this many seconds.
EDIT_SECONDS = 2.0

# Extraction of every document not yet extracted, as the window starts it on opening a case.
EXTRACTOR = r"""
import sys
from casedesk.extract.pipeline import extract_documents
from casedesk.store import Case
with Case.open(sys.argv[1]) as case:
    ids = [r[0] for r in case.conn.execute("SELECT id FROM documents WHERE extractor IS NULL")]
    print("ready", flush=True)
    for stats in extract_documents(case, ids):
        if stats.error:
            print(f"casedesk: document {stats.document_id}: {stats.error}", file=sys.stderr)
            sys.exit(1)
"""


# Schema-valid but hostile content, as another program may leave a case: SQL run on the
# closed case by an outside connection (foreign keys off, as in the sqlite3 shell), then
# statements run after it is reopened (once a changed table definition is read).
DAMAGE: dict[str, tuple[list[str], list[str]]] = {
    "invalid-utf8": (
        [
            "UPDATE documents SET title = CAST(x'4142ff' AS TEXT) WHERE id = 2",
            "UPDATE facts SET text = CAST(x'c3' AS TEXT) WHERE id = 3",
            "UPDATE entities SET name = CAST(x'80' AS TEXT) "
            "WHERE id = (SELECT min(id) FROM entities)",
            "UPDATE events SET title = CAST(x'ff' AS TEXT) WHERE id = (SELECT min(id) FROM events)",
            "UPDATE annotations SET note = CAST(x'fe' AS TEXT)",
        ],
        [],
    ),
    "blob-in-text": (
        [
            "UPDATE documents SET title = x'00ff', publisher = x'01' WHERE id = 2",
            "UPDATE facts SET value = x'0102', text = x'03' WHERE id IN (3, 4, 5, 60)",
            "UPDATE entities SET name = x'80' WHERE id = (SELECT min(id) FROM entities)",
            "UPDATE events SET title = x'ff', date = x'00' WHERE id = (SELECT min(id) FROM events)",
            "UPDATE annotations SET note = x'00'",
        ],
        [],
    ),
    "text-in-integer": (
        [
            "UPDATE facts SET start = 'abc', end = 'x' WHERE id IN (3, 60)",
            "UPDATE events SET date_start = 7 WHERE id = (SELECT min(id) FROM events)",
            "UPDATE documents SET words = 'many', published_inferred = 'yes' WHERE id = 2",
            "UPDATE annotations SET start = 'a', end = 'b'",
        ],
        [],
    ),
    "nulls": (
        [
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET sql = replace(replace(sql, 'NOT NULL', ''), "
            "'CHECK (start >= 0 AND end >= start)', 'CHECK (1)') WHERE type = 'table' "
            "AND name IN ('documents', 'facts', 'events', 'entities', 'annotations')",
            "PRAGMA writable_schema = OFF",
        ],
        [
            "UPDATE documents SET title = NULL, published = NULL, text = NULL WHERE id = 2",
            "UPDATE facts SET value = NULL, text = NULL, start = NULL WHERE id IN (3, 60)",
            "UPDATE facts SET value = NULL WHERE kind IN ('event', 'date')",
            "UPDATE events SET date = NULL, date_start = NULL, title = NULL "
            "WHERE id = (SELECT min(id) FROM events)",
            "UPDATE annotations SET text = NULL, start = NULL",
        ],
    ),
    "garbage-search-index": (
        ["UPDATE documents_fts_data SET block = x'" + "ab" * 30 + "' WHERE id > 1"],
        [],
    ),
    "dropped-events": (["DROP TABLE events"], []),
    "orphans": (
        [
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (999, 'event', 0, 5, 'x', "
            "'2019-07-04', 12345, 'test', 'a', 'b')",
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (1, 'person', 0, 5, 'x', 'y', 12345, "
            "'test', 'a', 'b')",
            "INSERT INTO event_sources VALUES ((SELECT min(id) FROM events), 99999)",
            "INSERT INTO event_sources VALUES "
            "(99999, (SELECT min(id) FROM facts WHERE kind = 'event'))",
            "INSERT INTO aliases(entity_id, alias, key) VALUES (77777, 'ghost', 'ghost')",
            "INSERT INTO annotations(document_id, start, end, text, created_at, updated_at) "
            "VALUES (555, 0, 3, 'abc', 'a', 'b')",
        ],
        [],
    ),
}


def damage_case(path: Path, damage: str) -> None:
    """Apply one of ``DAMAGE`` to the closed case at ``path``."""
    before, after = DAMAGE[damage]
    for statements in (before, after):
        if not statements:
            continue
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            for sql in statements:
                conn.execute(sql)
        finally:
            conn.close()


# Imports with extraction, one new article a round, for a given number of seconds (one
# process: the model loads once).
IMPORTER = r"""
import sys, time
from pathlib import Path
from casedesk.extract.pipeline import extract_documents
from casedesk.ingest import import_paths
from casedesk.store import Case
text = Path(sys.argv[2]).read_text("utf-8")
folder = Path(sys.argv[3])
until = time.monotonic() + float(sys.argv[4])
n = 0
with Case.open(sys.argv[1]) as case:
    while time.monotonic() < until:
        n += 1
        article = folder / f"concurrent{n}.txt"
        article.write_text(f"Round {n}. " + text, "utf-8")
        report = import_paths(case, [article])
        if not report.ok:
            sys.exit("; ".join(report.messages()))
        for stats in extract_documents(case, [d for _, d in report.imported]):
            if stats.error:
                sys.exit(f"document {stats.document_id}: {stats.error}")
        print(n, flush=True)
"""


@dataclass
class Outcome:
    kind: str
    corrupt: bool = False
    lost: int = 0  # edits shown as done that are not in the file
    shown: int = 0  # edits shown as done
    unresumed: bool = False  # the work run again did not bring the case to one run's state
    duplicated: bool = False
    traceback: bool = False  # a command ended with a traceback instead of a message
    problems: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return not (
            self.corrupt or self.lost or self.unresumed or self.duplicated or self.traceback
        )


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(GUI), "QT_QPA_PLATFORM": "offscreen"}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "casedesk", *args]


def run(cmd: list[str], timeout: float = 300, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        env=env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,  # type: ignore[call-overload]
    )


class Child:
    """A process whose output goes to files, not pipes: a pipe nobody reads while it runs
    fills up and stops the writer, and a line in the file is a line the user was shown."""

    def __init__(self, cmd: list[str], folder: Path) -> None:
        self.out_path = folder / f"child-{id(self)}.out"
        self.err_path = folder / f"child-{id(self)}.err"
        with self.out_path.open("w") as out, self.err_path.open("w") as err:
            self.proc = subprocess.Popen(cmd, env=env(), stdout=out, stderr=err)

    def ready(self, timeout: float = 120) -> None:
        """Wait for the "ready" line (the case is open, the work begins)."""
        until = time.monotonic() + timeout
        while time.monotonic() < until and self.proc.poll() is None:
            if self.out_path.read_text("utf-8", "replace").startswith("ready\n"):
                return
            time.sleep(0.01)

    def finish(self, timeout: float | None = None) -> tuple[str, str]:
        """Wait for the process (raises TimeoutExpired); return what it printed."""
        self.proc.wait(timeout=timeout)
        return (
            self.out_path.read_text("utf-8", "replace"),
            self.err_path.read_text("utf-8", "replace"),
        )


def copy_case(src: Path, dst: Path) -> Path:
    """A copy of a closed case (its WAL is checkpointed on close; copied too if left)."""
    for suffix in ("", "-wal", "-shm"):
        gone = Path(str(dst) + suffix)
        if gone.exists():
            gone.unlink()
    shutil.copyfile(src, dst)
    wal = Path(str(src) + "-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(dst) + "-wal"))
    return dst


def integrity(path: Path) -> str | None:
    """None when the file and its search index are sound, else what is wrong."""
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        return f"cannot open ({exc})"
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            return "; ".join(str(r[0]) for r in rows[:3])
        conn.execute("INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()
    return None


def shape(path: Path) -> dict[str, object]:
    """What a user sees of a case's derived data: documents, entities, timeline, facts."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        q = conn.execute
        return {
            "documents": sorted(r[0] for r in q("SELECT sha256 FROM documents")),
            "pending": q("SELECT count(*) FROM documents WHERE extractor IS NULL").fetchone()[0],
            "entities": sorted(q("SELECT kind, name FROM entities").fetchall()),
            "timeline": sorted(
                q(
                    "SELECT e.date, (SELECT count(*) FROM event_sources s WHERE s.event_id = e.id)"
                    " FROM events e"
                ).fetchall()
            ),
            "facts": q("SELECT count(*) FROM facts").fetchone()[0],
        }
    finally:
        conn.close()


def has_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text


class Lab:
    """Cases and files the trials start from, made once."""

    def __init__(self, folder: Path, files: int = 8) -> None:
        self.folder = folder
        self.incoming = folder / "incoming"
        self.incoming.mkdir(parents=True, exist_ok=True)
        self.files = self._articles(files)
        self.empty = folder / "empty.casedesk"
        run(cli("new", str(self.empty)), check=True)
        # The reference: the same files imported once, with extraction, uninterrupted.
        self.reference = copy_case(self.empty, folder / "reference.casedesk")
        done = run(cli(*self.import_args(self.reference), "-q"))
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        self.expected = shape(self.reference)
        # Imported, nothing extracted: what an import killed before extraction leaves.
        self.unextracted = copy_case(self.empty, folder / "unextracted.casedesk")
        run(cli(*self.import_args(self.unextracted), "--no-extract", "-q"), check=True)
        self.export = folder / "reference.md"
        run(cli("export", str(self.reference), "-o", str(self.export)), check=True)
        self.durations: dict[str, float] = {}

    def _articles(self, n: int) -> list[Path]:
        """The sample's articles (with their manifest), then short generated ones."""
        manifest = json.loads((SEEDS / "manifest.json").read_text("utf-8"))
        out: list[Path] = []
        for entry in manifest["documents"][:n]:
            shutil.copyfile(SEEDS / entry["file"], self.incoming / entry["file"])
            out.append(self.incoming / entry["file"])
        shutil.copyfile(SEEDS / "manifest.json", self.incoming / "manifest.json")
        rng = random.Random(5)
        people = ["Anna Berg", "Tomas Lind", "Maria Holm", "Erik Dahl"]
        places = ["Sweden", "Finland", "Norway", "Denmark"]
        while len(out) < n:
            i = len(out)
            day = 1 + i % 27
            text = (
                f"{rng.choice(people)} said on {day} March 2021 that {rng.choice(places)} "
                f"would restrict exports of lithium hydroxide from April. "
                f"Officials met in {rng.choice(places)} on {day} March 2021.\n"
            )
            dest = self.incoming / f"wire{i:03d}.txt"
            dest.write_text(text, "utf-8")
            out.append(dest)
        return out

    def import_args(self, case: Path) -> list[str]:
        return [
            "import",
            str(case),
            *map(str, self.files),
            "--manifest",
            str(self.incoming / "manifest.json"),
        ]

    def duration(self, kind: str, trial: Path) -> float:
        """How long the faulted work takes uninterrupted (measured once per kind)."""
        if kind == "edits":
            return EDIT_SECONDS  # the editor runs until it is killed
        if kind not in self.durations:
            copy_case(self.start_case(kind), trial)
            started = time.monotonic()
            subprocess.run(self.command(kind, trial), env=env(), capture_output=True, timeout=300)
            self.durations[kind] = time.monotonic() - started
        return self.durations[kind]

    def start_case(self, kind: str) -> Path:
        if kind == "extract":
            return self.unextracted
        if kind in ("edits", "export", "deleted", "replaced"):
            return self.reference
        return self.empty

    def command(self, kind: str, case: Path, seed: int = 0) -> list[str]:
        if kind == "import":
            return cli(*self.import_args(case), "--no-extract", "-q")
        if kind in ("import-extract", "full-disk"):
            return cli(*self.import_args(case), "-q")
        if kind == "extract":
            return [sys.executable, "-c", EXTRACTOR, str(case)]
        if kind in ("edits", "deleted", "replaced"):
            return [sys.executable, "-c", EDITOR, str(case), str(seed)]
        if kind == "export":
            return cli("export", str(case), "-o", str(case.with_suffix(".md")))
        raise ValueError(kind)


def check_edits(path: Path, lines: list[str], missing: list[str] | None = None) -> int:
    """How many edits shown as done are not in the file (the last state of each row); each
    is described in ``missing`` when given.

    ``lines`` are the editor's complete lines: ``["doing", ...]`` before an edit, the edit's
    result after its function returned. An edit begun and not shown (the kill came before
    its line) may be in the file or not: its row may show either state."""
    last: dict[tuple[str, int], tuple[str, object]] = {}
    inflight: tuple[str, object, object] | None = None
    for line in lines:
        what, row, value = json.loads(line)[-3:]
        if json.loads(line)[0] == "doing":
            inflight = (what, row, value)
            continue
        inflight = None
        table = "facts" if what in ("status", "value") else "annotations"
        last[(table + (":" + what if table == "facts" else ""), row)] = (what, value)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    lost = 0
    try:
        for (_table, row), (what, value) in last.items():
            if what == "deleted":
                found = conn.execute("SELECT note FROM annotations WHERE id = ?", (row,)).fetchone()
                # An annotation begun after the deletion may have taken the free id.
                ok = found is None or (
                    inflight is not None and inflight[0] == "add" and found[0] == inflight[2]
                )
            elif what == "annotation":
                found = conn.execute("SELECT note FROM annotations WHERE id = ?", (row,)).fetchone()
                ok = found is not None and found[0] == value
            elif what == "status":
                found = conn.execute("SELECT status FROM facts WHERE id = ?", (row,)).fetchone()
                # A later correction confirms the fact; compare only when none followed.
                ok = found is not None and (("facts:value", row) in last or found[0] == value)
            else:
                found = conn.execute("SELECT value FROM facts WHERE id = ?", (row,)).fetchone()
                ok = found is not None and found[0] == value
            if not ok and inflight is not None and inflight[1] == row:
                ok = True  # the edit begun last touched this row
            if not ok:
                lost += 1
                if missing is not None:
                    missing.append(f"{what} {row} {value!r}: found {found!r}")
    finally:
        conn.close()
    return lost


def _shown_lines(out: str) -> list[str]:
    """Complete lines only (a line cut by the kill was not shown), results and intents."""
    return [line for line in out.split("\n")[:-1] if line.startswith("[")]


def _shown_count(lines: list[str]) -> int:
    return sum(not line.startswith('["doing"') for line in lines)


def duplicates(path: Path) -> list[str]:
    """Rows that say one thing twice: two entities of one kind and key, two facts of one
    document, kind, span and value, two timeline items with the same sources."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = []
        for what, sql in (
            ("entities", "SELECT kind, key FROM entities GROUP BY kind, key HAVING count(*) > 1"),
            (
                "facts",
                "SELECT 1 FROM facts GROUP BY document_id, kind, start, end, value "
                "HAVING count(*) > 1",
            ),
            (
                "timeline items",
                "SELECT 1 FROM (SELECT group_concat(fact_id) AS s FROM "
                "(SELECT event_id, fact_id FROM event_sources ORDER BY event_id, fact_id) "
                "GROUP BY event_id) GROUP BY s HAVING count(*) > 1",
            ),
        ):
            n = len(conn.execute(sql).fetchall())
            if n:
                found.append(f"{n} duplicated {what}")
        return found
    finally:
        conn.close()


def _resume(lab: Lab, kind: str, path: Path, outcome: Outcome) -> None:
    """Run the interrupted work again, as a user would: the import again (the command line
    extracts what an earlier run left unextracted), or, for an interrupted extraction, what
    the window does on opening the case. Then compare with one clean run."""
    if kind == "import":
        done = run(cli(*lab.import_args(path), "--no-extract", "-q"))
        want = {k: lab.expected[k] for k in ("documents",)}
    elif kind == "extract":
        done = run([sys.executable, "-c", EXTRACTOR, str(path)])
        want = lab.expected
    else:
        done = run(cli(*lab.import_args(path), "-q"))
        want = lab.expected
    if done.returncode != 0 or has_traceback(done.stderr):
        outcome.unresumed = True
        outcome.problems.append(f"resuming failed: {done.stderr.strip()[-300:]}")
        return
    got = shape(path)
    twice = duplicates(path)
    if twice:
        outcome.duplicated = True
        outcome.problems += twice
    for key, value in want.items():
        if key in ("documents", "pending"):
            if got[key] != value:
                outcome.unresumed = True
                outcome.problems.append(f"after resuming, {key} differ from one clean run")
        elif got[key] != value and kind != "full-disk":
            # A full disk may stop an import half-way; the rest, imported later, is resolved
            # in another order, which may name an entity otherwise: only duplicates count.
            outcome.duplicated = True
            outcome.problems.append(f"after resuming, {key} differ from one clean run")


def trial(lab: Lab, kind: str, n: int, rng: random.Random, folder: Path) -> Outcome:
    outcome = Outcome(kind)
    path = folder / f"{kind}-{n}.casedesk"
    if kind == "read-only":
        return read_only_trial(lab, path, outcome)
    if kind == "full-disk":
        return full_disk_trial(lab, path, rng, outcome)
    if kind in ("deleted", "replaced"):
        return moved_trial(lab, kind, path, rng, outcome)
    duration = lab.duration(kind, path)
    copy_case(lab.start_case(kind), path)
    child = Child(lab.command(kind, path, seed=rng.randrange(1 << 30)), path.parent)
    if kind == "edits":
        child.ready()  # the case is open, edits begin now
    time.sleep(rng.uniform(0.05, duration))
    child.proc.send_signal(signal.SIGKILL)
    out, err = child.finish(timeout=60)
    bad = integrity(path)
    if bad:
        outcome.corrupt = True
        outcome.problems.append(bad)
        return outcome
    if kind == "edits":
        shown = _shown_lines(out)
        outcome.shown = _shown_count(shown)
        outcome.lost = check_edits(path, shown, outcome.problems)
    elif kind == "export":
        target = path.with_suffix(".md")
        if target.exists() and target.read_bytes() != lab.export.read_bytes():
            # The reference names another case file; compare all but the title lines.
            mine = target.read_text("utf-8").splitlines()[2:]
            theirs = lab.export.read_text("utf-8").splitlines()[2:]
            if mine != theirs:
                outcome.problems.append("a partial summary was left in place of the file")
                outcome.corrupt = True
    else:
        _resume(lab, kind, path, outcome)
    return outcome


def full_disk_trial(
    lab: Lab, path: Path, rng: random.Random, outcome: Outcome, grow: int | None = None
) -> Outcome:
    """An import with extraction whose files may grow only a little (RLIMIT_FSIZE, SIGXFSZ
    ignored so writes fail with EFBIG, as on a full disk): it must stop with a message."""
    copy_case(lab.start_case("full-disk"), path)
    limit = path.stat().st_size + (rng.randrange(0, 600_000) if grow is None else grow)

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        lab.command("full-disk", path),
        env=env(),
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limited,
    )
    if has_traceback(done.stderr):
        outcome.traceback = True
        outcome.problems.append(done.stderr.strip().splitlines()[-1])
    elif done.returncode != 0 and "casedesk: " not in done.stderr:
        outcome.problems.append(f"no message: {done.stderr.strip()[:200]}")
        outcome.traceback = True
    bad = integrity(path)
    if not bad and done.returncode == 0:
        got = shape(path)
        if got["pending"] or got["documents"] != lab.expected["documents"]:
            outcome.problems.append("the import stopped short and said it succeeded")
            outcome.unresumed = True
    if bad:
        outcome.corrupt = True
        outcome.problems.append(bad)
        return outcome
    _resume(lab, "full-disk", path, outcome)
    return outcome


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[str]:
    """``folder`` read-only even for root: a read-only bind mount, else the immutable
    attribute. Yields how; raises OSError when neither is possible here."""
    if sys.platform == "linux" and shutil.which("mount"):
        done = subprocess.run(
            ["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True
        )
        if done.returncode == 0:
            try:
                yield "read-only bind mount"
            finally:
                subprocess.run(["umount", str(folder)], capture_output=True, check=True)
            return
    if shutil.which("chattr"):
        items = [folder, *folder.iterdir()]
        done = subprocess.run(["chattr", "+i", *map(str, items)], capture_output=True)
        if done.returncode == 0:
            try:
                yield "immutable attribute"
            finally:
                subprocess.run(["chattr", "-i", *map(str, items)], capture_output=True)
            return
    raise OSError("neither a read-only bind mount nor chattr +i is possible here")


READ_COMMANDS = (
    ("list",),
    ("search", "export"),
    ("timeline",),
    ("export",),
)


def read_only_trial(lab: Lab, path: Path, outcome: Outcome) -> Outcome:
    """Every command on a case whose folder is read-only: reading works or is refused in one
    line naming the case; writing is refused so; nothing is changed."""
    folder = path.parent / (path.stem + "-ro")
    folder.mkdir(exist_ok=True)
    case = copy_case(lab.reference, folder / "case.casedesk")
    before = case.read_bytes()
    try:
        with read_only_folder(folder):
            commands = [(*c[:1], str(case), *c[1:]) for c in READ_COMMANDS]
            commands.append(("import", str(case), str(lab.files[0]), "-q"))
            for command in commands:
                done = run(cli(*command))
                if has_traceback(done.stderr):
                    outcome.traceback = True
                    outcome.problems.append(f"{command[0]}: {done.stderr.strip().splitlines()[-1]}")
                elif done.returncode != 0 and str(case) not in done.stderr:
                    outcome.traceback = True
                    outcome.problems.append(f"{command[0]}: unclear message {done.stderr!r}")
                elif done.returncode == 0 and command[0] == "import":
                    outcome.problems.append("import into a read-only folder said it succeeded")
                    outcome.unresumed = True
    except OSError as exc:
        outcome.skipped = str(exc)
        return outcome
    if case.read_bytes() != before:
        outcome.corrupt = True
        outcome.problems.append("the case changed while its folder was read-only")
    bad = integrity(case)
    if bad:
        outcome.corrupt = True
        outcome.problems.append(bad)
    return outcome


def moved_trial(lab: Lab, kind: str, path: Path, rng: random.Random, outcome: Outcome) -> Outcome:
    """A process makes edits; meanwhile the case file is deleted (a link kept aside to look
    at it afterwards) or replaced by another case. Edits shown as done are in the file the
    process had open; the process stops with a message once it can tell; the file now at
    the path is untouched."""
    copy_case(lab.start_case(kind), path)
    aside = path.with_name(path.name + ".aside")
    child = Child(lab.command(kind, path, seed=rng.randrange(1 << 30)), path.parent)
    child.ready()
    time.sleep(rng.uniform(0.1, 0.5))
    os.link(path, aside)
    if kind == "deleted":
        path.unlink()
    else:
        replacement = copy_case(lab.empty, path.with_name("replacement.casedesk"))
        before = replacement.read_bytes()
        os.replace(replacement, path)
    try:
        out, err = child.finish(timeout=5)
        stopped = True
    except subprocess.TimeoutExpired:
        child.proc.kill()
        out, err = child.finish()
        stopped = False
    if not stopped:
        outcome.problems.append("the process went on writing into a file no longer there")
        outcome.unresumed = True
    elif has_traceback(err):
        outcome.traceback = True
        outcome.problems.append(err.strip().splitlines()[-1])
    shown = _shown_lines(out)
    outcome.shown = _shown_count(shown)
    # Its WAL (named after the path) is checkpointed into the file it had open on close.
    bad = integrity(aside)
    if bad:
        outcome.corrupt = True
        outcome.problems.append(bad)
        return outcome
    outcome.lost = check_edits(aside, shown, outcome.problems)
    if kind == "replaced" and (path.read_bytes() != before or integrity(path)):
        outcome.corrupt = True
        outcome.problems.append("the case put in its place was changed")
    return outcome


def minute_trial(lab: Lab, folder: Path, seconds: float) -> Outcome:
    """One process annotates for ``seconds`` while another imports with extraction."""
    outcome = Outcome("concurrent")
    path = copy_case(lab.reference, folder / "concurrent.casedesk")
    editor = Child([sys.executable, "-c", EDITOR, str(path), "7"], folder)
    editor.ready()
    importer = run(
        [sys.executable, "-c", IMPORTER, str(path), str(lab.files[-1]), str(folder), str(seconds)],
        timeout=seconds + 300,
    )
    rounds = importer.stdout.count("\n")
    if importer.returncode != 0:
        outcome.problems.append(f"importer: {importer.stderr.strip()[-300:]}")
        outcome.traceback |= has_traceback(importer.stderr)
    editor.proc.send_signal(signal.SIGTERM)
    out, err = editor.finish(timeout=30)
    if has_traceback(err):
        outcome.traceback = True
        outcome.problems.append(err.strip().splitlines()[-1])
    bad = integrity(path)
    if bad:
        outcome.corrupt = True
        outcome.problems.append(bad)
        return outcome
    shown = _shown_lines(out)
    outcome.shown = _shown_count(shown)
    outcome.lost = check_edits(path, shown, outcome.problems)
    got = shape(path)
    if len(got["documents"]) != len(lab.expected["documents"]) + rounds or got["pending"]:
        outcome.unresumed = True
        outcome.problems.append("an import of the minute is missing or unextracted")
    outcome.problems.append(f"{rounds} imports, {outcome.shown} edits in {seconds:.0f} s")
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=45)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--minute", type=float, default=60.0, help="0: no concurrency trial")
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    rng = random.Random(args.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="casedesk-faults-") as tmp:
        lab = Lab(Path(tmp) / "lab")
        outcomes: list[Outcome] = []
        for n in range(args.trials):
            kind = kinds[n % len(kinds)]
            folder = Path(tmp) / f"t{n}"
            folder.mkdir()
            outcomes.append(trial(lab, kind, n, rng, folder))
            if not outcomes[-1].ok:
                print(f"trial {n} ({kind}): {'; '.join(outcomes[-1].problems)}", flush=True)
            if (n + 1) % 25 == 0:
                print(f"after {n + 1} trials: {totals(outcomes)}", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
        if args.minute > 0:
            folder = Path(tmp) / "minute"
            folder.mkdir()
            outcomes.append(minute_trial(lab, folder, args.minute))
            print(f"concurrent: {'; '.join(outcomes[-1].problems)}")
    print_figures(outcomes, time.monotonic() - started)
    return 0 if all(o.ok for o in outcomes) else 1


def print_figures(outcomes: list[Outcome], seconds: float) -> None:
    by_kind: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_kind.setdefault(o.kind, []).append(o)
    print(
        "| kind | trials | corrupt files | lost edits (of shown) | not resumed | duplicated "
        "| tracebacks | skipped |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind, group in by_kind.items():
        c = Counter()
        for o in group:
            c["corrupt"] += o.corrupt
            c["lost"] += o.lost
            c["shown"] += o.shown
            c["unresumed"] += o.unresumed
            c["duplicated"] += o.duplicated
            c["traceback"] += o.traceback
            c["skipped"] += o.skipped is not None
        print(
            f"| {kind} | {len(group)} | {c['corrupt']} | {c['lost']} ({c['shown']}) | "
            f"{c['unresumed']} | {c['duplicated']} | {c['traceback']} | {c['skipped']} |"
        )
    skipped = {o.skipped for o in outcomes if o.skipped}
    for reason in skipped:
        print(f"skipped: {reason}")
    print(f"{totals(outcomes)}, {seconds:.0f} s")


def totals(outcomes: list[Outcome]) -> str:
    return (
        f"trials {len(outcomes)}, corrupt files {sum(o.corrupt for o in outcomes)}, lost edits "
        f"{sum(o.lost for o in outcomes)} of {sum(o.shown for o in outcomes)} shown as done, "
        f"failed trials {sum(not o.ok for o in outcomes)}"
    )


if __name__ == "__main__":
    sys.exit(main())
