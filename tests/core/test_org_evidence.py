"""Organisations only the statistical model saw: shown by the document, or no entity.

The small model labels terms of a field, works, products and grape varieties ORG about as often
as it finds real organisations that nothing marks. A name it alone calls an organisation is kept
when the document shows it is one (a word of an organisation's name, a context cue, one use as
an acting body, an abbreviation or a list it shares with a shown organisation, a known
organisation); otherwise it is dropped. The texts are written for these tests.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from casedesk.extract.entities import find_entities
from casedesk.extract.nlp import parse
from casedesk.store import Case
from textcases import add_extracted


def _orgs(text: str, *, check: bool = True) -> list[str]:
    off = () if check else ("org_evidence",)
    return [m.text for m in find_entities(parse(text), disable=off) if m.kind == "organization"]


def test_a_term_of_a_field_is_no_organisation(nlp: Language) -> None:
    text = (
        "In the second chapter we apply Principal Component Analysis to the survey and report "
        "the Root Mean Square Error of each fit."
    )
    assert "Principal Component Analysis" in _orgs(text, check=False)  # what the model says
    assert _orgs(text) == []


def test_grape_varieties_are_no_organisations(nlp: Language) -> None:
    text = "The tasting began with a Grenache, then a Tempranillo from the cellar."
    assert _orgs(text, check=False) == ["Grenache", "Tempranillo"]
    assert _orgs(text) == []


def test_a_body_that_acts_is_kept(nlp: Language) -> None:
    # the subject of "warned"; a name before "shares"
    assert _orgs(
        "Kestrel warned investors on Monday it would cut 200 jobs, and Kestrel shares fell "
        "4 percent."
    ) == ["Kestrel", "Kestrel"]
    # told X: the object of a verb whose object is a body or a person
    assert "Northvale" in _orgs(
        "Mara Lind studied at Quillmont University. She told Northvale her contract was fair."
    )


def test_a_word_of_an_organisations_name_shows_it(nlp: Language) -> None:
    assert "Quillmont University" in _orgs("Mara Lind studied at Quillmont University.")


def test_a_known_organisation_needs_no_other_evidence(nlp: Language) -> None:
    assert _orgs("Delegates from UNICEF visited the camps.") == ["UNICEF"]
    assert _orgs("The programme was first shown by the BBC in 2004.") == ["BBC"]


def test_a_surname_the_model_reads_as_a_firm_is_the_person(nlp: Language) -> None:
    """The model reads a player's surname as a team more often than not; with no cue of its
    own, the last word of a person's full name in the document is that person. A place keeps
    the kind the model gave it most often."""
    from collections import Counter

    from casedesk.extract.entities import _pass_name_parts, _State
    from casedesk.extract.model import Mention

    text = "Corwin Alder Pike played shortstop. Pike batted well and Pike won, said Mr Lyon."
    doc = parse(text)

    def at(word: str, kind: str, nth: int = 0) -> Mention:
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return Mention(
            kind, start, start + len(word), word, word, provenance="model:en_core_web_sm"
        )

    state = _State(doc)
    state.mentions = [
        at("Corwin Alder Pike", "person"),
        at("Pike", "organization", 1),
        at("Pike", "organization", 2),
    ]
    state.votes = {"Pike": Counter({"organization": 1})}  # the model's reading, not a cue
    _pass_name_parts(state)
    assert [m.kind for m in state.mentions] == ["person", "person", "person"]


def test_a_name_read_as_often_a_body_as_a_place_is_a_body(nlp: Language) -> None:
    """The model labels an unknown name as often a place as an organisation: it is the body
    (a well-known place stays a place)."""
    from casedesk.extract.entities import _retype_by_context
    from casedesk.extract.model import Mention

    def kinds(name: str) -> list[str]:
        text = (
            f"An ex-member of the inner circle of {name} was held on Friday. {name} "
            f"officials said he had taken papers. The lawyer for {name} declined to comment, "
            f"and critics of {name} were not surprised."
        )
        doc = parse(text)
        found, start = [], -1
        for kind in ("place", "organization", "place", "organization"):
            start = text.index(name, start + 1)
            found.append(
                Mention(
                    kind, start, start + len(name), name, name, provenance="model:en_core_web_sm"
                )
            )
        _retype_by_context(doc, found)
        return [m.kind for m in found]

    assert kinds("Oriventa") == ["organization"] * 4
    assert kinds("Lisbon") == ["place"] * 4


def test_names_listed_with_a_shown_organisation_are_organisations(nlp: Language) -> None:
    """A list's names are of one kind, whatever the parse made of the list: here the first two
    hang on the last one's head word, as the small model's parse sometimes has them."""
    from spacy.tokens import Doc

    words = [
        "Bosch",
        ",",
        "Renault",
        "and",
        "Kessler",
        "Technologies",
        "have",
        "asked",
        "for",
        "help",
        ".",
    ]
    doc = Doc(
        nlp.vocab,
        words=words,
        spaces=[False, True, True, True, True, True, True, True, True, False, False],
        tags=["NNP", ",", "NNP", "CC", "NNP", "NNP", "VBP", "VBN", "IN", "NN", "."],
        pos=[
            "PROPN",
            "PUNCT",
            "PROPN",
            "CCONJ",
            "PROPN",
            "PROPN",
            "AUX",
            "VERB",
            "ADP",
            "NOUN",
            "PUNCT",
        ],
        lemmas=[
            "Bosch",
            ",",
            "Renault",
            "and",
            "Kessler",
            "Technologies",
            "have",
            "ask",
            "for",
            "help",
            ".",
        ],
        heads=[5, 0, 5, 2, 2, 7, 7, 7, 7, 8, 7],
        deps=[
            "nmod",
            "punct",
            "nmod",
            "cc",
            "conj",
            "nsubj",
            "aux",
            "ROOT",
            "prep",
            "pobj",
            "punct",
        ],
        ents=["B-ORG", "O", "B-ORG", "O", "B-ORG", "I-ORG", "O", "O", "O", "O", "O"],
    )
    found = [m.text for m in find_entities(doc) if m.kind == "organization"]
    assert found == ["Bosch", "Renault", "Kessler Technologies"]


def test_a_name_the_case_knows_as_an_organisation_is_one_where_nothing_shows_it(
    tmp_path: Path,
) -> None:
    """One kind per entity across the case: a name one article shows to be an organisation is
    that organisation in another that only names it; alone, the second shows nothing."""
    shown = "Kestrel warned investors on Monday it would cut 200 jobs, and Kestrel shares fell 4 %."
    bare = "The new ferry timetable is posted on Kestrel every week."

    def kestrels(path: Path, docs: dict[str, tuple[str, str]]) -> list[tuple[str, str, int]]:
        case = Case.create(path, name=path.stem)
        try:
            add_extracted(case, docs)
            return [
                (str(name), str(kind), int(entity))
                for name, kind, entity in case.conn.execute(
                    "SELECT d.file_name, f.kind, f.entity_id FROM facts f JOIN documents d "
                    "ON d.id = f.document_id WHERE f.text = 'Kestrel' ORDER BY f.id"
                )
            ]
        finally:
            case.close()

    assert kestrels(tmp_path / "bare.casedesk", {"b.txt": ("2024-05-02", bare)}) == []
    both = kestrels(
        tmp_path / "both.casedesk",
        {"a.txt": ("2024-05-01", shown), "b.txt": ("2024-05-02", bare)},
    )
    assert [(name, kind) for name, kind, _e in both] == [
        ("a.txt", "organization"),
        ("a.txt", "organization"),
        ("b.txt", "organization"),
    ]
    assert len({e for _n, _k, e in both}) == 1


def test_a_name_headed_by_an_organisation_word_before_its_complement_is_one(
    nlp: Language,
) -> None:
    """The model reads "the Center for ..." as a facility; its head word, before "for", names
    a body (the last word does not)."""
    text = "Ana Brel became a visiting lecturer at the Center for Maritime Studies in 2008."
    assert ("the Center for Maritime Studies", "FAC") in [
        (e.text, e.label_) for e in parse(text).ents
    ]
    assert _orgs(text) == ["Center for Maritime Studies"]
