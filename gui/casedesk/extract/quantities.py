"""Quantities with what they count: "100 industrial products", "25 percent", "14 days".

A quantity is a cardinal number together with its unit or the noun it counts, read from the
dependency parse (the number is a ``nummod`` of the noun, or part of a percentage or an amount
of money). Rules that keep the list useful:

* a number with nothing counted ("Three of them", a year, a page count in debris) is left out;
* a number after a definite determiner ("the three chemicals", "the two countries") refers
  back to things already counted, so it is left out;
* calendar dates and clock times ("July 4", "2 p.m.") belong to the date tagger; durations
  such as "14 days" are quantities of days as well as durations, and are kept;
* approximations ("more than", "about", "nearly") are kept as ``attrs['approx']`` and as the
  mention's modifier.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from casedesk.extract.model import Mention
from casedesk.extract.numbers import CARDINALS

PROVENANCE = "rules:quantities"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SMALL = {
    **CARDINALS,
    "dozen": 12,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    # South Asian scale words: "Rs 324 crore", "5 lakh people"
    "lakh": 100_000,
    "lakhs": 100_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
}
_SOUTH_ASIAN_SCALES = frozenset(["lakh", "lakhs", "crore", "crores"])
_APPROX = (
    "more than",
    "less than",
    "fewer than",
    "at least",
    "at most",
    "up to",
    "as many as",
    "as much as",
    "nearly",
    "almost",
    "about",
    "around",
    "approximately",
    "roughly",
    "some",
    "just over",
    "just under",
    "an estimated",
    "estimated",
    "near",
    "close to",
    "below",
    "above",
    "just below",
    "just above",
)
_DEFINITE = frozenset(
    ["the", "these", "those", "its", "their", "our", "his", "her", "my", "your", "both", "all"]
)
_PERCENT = frozenset(["percent", "per cent", "%", "percentage points", "pct"])
_CURRENCY = {
    "$": "dollars",
    "US$": "dollars",
    "A$": "Australian dollars",
    "AU$": "Australian dollars",
    "C$": "Canadian dollars",
    "CA$": "Canadian dollars",
    "HK$": "Hong Kong dollars",
    "NZ$": "New Zealand dollars",
    "S$": "Singapore dollars",
    "NT$": "New Taiwan dollars",
    "R$": "reais",
    "₦": "naira",
    "₱": "pesos",
    "₽": "roubles",
    "₺": "lira",
    "฿": "baht",
    "₫": "dong",
    "CHF": "Swiss francs",
    "€": "euros",
    "£": "pounds",
    "¥": "yen",
    "₩": "won",
    "₹": "rupees",
    "Rs": "rupees",
    "Rs.": "rupees",
    "INR": "rupees",
}
# Currency named after the amount: "1.8 trillion won", "500 million yen", "20 rupees"
_CURRENCY_WORDS = {
    "won": "won",
    "yen": "yen",
    "yuan": "yuan",
    "renminbi": "yuan",
    "rupee": "rupees",
    "rupees": "rupees",
    "euro": "euros",
    "euros": "euros",
    "dollar": "dollars",
    "dollars": "dollars",
    "pound": "pounds",
    "pounds": "pounds",
    "ringgit": "ringgit",
    "baht": "baht",
    "rupiah": "rupiah",
    "pesos": "pesos",
    "francs": "francs",
    "naira": "naira",
    "reais": "reais",
    "rand": "rand",
    "shillings": "shillings",
    "cedis": "cedis",
    "kwacha": "kwacha",
    "dirhams": "dirhams",
    "riyals": "riyals",
    "lira": "lira",
    "kronor": "kronor",
    "kroner": "kroner",
    "zloty": "zloty",
    "forint": "forint",
    "roubles": "roubles",
    "rubles": "roubles",
    "hryvnias": "hryvnias",
    "dong": "dong",
    "taka": "taka",
}
# A currency sign fused to its amount by the tokenizer: "HK$3", "R$12", "NZ$5.5".
_FUSED_CURRENCY = re.compile(r"(A|AU|C|CA|HK|NZ|S|NT|R|US)\$(\d[\d,]*(?:\.\d+)?)")
# Scale letters written onto an amount: "€2.5m", "$3bn".
_SCALE_SUFFIX = {"m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "trn": 1e12, "k": 1e3}
# "1,650 naira per dollar": an exchange rate counts per unit of another currency.
_PER_CURRENCY = frozenset(
    ["dollar", "euro", "pound", "yen", "yuan", "franc", "rupee", "won", "real", "rand"]
)
# Words before a number whose noun is left out ("from 1,487 on Monday", "hits 2,000").
_ELIDED_BEFORE = frozenset(
    [
        "from",
        "to",
        "past",
        "at",
        "near",
        "hit",
        "hits",
        "hitting",
        "reached",
        "reaches",
        "than",
        "versus",
        "vs",
        "below",
        "above",
        "beyond",
        "and",
        "or",
    ]
)
_CALENDAR_WORDS = _words(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday a.m. p.m. am pm o'clock
    """
)


def find_quantities(doc: Doc) -> list[Mention]:
    """Quantity mentions in document order."""
    out: list[Mention] = []
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if not (_is_number(tok) or _FUSED_CURRENCY.fullmatch(tok.text)):
            i += 1
            continue
        j = i
        while j + 1 < n and (
            _is_number(doc[j + 1])
            and doc[j + 1].tag_ == "CD"
            or doc[j + 1].lower_ in _SOUTH_ASIAN_SCALES
            # "S$7 million": the tagger can read a scale after a fused sign as a name
            or doc[j + 1].lower_ in _SCALES
            and doc[j + 1].is_lower
        ):
            j += 1
        m = _quantity(doc, i, j)
        if m is None:
            m = _elided(doc, i, j, out)
        if m is not None:
            out.append(m)
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            i = max(j + 1, span.end if span is not None else 0)
        else:
            i = j + 1
    return out


def _is_number(tok: Token) -> bool:
    lower = tok.lower_
    if lower == "dozen" and tok.i > 0 and tok.nbor(-1).lower_ == "a":
        return True  # "more than a dozen strikes" (the tagger reads "dozen" as a noun)
    if tok.tag_ != "CD" and not (tok.like_num and tok.pos_ == "NUM"):
        return False
    text = lower.replace(",", "")
    return bool(_DIGITS.fullmatch(text)) or text in _SMALL or (text in _SCALES)


_DIGITS = re.compile(r"\d+(?:\.\d+)?|\d+/\d+")


def parse_number(words: list[str]) -> float | None:
    """The value of "5 1/2", "3.5 billion", "two hundred", "1,200"; None if not a number."""
    total = 0.0
    current = 0.0
    seen = False
    for raw in words:
        w = raw.lower().replace(",", "")
        if re.fullmatch(r"\d+(?:\.\d+)?", w):
            current += float(w)
        elif re.fullmatch(r"\d+/\d+", w):
            num, den = w.split("/")
            if float(den) == 0:
                return None
            current += float(num) / float(den)
        elif w in _SMALL:
            current += _SMALL[w]
        elif w in _SCALES:
            current = (current or 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _number_words(doc: Doc, i: int, j: int) -> tuple[list[str], str | None]:
    """The words of the number at ``i..j`` and the currency fused to its first token."""
    words = [t.text for t in doc[i : j + 1]]
    fused = _FUSED_CURRENCY.fullmatch(words[0])
    if fused:
        words[0] = fused.group(2)
        return words, _CURRENCY[fused.group(1) + "$"]
    return words, None


def _quantity(doc: Doc, i: int, j: int) -> Mention | None:
    number_tokens = doc[i : j + 1]
    if any(t.ent_type_ in ("ORDINAL",) for t in number_tokens):
        return None
    words, currency = _number_words(doc, i, j)
    value = parse_number(words)
    if value is None:
        return None
    start = i
    if doc[i].lower_ == "dozen" and i > 0 and doc[i - 1].lower_ == "a":
        start = i - 1
    # currency sign before the number
    if currency is None and i > 0 and doc[i - 1].text in _CURRENCY:
        currency = _CURRENCY[doc[i - 1].text]
        start = i - 1
    unit_end = j + 1
    unit: str | None = None
    nxt = doc[j + 1] if j + 1 < len(doc) else None
    if (
        currency
        and nxt is not None
        and not doc[j].whitespace_
        and nxt.lower_ in _SCALE_SUFFIX
        and not any(t.lower_ in _SCALES for t in number_tokens)
    ):
        # "€2.5m", "$3bn": the scale is written onto the amount.
        value *= _SCALE_SUFFIX[nxt.lower_]
        j += 1
        unit_end = j + 1
        number_tokens = doc[i : j + 1]
        nxt = doc[j + 1] if j + 1 < len(doc) else None
    if nxt is not None and not doc[j].whitespace_ and nxt.text == "-":
        return None  # "a two-phase election", "a three-judge panel": an adjective
    if nxt is not None and not doc[j].whitespace_ and re.fullmatch(r"[A-Z]", nxt.text):
        return None  # "5G", "3D": a name of a technology, not a count
    after = doc[j + 1 : j + 3].text.lower() if j + 1 < len(doc) else ""
    if nxt is not None and (nxt.lower_ in _PERCENT or after.startswith("per cent")):
        unit = "percent"
        unit_end = j + 2 if nxt.lower_ in _PERCENT else j + 3
    elif currency:
        unit = currency
    elif nxt is not None and nxt.lower_ in _CURRENCY_WORDS and nxt.text.islower():
        unit = _CURRENCY_WORDS[nxt.lower_]
        unit_end = j + 2
    elif per := _per_currency(doc, j + 1):
        unit = per  # "weakened to 1,652 per dollar": the rate's own currency left out
        unit_end = j + 3
    else:
        head = _counted_noun(doc, j)
        if head is None:
            return None
        if nxt is not None and nxt.i < head.i and nxt.lower_ in _MEASURES:
            head = nxt  # "160 mg strengths", "a 500 MW plant": the measure, not what it sizes
        unit_end = head.i + 1
        if unit_end < len(doc) and doc[unit_end].text == "-" and not doc[head.i].whitespace_:
            return None  # "a 52-year-old obstetrician": an age or a measure adjective
        if (
            unit_end + 1 < len(doc)
            and doc[unit_end].text == "/"
            and not doc[head.i].whitespace_
            and not doc[unit_end].whitespace_
            and doc[unit_end + 1].is_alpha
            and len(doc[unit_end + 1]) <= 3
        ):
            unit_end += 2  # "50 km/h", "5 mg/kg"
        unit = doc[j + 1 : unit_end].text.lstrip("-").strip()
        if not unit or unit.endswith("-"):
            return None
        if head.lower_ in _CALENDAR_WORDS or head.lower_ in ("times", "time"):
            return None  # "July 4"; "raised rates six times" is a frequency
        if _is_time_unit(head) and unit_end < len(doc) and doc[unit_end].lower_ in _DATE_AFTER:
            return None  # "two days later", "three years ago": a date, not an amount
    if unit in _CURRENCY_UNITS and (per := _per_currency(doc, unit_end)):
        unit = f"{unit} {per}"  # "1,712 naira per dollar": an exchange rate
        unit_end += 2
    if _definite(doc, start) and not (
        currency
        or unit == "percent"
        or unit in _CURRENCY_UNITS
        or number_tokens[0].text[:1].isdigit()
    ):
        # "the three chemicals" counts again what was counted before; "the A$620 million
        # mine", "the 20% it had planned", "its 180,000 members" give a new amount.
        return None
    if any(t.ent_type_ in ("DATE", "TIME") for t in number_tokens) and unit not in (
        None,
        "percent",
    ):
        last = doc[unit_end - 1]
        if not _is_time_unit(last):
            return None
    approx, start = _approximation(doc, start)
    span = doc[start:unit_end]
    number_text = (
        " ".join(words) if any(t.lower_ in _SCALES for t in number_tokens) else _format(value)
    )
    attrs: dict[str, object] = {"number": value, "unit": unit}
    if approx:
        attrs["approx"] = approx
    return Mention(
        kind="quantity",
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        value=f"{number_text} {unit}",
        modifier=approx,
        provenance=PROVENANCE,
        attrs=attrs,
    )


# Units of measure that end a quantity even when a noun follows ("160 mg strengths").
_MEASURES = _words(
    """
    mg g kg km m cm mm ml l t mw gw kw kwh mwh gwh twh gb tb mb hz ghz mph ft lb lbs oz ha
    bpd tonnes tons tonne ton kilometres kilometers metres meters miles hectares litres liters
    grams kilograms megawatts gigawatts kilowatts barrels acres nanograms micrograms
    """
)
_DATE_AFTER = frozenset(["ago", "later", "earlier", "afterwards", "afterward", "hence"])
_CURRENCY_UNITS = frozenset([*_CURRENCY.values(), *_CURRENCY_WORDS.values()])


def _per_currency(doc: Doc, k: int) -> str | None:
    """ "per dollar" at token ``k``: the currency an exchange rate is counted against."""
    if k + 1 < len(doc) and doc[k].lower_ == "per" and doc[k + 1].lower_ in _PER_CURRENCY:
        return f"per {doc[k + 1].lower_}"
    return None


def _elided(doc: Doc, i: int, j: int, before: list[Mention]) -> Mention | None:
    """A number whose noun is left out because the sentence just gave it: "weakened to 1,652
    per dollar, from 1,487 on Monday", "94 firefighters from Ontario and 40 from Mexico",
    "up from about 340,000 a year earlier". It takes the unit of the quantity it answers to.

    Without such a quantity, only a level reached or passed ("slides past 1,700") written with
    a thousands separator or decimals counts: small bare numbers are too often list items,
    scores or references.
    """
    number_tokens = doc[i : j + 1]
    if any(t.ent_type_ in ("ORDINAL", "DATE", "TIME") for t in number_tokens):
        return None
    words, currency = _number_words(doc, i, j)
    if currency is not None or (i > 0 and doc[i - 1].text in _CURRENCY):
        return None
    value = parse_number(words)
    if value is None:
        return None
    nxt = doc[j + 1] if j + 1 < len(doc) else None
    if nxt is not None and (
        nxt.pos_ in ("NOUN", "PROPN", "NUM", "ADJ")
        or nxt.lower_ == "of"  # "one of his cousins": a part of a group, not an amount
        or nxt.text in ("-", "/", ":")
        and not doc[j].whitespace_
    ):
        return None  # something is counted after all, or "9-2", "24/7", "3:1"
    if len(words) == 1 and re.fullmatch(r"(?:1[6-9]|20)\d\d", words[0]):
        return None  # a year
    approx, start = _approximation(doc, i)
    if start == 0:
        return None
    cue = doc[start - 1].lower_
    if cue not in _ELIDED_BEFORE:
        return None
    antecedent = _antecedent(doc, start, value, before, near=cue in ("and", "or"))
    if antecedent is None:
        written = words[-1]
        if cue in ("and", "or", "than") or not re.search(r"\d[,.]\d", written):
            return None
        unit = ""
    else:
        unit = str(antecedent.attrs.get("unit") or "")
    if _definite(doc, start):
        return None
    span = doc[start : j + 1]
    attrs: dict[str, object] = {"number": value, "unit": unit or None, "elided": True}
    if approx:
        attrs["approx"] = approx
    number_text = (
        " ".join(words) if any(t.lower_ in _SCALES for t in number_tokens) else _format(value)
    )
    return Mention(
        kind="quantity",
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        value=f"{number_text} {unit}".strip(),
        modifier=approx,
        provenance=PROVENANCE,
        attrs=attrs,
    )


def _antecedent(
    doc: Doc, start: int, value: float, before: list[Mention], *, near: bool
) -> Mention | None:
    """The quantity before ``start`` in the same or the previous sentence (within a few words
    for "and"/"or"), whose unit a number with its noun left out takes. A level above 100 does
    not answer to a percentage ("closed at 1,712 naira, 15% weaker ... It recovered to 1,695"),
    and in the sentence before, an amount answers only to one of its order of magnitude."""
    sent = doc[start].sent
    prev_start = sent.start_char
    if sent.start > 0:
        prev_start = doc[sent.start - 1].sent.start_char
    limit = doc[start].idx - (60 if near else 250)
    for q in reversed(before):
        if q.start < max(prev_start, limit):
            return None
        if not q.attrs.get("unit") or q.end > doc[start].idx:
            continue
        if q.attrs["unit"] == "percent" and value > 100:
            continue
        number = q.attrs.get("number")
        if (
            q.start < sent.start_char
            and isinstance(number, float | int)
            and number > 0
            and value > 0
            and max(number, value) / min(number, value) > 10
        ):
            continue  # "3,000 troops were deployed ... the toll rose to 35": not troops
        return q
    return None


_TIME_UNITS = _words(
    """
    second seconds minute minutes hour hours day days week weeks month months year years
    decade decades century centuries
    """
)


def _is_time_unit(tok: Token) -> bool:
    return tok.lower_ in _TIME_UNITS


def _counted_noun(doc: Doc, j: int) -> Token | None:
    """The noun the number at ``j`` counts: its head, right after it, with only adjectives,
    compounds or hyphens in between ("100 industrial products", "27 countries")."""
    tok = doc[j]
    head = tok.head
    if tok.dep_ not in ("nummod", "compound", "quantmod", "amod", "npadvmod", "dobj", "pobj"):
        return None
    if head.i <= j or head.pos_ not in ("NOUN", "PROPN") or head.i - j > 4:
        return None
    for k in range(j + 1, head.i):
        t = doc[k]
        if t.pos_ not in ("ADJ", "NOUN", "PROPN") and t.text != "-":
            return None
        if "\n" in t.whitespace_:
            return None
    if head.pos_ == "PROPN" and not head.is_lower:
        return None  # "2 Broadcasting": a name, not a count
    return head


_SET_ADJECTIVES = frozenset(["last", "past", "next", "first", "other", "same", "remaining"])


def _definite(doc: Doc, start: int) -> bool:
    """ "the three chemicals", "the last five months": things already counted or placed."""
    k = start - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    while k >= 0 and doc[k].lower_ in _SET_ADJECTIVES:
        k -= 1
    return k >= 0 and doc[k].lower_ in _DEFINITE


def _approximation(doc: Doc, start: int) -> tuple[str | None, int]:
    before = doc[max(0, start - 3) : start]
    words = [t.lower_ for t in before]
    for phrase in sorted(_APPROX, key=len, reverse=True):
        parts = phrase.split(" ")
        if len(parts) <= len(words) and words[-len(parts) :] == parts:
            return phrase, start - len(parts)
    return None, start


def _format(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:g}"
