"""One entity per real-world thing across a case.

Resolution is gated by kind and keyed by a per-kind normal form, never by string similarity:
"North Korea" and "South Korea" are one edit apart and two countries; "hydrogen fluoride" and
"hydrogen chloride" differ by two letters and are two chemicals. The keys:

* person: titles dropped, accents folded, hyphens and spaces inside the given name removed:
  "Moon Jae-in" = "Moon Jae In", "Jūrō Satō" = "Juro Sato". Spellings from two romanisation
  systems ("Lee Ho-hyeon", "Lee Ho-hyun"; "Kenji Ōta", "Kenji Ohta") are only *proposed* as
  one person, and only when both look romanised from the same language (Korean, Chinese
  Pinyin, Japanese Hepburn syllables): "Li Wei" and "Lee Wei" may well be two people;
* organization: the (multi)set of content words, legal-form suffixes dropped, so word-order variants
  of a ministry's name meet ("Economy, Trade and Industry Ministry"); a nationality in front
  ("Korean Ministry of ...") is kept apart as the entity's country and must not conflict;
* place: spelling variants of countries folded ("S. Korea", "U.S.");
* material: purity grades dropped, derivational forms of a modifier stemmed
  ("fluorinated"/"fluorine"/"fluoro"), the head made singular ("photoresists"), British and
  American spellings folded ("sulphuric"/"sulfuric", "aluminium"/"aluminum"), a commodity of
  several words kept whole ("liquefied natural gas" is not "natural gas"), the form a mineral
  is sold in dropped ("spodumene concentrate", "iron ore fines"), known abbreviations and
  trade words spelt out ("LNG", bare "crude").

Within one document, a bare surname joins the one full name that carries it, an acronym joins
the name whose initials it spells, an alternative spelling in parentheses joins its person,
and "Korea" is South Korea unless the article also names North Korea (then it stays apart and
both are proposed).
Across documents only keys, aliases and unambiguous acronyms (three letters or more) merge;
anything weaker (a bare surname seen without its full name or shared by two people, an
acronym with several possible expansions or of two letters, an organisation without a country
that matches several, a place name that ends another, an organisation name that starts
another, a person's name in the other order) becomes a row in ``merge_proposals`` for the
user to accept or reject. The resolver never deletes or merges existing entities itself.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from casedesk.extract.entities import ENTITY_KINDS, acronym_matches
from casedesk.extract.given_names import given_names
from casedesk.extract.lexicon import words
from casedesk.extract.lexicon_materials import (
    GRADE_MODIFIERS,
    MATERIAL_ACRONYMS,
    MATERIAL_SYNONYMS,
    MULTIWORD_MATERIALS,
    ORE_FORMS,
)
from casedesk.extract.lexicon_names import (
    CORPORATE_SUFFIXES,
    GROUP_WORDS,
    ORG_HEADS,
    PERSON_PREFIXES,
    PLACE_VARIANTS,
    WELL_KNOWN_PLACES,
)
from casedesk.extract.model import Mention
from casedesk.extract.name_variants import are_variants, variants


class _CaseLike(Protocol):
    @property
    def conn(self) -> Any: ...


_ROMANISATION = (("yeo", "yu"), ("eo", "u"), ("eu", "u"), ("oo", "u"), ("ou", "u"), ("ee", "i"))
_ORG_STOPWORDS = frozenset(["of", "and", "the", "for", "&", "on", "in", "at", "de", "du", "des"])
_NAME_SUFFIXES = words("name_suffixes")
_PLACE_PART_QUALIFIERS = words("place_part_qualifiers")
_STEM_SUFFIXES = ("inated", "ated", "ine", "o")
# Dropped from the end of an organisation's name when names are matched: legal forms and the
# words for a company group as a whole ("Norvik Holdings Ltd." is "Norvik").
_COMPANY_FORMS = CORPORATE_SUFFIXES | GROUP_WORDS


# Names recur across a case: their folded forms are computed once.
@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").lower().strip()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s?$", "", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=65536)
def _romanise(token: str) -> str:
    # Japanese long "o" written "oh" before a syllable ("Ohno", "Ohta" for "Ōno", "Ōta"); not
    # at a word end or before a vowel ("John", "Cohen").
    token = re.sub(r"oh(?=[bcdfgjklmnpqrstvwxz][aeiouy])", "o", token)
    for old, new in _ROMANISATION:
        token = token.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", token)


# The syllables of three romanisation systems, for telling whether two spellings of a name can
# be two romanisations of one name in the same language: Korean (Revised Romanisation and
# McCune-Reischauer with the usual variants "oo", "ee"; a syllable inside a name part starts
# with a consonant), Hanyu Pinyin, and Japanese Hepburn (long vowels written double or with
# "h", a syllabic "n").
_KOREAN_SYLLABLE = (
    r"(?:kk|tt|pp|ss|jj|ch|g|k|n|d|t|r|l|m|b|p|s|j|h|y|w)"
    r"(?:yeo|yae|wae|eo|eu|ae|ya|ye|yo|yu|wa|wo|we|wi|ui|oe|oo|ee|ou|a|e|i|o|u)"
    r"(?:ng|k|n|t|l|m|p|g|b)?"
)
_KOREAN_PART = re.compile(
    rf"(?:(?:yeo|eo|eu|ae|a|e|i|o|u)(?:ng|k|n|t|l|m|p|g|b)?|{_KOREAN_SYLLABLE})"
    rf"(?:{_KOREAN_SYLLABLE})*"
)
_PINYIN_FINAL = (
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|uai|uan|ian|iao|ai|ei|ao|ou|an|en|er|ia|ie|in|iu"
    r"|ua|uo|ui|un|ue|a|e|i|o|u)"
)
# A syllable without an initial is written with "y"/"w" unless it starts with a, o or e, and
# only first in a name part ("Xi'an" needs its apostrophe).
_PINYIN_PART = re.compile(
    rf"(?:(?:ang|ai|ao|an|a|ou|ong|o|eng|ei|en|er|e)|(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])"
    rf"{_PINYIN_FINAL})(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw]){_PINYIN_FINAL})*"
)
_JAPANESE_PART = re.compile(
    r"(?:(?:kk|ss|tt|pp|cch)?(?:ky|gy|sh|ch|ny|hy|by|py|my|ry|ts|[kgsztdnhbpmyrwfj])?"
    r"[aiueo](?:h(?![aiueo]))?|n(?![aiueoy]))+"
)
ROMANISATIONS = {"Korean": _KOREAN_PART, "Chinese": _PINYIN_PART, "Japanese": _JAPANESE_PART}


def romanisation_languages(name: str) -> set[str]:
    """The languages whose romanisation every part of a person's name could be written in
    ("Lee Ho-hyun": Korean; "Li Wei": Chinese; "Kenji Ohta": Japanese)."""
    parts = [p for w in _person_parts(name) for p in w.split("-") if p]
    if len(parts) < 2:
        return set()
    return {
        lang for lang, pattern in ROMANISATIONS.items() if all(pattern.fullmatch(p) for p in parts)
    }


def romanised_key(name: str) -> str:
    """A person's key with the vowel spellings that differ between romanisation systems
    folded ("Lee Ho-hyeon" and "Lee Ho-hyun", "Kenji Ohta" and "Kenji Ota"): evidence for a
    merge proposal, never for a merge ("Li Wei" and "Lee Wei" may be two people)."""
    toks = [_romanise(t) for t in person_tokens(name)]
    return toks[0] + " " + "".join(toks[1:]) if len(toks) > 1 else "".join(toks)


def same_name_other_romanisation(a: str, b: str) -> bool:
    """Two spellings that differ only in romanisation, both written in one language's
    romanisation system."""
    if normalise_key("person", a) == normalise_key("person", b):
        return False
    if romanised_key(a) != romanised_key(b):
        return False
    return bool(romanisation_languages(a) & romanisation_languages(b))


@lru_cache(maxsize=65536)
def _person_parts(name: str) -> tuple[str, ...]:
    words = _fold(name).replace(".", ". ").split()
    while len(words) > 1 and words[0] in PERSON_PREFIXES:
        words = words[1:]
    while len(words) > 2 and words[-1].strip(".,") in _NAME_SUFFIXES:
        words = words[:-1]
    return tuple(w.replace(".", "") for w in words if w.strip("."))


def person_tokens(name: str) -> list[str]:
    """Folded name parts, titles dropped; a hyphenated part stays one token ("jaein").
    Spellings from different romanisation systems stay apart ("Lee"/"Li", "hyeon"/"hyun"):
    ``romanised_key`` compares those, for a proposal."""
    return [w.replace("-", "") for w in _person_parts(name)]


def _middles_fit(short: list[str], long: list[str]) -> bool:
    """The middle names of one spelling fit those of the other: each middle part of the
    shorter is, in order, a middle part of the longer or its initial ("W" of "William")."""
    i = 0
    for part in short:
        while i < len(long) and not (
            long[i] == part or (len(part) == 1 and long[i].startswith(part))
        ):
            i += 1
        if i == len(long):
            return False
        i += 1
    return True


# A regnal number ("Henry VIII", "John Paul II"), written in capitals after a name.
_ROMAN_NUMERAL = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")
_GENERATIONAL = frozenset(["jr", "sr"])


@lru_cache(maxsize=65536)
def generation(name: str) -> str:
    """The generational suffix or regnal number a person's name ends in, lower-cased ("jr"
    for "Carl Dunmore Jr.", "viii" for "Henry VIII"); "" for none. Two names that end in
    different ones name two people, whatever else they share."""
    words = name.replace(",", " ").split()
    if len(words) < 2:
        return ""
    last = words[-1].strip(".")
    if last.lower() in _GENERATIONAL:
        return last.lower()
    return last.lower() if _ROMAN_NUMERAL.fullmatch(last) else ""


def generations_differ(a: str, b: str) -> bool:
    """Both names carry a generational suffix or regnal number, not the same one."""
    ga, gb = generation(a), generation(b)
    return bool(ga and gb and ga != gb)


def _generations(names: Collection[str]) -> frozenset[str]:
    """The generational suffixes and regnal numbers the names carry."""
    return frozenset(g for n in names if (g := generation(n)))


def same_person_spelling(a: str, b: str) -> bool:
    """Two spellings of one person's name that differ only in middle names or initials:
    "Matthew Goode", "Matthew William Goode", "Matthew W. Goode" (not "Matthew J. Goode"
    beside "Matthew William Goode")."""
    ta, tb = person_tokens(a), person_tokens(b)
    if len(ta) < 2 or len(tb) < 2 or ta[0] != tb[0] or ta[-1] != tb[-1] or ta == tb:
        return False
    if generations_differ(a, b):
        return False
    ma, mb = ta[1:-1], tb[1:-1]
    short, long = (ma, mb) if len(ma) <= len(mb) else (mb, ma)
    return _middles_fit(short, long)


def given_name_variant(a: str, b: str) -> bool:
    """Two full names of one person where one given name is the usual short form of the
    other ("Bill Tarrant", "William J. Tarrant"): the same surname, fitting middle names, and
    the given names paired in the table of nicknames (``name_variants``)."""
    ta, tb = person_tokens(a), person_tokens(b)
    if len(ta) < 2 or len(tb) < 2 or ta[-1] != tb[-1] or ta[0] == tb[0]:
        return False
    if not are_variants(ta[0], tb[0]) or generations_differ(a, b):
        return False
    ma, mb = ta[1:-1], tb[1:-1]
    short, long = (ma, mb) if len(ma) <= len(mb) else (mb, ma)
    return _middles_fit(short, long)


def normalise_key(kind: str, name: str) -> str:
    """The resolution key of a name of this kind (see the module docstring)."""
    folded = _fold(name)
    if kind == "person":
        toks = person_tokens(name)
        if len(toks) <= 1:
            return "".join(toks)
        key = toks[0] + " " + "".join(toks[1:])
        # "Carl Dunmore Jr." is not "Carl Dunmore Sr.": a suffix dropped from the name parts
        # stays in the key
        gen = generation(name)
        return f"{key} {gen}" if gen and toks[-1] != gen else key
    if kind == "organization":
        words = [w for w in re.split(r"[\s,]+", folded) if w]
        while len(words) > 1 and words[-1] in _COMPANY_FORMS:
            words = words[:-1]
        # full stops are spelling: "C.M.N." is "CMN", "St. Orla" is "St Orla"
        content = sorted(c for w in words if w not in _ORG_STOPWORDS and (c := w.replace(".", "")))
        return " ".join(content) if content else folded
    if kind == "place":
        folded = re.sub(r"^s\.\s*", "south ", folded)
        folded = re.sub(r"^n\.\s*", "north ", folded)
        folded = PLACE_VARIANTS.get(folded, folded)
        # an abbreviation's full stops and the comma before a region are spelling: "St.
        # Ilmar" is "St Ilmar", "Washington, D.C." is "Washington DC"
        return " ".join(folded.replace(".", "").replace(",", " ").split())
    if kind == "material":
        return _material_key(name, folded)
    return folded


# British and American spellings of the same substance ("sulphuric"/"sulfuric").
_MATERIAL_SPELLINGS = (
    ("sulph", "sulf"),
    ("aluminium", "aluminum"),
    ("caesium", "cesium"),
    ("haematite", "hematite"),
    ("liquified", "liquefied"),
    ("fibre", "fiber"),
    ("fertiliser", "fertilizer"),
    ("kerosine", "kerosene"),
)
_MATERIAL_ACRONYM_KEYS = {k.lower(): v for k, v in MATERIAL_ACRONYMS.items()}


def _material_key(name: str, folded: str) -> str:
    """Grades dropped, spellings folded, a commodity of several words kept whole ("liquefied
    natural gas" is not "natural gas"), the form an ore or mineral is sold in dropped
    ("spodumene concentrate", "iron ore fines"), known abbreviations spelt out ("LNG")."""
    if name.strip() in MATERIAL_ACRONYMS:
        folded = _fold(MATERIAL_ACRONYMS[name.strip()])
    folded = _MATERIAL_ACRONYM_KEYS.get(folded, folded)
    folded = MATERIAL_SYNONYMS.get(folded, folded)
    for old, new in _MATERIAL_SPELLINGS:
        folded = folded.replace(old, new)
    words = [w for w in re.split(r"\s+|(?<=[a-z])-(?=[a-z])", folded) if w]
    if len(words) > 1 and words[-1] in ("concentrate", "concentrates"):
        words = words[:-1]  # "copper concentrate" is copper as mined and milled
    elif len(words) > 2 and words[-2] in ("ore", "ores") and words[-1] in ORE_FORMS:
        words = words[:-1]
    for start in range(len(words) - 1):
        if tuple(words[start:]) in MULTIWORD_MATERIALS and all(
            w in GRADE_MODIFIERS for w in words[:start]
        ):
            return " ".join(words[start:])
    while len(words) > 1 and (words[0] in GRADE_MODIFIERS or words[0] in ("purity",)):
        words = words[1:]
    words = [w for w in words if w not in GRADE_MODIFIERS] or words
    out = []
    for i, w in enumerate(words):
        if i < len(words) - 1:
            for suffix in _STEM_SUFFIXES:
                if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                    w = w[: -len(suffix)]
                    break
        else:
            if w.endswith("es") and w[:-2].endswith(("s", "x", "ch", "sh")):
                w = w[:-2]
            elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
                w = w[:-1]
        out.append(w)
    return " ".join(out)


_DOTTED_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}")


def _is_acronym(name: str) -> bool:
    """ "METI", "NGOs", and written with full stops, "C.M.N."."""
    if _DOTTED_ACRONYM.fullmatch(name):
        name = name.replace(".", "")
    core = name[:-1] if name.endswith("s") else name
    return 2 <= len(core) <= 10 and core.isupper() and core.isalpha()


def _name_halves(tokens: list[str]) -> set[tuple[str, str]]:
    """A full name as (first part, rest) and (all but last, last): "Moon Jae In" gives
    ("mun", "jaein") and ("munjae", "in")."""
    if len(tokens) < 2:
        return set()
    return {(tokens[0], "".join(tokens[1:])), ("".join(tokens[:-1]), tokens[-1])}


def _org_words(name: str) -> list[str]:
    """An organisation's words without legal-form suffixes, for prefix comparison."""
    words = [w for w in re.split(r"[\s,]+", _fold(name)) if w]
    while len(words) > 1 and words[-1] in _COMPANY_FORMS:
        words = words[:-1]
    return words


def countries_compatible(a: str | None, b: str | None) -> bool:
    """Whether two organisations' countries allow them to be one: unknown matches anything,
    "Korea" matches "South Korea" (a shorter name inside a longer one), "South Korea" does not
    match "North Korea"."""
    if not a or not b:
        return True
    ka, kb = normalise_key("place", a).split(), normalise_key("place", b).split()
    short, long = sorted((ka, kb), key=len)
    return long[len(long) - len(short) :] == short


_INITIAL_FUNCTION_WORDS = frozenset(["of", "and", "the", "for", "on", "in", "&", "de", "du", "des"])


def _acronym_letters(name: str) -> str:
    core = name[:-1] if name.endswith("s") and name[:-1].isupper() else name
    return "".join(c for c in core.lower() if c.isalpha())


def initials_variants(name: str) -> set[str]:
    """The initials an acronym of ``name`` could have: every content word's first letter,
    with or without those of the function words ("METI", "MOTIE")."""
    words = [w for w in re.split(r"[\s,\-/]+", name.replace("’", "'")) if w and w[0].isalnum()]
    variants = {""}
    for w in words[:12]:
        initial = w[0].lower()
        if w.lower() in _INITIAL_FUNCTION_WORDS:
            variants |= {v + initial for v in variants}
        else:
            variants = {v + initial for v in variants}
        if len(variants) > 64:
            variants = set(sorted(variants, key=len)[:64])
    return {v for v in variants if len(v) >= 2}


def _acronym_pair(a: str, b: str) -> bool:
    """One name is an acronym spelling the other's initials."""
    if _is_acronym(a) and not _is_acronym(b):
        return acronym_matches(a, b)
    if _is_acronym(b) and not _is_acronym(a):
        return acronym_matches(b, a)
    return False


_NAMED = ("person", "organization", "place")


@lru_cache(maxsize=1)
def _dictionary_words() -> frozenset[str]:
    """The nouns, adjectives and adverbs of the English lemmatizer's index (WordNet's, in the
    spaCy model's files, read without loading the model): words of the language, which a
    one-word name may also be ("Gospel", "Southwest", "Shell"). Empty if the model is
    missing."""
    from casedesk.extract.version import MODEL_PACKAGE, _package_dir

    root = _package_dir(MODEL_PACKAGE)
    if root is None:
        return frozenset()
    found: set[str] = set()
    for path in sorted(root.glob("*/lemmatizer/lookups/lookups.bin")):
        from spacy.lookups import Lookups

        lookups = Lookups().from_disk(path.parent)
        if "lemma_index" in lookups.tables:
            table = lookups.get_table("lemma_index")
            for pos in ("noun", "adj", "adv"):
                found.update(str(w) for w in table.get(pos, []))
    return frozenset(found)


def _company_like_word(name: str, surnames: set[str]) -> bool:
    """A one-word name the case may type from other documents' evidence: a capitalised coined
    word ("Halvorsen"), not a family name of this document's people, a known place, a common
    given name or a compass point or common noun."""
    lower = name.lower()
    return (
        name.isalpha()
        and name[:1].isupper()
        and name not in surnames
        and lower not in WELL_KNOWN_PLACES
        and lower not in PLACE_VARIANTS
        and lower not in given_names()
        and lower not in _dictionary_words()
    )


_USER_WEIGHT = 100


def _weight(kind: str, provenance: str, cue: object, relabelled: object) -> int:
    """How much one mention says about its entity's kind: a context cue for that kind 3, a
    rule's kind (or a kind a rule changed) 2, the model's reading of one sentence 1."""
    if relabelled == "user":
        return _USER_WEIGHT
    if cue == kind:
        return 3
    if not provenance.startswith("model:") or relabelled:
        return 2
    return 1


def _evidence(m: Mention) -> int:
    return _weight(m.kind, m.provenance or "", m.attrs.get("cue"), m.attrs.get("relabelled"))


@dataclass
class _Entity:
    id: int
    kind: str
    name: str
    key: str
    status: str
    country: str | None = None
    names: Counter[str] = field(default_factory=Counter)


@dataclass
class _Group:
    """Mentions of one document that name the same thing."""

    kind: str
    indices: list[int] = field(default_factory=list)
    names: Counter[str] = field(default_factory=Counter)
    country: str | None = None

    def best_name(self) -> str:
        return _best_name(self.kind, self.names)


def _first_introduced(
    hits: list[_Group], token: str, at: int, mentions: list[Mention]
) -> list[_Group]:
    """A bare surname shared by several full names in one document: news and biographies
    name the subject in full first and call them by the surname after ("John Doe ... his
    wife Mary Doe ... Doe said"), so it is the person named first, when all of them carry
    it as their last name (not a family name first, "Kim Jong-un", "Kim Yo-jong") and that
    person was named before the surname."""
    if not all(
        all(len(t := person_tokens(n)) > 1 and t[-1] == token for n in g.names if " " in n)
        for g in hits
    ):
        return hits
    first = min(hits, key=lambda g: min(mentions[j].start for j in g.indices))
    if min(mentions[j].start for j in first.indices) > mentions[at].start:
        return hits
    return [first]


def _surname_readings(hits: list[_Group], token: str) -> list[_Group]:
    """A bare name that ends some full names of the document and starts others ("Quell"
    beside "Marta Quell" and "Quell Hargrove") is read as a surname: news and biographies
    refer back to people by surname. A name that starts a full name is a surname too where
    that name may be written family name first (it reads as a romanised Korean, Chinese or
    Japanese name: "Kim Jong-un"), and then the reading stays open."""

    def surname_of(group: _Group) -> bool:
        for n in group.names:
            toks = person_tokens(n)
            if len(toks) > 1 and (
                toks[-1] == token or (toks[0] == token and romanisation_languages(n))
            ):
                return True
        return False

    surnames = [g for g in hits if surname_of(g)]
    return surnames or hits


def _best_name(kind: str, names: Counter[str]) -> str:
    """The most complete spelling (more words, not an acronym), then the most frequent."""

    def score(name: str) -> tuple[int, int, int, int]:
        acronym = _is_acronym(name)
        lower = sum(c for n, c in names.items() if n.lower() == name.lower())
        key = normalise_key(kind, name)
        return (0 if acronym else 1, len(key), lower, sum(ch.islower() for ch in name))

    return max(names, key=score)


def _place_word_keys(names: Counter[str]) -> set[tuple[str, ...]]:
    """A place's name keys as word tuples."""
    return {tuple(normalise_key("place", n).split()) for n in names}


def _names_a_part(words: tuple[str, ...]) -> bool:
    """A place's name that starts with a part qualifier ("southern", "downtown", "upper")
    names a part of the place the rest names: another place, not a spelling of it."""
    return bool(words) and words[0] in _PLACE_PART_QUALIFIERS


def same_name_reversed(a: str, b: str) -> bool:
    """Two spellings of a two-part romanised name, family name first and last ("Sato Kenji",
    "Kenji Sato")."""
    ta, tb = person_tokens(a), person_tokens(b)
    return len(ta) == 2 and ta != tb and ta == tb[::-1] and bool(romanisation_languages(a))


def _join_unique_partners(
    groups: list[_Group],
    by_key: dict[tuple[str, str], _Group],
    related: Callable[[str, str], bool],
) -> list[_Group]:
    """Join each person group of a document to the one other group a spelling of it is
    ``related`` to, when that one is related to it alone; a group related to two joins
    neither."""
    people = [g for g in groups if g.kind == "person"]
    fits: dict[int, list[_Group]] = {
        id(g): [
            h for h in people if h is not g and any(related(a, b) for a in g.names for b in h.names)
        ]
        for g in people
    }
    into: dict[int, _Group] = {}
    for g in people:
        mine = fits[id(g)]
        if len(mine) != 1 or len(fits[id(mine[0])]) != 1 or id(mine[0]) in into:
            continue
        into[id(g)] = mine[0]
    return _fold_into(groups, by_key, into)


def _fold_into(
    groups: list[_Group], by_key: dict[tuple[str, str], _Group], into: dict[int, _Group]
) -> list[_Group]:
    """Move the mentions and names of each group keyed in ``into`` (by ``id``) into the group
    it maps to, point its keys there, and return the groups left."""
    if not into:
        return groups
    for g in groups:
        target = into.get(id(g))
        if target is not None:
            target.indices.extend(g.indices)
            target.names.update(g.names)
    for key, g in list(by_key.items()):
        by_key[key] = into.get(id(g), g)
    return [g for g in groups if id(g) not in into]


class EntityResolver:
    """Assigns entity ids to a document's mentions, creating entities and aliases as needed.

    Load once per extraction run (it reads the case's entities and aliases) and call
    ``resolve`` for each document inside the caller's transaction.
    """

    def __init__(self, case: _CaseLike) -> None:
        self.case = case
        self.conn = case.conn
        self.entities: dict[int, _Entity] = {}
        self.by_key: dict[tuple[str, str], set[int]] = defaultdict(set)
        # Indexes that keep partial matching proportional to the candidates, not the case:
        # persons by the first/last token of a full name and by a surname-only name,
        # organisations by acronym letters and by the initials their names could be spelt as.
        self.person_full: dict[str, set[int]] = defaultdict(set)
        # first and last name of every person's spelling ("matthew goode" for "Matthew
        # William Goode" and for "Matthew Goode")
        self.person_first_last: dict[str, set[int]] = defaultdict(set)
        self.person_short: dict[str, set[int]] = defaultdict(set)
        # kind evidence of the mentions this resolver placed (for a caller that writes no
        # facts; the facts are read otherwise)
        self.kind_votes: dict[int, Counter[str]] = defaultdict(Counter)
        # full names with romanisation variants folded ("lee hohyun" for "Lee Ho-hyeon")
        self.person_romanised: dict[str, set[int]] = defaultdict(set)
        self.org_acronyms: dict[str, set[int]] = defaultdict(set)
        self.org_initials: dict[str, set[int]] = defaultdict(set)
        self.place_last: dict[str, set[int]] = defaultdict(set)
        self.org_first: dict[str, set[int]] = defaultdict(set)
        rows = self.conn.execute("SELECT id, kind, name, key, status, attrs FROM entities")
        for ent_id, kind, name, key, status, attrs in rows:
            country = None
            if attrs:
                try:
                    country = json.loads(attrs).get("country")
                except (ValueError, AttributeError):
                    country = None
            ent = _Entity(ent_id, kind, name, key, status, country)
            ent.names[name] += 1
            self.entities[ent_id] = ent
            self.by_key[(kind, key)].add(ent_id)
            # the key as this version spells it (the case may have been keyed by an older one)
            self.by_key[(kind, normalise_key(kind, name))].add(ent_id)
            self._index_name(ent, name)
        for ent_id, alias, key in self.conn.execute("SELECT entity_id, alias, key FROM aliases"):
            owner = self.entities.get(ent_id)
            if owner is not None:
                owner.names[alias] += 1
                self.by_key[(owner.kind, key)].add(ent_id)
                self.by_key[(owner.kind, normalise_key(owner.kind, alias))].add(ent_id)
                self._index_name(owner, alias)
        # Only the mentions that name the entity: a claim's value is its speaker's whole
        # phrase ("Trade Minister X and his aides") and must never become the entity's name.
        for ent_id, value, count in self.conn.execute(
            "SELECT entity_id, value, COUNT(*) FROM facts WHERE entity_id IS NOT NULL "
            "AND kind IN ('person', 'organization', 'place', 'material') "
            "AND status != 'rejected' GROUP BY entity_id, value"
        ):
            owner = self.entities.get(ent_id)
            if owner is not None and value:
                owner.names[value] += count
                self._index_name(owner, value)

    # -- public ------------------------------------------------------------------------------

    def resolve(self, doc_id: int, mentions: list[Mention]) -> list[int | None]:
        """Entity id per mention (None for kinds that are not entities)."""
        self._kinds_in_document(mentions)
        self._kinds_from_case(mentions)
        groups = self._group(mentions)
        result: list[int | None] = [None] * len(mentions)
        for group in groups:
            ent_id = self._place_group(group)
            for i in group.indices:
                result[i] = ent_id
                m = mentions[i]
                if m.kind in _NAMED:
                    self.kind_votes[ent_id][m.kind] += _evidence(m)
        for i, m in enumerate(mentions):
            after = m.attrs.get("parenthesised_after")
            if not after or result[i] is None:
                continue
            for j, other in enumerate(mentions):
                if other.kind == m.kind and other.end <= m.start and other.value == after:
                    a, b = result[i], result[j]
                    if a is not None and b is not None and a != b:
                        self._propose(a, b, 0.6, "written in parentheses after the name")
        return result

    @staticmethod
    def _kinds_in_document(mentions: list[Mention]) -> None:
        """One kind per name in one document: a writer means one thing by one name in one
        text, so mentions of a name read as two kinds (a player the model took for a company
        in a few sentences) all take the kind with the most evidence (weighed as in
        ``_kinds_from_case``; the user's word decides). An even split changes nothing."""
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for m in mentions:
            if m.kind in _NAMED:
                votes[_fold(m.value or m.text)][m.kind] += _evidence(m)
        for name, here in votes.items():
            if len(here) < 2:
                continue
            (winner, best), (_other, second) = here.most_common(2)
            if best == second:
                continue
            for m in mentions:
                if (
                    m.kind in _NAMED
                    and m.kind != winner
                    and m.attrs.get("relabelled") != "user"
                    and _fold(m.value or m.text) == name
                ):
                    m.kind = winner
                    m.attrs["relabelled"] = "document"
                    m.attrs["kind_pass"] = "document"

    def knows_organisation(self, name: str) -> bool:
        """Whether the case holds an organisation under this name's key (one shown to be an
        organisation where it was found, or made so by the user)."""
        key = normalise_key("organization", name)
        return any(self._alive(e) for e in sorted(self.by_key.get(("organization", key), ())))

    def _kinds_from_case(self, mentions: list[Mention]) -> None:
        """One kind per entity across the case. A name of two words or more that the case
        already knows by another kind ("Harrow Optics" a person here, the company of another
        article) is one entity, whose kind is decided from the evidence of all its mentions:
        a context cue (a title, a legal suffix, "shares of", a role in apposition) counts
        three, a rule's kind two, the model's reading of one sentence one, and the user's
        word decides. When this document's evidence outweighs the case's, the entity and all
        its machine facts take this document's kind; otherwise this document's mentions take
        the entity's. Kinds are changed in place, so the facts are written with them.

        A one-word name ("Halvorsen") is decided the same way only when a cue (a context cue
        or a rule's kind) weighs against the model's reading alone: the side that gives way
        holds nothing but the model's readings, and the word is no part of a person's full
        name in this document ("Ford" after "Harrison Ford" stays his), a known place or
        variant ("Korea"), a common given name ("Jack") or a word of the language written in
        small letters too ("Gospel", "Southwest")."""
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        surnames = {
            w
            for m in mentions
            if m.kind == "person" and len((m.value or m.text).split()) > 1
            for w in (m.value or m.text).split()
        }
        for m in mentions:
            name = m.value or m.text
            if (
                m.kind in _NAMED
                and (len(name.split()) >= 2 or _company_like_word(name, surnames))
                and name.lower() not in WELL_KNOWN_PLACES  # "New York" stays a place
            ):
                votes[name][m.kind] += _evidence(m)
        for name, here in votes.items():
            known = {
                kind: alive
                for kind in _NAMED
                if (
                    alive := [
                        e
                        for e in sorted(self.by_key.get((kind, normalise_key(kind, name)), ()))
                        if self._alive(e)
                    ]
                )
            }
            mine = here.most_common(1)[0][0]
            if mine in known or len(known) != 1:
                continue  # the case knows it by this kind already, or not at all, or by two
            ((theirs, ents),) = known.items()
            if len(ents) != 1:
                continue
            ent = ents[0]
            case_votes = self._kind_votes(ent)
            total = case_votes + here
            best = max(total.values())
            winner = theirs if total[theirs] == best else max(total, key=lambda k: total[k])
            if " " not in name:
                mine_weak = all(_evidence(m) == 1 for m in mentions if (m.value or m.text) == name)
                if winner == theirs and not (mine_weak and self._model_only(ent) is False):
                    continue
                if winner != theirs and not (self._model_only(ent) and not mine_weak):
                    continue
            if winner != theirs and not self._retype_entity(ent, winner):
                winner = theirs
            for m in mentions:
                if (m.value or m.text) == name and m.kind != winner and m.kind in _NAMED:
                    if m.attrs.get("relabelled") == "user":
                        continue
                    m.kind = winner
                    m.attrs["relabelled"] = "case"
                    m.attrs["kind_pass"] = "case"

    def _model_only(self, ent_id: int) -> bool:
        """Whether every fact of the entity holds only the model's reading of its sentence (no
        context cue, no rule's kind, nothing the user made or confirmed)."""
        for provenance, cue, relabelled, status in self.conn.execute(
            "SELECT provenance, json_extract(attrs, '$.cue'), json_extract(attrs, "
            "'$.relabelled'), status FROM facts WHERE entity_id = ? "
            "AND kind IN ('person', 'organization', 'place') AND status != 'rejected'",
            (ent_id,),
        ):
            if (
                status != "extracted"
                or cue
                or relabelled
                or not str(provenance).startswith("model:")
            ):
                return False
        return True

    def _kind_votes(self, ent_id: int) -> Counter[str]:
        """The kind evidence of an entity's facts so far (see ``_kinds_from_case``)."""
        votes: Counter[str] = Counter()
        for kind, provenance, cue, relabelled, status, count in self.conn.execute(
            "SELECT kind, provenance, json_extract(attrs, '$.cue'), "
            "json_extract(attrs, '$.relabelled'), status, COUNT(*) FROM facts "
            "WHERE entity_id = ? AND kind IN ('person', 'organization', 'place') "
            "AND status != 'rejected' GROUP BY 1, 2, 3, 4, 5",
            (ent_id,),
        ):
            if status != "extracted" or relabelled == "user":
                weight = _USER_WEIGHT
            else:
                weight = _weight(kind, str(provenance or ""), cue, relabelled)
            votes[str(kind)] += weight * int(count)
        if not votes:
            votes = Counter(self.kind_votes.get(ent_id) or {self.entities[ent_id].kind: 1})
        return votes

    def _retype_entity(self, ent_id: int, kind: str) -> bool:
        """Give a machine-made entity and its machine facts another kind (never one the user
        named, typed or bound by a decision). Returns whether it was done."""
        ent = self.entities.get(ent_id)
        if ent is None or ent.status != "extracted":
            return False
        if self.conn.execute(
            "SELECT 1 FROM corrections WHERE entity_id = ? AND revoked_at IS NULL", (ent_id,)
        ).fetchone():
            return False
        old = ent.kind
        for name in ent.names:
            self.by_key.get((old, normalise_key(old, name)), set()).discard(ent_id)
        ent.kind = kind
        ent.key = normalise_key(kind, ent.name)
        self.conn.execute(
            "UPDATE entities SET kind = ?, key = ? WHERE id = ?", (kind, ent.key, ent_id)
        )
        self.conn.execute(
            "UPDATE facts SET kind = ?, attrs = json_set(coalesce(attrs, '{}'), "
            "'$.kind_pass', 'case', '$.relabelled', 'case') WHERE entity_id = ? "
            "AND status = 'extracted' AND kind IN ('person', 'organization', 'place')",
            (kind, ent_id),
        )
        for (alias,) in self.conn.execute(
            "SELECT alias FROM aliases WHERE entity_id = ?", (ent_id,)
        ).fetchall():
            self.conn.execute(
                "UPDATE aliases SET key = ? WHERE entity_id = ? AND alias = ?",
                (normalise_key(kind, alias), ent_id, alias),
            )
        for name in ent.names:
            self.by_key[(kind, normalise_key(kind, name))].add(ent_id)
            self._index_name(ent, name)
        return True

    # -- within one document -----------------------------------------------------------------

    def _group(self, mentions: list[Mention]) -> list[_Group]:
        groups: list[_Group] = []
        by_key: dict[tuple[str, str], _Group] = {}
        pending_short: list[int] = []
        pending_acronyms: list[int] = []
        pending_short_orgs: list[int] = []
        for i, m in enumerate(mentions):
            if m.kind not in ENTITY_KINDS:
                continue
            name = m.value or m.text
            if m.kind == "person" and len(person_tokens(name)) == 1:
                pending_short.append(i)
                continue
            if m.kind == "organization" and (_is_acronym(name) or m.attrs.get("acronym_of")):
                pending_acronyms.append(i)
                continue
            if (
                m.kind == "organization"
                and len(_fold(name).split()) == 1
                and not m.attrs.get("country")
                and not m.attrs.get("alias_of")
            ):
                pending_short_orgs.append(i)
                continue
            target = m.attrs.get("alias_of")
            key = normalise_key(m.kind, str(target) if target else name)
            country = m.attrs.get("country")
            group = by_key.get((m.kind, key))
            if group is not None and not countries_compatible(group.country, country):
                key = f"{key}@{country}"
                group = by_key.get((m.kind, key))
            if group is None:
                group = _Group(m.kind, country=str(country) if country else None)
                groups.append(group)
                by_key[(m.kind, key)] = group
            elif country and not group.country:
                group.country = str(country)
            group.indices.append(i)
            group.names[name] += 1
        for i in pending_acronyms:
            m = mentions[i]
            name = m.value or m.text
            expansion = m.attrs.get("acronym_of")
            group = None
            if expansion:
                group = by_key.get(("organization", normalise_key("organization", expansion)))
            if group is None:
                hits = [
                    g
                    for (kind, _key), g in by_key.items()
                    if kind == "organization"
                    and any(acronym_matches(name, n) for n in g.names if not _is_acronym(n))
                ]
                group = hits[0] if len(hits) == 1 else None
            if group is None:
                group = by_key.get(("organization", normalise_key("organization", name)))
            if group is None:
                group = _Group("organization")
                groups.append(group)
                by_key[("organization", normalise_key("organization", name))] = group
            group.indices.append(i)
            group.names[name] += 1
        for i in pending_short_orgs:
            # "Infineon said" after "Infineon Technologies": the one organisation it starts
            m = mentions[i]
            name = m.value or m.text
            word = _org_words(name)[0]
            org_hits = list(
                {
                    id(g): g
                    for (kind, _key), g in by_key.items()
                    if kind == "organization"
                    and any(len(words := _org_words(n)) > 1 and words[0] == word for n in g.names)
                }.values()
            )
            short_key = ("organization", normalise_key("organization", name))
            tail_hits = [] if org_hits else self._org_tail_hits(word, by_key)
            if short_key in by_key:
                # "Norvik" beside "Norvik Holdings" and "Norvik Bank": the group as a whole
                group = by_key[short_key]
            elif len(org_hits) == 1:
                group = org_hits[0]
            elif len(tail_hits) == 1:
                group = tail_hits[0]
            else:
                group = by_key.get(short_key) or _Group("organization")
                if short_key not in by_key:
                    groups.append(group)
                    by_key[short_key] = group
            group.indices.append(i)
            group.names[name] += 1
        groups = self._join_middle_name_spellings(groups, by_key)
        groups = self._join_given_name_variants(groups, by_key)
        groups = self._join_reversed_names(groups, by_key)
        groups = self._join_unnumbered_names(groups, by_key, mentions)
        for i in pending_short:
            m = mentions[i]
            name = m.value or m.text
            token = person_tokens(name)[0] if person_tokens(name) else ""
            hits = [
                g
                for (kind, _key), g in by_key.items()
                if kind == "person"
                and any(
                    len(toks := person_tokens(n)) > 1 and token in (toks[0], toks[-1])
                    for n in g.names
                )
            ]
            hits = list({id(g): g for g in hits}.values())
            if len(hits) > 1:
                hits = _surname_readings(hits, token)
            if len(hits) > 1:
                hits = _first_introduced(hits, token, i, mentions)
            if (
                len(hits) == 1
                and any(generation(n) for n in hits[0].names)
                and min(mentions[j].start for j in hits[0].indices) > m.start
            ):
                hits = []  # "Tamas" written before "Shah Tamas II" is named: an earlier bearer
            if len(hits) == 1:
                group = hits[0]
            else:
                short_key = ("person", normalise_key("person", name))
                group = by_key.get(short_key) or _Group("person")
                if short_key not in by_key:
                    groups.append(group)
                    by_key[short_key] = group
            group.indices.append(i)
            group.names[name] += 1
        return groups

    @staticmethod
    def _org_tail_hits(word: str, by_key: dict[tuple[str, str], _Group]) -> list[_Group]:
        """The organisations of the document whose name ends in ``word``, for a one-word
        name that starts none ("Velmarism" after "Church of Velmarism"): a writer shortens a
        name to the word that tells it apart. Not a head word that names a kind of body
        ("Court", "Party": the short-form pass decides those), nor a country or city, which
        may act in its own name ("India" beside "Government of India")."""
        if word in ORG_HEADS or word in WELL_KNOWN_PLACES or PLACE_VARIANTS.get(word):
            return []
        hits = {
            id(g): g
            for (kind, _key), g in by_key.items()
            if kind == "organization"
            and any(
                len(words := _org_words(n)) > 1 and words[-1] == word
                for n in g.names
                if not _is_acronym(n)
            )
        }
        return list(hits.values())

    @staticmethod
    def _join_given_name_variants(
        groups: list[_Group], by_key: dict[tuple[str, str], _Group]
    ) -> list[_Group]:
        """One person written with a given name and its usual short form in one document
        ("William Tarrant", later "Bill Tarrant"): a spelling that fits exactly one other
        person of the document joins it; one that fits two ("Bill" beside William and Robert
        Tarrant) joins neither."""
        return _join_unique_partners(groups, by_key, given_name_variant)

    @staticmethod
    def _join_unnumbered_names(
        groups: list[_Group], by_key: dict[tuple[str, str], _Group], mentions: list[Mention]
    ) -> list[_Group]:
        """ "Carl Dunmore Jr." and later "Carl Dunmore" in one document: the full name without
        a generational suffix or regnal number, written after the one bearer of that name
        with one, joins it; beside two ("Jr." and "Sr.") it joins neither."""
        numbered: dict[tuple[str, ...], list[_Group]] = defaultdict(list)
        plain: dict[tuple[str, ...], list[_Group]] = defaultdict(list)
        for g in groups:
            if g.kind != "person":
                continue
            for n in g.names:
                toks = tuple(person_tokens(n))
                gen = generation(n)
                if gen and toks and toks[-1] == gen:
                    toks = toks[:-1]
                if len(toks) < 2:
                    continue
                bucket = numbered if gen else plain
                if all(h is not g for h in bucket[toks]):
                    bucket[toks].append(g)
        into: dict[int, _Group] = {}
        for toks, bearers in numbered.items():
            if len(bearers) != 1:
                continue
            bearer = bearers[0]
            named = min(mentions[j].start for j in bearer.indices)
            for g in plain.get(toks, []):
                # written before the numbered name is: an earlier bearer ("Shah Tamas", then
                # "Shah Tamas II")
                if (
                    g is not bearer
                    and id(bearer) not in into
                    and min(mentions[j].start for j in g.indices) > named
                ):
                    into[id(g)] = bearer
        return _fold_into(groups, by_key, into)

    @staticmethod
    def _join_reversed_names(
        groups: list[_Group], by_key: dict[tuple[str, str], _Group]
    ) -> list[_Group]:
        """A romanised Korean, Chinese or Japanese name written in both orders in one document
        ("Sato Kenji", "Kenji Sato"), as a biography gives the family name first and then in
        the English order, is one person; a name of no such system ("Ross Stuart", "Stuart
        Ross") may be two people and stays two."""
        return _join_unique_partners(groups, by_key, same_name_reversed)

    @staticmethod
    def _join_middle_name_spellings(
        groups: list[_Group], by_key: dict[tuple[str, str], _Group]
    ) -> list[_Group]:
        """One person written with and without middle names or initials in one document
        ("Matthew William Goode", then "Matthew Goode") is one group; a spelling that fits two
        people who do not fit each other joins neither."""
        people = [g for g in groups if g.kind == "person"]
        into: dict[int, _Group] = {}
        for g in people:
            fits = [
                h
                for h in people
                if h is not g and any(same_person_spelling(a, b) for a in g.names for b in h.names)
            ]
            if not fits:
                continue
            longest = max(fits + [g], key=lambda x: max(len(person_tokens(n)) for n in x.names))
            # every full spelling of the candidates must fit the longest one
            agree = all(
                person_tokens(a) == person_tokens(b) or same_person_spelling(a, b)
                for h in fits + [g]
                for a in h.names
                for b in longest.names
                if len(person_tokens(a)) > 1 and len(person_tokens(b)) > 1
            )
            if agree and g is not longest:
                into[id(g)] = longest
        if not into:
            return groups
        for g in groups:
            target = into.get(id(g))
            if target is None:
                continue
            while id(target) in into:
                target = into[id(target)]
            target.indices.extend(g.indices)
            target.names.update(g.names)
        for key, g in list(by_key.items()):
            target = g
            while id(target) in into:
                target = into[id(target)]
            by_key[key] = target
        return [g for g in groups if id(g) not in into]

    # -- across the case -----------------------------------------------------------------------

    def _place_group(self, group: _Group) -> int:
        kind = group.kind
        names = list(group.names)
        if kind == "person" and any(len(person_tokens(n)) > 1 for n in names):
            # A bare surname is only evidence inside its document: across the case, "Kim"
            # may be any Kim, so only the full names are looked up.
            names = [n for n in names if len(person_tokens(n)) > 1]
        elif kind == "organization" and any(len(_org_words(n)) > 1 for n in names):
            # likewise a company's short name ("Hyundai" may be any Hyundai)
            names = [n for n in names if len(_org_words(n)) > 1 or _is_acronym(n)]
        elif kind == "place":
            names = [" ".join(k) for k in _place_word_keys(group.names)]
        keys = {normalise_key(kind, n) for n in names}
        found: set[int] = set()
        numbered_apart: set[int] = set()
        for key in keys:
            found |= self.by_key.get((kind, key), set())
        if kind == "person":
            # "Matthew William Goode" is the "Matthew Goode" of another document
            for n in names:
                toks = person_tokens(n)
                if len(toks) > 1:
                    found |= {
                        e
                        for e in self.person_first_last.get(toks[0] + " " + toks[-1], set())
                        if self._has_first_and_last(e, toks[0], toks[-1])
                    }
        found = {e for e in found if self._alive(e)}
        if kind == "organization" and all(len(_org_words(n)) == 1 for n in names):
            # "Church" was "the Church of Velmarism" in another article: the kind of body
            # written before "of", not a name; it says nothing across documents
            heads = {_org_words(n)[0] for n in names}
            found = {e for e in found if not self._names_kind_of_body(e, heads)}
        if kind == "person":
            # ... but not a "Matthew J. Goode" whose middle names do not fit
            found = {e for e in found if not self._middles_conflict(names, e)}
            # ... nor a "Carl Dunmore Sr." for a "Carl Dunmore Jr.", and a name without its
            # suffix or number is only proposed as its bearer ("Shah Tamas", "Shah Tamas II")
            mine = _generations(names)
            numbered_apart = {e for e in found if _generations(self.entities[e].names) != mine}
            found -= numbered_apart
        pool = sorted(
            e for e in found if countries_compatible(self.entities[e].country, group.country)
        )
        proposals: list[tuple[int, float, str]] = [
            (e, 0.5, "the same name with and without a generational suffix or number")
            for e in sorted(numbered_apart)
            if self._alive(e)
            if not (_generations(names) and _generations(self.entities[e].names))
        ]
        chosen: int | None = None
        if pool:
            # An entity whose own name has the key beats one that only has it as an alias
            # ("Abe" the surname-only entity, not "Shinzo Abe" who was also called "Abe").
            canonical = [e for e in pool if self.entities[e].key in keys] or pool
            exact = [e for e in canonical if self.entities[e].country == group.country]
            known = [e for e in canonical if self.entities[e].country] if group.country else []
            if len(canonical) == 1:
                chosen = canonical[0]
            elif len(exact) == 1:
                chosen = exact[0]
            elif len(known) == 1:
                chosen = known[0]  # "Korean ministry": the South Korean one, not the unknown
            reason = (
                "same name, different or missing country"
                if kind == "organization"
                else ("same name as several entities")
            )
            proposals += [(e, 0.8, reason) for e in pool if e != chosen]
        else:
            chosen, partial = self._match_partial(group)
            proposals += partial
        if chosen is None:
            chosen = self._create(group)
        for name, count in group.names.items():
            self._add_alias(chosen, name, count)
        if group.country and self.entities[chosen].country is None:
            self._set_country(chosen, group.country)
        self._update_name(chosen)
        for other, score, reason in proposals:
            self._propose(chosen, other, score, reason)
        self._propose_partials(chosen)
        return chosen

    def _names_kind_of_body(self, entity: int, heads: set[str]) -> bool:
        """One of these words is, for the entity, the kind of body its name starts with
        ("church" for "Church of Velmarism")."""
        for n in self.entities[entity].names:
            words = _org_words(n)
            if len(words) > 2 and words[0] in heads and words[1] in ("of", "for", "on"):
                return True
        return False

    def _has_first_and_last(self, entity: int, first: str, last: str) -> bool:
        """The entity (still) has a person's spelling with this first and last name (an id
        SQLite gave again to a new entity is not the person indexed under it)."""
        ent = self.entities.get(entity)
        return (
            ent is not None
            and ent.kind == "person"
            and any(
                len(t := person_tokens(n)) > 1 and t[0] == first and t[-1] == last
                for n in ent.names
            )
        )

    def _middles_conflict(self, names: list[str], entity: int) -> bool:
        """A spelling of ours and one of the entity's share first and last name but not
        their middle names ("John A. Smith", "John B. Smith")."""
        for a in names:
            ta = person_tokens(a)
            for b in self.entities[entity].names:
                tb = person_tokens(b)
                if (
                    len(ta) > 2
                    and len(tb) > 2
                    and ta[0] == tb[0]
                    and ta[-1] == tb[-1]
                    and ta != tb
                    and not same_person_spelling(a, b)
                ):
                    return True
        return False

    def _match_partial(self, group: _Group) -> tuple[int | None, list[tuple[int, float, str]]]:
        """Acronym ↔ expansion across documents: a unique match of three letters or more
        merges; several matches, or a two-letter acronym, are proposed."""
        if group.kind != "organization":
            return None, []
        names = list(group.names)
        candidates: set[int] = set()
        for mine in names:
            if _is_acronym(mine):
                candidates |= self.org_initials.get(_acronym_letters(mine), set())
            else:
                for variant in initials_variants(mine):
                    candidates |= self.org_acronyms.get(variant, set())
        hits = {
            e
            for e in candidates
            if e in self.entities
            and countries_compatible(self.entities[e].country, group.country)
            and any(_acronym_pair(a, b) for a in names for b in self.entities[e].names)
            and self._alive(e)
        }
        if not hits:
            return None, []
        short = min(len(n) for n in names + [n for e in hits for n in self.entities[e].names])
        if len(hits) == 1 and short >= 3:
            return next(iter(hits)), []
        return None, [(e, 0.6, "acronym matches the initials") for e in sorted(hits)]

    def _propose_partials(self, ent_id: int) -> None:
        """A person known by surname only and a full name ending or starting with it; a place
        whose name ends another's ("Korea": "South Korea"? "North Korea"?)."""
        ent = self.entities[ent_id]
        if ent.kind == "place":
            self._propose_place_partials(ent)
            return
        if ent.kind == "organization":
            self._propose_org_partials(ent)
            return
        if ent.kind != "person":
            return
        tokens = [person_tokens(n) for n in ent.names]
        full = [t for t in tokens if len(t) > 1]
        if full:
            ends = {t[0] for t in full} | {t[-1] for t in full}
            others = set().union(*(self.person_short.get(t, set()) for t in ends))
        else:
            shorts = {t[0] for t in tokens if len(t) == 1}
            others = set().union(*(self.person_full.get(t, set()) for t in shorts))
        for other in sorted(others - {ent_id}):
            if other not in self.entities or not self._alive(other):
                continue
            other_full = any(len(person_tokens(n)) > 1 for n in self.entities[other].names)
            # only a surname-only entity against one with a full name
            if bool(full) != other_full:
                self._propose(ent_id, other, 0.7, "surname matches a full name")
        # "Lee Ho-hyeon" and "Lee Ho-hyun": one name in two romanisation systems, maybe
        romanised = {romanised_key(n) for n in ent.names if len(person_tokens(n)) > 1}
        for other in sorted(set().union(*(self.person_romanised.get(k, set()) for k in romanised))):
            if other == ent_id or other not in self.entities:
                continue
            if any(
                same_name_other_romanisation(a, b)
                for a in ent.names
                for b in self.entities[other].names
            ) and self._alive(other):
                self._propose(ent_id, other, 0.6, "same name in another romanisation")
        # "Larry Quinlan" and "Lawrence Quinlan": a given name's usual short form, maybe
        for t in full:
            for given in sorted(variants(t[0])):
                for other in sorted(self.person_first_last.get(given + " " + t[-1], set())):
                    if (
                        other != ent_id
                        and other in self.entities
                        and any(
                            given_name_variant(a, b)
                            for a in ent.names
                            for b in self.entities[other].names
                        )
                        and self._alive(other)
                    ):
                        self._propose(
                            ent_id, other, 0.7, "a given name is the other's usual short form"
                        )
        # "Abe Shinzo" and "Shinzo Abe": family name first or last, depending on the source
        flipped = {(b, a) for t in full for a, b in _name_halves(t)}
        candidates = set().union(*(self.person_full.get(b, set()) for _a, b in flipped))
        for other in sorted(candidates - {ent_id}):
            if other not in self.entities:
                continue
            halves = {
                pair for n in self.entities[other].names for pair in _name_halves(person_tokens(n))
            }
            same_order = {(b, a) for a, b in flipped}
            if halves & flipped and not halves & same_order and self._alive(other):
                self._propose(ent_id, other, 0.8, "same name in the other order")

    def _propose_org_partials(self, ent: _Entity) -> None:
        """ "Samsung" and "Samsung Electronics": one name is the start of the other."""
        mine = {tuple(_org_words(n)) for n in ent.names if not _is_acronym(n)}
        firsts = {words[0] for words in mine if words}
        for other in sorted(set().union(*(self.org_first.get(w, set()) for w in firsts))):
            if other == ent.id or other not in self.entities:
                continue
            theirs = {
                tuple(_org_words(n)) for n in self.entities[other].names if not _is_acronym(n)
            }
            if not countries_compatible(ent.country, self.entities[other].country):
                continue
            if any(
                len(a) != len(b) and (a[: len(b)] == b or b[: len(a)] == a)
                for a in mine
                for b in theirs
                if a and b
            ) and self._alive(other):
                self._propose(ent.id, other, 0.5, "one name is the start of the other")

    def _propose_place_partials(self, ent: _Entity) -> None:
        mine = _place_word_keys(ent.names)
        lasts = {words[-1] for words in mine if words}
        for other in sorted(set().union(*(self.place_last.get(w, set()) for w in lasts))):
            if other == ent.id or other not in self.entities:
                continue
            theirs = _place_word_keys(self.entities[other].names)
            if mine & theirs:
                continue
            if any(
                len(a) != len(b)
                and (a[-len(b) :] == b or b[-len(a) :] == a)
                and not _names_a_part(a if len(a) > len(b) else b)
                for a in mine
                for b in theirs
                if a and b
            ) and self._alive(other):
                self._propose(ent.id, other, 0.5, "one place name ends the other")

    def _index_name(self, ent: _Entity, name: str) -> None:
        if ent.kind == "person":
            toks = person_tokens(name)
            if len(toks) == 1:
                self.person_short[toks[0]].add(ent.id)
            elif toks:
                self.person_full[toks[0]].add(ent.id)
                self.person_full[toks[-1]].add(ent.id)
                self.person_first_last[toks[0] + " " + toks[-1]].add(ent.id)
                self.person_romanised[romanised_key(name)].add(ent.id)
        elif ent.kind == "place":
            words = normalise_key("place", name).split()
            if words:
                self.place_last[words[-1]].add(ent.id)
        elif ent.kind == "organization":
            words = _org_words(name)
            if words:
                self.org_first[words[0]].add(ent.id)
            if _is_acronym(name):
                self.org_acronyms[_acronym_letters(name)].add(ent.id)
            else:
                for variant in initials_variants(name):
                    self.org_initials[variant].add(ent.id)

    def _alive(self, ent_id: int) -> bool:
        """Whether the entity is still in the case (extraction deletes entities no fact
        refers to any more, and the user may merge or delete them); forget it if not."""
        row = self.conn.execute("SELECT 1 FROM entities WHERE id = ?", (ent_id,)).fetchone()
        if row is not None:
            return True
        ent = self.entities.pop(ent_id, None)
        if ent is not None:
            for ids in self.by_key.values():
                ids.discard(ent_id)
        return False

    # -- writing -------------------------------------------------------------------------------

    def _create(self, group: _Group) -> int:
        name = group.best_name()
        key = normalise_key(group.kind, name)
        attrs = json.dumps({"country": group.country}) if group.country else None
        cur = self.conn.execute(
            "INSERT INTO entities(kind, name, key, attrs) VALUES (?, ?, ?, ?)",
            (group.kind, name, key, attrs),
        )
        ent_id = int(cur.lastrowid or 0)
        ent = _Entity(ent_id, group.kind, name, key, "extracted", group.country)
        self.entities[ent_id] = ent
        self.by_key[(group.kind, key)].add(ent_id)
        self._index_name(ent, name)
        return ent_id

    def _add_alias(self, ent_id: int, name: str, count: int) -> None:
        ent = self.entities[ent_id]
        key = normalise_key(ent.kind, name)
        if name not in ent.names:
            self.conn.execute(
                "INSERT OR IGNORE INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                (ent_id, name, key),
            )
        ent.names[name] += count
        self.by_key[(ent.kind, key)].add(ent_id)
        self._index_name(ent, name)

    def _set_country(self, ent_id: int, country: str) -> None:
        ent = self.entities[ent_id]
        ent.country = country
        row = self.conn.execute("SELECT attrs FROM entities WHERE id = ?", (ent_id,)).fetchone()
        attrs = json.loads(row[0]) if row and row[0] else {}
        attrs["country"] = country
        self.conn.execute("UPDATE entities SET attrs = ? WHERE id = ?", (json.dumps(attrs), ent_id))

    def _update_name(self, ent_id: int) -> None:
        """Keep the most complete spelling as the name, unless the user set it."""
        ent = self.entities[ent_id]
        if ent.status in ("confirmed", "manual"):
            return
        best = _best_name(ent.kind, ent.names)
        if best != ent.name:
            self.conn.execute(
                "UPDATE entities SET name = ?, key = ? WHERE id = ?",
                (best, normalise_key(ent.kind, best), ent_id),
            )
            # the old name stays findable as an alias
            self.conn.execute(
                "INSERT OR IGNORE INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                (ent_id, ent.name, ent.key),
            )
            ent.name = best
            ent.key = normalise_key(ent.kind, best)
            self.by_key[(ent.kind, ent.key)].add(ent_id)

    def _propose(self, a: int, b: int, score: float, reason: str) -> None:
        lo, hi = sorted((a, b))
        self.conn.execute(
            "INSERT OR IGNORE INTO merge_proposals(entity_a, entity_b, score, reason) "
            "VALUES (?, ?, ?, ?)",
            (lo, hi, score, reason),
        )
