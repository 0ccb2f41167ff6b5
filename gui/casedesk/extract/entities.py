"""People, organisations, places and materials in one parsed document.

The statistical model (spaCy ``en_core_web_sm``) finds most names; rules correct what it gets
wrong on news text and add what it cannot know:

* spans are trimmed (leading "the", possessive "'s", quotes, anything past a line break);
* Korean-style hyphenated given names cut short by the model are extended ("Moon Jae" + "-in");
* an acronym in parentheses after a name becomes a mention of the same kind, linked to it;
* a name in parentheses right after a person's name is an alternative spelling of that person;
* nationality, religious and political group words (spaCy NORP: "Japanese", "South Korean",
  "Muslims") are not entities: they qualify something else, and the country they refer to is
  named as well where it matters; in front of a ministry ("Korean Ministry of ...") the country
  is kept as the organisation's ``country``; news agencies the model calls NORP ("Yonhap") come
  from the institutions list;
* ORG spans that only modify a title ("Economy, Trade and Industry Minister X") are dropped;
* a proper noun coordinated with organisations ("Samsung, SK, LG and Lotte groups") is one;
* materials come from a grammar ``<modifier>* <head>`` over a chemistry and commodity word
  list, from commodity names of several words ("liquefied natural gas", "iron ore fines",
  "lump ore"), and from morphology: drug substances by their INN stems ("valsartan",
  "atorvastatin") and organic compounds by their systematic names ("dimethylformamide");
  words that are also everyday words ("oil", "gas") only where the sentence trades, makes or
  prices them; an abbreviation in parentheses after a material names it wherever it recurs.

The model types each occurrence of a name on its own; a writer means one thing by one name in
one article. So a name takes the kind its clearest context shows (a company title or
descriptor, a role in apposition, a place noun), and every occurrence follows; the brand that
starts a company's name names the company alone; a surname, an abbreviation or a company's
name the model missed somewhere is found again wherever it recurs; an abbreviation in
parentheses says where a name cut short starts; in a list of places a name read as a person
is a place. All of these are general rules of news English, not lists of names.

The model labels terms of a field, works, products and grape varieties ORG about as often as
it finds real organisations that nothing marks; a name only it calls an organisation stays one
only where the document shows it is (``_shown_organisations``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from casedesk.extract.gazetteer import town_population, us_state_codes
from casedesk.extract.given_names import given_names
from casedesk.extract.lexicon import table
from casedesk.extract.lexicon import words as _lexicon
from casedesk.extract.lexicon_materials import (
    CHEMICAL_MODIFIERS,
    CHEMICAL_NAME,
    COMMODITY_HEADS,
    CONTEXT_HEADS,
    DEPENDENT_HEADS,
    DRUG_ENDINGS,
    ELEMENTS,
    GENERIC_WORDS,
    GRADE_MODIFIERS,
    MATERIAL_ACRONYMS,
    MATERIAL_FORM_HEADS,
    MULTIWORD_MATERIALS,
    ORE_FORMS,
    STANDALONE_HEADS,
)
from casedesk.extract.lexicon_names import (
    COMPANY_DESCRIPTORS,
    COMPANY_WORDS,
    CORPORATE_SUFFIXES,
    CORPORATE_TITLES,
    DEMONYMS,
    HONORIFICS,
    INSTITUTIONS,
    NAME_TITLES,
    NUMBERED_PLACE_WORDS,
    ORG_HEADS,
    PERSON_NOUNS,
    PERSON_ROLE_NOUNS,
    PLACE_HEADS,
    PLACE_NOUNS_AFTER,
    PLACE_NOUNS_BEFORE,
    PLACE_POSSESSIONS,
    PLACE_PREDICATE_NOUNS,
    PLACE_VARIANTS,
    PORTFOLIO_WORDS,
    PUBLIC_BODY_HEADS,
    ROYAL_TITLES,
    TITLE_NOUNS,
    US_STATE_ABBREVIATIONS,
    WELL_KNOWN_PLACES,
)
from casedesk.extract.model import Mention
from casedesk.extract.nlp import MODEL_NAME


def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


CURRENCY_CODES = _lexicon("currency_codes", lower=False)
LABEL_KIND = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
ENTITY_KINDS = ("person", "organization", "place", "material")
MODEL_PROVENANCE = f"model:{MODEL_NAME}"

_QUOTES = "\"'“”‘’«»„`"
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]*[A-Z]$|^[A-Z]{2,}s?$")
_AFFIXED = re.compile(r"^(?:anti|pro|non|ex|post|pre|neo)-", re.I)
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")


# -- model mentions --------------------------------------------------------------------------


def _model_mention(doc: Doc, ent: Span, kind: str) -> Mention | None:
    start, end = _trim(doc, ent.start, ent.end)
    if start >= end:
        return None
    if end - start >= 3 and doc[end - 2].text == "-" and doc[end - 1].lower_ in _NOT_SYLLABLES:
        end -= 2  # "Biden-era": the model took the compound's second half into the name
    if (
        end - start > 1
        and doc[start].is_title
        and doc[start + 1].is_title
        and (doc[start].lower_ in COMPANY_DESCRIPTORS or doc[start].lower_.endswith("maker"))
    ):
        start += 1  # "Chipmaker Veltra" in a headline: the descriptor is not the name
        kind = "organization"
    if (
        kind != "person"
        and end - start > 1
        and doc[start].is_title
        and doc[start].lower_.rstrip(".") in _ROYAL_AND_HONORIFIC
        and all(t.is_title for t in doc[start + 1 : end])
        and doc[end - 1].lower_ not in ORG_HEADS | COMPANY_WORDS
    ):
        kind = "person"  # "Prince Norodom Ranariddh" tagged as an organisation
    if ent.label_ == "PERSON" or kind == "person":
        end = _extend_hyphenated(doc, start, end)
        # "King Hussein", "Dr. Hazel Moore": the title is not part of the name
        while (
            end - start > 1
            and doc[start].is_title
            and doc[start].lower_.rstrip(".") in NAME_TITLES | _ROYAL_AND_HONORIFIC
            and doc[start + 1].is_title
            and doc[end - 1].lower_ not in ORG_HEADS | COMPANY_WORDS
        ):
            start += 1
            if doc[start].text == ".":
                start += 1
    if (
        start >= 2
        and doc[start - 1].lower_ == "of"
        and doc[start - 2].text in _PLACE_OF
        and end - start <= 2
        and kind in ("place", "organization")
    ):
        start -= 2  # "the Port of Liverpool", "the Gulf of Aden"
        kind = "place"
    if (
        kind == "place"
        and end - start == 1
        and doc[start].lower_ in _NAMES_WITH_ARTICLE
        and start > 0
        and doc[start - 1].lower_ == "the"
    ):
        start -= 1  # "The Hague"
    qualifier = None
    if kind == "organization" and doc[end - 1].lower_ in ORG_HEADS:
        end = _org_tail(doc, end)
    if kind == "organization":
        start, qualifier = _strip_demonym(doc, start, end)
    span = doc[start:end]
    text = span.text
    if not _LATIN.search(text) or not any(ch.isupper() for ch in text):
        return None  # debris in another script, or a single lowercase word
    if _AFFIXED.match(text) or (
        start >= 2
        and doc[start - 1].text == "-"
        and not doc[start - 2].whitespace_
        and not doc[start - 1].whitespace_
        and _AFFIXED.match(doc[start - 2].text + "-")
    ):
        return None  # "anti-Castro", "pro-Beijing": an attitude, not a name
    if kind == "organization" and _is_title_modifier(doc, span):
        return None
    if kind == "organization" and all(t.lower_ in ORG_HEADS or t.is_punct for t in span):
        return None  # "the Ministry", "Cabinet": a reference, not a name
    if kind != "person" and _is_byline(doc, span):
        kind = "person"
    if (
        kind in ("person", "place")
        and len(span) > 1
        and span[-1].lower_.rstrip(".") in ORG_HEADS | COMPANY_WORDS
        and span[-1].is_title
        and not (kind == "place" and span[-1].lower_ == "union")  # "Soviet Union"
    ):
        kind = "organization"  # "Infineon Technologies", "Harbour Ports" tagged PERSON
    if kind in ("person", "place") and _head_before_complement(span) in ORG_HEADS:
        kind = "organization"  # "Society for Applied Acoustics" tagged as a place
    if (
        kind == "person"
        and len(span) > 1
        and span[-1].is_title
        and span[-1].lower_.rstrip(".") in PLACE_HEADS - _SURNAME_PLACE_HEADS
    ):
        kind = "place"  # "Ostrava Cathedral", "Ferring Blvd" tagged PERSON
    if _currency_beside_amount(doc, span):
        return None  # "225 DKK", "USD 40": a currency
    if kind == "person" and len(span) == 1 and span[0].text.isupper() and len(span[0]) <= 3:
        return None  # "US" tagged as a person
    attrs: dict[str, object] = {"label": ent.label_}
    if qualifier:
        attrs["country"] = qualifier
    return Mention(
        kind=kind,
        start=span.start_char,
        end=span.end_char,
        text=text,
        value=normalise_name(text),
        provenance=MODEL_PROVENANCE,
        attrs=attrs,
    )


def _head_before_complement(span: Span) -> str:
    """The head word of a name with a complement, the capitalised word before its first "of",
    "for" or "on" ("Society" in "Society for Applied Acoustics"); "" for a name without one."""
    for i in range(1, len(span) - 1):
        if span[i].lower_ in ("of", "for", "on") and span[i].is_lower:
            return span[i - 1].lower_ if span[i - 1].is_title else ""
    return ""


# Place heads that are also common English family names ("Arsenio Hall", "Maya Park").
_SURNAME_PLACE_HEADS = _words_of(
    "hall lane hill hills park castle temple chapel forest beach tower bay drive springs moss "
    "street"
)
_CODE_LIKE = re.compile(r"\b[A-Z]{3}\b")


def _currencies_in_use(doc: Doc) -> frozenset[str]:
    """ISO 4217 codes the document writes beside an amount ("225 DKK", "USD 40")."""
    cached = doc.user_data.get("casedesk_currencies")
    if cached is None:
        found = set()
        written = set(_CODE_LIKE.findall(doc.text)) & CURRENCY_CODES
        for tok in doc if written else ():
            if tok.text in written and (
                (tok.i > 0 and doc[tok.i - 1].like_num)
                or (tok.i + 1 < len(doc) and doc[tok.i + 1].like_num)
            ):
                found.add(tok.text)
        cached = doc.user_data["casedesk_currencies"] = frozenset(found)
    return cached


def _currency_beside_amount(doc: Doc, span: Span) -> bool:
    """A currency code the document writes beside an amount: a currency wherever it stands
    ("... 225 DKK per hour ... prices in DKK")."""
    return len(span) == 1 and span[0].text in _currencies_in_use(doc)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop what is not part of the name: articles, possessives, quotes, past a line break."""
    for i in range(start, end):
        if _possessive_plural(doc, i, end):
            continue  # "Manufacturers' Association": an apostrophe inside the name
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_ or doc[i].text in _QUOTES + "([":
            end = i if doc[i].text in _QUOTES + "([" or "\n" in doc[i].text else i + 1
            break
    while start < end and (
        (doc[start].lower_ in ("the", "a", "an") and not _article_in_name(doc, start, end))
        or doc[start].text in _QUOTES
        or doc[start].is_punct
        or doc[start].is_space
        # "institute Shenzhen Photonics Laboratory": a common noun before the name
        or (
            doc[start].is_lower
            and doc[start].is_alpha
            and end - start > 1
            and doc[start].text not in _NAME_PARTICLES
        )
    ):
        start += 1
    while start < end and (
        doc[end - 1].lower_ in ("'s", "’s", "'", "’")
        or (doc[end - 1].is_lower and doc[end - 1].is_stop and end - start > 1)  # "Cathedral in"
        or doc[end - 1].text in _QUOTES
        or (doc[end - 1].is_punct and doc[end - 1].text != ".")
        or doc[end - 1].is_space
    ):
        end -= 1
    return start, end


_NAME_PARTICLES = _words_of(
    "north south east west northern southern eastern western central upper lower "
    "de da di del della van von der den ter al el bin ibn la le du dos das"
)
_NAMES_WITH_ARTICLE = frozenset(["hague", "gambia", "bahamas"])


def _article_in_name(doc: Doc, start: int, end: int) -> bool:
    """ "The Hague": a capitalised article that is part of a place's name."""
    return (
        doc[start].text == "The"
        and start + 1 < end
        and doc[start + 1].lower_ in _NAMES_WITH_ARTICLE
    )


def _possessive_plural(doc: Doc, i: int, end: int) -> bool:
    """An apostrophe glued to a word (a plural's possessive, an elision: "Manufacturers'
    Association", "Dunkin' Donuts") before another capitalised word of the name."""
    return (
        doc[i].text in ("'", "’")
        and i > 0
        and i + 1 < end
        and doc[i - 1].is_alpha
        and not doc[i - 1].whitespace_
        and bool(doc[i].whitespace_)
        and doc[i + 1].is_title
    )


_NAME_ENT_TYPES = frozenset(["", "ORG", "GPE", "LOC", "NORP", "FAC"])


def _org_tail(doc: Doc, end: int) -> int:
    """ "Kiel Institute" + "for the World Economy": the model often stops an organisation's
    name at its head word; "of"/"for"/"on" and capitalised words after the head belong to it
    (not a date: "the Commission on Tuesday")."""
    n = len(doc)
    k = end
    while k < n and doc[k].lower_ in ("of", "for", "on") and k - end < 8:
        j = k + 1
        if j < n and doc[j].text == "the":
            j += 1
        m = j
        while (
            m < n
            and doc[m].is_title
            and doc[m].is_alpha
            and not doc[m].is_stop
            and doc[m].ent_type_ in _NAME_ENT_TYPES
            and "\n" not in doc[m - 1].whitespace_
        ):
            m += 1
            if (
                m + 1 < n
                and doc[m].lower_ in ("and", "&")
                and doc[m + 1].is_title
                and doc[m + 1].ent_type_ in _NAME_ENT_TYPES
            ):
                m += 1
        if m == j:
            break
        k = m
    return k


def _strip_demonym(doc: Doc, start: int, end: int) -> tuple[int, str | None]:
    """ "Korean Ministry of Trade": the name is "Ministry of Trade", Korea is its country."""
    for width in (2, 1):
        if start + width >= end:
            continue
        words = doc[start : start + width].text.lower()
        head = doc[start + width]
        if (
            words in DEMONYMS
            and head.is_title
            and head.lower_ in ORG_HEADS
            and start + width + 1 < end
            and doc[start + width + 1].lower_ in ("of", "for")
        ):
            return start + width, DEMONYMS[words]
    return start, _possessor_country(doc, start)


def _possessor_country(doc: Doc, start: int) -> str | None:
    """ "Japan's Ministry of ...": the place owning an organisation is its country."""
    k = start - 1
    if k >= 1 and doc[k].lower_ in ("'s", "’s"):
        owner = doc[k - 1]
        if owner.ent_type_ == "GPE":
            ent_start = owner.i
            while ent_start > 0 and doc[ent_start].ent_iob_ == "I":
                ent_start -= 1
            return normalise_name(doc[ent_start : owner.i + 1].text)
    return None


_NOT_SYLLABLES = frozenset(["era", "led", "run", "born", "made", "like", "based", "style", "type"])


def _extend_hyphenated(doc: Doc, start: int, end: int) -> int:
    """ "Moon Jae" + "-" + "in": take the rest of a hyphenated given name the model left out
    (a surname and a short given-name syllable before the hyphen, a short syllable after;
    "Biden-era" is not a name)."""
    while (
        end - start >= 2
        and len(doc[end - 1]) <= 5
        and end + 1 < len(doc)
        and doc[end + 1].lower_ not in _NOT_SYLLABLES
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
        and doc[end + 1].is_lower
        and len(doc[end + 1]) <= 4
    ):
        end += 2
    # "Moon Jae In": a one-syllable capitalised given-name part tagged as a proper noun.
    if (
        end < len(doc)
        and doc[end - 1].whitespace_ == " "
        and doc[end].tag_ == "NNP"
        and doc[end].is_title
        and len(doc[end]) <= 3
        and doc[end].ent_type_ == ""
        and end >= 2
        and doc[end - 2].tag_ == "NNP"
    ):
        end += 1
    return end


def _is_title_modifier(doc: Doc, span: Span) -> bool:
    """An ORG span made of portfolio words right before a title noun: "Trade Minister",
    "Chief Cabinet Secretary" (but "Samsung Chairman" names Samsung)."""
    if span.end >= len(doc) or doc[span.end].lower_ not in TITLE_NOUNS:
        return False
    return all(t.lower_ in PORTFOLIO_WORDS or t.is_punct for t in span)


_CREDIT_LINE = re.compile(
    r"^(?:\(|by\b|reporting\b|editing\b|writing\b|written\b|compiled\b|"
    r"additional reporting\b|\w+ original by\b)",
    re.I,
)


def _is_byline(doc: Doc, span: Span) -> bool:
    """ "by Naoya Matsumoto": two or three capitalised words after "by" with no organisation
    or place word in them name a person (the small model often calls them ORG)."""
    if span.start == 0 or doc[span.start - 1].lower_ != "by" or not 2 <= len(span) <= 3:
        return False
    # Only on a credit line ("(Japanese original by ...)", "Reporting by ..."), not in running
    # text, where "by Goldman Sachs" is an organisation.
    text = _text(doc)
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    if len(line) > 120 or not _CREDIT_LINE.match(line):
        return False
    return all(t.is_title and t.is_alpha and t.lower_ not in ORG_HEADS for t in span)


_CONNECTORS = frozenset(["and", "of", "for", "&", "the", "on"])


def _join_org_fragments(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "Federal Ministry for Economic Affairs" + "and" + "Climate Action": the model split one
    name at a connector. Join when the first part has an organisation head word and the second
    part has none, and only connector words stand between them."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "organization"
            and m.kind == "organization"
            and m.provenance == prev.provenance == MODEL_PROVENANCE
        ):
            gap = _text(doc)[prev.end : m.start]
            gap_words = gap.split()
            first = prev.text.lower().replace(",", " ").split()
            second = m.text.lower().replace(",", " ").split()
            if (
                gap_words
                and len(gap_words) <= 2
                and all(w.lower() in _CONNECTORS for w in gap_words)
                and "\n" not in gap
                and (
                    (
                        any(w in ORG_HEADS for w in first)
                        and not any(w in ORG_HEADS for w in second)
                        # "General Motors and General Electric": two companies
                        and second[-1].rstrip(".") not in COMPANY_WORDS | CORPORATE_SUFFIXES
                    )
                    # "Flood Forecasting and Warning Centre": a gerund cannot end a name
                    or (
                        first[-1].endswith("ing")
                        and gap_words == ["and"]
                        and not any(w in ORG_HEADS for w in first)
                        and second[-1] in ORG_HEADS
                    )
                )
            ):
                prev.end = m.end
                span = doc.char_span(prev.start, prev.end, alignment_mode="expand")
                if span is not None:
                    start, country = _strip_demonym(doc, span.start, span.end)
                    prev.start = doc[start].idx
                    if country:
                        prev.attrs["country"] = country
                prev.text = _text(doc)[prev.start : prev.end]
                prev.value = normalise_name(prev.text)
                continue
        out.append(m)
    return out


def _after_title(doc: Doc, start: int) -> bool:
    """Whether a person's title stands right before the character offset ("President Truman")."""
    words = _text(doc)[max(0, start - 20) : start].split()
    return bool(words) and words[-1].lower().rstrip(".") in NAME_TITLES | _HONORIFICS


_HONORIFICS = HONORIFICS
_ROYAL_AND_HONORIFIC = HONORIFICS | ROYAL_TITLES


def _relabel_surnames(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A one-word ORG or GPE that is the first or last word of a person named in the same
    document is that person ("Raimondo said ..." after "Gina Raimondo"); a one-word PERSON that
    starts a company's name is the company ("Infineon" after "Infineon Technologies")."""
    # family name last ("Gina Raimondo") or first ("Wang Wentao")
    surnames = {
        w
        for m in mentions
        if m.kind == "person" and len(m.text.split()) > 1
        for w in (m.text.split()[0], m.text.split()[-1])
    }
    given_or_family = surnames
    # "Infineon said" after "Infineon Technologies": the short form of a company's name
    company_starts = {
        m.text.split()[0]
        for m in mentions
        if m.kind == "organization" and len(m.text.split()) > 1 and m.text.split()[0].isalpha()
    } - given_or_family
    for m in mentions:
        if (
            m.kind == "person"
            and m.attrs.get("label") == "PERSON"
            and " " not in m.text
            and m.text in company_starts
            and not _after_title(doc, m.start)
        ):
            m.kind = "organization"
            m.attrs["relabelled"] = "company"
    for m in mentions:
        if (
            m.kind in ("organization", "place")
            and m.attrs.get("label") in ("ORG", "GPE")
            and m.text in surnames
            and not _known_place(m.text.lower())  # "Miami" after the model's "Miami Gonzalez"
        ):
            m.kind = "person"
            m.attrs["relabelled"] = "surname"
    return mentions


# -- kinds from context, consistent across the document -----------------------------------

_LOCATIVE = frozenset(["in", "near", "bordering", "outside", "across"])
# A town after a preposition of location is a place ("settled in Trier"), except after a word
# of holding or taking part ("a stake in Toyota"); after a preposition of passage, only when it
# follows a word of moving, travel or distance ("moved to Herat", "flights via Napier", "500
# miles from Herat"): elsewhere "to", "from", "through" and "at" may lead to an institution
# named after its town ("studied at Princeton", "hired from Nokia", "sold through Toyota").
_PASSAGE = frozenset(["to", "from", "via", "through", "around"])
MOTION_WORDS = _lexicon("motion_words")
STAKE_WORDS = _lexicon("stake_words")
_PLACE_OF = frozenset(["Port", "Gulf", "Bay", "Strait", "Straits", "Isle", "Sea"])


def _known_place(lower: str) -> bool:
    """A country, continent or large city, under its name or a usual variant ("U.S.")."""
    return lower in WELL_KNOWN_PLACES or PLACE_VARIANTS.get(lower, "") in WELL_KNOWN_PLACES


def _is_company_noun(word: str) -> bool:
    """ "maker", "carmakers", "lender": a noun that describes a company."""
    if word.endswith("s") and len(word) > 4:
        word = word[:-1]
    return word in COMPANY_DESCRIPTORS or (word.endswith("maker") and len(word) > 5)


# Nouns for other bodies, in apposition after a name: "Save Lamu, a coalition of local groups".
_BODY_NOUNS = _words_of(
    "coalition alliance association federation union party movement charity campaign group "
    "organisation organization foundation institute network consortium committee council"
)


def _context_kind(doc: Doc, m: Mention, a: int, b: int) -> str | None:
    """The kind the words around a name say it has, or None: a company title or descriptor
    ("Norvik Chairman Choi", "chip maker X", "X, the Lyon-based maker of"), a person's
    role ("Its chief executive, Ada Brenner"), a place noun ("X and Y districts", "the
    capital X", "based in X")."""
    n = len(doc)
    words = b - a
    text_lower = m.text.lower()
    known_place = _known_place(text_lower)
    before = doc[a - 1].lower_ if a > 0 else ""
    before2 = doc[a - 2].lower_ if a > 1 else ""
    after = doc[b].lower_ if b < n else ""
    after2 = doc[b + 1] if b + 1 < n else None
    label = m.attrs.get("label")
    last = next((t.lower_.rstrip(".") for t in reversed(doc[a:b]) if not t.like_num), "")
    # "Ms Paris", "Judge Madrid": a city's name after a person's title or an honorific is a
    # family name
    if known_place and words == 1 and a > 0 and doc[a - 1].is_title and _after_title(doc, m.start):
        return "person"
    # places
    if known_place:
        return "place"
    # what the text says the name is: "X is an American actor", "X, a town in ...", a life's
    # dates after a person's name
    said = _predicate_kind(doc, a, b)
    if said is not None:
        return said
    if last in PLACE_HEADS and m.kind == "organization" and words > 1:
        return "place"
    if after in PLACE_NOUNS_AFTER and (after2 is None or after2.pos_ not in ("NOUN", "PROPN")):
        return "place"
    if before == "of" and before2 in PLACE_NOUNS_BEFORE and a > 2 and doc[a - 3].lower_ != "the":
        return "place"  # "the coastal town of Lamu" (not "the Port of ...", a name)
    if before in PLACE_NOUNS_BEFORE and before2 == "the" and words <= 2:
        return "place"
    if before == "in" and before2 in ("based", "headquartered"):
        return "place"
    if label in ("GPE", "LOC") and before in _LOCATIVE:
        return "place"  # "in Buffalo": not the "Buffalo" of "Buffalo News"
    # "Phoenix, Ariz.", "Gumi, South Korea": a place the model found, followed by the region
    # it lies in (not "Uri Lubrani, Israel's envoy", "CNN, Washington")
    if (
        words == 1
        and label in ("GPE", "LOC")
        and after == ","
        and after2 is not None
        and (
            after2.text in US_STATE_ABBREVIATIONS
            or (_known_place(after2.lower_) and after2.ent_type_ in ("GPE", "LOC"))
        )
    ):
        return "place"
    if b < n and doc[b].text == "-" and after2 is not None and after2.lower_ == "based":
        return "place"
    # "Varnholm's arid climate", "Varnholm's coastline": what only a place has
    if after in ("'s", "’s") and after2 is not None:
        k = b + 1
        while (
            k < min(n, b + 3)
            and doc[k].is_lower
            and doc[k].lower_ not in PLACE_POSSESSIONS
            and doc[k].pos_ in ("ADJ", "NOUN")
        ):
            k += 1  # "arid", "rugged" (tagged as either)
        if k < n and doc[k].lower_ in PLACE_POSSESSIONS:
            return "place"
    # companies
    if (
        after2 is not None
        and after2.is_title
        and (
            after in CORPORATE_TITLES
            or (label == "PERSON" and words > 1 and after in NAME_TITLES | {"chief", "managing"})
        )
    ):
        return "organization"
    if _is_company_noun(before) and m.kind != "organization":
        return "organization"
    if after == "," and after2 is not None and after2.lower_ in ("the", "a", "an"):
        for k in range(b + 2, min(n, b + 8)):
            t = doc[k]
            nxt = doc[k + 1] if k + 1 < n else None
            if nxt is not None and (nxt.pos_ in ("NOUN", "PROPN") or nxt.tag_ == "POS"):
                continue  # not the head: "the campaign spokesman", "the committee's chairman"
            if _is_company_noun(t.lower_) or t.lower_ in _BODY_NOUNS:
                return "organization"
            if t.is_punct and t.text != "-" or t.pos_ in ("VERB", "AUX", "ADP", "PRON"):
                break
    if after in ("'s", "’s") and after2 is not None and after2.lower_ in ("shares", "stock"):
        return "organization"
    # "Norvik's chief executive", "Norvik's shareholders": what only a company has
    if after in ("'s", "’s") and after2 is not None:
        k = b + 1
        while k < min(n, b + 4) and doc[k].lower_ in _TITLE_MODIFIERS_BEFORE:
            k += 1
        if k < n and (doc[k].lower_ in CORPORATE_TITLES or doc[k].lower_ in _COMPANY_HAS):
            return "organization"
    # "Norvik, Inc.", "Norvik Ltd" left out of the span
    if (after == "," and after2 is not None and after2.lower_ in CORPORATE_SUFFIXES) or (
        after in CORPORATE_SUFFIXES and b < n and doc[b].is_title and m.kind != "person"
    ):
        return "organization"
    # "Mr. Holt", "Dr Brenner": an honorific before the name
    if m.kind != "person" and before.rstrip(".") in HONORIFICS and a > 0 and doc[a - 1].is_title:
        return "person"
    # "Brenner, who said": a relative pronoun for people
    if (
        after == ","
        and after2 is not None
        and after2.lower_ in ("who", "whom", "whose")
        and (m.kind != "organization" or label == "PERSON")
    ):
        return "person"
    if before == "of" and before2 in ("shares", "stock"):
        return "organization"
    # people
    if (
        m.kind != "person"
        and 2 <= words <= 3
        and all(t.is_title and t.is_alpha for t in doc[a:b])
        and last not in ORG_HEADS
        and last not in COMPANY_WORDS
        and (after2 is None or not after2.is_title or after != ",")
        and (before in PERSON_ROLE_NOUNS or (before == "," and before2 in PERSON_ROLE_NOUNS))
    ):
        return "person"
    if label == "PERSON" and words == 1 and before in _LOCATIVE and after not in ("'s", "’s"):
        return "place"
    return None


# Words between a possessive name and a corporate title ("Norvik's former chief executive").
_TITLE_MODIFIERS_BEFORE = _words_of("former new then acting interim longtime outgoing incoming")
# What only a company has, after its possessive name ("Norvik's shareholders"; a general
# has a staff and headquarters too).
_COMPANY_HAS = _words_of(
    "subsidiary subsidiaries shareholders shareholder profit profits revenue revenues earnings"
)


# Adjectives that make a person noun a figure of speech about anyone ("a key player").
_FIGURATIVE = frozenset(["key", "major", "big", "important", "dominant", "leading", "minor"])
_LIFE_DATES = re.compile(
    r"\s*\((?:born\b|b\.\s|died\b|d\.\s|née\b|(?:c\.\s*)?\d{3,4}\s*[–-]\s*(?:c\.\s*)?\d{3,4}\))"
)


def _predicate_kind(doc: Doc, a: int, b: int) -> str | None:
    """The kind of thing the text says a name is: the noun of a copula ("X is a small town",
    "X was an American painter") or of an apposition ("X, a retired teacher,"), or the
    dates of a life in parentheses right after it ("X (born 4 May 1950)")."""
    if _LIFE_DATES.match(_text(doc), doc[b - 1].idx + len(doc[b - 1].text)):
        return "person"
    root = doc[a:b].root
    nouns = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        nouns += [c for c in root.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
    for noun in nouns:
        word = noun.lower_
        lemma = noun.lemma_.lower()
        if noun.tag_ == "NNS":
            continue  # "X and Y are towns": the plural is about several
        if lemma in PERSON_NOUNS or word in PERSON_NOUNS:
            if not any(c.lower_ in _FIGURATIVE for c in noun.children):
                return "person"
        elif lemma in PLACE_PREDICATE_NOUNS:
            return "place"
        elif _is_company_noun(lemma) or lemma in _BODY_NOUNS:
            return "organization"
    return None


def _retype_by_context(doc: Doc, mentions: list[Mention]) -> dict[str, Counter[str]]:
    """Give every mention of a name the kind its clearest context shows; return the cues
    counted per name.

    The model types each occurrence on its own and often differently ("Harrow Optics" a person
    in one sentence, a place in the next); a writer means one thing by one name in one
    article. The context cues are in ``_context_kind``; a name with cues for several kinds
    takes the most frequent; without a cue, a name the model typed differently takes the
    kind it got most often."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    spans: dict[int, tuple[int, int]] = {}
    cues: list[tuple[str, str]] = []
    own: dict[int, str] = {}
    for m in mentions:
        if m.kind not in ("person", "organization", "place"):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        spans[id(m)] = (span.start, span.end)
        kind = _context_kind(doc, m, span.start, span.end)
        if kind is not None:
            cues.append((m.text, kind))
            own[id(m)] = kind
    # "interest in Kopp" after "James Kopp": a part of a person's full name is no place (a
    # name the context shows to be something else, "Save Lamu, a coalition", is no person's)
    not_people = {text for text, kind in cues if kind != "person"}
    name_parts = {
        w
        for m in mentions
        if m.kind == "person" and " " in m.text and m.text not in not_people
        for w in m.text.split()
    }
    for text, kind in cues:
        if not (kind == "place" and text in name_parts):
            votes[text][kind] += 1
    # The cue is evidence for the whole case too (``resolve`` weighs it against other
    # documents'): every mention of a name the context typed carries the kind it showed.
    shown = {text: kinds.most_common(1)[0][0] for text, kinds in votes.items()}
    for m in mentions:
        if m.text in shown and m.kind in ("person", "organization", "place"):
            m.attrs["cue"] = shown[m.text]
    # Without a cue, the kind the model gave the name most often (the first on a tie; an
    # organisation on a tie with a place, unless it is a well-known place: the model's
    # place labels on a name it also calls a body are the weaker reading, "a war Norvik has
    # waged", "within Norvik").
    model_kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.provenance == MODEL_PROVENANCE and m.text not in votes:
            model_kinds[m.text][m.kind] += 1
    for text, kinds in model_kinds.items():
        if len(kinds) > 1:
            kind = kinds.most_common(1)[0][0]
            if (
                set(kinds) == {"organization", "place"}
                and kinds["organization"] == kinds["place"]
                and not _known_place(text.lower())
            ):
                kind = "organization"
            votes[text] = Counter({kind: 1})
    for m in mentions:
        if m.text in votes and id(m) in spans and m.provenance in _RETYPABLE:
            kind = votes[m.text].most_common(1)[0][0]
            if len(votes[m.text]) > 1 and id(m) in own and _known_place(m.text.lower()):
                kind = own[id(m)]  # "Ms Paris said" and "flew to Paris" in one article
            if kind != m.kind:
                m.kind = kind
                m.attrs["relabelled"] = "context"
    return votes


def _company_short_names(doc: Doc, mentions: list[Mention], votes: dict[str, Counter[str]]) -> None:
    """ "Norvik said" after "Norvik Chemical": the brand that starts a company's name
    (one ending in a company word, or shown to be a company by its context) names that
    company when it stands alone, unless it is a well-known place, a person's name in the
    document, or shown to be a place by its own context."""
    surnames = {
        w
        for m in mentions
        if m.kind == "person" and " " in m.text
        for w in (m.text.split()[0], m.text.split()[-1])
    }
    companies = {
        m.text.split()[0].rstrip("'’")
        for m in mentions
        if m.kind == "organization"
        and " " in m.text
        and m.text.split()[0][:1].isupper()
        and (
            m.text.split()[-1].lower().rstrip(".") in COMPANY_WORDS | _COMMERCIAL_HEADS
            or votes.get(m.text, Counter()).get("organization")
        )
    }
    for m in mentions:
        if (
            m.kind in ("person", "place")
            and " " not in m.text
            and m.text in companies
            and m.provenance in _RETYPABLE
            and not _known_place(m.text.lower())
            and m.text not in surnames
            and "place" not in votes.get(m.text, Counter())
            and not _after_title(doc, m.start)
        ):
            m.kind = "organization"
            m.attrs["relabelled"] = "company"


_LIST_SEP = re.compile(r"(?:,[ \t]+(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+)")
_CAP_WORD = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?: (?:es|de|del|da|al|el) [A-Z][a-z]+)?\b")


def _places_in_lists(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "six states, including Jammu and Kashmir, Rajasthan and Punjab": in a list with two
    places or more, a one-word name the model calls a person, or leaves out, is a place too
    (only inside the list: "Japan and China, Abe said" keeps Abe). Beside a name read as a
    place, a town of the gazetteer that the model calls an organisation counts as a place
    and is one ("Tromsø, Bodø and Narvik"), unless its own context showed an organisation."""
    text = _text(doc)
    by_start = {m.start: m for m in mentions}
    covered = sorted((m.start, m.end) for m in mentions)
    starts = [c[0] for c in covered]
    done: set[int] = set()
    added: list[Mention] = []
    for first in sorted(mentions, key=lambda m: m.start):
        if first.start in done or first.kind not in ("person", "organization", "place"):
            continue
        # items: (mention or None, start, end, separator before it)
        chain: list[tuple[Mention | None, int, int, str]] = [(first, first.start, first.end, "")]
        pos = first.end
        while len(chain) < 12:
            sep = _LIST_SEP.match(text, pos)
            if not sep:
                break
            nxt = by_start.get(sep.end())
            if nxt is not None:
                chain.append((nxt, nxt.start, nxt.end, sep.group()))
                pos = nxt.end
                continue
            word = _CAP_WORD.match(text, sep.end())
            k = bisect.bisect_right(starts, sep.end())
            if word is None or (k > 0 and covered[k - 1][1] > sep.end()):
                break
            chain.append((None, word.start(), word.end(), sep.group()))
            pos = word.end()
        done.update(item[1] for item in chain)
        # a town the gazetteer knows counts as a place, unless the model read a person there
        # ("Lincoln, Jackson and Washington" may be three presidents)
        towns = [
            m is not None
            and m.kind == "organization"
            and m.attrs.get("cue") != "organization"
            and (town_population(m.text) > 0 or m.attrs.get("label") in ("GPE", "LOC"))
            for m, *_ in chain
        ]
        places = sum(1 for m, *_ in chain if m is not None and m.kind == "place")
        # a town counts only beside a name read as a place ("Toyota, Honda and Nissan" are
        # firms named after towns)
        read_as_place = any(
            m is not None and (m.kind == "place" or m.attrs.get("label") in ("GPE", "LOC"))
            for m, *_ in chain
        )
        if places + (sum(towns) if read_as_place else 0) < 2:
            continue
        for n, (m, lo, hi, joiner) in enumerate(chain):
            inside = n + 1 < len(chain) or "and" in joiner or "or" in joiner
            if not inside and not towns[n]:
                continue
            if m is not None:
                if (
                    m.kind == "person" and " " not in m.text and m.provenance == MODEL_PROVENANCE
                ) or (towns[n] and m.provenance in _RETYPABLE):
                    m.kind = "place"
                    m.attrs["relabelled"] = "list of places"
                continue
            span = doc.char_span(lo, hi)
            if span is None or len(span) != 1 or span[0].is_stop or span[0].tag_ != "NNP":
                continue
            added.append(_span_mention(span, "place", "rules:list"))
    return mentions + added


_SPEECH_VERBS = _words_of(
    "said says told tells added adds asked wrote warned noted stressed insisted"
)


# Words that are never a name alone, however capitalised: "Hmm", "Nah"; "Dad", "Grandma".
_NEVER_NAMES_ALONE = _lexicon("interjections") | _lexicon("kinship_address")


def _drop_capitalised_words(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "Rice, pulses and water": a capitalised common word opening a sentence, taken by the
    model for a one-word person's name. A person named once, by one word, at a sentence
    start, that the tagger reads as a common noun, not reporting anything and not after a
    title, is dropped ("Abe and his aides suggested" stays: the tagger reads a name). So is
    a one-word person that is an interjection ("Nah", "Hmm") or a family relation used as a
    name ("Dad", "Grandma"), wherever it stands, and so is a one-word person that is a noun
    for an occupation or calling ("signed by Volunteer"), unless a longer name in the
    document has it as a surname ("Dora Volunteer")."""
    counts = Counter(w for m in mentions for w in m.text.split())
    in_longer = {w for m in mentions if " " in m.text for w in m.text.split()}
    out = []
    for m in mentions:
        if (
            m.kind == "person"
            and m.provenance == MODEL_PROVENANCE
            and m.text.lower() in _NEVER_NAMES_ALONE
        ):
            continue
        if (
            m.kind == "person"
            and m.provenance == MODEL_PROVENANCE
            and " " not in m.text
            and m.text.lower() in PERSON_NOUNS
            and m.text not in in_longer
        ):
            continue
        if (
            m.kind == "person"
            and m.provenance == MODEL_PROVENANCE
            and " " not in m.text
            and counts[m.text] == 1
            and not _after_title(doc, m.start)
        ):
            span = doc.char_span(m.start, m.end)
            if (
                span is not None
                and span[0].tag_ in ("NN", "NNS")
                and span[0].is_sent_start
                and (span.end >= len(doc) or doc[span.end].lower_ not in _SPEECH_VERBS | {"'s"})
                and _text(doc).count(m.text) == 1
            ):
                continue
        out.append(m)
    return out


_RETYPABLE = frozenset([MODEL_PROVENANCE, "rules:coordination"])
_COMMERCIAL_HEADS = (
    ORG_HEADS
    - PUBLIC_BODY_HEADS
    - _words_of("association union federation society foundation fund organization organisation")
) | CORPORATE_SUFFIXES


def _relabel_coordinated(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """In a coordination led by organisations, a one-word proper noun tagged otherwise (or
    untagged) is an organisation too: "Samsung Electronics, Hyundai Motor, SK, LG and Lotte"."""
    by_token: dict[int, Mention] = {}
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            by_token[span.root.i] = m
    out = list(mentions)
    for m in mentions:
        if m.kind != "organization":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        group = _conjuncts(span.root)
        org_count = sum(
            1 for t in group if t.i in by_token and by_token[t.i].kind == "organization"
        )
        if org_count < 2:
            continue
        for t in group:
            other = by_token.get(t.i)
            if other is not None and other.kind != "organization":
                if len(other.text.split()) == 1:
                    other.kind = "organization"
                    other.attrs["relabelled"] = "coordination"
            elif other is None and t.tag_ == "NNP" and (t.is_upper or t.is_title):
                new = Mention(
                    kind="organization",
                    start=t.idx,
                    end=t.idx + len(t),
                    text=t.text,
                    value=normalise_name(t.text),
                    provenance="rules:coordination",
                    attrs={},
                )
                by_token[t.i] = new
                out.append(new)
    return out


def _conjuncts(tok: Token) -> list[Token]:
    head = tok
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    return [head, *head.conjuncts]


# -- institutions, acronyms and alternative names ------------------------------------------


def _headed_organisations(doc: Doc) -> list[Mention]:
    """ "European Commission", "Security Council" with no entity found by the model:
    capitalised words ending in an organisation head word name an organisation."""
    out: list[Mention] = []
    n = len(doc)
    i = 0
    while i < n:
        j = i
        while (
            j < n
            and doc[j].is_title
            and doc[j].is_alpha
            and not doc[j].is_stop
            and doc[j].ent_type_ in ("", "NORP")
        ):
            j += 1
        # the run may go on past the name ("European Commission Vice-President"); "the
        # Northeast Frontier Railway": after "the", a company word ends a name as well
        end = j
        the = i > 0 and doc[i - 1].lower_ == "the"
        while (
            end > i
            and doc[end - 1].lower_ not in ORG_HEADS
            and not (the and doc[end - 1].lower_ in COMPANY_WORDS)
        ):
            end -= 1
        if end - i >= 2 and doc[i].lower_ not in ORG_HEADS:
            span = doc[i:end]
            if not all(t.lower_ in PORTFOLIO_WORDS for t in span[:-1]) or doc[i].ent_type_:
                out.append(_span_mention(span, "organization", "rules:org-head"))
        i = max(j, i + 1)
    return out


# Words that join the parts of an organisation's name opened by its kind: "University of the
# West", "Institut für ...", "Universidad Nacional de Educación a Distancia".
_KIND_NAME_JOINERS = _words_of(
    "of for the and on de da do dos das del della delle dei degli di du des la le y e et a per "
    "für der zu"
)
# Kind words that open a name in English only before "of" or "for" ("University of Leeds",
# "Society for ..."); kind words of other languages open one before any capitalised word.
_FIRST_KINDS = _lexicon("organisation_kinds_first")
_COORDINATORS = _words_of("and y e et und")


@lru_cache(maxsize=1)
def _kind_first_ids() -> frozenset[int]:
    return frozenset(get_string_id(w) for w in ORG_HEADS | ORGANISATION_KINDS)


def _kind_first_organisations(doc: Doc) -> list[Mention]:
    """ "University of Leeds", "Universidad Nacional de Colombia", "Instituto Ricci": a name
    opened by a word for a kind of organisation, then capitalised words and the words that join
    them, is an organisation's name. English kind words (``ORG_HEADS``, ``ORGANISATION_KINDS``)
    count only before "of" or "for"; the kind words of other languages (``_FIRST_KINDS``) before
    any capitalised word. A kind word inside a longer capitalised run is left to the model
    ("European Court of Justice")."""
    out: list[Mention] = []
    n = len(doc)
    kinds = _kind_first_ids()
    lower = doc.to_array(["LOWER"]).tolist() if n else []
    for i in [i for i, w in enumerate(lower) if w in kinds]:
        tok = doc[i]
        if not tok.is_title or i + 2 >= n:
            continue
        if tok.lower_ not in _FIRST_KINDS and doc[i + 1].lower_ not in ("of", "for"):
            continue
        if i > 0 and doc[i - 1].is_title and not doc[i - 1].is_sent_start:
            continue
        j = i + 1
        while j < n:
            t = doc[j]
            if (t.is_title or (t.is_upper and t.is_alpha and len(t) > 1)) and not t.is_stop:
                if (
                    t.ent_iob_ == "B"
                    and t.ent_type_ == "PERSON"
                    and j - 1 > i
                    and doc[j - 1].is_title
                ):
                    break  # "Ministry of Trade and Industry Lee Ho-hyun": a name follows
                j += 1
            elif (
                t.lower_ in _KIND_NAME_JOINERS
                and j + 1 < n
                and (doc[j + 1].is_title or doc[j + 1].lower_ in _KIND_NAME_JOINERS)
            ):
                if t.lower_ in _COORDINATORS and _opens_other_name(doc, j + 1, kinds):
                    break  # "the Society for X and the University of Y": two names
                j += 1
            else:
                break
        while j > i + 1 and doc[j - 1].lower_ in _KIND_NAME_JOINERS:
            j -= 1
        if (
            j - i >= 2
            and (doc[j - 1].is_title or doc[j - 1].is_upper)
            and not _known_place(doc[i:j].text.lower())  # "Union of Soviet Socialist Republics"
        ):
            out.append(_span_mention(doc[i:j], "organization", "rules:org-kind-first"))
    return out


def _opens_other_name(doc: Doc, j: int, kinds: frozenset[int]) -> bool:
    """After "and": the next capitalised word (past any article) is a kind word."""
    while j < len(doc) and doc[j].lower_ in ("the", "la", "le", "el", "il"):
        j += 1
    return j < len(doc) and doc[j].lower in kinds


# Entity types of the model that are no part of a place's name ("Monday", "two", "10%").
_NOT_NAME_ENTS = frozenset(
    ["DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL", "EVENT", "NORP"]
)


_TITLED_PERSON = NAME_TITLES | _ROYAL_AND_HONORIFIC
_PLACE_HEAD_IDS = frozenset(get_string_id(w + dot) for w in PLACE_HEADS for dot in ("", "."))


def _in_name_run(tok: Token) -> bool:
    """A word that can be part of a capitalised name: title case, not a function word, with
    a letter, not part of a date, a number or an amount the model found."""
    return (
        tok.is_title
        and not tok.is_stop
        and any(c.isalpha() for c in tok.text)
        and tok.ent_type_ not in _NOT_NAME_ENTS
    )


def _headed_place_spans(doc: Doc) -> Iterator[Span]:
    """Runs of two or more capitalised words ending in a place head word ("Federal Hall",
    "Varnholt Hotel", "Hallam Station"): the name of a structure, road or feature by what it
    is. A sentence's first word joins only when the tagger reads a proper noun ("Visit
    Federal Hall" is a verb and a name). A given name followed by a head that is also a
    family name is a person's name ("Stuart Hall"), and so is a run opened by a person's
    title ("Judge Ada Park"); a head followed by "of" and a name is no name's end ("the Hall
    of Fame"), but a head alone before it opens one (``_place_of_name``)."""
    n = len(doc)
    for tok in doc:
        if tok.lower not in _PLACE_HEAD_IDS or not _in_name_run(tok):
            continue
        k = tok.i
        j = k + 1
        while j < n and _in_name_run(doc[j]):
            if doc[j].lower in _PLACE_HEAD_IDS:
                break  # a later head ends the same run ("Park Avenue Hotel")
            j += 1
        if j < n and doc[j].lower in _PLACE_HEAD_IDS and _in_name_run(doc[j]):
            continue
        end = k + 1
        start = k
        while start > 0 and _in_name_run(doc[start - 1]):
            start -= 1
        while start < end and doc[start].is_sent_start and doc[start].tag_ not in _PROPER_NOUN_TAGS:
            start += 1
        after_of = end + 2 if end + 2 < n and doc[end + 1].lower_ == "the" else end + 1
        goes_on = after_of < n and doc[end].lower_ == "of" and doc[after_of].is_title
        if (
            end - start >= 2
            and not goes_on
            and doc[start].lower_.rstrip(".") not in _TITLED_PERSON
            and not (
                end - start == 2
                and doc[end - 1].lower_ in _SURNAME_PLACE_HEADS
                and doc[start].lower_ in given_names()
            )
        ):
            yield doc[start:end]
        elif goes_on and end - start == 1:
            of_name = _place_of_name(doc, k)
            if of_name is not None:
                yield of_name


def _place_of_name(doc: Doc, k: int) -> Span | None:
    """ "the Pyramid of the Sun", "the Plains of Arafat": a place word opening a name, with
    "of", an optional "the" and one to three capitalised words after it; not a head that is
    also a family name ("the Hall of Fame", "Tower of London" stay with the model)."""
    if doc[k].lower_ in _SURNAME_PLACE_HEADS:
        return None
    j = k + 2
    if j < len(doc) and doc[j].lower_ == "the":
        j += 1
    end = j
    while end < len(doc) and end - j < 3 and _in_name_run(doc[end]):
        end += 1
    return doc[k:end] if end > j else None


def _headed_places(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "Federal Hall", "Fort Lee Historic Park" the model missed, or read as a person or cut
    short ("Lee Historic Park" a person): a name headed by a place word (``PLACE_HEADS``) is a
    place, and replaces the model's mentions inside it. A model's mention that reaches past it
    ("Federal Hall Trust") stays as it is, and so does what a rule found."""
    out = list(mentions)
    for span in _headed_place_spans(doc):
        a, b = span.start_char, span.end_char
        inside = [m for m in out if m.start < b and a < m.end]
        if any(m.start < a or m.end > b or m.provenance != MODEL_PROVENANCE for m in inside):
            continue
        if len(inside) == 1 and (inside[0].start, inside[0].end) == (a, b):
            continue  # the model's own span: its kind is decided by the model's rules
        out = [m for m in out if not any(m is x for x in inside)]
        out.append(_span_mention(span, "place", "rules:place-head"))
    return out


def _span_mention(span: Span, kind: str, provenance: str) -> Mention:
    """A name found by a rule: the span as written, its normalised name as the value."""
    return Mention(
        kind=kind,
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        value=normalise_name(span.text),
        provenance=provenance,
        attrs={},
    )


def _titled_names(doc: Doc) -> list[Mention]:
    """ "President Yoon Suk-yeol" with no entity found by the model: two or three capitalised
    proper nouns right after a person's title are that person's name."""
    out: list[Mention] = []
    n = len(doc)
    for tok in doc:
        lower = tok.lower_
        if lower not in NAME_TITLES and lower not in _ROLE_TITLES or tok.i + 2 > n:
            continue
        if not tok.is_title and lower not in _ROLE_TITLES:
            continue
        first = tok.i + 1
        if doc[first].text == "," and lower in _ROLE_TITLES:
            first += 1  # "A ministry spokesperson, He Yanling, said"
        end = first
        while (
            end < n
            and end - first < 3
            and doc[end].is_title
            and doc[end].ent_type_ == ""
            and (doc[end].tag_ == "NNP" or _capitalised_mid_sentence(doc, end, first))
            and (not doc[end].is_stop or _capitalised_mid_sentence(doc, end, first))
            and doc[end].lower_ not in NAME_TITLES
            and doc[end].lower_ not in PORTFOLIO_WORDS
        ):
            end += 1
        if end - first < 2:  # one word could be anything ("President Trump" the model finds)
            continue
        if not all(t.tag_ == "NNP" for t in doc[first + 1 : end]):
            continue
        if first > tok.i + 1 and (end >= n or doc[end].text != ","):
            continue  # an apposition is closed by a comma
        end = _extend_hyphenated(doc, first, end)
        span = doc[first:end]
        out.append(_span_mention(span, "person", "rules:title"))
    return out


# Lowercase roles that announce a name as well ("MOFCOM spokesperson He Yanling").
_ROLE_TITLES = frozenset(["spokesperson", "spokesman", "spokeswoman"])


def _capitalised_mid_sentence(doc: Doc, i: int, first: int) -> bool:
    """A capitalised function word that opens a name right after a title ("spokesperson He
    Yanling"): the word after it must be a capitalised proper noun too."""
    return (
        i == first
        and not doc[i].is_sent_start
        and i + 1 < len(doc)
        and doc[i + 1].is_title
        and doc[i + 1].tag_ == "NNP"
        and not doc[i + 1].is_stop
    )


@lru_cache(maxsize=1)
def _institutions_pattern() -> re.Pattern[str]:
    """Every institution's name in one pattern, longest first (one scan of the text instead
    of one per name)."""
    names = sorted(INSTITUTIONS, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")


def _institution_mentions(doc: Doc) -> list[Mention]:
    text = _text(doc)
    out: list[Mention] = []
    people = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    for match in _institutions_pattern().finditer(text):
        if any(s <= match.start() and match.end() <= e for s, e in people):
            continue  # part of a person's name
        name = match.group(0)
        out.append(
            Mention(
                kind=INSTITUTIONS[name],
                start=match.start(),
                end=match.end(),
                text=name,
                value=name,
                provenance="rules:institutions",
                attrs={},
            )
        )
    return out


@lru_cache(maxsize=1)
def _known_organisations_pattern() -> re.Pattern[str]:
    """The intergovernmental organisations' names and abbreviations in one pattern, longest
    first; a name that is also a place's spelling ("EU") is left to the place rules."""
    names = sorted(
        (
            n
            for n in _lexicon("international_organisations", lower=False)
            if n.lower() not in PLACE_VARIANTS
        ),
        key=len,
        reverse=True,
    )
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


def _known_organisations(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "UNESCO listed the site": an intergovernmental organisation every reader knows, by its
    name or usual abbreviation, where no other pass found a name ("UNESCO" is rarely tagged by
    the model). Text another mention covers is left alone ("the UN Security Council")."""
    text = _text(doc)
    people = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    out: list[Mention] = []
    for match in _known_organisations_pattern().finditer(text):
        lo, hi = match.span()
        if any(m.start < hi and lo < m.end for m in mentions):
            continue
        if any(s < hi and lo < e for s, e in people):
            continue
        name = match.group(0)
        out.append(
            Mention(
                kind="organization",
                start=lo,
                end=hi,
                text=name,
                value=name,
                provenance="rules:known-organisation",
                attrs={},
            )
        )
    return out


_DATELINE = re.compile(
    r"^([A-Z][A-Z.'’]+(?: [A-Z][A-Z.'’]+){0,3})(?:,[^\n]{0,30}?)?(?: \([^()\n]{2,40}\))?"
    r" ?(?:--|—|–| -) ",
    re.M,
)


_NOT_DATELINES = frozenset(
    """BREAKING UPDATE UPDATED EXCLUSIVE ANALYSIS OPINION EDITORIAL CORRECTED CORRECTION WATCH
    LIVE VIDEO PHOTOS FACTBOX EXPLAINER INTERVIEW REVIEW COMMENT NEWS""".split()  # noqa: SIM905
)


def _datelines(doc: Doc) -> list[Mention]:
    """ "BERLIN -- ...": a news dateline at the start of a paragraph names a place."""
    out: list[Mention] = []
    for match in _DATELINE.finditer(_text(doc)):
        name = match.group(1)
        if name in _NOT_DATELINES or len(name) < 3:
            continue
        out.append(
            Mention(
                kind="place",
                start=match.start(1),
                end=match.end(1),
                text=name,
                value=" ".join(w.capitalize() if w.isalpha() else w for w in name.split()),
                provenance="rules:dateline",
                attrs={},
            )
        )
        # "LISBON, May 4 (Meridian Press) -": the news service credited in the dateline
        credit = _DATELINE_CREDIT.search(match.group(0), match.end(1) - match.start())
        if credit:
            out.append(
                Mention(
                    kind="organization",
                    start=match.start() + credit.start(1),
                    end=match.start() + credit.end(1),
                    text=credit.group(1),
                    value=normalise_name(credit.group(1)),
                    provenance="rules:dateline",
                    attrs={},
                )
            )
    return out


_DATELINE_CREDIT = re.compile(r"\(([A-Z][\w&.'’-]*(?: [A-Z&][\w&.'’-]*){0,4})\)")


_KNOWN_AS = re.compile(
    r",?\s*\(?(?:also\s+)?(?:known|called)\s+(?:in\s+English\s+)?as\s+(?:the\s+)?"
)


def _known_as(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "Kawabe Kogyo, known in English as Kawabe Industries": the second name is another name of
    the first, and of its kind."""
    text = _text(doc)
    by_start = {m.start: m for m in mentions if m.kind in ("person", "organization", "place")}
    for m in sorted(by_start.values(), key=lambda m: m.start):
        match = _KNOWN_AS.match(text, m.end)
        if not match or "known" not in match.group(0) and "English" not in match.group(0):
            continue
        other = by_start.get(match.end())
        if other is None or other is m or "alias_of" in other.attrs:
            continue
        other.kind = m.kind
        other.attrs["alias_of"] = m.value
    return mentions


_SHORT_FORM_HEADS = frozenset(
    """ministry department agency bureau commission committee council board authority court
    parliament assembly tribunal regulator""".split()  # noqa: SIM905
)


def _org_head(name: str) -> str:
    """The head word of an organisation's name: "Commission" in "Election Commission of
    India", "Court" in "Oslo District Court"."""
    words = re.split(r"\s+(?:of|for|on)\s+", name, maxsplit=1)[0].split()
    return words[-1].lower() if words else ""


def _short_forms(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "The Commission said" after "the European Commission": a capitalised head word after
    "the" names the one organisation written out in full before it with that head."""
    out: list[Mention] = []
    orgs = sorted(
        (m for m in mentions if m.kind == "organization" and len((m.value or "").split()) > 1),
        key=lambda m: m.start,
    )
    taken = [(m.start, m.end) for m in mentions]
    for tok in doc:
        if tok.lower_ not in _SHORT_FORM_HEADS or not tok.is_title or tok.i == 0:
            continue
        if doc[tok.i - 1].lower_ != "the":
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and (nxt.lower_ in ("of", "for", "on") or nxt.is_title):
            continue  # "the Commission of ...", "the Court House": a longer name
        if any(s <= tok.idx < e for s, e in taken):
            continue
        full = {
            m.value for m in orgs if m.end <= tok.idx and _org_head(m.value or "") == tok.lower_
        }
        if len(full) != 1:
            continue
        (name,) = full
        out.append(
            Mention(
                kind="organization",
                start=tok.idx,
                end=tok.idx + len(tok),
                text=tok.text,
                value=name,
                provenance="rules:short-form",
                attrs={"alias_of": name},
            )
        )
    return out


def _relabel_dateline_places(mentions: list[Mention], datelines: list[Mention]) -> list[Mention]:
    """The place a story is filed from keeps being that place: "FELIXSTOWE, England - ..."
    then "ships will skip Felixstowe", even where the model reads the name as a company."""
    places = {(m.value or m.text).lower() for m in datelines if m.kind == "place"}
    for m in mentions:
        if m.kind in ("organization", "person") and " " not in m.text and m.text.lower() in places:
            m.kind = "place"
            m.attrs["relabelled"] = "dateline"
    return mentions


def _acronym(kind: str, start: int, end: int, inner: str, attrs: dict[str, object]) -> Mention:
    """An abbreviation written in parentheses, as a mention of its own."""
    return Mention(
        kind=kind,
        start=start,
        end=end,
        text=inner,
        value=inner,
        provenance="rules:acronym",
        attrs=attrs,
    )


def _parenthesised(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """``Name (ACRONYM)`` and ``Person (Other Spelling)``: a mention of the same thing."""
    text = _text(doc)
    out: list[Mention] = []
    for m in mentions:
        match = re.match(r"\s*\(([^()\n]{2,60})\)", text[m.end : m.end + 64])
        if not match:
            continue
        inner = match.group(1).strip()
        start = m.end + match.start(1) + (len(match.group(1)) - len(match.group(1).lstrip()))
        end = start + len(inner)
        title_acronym = bool(_TITLE_ACRONYM.match(inner))
        if (_ACRONYM.match(inner) or title_acronym) and len(inner) <= 10:
            _extend_to_acronym(doc, m, inner, strict=title_acronym)
        if title_acronym and acronym_matches(inner, m.value or ""):
            # "Advisory, Conciliation and Arbitration Service (Acas)"
            out.append(_acronym(m.kind, start, end, inner, {"acronym_of": m.value}))
        elif not _ACRONYM.match(inner) or len(inner) > 10:
            pass
        elif m.kind == "organization" and not acronym_matches(inner, m.value or "", True):
            # "(BMWK)" after an English name of a German ministry: likely the same body, but
            # also how news credits an agency ("(AP)"); the resolver proposes, never merges.
            # An abbreviation the article goes on using alone ("the European Automobile
            # Manufacturers' Association (ACEA) ... ACEA said") was introduced for that name.
            # So is one whose first letter starts a word of the name, as in a name
            # translated from another language ("ACEA" for the carmakers' association).
            words = (m.value or "").split()
            reused = len(words) > 1 and (
                inner[0] in {w[0] for w in words if w.lower() not in _FUNCTION_WORDS}
                or re.search(rf"(?<![\w(]){re.escape(inner)}(?![\w)])", text[end + 1 :])
            )
            link = "acronym_of" if reused else "parenthesised_after"
            out.append(_acronym("organization", start, end, inner, {link: m.value}))
            continue
        if (
            _ACRONYM.match(inner)
            and len(inner) <= 10
            and acronym_matches(inner, m.value or "", prefixes=True)
        ):
            out.append(_acronym(m.kind, start, end, inner, {"acronym_of": m.value}))
        elif (
            m.kind == "person"
            and re.fullmatch(r"[A-Z][a-z]+(?:[ -][A-Za-z][a-z]+){1,3}", inner)
            and inner.split()[0] == (m.value or "").split()[0]
        ):
            out.append(
                Mention(
                    kind="person",
                    start=start,
                    end=end,
                    text=inner,
                    value=inner,
                    provenance="rules:alternative-name",
                    attrs={"alias_of": m.value},
                )
            )
    return out


_FUNCTION_WORDS = frozenset(
    ["of", "and", "the", "for", "on", "in", "&", "de", "du", "des", "la", "le"]
)
_TITLE_ACRONYM = re.compile(r"^[A-Z][a-z]{2,5}$")
_NAME_JOINERS = frozenset(["and", "&", "of", "for", "the", ","])


def _extend_to_acronym(doc: Doc, m: Mention, acronym: str, strict: bool) -> None:
    """ "Felixstowe Dock and Railway Company (FDRC)": when the model cut a name short and the
    abbreviation after it spells a longer stretch of capitalised words before it, the name
    is that stretch (the abbreviation says where it starts)."""
    if acronym_matches(acronym, m.value or "", prefixes=not strict):
        return
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return
    k = span.start - 1
    text = _text(doc)
    while k >= 0 and span.start - k <= 8:
        tok = doc[k]
        if "\n" in tok.whitespace_ or "\n" in tok.text:
            return
        if tok.is_title and tok.is_alpha:
            candidate = text[tok.idx : m.end]
            if acronym_matches(acronym, candidate, prefixes=not strict):
                m.start = tok.idx
                m.text = candidate
                m.value = normalise_name(candidate)
                last = candidate.split()[-1].lower()
                if last in ORG_HEADS or last in COMPANY_WORDS:
                    m.kind = "organization"
                m.provenance = "rules:acronym-name"
                return
        elif tok.lower_ not in _NAME_JOINERS:
            return
        k -= 1


def _acronym_letters(acronym: str) -> list[str]:
    """The letters an acronym spells, lower case ("NGOs" spells n, g, o)."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    if acronym.endswith("s") and acronym[:-1].isupper():
        letters = letters[:-1]
    return letters


def _acronym_words(name: str) -> list[str]:
    """The words of a name an acronym may take letters from."""
    words = [w for w in re.split(r"[\s,\-/]+", name.replace("’", "'")) if w]
    return [w for w in words if w[0].isalnum()]


def _whole_occurrences(text: str, name: str) -> Iterator[int]:
    """Where ``name`` occurs in ``text`` as a whole: not inside a longer word or glued to a
    hyphen (the regular expression ``(?<![\\w-])NAME(?![\\w-])``, without compiling one per
    name)."""
    if not name:
        return
    n, size = len(text), len(name)
    i = text.find(name)
    while i >= 0:
        before = text[i - 1] if i else " "
        after = text[i + size] if i + size < n else " "
        if not (before.isalnum() or before in "_-" or after.isalnum() or after in "_-"):
            yield i
            i = text.find(name, i + size)
        else:
            i = text.find(name, i + 1)


def acronym_matches(acronym: str, name: str, prefixes: bool = False) -> bool:
    """Whether ``acronym`` spells the initials of ``name``'s words, in order: every content
    word must give its initial; function words ("of", "and") may ("METI", "MOTIE"). With
    ``prefixes``, a word may give more than its first letter ("MOFCOM" = MinistryOF COMmerce),
    which is only safe when the text itself pairs the two (a name and its acronym in
    parentheses)."""
    letters = _acronym_letters(acronym)
    words = _acronym_words(name)
    if len(letters) < 2 or not words:
        return False

    def match(li: int, wi: int) -> bool:
        if wi == len(words):
            return li == len(letters)
        word = words[wi].lower()
        optional = word in _FUNCTION_WORDS
        longest = len(word) if prefixes else 1
        for size in range(1, longest + 1):
            if li + size > len(letters) or word[:size] != "".join(letters[li : li + size]):
                break
            if match(li + size, wi + 1):
                return True
        return optional and match(li, wi + 1)

    return match(0, 0)


# -- materials --------------------------------------------------------------------------------


def _materials(doc: Doc) -> list[Mention]:
    """``<grade>* <chemical modifier | element>* <head>`` over lower-cased tokens, plus
    commodity names of several words, ores, and substances named by their morphology."""
    out: list[Mention] = []
    cache: dict[str, set[int]] = {}
    words = [t.lower_ for t in doc]
    i = 0
    n = len(doc)
    while i < n:
        # Most words cannot start a material name; only the others are looked at closely.
        w = words[i]
        if not (
            w in _START_WORDS
            or (i + 1 < n and words[i + 1] in ("ore", "ores", "-"))
            or _named_by_morphology(w)
        ):
            i += 1
            continue
        end = _material_end(doc, i)
        if end is None:
            i += 1
            continue
        start = i
        # "the chemical weapon gas sarin": a head word before the head is not a modifier.
        while (
            _word(doc[start]) not in GRADE_MODIFIERS
            and start < end - 1
            and (_word(doc[start]) in DEPENDENT_HEADS)
        ):
            start += 1
        # "N-nitrosodimethylamine", "1,4-dioxane": a locant written before a systematic name
        if (
            start >= 2
            and doc[start - 1].text == "-"
            and not doc[start - 1].whitespace_
            and not doc[start - 2].whitespace_
            and _LOCANT.fullmatch(doc[start - 2].text)
            and _CHEMICAL_NAME.fullmatch(_word(doc[start]))
        ):
            start -= 2
        span = doc[start:end]
        value = normalise_name(span.text)
        if span[0].is_title and span.start in _sentence_starts(doc, cache) and len(span[0]) > 1:
            value = value[0].lower() + value[1:]
        out.append(
            Mention(
                kind="material",
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                value=value,
                provenance="rules:materials",
                attrs={},
            )
        )
        i = end
    return out


_START_WORDS = (
    GRADE_MODIFIERS
    | CHEMICAL_MODIFIERS
    | ELEMENTS
    | STANDALONE_HEADS
    | COMMODITY_HEADS
    | CONTEXT_HEADS
    | DEPENDENT_HEADS
    | frozenset(p[0] for p in MULTIWORD_MATERIALS)
)
_LOCANT = re.compile(r"[NOSCP]|\d{1,2}(?:,\d{1,2})*|alpha|beta|gamma|cis|trans|tert|sec|iso")
_DRUG_NAME = re.compile(DRUG_ENDINGS)
_CHEMICAL_NAME = re.compile(CHEMICAL_NAME)
_BARE_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9]{1,7}")


@lru_cache(maxsize=65536)
def _named_by_morphology(word: str) -> bool:
    """ "valsartan", "dimethylformamide": a drug substance by its INN stem, an organic compound
    by its systematic name; ordinary English words have neither."""
    return len(word) >= 7 and bool(_DRUG_NAME.fullmatch(word) or _CHEMICAL_NAME.fullmatch(word))


def _material_acronyms(doc: Doc, materials: list[Mention]) -> list[Mention]:
    """ "liquefied natural gas (LNG)", "N-nitrosodiethylamine (NDEA)": an abbreviation in
    parentheses after a material names it, wherever the article uses it (the headline
    too); so do the few abbreviations of substances every reader knows ("LNG", "LPG")."""
    text = _text(doc)
    expansions: dict[str, str] = {}
    for m in materials:
        match = re.match(r"\s*\(([^()\s]{2,8})\)", text[m.end : m.end + 12])
        if not match:
            continue
        inner = match.group(1)
        if (
            _BARE_ACRONYM.fullmatch(inner)
            and sum(ch.isupper() for ch in inner) >= 2
            and _letters_in_order(inner.lower(), (m.value or m.text).lower())
        ):
            expansions.setdefault(inner, m.value or m.text)
    out: list[Mention] = []
    names = set(expansions) | set(MATERIAL_ACRONYMS)
    for match in re.finditer(r"(?<![\w-])[A-Z][A-Za-z0-9]{1,7}(?![\w-])", text):
        word = match.group()
        if word not in names:
            continue
        expansion = expansions.get(word) or MATERIAL_ACRONYMS[word]
        out.append(
            Mention(
                kind="material",
                start=match.start(),
                end=match.end(),
                text=word,
                value=word,
                provenance="rules:material-acronym",
                attrs={"alias_of": expansion} if expansion != word else {},
            )
        )
    return out


# Singular nouns for a kind of substance, after which a news writer names the substance
# itself between commas: "a solvent, dimethylformamide,", "the herbicide, dicamba,".
_SUBSTANCE_CLASSES = _words_of(
    """
    solvent herbicide pesticide insecticide fungicide painkiller opioid antibiotic sedative
    impurity contaminant carcinogen additive sweetener preservative toxin chemical compound
    drug medicine stimulant steroid
    """
)


def _named_substances(doc: Doc) -> list[Mention]:
    """ "a solvent, dimethylformamide, in ...": a substance named in apposition to the kind
    of substance it is, and the same word wherever else the article uses it."""
    names: set[str] = set()
    n = len(doc)
    for i in range(2, n - 1):
        tok = doc[i]
        if (
            doc[i - 1].text == ","
            and doc[i + 1].text in (",", ")", ".", ";")
            and _word(doc[i - 2]) in _SUBSTANCE_CLASSES
            and doc[i - 2].pos_ == "NOUN"
            and tok.is_alpha
            and tok.is_lower
            and len(tok) >= 4
            and not tok.is_stop
            and tok.pos_ in ("NOUN", "PROPN")
            and not (i + 2 < n and doc[i + 2].lower_ in ("and", "or"))
        ):
            names.add(tok.text)
    if not names:
        return []
    text = _text(doc)
    pattern = "|".join(re.escape(w) + "|" + re.escape(w.capitalize()) for w in sorted(names))
    return [
        Mention(
            kind="material",
            start=m.start(),
            end=m.end(),
            text=m.group(),
            value=m.group().lower(),
            provenance="rules:materials",
            attrs={},
        )
        for m in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", text)
    ]


def _letters_in_order(acronym: str, name: str) -> bool:
    """Every letter of the abbreviation appears in the name, in order, the first first."""
    if not name.startswith(acronym[0]):
        return False
    pos = 0
    for ch in acronym:
        pos = name.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


# Nouns a commodity word modifies, verbs it is the object of, and nouns it follows "of" after,
# when it is traded, made or priced: "oil prices", "import gas", "barrels of crude".
_TRADE_NOUNS = _words_of(
    """
    price prices export exports import imports output production shipment shipments supply
    supplies reserve reserves future futures cargo cargoes delivery deliveries demand
    consumption tanker tankers pipeline pipelines field fields well wells refinery refineries
    producer producers exporter exporters importer importers spill spills leak leaks
    stockpile stockpiles inventories stocks sales market markets glut shortage shortages
    barrel barrels tonne tonnes ton tons litre litres liter liters gallon gallons cubic
    flow flows purchase purchases sale cap embargo
    """
)
_TRADE_VERBS = _words_of(
    """
    produce export import ship supply sell buy pump refine mine burn extract deliver
    transport carry store divert recall contain drill discover find purchase stockpile
    """
)


def _context_head(doc: Doc, i: int) -> bool:
    """ "barrels of crude", "crude exports" (however tagged), "oil prices": a commodity word
    that is also an everyday word, used for the commodity."""
    tok = doc[i]
    if _word(tok) == "crude" and (
        tok.tag_ == "NN"
        or (tok.dep_ in ("amod", "compound", "nmod") and tok.head.lower_ in _TRADE_NOUNS)
    ):
        return True
    return _traded(doc, i)


def _traded(doc: Doc, i: int, depth: int = 0) -> bool:
    """A commodity word that is also an everyday word ("oil", "gas", "gold") is the substance
    where the sentence trades, makes or prices it, not in "gas station" or "the Oil Ministry";
    and where it is listed with a material ("copper and tin")."""
    tok = doc[i]
    if tok.pos_ != "NOUN" and not (tok.pos_ == "ADJ" and tok.dep_ == "conj"):
        return False
    head = tok.head
    if tok.dep_ in ("compound", "nmod"):
        return head.lower_ in _TRADE_NOUNS
    if tok.dep_ == "dobj":
        return head.lemma_.lower() in _TRADE_VERBS
    if tok.dep_ == "pobj" and head.lower_ in ("of", "for"):
        return head.head.lower_ in _TRADE_NOUNS or head.head.lemma_.lower() in _TRADE_VERBS
    if tok.dep_ == "conj" and depth == 0 and head.pos_ == "NOUN":
        w = _word(head)
        if w in STANDALONE_HEADS or w in COMMODITY_HEADS:
            return True
        return (w in CONTEXT_HEADS or w in _TRADED_ELEMENTS) and _traded(doc, head.i, 1)
    return False


_DEGREE_WORDS = frozenset(["high", "low", "highly", "ultra"])
_PHRASE_STARTS = frozenset(p[0] for p in MULTIWORD_MATERIALS)


def _phrase_end(doc: Doc, j: int) -> int | None:
    """The end of a commodity name of several words starting at ``j``: "crude oil",
    "natural-gas prices"."""
    if _word(doc[j]) not in _PHRASE_STARTS:
        return None
    words: list[str] = []
    ends: list[int] = []
    k = j
    while k < len(doc) and len(words) < 4:
        tok = doc[k]
        if tok.text == "-" and not tok.whitespace_ and k > j and not doc[k - 1].whitespace_:
            k += 1
            continue
        words.append(_word(tok))
        ends.append(k + 1)
        k += 1
    for size in (4, 3, 2):
        if size <= len(words) and tuple(words[:size]) in MULTIWORD_MATERIALS:
            end = ends[size - 1]
            if doc[end - 1].pos_ in ("NOUN", "PROPN"):
                return end
    return None


def _ore_end(doc: Doc, j: int) -> int | None:
    """ "lump ore", "magnetite ore": a word describing the ore it modifies."""
    if j + 1 >= len(doc) or _word(doc[j + 1]) not in ("ore", "ores"):
        return None
    tok = doc[j]
    if (
        tok.is_alpha
        and tok.is_lower
        and not tok.is_stop
        and tok.pos_ in ("NOUN", "ADJ")
        and tok.dep_ in ("compound", "amod")
        and tok.head.i == j + 1
    ):
        return j + 2
    return None


def _ore_form_end(doc: Doc, end: int) -> int:
    """ "iron ore fines": the form ore is shipped in stays with it."""
    if (
        end < len(doc)
        and _word(doc[end - 1]) in ("ore", "ores")
        and _word(doc[end]) in ORE_FORMS
        and doc[end].pos_ == "NOUN"
    ):
        return end + 1
    return end


def _sentence_starts(doc: Doc, cache: dict[str, set[int]]) -> set[int]:
    """Token indices that start a sentence, computed once per document (``is_sent_start``
    checks the whole document's annotation on every call)."""
    if "starts" not in cache:
        cache["starts"] = {sent.start for sent in doc.sents}
    return cache["starts"]


def _text(doc: Doc) -> str:
    """The document's text; ``Doc.text`` joins every token on each access, so it is kept."""
    cached = doc.user_data.get("casedesk_text")
    if not isinstance(cached, str):
        cached = doc.text
        doc.user_data["casedesk_text"] = cached
    return cached


def _word(tok: Token) -> str:
    return tok.lower_.replace("–", "-")


# Element names that are also common words: "lead the talks", "gold medal", "iron out".
_AMBIGUOUS_ELEMENTS = frozenset(
    ["lead", "tin", "iron", "gold", "silver", "mercury", "nickel", "zinc", "carbon", "copper"]
)


# Of those, the ones traded as commodities ("carbon prices" are the price of emitting it).
_TRADED_ELEMENTS = _AMBIGUOUS_ELEMENTS - {"carbon"}

_FINITE_VERB = frozenset(["VB", "VBD", "VBP", "VBZ"])
# Heads that are also adjectives of ordinary English ("a concrete plan").
_ADJECTIVAL_HEADS = frozenset(["concrete", "mustard", "sapphire", "graphite", "steel"])
_NO_SUBJECT_BEFORE = frozenset([",", "of", "the", "a", "an", "with", "for", "including"])


def _lone_element(doc: Doc, i: int) -> bool:
    """ "exports of gallium and germanium": an element named alone, as a noun, and not as the
    modifier of another noun ("hydrogen bomb", "nitrogen levels")."""
    tok = doc[i]
    if _word(tok) not in ELEMENTS or _word(tok) in _AMBIGUOUS_ELEMENTS:
        return False
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound":
        return False
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return nxt is None or nxt.pos_ not in ("NOUN", "PROPN")


def _material_end(doc: Doc, i: int) -> int | None:
    """The end of a material name starting at token ``i``, or None."""
    end = _material_grammar_end(doc, i)
    return _ore_form_end(doc, end) if end is not None else None


def _material_grammar_end(doc: Doc, i: int) -> int | None:
    n = len(doc)
    j = i
    grade = 0
    phrase = _phrase_end(doc, i)
    if phrase is not None:
        return _material_form_end(doc, phrase)
    # grade words, possibly hyphenated over several tokens: "high-purity"
    while j < n:
        w = _word(doc[j])
        if j + 2 < n and doc[j + 1].text == "-" and not doc[j].whitespace_:
            joined = w + "-" + _word(doc[j + 2])
            if joined in GRADE_MODIFIERS:
                j += 3
                grade += 1
                phrase = _phrase_end(doc, j)
                if phrase is not None:
                    return _material_form_end(doc, phrase)
                continue
        if w in GRADE_MODIFIERS and doc[j].pos_ in ("ADJ", "ADV", "NOUN", "PROPN"):
            j += 1
            grade += 1
            phrase = _phrase_end(doc, j)
            if phrase is not None:
                # "low natural-gas prices": a bare degree word is the price's, not a grade
                if w in _DEGREE_WORDS:
                    return None
                return _material_form_end(doc, phrase)
            continue
        break
    ore = _ore_end(doc, j)
    if ore is not None:
        return ore
    last_head: int | None = None
    k = j
    modifiers = 0
    while k < n:
        tok = doc[k]
        w = _word(tok)
        if not tok.is_alpha:
            break
        standalone = (
            w in STANDALONE_HEADS
            or w in COMMODITY_HEADS
            or _named_by_morphology(w)
            or (w in CONTEXT_HEADS and _context_head(doc, k))
        )
        dependent = w in DEPENDENT_HEADS
        # "enriched uranium" is a material, "they enriched uranium" a verb and its object
        # (a finite verb; the tagger often calls "fluorinated" a participle, which is fine)
        modifier = (w in ELEMENTS or w in CHEMICAL_MODIFIERS) and (
            tok.tag_ not in _FINITE_VERB
            # "hydrogen fluoride, fluorinated polyimide": no subject before a list item
            or (k == j and k > 0 and doc[k - 1].lower_ in _NO_SUBJECT_BEFORE)
        )
        if not (standalone or dependent or modifier):
            break
        # The tagger guesses rare chemistry words badly ("polyimide" as an adverb): a head
        # only has to be no verb or adjective, which keeps out "a concrete plan".
        if (standalone or (dependent and modifiers > 0)) and (
            tok.pos_ in ("NOUN", "PROPN")
            or (k > j and tok.pos_ != "VERB")
            or tok.pos_ not in ("VERB", "AUX", "ADJ")
            # "valsartan tablets", "chlorine tablets": a substance's name read as an adjective
            or (standalone and tok.pos_ == "ADJ" and w not in _ADJECTIVAL_HEADS)
            or (tok.dep_ in ("compound", "nmod") and _word(tok.head) in MATERIAL_FORM_HEADS)
        ):
            last_head = k + 1
        modifiers += 1
        k += 1
    if last_head is None and k == j + 1 and _lone_element(doc, j):
        return k
    # "gold prices", "exports of tin": an element that is also an everyday word, where traded
    if last_head is None and k == j + 1 and _word(doc[j]) in _TRADED_ELEMENTS and _traded(doc, j):
        return k
    if last_head is None:
        return None
    extended = _material_form_end(doc, last_head)
    if extended > last_head:
        return extended
    # An element name on its own only counts when it is used as a noun ("lead" the verb, "tin").
    if last_head - j == 1 and _word(doc[j]) in ELEMENTS and _word(doc[j]) not in STANDALONE_HEADS:
        return None
    if last_head - j == 1 and (
        doc[j].pos_ in ("VERB", "AUX")
        or (doc[j].pos_ == "ADJ" and _word(doc[j]) in _ADJECTIVAL_HEADS)
        or (doc[j].pos_ == "ADJ" and _word(doc[j]) in CONTEXT_HEADS and not _context_head(doc, j))
    ):
        return None
    # Generic words never end a material name.
    if _word(doc[last_head - 1]) in GENERIC_WORDS:
        return None
    return last_head


def _material_form_end(doc: Doc, end: int) -> int:
    """ "epoxy molding compound", "silica filler": a material that modifies a noun naming the
    form it comes in, through a chain of compound nouns, extends to that noun."""
    last = doc[end - 1]
    head = last.head
    while _word(head) not in MATERIAL_FORM_HEADS and 0 < head.head.i - head.i <= 3 - (
        head.i - last.i
    ):
        head = head.head
    # A noun whose head is a noun just after it modifies that noun, whatever the (often
    # confused) label: "epoxy" can parse as the subject of "molding compound".
    if last.dep_ in ("conj", "appos") or not 0 < head.i - last.i <= 3:
        return end
    if head.pos_ != "NOUN" or _word(head) not in MATERIAL_FORM_HEADS:
        return end
    for k in range(end, head.i):
        t = doc[k]
        if t.pos_ not in ("NOUN", "ADJ", "VERB") or t.dep_ not in ("compound", "amod", "nmod"):
            return end
        if not end - 1 < t.head.i <= head.i or not t.is_alpha:
            return end
    return head.i + 1


# -- the same name again ------------------------------------------------------------------------

_NOT_NAME_WORDS = (
    NAME_TITLES
    | ORG_HEADS
    | PORTFOLIO_WORDS
    | TITLE_NOUNS
    | _words_of(
        """january february march april may june july august september october november
        december monday tuesday wednesday thursday friday saturday sunday"""
    )
)


def _same_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Occurrences the model left out of a name already found in the document: a person's
    surname alone ("Esteves said" after "Maria Esteves"), an abbreviation used alone after
    it was introduced ("RJD leader" after "Rashtriya Janata Dal (RJD)"), a company's name at
    the start of a sentence. Each takes the kind and name of the mention it repeats.

    Only whole words outside every other mention are taken; a surname must be capitalised
    and stand alone, not as part of a longer capitalised name. A surname that is also a
    function word ("He" of "He Yanling", also the pronoun) is taken only where a pronoun
    would be written in lower case: right after a quotation closed by a comma ('..." He said').
    """
    text = _text(doc)
    surfaces: dict[str, Mention] = {}
    function_words: set[str] = set()
    for m in mentions:
        if m.kind not in ("person", "organization", "place"):
            continue
        words = m.text.split()
        if m.kind == "person" and len(words) > 1 and m.provenance != "rules:alternative-name":
            for w in (words[-1], words[0]):
                if (
                    len(w) > 1
                    and w[0].isupper()
                    and w[1:].islower()
                    and w.isalpha()
                    and w.lower() not in _NOT_NAME_WORDS
                ):
                    surfaces.setdefault(w, m)
                    if doc.vocab[w.lower()].is_stop:
                        function_words.add(w)
        if (
            m.text[:1].isupper()
            and (m.kind != "person" or len(words) > 1 or _shown_one_word_person(doc, m))
            and m.provenance != "rules:short-form"  # "the Commission" only where it was said
            and m.provenance != "rules:state-code"  # "OK" only after a town and a comma
            and m.text not in _COMPASS_POINTS  # "the West" names a region, "I-44 West" not
            and not all(w.lower() in ORG_HEADS for w in words)
        ):
            surfaces.setdefault(m.text, m)
        # "Amu Power" after "Amu Power Company": a company without its legal form
        if m.kind == "organization" and len(words) > 1:
            bare = words[:-1]
            if (
                words[-1].lower() in CORPORATE_SUFFIXES
                and bare[-1][:1].isupper()
                and not bare[-1].endswith(",")
                and not _known_place(" ".join(bare).lower())
                and not (len(bare) == 1 and doc.vocab[bare[0].lower()].is_stop)
            ):
                short = " ".join(bare)
                surfaces.setdefault(
                    short,
                    Mention(
                        kind="organization",
                        start=m.start,
                        end=m.end,
                        text=short,
                        value=short,
                        provenance=m.provenance,
                        attrs={},
                    ),
                )
    if not surfaces:
        return mentions
    taken = sorted((m.start, m.end) for m in mentions)
    starts = [s for s, _ in taken]
    pattern = re.compile(
        r"(?<![\w.'’-])(?:"
        + "|".join(re.escape(k) for k in sorted(surfaces, key=len, reverse=True))
        + r")(?!\w)"
    )
    added: list[Mention] = []
    for match in pattern.finditer(text):
        lo, hi = match.span()
        pos = bisect.bisect_right(starts, lo)
        if pos > 0 and taken[pos - 1][1] > lo or pos < len(taken) and taken[pos][0] < hi:
            continue
        surface = match.group(0)
        source = surfaces[surface]
        whole = surface == source.text
        if not whole and not _stands_alone(text, lo, hi):
            continue
        if surface in function_words and not _AFTER_QUOTE.search(text, max(0, lo - 4), lo):
            continue
        added.append(
            Mention(
                kind=source.kind,
                start=lo,
                end=hi,
                text=surface,
                value=source.value if whole else surface,
                provenance="rules:same-name",
                attrs={"same_as": source.value} if whole else {},
            )
        )
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: m.start)


def _shown_one_word_person(doc: Doc, m: Mention) -> bool:
    """A person named by one word whose document shows it is a person's name (a pronoun
    takes it up, a context cue): found again where the model missed it ("Vossberg" in
    every sentence), unless the word is also a common word (a stop word, "He")."""
    return (
        m.attrs.get("cue") == "person"
        and m.text.isalpha()
        and m.text[1:].islower()
        and not doc.vocab[m.text.lower()].is_stop
        and m.text.lower() not in _NOT_NAME_WORDS
    )


_AFTER_QUOTE = re.compile(r",[\"”’'] $")


def _stands_alone(text: str, lo: int, hi: int) -> bool:
    """A surname not next to another capitalised word ("Drost said", not "Drost Holdings")."""
    after = re.match(r"(?:['’]s)?\s+([A-Z]\w*)", text[hi : hi + 30])
    if after and after.group(1) not in _SENTENCE_WORDS:
        return False
    before = re.search(r"([A-Z]\w*)[ \t]+$", text[max(0, lo - 30) : lo])
    return not before or before.group(1).lower() in _HONORIFICS | NAME_TITLES


_SENTENCE_WORDS = frozenset(["I"])


# -- overlaps and names -----------------------------------------------------------------------

_PRIORITY = {
    "rules:institutions": 4,
    "rules:dateline": 4,
    "rules:acronym": 3,
    "rules:acronym-name": 3,
    "rules:alternative-name": 3,
    "rules:citation": 3,
    "rules:material-acronym": 4,
    "rules:materials": 2,
}


def _resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep one mention per stretch of text: rules over the model, then the longer span."""
    ranked = sorted(
        mentions, key=lambda m: (-_PRIORITY.get(m.provenance, 1), -(m.end - m.start), m.start)
    )
    # Kept spans never overlap, so sorted by start they are sorted by end too: a new span
    # can only collide with its neighbours in that order.
    starts: list[int] = []
    kept: list[Mention] = []
    for m in ranked:
        pos = bisect.bisect_right(starts, m.start)
        if pos > 0 and kept[pos - 1].end > m.start:
            continue
        if pos < len(kept) and kept[pos].start < m.end:
            continue
        starts.insert(pos, m.start)
        kept.insert(pos, m)
    return kept


def normalise_name(text: str) -> str:
    """The display form of a name: one space between words, typographic quotes made plain,
    a shouted dateline ("TOKYO") in title case, acronyms kept as written."""
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip()
    words = text.split(" ")
    alpha = [w for w in words if w.isalpha()]
    if alpha and all(w.isupper() and len(w) > 4 for w in alpha):
        text = " ".join(w.capitalize() for w in words)
    return text


# -- the passes, in order -----------------------------------------------------------------------


@dataclass
class _State:
    """What the entity passes share: the mentions so far and what passes left for later ones."""

    doc: Doc
    mentions: list[Mention] = field(default_factory=list)
    votes: dict[str, Counter[str]] = field(default_factory=dict)
    materials: list[Mention] = field(default_factory=list)


def _pass_model(s: _State) -> None:
    for ent in s.doc.ents:
        kind = LABEL_KIND.get(ent.label_)
        if kind is not None and (m := _model_mention(s.doc, ent, kind)) is not None:
            s.mentions.append(m)


def _pass_org_fragments(s: _State) -> None:
    s.mentions = _join_org_fragments(s.doc, s.mentions)


def _pass_headed_places(s: _State) -> None:
    s.mentions = _headed_places(s.doc, s.mentions)


def _pass_coordination(s: _State) -> None:
    s.mentions = _relabel_coordinated(s.doc, s.mentions)


def _pass_surnames(s: _State) -> None:
    s.mentions = _relabel_surnames(s.doc, s.mentions)


def _pass_context(s: _State) -> None:
    s.votes = _retype_by_context(s.doc, s.mentions)


# -- pronouns ---------------------------------------------------------------------------------

_PERSONAL_SUBJECTS = frozenset(["he", "she"])
_PERSONAL_POSSESSIVES = frozenset(["his", "her"])
# Third-person pronouns that end the search for the one taking a name up, and say nothing
# about its kind ("him" is never its own clause's subject; "they" may be people or a body).
_OTHER_PRONOUNS = frozenset(
    ["him", "himself", "herself", "they", "them", "their", "theirs", "themselves", "it"]
)
_SUBJECT_DEPS = frozenset(["nsubj", "nsubjpass"])


def _pronoun_evidence(doc: Doc, mentions: list[Mention]) -> dict[str, Counter[str]]:
    """How often a third-person pronoun takes up each name, by the pronoun's kind: "person"
    for "he", "she", "his", "her", "it" for "its".

    A name is taken up by a pronoun in two positions only, where English leaves the reader no
    other antecedent: (1) the name is a clause's subject and the first third-person pronoun
    after it in the same sentence is a subject "he"/"she" or a possessive "his"/"her"/"its",
    with no other name or person noun between ("Marta Quell said she would appeal",
    "Quell sold her shares", "Norvik raised its prices"); (2) the name is the subject of a
    sentence's main verb, the next sentence's main verb has "he"/"she" for subject, and
    nothing else in the first sentence could be a person ("Quell moved to Lyon in 1990. She
    taught ..."): the subject of one sentence is the antecedent a subject pronoun of the
    next takes up first."""
    named = [m for m in mentions if m.kind in ("person", "organization", "place")]
    if not named:
        return {}
    owner: dict[int, Mention] = {}
    subjects: dict[int, Mention] = {}  # sentence start -> its main verb's subject
    subject_at: list[tuple[int, int, Mention]] = []
    for m in named:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        for i in range(span.start, span.end):
            owner[i] = m
        root = span.root
        if span.start > 0 and doc[span.start - 1].lower_ == "the":
            continue  # "the Church said": a description, never a person's name
        if root.dep_ in _SUBJECT_DEPS and not (span.start <= root.head.i < span.end):
            subject_at.append((span.start, span.end, m))
            if root.head.dep_ == "ROOT":
                subjects.setdefault(root.sent.start, m)
    if not subject_at:
        return {}
    evidence: dict[str, Counter[str]] = defaultdict(Counter)
    # (1) within the sentence
    for start, end, m in subject_at:
        sent_end = doc[start].sent.end
        for k in range(end, sent_end):
            tok = doc[k]
            if _may_be_person(tok, owner, m):
                break
            lower = tok.lower_
            if lower in _PERSONAL_SUBJECTS and tok.dep_ in _SUBJECT_DEPS:
                evidence[m.text]["person"] += 1
                break
            if tok.tag_ == "PRP$" and lower in _PERSONAL_POSSESSIVES:
                evidence[m.text]["person"] += 1
                break
            if lower == "its" and tok.tag_ == "PRP$":
                evidence[m.text]["it"] += 1
                break
            if lower in _OTHER_PRONOUNS or lower in _PERSONAL_SUBJECTS:
                break
    # (2) the next sentence's subject
    sents = list(doc.sents) if subjects else []
    for sent, nxt in zip(sents, sents[1:], strict=False):
        subject = subjects.get(sent.start)
        if subject is None:
            continue
        if any(_may_be_person(t, owner, subject) for t in sent):
            continue
        subj = next((c for c in nxt.root.children if c.dep_ in _SUBJECT_DEPS), None)
        if (
            subj is not None
            and subj.lower_ in _PERSONAL_SUBJECTS
            # another paragraph: often another speaker, or a quotation
            and "\n" not in _text(doc)[subject.end : subj.idx]
        ):
            evidence[subject.text]["person"] += 1
    return evidence


def _may_be_person(tok: Token, owner: dict[int, Mention], name: Mention) -> bool:
    """A word other than ``name`` that could be the person a pronoun takes up: another name
    (not a place or an organisation's), a noun for a person, a proper noun no pass typed."""
    other = owner.get(tok.i)
    if other is not None:
        return other is not name and other.kind == "person"
    if tok.pos_ == "PROPN":
        return True
    return tok.pos_ == "NOUN" and (tok.lemma_.lower() in PERSON_NOUNS or tok.lower_ in PERSON_NOUNS)


def _headed_name(text: str) -> bool:
    """A name of several words ending in an organisation's or a place's head word, a company
    word or a legal form ("Ford Motor", "Dunmore Partners Ltd", "Ostrava Cathedral"): it says
    what it names, whatever a pronoun says (a family name such as "Hall" or "Park" aside)."""
    words = text.split()
    if len(words) < 2:
        return False
    last = words[-1].lower().rstrip(".")
    return last in _NAMED_HEADS and last not in _SURNAME_PLACE_HEADS


_NAMED_HEADS = ORG_HEADS | COMPANY_WORDS | CORPORATE_SUFFIXES | PLACE_HEADS


def _pass_pronouns(s: _State) -> None:
    """A name a pronoun takes up (see ``_pronoun_evidence``) more often as "he"/"she" than as
    "its" is a person's, wherever it stands in the document; the evidence is kept as the
    name's cue, for the case-wide decision. What the context shows (a company title, a legal
    form, a place noun) or the name's own head word ("Ford Motor") outweighs it; a
    well-known place's name ("Paris", "Jordan") needs a word of a person's full name in the
    document or three pronouns (a place is never taken up as "she" three times)."""
    unfound = _unfound_subjects(s.doc, s.mentions)
    evidence = _pronoun_evidence(s.doc, s.mentions + unfound)
    if not evidence:
        return
    for m in unfound:
        counts = evidence.get(m.text)
        if counts is not None and counts["person"] > counts["it"]:
            m.attrs["cue"] = "person"
            s.mentions.append(m)
    parts = {w for m in s.mentions if m.kind == "person" and " " in m.text for w in m.text.split()}
    for m in s.mentions:
        counts = evidence.get(m.text)
        if counts is None or counts["person"] <= counts["it"]:
            continue
        if m.provenance not in _RETYPABLE or _headed_name(m.text):
            continue
        if _known_place(m.text.lower()):
            # its cue is then the place's name itself, not its context
            if m.text not in parts and counts["person"] < 3:
                continue
        elif m.attrs.get("cue") in ("organization", "place"):
            continue
        m.attrs["cue"] = "person"
        if m.kind != "person":
            m.kind = "person"
            m.attrs["relabelled"] = "pronoun"


def _taken_tokens(doc: Doc, mentions: list[Mention]) -> set[int]:
    """The indices of the tokens the mentions cover."""
    taken: set[int] = set()
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            taken.update(range(span.start, span.end))
    return taken


def _unfound_subjects(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Names the model left out that are a clause's subject: one to three capitalised proper
    nouns the tagger reads as such (NNP), in no mention and no other entity, not a stop word,
    a month, a title or a word never a name alone. They are people's names only where a
    pronoun takes them up (``_pass_pronouns``)."""
    taken = _taken_tokens(doc, mentions)
    out: list[Mention] = []
    for i in _tagged(doc, _PROPER_SINGULAR, _SUBJECT_DEPS):
        tok = doc[i]
        if tok.i in taken:
            continue
        start = tok.i
        while start > tok.i - 2 and start > 0 and _unfound_name_word(doc[start - 1], taken):
            start -= 1
        words = doc[start : tok.i + 1]
        if not all(_unfound_name_word(t, taken) for t in words):
            continue
        if tok.i + 1 < len(doc) and _unfound_name_word(doc[tok.i + 1], taken):
            continue  # the subject is the head of a longer capitalised run
        if _known_place(words.text.lower()):
            continue
        out.append(_span_mention(words, "person", "rules:pronoun"))
    return out


_PROPER_SINGULAR = frozenset(["NNP"])
_PROPER_NOUN_TAGS = frozenset(["NNP", "NNPS"])


def _tagged(doc: Doc, tags: frozenset[str], deps: frozenset[str] | None = None) -> list[int]:
    """Indices of the tokens with one of ``tags`` (and, if given, one of ``deps``), read as
    one array of string hashes rather than token by token."""
    tag_ids = {get_string_id(t) for t in tags}
    dep_ids = None if deps is None else {get_string_id(d) for d in deps}
    rows = doc.to_array(["TAG", "DEP"]).tolist() if len(doc) else []
    return [
        i
        for i, (tag, dep) in enumerate(rows)
        if tag in tag_ids and (dep_ids is None or dep in dep_ids)
    ]


def _unfound_name_word(tok: Token, taken: set[int]) -> bool:
    return (
        tok.tag_ == "NNP"
        and tok.is_title
        and tok.is_alpha
        and not tok.is_stop
        and tok.ent_type_ in ("", "PRODUCT")  # "Lars Eide" read as a product
        and tok.i not in taken
        and tok.lower_ not in _NOT_NAME_WORDS
        and tok.lower_ not in _NEVER_NAMES_ALONE
        and tok.lower_ not in HONORIFICS
    )


def _pass_given_names(s: _State) -> None:
    """A name the model calls an organisation or a place that begins with a common given name
    ("Tiffany Marsh", "Nathan"; ``given_names``) is a person's, unless something shows it is
    not: its head word or a word of an organisation's name ("Chase Bank", "Grace Foundation"),
    an abstract noun's ending on its last word ("Roman Catholicism"),
    a cue of its context, a well-known place ("Virginia"), an organisation every reader knows,
    "the" before it, a preposition of place before it anywhere in the document ("in Orlando":
    many towns are named after people), or, for a name of one word, the same word written in
    lower case in the document ("hope", "grace": a common word)."""
    text = _text(s.doc)
    firsts = given_names()
    blocked: set[str] = set()
    candidates: list[Mention] = []
    for m in s.mentions:
        if m.kind not in ("organization", "place"):
            continue
        words = m.text.split()
        first = words[0]
        if (
            len(words) > 4
            # "Mary-Kate", not "Harley-Davidson": every part a given name
            or not all(_folded(part) in firsts for part in first.split("-"))
            or m.provenance not in _RETYPABLE
            or not all(w[:1].isupper() and not w.isupper() for w in words)
        ):
            continue
        if (
            m.attrs.get("cue") in ("organization", "place")
            or m.attrs.get("relabelled") in _RULE_RELABELLINGS
            or text[max(0, m.start - 4) : m.start].lower() == "the "
            or _headed_name(m.text)
            or any(w.lower().strip(".,'’") in _ORG_NAME_WORDS for w in words)
            or m.text in KNOWN_ORGANISATIONS
            or (len(words) > 1 and _ABSTRACT_NOUN.search(words[-1]))
            or _known_place(m.text.lower())
            or _known_place(first.lower())
            or (len(words) == 1 and re.search(rf"\b{re.escape(first.lower())}\b", text))
            or re.search(rf"\b(?:{_LOCATIVES}) {re.escape(m.text)}\b", text)
        ):
            blocked.add(m.text)
            continue
        candidates.append(m)
    for m in candidates:
        if m.text not in blocked:
            m.kind = "person"
            m.attrs["relabelled"] = "given name"
    s.mentions.extend(_unfound_given_names(s.doc, s.mentions, firsts))


def _folded(word: str) -> str:
    """A word lower-cased without its accents ("Gérard" is the Census's "gerard")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _unfound_given_names(
    doc: Doc, mentions: list[Mention], firsts: frozenset[str]
) -> list[Mention]:
    """A common given name standing alone that the model left out ("Carol said", "ask
    Julien") is a person's: a capitalised proper noun (NNP) in no entity (or read as a
    nationality), with no capitalised
    word beside it, not at a sentence's start, not after "the", not a well-known place, not
    written in lower case in the document, and never after a preposition of place."""
    text = _text(doc)
    taken = _taken_tokens(doc, mentions)
    out: list[Mention] = []
    seen: dict[str, bool] = {}
    n = len(doc)
    for i in _tagged(doc, _PROPER_NOUN_TAGS):
        tok = doc[i]
        if (
            tok.tag_ not in ("NNP", "NNPS")
            or tok.ent_type_ not in ("", "NORP")  # "Jenna" read as a nationality
            or tok.i in taken
            or tok.is_sent_start
            or not tok.is_title
            or not tok.is_alpha
            or _folded(tok.text) not in firsts
        ):
            continue
        before, after = doc[tok.i - 1], doc[tok.i + 1] if tok.i + 1 < n else None
        if before.is_title or before.lower_ == "the" or (after is not None and after.is_title):
            continue
        word = tok.text
        if word not in seen:
            seen[word] = not (
                _known_place(word.lower())
                or word.lower() in _NOT_NAME_WORDS
                or re.search(rf"\b{re.escape(word.lower())}\b", text)
                or re.search(rf"\b(?:{_LOCATIVES}) {re.escape(word)}\b", text)
            )
        if seen[word]:
            out.append(_span_mention(doc[tok.i : tok.i + 1], "person", "rules:given-name"))
    return out


# Endings of English abstract nouns, which end no person's name ("Roman Catholicism").
_ABSTRACT_NOUN = re.compile(r"(?:ism|ity|ment|tion|ness|ship|ology)s?$")
# Prepositions before a place ("in Orlando", "near Florence"), never before a person.
_LOCATIVES = "in|near|outside|around|across|through|via|towards?"
# Relabellings that rest on a rule's evidence for another kind.
_RULE_RELABELLINGS = frozenset(
    ["company", "coordination", "dateline", "list of places", "place pair", "case"]
)


_TITLE_WORD = r"[A-Z][a-zà-ÿ'’-]+"
_NAME_BEFORE_LIFE_DATES = re.compile(
    rf"(?<![\w-])({_TITLE_WORD}(?: (?:[A-Z]\.|{_TITLE_WORD})){{1,4}})(?=\s*\((?:born\b|b\.\s|"
    r"died\b|d\.\s|née\b|(?:c\.\s*)?\d{3,4}\s*[–-]\s*(?:c\.\s*)?\d{3,4}\)))"
)


def _pass_life_dates(s: _State) -> None:
    """ "Ada Marie Lovelace (born 10 December 1815)": capitalised words right before the
    dates of a life are a person's name (a biography's first line), found or not."""
    text = _text(s.doc)
    for match in _NAME_BEFORE_LIFE_DATES.finditer(text):
        span = s.doc.char_span(match.start(1), match.end(1))
        if span is None or any(t.lower_ in ORG_HEADS | COMPANY_WORDS for t in span):
            continue
        s.mentions = [m for m in s.mentions if m.end <= span.start_char or m.start >= span.end_char]
        s.mentions.append(_span_mention(span, "person", "rules:life-dates"))


_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
# A capitalised word of a name, with the Gaelic and Norman prefixes that keep a capital after
# them ("O'Brien", "McManus", "MacLeod", "D'Souza")
_CITED_PREFIX = rf"(?:['’][{_UPPER}]|c[{_UPPER}]|ac[{_UPPER}])"
_CITED_WORD = rf"[{_UPPER}]{_CITED_PREFIX}?[{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+)*"
_PARTICLE = r"(?:de|van|von|der|den|del|della|da|di|du|le|la|dos|das|ten|ter)"
_CITED_NAME = rf"(?:{_PARTICLE} )?{_CITED_WORD}(?: (?:{_PARTICLE} )?{_CITED_WORD}){{0,2}}"
_AUTHORS = rf"{_CITED_NAME}(?:(?:,? & |,? and |, ){_CITED_NAME})*"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-z]?"
# "(Brenner & Vell, 2019; Okafor et al., 2021)": author-year references in parentheses
_CITATION_GROUP = re.compile(r"\(([^()\n]{4,400}?\b" + _YEAR + r"\b[^()\n]{0,80})\)")
_CITATION = re.compile(
    rf"(?:(?:e\.g\.|i\.e\.|see(?: also)?|cf\.|also|and)[,:]? )?(?P<authors>{_AUTHORS})"
    rf"(?: et al\.?)?,? {_YEAR}\b"
)
# "Brenner (2019) argues", "Okafor and Vell's (2021) study"
_NARRATIVE_CITATION = re.compile(
    rf"(?<![\w.'’-])(?P<authors>{_AUTHORS})(?: et al\.?)?(?:['’]s)?,? \({_YEAR}"
    r"(?:, p+\. ?\d+(?:[-–]\d+)?)?\)"
)
# "Okafor & Brenner [7]", "Okafor et al. [7, 9]": authors before a numbered reference (two
# joined or "et al.": one name before a footnote mark is as often a place or a work)
_NUMBERED_CITATION = re.compile(
    rf"(?<![\w.'’-])(?P<authors>{_CITED_NAME}(?: et al\.|(?: & | and ){_CITED_NAME}))(?:['’]s)?"
    r" \[\d{1,3}(?:[,–-] ?\d{1,3})*\]"
)
_CITED_PERSON = re.compile(_CITED_NAME)
_TITLE_LEAD = frozenset(["the", "a", "an", "of"])


def _cited_authors(text: str) -> list[tuple[int, int]]:
    """The authors of author-year references (APA, Harvard and the like): "(Brenner & Vell,
    2019; Okafor et al., 2021)", "Brenner (2019) argues"; and of numbered references named
    in the text ("Brenner & Vell [7]"). Each author is a person."""
    spans: list[tuple[int, int]] = []

    def authors(start: int, group: str) -> None:
        for name in _CITED_PERSON.finditer(group):
            spans.append((start + name.start(), start + name.end()))

    for paren in _CITATION_GROUP.finditer(text):
        pos = paren.start(1)
        for part in paren.group(1).split(";"):
            lead = len(part) - len(part.lstrip())
            cite = _CITATION.match(part, lead)
            if cite is not None:
                authors(pos + cite.start("authors"), cite.group("authors"))
            pos += len(part) + 1
    for cite in _NUMBERED_CITATION.finditer(text):
        authors(cite.start("authors"), cite.group("authors").removesuffix(" et al."))
    if not spans and " et al" not in text:
        # "Name (2013)" alone is also how a film or a book is listed with its year: only a
        # text that cites by author and year elsewhere is read so.
        return spans
    for cite in _NARRATIVE_CITATION.finditer(text):
        if cite.group("authors").startswith("The "):
            continue
        before = text[max(0, cite.start() - 20) : cite.start()].split()
        if before and (before[-1].lower() in _TITLE_LEAD or before[-1][:1].isupper()):
            continue  # "Elevator to the Gallows (1958)": the end of a work's title
        authors(cite.start("authors"), cite.group("authors"))
    return spans


def _pass_citations(s: _State) -> None:
    """Authors named in author-year references are people, however the model read them
    ("Brenner & Vell, 2019" is no company); not a name ending in an organisation's head
    word or a well-known place (a body as author: "World Health Organization, 2019")."""
    text = _text(s.doc)
    if not any(ch.isdigit() for ch in text):
        return
    found = []
    for start, end in sorted(set(_cited_authors(text))):
        name = text[start:end]
        last = name.split()[-1].lower()
        if last in ORG_HEADS or last in COMPANY_WORDS or _known_place(name.lower()):
            continue
        if name.lower() in _NOT_NAME_WORDS or s.doc.vocab[name.lower()].is_stop:
            continue
        span = s.doc.char_span(start, end)
        if span is not None:
            found.append(_span_mention(span, "person", "rules:citation"))
    if found:
        taken = [(m.start, m.end) for m in found]
        s.mentions = [
            m
            for m in s.mentions
            if not any(a < m.end and m.start < b for a, b in taken)
            or m.kind not in ("person", "organization", "place")
        ]
        s.mentions.extend(found)


def _pass_name_parts(s: _State) -> None:
    """After the context has typed full names: a one-word name that is the first or last word
    of a person's full name in the document is that person ("Pike" after "Corwin Alder Pike
    (born ...)"), unless its own context says otherwise or it is a well-known place."""
    full = [m.text.split() for m in s.mentions if m.kind == "person" and " " in m.text]
    parts = {w for words in full for w in (words[0], words[-1])}
    # "Corwin Pike" beside "Corwin Alder Pike": the person without a middle name
    short = {words[0] + " " + words[-1] for words in full if len(words) > 2}
    for m in s.mentions:
        if m.kind != "person" and m.text in short and m.provenance in _RETYPABLE:
            m.kind = "person"
            m.attrs["relabelled"] = "name"
    for m in s.mentions:
        if (
            m.kind in ("organization", "place")
            and " " not in m.text
            and m.text in parts
            and m.provenance in _RETYPABLE
            # a place keeps the kind the model gave it most often; an organisation only
            # that of a cue (the model reads a surname as a team or a firm)
            and (
                m.attrs.get("cue") in (None, "person")
                if m.kind == "organization"
                else not (s.votes.get(m.text) and "person" not in s.votes[m.text])
            )
            and not _known_place(m.text.lower())
        ):
            m.kind = "person"
            m.attrs["relabelled"] = "surname"


_PLACE_PAIR_END = re.compile(
    r"[ \t]*(?:[,.;:)\]]|\n|$)|[ \t]+(?:in|on|at|and|with|where|for|since|until|to|from|"
    r"before|after|during|when|which|who)\b"
)
_IN_PLACE = frozenset(["in", "near", "from", "outside", "at", "to"])


def _pass_place_pairs(s: _State) -> None:
    """ "born in Exeter, Devon.", "resides in Kellan, Texas": a place followed by a comma and
    the region it lies in. The name after a place's comma, closing the phrase, is a place;
    so is a name after "in" (or "near", "from" ...) followed by a comma and a place. Only
    that occurrence: the same word may name a person elsewhere in the text."""
    text = _text(s.doc)
    ordered = sorted(
        (m for m in s.mentions if m.kind in ("person", "organization", "place")),
        key=lambda m: m.start,
    )
    if not ordered:
        return
    for prev, m, nxt in zip([None, *ordered[:-1]], ordered, [*ordered[1:], None], strict=True):
        if m.kind == "place" or m.provenance not in _RETYPABLE or len(m.text.split()) > 2:
            continue
        if m.attrs.get("cue") == m.kind:
            continue  # its own context said what it is
        after_place = (
            prev is not None
            and prev.kind == "place"
            and text[prev.end : m.start] == ", "
            and _PLACE_PAIR_END.match(text, m.end) is not None
        )
        words = text[max(0, m.start - 12) : m.start].split()
        before_region = (
            bool(words)
            and words[-1] in _IN_PLACE
            and nxt is not None
            and text[m.end : nxt.start] == ", "
            and (nxt.kind == "place" or _known_place(nxt.text.lower()))
            and _PLACE_PAIR_END.match(text, nxt.end) is not None
        )
        if after_place or before_region:
            m.kind = "place"
            m.attrs["relabelled"] = "place pair"


def _pass_towns(s: _State) -> None:
    """ "grew up in Isfahan", "moved to Herat": a town of the gazetteer that the model read as
    an organisation is a place after a preposition of location (not after a word of holding or
    taking part: "a stake in Toyota"), or of passage after a word of moving, travel or
    distance. Only that occurrence, and never against the name's own context (a cue for any
    kind) or a sign elsewhere in the text that it names a body ("X announced", "X's board",
    "taught at X"): a firm, a team or a university may bear a town's name ("studied at
    Princeton", "hired from Nokia", "Cleveland signed him and he moved to Cleveland"). A town
    the model read as a person is a place only after a word of moving ("flew to Hastings"),
    never where a full name in the text holds the word ("Andrew Jackson")."""
    doc = s.doc
    bodies: dict[str, bool] = {}
    name_parts = {
        w for m in s.mentions if m.kind == "person" and " " in m.text for w in m.text.split()
    }
    for m in s.mentions:
        if (
            m.kind not in ("organization", "person")
            or m.provenance not in _RETYPABLE
            or m.attrs.get("cue")
        ):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or span.start == 0 or not town_population(m.text):
            continue
        prep = doc[span.start - 1]
        if span.end < len(doc) and doc[span.end].lower_ in ("'s", "’s"):
            continue  # "in Temple's garden"
        head = prep.head.lemma_.lower()
        held = head in STAKE_WORDS or (prep.i > 0 and doc[prep.i - 1].lemma_.lower() in STAKE_WORDS)
        passage = prep.lower_ in _PASSAGE and head in MOTION_WORDS
        if m.kind == "person":
            # a person's name only after a word of moving, and never a part of a full name
            # in the text ("flew to Jackson" is a town, "Andrew Jackson ... went to Jackson"?)
            if not passage or set(m.text.split()) & name_parts:
                continue
        elif not ((prep.lower_ in _LOCATIVE and not held) or passage):
            continue
        if m.text not in bodies:
            bodies[m.text] = _used_as_body(doc, m.text)
        if not bodies[m.text]:
            m.kind = "place"
            m.attrs["relabelled"] = "town"


def _used_as_body(doc: Doc, name: str) -> bool:
    """Whether one occurrence of ``name`` in the text is used as an organisation is."""
    for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", _text(doc)):
        span = doc.char_span(match.start(), match.end())
        if span is not None and _acts_as_body(doc, span):
            return True
    return False


MATCH_VERBS = _lexicon("match_verbs")
# A score line: two sides, capitalised names, with the score between them ("Norway 2 – 1
# Chile", "Korea Republic 0-1 Sweden"); at most three digits a side, never a range of years.
_SIDE = r"[A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*){0,3}"
_SCORE_LINE = re.compile(
    rf"({_SIDE})[ \t]+\d{{1,3}}[ \t]*[–—-][ \t]*\d{{1,3}}(?![\d%])[ \t]+({_SIDE})"
)


def _pass_teams(s: _State) -> None:
    """ "Group C — Norway 2 – 1 Chile", "Norway beat Chile 2 – 1": in an article that gives
    the score of a match between two names, a country or town that plays stands for its
    team, an organisation, in every sentence of the article ("Chile's goalkeeper", "a goal
    for Chile"). A name plays when it is a side of a score line ("Norway 2 – 1 Chile", "Korea
    Republic"), or the subject or the object of a verb of playing a match (``match_verbs``:
    "Norway faced Chile", "lost to Chile"). In an article without a score line the same
    words are about the country ("Norway beat the storm")."""
    doc = s.doc
    text = _text(doc)
    places = {m.text for m in s.mentions if m.kind == "place" and m.provenance in _RETYPABLE}
    if not places:
        return
    names = {m.text for m in s.mentions if m.kind in ("person", "organization", "place")}

    def named(side: str, among: set[str]) -> set[str]:
        return {n for n in among if side == n or side.startswith(n + " ") or side.endswith(" " + n)}

    teams: set[str] = set()
    for line in _SCORE_LINE.finditer(text):
        left, right = line.group(1), line.group(2)
        if named(left, names) and named(right, names):  # not "June 10-12 Berlin"
            teams |= named(left, places) | named(right, places)
    if not teams:
        return
    for m in s.mentions:
        if m.text not in places or m.text in teams:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        verb = root.head
        if root.dep_ == "pobj" and verb.lower_ in ("to", "against", "with"):
            verb = verb.head  # "lost to Chile", "drew with Chile"
        elif root.dep_ not in ("nsubj", "dobj"):
            continue
        if verb.lemma_.lower() in MATCH_VERBS:
            teams.add(m.text)
    for m in s.mentions:
        if m.text in teams and m.kind == "place" and m.provenance in _RETYPABLE:
            m.kind = "organization"
            m.attrs["relabelled"] = "team"
            m.attrs["cue"] = "organization"


# "Tulsa, OK", "Paramus, NJ": a town, a comma and a US state's two-letter postal code.
_TOWN_AND_STATE = re.compile(
    r"(?<![\w-])([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}), ([A-Z]{2})(?![\w-])"
)


def _pass_state_codes(s: _State) -> None:
    """ "Bartlesville, OK", "Paramus, NJ": a US state's postal code after a town and a comma is
    the state, a place, and the town before it is a place too (a name found by the model or
    a town of the gazetteer: "Fine, OK." is no address; after a person's name the letters are
    a degree: "Ada Brenner, MD")."""
    codes = us_state_codes()
    text = _text(s.doc)
    by_span = {(m.start, m.end): m for m in s.mentions}
    for match in _TOWN_AND_STATE.finditer(text):
        if match.group(2) not in codes:
            continue
        town = by_span.get(match.span(1))
        if town is None and not town_population(match.group(1)):
            continue
        if town is not None and town.kind == "person":
            # "Ada Brenner, MD", "Ada Brenner, MA": a degree after a person's name
            degree = by_span.get(match.span(2))
            if degree is not None and degree.provenance in _RETYPABLE:
                s.mentions.remove(degree)
            continue
        if town is not None and town.kind != "place":
            if town.provenance not in _RETYPABLE or town.attrs.get("cue") not in (None, "place"):
                continue
            town.kind = "place"
            town.attrs["relabelled"] = "town and state"
        state = by_span.get(match.span(2))
        if state is None:
            span = s.doc.char_span(*match.span(2))
            if span is not None and not any(
                m.start < span.end_char and span.start_char < m.end for m in s.mentions
            ):
                s.mentions.append(_span_mention(span, "place", "rules:state-code"))
        elif state.kind != "place" and state.provenance in _RETYPABLE:
            state.kind = "place"
            state.attrs["relabelled"] = "town and state"


# "(IATA: PHX)", "ICAO code EGLL": an airport's code names the airport, a place.
_AIRPORT_CODE = re.compile(r"\b(?:IATA|ICAO)(?: code)?:?[ \t]+([A-Z0-9]{3,4})(?![\w-])")


def _pass_airport_codes(s: _State) -> None:
    """ "Tulsa International Airport (IATA: TUL)": the code after "IATA" or "ICAO" is the
    airport's, a place wherever the text uses it ("take the PHX skytrain")."""
    text = _text(s.doc)
    for match in _AIRPORT_CODE.finditer(text):
        lo, hi = match.span(1)
        found = [m for m in s.mentions if m.start < hi and lo < m.end]
        if not found:
            span = s.doc.char_span(lo, hi)
            if span is not None:
                s.mentions.append(_span_mention(span, "place", "rules:airport-code"))
        for m in found:
            if (m.start, m.end) == (lo, hi) and m.kind != "place":
                m.kind = "place"
                m.attrs["relabelled"] = "airport code"


_COMPASS_POINTS = _words_of(
    "North South East West Northeast Northwest Southeast Southwest North-East North-West "
    "South-East South-West"
)


# Regions named by a compass point: the points themselves and the regions built from them.
_COMPASS_REGIONS = _COMPASS_POINTS | frozenset(
    ["Midwest", "Mideast", "Far East", "Middle East", "Near East"]
)
_THE_COMPASS_REGION = re.compile(
    r"\b[Tt]he [\"“‘']?("
    + "|".join(sorted((re.escape(w) for w in _COMPASS_REGIONS), key=len, reverse=True))
    + r")\b"
)


def _pass_compass_regions(s: _State) -> None:
    """ "energy for the West", "from the Southeast", "the Midwest": a capitalised compass
    point or a region named by one, after "the" and ending its noun phrase, names a region
    (a place). Not when a name or a noun goes on ("the West Bank", "the North wind", "the
    South African"), nor before "of" ("the North of the country" is a direction)."""
    doc = s.doc
    text = _text(doc)
    n = len(doc)
    for match in _THE_COMPASS_REGION.finditer(text):
        span = doc.char_span(match.start(1), match.end(1))
        if span is None:
            continue
        nxt = doc[span.end] if span.end < n else None
        if nxt is not None and (
            nxt.lower_ == "of"
            or (nxt.is_alpha and (nxt.is_title or nxt.pos_ in ("NOUN", "PROPN", "ADJ", "NUM")))
        ):
            continue
        a, b = span.start_char, span.end_char
        inside = [m for m in s.mentions if m.start < b and a < m.end]
        if any(m.start < a or m.end > b or m.provenance != MODEL_PROVENANCE for m in inside):
            continue
        if [(m.start, m.end, m.kind) for m in inside] == [(a, b, "place")]:
            continue  # the model's own reading
        s.mentions = [m for m in s.mentions if not any(m is x for x in inside)]
        s.mentions.append(_span_mention(span, "place", "rules:compass-region"))


_NUMBERED_PLACE = re.compile(
    r"\b("
    + "|".join(sorted((re.escape(w.title()) for w in NUMBERED_PLACE_WORDS), key=len, reverse=True))
    + r") (?:\d{1,3}[A-Z]?|[A-Z])(?![\w.,-]?\w)"
)


def _pass_numbered_places(s: _State) -> None:
    """ "Terminal 2", "Gate B", "Building 31": a capitalised word for a part of a facility or
    a site (``NUMBERED_PLACE_WORDS``) and its number or letter name a place. The model's
    mentions inside it give way ("2" read as part of something else); a rule's stay."""
    text = _text(s.doc)
    for match in _NUMBERED_PLACE.finditer(text):
        a, b = match.start(), match.end()
        inside = [m for m in s.mentions if m.start < b and a < m.end]
        if any(m.start < a or m.end > b or m.provenance != MODEL_PROVENANCE for m in inside):
            continue
        span = s.doc.char_span(a, b)
        if span is None:
            continue
        s.mentions = [m for m in s.mentions if not any(m is x for x in inside)]
        s.mentions.append(_span_mention(span, "place", "rules:numbered-place"))


def _pass_directions(s: _State) -> None:
    """ "I-44 West", "Fifth Street North", "streets run East / West", "East of Main": a compass
    point after a road's number or name, after a verb, or before "of" gives a direction and
    is no place ("the West", "from Northeast or Southwest" name regions and stay)."""
    doc = s.doc
    kept = []
    for m in s.mentions:
        if m.text in _COMPASS_POINTS and m.kind == "place":
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and span.start > 0:
                prev = doc[span.start - 1]
                nxt = doc[span.end] if span.end < len(doc) else None
                if (
                    any(c.isdigit() for c in prev.text)
                    or prev.lower_.rstrip(".") in PLACE_HEADS
                    or prev.tag_.startswith("VB")
                    or (nxt is not None and nxt.lower_ == "of")
                ):
                    continue
        kept.append(m)
    s.mentions = kept


def _pass_place_lists(s: _State) -> None:
    s.mentions = _places_in_lists(s.doc, s.mentions)


def _pass_capitalised_words(s: _State) -> None:
    s.mentions = _drop_capitalised_words(s.doc, s.mentions)


def _pass_titled_names(s: _State) -> None:
    s.mentions.extend(_titled_names(s.doc))


def _pass_headed_organisations(s: _State) -> None:
    s.mentions.extend(_headed_organisations(s.doc))


def _pass_kind_first_organisations(s: _State) -> None:
    found = _kind_first_organisations(s.doc)
    if not found:
        return
    same = {(m.start, m.end): m for m in s.mentions}
    for m in found:
        old = same.get((m.start, m.end))
        if old is None:
            s.mentions.append(m)
        elif old.kind in ("person", "place"):
            old.kind = "organization"  # "Instituto Ricci" read as a person's name
            old.attrs["relabelled"] = "kind-first"


def _pass_institutions(s: _State) -> None:
    s.mentions.extend(_institution_mentions(s.doc))


def _pass_known_organisations(s: _State) -> None:
    s.mentions.extend(_known_organisations(s.doc, s.mentions))


def _pass_short_forms(s: _State) -> None:
    s.mentions.extend(_short_forms(s.doc, s.mentions))


def _pass_known_as(s: _State) -> None:
    s.mentions = _known_as(s.doc, s.mentions)


def _pass_company_short_names(s: _State) -> None:
    _company_short_names(s.doc, s.mentions, s.votes)


def _pass_datelines(s: _State) -> None:
    datelines = _datelines(s.doc)
    s.mentions = _relabel_dateline_places(s.mentions, datelines)
    s.mentions.extend(datelines)


def _pass_parenthesised(s: _State) -> None:
    s.mentions.extend(_parenthesised(s.doc, s.mentions))


def _pass_materials(s: _State) -> None:
    names = [(m.start, m.end) for m in s.mentions if m.provenance == MODEL_PROVENANCE]
    s.materials = [
        # "Bethlehem Steel", "Korea Zinc": a material word inside a company's name
        m
        for m in _materials(s.doc)
        if not any(a <= m.start and m.end <= b and (a, b) != (m.start, m.end) for a, b in names)
    ]
    s.materials.extend(_named_substances(s.doc))
    s.mentions.extend(s.materials)


def _pass_material_acronyms(s: _State) -> None:
    s.mentions.extend(_material_acronyms(s.doc, s.materials))


_PARENTHESISED_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9]{1,9})\)")


def _lowercase_terms(doc: Doc) -> set[str]:
    """Abbreviations the text introduces for a lower-case phrase ("sea surface salinity
    (SSS)", "return on equity (ROE)"): a term of the subject, not a name."""
    text = _text(doc)
    terms: set[str] = set()
    for match in _PARENTHESISED_ACRONYM.finditer(text):
        acronym = match.group(1)
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[max(line_start, match.start() - 120) : match.start()].split()
        for k in range(1, min(len(before), 10) + 1):
            phrase = before[-k:]
            if any(not w[:1].isalpha() or any(c.isupper() for c in w) for w in phrase):
                break
            if acronym_matches(acronym, " ".join(phrase)):
                terms.add(acronym)
                break
    return terms


EVENT_HEADS = _lexicon("event_heads")


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)?$|(?:First|Second|Third|Annual)$")


def _leading_place(doc: Doc, start: int, end: int, towns: bool = True) -> Span | None:
    """The place an event's name starts with, past "the" and an ordinal: "Avignon" of "the
    Avignon Festival", "Berlin" of "the 33rd Berlin International Film Festival"; the longest
    run of up to three words that is a well-known place or a town of the gazetteer."""
    while start < end and (doc[start].lower_ == "the" or _ORDINAL.match(doc[start].text)):
        start += 1
    for k in range(min(3, end - start - 1), 0, -1):
        span = doc[start : start + k]
        if all(t.text[:1].isupper() for t in span) and (
            _known_place(span.text.lower()) or (towns and town_population(span.text) > 0)
        ):
            return span
    return None


def _pass_events(s: _State) -> None:
    """ "the Summer Olympics", "the Teen Choice Awards": a name ending in the head noun of an
    event or a prize is no person, organisation or place; a well-known place or a town at
    its start still is ("London" of "London 2012 Olympics", "Berlin" of "the 33rd Berlin
    Film Festival"), and so is an abbreviation. Where the model reads the whole as an event,
    only a well-known place is taken ("the Vietnam War"): a town's name there is as often a
    word ("Independence", "Liberty")."""
    doc = s.doc
    kept: list[Mention] = []
    for m in s.mentions:
        words = m.text.split()
        if (
            m.kind not in ("person", "organization", "place")
            or words[-1].lower() not in EVENT_HEADS
            or m.provenance not in _RETYPABLE
        ):
            kept.append(m)
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        place = _leading_place(doc, span.start, span.end) if span is not None else None
        if place is not None:
            kept.append(_span_mention(place, "place", "rules:event-name"))
        elif len(words) > 1 and _ACRONYM.match(words[0]):
            first = words[0]
            kept.append(
                Mention(
                    kind="organization",
                    start=m.start,
                    end=m.start + len(first),
                    text=first,
                    value=normalise_name(first),
                    provenance="rules:event-name",
                    attrs={},
                )
            )
    taken = [(m.start, m.end) for m in kept]
    for ent in doc.ents:
        if ent.label_ != "EVENT" or ent[-1].lower_ not in EVENT_HEADS:
            continue
        place = _leading_place(doc, ent.start, ent.end, towns=False)
        if place is not None and not any(
            a < place.end_char and place.start_char < b for a, b in taken
        ):
            kept.append(_span_mention(place, "place", "rules:event-name"))
    s.mentions = kept


_COUNTING_WORDS = frozenset(["a", "an", "each", "every", "any", "another", "per", "no"])


def _common_noun_acronyms(doc: Doc, mentions: list[Mention]) -> set[str]:
    """Abbreviations the text uses as common nouns ("a CFL", "busted CFLs", "3 RBI", "400
    BCE"): counted, or described by an adjective, and the head of their phrase. A name is
    unique and never so used ("a NATO summit" has NATO as a modifier, not the head)."""
    candidates = {
        m.text.rstrip("s")
        for m in mentions
        if m.kind in ("person", "organization", "place")
        and 2 <= len(m.text) <= 6
        and m.text.rstrip("s").isupper()
        and m.text.rstrip("s").isalpha()
        and not _known_place(m.text.lower())  # "US"
    }
    found: set[str] = set()
    if not candidates:
        return found
    n = len(doc)
    for tok in doc:
        word = tok.text.rstrip("s")
        if word not in candidates or word in found or tok.i == 0:
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < n else None
        if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.is_alpha:
            continue  # a modifier: "NATO members"
        k = tok.i - 1
        # "a busted CFL": past a participle describing it
        while k > tok.i - 3 and k > 0 and doc[k].tag_ in ("VBN", "VBG") and doc[k].is_lower:
            k -= 1
        prev = doc[k]
        if (
            prev.lower_ in _COUNTING_WORDS
            or (prev.like_num and not prev.is_title)
            or (prev.pos_ == "ADJ" and prev.is_lower)
        ):
            found.add(word)
    return found


def _pass_terms(s: _State) -> None:
    terms = _lowercase_terms(s.doc) | _common_noun_acronyms(s.doc, s.mentions)
    if terms:
        plural = {t + "s" for t in terms}
        s.mentions = [
            m
            for m in s.mentions
            if m.kind not in ("person", "organization", "place")
            or (m.text not in terms and m.text not in plural)
        ]


ORGANISATION_KINDS = _lexicon("organisation_kinds")
# Organisations every reader knows by name, which need no other evidence.
KNOWN_ORGANISATIONS = _lexicon("international_organisations", lower=False) | _lexicon(
    "broadcasters", lower=False
)
_ORG_NAME_WORDS = (
    ORG_HEADS | PUBLIC_BODY_HEADS | COMPANY_WORDS | CORPORATE_SUFFIXES | ORGANISATION_KINDS
)
# How a name reaches the mentions with no more behind it than the model's ORG label: the model
# itself, a repetition of a name it found, a name coordinated with its names.
_MODEL_ONLY = frozenset([MODEL_PROVENANCE, "rules:same-name", "rules:coordination"])
# Relabellings that rest on evidence for an organisation ("Norvik" of "Norvik Chemical", a cue).
_SHOWN_BY = frozenset(["company", "context"])
# Verbs of being: their subject is described, not acting ("Merlot is a grape").
_COPULAS = _words_of("be become seem remain")
# Verbs whose object is a body one belongs to, deals with or reports to: "joined X", "told X".
_BODY_VERBS = _words_of("join rejoin leave quit found establish form sue acquire buy hire tell")
# Nouns for what and who belongs to a body, after its name: "Norvik shares", "Norvik officials".
_BODY_MEMBERS = (
    _COMPANY_HAS
    | CORPORATE_TITLES
    | _words_of(
        """shares stock stocks stake officials official employees employee staff workers members
    member spokesman spokeswoman spokesperson reporters reporter executives executive
    headquarters"""
    )
)


def _acts_as_body(doc: Doc, span: Span) -> bool:
    """One occurrence of a name used as an organisation is used: owning something ("X's
    shares"), before what and who belongs to a body ("X shares", "X officials"), acting as the
    subject of a verb other than a copula ("X announced", "X fired its chief") or as the agent
    of a passive ("interviewed by X"), the place one works or studies at ("taught at X"), an
    opponent ("against X"), a source ("according to X"), or the object of a verb whose object
    is a body ("joined X", "told X", "acquired X"). A term, a work's title or a product is
    rarely any of these ("the index is ...", "starred in X", "a glass of X")."""
    if span.end < len(doc) and doc[span.end].tag_ == "POS":
        return True
    root = span.root
    head = root.head
    if root.dep_ in ("compound", "nmod") and head.i >= span.end and head.lower_ in _BODY_MEMBERS:
        return True
    if root.dep_ == "nsubj" and head.pos_ == "VERB" and head.lemma_.lower() not in _COPULAS:
        return True
    if root.dep_ == "pobj" and (
        head.lower_ in ("at", "against")
        or head.dep_ == "agent"  # "was interviewed by X"
        or (head.lower_ == "to" and head.i > 0 and doc[head.i - 1].lower_ == "according")
    ):
        return True
    return root.dep_ in ("dobj", "dative") and head.lemma_.lower() in _BODY_VERBS


def _shown_organisations(doc: Doc, mentions: list[Mention]) -> set[str]:
    """The organisation names of a document that something besides the model's label shows to
    be organisations: a word of an organisation's name in them ("Church", "Party", "Ltd", "Times";
    ``ORG_HEADS``, ``COMPANY_WORDS``, ``ORGANISATION_KINDS``), a context cue or a rule that typed
    them, an abbreviation linked to them or their expansion shown, or one occurrence anywhere in
    the text used as an organisation is (``_acts_as_body``)."""
    orgs = [m for m in mentions if m.kind == "organization"]
    shown: set[str] = set()
    for m in orgs:
        words = {w.strip(".,'’()\"").lower() for w in m.text.split()}
        if (
            m.provenance not in _MODEL_ONLY
            or m.text in KNOWN_ORGANISATIONS
            or words & _ORG_NAME_WORDS
            or m.attrs.get("cue") == "organization"
            or m.attrs.get("relabelled") in _SHOWN_BY
        ):
            shown.add(m.text)
    text = _text(doc)
    for name in sorted({m.text for m in orgs} - shown):
        for start in _whole_occurrences(text, name):
            span = doc.char_span(start, start + len(name))
            if span is not None and _acts_as_body(doc, span):
                shown.add(name)
                break
    # an abbreviation and the name it spells, another name of it, stand or fall together
    acronyms = {m.text for m in orgs if _ACRONYM.match(m.text)}
    linked: dict[str, set[str]] = defaultdict(set)
    for m in orgs:
        for link in ("acronym_of", "alias_of", "same_as"):
            target = m.attrs.get(link)
            if isinstance(target, str):
                linked[m.text].add(target)
                linked[target].add(m.text)
    # (an acronym's first letter is the initial of one of the words it spells: only names with
    # such a word are tried, not every name with every acronym)
    by_initial: dict[str, set[str]] = defaultdict(set)
    for name in {m.text for m in orgs}:
        for word in _acronym_words(name):
            by_initial[word.lower()[:1]].add(name)
    for a in acronyms:
        first = _acronym_letters(a)[:1]
        for name in by_initial.get(first[0], set()) if first else ():
            if a != name and acronym_matches(a, name):
                linked[a].add(name)
                linked[name].add(a)
    # names listed with organisations shown to be ones: "Norvik, Baltic Steel and Kessel"
    by_token: dict[int, str] = {}
    for m in orgs:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            by_token[span.root.i] = m.text
    for i, name in by_token.items():
        for t in _conjuncts(doc[i]):
            other = by_token.get(t.i)
            if other is not None and other != name:
                linked[name].add(other)
    # the same written as a list, whatever the parse made of it
    ordered = sorted(orgs, key=lambda m: m.start)
    for one, nxt in zip(ordered, ordered[1:], strict=False):
        if one.text != nxt.text and _LIST_SEP.fullmatch(text, one.end, nxt.start):
            linked[one.text].add(nxt.text)
            linked[nxt.text].add(one.text)
    todo = [n for n in shown if n in linked]
    while todo:
        for other in linked[todo.pop()] - shown:
            shown.add(other)
            todo.append(other)
    return shown


def _pass_org_evidence(s: _State) -> None:
    """A name only the model calls an organisation, with nothing in the document to show it is
    one (``_shown_organisations``), is no entity: the small model labels terms of a field
    ("Principal Component Analysis"), works ("Paper Lanterns"), products and grape varieties
    as organisations as often as it finds real ones unmarked. Casedesk has no kind for those."""
    s.doc.user_data[_UNSHOWN] = []
    if not any(m.kind == "organization" and m.provenance in _MODEL_ONLY for m in s.mentions):
        return
    shown = _shown_organisations(s.doc, s.mentions)
    kept = []
    for m in s.mentions:
        if m.kind == "organization" and m.provenance in _MODEL_ONLY and m.text not in shown:
            s.doc.user_data[_UNSHOWN].append(m)
        else:
            kept.append(m)
    s.mentions = kept


_UNSHOWN = "casedesk_unshown_organisations"


def unshown_organisations(doc: Doc) -> list[Mention]:
    """The names ``find_entities`` left out of ``doc`` because nothing in it showed them to be
    organisations (the ``org_evidence`` pass), in document order: the case may know them as
    organisations from other documents (``pipeline`` asks the resolver)."""
    found = doc.user_data.get(_UNSHOWN)
    return sorted(found, key=lambda m: m.start) if isinstance(found, list) else []


def _pass_overlaps(s: _State) -> None:
    s.mentions = _resolve_overlaps(s.mentions)


def _pass_same_names(s: _State) -> None:
    s.mentions = _same_names(s.doc, s.mentions)


# "US-169", "US 75", "U.S. 412": a number of one to three digits after the country's
# abbreviation designates a highway of the US numbered system (not "US 2020", "US 1,000").
_US_ROUTE = re.compile(r"(?:-|\s)\d{1,3}(?![\d.,]?\d)")


def _pass_road_numbers(s: _State) -> None:
    text = _text(s.doc)
    for m in s.mentions:
        if m.kind != "place" or m.text not in ("US", "U.S."):
            continue
        road = _US_ROUTE.match(text, m.end)
        if road is None:
            continue
        m.end = road.end()
        m.text = text[m.start : m.end]
        m.value = normalise_name(m.text)
        m.attrs["road"] = True


_PART_QUALIFIERS = _lexicon("place_part_qualifiers")
_WORD_BEFORE = re.compile(r"([A-Za-z]+(?:-[A-Za-z]+)?)[ \t]+$")


def _pass_place_parts(s: _State) -> None:
    """ "southern Rellmark", "downtown Osk", "Upper Vestra" (the model taking only "Vestra"):
    a place written directly after a part qualifier (``place_part_qualifiers``) names that
    part, a different place. The span stays the name; the value becomes the qualified name,
    so the part is its own entity and the bare name's entity never takes it in."""
    text = _text(s.doc)
    covered = sorted((m.start, m.end) for m in s.mentions)
    for m in s.mentions:
        if m.kind != "place" or not m.value or m.value.split()[0].lower() in _PART_QUALIFIERS:
            continue
        before = _WORD_BEFORE.search(text, max(0, m.start - 30), m.start)
        if before is None or before.group(1).lower() not in _PART_QUALIFIERS:
            continue
        at = bisect.bisect_right(covered, (before.start(1), len(text))) - 1
        if at >= 0 and covered[at][1] > before.start(1):
            continue  # the word belongs to another name
        m.attrs["part_of"] = m.value
        m.value = f"{before.group(1).capitalize()} {m.value}"


# Great Britain's road numbers: a motorway (M), a primary or other A road, a B road, with one
# to four digits, a motorway section of an A road written "A1M" or "A1(M)".
_GB_ROAD = re.compile(r"(?<=\bthe )[ABM][1-9]\d{0,3}(?:M|\(M\))?(?![\w-])")
# Words that show a sentence is about roads ("the M6 northbound to junction 4").
_ROAD_CUES = _words_of(
    "northbound southbound eastbound westbound junction junctions motorway motorways road "
    "roads exit roundabout carriageway lane lanes traffic"
)


def _pass_gb_roads(s: _State) -> None:
    """ "the M6 northbound", "the A59 and the M62": a British road number after "the" is a
    place (a road) when its sentence is about roads: a word of roads and driving in it
    (``_ROAD_CUES``) or another road number. Elsewhere the same letters and digits name an
    aircraft, a rifle or a paper size ("the A380", "the M16"), and stay out."""
    doc = s.doc
    text = _text(doc)
    matches = list(_GB_ROAD.finditer(text))
    if not matches:
        return
    for match in matches:
        a, b = match.start(), match.end()
        span = doc.char_span(a, b)
        if span is None:
            continue
        sent = span.sent
        others = sum(1 for o in matches if sent.start_char <= o.start() < sent.end_char) > 1
        if not others and not any(t.lower_ in _ROAD_CUES for t in sent):
            continue
        nxt = doc[span.end] if span.end < len(doc) else None
        if (
            nxt is not None
            and nxt.pos_ == "NOUN"
            and nxt.lower_ not in _ROAD_CUES
            and nxt.text.title() not in _COMPASS_POINTS  # "the A483 west"
        ):
            continue  # "the M16 rifle"
        inside = [m for m in s.mentions if m.start < b and a < m.end]
        if any(m.start < a or m.end > b or m.provenance != MODEL_PROVENANCE for m in inside):
            continue
        s.mentions = [m for m in s.mentions if not any(m is x for x in inside)]
        road = _span_mention(span, "place", "rules:road-number")
        road.attrs["road"] = True
        s.mentions.append(road)


_STATE_CITY_NAMES = table("state_city_names")
_LIST_GOES_ON = re.compile(r",?\s*(?:and|or|&)\s+")


def _after_a_town(text: str, name: str, mentions: list[Mention]) -> list[Mention]:
    """The bare uses of ``name`` written after one of the state's towns and a comma, as
    addresses are ("Albion, New York"), not in a list of places ("Lyon, Albion, New York",
    "Albion, New York and Lyon")."""
    places = sorted((m for m in mentions if m.kind == "place"), key=lambda m: m.start)
    starts = {m.start for m in places}
    found = []
    for town, m in zip(places, places[1:], strict=False):
        if m.value != name or town.value == name or text[town.end : m.start] != ", ":
            continue
        if text[: town.start].rstrip().endswith(","):
            continue
        then = _LIST_GOES_ON.match(text, m.end)
        if then is not None and then.end() in starts:
            continue
        found.append(m)
    return found


def _pass_state_names(s: _State) -> None:
    """ "New York" is the city unless the text uses the bare name for the state: each use
    after a town and a comma ("Albion, New York") is the state's, and every use in a document
    that writes "New York State", "upstate New York" or "the state of New York" is. Such a
    use takes the state's name (``state_city_names``), so it never joins the city's entity."""
    text = _text(s.doc)
    for name, state in _STATE_CITY_NAMES.items():
        bare = [m for m in s.mentions if m.kind == "place" and m.value == name]
        if not bare:
            continue
        n = re.escape(name)
        said = re.search(
            rf"\b{n}\s+[Ss]tate\b|\b[Uu]pstate\s+{n}\b|\b[Tt]he\s+(?:state|province)\s+of\s+{n}\b",
            text,
        )
        for m in bare if said else _after_a_town(text, name, s.mentions):
            m.value = state


@dataclass(frozen=True)
class EntityPass:
    """One named step of entity extraction; ``find_entities`` runs them in order."""

    name: str
    run: Callable[[_State], None]
    does: str


# The entity passes in the order they run. Each fact's ``attrs["kind_pass"]`` names the pass
# that last set its kind (the one that created it, or one that changed its kind afterwards).
ENTITY_PASSES: tuple[EntityPass, ...] = (
    EntityPass("model", _pass_model, "the statistical model's names, trimmed and typed"),
    EntityPass("org_fragments", _pass_org_fragments, "a ministry name split at 'and' joined"),
    EntityPass("headed_places", _pass_headed_places, "names ending in a place word ('X Hall')"),
    EntityPass("compass_regions", _pass_compass_regions, "'the West', 'the Midwest': regions"),
    EntityPass("numbered_places", _pass_numbered_places, "'Terminal 2', 'Gate B': places"),
    EntityPass("coordination", _pass_coordination, "names coordinated with organisations"),
    EntityPass("surnames", _pass_surnames, "parts of a person's name; a company's first word"),
    EntityPass("context", _pass_context, "kinds from context cues, kept across the document"),
    EntityPass("pronouns", _pass_pronouns, "a name taken up by 'he' or 'she' is a person's"),
    EntityPass("given_names", _pass_given_names, "names that begin with a common given name"),
    EntityPass("life_dates", _pass_life_dates, "a name before a life's dates is a person"),
    EntityPass("name_parts", _pass_name_parts, "parts of full names the context typed"),
    EntityPass("place_lists", _pass_place_lists, "names in a list of places are places"),
    EntityPass("place_pairs", _pass_place_pairs, "'Exeter, Devon': a place and its region"),
    EntityPass("towns", _pass_towns, "'moved to Herat': a town after a preposition of place"),
    EntityPass("state_codes", _pass_state_codes, "'Tulsa, OK': a town and its state's code"),
    EntityPass("airport_codes", _pass_airport_codes, "'(IATA: PHX)': an airport's code"),
    EntityPass("teams", _pass_teams, "'Norway 2 – 1 Chile': a country that plays is its team"),
    EntityPass("capitalised_words", _pass_capitalised_words, "common words read as names"),
    EntityPass("citations", _pass_citations, "authors of author-year references are people"),
    EntityPass("titled_names", _pass_titled_names, "names after a person's title"),
    EntityPass("headed_organisations", _pass_headed_organisations, "Xs ending in an org head"),
    EntityPass(
        "kind_first_organisations",
        _pass_kind_first_organisations,
        "'University of Leeds', 'Instituto Ricci': names opened by an organisation's kind",
    ),
    EntityPass("institutions", _pass_institutions, "news agencies and seats of government"),
    EntityPass("known_organisations", _pass_known_organisations, "'UNESCO': known by name"),
    EntityPass("short_forms", _pass_short_forms, "'the Commission' after its full name"),
    EntityPass("known_as", _pass_known_as, "'X, known as Y': Y names X"),
    EntityPass("company_short_names", _pass_company_short_names, "a company's brand alone"),
    EntityPass("datelines", _pass_datelines, "news datelines ('BERLIN --') are places"),
    EntityPass("parenthesised", _pass_parenthesised, "'Name (ACRONYM)', other spellings"),
    EntityPass("materials", _pass_materials, "materials by grammar, lists and morphology"),
    EntityPass("material_acronyms", _pass_material_acronyms, "a material's abbreviation"),
    EntityPass("events", _pass_events, "names of events and prizes are no entities"),
    EntityPass("terms", _pass_terms, "an abbreviation of a phrase or used as a noun: no name"),
    EntityPass("overlaps", _pass_overlaps, "one mention per stretch of text"),
    EntityPass("org_evidence", _pass_org_evidence, "organisations only the model saw: shown?"),
    EntityPass("directions", _pass_directions, "'I-44 West': a compass point as a direction"),
    EntityPass("gb_roads", _pass_gb_roads, "'the M6 northbound': a British road's number"),
    EntityPass("same_names", _pass_same_names, "a name found again where the model missed it"),
    EntityPass("road_numbers", _pass_road_numbers, "'US 169': a road's number, not the country"),
    EntityPass("place_parts", _pass_place_parts, "'southern X', 'downtown X': a part of X"),
    EntityPass("state_names", _pass_state_names, "'New York' the state where the text says so"),
)
# Passes switched off for every call of ``find_entities`` that names none (for measuring what
# one pass adds: ``bench/gum.py --disable NAME``).
DISABLED_PASSES: frozenset[str] = frozenset()


def entity_pass_names() -> list[str]:
    return [p.name for p in ENTITY_PASSES]


def find_entities(doc: Doc, disable: Collection[str] | None = None) -> list[Mention]:
    """Entity mentions (person, organization, place, material) in document order, found by
    ``ENTITY_PASSES`` minus the ones in ``disable`` (default: ``DISABLED_PASSES``)."""
    off = DISABLED_PASSES if disable is None else frozenset(disable)
    unknown = set(off) - set(entity_pass_names())
    if unknown:
        raise ValueError(f"no entity pass named {', '.join(sorted(unknown))}")
    state = _State(doc)
    doc.user_data.pop(_UNSHOWN, None)
    for p in ENTITY_PASSES:
        if p.name in off:
            continue
        before = {id(m): (m, m.kind) for m in state.mentions}
        p.run(state)
        for m in state.mentions:
            seen = before.get(id(m))
            if seen is None or seen[1] != m.kind:
                m.attrs["kind_pass"] = p.name
    if "overlaps" in off:  # mentions must never overlap, whatever was switched off
        state.mentions = _resolve_overlaps(state.mentions)
    return sorted(state.mentions, key=lambda m: (m.start, m.end))
