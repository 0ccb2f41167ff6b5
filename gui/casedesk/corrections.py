"""The case's standing decisions: what the user said once, every later extraction obeys.

Contract (the Entities view, the CLI and the extraction writer rely on it):

* A decision is one row of the ``corrections`` table. Columns: ``id``; ``action`` (``rename``,
  ``kind``, ``merge``, ``split``, ``reject`` for "not an entity", ``confirm_fact``,
  ``reject_fact``); ``entity_id`` (the entity the spellings belong to; NULL for ``reject``, and
  set to NULL if that entity is deleted); ``kind`` (the kind the spellings take; for a fact
  decision, the fact's kind); ``spellings`` (a JSON list of the names the decision covers, as
  ``spelling_key`` gives them); ``value`` (the name given, the kind given, the name that
  survived a merge, the new entity's name for a split, the status for a fact decision);
  ``document_id``, ``start``, ``end`` (a fact decision's span); ``detail`` (JSON, what the
  user saw: the entity's name and kind before, the names merged, the weak spellings);
  ``created_at``; ``revoked_at`` (NULL while the decision holds).
* Entity decisions bind spellings, not rows: a mention whose normalised text or value is one of
  a decision's ``spellings`` takes the decision's kind and joins its entity, in every document
  extracted after it (a new import, a date change, an extractor upgrade). A ``reject`` decision
  drops such a mention altogether. Where several decisions name one spelling, the latest holds.
* A split also keeps the spellings left with the entity it split from (``detail.kept``) bound
  to that entity, so a document that uses both spellings keeps them apart.
* A short form of a longer name (a bare surname beside a full name, one word of a company's
  longer name) is a *weak* spelling (``detail.weak``): it follows a decision only in a
  document that also names one of the decision's full spellings, as the resolver itself only
  trusts such forms inside their document; a weak spelling never overrides a full one. Within
  one document, a short form (one word, an acronym) the resolver put with a bound name follows
  it to the decision's entity.
* A fact decision gives a machine fact found again on the same document, kind and span the
  status the user gave it.
* ``Decisions`` is read once per document written (a few rows); ``apply`` runs before
  anything else looks at the mentions, ``resolve`` wraps the resolver, ``apply_facts`` runs
  after the facts are written. That is the whole of the extraction side.

No Qt here, and no spaCy: the resolver's key function is imported only when a key is needed.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from casedesk.store import chunked, now_iso

if TYPE_CHECKING:
    from casedesk.extract.model import Mention
    from casedesk.extract.resolve import EntityResolver

ACTIONS = ("rename", "kind", "merge", "split", "reject", "confirm_fact", "reject_fact")
ENTITY_ACTIONS = ("rename", "kind", "merge", "split", "reject")
# The kinds of facts that name an entity (and so can be retyped or bound by a decision).
NAMED_KINDS = ("person", "organization", "place", "material")


def spelling_key(text: str) -> str:
    """How a decision recognises a name: case, accents, curly quotes, spacing, a leading
    "the" and a trailing possessive do not matter ("The Acme Group’s" = "acme group")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").casefold()
    words = text.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    if words and words[-1].endswith(("'s", "'")) and len(words[-1]) > 2:
        words[-1] = words[-1][:-2] if words[-1].endswith("'s") else words[-1][:-1]
    return " ".join(words)


def _is_acronym(name: str) -> bool:
    core = name[:-1] if name.endswith("s") else name
    return 2 <= len(core) <= 10 and core.isupper() and core.isalpha()


def split_spellings(
    kind: str, names: Iterable[str], given: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """(strong, weak) spelling keys of one entity's names. A single word that starts or ends
    another of its names in the texts is weak: a person's bare surname beside the full name, an
    organisation's first word beside its whole name (not an acronym, and not a name of its own
    such as a city merged into the government it stands for). Everything else is strong, and
    so are the ``given`` names (a name the user typed is not evidence that a shorter one the
    texts use is only a short form)."""
    unique: dict[str, str] = {}
    for name in names:
        if name and name.strip():
            unique.setdefault(spelling_key(name), name.strip())
    extra = {spelling_key(n) for n in given if n and n.strip()} - set(unique)
    strong: list[str] = sorted(extra)
    weak: list[str] = []
    if kind in ("person", "organization"):
        ends = {w for k in unique if len(k.split()) > 1 for w in (k.split()[0], k.split()[-1])}
        for key, name in unique.items():
            short = len(key.split()) == 1 and not (kind == "organization" and _is_acronym(name))
            (weak if short and key in ends else strong).append(key)
    else:
        strong += list(unique)
    return sorted(strong), sorted(weak)


def entity_names(conn: sqlite3.Connection, entity_id: int) -> list[str]:
    """Every way the texts write one entity: its aliases, its mentions' texts and values
    (rejected mentions left out), and its name unless the user gave it."""
    names: list[str] = []
    row = conn.execute("SELECT name, status FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is not None and row[1] == "extracted":
        names.append(str(row[0]))
    names += [
        str(r[0])
        for r in conn.execute("SELECT alias FROM aliases WHERE entity_id = ?", (entity_id,))
    ]
    for text, value in conn.execute(
        "SELECT DISTINCT text, value FROM facts WHERE entity_id = ? AND status != 'rejected' "
        f"AND kind IN ({','.join('?' * len(NAMED_KINDS))})",
        (entity_id, *NAMED_KINDS),
    ):
        names.append(str(text))
        if value:
            names.append(str(value))
    return names


def record(
    conn: sqlite3.Connection,
    action: str,
    *,
    entity_id: int | None = None,
    kind: str | None = None,
    spellings: Sequence[str] = (),
    weak: Sequence[str] = (),
    value: str | None = None,
    document_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
    detail: dict[str, Any] | None = None,
) -> int:
    """Add one decision (the caller holds the transaction); return its id."""
    if action not in ACTIONS:
        raise ValueError(f"unknown correction {action!r}")
    info = dict(detail or {})
    if weak:
        info["weak"] = sorted(set(weak))
    cur = conn.execute(
        "INSERT INTO corrections(action, entity_id, kind, spellings, value, document_id, start, "
        "end, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            action,
            entity_id,
            kind,
            json.dumps(sorted(set(spellings)), ensure_ascii=False),
            value,
            document_id,
            start,
            end,
            json.dumps(info, ensure_ascii=False) if info else None,
            now_iso(),
        ),
    )
    return int(cur.lastrowid or 0)


def _short(mention: Mention) -> bool:
    """A short form (one word, an acronym) that may follow the longer name it stands for."""
    name = mention.value or mention.text
    return len(spelling_key(name).split()) == 1 or _is_acronym(name)


# The decisions last read on each connection, with the state of the table they were read at.
_LOADED: dict[tuple[int, str], tuple[tuple[Any, ...], Decisions]] = {}


@dataclass(frozen=True)
class Rule:
    """What the latest decision says about one spelling."""

    correction_id: int
    kind: str | None
    entity_id: int | None
    reject: bool
    weak: bool


@dataclass
class Decisions:
    """The case's decisions in force, indexed for the extraction writer."""

    rules: dict[str, Rule] = field(default_factory=dict)
    weak_rules: dict[str, Rule] = field(default_factory=dict)
    facts: dict[tuple[int, str, int, int], str] = field(default_factory=dict)
    entity_kinds: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Decisions:
        """The decisions in force, read again only when the corrections changed (an import
        writes thousands of documents against the same decisions)."""
        # The whole table as one string: an undo deletes a decision and the next one takes its
        # id, so counts and ids alone do not tell two states apart.
        stamp = conn.execute(
            "SELECT count(*), group_concat(id || '|' || action || '|' || ifnull(entity_id, '') "
            "|| '|' || ifnull(kind, '') || '|' || spellings || '|' || ifnull(value, '') || '|' "
            "|| ifnull(detail, '') || '|' || ifnull(revoked_at, ''), char(10)) "
            "FROM (SELECT * FROM corrections ORDER BY id)"
        ).fetchone()
        # A connection's id may be reused by a later one, to another case: the file is part
        # of the key.
        key = (id(conn), str(conn.execute("PRAGMA database_list").fetchone()[2]))
        cached = _LOADED.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        out = cls._read(conn)
        if len(_LOADED) >= 8:
            _LOADED.clear()
        _LOADED[key] = (stamp, out)
        return out

    @classmethod
    def _read(cls, conn: sqlite3.Connection) -> Decisions:
        out = cls()
        for cid, action, entity_id, kind, spellings, value, doc, start, end, detail in conn.execute(
            "SELECT id, action, entity_id, kind, spellings, value, document_id, start, end, "
            "detail FROM corrections WHERE revoked_at IS NULL ORDER BY id"
        ):
            if action in ("confirm_fact", "reject_fact"):
                if doc is not None and kind and start is not None and end is not None:
                    out.facts[(int(doc), str(kind), int(start), int(end))] = str(value)
                continue
            info = json.loads(detail) if detail else {}
            reject = action == "reject"
            ent = None if reject or entity_id is None else int(entity_id)
            for key in json.loads(spellings or "[]"):
                out.rules[key] = Rule(int(cid), None if reject else kind, ent, reject, False)
                out.weak_rules.pop(key, None)
            for key in info.get("weak", []):
                out.weak_rules[key] = Rule(int(cid), None if reject else kind, ent, reject, True)
            if action == "split" and info.get("from_id") is not None:
                # the spellings the entity split from kept stay with it
                for key in info.get("kept", []):
                    out.rules[key] = Rule(int(cid), kind, int(info["from_id"]), False, False)
        bound = {r.entity_id for r in out.rules.values() if r.entity_id is not None}
        bound |= {r.entity_id for r in out.weak_rules.values() if r.entity_id is not None}
        for chunk, marks in chunked(sorted(bound)):
            out.entity_kinds.update(
                (int(i), str(k))
                for i, k in conn.execute(
                    f"SELECT id, kind FROM entities WHERE id IN ({marks})", chunk
                )
            )
        return out

    def __bool__(self) -> bool:
        return bool(self.rules or self.weak_rules or self.facts)

    def rule(self, mention: Mention, strong_in_doc: set[int]) -> Rule | None:
        """The decision over a mention, if any (a weak spelling only where the document also
        names one of the same decision's strong spellings)."""
        keys = [spelling_key(t) for t in (mention.value, mention.text) if t]
        for key in keys:
            if key in self.rules:
                return self.rules[key]
        for key in keys:
            found = self.weak_rules.get(key)
            if found is not None and found.correction_id in strong_in_doc:
                return found
        return None

    def _strong_in(self, mentions: Sequence[Mention]) -> set[int]:
        ids: set[int] = set()
        for m in mentions:
            for text in (m.value, m.text):
                found = self.rules.get(spelling_key(text)) if text else None
                if found is not None:
                    ids.add(found.correction_id)
        return ids

    def apply(self, mentions: Sequence[Mention]) -> list[Mention]:
        """The mentions as the user's decisions want them: a name marked "not an entity" is
        gone, a name whose kind was corrected (or that was merged into an entity of another
        kind) has that kind. Mentions are changed in place; the list returned is new."""
        if not self.rules and not self.weak_rules:
            return list(mentions)
        named = [m for m in mentions if m.kind in NAMED_KINDS]
        strong = self._strong_in(named)
        out: list[Mention] = []
        for m in mentions:
            if m.kind not in NAMED_KINDS:
                out.append(m)
                continue
            rule = self.rule(m, strong)
            if rule is None:
                out.append(m)
                continue
            if rule.reject:
                continue
            kind = self.entity_kinds.get(rule.entity_id or -1) or rule.kind
            if kind in NAMED_KINDS and kind != m.kind:
                m.kind = kind
                # the resolver must not type it back from what the case knew before
                m.attrs["relabelled"] = "user"
            out.append(m)
        return out

    def resolve(
        self,
        conn: sqlite3.Connection,
        resolver: EntityResolver,
        doc_id: int,
        mentions: list[Mention],
    ) -> list[int | None]:
        """The resolver's entity per mention, then the user's bindings over it: a mention whose
        spelling a decision binds joins that entity, and the other mentions the resolver put
        with it in this document follow (a surname beside the full name). An entity the
        resolver made only for mentions that a decision took elsewhere is removed, and so is a
        bound spelling from the alias list of any other machine-made entity."""
        ids = resolver.resolve(doc_id, mentions) if mentions else []
        if not (self.rules or self.weak_rules) or not mentions:
            return ids
        strong = self._strong_in(mentions)
        bound: list[int | None] = []
        for m in mentions:
            rule = self.rule(m, strong)
            bound.append(rule.entity_id if rule is not None else None)
        # The entities as they are now (one may have gone since the decisions were read).
        kinds = {
            int(i): str(k)
            for i, k in conn.execute(
                "SELECT id, kind FROM entities WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted({e for e in bound if e is not None})),),
            )
        }
        bound = [e if e in kinds else None for e in bound]
        follow: dict[int, set[int]] = defaultdict(set)
        for got, ent in zip(ids, bound, strict=True):
            if got is not None and ent is not None:
                follow[got].add(ent)
        result: list[int | None] = []
        strays: set[int] = set()
        for m, got, ent in zip(mentions, ids, bound, strict=True):
            if ent is None and got is not None and len(follow.get(got, ())) == 1 and _short(m):
                ent = next(iter(follow[got]))
            if ent is None or ent == got:
                result.append(got)
                continue
            kind = kinds[ent]
            if m.kind != kind:
                m.kind = kind
                m.attrs["relabelled"] = "user"
            if got is not None:
                strays.add(got)
                conn.execute(
                    "DELETE FROM aliases WHERE entity_id = ? AND alias = ? AND EXISTS "
                    "(SELECT 1 FROM entities WHERE id = ? AND status = 'extracted')",
                    (got, m.value or m.text, got),
                )
            result.append(ent)
        kept = {e for e in result if e is not None}
        for stray in strays - kept:
            conn.execute(
                "DELETE FROM entities WHERE id = ? AND status = 'extracted' AND NOT EXISTS "
                "(SELECT 1 FROM facts WHERE entity_id = ?)",
                (stray, stray),
            )
            # The resolver must forget it now: SQLite gives the next entity the same id, and
            # the resolver's memory would take it for the stray (its names, its keys).
            resolver._alive(stray)  # noqa: SLF001
        return result

    def apply_facts(self, conn: sqlite3.Connection, doc_id: int) -> int:
        """Give the document's machine facts the status the user gave them before (a fact
        found again on the same kind and span). Returns how many changed."""
        changed = 0
        for (doc, kind, start, end), status in self.facts.items():
            if doc != doc_id:
                continue
            changed += conn.execute(
                "UPDATE facts SET status = ? WHERE document_id = ? AND kind = ? AND start = ? "
                "AND end = ? AND status = 'extracted'",
                (status, doc, kind, start, end),
            ).rowcount
        return changed
