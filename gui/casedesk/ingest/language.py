"""A cheap guess of a text's language from the scripts it is written in.

Good enough to tell the extractors which pipeline to run; metadata from the file or the
manifest always wins over it.
"""

from __future__ import annotations

import re

_ENGLISH_FUNCTION_WORDS = frozenset(
    ["the", "of", "and", "to", "in", "is", "that", "for", "on", "with", "as", "was", "by", "at"]
    + ["from", "it", "are", "be", "has", "have", "said"]
)
_WORD = re.compile(r"[A-Za-z]+")


def guess_language(text: str, sample: int = 20000) -> str | None:
    """``ko``, ``ja``, ``zh``, ``en`` or None when the scripts do not say."""
    text = text[:sample]
    hangul = kana = han = latin = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            if ch.isalpha():
                latin += 1
        elif 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            hangul += 1
        elif 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9F:
            kana += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            han += 1
        elif ch.isalpha() and o < 0x250:
            latin += 1
    cjk = hangul + kana + han
    if cjk and cjk * 4 >= latin:
        if hangul >= max(kana, 1) and hangul * 10 >= cjk:
            return "ko"
        if kana:
            return "ja"
        return "zh"
    if latin:
        words = _WORD.findall(text)
        if not words:
            return None
        hits = sum(1 for w in words if w.lower() in _ENGLISH_FUNCTION_WORDS)
        if hits >= 2 and hits / len(words) >= 0.08:
            return "en"
    return None
