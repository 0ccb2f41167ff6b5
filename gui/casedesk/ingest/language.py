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
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")


def guess_language(text: str, sample: int = 3000) -> str | None:
    """``ko``, ``ja``, ``zh``, ``en`` or None when the scripts do not say."""
    text = text[:sample]
    if text.isascii():
        hangul = kana = han = 0
    else:
        hangul = len(_HANGUL.findall(text))
        kana = len(_KANA.findall(text))
        han = len(_HAN.findall(text))
    words = _WORD.findall(text)
    latin = sum(map(len, words))
    cjk = hangul + kana + han
    if cjk and cjk * 4 >= latin:
        if hangul >= max(kana, 1) and hangul * 10 >= cjk:
            return "ko"
        if kana:
            return "ja"
        return "zh"
    if words:
        hits = sum(1 for w in words if w.lower() in _ENGLISH_FUNCTION_WORDS)
        if hits >= 2 and hits / len(words) >= 0.08:
            return "en"
    return None
