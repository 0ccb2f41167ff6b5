"""Web-page debris: menus, share prompts, copyright lines, breadcrumbs, comment forms, headlines
of other stories. Flagged line by line with a reason, never deleted.

Clipped articles keep the page furniture around the story. Three kinds of evidence find it:

1. Phrases that are furniture on any news site ("Skip to main content", "Share this article",
   "All rights reserved", "무단전재 및 재배포 금지", "Home > Business", "(0/250자)"). Each pattern
   is limited to short lines, so an article sentence that merely mentions sharing or copyright
   is left alone.
2. Position. The story is the run of prose lines (long, with sentence punctuation); the head
   before the first and the tail after the last are where menus and link lists sit. There a
   line of capitalised section names is a menu, and a headline-shaped line next to debris is
   the headline of another story.
3. Neighbourhood. A short line without sentence punctuation that is glued to debris (same
   block, or debris on both sides) belongs to it: "with the Korea JoongAng Daily" after "Log in
   to Twitter or Facebook account to connect".

Photo captions, bylines and in-story subheadings are content: they sit between prose lines
or read like credits, and no rule flags them.

Line numbers are 0-based indices into ``text.split("\\n")``; ``last_line`` is inclusive; ``start``
and ``end`` are character offsets (end exclusive, without the final newline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

# The furniture patterns are matched against the lower-cased line (faster than IGNORECASE).
_FLAGS = re.NOFLAG

# (pattern, reason, most words a matching line may have, may the line be a full sentence).
# Patterns whose words also occur in news prose ("subscribe", "log in ... account") only count
# on lines that are not sentences of their own.
_STRONG: list[tuple[re.Pattern[str], str, int, bool]] = [
    (
        re.compile(
            r"\bskip(?:ping)?\b.{0,40}\b(?:to (?:the )?(?:main )?content|navigation|(?:main )?menu|"
            r"main (?:content|text|article)|to (?:the )?article)\b|"
            r"^(?:jump|go|return|back|scroll) to (?:the )?(?:top|main content|content|"
            r"navigation|home ?page|main)\b|"
            r"^(?:main |site |top )?(?:menu|navigation|search|sections?|all sections|sitemap|"
            r"site map|toggle navigation|open menu|close menu|close|home|back to top)$|"
            r"본문\s*바로\s*가기|메뉴\s*바로\s*가기|本文へ(?:移動|スキップ)",
            _FLAGS,
        ),
        "navigation",
        16,
        True,
    ),
    (
        re.compile(
            r"^(?:the )?(?:latest|top|breaking|most (?:read|popular|viewed|shared|commented|"
            r"watched|recent)|trending|editor'?s (?:picks?|choice)|popular|featured|recent|"
            r"today'?s|hot|headline)(?: news| stories| articles| posts| videos| headlines| "
            r"topics| reads| now| issues?)?$|^(?:주요|많이 본|최신|인기)\s*(?:뉴스|기사)$",
            _FLAGS,
        ),
        "navigation",
        4,
        False,
    ),
    (
        re.compile(
            r"^(?:related(?: articles?| stories| news| content| coverage| links| topics| "
            r"posts)?|see also|read (?:more|also|next)|more (?:from|in|on|about|stories|news|"
            r"articles|headlines)\b.*|also (?:in|on|from|read)\b.*|you (?:may|might) (?:also )?"
            r"(?:like|enjoy|be interested in)|don'?t miss|recommended(?: for you| stories| "
            r"articles| reading)?|what to read next|up next|(?:next|previous) (?:article|story|"
            r"post)|more like this|other stories|관련\s*기사|関連記事)$",
            _FLAGS,
        ),
        "related links",
        8,
        False,
    ),
    (
        re.compile(r"^(?:tags?|topics?|keywords?|filed under|categories|more on)\s*[:：]", _FLAGS),
        "navigation",
        20,
        True,
    ),
    (
        re.compile(r"^(?:read more|related|see also|also read|read also|more)\s*[:：>»]", _FLAGS),
        "related links",
        30,
        True,
    ),
    (
        re.compile(
            r"©|&copy;|\(c\)\s*(?:19|20)\d\d|^copyright\b.{0,12}(?:©|\(c\)|(?:19|20)\d\d)|"
            r"\ball rights reserved\b|무단\s*전재|재배포\s*금지|무단\s*복제|"
            r"無断(?:転載|複製|転用)|版權所有|版权所有|不得转载|"
            r"\bmay not be (?:published|reproduced|redistributed|rewritten)\b|"
            r"\bunauthori[sz]ed (?:reproduction|copying)\b",
            _FLAGS,
        ),
        "copyright",
        60,
        True,
    ),
    (
        re.compile(
            r"\bto (?:write|leave|post|add|view|read|see) (?:a |your )?comments?\b|"
            r"^(?:\d+\s+)?comments?(?:\s*\(\d+\))?$|"
            r"^(?:leave|post|add|write|submit) (?:a |your )?(?:comment|reply)\b|"
            r"\bbe the first to comment\b|\bcomment(?:ing)? (?:policy|guidelines|rules|section)\b|"
            r"\bcomments? (?:are|is) (?:closed|moderated|disabled)\b|"
            r"\bjoin the (?:conversation|discussion)\b|\bshow (?:\d+ )?(?:more )?comments\b|"
            r"\(\s*\d+\s*/\s*\d+\s*(?:자|字|文字|characters?|chars?|letters?)?\s*\)|"
            r"\b\d+\s*(?:characters?|chars?) (?:left|remaining)\b|\bcharacters? remaining\b",
            _FLAGS,
        ),
        "comment form",
        16,
        True,
    ),
    (
        re.compile(r"댓글|コメント|评论|評論", _FLAGS),
        "comment form",
        4,
        False,
    ),
    (
        re.compile(
            r"\b(?:log ?in|sign ?in|sign up|register)\b.{0,60}\b(?:comments?|commenting|reply|"
            r"discussion|connect|account)\b|^(?:log ?in|sign ?in|log ?out|sign ?out|register|"
            r"my account|create (?:an )?account)$|^(?:로그인|회원가입|ログイン)$",
            _FLAGS,
        ),
        "login prompt",
        16,
        False,
    ),
    (
        re.compile(
            r"\bshare (?:this|the|on|via|to|with|your)\b|^share$|^share (?:article|story|page|"
            r"post)$|\bfollow (?:us|@)|\bon social media\b|\b(?:tweet|pin|email|e-mail) "
            r"(?:this|it|to a friend)\b|\bcopy (?:link|url|the link)\b|"
            r"\bsend (?:it )?to (?:a )?friend\b|\blink copied\b|공유하기|シェアする",
            _FLAGS,
        ),
        "share prompt",
        8,
        False,
    ),
    (
        re.compile(
            r"^\d+\s*(?:-\s*)?min(?:ute)?s?\.?\s+(?:read|listen)$|^(?:listen to (?:this|the) "
            r"(?:article|story)|reading time:?.*|print (?:this )?(?:article|page|story)|"
            r"text size|font size|글자\s*크기|기사\s*듣기)$",
            _FLAGS,
        ),
        "page tools",
        8,
        False,
    ),
    (
        re.compile(
            r"\b(?:privacy (?:policy|notice|settings)|terms (?:of (?:use|service)|and conditions)|"
            r"cookie (?:policy|settings|preferences)|contact us|about us|advertise with us|"
            r"site ?map|accessibility statement|careers|rss feeds?|개인정보\s*처리방침|이용약관)\b",
            _FLAGS,
        ),
        "navigation",
        12,
        False,
    ),
    (
        re.compile(
            r"^(?:advertisement|advertising|sponsored(?: content| post| links?)?|ads?|promoted|"
            r"paid (?:post|content)|광고|広告|story continues below(?: advertisement)?|"
            r"continue reading (?:below|the main story)|scroll to continue(?: with content)?)$",
            _FLAGS,
        ),
        "advertisement",
        6,
        False,
    ),
    (
        re.compile(
            r"^subscribe\b|\bsubscribe (?:now|today|here|for (?:free|only))\b|"
            r"\bsubscribe to (?:our|the|this) (?:\w+ )?(?:newsletter|channel|podcast|edition)|"
            r"\b(?:our|daily|weekly|free|morning|evening) newsletters?\b|^newsletters?$|"
            r"\bsign up (?:for|to) (?:our|the|free)\b|\bdownload (?:our|the) app\b|"
            r"\bturn on (?:push )?notifications\b|\bbecome a (?:member|subscriber)\b|"
            r"\bsupport (?:our|independent|quality) journalism\b|구독하기|購読する",
            _FLAGS,
        ),
        "subscription prompt",
        14,
        False,
    ),
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Cheap substrings one of which every copyright line holds; long prose lines skip the pattern.
_COPYRIGHT_NEEDLES = (
    "©",
    "&copy",
    "(c)",
    "copyright",
    "reserved",
    "무단",
    "금지",
    "無断",
    "所有",
    "转载",
    "may not be",
    "unauthori",
)

# Words of page toolbars and share bars; a line made only of these is furniture.
_TOOL_WORDS = _words(
    """print printer dictionary font size text larger smaller listen audio bookmark save scrap
    zoom translate download pdf copy link url a a+ a- aa mail email e-mail share comment
    인쇄 공유 스크랩 글자크기 글씨크기 가 메일 닫기 印刷 共有 文字サイズ"""
)
_SOCIAL_WORDS = _words(
    """facebook twitter x linkedin whatsapp kakaotalk kakao line reddit pinterest telegram naver
    band weibo wechat tumblr flipboard threads bluesky instagram youtube tiktok share tweet
    카카오톡 페이스북 트위터"""
)
# Section names seen in the menus of news sites.
_SECTION_WORDS = _words(
    """news world business economy economics politics sport sports opinion opinions tech
    technology science health culture entertainment lifestyle life arts travel food style
    national international local society education environment diplomacy defense defence
    security markets finance money industry asia europe americas africa us uk korea koreas
    japan china video videos photos photo podcasts multimedia features editorials columns
    columnists letters obituaries weather home latest topics issues english services
    markets climate media people regions region nation metro region science
    뉴스 정치 경제 사회 국제 문화 스포츠 오피니언 연예 생활 산업 북한 전국 세계 포토 영상
    ニュース 政治 経済 国際 社会 スポーツ 文化 暮らし 科学 地域 オピニオン 動画 写真 特集
    新闻 政治 经济 国际 社会 体育 文化 科技 财经 评论 视频 图片"""
)
_BREADCRUMB_SEP = re.compile(r"\s+(?:>|»|›|>>|/|\||·|•|::)\s+")
_HARD_SEP = re.compile(r"\s+(?:>|»|›|>>)\s+")
_SENTENCE_END = re.compile(r"[.!?。！？](?:[\"”’')\]」』]*)(?:\s|$)")
_FINAL_PERIOD = re.compile(r"[.。](?:[\"”’')\]」』]*)$")
_ANY_PUNCT = re.compile(r"[.,;:!?\"“”‘’()\[\]。、，！？「」]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# Credits and bylines are part of the article even when they are short and sit near debris.
_CREDIT = re.compile(
    r"^\(?(?:by|reporting by|written by|edited by|additional reporting|photo(?:graph)?s? by|"
    r"source|sources|credit|[a-z]+ original by|translated by|with reporting by)\b|"
    r"\((?:yonhap|ap|afp|reuters|kyodo|xinhua|bloomberg|ani|pti|dpa|ansa|efe|jiji)\)|"
    r"^\(?[\w .'-]+ original by\b|"
    # Photo captions announced as such: "Photo: ...", "写真：...", "[사진=연합뉴스]".
    r"^[\[(]?(?:photo|pictured|file photo|写真|사진|图片|圖片|画像)\s*[:：=]|\[사진|\(photo\b",
    re.IGNORECASE,
)
# Publication date lines are metadata of the article, whatever surrounds them.
_DATELINE = re.compile(
    r"^(?:published|updated|posted|last (?:updated|modified)|first published|date|"
    r"입력|수정|승인|기사입력|최종수정|更新|公開|配信|发布|發布)(?![a-z]).*\d",
    re.IGNORECASE,
)
_FUNCTION_WORDS = _words(
    "a an the of to in on at for by with from and or but is are was were be as that this"
)


@dataclass
class Debris:
    """Debris ranges of one text, and the article's own headline line."""

    ranges: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    lines: dict[int, str] = field(default_factory=dict)  # flagged line -> reason
    title: str | None = None
    title_line: int | None = None


@dataclass
class _Line:
    index: int
    text: str  # stripped
    start: int
    end: int
    block: int
    size: float
    gap: bool = False  # stands for the unexamined middle of a very long text

    @cached_property
    def tokens(self) -> list[str]:
        return _TOKEN.findall(self.text)

    @cached_property
    def key(self) -> str:
        return " ".join(self.text.split()).casefold()

    @property
    def blank(self) -> bool:
        return not self.text

    @cached_property
    def prose(self) -> bool:
        return (self.size >= 12 and bool(_SENTENCE_END.search(self.text))) or self.size >= 30

    @cached_property
    def headline(self) -> bool:
        """Shaped like a headline: a few words, capitalised start, no final period."""
        if not 3 <= self.size <= 25 or _FINAL_PERIOD.search(self.text):
            return False
        if sum(1 for t in self.tokens if len(t) > 1 and t[0].isalpha()) < 2:
            return False
        first = self.text[0]
        if first.isalpha():
            return not first.islower()
        return first.isdigit() or first in "\"“‘'" or bool(_CJK.match(first))

    @cached_property
    def short_fragment(self) -> bool:
        """A short piece of text that is not a sentence on its own."""
        return self.size <= 8 and not self.prose and not _FINAL_PERIOD.search(self.text)


# Page furniture sits at a clipping's top and bottom. A text of more lines than this (a dump,
# a log, a book) is examined in its first and last EDGE_LINES lines only: checking every line
# of 50 MB of short lines took minutes and gigabytes, and found nothing a reader needs greyed.
MAX_EXAMINED_LINES = 20_000
EDGE_LINES = 5_000


def _split(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    block = 0
    previous_blank = True
    count = text.count("\n") + 1
    head = EDGE_LINES if count > MAX_EXAMINED_LINES else count
    tail_from = count - EDGE_LINES if count > MAX_EXAMINED_LINES else count
    i = 0
    while i < count:
        if i == head and head < tail_from:
            # The middle stands for one long paragraph: prose, never flagged, glued to nothing.
            start = pos
            for _ in range(tail_from - head):
                pos = text.index("\n", pos) + 1
            block += 1
            lines.append(_Line(i, "…", start, pos - 1, block, 30.0, gap=True))
            previous_blank = True
            i = tail_from
            continue
        nl = text.find("\n", pos)
        raw = text[pos:] if nl < 0 else text[pos:nl]
        stripped = raw.strip()
        if stripped and previous_blank:
            block += 1
        previous_blank = not stripped
        # Size in words; a CJK character counts as half a word (no spaces to count).
        size: float = len(stripped.split())
        if not stripped.isascii():
            cjk = len(_CJK.findall(stripped))
            if cjk:
                size = len([t for t in _TOKEN.findall(stripped) if not _CJK.search(t)]) + cjk / 2
        lines.append(_Line(i, stripped, pos, pos + len(raw), block, size))
        pos += len(raw) + 1
        i += 1
    return lines


_STRONG_MAX_WORDS = max(max_words for _, _, max_words, _ in _STRONG)


def _strong_reason(line: _Line) -> str | None:
    if line.size > _STRONG_MAX_WORDS:  # a paragraph: no pattern applies to lines this long
        return None
    text = line.text
    lower = text.lower()
    maybe_copyright = any(n in lower for n in _COPYRIGHT_NEEDLES)
    sentence = line.size > 6 and bool(_FINAL_PERIOD.search(text))
    for pattern, reason, max_words, sentence_ok in _STRONG:
        if reason == "copyright" and not maybe_copyright:
            continue
        if sentence and not sentence_ok:
            continue
        if line.size <= max_words and pattern.search(lower):
            return reason
    if line.size > 14:
        return None
    crumb = _breadcrumb(line)
    if crumb:
        return crumb
    words = [t.lower() for t in text.replace("|", " ").split()]
    words = [w.strip(".,:;!?()[]|·•") for w in words]
    words = [w for w in words if w]
    if (
        words
        and len(words) <= 8
        and not _FINAL_PERIOD.search(text)
        and all(w in _TOOL_WORDS or w in _SOCIAL_WORDS for w in words)
    ):
        social = any(w in _SOCIAL_WORDS and w not in _TOOL_WORDS for w in words)
        return "share prompt" if social else "page tools"
    return None


def _breadcrumb(line: _Line) -> str | None:
    """``Home > Business > Economy`` (breadcrumb) or ``News | Sport | Weather`` (a menu)."""
    if line.size > 14 or _SENTENCE_END.search(line.text):
        return None
    parts = _BREADCRUMB_SEP.split(line.text)
    if len(parts) < 2 or any(not p or len(p.split()) > 4 for p in parts):
        return None
    if _HARD_SEP.search(line.text):
        return "breadcrumb"
    if len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts):
        return "navigation"
    return None


def _menu_words(line: _Line) -> int:
    """How many section names a menu-shaped line holds (0: not menu-shaped).

    Menu-shaped: a few capitalised words without punctuation or function words, like
    ``Koreas US Diplomacy`` or ``World``.
    """
    tokens = line.tokens
    if not tokens or len(tokens) > 6 or _ANY_PUNCT.search(line.text):
        return 0
    if any(t.lower() in _FUNCTION_WORDS for t in tokens):
        return 0
    if any(t[0].islower() for t in tokens):  # CJK letters have no case and pass
        return 0
    return sum(1 for t in tokens if t.lower() in _SECTION_WORDS)


def _menu(line: _Line) -> bool:
    """A menu line on its own: only section names, or several of them (not "Kyodo News")."""
    hits = _menu_words(line)
    return hits > 0 and (hits >= 2 or hits == len(line.tokens))


def _title_key(title: str | None) -> str:
    return " ".join(title.split()).casefold() if title else ""


def _same_title(line: _Line, key: str) -> bool:
    """``line`` is the headline ``key`` (possibly followed by a dateline)."""
    if not key or not line.text:
        return False
    return line.key == key or (len(key) >= 12 and line.key.startswith(key))


def find_debris(text: str, title: str | None = None) -> Debris:
    """Flag the debris lines of ``text``; ``title`` is the known headline, if any.

    The article's own headline line is never flagged. When no line carries ``title``, it is
    looked for: the first headline-shaped line before the story starts that is not debris
    (and ``Debris.title`` is that line's text when ``title`` is None).
    """
    lines = _split(text)
    flags: dict[int, str] = {}
    key = _title_key(title)
    protected = {
        ln.index
        for ln in lines
        if ln.gap
        or _same_title(ln, key)
        or (ln.size <= 25 and (_CREDIT.search(ln.text) or _DATELINE.search(ln.text)))
    }

    for ln in lines:
        if not ln.blank and ln.index not in protected:
            reason = _strong_reason(ln)
            if reason:
                flags[ln.index] = reason

    prose = [ln.index for ln in lines if ln.prose and ln.index not in flags]
    first_prose = prose[0] if prose else None
    last_prose = prose[-1] if prose else None

    def edge(ln: _Line) -> bool:
        if first_prose is None or last_prose is None:
            return False
        return ln.index < first_prose or ln.index > last_prose

    found_title = title
    title_line: int | None = next((ln.index for ln in lines if _same_title(ln, key)), None)
    # Without a title, or with one the text does not carry verbatim (metadata often differs
    # from the printed headline), the article's own headline line is found and kept.
    if title_line is None and first_prose is not None:
        candidates = [ln for ln in lines[:first_prose] if ln.index not in flags and ln.headline]
        # A capitalised line of section-like words is more likely a menu than the headline,
        # unless nothing else before the story could be the headline ("Japan Korea Trade War").
        plain = [ln for ln in candidates if not _menu_words(ln)]
        chosen = plain[0] if plain else (candidates[-1] if candidates else None)
        if chosen is not None:
            title_line = chosen.index
            found_key = _title_key(chosen.text)
            protected |= {x.index for x in lines if _same_title(x, found_key)}
            if title is None:
                found_title = chosen.text

    for ln in lines:
        if edge(ln) and ln.index not in flags and ln.index not in protected and _menu(ln):
            flags[ln.index] = "navigation"

    nonblank = [ln for ln in lines if not ln.blank]
    changed = True
    rounds = 0
    # Forward then backward sweeps carry a chain of glued lines in either direction at once;
    # the round cap keeps a pathological file linear.
    while changed and rounds < 8:
        changed = False
        order = range(len(nonblank)) if rounds % 2 == 0 else range(len(nonblank) - 1, -1, -1)
        rounds += 1
        for k in order:
            ln = nonblank[k]
            if ln.index in flags or ln.index in protected:
                continue
            prev = nonblank[k - 1] if k > 0 else None
            nxt = nonblank[k + 1] if k + 1 < len(nonblank) else None
            prev_flag = flags.get(prev.index) if prev else None
            next_flag = flags.get(nxt.index) if nxt else None
            found: str | None = None
            glued_prev = prev is not None and prev.block == ln.block and prev_flag
            glued_next = nxt is not None and nxt.block == ln.block and next_flag
            if ln.short_fragment and (glued_prev or glued_next):
                found = prev_flag if glued_prev else next_flag
            elif edge(ln) and (prev_flag or next_flag) and _menu_words(ln):
                found = "navigation"
            elif edge(ln) and ln.headline and ln.size >= 5 and (prev_flag or next_flag):
                # Another story's headline; five words at least, so a short list item or a
                # name at the end of the story is not mistaken for one.
                found = "unrelated headline"
            elif ln.short_fragment and prev_flag and next_flag:
                found = prev_flag
            if found:
                flags[ln.index] = found
                changed = True

    return Debris(_ranges(lines, flags), dict(sorted(flags.items())), found_title, title_line)


def _ranges(lines: list[_Line], flags: dict[int, str]) -> list[tuple[int, int, int, int, str]]:
    """Merge flagged lines with the same reason that only blank lines separate."""
    out: list[tuple[int, int, int, int, str]] = []
    current: list[_Line] | None = None  # [first, last]
    reason = ""
    for ln in lines:
        if ln.blank:
            continue
        r = flags.get(ln.index)
        if current is not None and r == reason:
            current[1] = ln
            continue
        if current is not None:
            out.append(
                (current[0].index, current[1].index, current[0].start, current[1].end, reason)
            )
            current = None
        if r is not None:
            current, reason = [ln, ln], r
    if current is not None:
        out.append((current[0].index, current[1].index, current[0].start, current[1].end, reason))
    return out
