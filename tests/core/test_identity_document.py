"""Identity inside one document: every spelling a writer uses for one person, organisation or
place is one entity (a kind read differently in one sentence, a surname, a short form), and
look-alikes stay apart. Mentions are built by hand (what the extractors would return), so
these tests are about the resolver alone."""

from __future__ import annotations

from typing import Any

from casedesk.extract.model import Mention
from casedesk.extract.resolve import EntityResolver
from casedesk.store import Case


def at(kind: str, start: int, name: str, provenance: str = "model:test", **attrs: Any) -> Mention:
    return Mention(kind, start, start + len(name), name, name, provenance=provenance, attrs=attrs)


def resolve(case: Case, *docs: list[Mention]) -> list[list[int | None]]:
    resolver = EntityResolver(case)
    out = []
    with case.transaction():
        for n, mentions in enumerate(docs, 1):
            out.append(resolver.resolve(n, mentions))
    return out


# -- one kind per name in one document -----------------------------------------------------------


def test_a_name_read_as_two_kinds_in_one_document_is_one_entity_of_the_likelier_kind(
    case: Case,
) -> None:
    # The model read the pitcher as a company in two sentences of five.
    mentions = [
        at("person", 0, "Orrin Vale"),
        at("person", 30, "Vale", provenance="rules:same-name"),
        at("organization", 60, "Vale"),
        at("person", 90, "Vale", provenance="rules:same-name"),
        at("organization", 120, "Vale", cue="organization"),
        at("person", 150, "Vale", provenance="rules:same-name"),
    ]
    [ids] = resolve(case, mentions)
    assert len(set(ids)) == 1
    assert {m.kind for m in mentions} == {"person"}
    assert mentions[2].attrs["kind_pass"] == "document"


def test_the_users_kind_for_one_mention_is_kept(case: Case) -> None:
    mentions = [
        at("place", 0, "Brenholt"),
        at("place", 30, "Brenholt"),
        at("organization", 60, "Brenholt", relabelled="user"),
    ]
    resolve(case, mentions)
    assert [m.kind for m in mentions] == ["organization", "organization", "organization"]


def test_an_even_split_of_evidence_changes_nothing(case: Case) -> None:
    mentions = [at("person", 0, "Jordan"), at("place", 30, "Jordan")]
    [ids] = resolve(case, mentions)
    assert [m.kind for m in mentions] == ["person", "place"]
    assert ids[0] != ids[1]
