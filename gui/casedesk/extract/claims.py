"""Claims: reported speech, with who said it and when.

Three shapes cover most news attribution, and each is read from the dependency parse rather
than from fixed phrases:

* a reporting verb with a clause: "the official said (that) ...", "..., Sung said",
  "X insisted that ...", "Japan pointed out that ..."; the claim spans the reported clause, or
  the quotation when the words are quoted (a quote may run over several sentences and, by the
  news convention, over paragraphs that open with a quote mark);
* "according to X": the claim is the rest of the sentence;
* a quotation with no attribution of its own right after an attributed one continues it
  ("...," Sung said. "We have ...").

The speaker is the subject of the reporting verb as written ("a senior official of the Economy,
Trade and Industry Ministry"); "he"/"she" is taken to be the last person named as a subject in
the sentences before. The claim's date is a date attached to the reporting verb ("said
Saturday"), else the publication date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from casedesk.extract.events import doc_text, governor_chain, sentence_spans, tokens_in
from casedesk.extract.model import Mention

PROVENANCE = "claims:dep-rules"


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that report speech or writing when they take a clause.
CUE_VERBS = _wordset(
    """say tell add state note claim insist argue explain stress emphasize emphasise confirm
    deny reply respond suggest maintain assert declare acknowledge admit write complain warn
    reveal disclose announce predict contend allege testify affirm reiterate remark observe
    concede caution estimate recall vow pledge promise"""
)
MIN_QUOTE_WORDS = 4  # shorter quotations are scare quotes or labels ("retaliatory")
_PERSONAL_PRONOUNS = _wordset("he she him her")
_OPEN_QUOTES = "“"
_CLOSE_QUOTES = "”"


@dataclass(frozen=True)
class Quote:
    start: int  # first character inside the quotation marks
    end: int  # just after the last character inside them


def find_quotes(text: str) -> list[Quote]:
    """Quotations in “curly” or "straight" marks.

    A quotation left open at the end of a paragraph continues if the next paragraph opens
    with a quote mark (the news convention for long quotes); otherwise it ends there.
    """
    quotes: list[Quote] = []
    open_at: int | None = None
    closing = ""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if open_at is None:
            if ch == "“" or ch == '"' and _opens(text, i):
                open_at = i + 1
                closing = "”" if ch == "“" else '"'
        elif ch == closing or ch == '"' and closing == "”":
            quotes.append(Quote(open_at, i))
            open_at = None
        elif ch == "\n" and text.startswith("\n", i + 1):
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j] in ('"', "“"):
                i = j + 1  # continued on the next paragraph
                continue
            quotes.append(Quote(open_at, i))
            open_at = None
        i += 1
    if open_at is not None:
        quotes.append(Quote(open_at, n))
    return [_trim(text, q) for q in quotes if q.end > q.start]


def _opens(text: str, i: int) -> bool:
    """A straight quote opens when it is not glued to the end of a word."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-:,"


def _trim(text: str, q: Quote) -> Quote:
    s, e = q.start, q.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return Quote(s, e)


def find_claims(
    doc: Doc,
    entities: Sequence[Mention] = (),
    dates: Sequence[Mention] = (),
    published: str | None = None,
) -> list[Mention]:
    """Claim mentions in ``doc``; ``entities`` help resolve "he"/"she", ``dates`` date them."""
    text = doc_text(doc)
    quotes = find_quotes(text)
    sentences = sentence_spans(doc)
    claims: list[Mention] = []
    for n, sent in enumerate(sentences):
        previous = claims[-1] if claims else None
        if previous is not None and n and previous.start < sentences[n - 1].start_char:
            previous = None  # only a claim in the sentence just before can be "he said"
        found = _claims_in(sent, quotes, sentences[:n], entities, dates, published, previous)
        if found and _headline(text, sent.start_char, sent.end_char):
            # "US adds 24 firms to blacklist": in a headline "adds" appends, it reports nothing
            # (a reported "added" follows something said before; a headline has no before).
            found = [c for c in found if not str(c.attrs.get("cue", "")).lower().startswith("add")]
        if not found:
            found = _continued_quote(sent, quotes, claims)
        for claim in found:
            if any(c.start < claim.end and claim.start < c.end for c in claims):
                continue
            claims.append(claim)
    claims.sort(key=lambda c: c.start)
    return claims


def _headline(text: str, start: int, end: int) -> bool:
    """A line of its own without closing punctuation: a headline or debris."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    if not line or text[line_start:start].strip():
        return False
    return line[-1] not in ".!?\"'”’:;)…"


def _inside(quotes: Sequence[Quote], start: int, end: int) -> Quote | None:
    for q in quotes:
        if q.start <= start and end <= q.end:
            return q
    return None


def _overlapping(quotes: Sequence[Quote], start: int, end: int) -> list[Quote]:
    return [q for q in quotes if q.start < end and start < q.end]


def _claims_in(
    sent: Span,
    quotes: Sequence[Quote],
    before: Sequence[Span],
    entities: Sequence[Mention],
    dates: Sequence[Mention],
    published: str | None,
    previous: Mention | None,
) -> list[Mention]:
    out: list[Mention] = []
    for tok in sent:
        if _inside(quotes, tok.idx, tok.idx + len(tok)):
            continue
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            claim = _according_to(sent, tok, published)
        elif _is_cue(tok):
            claim = _reported(sent, tok, quotes, before, entities, dates, published, previous)
        else:
            continue
        if claim is not None:
            out.append(claim)
    return out


def _is_cue(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in CUE_VERBS:
        return True
    return lemma == "point" and any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children)


def _cue_text(tok: Token) -> str:
    if tok.lemma_.lower() == "point":
        return "pointed out"
    return str(tok.text)


def _reported(
    sent: Span,
    verb: Token,
    quotes: Sequence[Quote],
    before: Sequence[Span],
    entities: Sequence[Mention],
    dates: Sequence[Mention],
    published: str | None,
    previous: Mention | None = None,
) -> Mention | None:
    doc = sent.doc
    subj = _subject(verb)
    if subj is None or subj.pos_ in ("ADP", "DET", "SCONJ", "CCONJ"):
        return None
    if any(c.dep_ == "neg" for c in verb.children):
        return None
    content = next((c for c in verb.children if c.dep_ in ("ccomp", "parataxis")), None)
    if (
        content is None
        and verb.lemma_.lower() in ("say", "tell", "add")
        and verb.dep_ in ("ccomp", "parataxis")
        and verb.head.i < verb.i
        and verb.head.pos_ in ("VERB", "AUX")
    ):
        # "..., the official said." can parse with the quoted clause as the verb's head.
        content = verb.head
    # The reported words: a quotation next to the cue, else the clause.
    span: tuple[int, int] | None = None
    near = [
        q
        for q in _overlapping(quotes, sent.start_char, sent.end_char)
        if _word_count(doc_text(doc)[q.start : q.end]) >= MIN_QUOTE_WORDS
    ]
    quoted = False
    if content is not None:
        c_start, c_end = _subtree_chars(content, sent, exclude=verb)
        in_clause = [q for q in near if q.start < c_end and c_start < q.end]
        if in_clause:
            q_start, q_end = in_clause[0].start, in_clause[-1].end
            covered = min(q_end, c_end) - max(q_start, c_start)
            if covered * 2 >= c_end - c_start:
                span = (q_start, q_end)
            else:
                span = _merge_quote_bounds((c_start, c_end), in_clause)
            quoted = True
        else:
            span = (c_start, c_end)
    elif near and verb.dep_ in ("ROOT", "conj") and not _inside(quotes, subj.idx, subj.idx + 1):
        span = (near[0].start, near[-1].end)
        quoted = True
    if span is None or _word_count(doc_text(doc)[span[0] : span[1]]) < 3:
        return None
    start, end = _clean(doc_text(doc), *span)
    speaker_tokens = _speaker_tokens(subj)
    if not speaker_tokens:
        return None
    s_start = speaker_tokens[0].idx
    s_end = speaker_tokens[-1].idx + len(speaker_tokens[-1])
    speaker = doc_text(doc)[s_start:s_end]
    attrs: dict[str, object] = {"cue": _cue_text(verb)}
    head = [subj.idx, subj.idx + len(subj)]
    if subj.lower_ in _PERSONAL_PRONOUNS:
        attrs["speaker_as_written"] = speaker
        if previous is not None and previous.value:
            speaker = previous.value
            s_start, s_end = previous.attrs.get("speaker_span", [s_start, s_end])
            head = list(previous.attrs.get("speaker_head", [s_start, s_end]))
        else:
            antecedent = _antecedent(sent, subj, before, entities)
            if antecedent is not None:
                speaker = antecedent.text
                s_start, s_end = antecedent.start, antecedent.end
                head = [s_start, s_end]
    elif subj.pos_ == "PRON" and subj.lower_ not in ("we", "they"):
        return None
    attrs["speaker_head"] = head
    attrs["speaker"] = speaker
    attrs["speaker_span"] = [s_start, s_end]
    date, source = _statement_date(verb, sent, dates, published)
    attrs["date"] = date
    attrs["date_source"] = source
    return Mention(
        kind="claim",
        start=start,
        end=end,
        text=doc_text(doc)[start:end],
        value=speaker,
        provenance=f"{PROVENANCE}:{'quote' if quoted else 'clause'}",
        attrs=attrs,
    )


def _merge_quote_bounds(span: tuple[int, int], quotes: Sequence[Quote]) -> tuple[int, int]:
    start, end = span
    for q in quotes:
        if q.start < end and start < q.end:
            start, end = min(start, q.start), max(end, q.end)
    return start, end


def _according_to(sent: Span, according: Token, published: str | None) -> Mention | None:
    doc = sent.doc
    to = next(c for c in according.children if c.lower_ == "to")
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    phrase = sorted(according.subtree, key=lambda t: t.i)
    p_start = phrase[0].idx
    p_end = phrase[-1].idx + len(phrase[-1])
    s_start, s_end = sent.start_char, sent.end_char
    if p_start - s_start > s_end - p_end:
        start, end = s_start, p_start
    else:
        start, end = p_end, s_end
    start, end = _clean(doc_text(doc), start, end)
    if _word_count(doc_text(doc)[start:end]) < 3:
        return None
    speaker_tokens = _speaker_tokens(source)
    sp_start = speaker_tokens[0].idx
    sp_end = speaker_tokens[-1].idx + len(speaker_tokens[-1])
    speaker = doc_text(doc)[sp_start:sp_end]
    # A date in the sentence dates what is reported, not when the source said it.
    date, date_source = published, "published"
    return Mention(
        kind="claim",
        start=start,
        end=end,
        text=doc_text(doc)[start:end],
        value=speaker,
        provenance=f"{PROVENANCE}:according-to",
        attrs={
            "speaker": speaker,
            "speaker_span": [sp_start, sp_end],
            "speaker_head": [source.idx, source.idx + len(source)],
            "cue": "according to",
            "date": date,
            "date_source": date_source,
        },
    )


def _continued_quote(
    sent: Span, quotes: Sequence[Quote], claims: Sequence[Mention]
) -> list[Mention]:
    """An unattributed quotation right after an attributed one is the same speaker's."""
    if not claims:
        return []
    last = claims[-1]
    text = doc_text(sent.doc)
    for q in _overlapping(quotes, sent.start_char, sent.end_char):
        if q.start < last.end or _word_count(text[q.start : q.end]) < MIN_QUOTE_WORDS:
            continue
        gap = text[last.end : q.start]
        if len(gap) > 80 or gap.count("\n\n") > 1:
            continue
        attrs = dict(last.attrs)
        attrs["cue"] = "continued quote"
        start, end = _clean(text, q.start, q.end)
        return [
            Mention(
                kind="claim",
                start=start,
                end=end,
                text=text[start:end],
                value=last.value,
                provenance=f"{PROVENANCE}:continued-quote",
                attrs=attrs,
            )
        ]
    return []


def _subject(verb: Token) -> Token | None:
    # The subject nearest the verb: a dateline ("LONDON, March 3 - The bank on Monday said")
    # can parse as a second subject further left.
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subjects:
        before = [c for c in subjects if c.i < verb.i]
        subj = before[-1] if before else subjects[0]
        return _named_apposition(subj) or subj
    # "he said that ... and said that ...", "..., saying that ...": the subject of the verb
    # this one hangs on.
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i:
        return _subject(verb.head) if verb.head.pos_ in ("VERB", "AUX") else None
    return None


def _named_apposition(subj: Token) -> Token | None:
    """ "A ministry spokesperson, Ana Ruiz, said": the name in apposition to a role is the
    speaker, not the role."""
    if subj.pos_ == "PROPN":
        return None
    for c in subj.rights:
        if c.dep_ == "appos" and c.pos_ == "PROPN" and c.ent_type_ in ("PERSON", "ORG"):
            return c
    return None


_SPEAKER_DROP = _wordset("relcl acl appos advcl parataxis npadvmod")


def _speaker_tokens(head: Token) -> list[Token]:
    keep: list[Token] = []

    def walk(tok: Token) -> None:
        keep.append(tok)
        for c in tok.children:
            inside_name = bool(c.ent_type_) and c.ent_type_ == tok.ent_type_
            if c.dep_ in _SPEAKER_DROP and not inside_name:
                continue
            if any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree):
                continue
            if c.dep_ == "punct" and (c.whitespace_ or c.i > 0 and c.doc[c.i - 1].whitespace_):
                continue  # a comma or dash around an apposition, not one inside a name
            walk(c)

    walk(head)
    doc = head.doc
    last = max(t.i for t in keep)
    for i in range(head.i + 1, last + 1):
        if doc[i].text in (",", ";", "(", "—") and not doc[i].ent_type_:
            last = i - 1  # an apposition the parse did not mark: "Neal Litvack, a ..."
            break
    toks = [doc[i] for i in range(min(t.i for t in keep), last + 1)]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks.pop(0)
    return toks


def _subtree_chars(tok: Token, sent: Span, exclude: Token | None = None) -> tuple[int, int]:
    toks = [
        t
        for t in tok.subtree
        if (exclude is None or t.i != exclude.i) and sent.start <= t.i < sent.end
    ]
    toks = [t for t in toks if not t.is_space]
    # A reported clause opened by "that" starts after it.
    while toks and (toks[0].dep_ == "mark" or toks[0].is_punct):
        toks = toks[1:]
    if not toks:
        return tok.idx, tok.idx + len(tok)
    last = max(toks, key=lambda t: t.i)
    return min(t.idx for t in toks), last.idx + len(last)


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ',;:—–-"“”'):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ',;:—–-"“”'):
        end -= 1
    return start, end


def _word_count(text: str) -> int:
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))


def _antecedent(
    sent: Span, pronoun: Token, before: Sequence[Span], entities: Sequence[Mention]
) -> Mention | None:
    """The last person named as a subject before the pronoun (in this sentence, else in the
    one before); failing a subject, the last person named there. A name in parentheses is an
    alternative spelling, not a second person."""
    doc = sent.doc
    windows = [(sent.start_char, pronoun.idx)] + [
        (s.start_char, s.end_char) for s in reversed(list(before)[-1:])
    ]
    text = doc_text(doc)
    for lo, hi in windows:
        persons = [
            m
            for m in entities
            if m.kind == "person"
            and lo <= m.start
            and m.end <= hi
            and not text[: m.start].rstrip().endswith("(")
        ]
        if not persons:
            continue
        subjects = []
        for m in persons:
            span = tokens_in(doc, m.start, m.end)
            if span is not None and any(t.dep_ in ("nsubj", "nsubjpass") for t in span):
                subjects.append(m)
        return (subjects or persons)[-1]
    return None


def _statement_date(
    verb: Token, sent: Span, dates: Sequence[Mention], published: str | None
) -> tuple[str | None, str]:
    doc = verb.doc
    for d in dates:
        if d.kind != "date" or not d.value:
            continue
        if d.start < sent.start_char or d.end > sent.end_char:
            continue
        span = tokens_in(doc, d.start, d.end)
        if span is None:
            continue
        chain = governor_chain(span)
        if chain and chain[-1].i == verb.i and len(chain) <= 2:
            return d.value, "text"
    return published, "published"
