"""Turning the bytes of a text file into the normalised text Casedesk stores.

Order of evidence: a byte-order mark, then strict UTF-8 (which almost never decodes text written
in another encoding by accident), then UTF-16 without a BOM (recognised by its zero bytes), then
charset-normalizer restricted to the encodings news clippings actually come in. Restricting the
candidates matters: left to consider every codec, charset-normalizer happily reads CP949 Korean as
a Chinese or Cyrillic code page on short samples (see the ingest README for the measurements).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

# Candidate legacy encodings, in the order charset-normalizer should prefer them on a tie.
# CP949 is a superset of EUC-KR and CP932 of Shift_JIS, so decoding with the superset never
# loses a character the narrower code page would have given.
LEGACY_ENCODINGS = (
    "cp949",
    "shift_jis",
    "cp932",
    "euc_jp",
    "iso2022_jp",
    "gb18030",
    "big5",
    "cp1252",
    "latin_1",
    "cp1251",
    "koi8_r",
)

# What we record in documents.encoding for each codec we may decode with.
_DISPLAY_NAMES = {
    "utf_8": "utf-8",
    "utf_8_sig": "utf-8-sig",
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
    "utf_32_le": "utf-32-le",
    "utf_32_be": "utf-32-be",
    "cp949": "cp949",
    "euc_kr": "cp949",
    "shift_jis": "shift_jis",
    "cp932": "cp932",
    "euc_jp": "euc-jp",
    "iso2022_jp": "iso-2022-jp",
    "gb18030": "gb18030",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5",
    "cp1252": "cp1252",
    "latin_1": "latin-1",
    "iso8859_1": "latin-1",
    "cp1251": "cp1251",
    "koi8_r": "koi8-r",
    "ascii": "utf-8",
}

# Decode with the superset of a narrower code page the detector may name.
DECODE_AS = {"euc_kr": "cp949", "gb2312": "gb18030", "gbk": "gb18030", "ascii": "utf_8"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf_32_le"),
    (codecs.BOM_UTF32_BE, "utf_32_be"),
    (codecs.BOM_UTF8, "utf_8"),
    (codecs.BOM_UTF16_LE, "utf_16_le"),
    (codecs.BOM_UTF16_BE, "utf_16_be"),
)

# Characters stripped from the very start and end of a text: BOMs and zero-width junk that
# clipping tools leave behind. Everything inside the text is kept as it is.
_EDGE_JUNK = "\ufeff\u200b\u200c\u200d\u2060\ufffe"
_NEWLINES = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")
# C0 controls other than tab, newline, carriage return, form feed: their presence in quantity
# means the bytes are not text at all.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


def display_name(codec: str) -> str:
    """The name recorded in ``documents.encoding`` for a Python codec name."""
    return _DISPLAY_NAMES.get(codec, codec.replace("_", "-"))


class DecodeError(ValueError):
    """The bytes are not text Casedesk can decode; the message is the reason."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def normalise(text: str) -> str:
    """NFC, ``\\n`` newlines, no BOM or zero-width junk at either end. Nothing else changes."""
    text = _NEWLINES.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    return text.strip(_EDGE_JUNK)


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` looks like a binary file rather than text, or None if it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({what}), not text"
    head = data[:8192]
    if not head or _utf16_without_bom(head) or any(head.startswith(b) for b, _ in _BOMS):
        return None
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls / len(head) > 0.05:
        return "binary file (mostly control bytes), not text"
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """Recognise UTF-16 without a BOM by decoding it both ways and judging the result.

    Text in UTF-16 has zero or control-range bytes (the high halves of ASCII characters and of
    many CJK characters) that no legacy code page produces; the byte order that decodes to
    ordinary script blocks wins.
    """
    sample = head[: len(head) // 2 * 2]
    if len(sample) < 4 or len(sample.translate(None, _CONTROL_BYTES)) == len(sample):
        return None
    best: tuple[float, str] | None = None
    for codec in ("utf_16_le", "utf_16_be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        score = sum(_ordinary(ch) for ch in text) / len(text)
        if best is None or score > best[0]:
            best = (score, codec)
    if best is not None and best[0] >= 0.9:
        return best[1]
    return None


_ORDINARY_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x370, 0x4FF),
    (0x2000, 0x206F),
    (0x3000, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xFF00, 0xFFEF),
)


def _ordinary(ch: str) -> bool:
    o = ord(ch)
    if ch in "\t\n\r":
        return True
    return any(lo <= o <= hi for lo, hi in _ORDINARY_RANGES)


def decode(data: bytes) -> Decoded:
    """Decode and normalise ``data``; raise ``DecodeError`` with a reason when it is not text."""
    codec = _bom_codec(data)
    if codec is not None:
        return _strict(data, codec)
    try:
        return Decoded(normalise(data.decode("utf_8")), "utf-8")
    except UnicodeDecodeError:
        pass
    codec = _utf16_without_bom(data[:8192])
    if codec is not None:
        return _strict(data, codec)
    reason = binary_reason(data)
    if reason:
        raise DecodeError(reason)
    return _strict(data, _detect_legacy(data))


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def _strict(data: bytes, codec: str) -> Decoded:
    codec = DECODE_AS.get(codec, codec)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        name = display_name(codec)
        raise DecodeError(
            f"cannot decode as {name} (invalid bytes at offset {exc.start}); "
            "the file may be damaged or in an unsupported encoding"
        ) from exc
    return Decoded(normalise(text), display_name(codec))


def _detect_legacy(data: bytes) -> str:
    import charset_normalizer  # imported late: only files that are not UTF-8 need it

    matches = charset_normalizer.from_bytes(
        data, cp_isolation=list(LEGACY_ENCODINGS), enable_fallback=False
    )
    best = matches.best()
    if best is None:
        raise DecodeError(
            "encoding not recognised (not UTF-8, UTF-16, CP949/EUC-KR, Shift_JIS, EUC-JP, "
            "GB18030, Big5 or a Western code page)"
        )
    # Short CJK texts often decode cleanly in several code pages (EUC-JP bytes are valid CP949).
    # Among the near-best matches, prefer the one whose text looks like real writing.
    close = [m for m in matches if m.chaos <= best.chaos + 0.1]
    order = {id(m): i for i, m in enumerate(close)}
    chosen = min(close, key=lambda m: (_implausibility(str(m), m.encoding), m.chaos, order[id(m)]))
    return _normal_codec(chosen.encoding)


_JAPANESE_CODECS = {"shift_jis", "cp932", "euc_jp", "iso2022_jp", "euc_jis_2004", "shift_jis_2004"}


def _implausibility(text: str, encoding: str) -> float:
    """How far a decoded text is from ordinary writing (0 = nothing odd).

    Hangul compatibility jamo are what Japanese kana turn into when read as CP949, and real
    Korean prose hardly ever contains them; Japanese prose practically always has kana, so
    ideographs without a single kana under a Japanese code page mean the guess is wrong.
    """
    if not text:
        return 1.0
    odd = 0
    kana = cjk = 0
    for ch in text:
        o = ord(ch)
        if 0x3131 <= o <= 0x318E or 0xE000 <= o <= 0xF8FF or unicodedata.category(ch) == "Cn":
            odd += 1
        elif 0x3040 <= o <= 0x30FF:
            kana += 1
        elif 0x4E00 <= o <= 0x9FFF:
            cjk += 1
    score = odd / len(text)
    if _normal_codec(encoding) in _JAPANESE_CODECS and cjk and not kana:
        score += 1.0
    return score


def _normal_codec(name: str) -> str:
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return name
