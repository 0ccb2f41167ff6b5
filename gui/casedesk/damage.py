"""What to tell the user when a case file cannot be read or written as it is.

A case is a plain SQLite file that other programs may open and change. One that passes every
check at opening may still hold what Casedesk never writes: text that is not UTF-8, a BLOB or a
NULL where text belongs, text in a number column, a search index written over, a table
dropped, rows pointing at rows that are gone. Reading such a row fails deep inside a query
or a view; the command line and the window turn that failure into one message naming the file
and the problem, never a traceback. The same goes for a full disk, a read-only folder and a
case another program keeps busy.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

# What reading or writing a case may raise because of the file's content or its place on disk,
# as opposed to a mistake in Casedesk: a row of the wrong type reaches Python code as a
# TypeError, ValueError or KeyError, a NULL as an AttributeError.
CASE_DATA_ERRORS: tuple[type[BaseException], ...] = (
    sqlite3.Error,
    UnicodeError,
    TypeError,
    ValueError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
)

_CHANGED = "it was changed by another program; restore a copy or repair it with an SQLite tool"

# The storage classes a declared column type admits in what Casedesk writes.
_ADMITTED = {"INTEGER": ("integer",), "REAL": ("real", "integer"), "TEXT": ("text",)}


def find_damage(path: str | Path) -> str | None:
    """What the case file at ``path`` holds that Casedesk never writes, said in a few words, or
    None when it holds nothing of the kind: a table defined otherwise, a value of the wrong
    type, a NULL where Casedesk always writes one, a row pointing at a row that is gone.

    It reads the file on its own read-only connection (SQLite keeps the process's locks for
    connections open elsewhere) and costs one pass over each table."""
    from casedesk.store import SCHEMA_VERSION, canonical_tables

    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return f"it cannot be read ({exc})"
    try:
        conn.execute("PRAGMA trusted_schema=OFF")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if not 1 <= version <= SCHEMA_VERSION:
            return f"its case format is {version}"
        found = dict(
            conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        )
        for table, (sql, columns) in canonical_tables(version).items():
            if table not in found:
                return f"it has no table '{table}'"
            if found[table] != sql:
                return f"the table '{table}' is defined otherwise"
            checks = [
                (name, _ADMITTED[decl] + (() if notnull else ("null",)))
                for name, decl, notnull in columns
                if decl in _ADMITTED
            ]
            if not checks:
                continue
            counts = conn.execute(
                "SELECT "
                + ", ".join(
                    f'coalesce(sum(typeof("{name}") NOT IN '
                    f"({', '.join(repr(a) for a in admitted)})), 0)"
                    for name, admitted in checks
                )
                + f' FROM "{table}"'
            ).fetchone()
            for (name, _), count in zip(checks, counts, strict=True):
                if count:
                    return f"{count} value(s) of the wrong type in column '{name}' of '{table}'"
        orphan = conn.execute("PRAGMA foreign_key_check").fetchone()
        if orphan is not None:
            return f"rows of '{orphan[0]}' point at rows of '{orphan[2]}' that are gone"
    except sqlite3.Error as exc:
        return f"it cannot be read in full ({exc})"
    finally:
        conn.close()
    return None


def explain(path: str | Path, exc: BaseException) -> str:
    """One line for the user: the case file and what is wrong with it."""
    text = str(exc)
    low = text.lower()
    if isinstance(exc, sqlite3.Error):
        found = re.search(r"could not decode to utf-8 column '([^']*)'", text, re.IGNORECASE)
        if found:
            return (
                f"{path}: the case holds text that is not UTF-8 (column '{found[1]}'); {_CHANGED}"
            )
        found = re.search(r"no such (table|column): (\S+)", text)
        if found:
            return f"{path}: the case has no {found[1]} '{found[2]}'; {_CHANGED}"
        if "fts" in low or "vtable constructor failed" in low:
            return f"{path}: the case's search index is damaged ({text}); {_CHANGED}"
        if "malformed" in low or "not a database" in low or "corrupt" in low:
            return f"{path}: the file is damaged ({text}); restore a copy"
        if "locked" in low or "busy" in low:
            return (
                f"{path}: another program is writing to the case and did not finish in time "
                "(database is locked); try again when it is done"
            )
        if "disk is full" in low or "disk i/o error" in low:
            return (
                f"{path}: cannot write to the case: the disk is full or the file may not grow "
                f"({text}); everything up to the last finished step is kept"
            )
        if "readonly" in low or "read-only" in low or "unable to open" in low:
            return f"{path}: cannot write to the case: the file or its folder is read-only ({text})"
        return f"{path}: cannot use the case ({text})"
    if isinstance(exc, UnicodeError):
        return f"{path}: the case holds text Casedesk cannot read ({text}); {_CHANGED}"
    finding = find_damage(path)
    if finding is not None:
        return (
            f"{path}: the case holds a value Casedesk cannot use ({finding}; "
            f"{type(exc).__name__}: {text}); {_CHANGED}"
        )
    # The file holds only what Casedesk writes: the failure is Casedesk's own.
    return (
        f"{path}: Casedesk failed on this case ({type(exc).__name__}: {text}), which holds "
        "nothing Casedesk did not write: a fault in Casedesk; please report it. Everything "
        "up to the last finished step is kept"
    )
