"""Claims: reported speech, with who said it and when.

The shapes of news attribution are read from the dependency parse rather than from fixed
phrases, with the reporting verbs grouped by what they do (saying, finding and forecasting,
speech acts with an object), so that a verb not seen before in one class behaves like the rest:

* a reporting verb with a clause: "the official said (that) ...", "..., Sung said",
  "X insisted that ...", "Japan pointed out that ...", "the analysis found that ...",
  "..., customs figures show"; the claim spans the reported clause, or the quotation when the
  words are quoted (a quote may run over several sentences and, by the news convention, over
  paragraphs that open with a quote mark);
* a speech act whose content is its object: "X urged hospitals to postpone surgery", "X
  accused Y of ...", "X called for talks", "the OECD forecasts growth of 1.4%"; the claim is the
  verb with what follows it. Acts not yet made ("could call for", "plans to urge") and judging
  verbs without a reason ("criticised the police") are not claims;
* "according to X" and "X's statement that ...";
* a quotation with no attribution of its own right after an attributed one continues it
  ("...," Sung said. "We have ..."), as in the sample's and the first held-out set's gold: the
  user sees every quoted sentence with its speaker.

The speaker is the subject of the reporting verb as written ("a senior official of the Economy,
Trade and Industry Ministry"), except that a name set off by commas after a role is the
speaker ("His lawyer, Daniel Okafor, said" is Daniel Okafor); a name written close to its
role stays in the phrase ("its operator Hidrovale"). "he"/"she" is the speaker of the claim just
before when that is a person or a role, else the last person named as a subject in the few
sentences before (left as written when two people share the subject); "it" is the last
organisation or country that was a subject (never a plural). The claim's date is a date
attached to the reporting verb ("said Saturday"), else the publication date.

Every claim has a polarity: "denies" when its words are a clause the speaker is reported as
denying, rejecting or refusing to affirm ("X denied that ...", "X rejected claims that ...",
"X did not say that ...", "X refused to confirm that ...", "X found no evidence that ...",
"X's denial that ...", "X denied leaking the memo", "It was denied by X that ...", "X called
reports that ... false"), else "asserts". The cues are data (``data/denial_cues.txt``, with the
criterion for each list). Two negations cancel into neither ("X did not deny that ..." is no
claim); words quoted beside a verb of denial are the speaker's own ('"That is false," she
denied' asserts them). A denied statement of someone else is the denier's denial of the whole
("X rejected claims that Y told inspectors ..."), never Y's assertion, and the denied words
are found by token order where the small model's parse loses them. A dated happening whose
sentence reports it only as denied is marked (``mark_denied_events``) so it is never shown as
having happened.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from casedesk.extract.events import doc_text, governor_chain, sentence_spans, tokens_in
from casedesk.extract.lexicon_names import (
    COMPANY_DESCRIPTORS,
    COMPANY_WORDS,
    CORPORATE_SUFFIXES,
    ORG_HEADS,
    PUBLIC_BODY_HEADS,
)
from casedesk.extract.model import Mention
from casedesk.polarity import ASSERTS, DENIED_TITLE_PREFIX, DENIES

PROVENANCE = "claims:dep-rules"
DENIAL_CUES_FILE = Path(__file__).resolve().parent / "data" / "denial_cues.txt"


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


def load_lexicon(path: Path) -> dict[str, frozenset[str]]:
    """A lexicon file: ``[section]`` lines, then one entry a line; ``#`` starts a comment.
    A word listed twice (in one section or two) is an error naming the file and the word."""
    sections: dict[str, set[str]] = {}
    seen: dict[str, str] = {}
    current: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, set())
            continue
        if current is None:
            raise ValueError(f"{path}:{number}: an entry before any [section]")
        if line in seen:
            raise ValueError(f"{path}:{number}: '{line}' is already listed in [{seen[line]}]")
        seen[line] = current
        sections[current].add(line)
    return {name: frozenset(words) for name, words in sections.items()}


_DENIAL = load_lexicon(DENIAL_CUES_FILE)
DENIAL_VERBS = _DENIAL["verbs"]
REFUSAL_VERBS = _DENIAL["refusal"]
DENIAL_NOUNS = _DENIAL["nouns"]
DENIED_OBJECT_NOUNS = _DENIAL["objects"]
ABSENCE_NOUNS = _DENIAL["absence"]
STATEMENT_OBJECT_VERBS = _DENIAL["statement-verbs"]
FALSITY_WORDS = _DENIAL["falsity"]
TRUTH_WORDS = _DENIAL["truth"]
JUDGING_VERBS = _DENIAL["judging"]
FUTURE_AUXILIARIES = _DENIAL["future"]
PROSPECT_WORDS = _DENIAL["prospect"]
SPEAKS_FOR_NOUNS = load_lexicon(DENIAL_CUES_FILE.with_name("speaker_roles.txt"))["on-behalf"]


# Verbs of saying and writing: they report speech when they take a clause or sit next to a
# quotation ("the official said", "..., Sung told reporters", "she warned that ...").
SPEECH_VERBS = _wordset(
    """say tell add state note claim insist argue explain stress emphasize emphasise confirm
    deny reply respond suggest maintain assert declare acknowledge admit write complain warn
    reveal disclose announce predict contend allege testify affirm reiterate remark observe
    concede caution estimate recall vow pledge promise report inform assure reassure counter
    retort lament boast mention clarify underline tweet forecast project"""
)
# Verbs of finding and expecting: a report, a study, data or a forecaster states what its
# clause says ("the analysis found that ...", "data show ...", "the utility expects demand to
# peak ..."). Only with a clause: next to a quotation they do not say who spoke it.
FINDING_VERBS = _wordset(
    """find show indicate conclude expect anticipate calculate reckon predict forecast
    project estimate"""
)
# Speech acts whose content is their object: accusing, urging, criticising, forecasting a
# figure, denying or confirming a thing ("X urged hospitals to postpone surgery", "X accused
# Y of ...", "the OECD forecasts growth of 1.4%"). The claim is the verb with its object.
OBJECT_VERBS = _wordset(
    """urge accuse blame criticise criticize condemn denounce praise demand forecast predict
    project estimate expect anticipate warn call appeal tell ask advise"""
)
# Verbs that judge someone: the object alone says nothing ("criticized Japan"); the reason
# does ("criticised the owner for raising prices", "accused the airline of cutting rest periods").
_NEEDS_REASON = _wordset("accuse blame criticise criticize condemn denounce praise")
_REASON_PREPS = _wordset("for of over about")
# Nouns of saying with the speaker as possessor and the words in a "that" clause: "a Korean
# official's statement that Seoul had asked ...".
STATEMENT_NOUNS = _wordset(
    """statement claim assertion announcement warning comment remark assurance promise pledge
    prediction forecast estimate insistence admission denial suggestion allegation"""
)
# Verbs whose object only reports something with a particular preposition: "called for
# talks", "called on the union to ...", "appealed for calm", "warned of delays".
_OBJECT_PREPS = {
    "call": frozenset({"for", "on"}),
    "appeal": frozenset({"for"}),
    "warn": frozenset({"of", "against", "about"}),
}
# Verbs that are speech acts with an object only when they also take an infinitive: "told
# drivers to avoid the bridge", "asked the court to delay the hearing" (not "told reporters").
_OBJECT_NEEDS_XCOMP = _wordset("tell ask advise")
# "show" and "indicate" report only when what shows is a source of information ("figures show
# that ...", "the survey indicates ..."), not an event ("his death shows how ...").
_SOURCE_ONLY = _wordset("show indicate")
SOURCE_NOUNS = _wordset(
    """data figure statistic survey poll study report analysis research record document
    result census estimate filing test review audit investigation inquiry model calculation
    map image video footage photo picture letter memo email minute transcript chart evidence
    reading sample paper papers"""
)
# Verbs of finding that report a proposition only with a full clause ("found that ...", "figures
# show prices rose"), not with a small clause ("found the body wrapped in ...").
_FINITE_ONLY = _wordset("find show indicate conclude")
# Verbs whose clause is a question or a request, not a statement: "asked whether ...".
_NO_CLAUSE = _wordset("ask advise call appeal")
CUE_VERBS = SPEECH_VERBS | FINDING_VERBS | OBJECT_VERBS
MIN_QUOTE_WORDS = 4  # shorter quotations are scare quotes or labels ("retaliatory")
_PERSONAL_PRONOUNS = _wordset("he she him her")
_OPEN_QUOTES = "“"
_CLOSE_QUOTES = "”"


@dataclass(frozen=True)
class Quote:
    start: int  # first character inside the quotation marks
    end: int  # just after the last character inside them


def find_quotes(text: str) -> list[Quote]:
    """Quotations in “curly”, "straight" or ``typewriter'' marks (the last are how older wire
    copy and many corpora write them).

    A quotation left open at the end of a paragraph continues if the next paragraph opens
    with a quote mark (the news convention for long quotes); otherwise it ends there.
    """
    quotes: list[Quote] = []
    open_at: int | None = None
    closing = ""
    i = 0
    n = len(text)
    while i < n:
        # only quote marks and line breaks open or close a quotation: jump to the next one
        found = _QUOTE_OR_BREAK.search(text, i)
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if open_at is None:
            if text.startswith("``", i):
                open_at, closing = i + 2, "''"
                i += 2
                continue
            if ch == "“" or ch == '"' and _opens(text, i):
                open_at = i + 1
                closing = "”" if ch == "“" else '"'
        elif closing == "''":
            if text.startswith("''", i):
                quotes.append(Quote(open_at, i))
                open_at = None
                i += 2
                continue
            if ch == "\n" and text.startswith("\n", i + 1):
                j = i
                while j < n and text[j].isspace():
                    j += 1
                if not text.startswith("``", j):
                    quotes.append(Quote(open_at, i))
                    open_at = None
                else:
                    i = j + 2  # continued on the next paragraph
                    continue
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


_QUOTE_OR_BREAK = re.compile("[`'\"“”\n]")


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


@dataclass(frozen=True)
class _Context:
    """What every rule needs about the document being read."""

    doc: Doc
    text: str
    quotes: Sequence[Quote]
    sentences: Sequence[Span]
    names: Sequence[Mention]  # person, organisation and place mentions, in text order
    dates: Sequence[Mention]
    published: str | None
    cues: Sequence[int]  # the tokens a claim may start from (``possible_cues``), in order

    def name_at(self, start: int, end: int) -> Mention | None:
        """The name mention covering any of ``start``–``end`` (people first)."""
        starts, longest = self._name_index
        names = self.names[bisect_left(starts, start - longest) : bisect_left(starts, end)]
        found = [m for m in names if m.start < end and start < m.end]
        found.sort(key=lambda m: _NAME_RANK.get(m.kind, 9))
        return found[0] if found else None

    @cached_property
    def _name_index(self) -> tuple[list[int], int]:
        """The names' starts (``names`` is in text order) and the longest name's length: the
        names that can overlap a stretch are found by bisection (a long document has
        thousands)."""
        longest = max((m.end - m.start for m in self.names), default=0)
        return [m.start for m in self.names], max(longest, 0)

    def dates_within(self, start: int, end: int) -> list[Mention]:
        """The date mentions lying inside ``start``–``end``, in the order of ``dates``."""
        starts, ordered = self._date_index
        found = ordered[bisect_left(starts, start) : bisect_right(starts, end)]
        return [d for _i, d in sorted(found, key=lambda x: x[0]) if d.end <= end]

    @cached_property
    def _date_index(self) -> tuple[list[int], list[tuple[int, Mention]]]:
        ordered = sorted(enumerate(self.dates), key=lambda x: (x[1].start, x[0]))
        return [d.start for _i, d in ordered], ordered


_NAME_RANK = {"person": 0, "organization": 1, "place": 2}


def find_claims(
    doc: Doc,
    entities: Sequence[Mention] = (),
    dates: Sequence[Mention] = (),
    published: str | None = None,
) -> list[Mention]:
    """Claim mentions in ``doc``; ``entities`` name speakers and resolve "he"/"she"/"it",
    ``dates`` date them."""
    text = doc_text(doc)
    ctx = _Context(
        doc=doc,
        text=text,
        quotes=find_quotes(text),
        sentences=sentence_spans(doc),
        names=sorted((m for m in entities if m.kind in _NAME_RANK), key=lambda m: m.start),
        dates=dates,
        published=published,
        cues=possible_cues(doc),
    )
    sentences = ctx.sentences
    claims: list[Mention] = []
    for n, sent in enumerate(sentences):
        previous = claims[-1] if claims else None
        if previous is not None and n and previous.start < sentences[n - 1].start_char:
            previous = None  # only a claim in the sentence just before can be "he said"
        found = _claims_in(sent, ctx, sentences[:n], previous)
        if found and _headline(text, sent.start_char, sent.end_char):
            # "US adds 24 firms to blacklist": in a headline "adds" appends, it reports nothing
            # (a reported "added" follows something said before; a headline has no before).
            found = [c for c in found if not str(c.attrs.get("cue", "")).lower().startswith("add")]
        if not found:
            found = _trailing_source(sent, ctx)
        if not found:
            found = _continued_quote(sent, ctx.quotes, claims)
        for claim in found:
            clash = [c for c in claims if c.start < claim.end and claim.start < c.end]
            if clash and not all(_may_overlap(claim, c) for c in clash):
                continue
            claims.append(claim)
    claims.sort(key=lambda c: c.start)
    return claims


def _may_overlap(a: Mention, b: Mention) -> bool:
    """Two sources for one sentence: "X said ..., which rose 5%, according to Y" reports Y's
    figure inside X's words; a nested reporting verb ("X said it expected ...") adds nothing.
    One clause, two sides: "X disputed Y's claim that ..." is Y's claim and X's denial."""
    if (a.start, a.end) == (b.start, b.end) and a.attrs.get("polarity") != b.attrs.get("polarity"):
        return (a.value or "").casefold() != (b.value or "").casefold()
    if "according to" not in (a.attrs.get("cue"), b.attrs.get("cue")):
        return False
    return (a.value or "").casefold() != (b.value or "").casefold()


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


# Every claim _claims_in finds starts from a token whose lemma is one of these words (or from
# "according"): the other tokens are never looked at. A new kind of cue adds its words here.
CUE_WORDS = CUE_VERBS | DENIAL_VERBS | STATEMENT_NOUNS | ABSENCE_NOUNS | {"point"}
_ACCORDING = get_string_id("according")
_cue_lemmas: dict[int, bool] = {}  # lemma hash -> its lower case is in CUE_WORDS


def possible_cues(doc: Doc) -> list[int]:
    """Indices of the tokens a claim may start from (lemma in ``CUE_WORDS``, or "according"),
    read as one array of string hashes rather than token by token."""
    strings, memo = doc.vocab.strings, _cue_lemmas
    if len(memo) > 50_000:
        memo.clear()
    out = []
    for i, (lemma, lower) in enumerate(doc.to_array(["LEMMA", "LOWER"]).tolist()):
        found = memo.get(lemma)
        if found is None:
            found = memo[lemma] = strings[lemma].lower() in CUE_WORDS
        if found or lower == _ACCORDING:
            out.append(i)
    return out


def _claims_in(
    sent: Span, ctx: _Context, before: Sequence[Span], previous: Mention | None
) -> list[Mention]:
    out: list[tuple[Mention, Token]] = []
    judged = _judged_false(sent)
    cues = ctx.cues
    starts = cues[bisect_left(cues, sent.start) : bisect_left(cues, sent.end)]
    for i in sorted({*starts, *judged}) if judged else starts:
        tok = ctx.doc[i]
        if _inside(ctx.quotes, tok.idx, tok.idx + len(tok)):
            continue
        judgement = judged.get(tok.i)
        if judgement is not None:
            claim = _reported(
                sent,
                tok,
                ctx,
                before,
                previous,
                negators=judgement.negators,
                content_span=judgement.span,
            )
            if claim is not None:
                claim.attrs["cue"] = judgement.cue
        elif tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            claim = _according_to(sent, tok, ctx)
        elif _is_cue(tok) or _is_denial_cue(tok):
            claim = _reported(sent, tok, ctx, before, previous)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in STATEMENT_NOUNS:
            claim = _statement_noun(sent, tok, ctx)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in ABSENCE_NOUNS:
            claim = _absence(sent, tok, ctx, before, previous)
        else:
            continue
        if claim is not None:
            out.append((claim, tok))
    # A reporting verb inside the words another one reports is part of them: "Fernhill
    # Foods expects to report a profit ..., its finance chief said" is the finance chief's claim.

    def inside(claim: Mention, cue: Token) -> bool:
        return claim.start <= cue.idx < claim.end

    def relayed(outer: Mention, inner: Mention, inner_cue: Token) -> bool:
        """ "IRNA reported that spokesman X said ...": the words are X's, IRNA relays them (a
        denial as well: "X said the senator had rejected reports that ..." is the senator's
        denial). A denial relays nothing: in "the agency denied that its head had said ..."
        the words are what the agency denies was said, never the head's assertion."""
        subj = next((c for c in inner_cue.children if c.dep_ == "nsubj"), None)
        return (
            outer.attrs.get("polarity") != DENIES
            and subj is not None
            and subj.pos_ != "PRON"
            and subj.left_edge.idx <= outer.start
            and (inner_cue.lemma_.lower() in SPEECH_VERBS or inner.attrs.get("polarity") == DENIES)
        )

    out = [
        (claim, cue)
        for claim, cue in out
        if not any(
            other is not claim and inside(claim, other_cue) and relayed(claim, other, other_cue)
            for other, other_cue in out
        )
    ]

    return [
        claim
        for claim, cue in out
        if claim.attrs.get("cue") == "according to"
        or not any(
            other is not claim
            and inside(other, cue)
            and not inside(claim, other_cue)  # each inside the other: the parse is unsure
            and other.attrs.get("cue") != "according to"
            for other, other_cue in out
        )
    ]


@dataclass(frozen=True)
class _Judgement:
    """A statement its speaker calls false: the words it holds and the negations counted."""

    span: tuple[int, int]
    negators: int
    cue: str


_COPULAS = _wordset("be is are was were been being")
_NEGATIONS = _wordset("not n't never")
_TAIL_FILLERS = _wordset("as a an utterly completely totally entirely simply wholly pure")
_TAIL_WORDS = _TAIL_FILLERS | _COPULAS | _NEGATIONS


_THAT = get_string_id("that")


def _has_that(sent: Span) -> bool:
    """Whether a token of ``sent`` is "that" (any case), from a per-document list of them."""
    doc = sent.doc
    found = doc.user_data.get("casedesk_that")
    if not isinstance(found, list):
        lowers = doc.to_array("LOWER").tolist() if len(doc) else []
        found = [i for i, lower in enumerate(lowers) if lower == _THAT]
        doc.user_data["casedesk_that"] = found
    k = bisect_left(found, sent.start)
    return k < len(found) and found[k] < sent.end


def _judged_false(sent: Span) -> dict[int, _Judgement]:
    """Statements called false, by the verb whose speaker judges them (token index).

    "The ministry called reports that the valves were faulty completely false", "described
    claims that ... as unfounded", "dismissed as nonsense reports that ...", "said reports
    that ... were untrue": the words of the statement (from its "that" to the judgement)
    are denied. The small model parses these small clauses in many ways ("reports" as a
    verb, "false" inside the reported clause), so they are read by token order: a noun that
    names a statement, "that", a clause with a tensed verb, then the judgement (a word of
    falsity, or a word of truth negated, with "as", a copula or adverbs before it) at the
    end of the sentence, or the judgement with "as" between the verb and the noun. The verb
    is the nearest before the noun that reports, denies or judges. A verb of denial is not
    negated twice by its judgement ("dismissed ... as baseless" denies once)."""
    found: dict[int, _Judgement] = {}
    if not _has_that(sent):
        return found  # each judged statement is "NOUN that ...": most sentences have no "that"
    toks = [t for t in sent if not t.is_space]
    end = len(toks)
    while end and (toks[end - 1].is_punct or toks[end - 1].is_quote):
        end -= 1
    for k, noun in enumerate(toks[: end - 2]):
        if toks[k + 1].lower_ != "that" or _statement_form(noun) not in DENIED_OBJECT_NOUNS:
            continue
        verb = _judge_of(toks[:k])
        if verb is None or verb.i in found:
            continue
        lemma = verb.lemma_.lower()
        judging = lemma in JUDGING_VERBS or lemma in DENIAL_VERBS
        if not judging and not (lemma in CUE_VERBS and _is_cue(verb)):
            continue
        between = [t for t in toks if verb.i < t.i < noun.i]
        judgement: list[Token] = []
        if between and between[0].lower_ == "as" and judging:
            # "dismissed as nonsense reports that ...": the judgement comes first (after a
            # verb of denial any judgement: "dismissed as gossip reports that ...")
            judgement = [t for t in between if _judging_word(t)]
            if not judgement and lemma in DENIAL_VERBS:
                judgement = between[1:]
            if not judgement or any(
                t.pos_ in ("AUX", "PUNCT", "SCONJ") or t.pos_ == "VERB" and t.tag_ != "VBN"
                for t in between
            ):
                continue  # only words of a judgement ("as politically motivated")
            words = list(toks[k + 2 : end])
            cut = next((n for n, t in enumerate(words) if t.text in (",", ";", "—")), None)
            words = words[:cut]  # "..., saying ...": said apart
            tail: list[Token] = []
        else:
            tail = _judgement_tail(toks[k + 2 : end])
            if not tail:
                continue
            if tail[0].lower_ in _COPULAS or tail[0].lower_ in _NEGATIONS:
                pass  # "reports that ... were untrue": any reporting verb
            elif tail[0].lower_ == "as" and not judging:
                continue
            elif tail[0].lower_ != "as" and lemma not in JUDGING_VERBS:
                continue  # a bare "false" after the clause: only "called ... false"
            words = toks[k + 2 : end - len(tail)]
            judgement = [t for t in tail if _judging_word(t)]
        if not words or not any(t.pos_ in ("VERB", "AUX") and _tensed(t) for t in words):
            continue  # "claims that the report was false": the judgement is the clause's
        negated = sum(t.lower_ in _NEGATIONS for t in (*between, *tail))
        falsity = any(
            t.lemma_.lower() in FALSITY_WORDS or t.lower_ in FALSITY_WORDS for t in judgement
        )
        if not falsity and not negated and lemma not in DENIAL_VERBS:
            continue  # "said reports that ... were accurate": no denial
        negators = 0 if lemma in DENIAL_VERBS else falsity + negated
        cue_words = " ".join(t.text for t in (tail or between) if not t.is_quote)
        found[verb.i] = _Judgement(
            span=(words[0].idx, words[-1].idx + len(words[-1])),
            negators=negators,
            cue=f"{verb.text} … {cue_words}" if tail else f"{verb.text} {cue_words}",
        )
    return found


def _judge_of(before: Sequence[Token]) -> Token | None:
    """The verb that judges a statement named after ``before``: the nearest verb that
    reports, denies or judges, passing participles used as adjectives ("dismissed as
    politically motivated claims that ..."), never another verb in a tense."""
    for t in reversed(before):
        if t.pos_ not in ("VERB", "AUX"):
            continue
        lemma = t.lemma_.lower()
        if lemma in JUDGING_VERBS or lemma in DENIAL_VERBS or lemma in CUE_VERBS:
            return t
        if t.tag_ not in ("VBN", "VBG"):
            return None
    return None


def _judging_word(tok: Token) -> bool:
    word, lemma = tok.lower_, tok.lemma_.lower()
    return word in FALSITY_WORDS or lemma in FALSITY_WORDS or word in TRUTH_WORDS


def _judgement_tail(words: Sequence[Token]) -> list[Token]:
    """The judgement that ends ``words``: "completely false", "as unfounded", "were untrue",
    "was not true", "a lie", 'as "pure fiction"' (a word of falsity or truth last, only
    fillers, copulas, negations and quote marks before it)."""
    if not words or not _judging_word(words[-1]):
        return []
    start = len(words) - 1
    while start > 0:
        t = words[start - 1]
        if (
            t.lower_ not in _TAIL_WORDS
            and not (t.pos_ == "ADV" and t.dep_ == "advmod")
            and not t.is_quote  # 'as "pure fiction"'
            and not (t.head.i == words[-1].i and t.dep_ in ("amod", "det"))  # "an outright lie"
        ):
            break
        start -= 1
    tail = list(words[start:])
    if words[-1].lower_ in TRUTH_WORDS and not any(t.lower_ in _NEGATIONS for t in tail):
        return []  # "were true" judges nothing false
    return tail


def _is_cue(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX"):
        if lemma in CUE_VERBS:
            return True
        return lemma == "point" and any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children)
    # A verb the parser took for a noun keeps its subject: "The OECD forecasts growth of 1.4%"
    # ("forecasts" under "growth"), "Analysts ... estimate that ..." ("estimate" a noun).
    if lemma not in CUE_VERBS or not any(c.dep_ == "nsubj" for c in tok.children):
        return False
    return tok.tag_ in ("VBZ", "VBD", "VBP") or any(c.dep_ == "ccomp" for c in tok.children)


def _is_denial_cue(tok: Token) -> bool:
    """A verb of denial with a clause or a denied statement: "disputed that ...", "rejected
    claims that ..." ("deny" is a verb of saying as well)."""
    if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in DENIAL_VERBS:
        return False
    return (
        any(c.dep_ == "ccomp" for c in tok.children)
        or _denied_object(tok) is not None
        or _denied_deed(tok) is not None
        or _after_that(tok, tok.sent) is not None
        or (_agent(tok) is not None and _denied_subject(tok) is not None)
        or _denied_stretch(tok, tok.sent) is not None
    )


def _opened_by_that(clause: Token | None) -> bool:
    """A clause whose first word is "that" (a conjunction, whatever the parse calls it)."""
    return clause is not None and clause.left_edge.lower_ == "that"


_NOMINALS = frozenset({"NOUN", "PROPN", "PRON"})


def _denied_stretch(verb: Token, sent: Span) -> tuple[int, int] | None:
    """The words of a statement a verb of denial rejects, by token order, for when the parse
    of the statement is no use: in "rejected claims that engineer Pavel Novak told inspectors
    the valves were faulty" the small model can read "engineer" as a verb and hang "told"
    on "rejected", as if the denier had told the inspectors. A noun that names a statement
    (after the verb, with only its modifiers between), "that", then a stretch with a
    tensed verb right after a noun or pronoun (its subject) is denied up to the end of the
    sentence (or a semicolon, a dash, a comma before "saying ..." or "according to")."""
    doc = verb.doc
    noun: Token | None = None
    for t in doc[verb.i + 1 : min(sent.end, verb.i + 9)]:
        if _statement_form(t) in DENIED_OBJECT_NOUNS and t.i + 1 < sent.end:
            if doc[t.i + 1].lower_ == "that":
                noun = t
            break
        if t.pos_ in ("VERB", "AUX", "PUNCT", "SCONJ", "CCONJ", "ADP") and t.lower_ != "as":
            return None
    if noun is None:
        return None
    stretch: list[Token] = []
    for t in doc[noun.i + 2 : sent.end]:
        if t.text in (";", "—", "–") or (
            t.text == ","
            and t.i + 1 < sent.end
            and (doc[t.i + 1].tag_ == "VBG" or doc[t.i + 1].lower_ == "according")
        ):
            break
        stretch.append(t)
    while stretch and (stretch[-1].is_punct or stretch[-1].is_space or stretch[-1].is_quote):
        stretch.pop()
    clause_verb = next(
        (
            t
            for k, t in enumerate(stretch)
            if k > 0
            and t.pos_ in ("VERB", "AUX")
            and _tensed(t)
            and stretch[k - 1].pos_ in _NOMINALS
            and stretch[k - 1].lower_ != "that"
        ),
        None,
    )
    if clause_verb is None:
        return None  # "claims that were made": "that" is the subject
    if clause_verb.dep_ in ("aux", "auxpass") and clause_verb.head.i > clause_verb.i:
        clause_verb = clause_verb.head  # "had raised": the verb, not its auxiliary
    after = next((t for t in stretch if t.i > clause_verb.i), None)
    has_object = (
        after is not None
        and after.pos_ in ("NOUN", "PROPN", "PRON", "DET", "ADJ", "NUM")
        and after.ent_type_ not in ("DATE", "TIME")
    )
    if clause_verb.lemma_.lower() in STATEMENT_OBJECT_VERBS and not has_object:
        return None  # "the claims that the union made last week": "that" is the object
    return stretch[0].idx, stretch[-1].idx + len(stretch[-1])


def _agent(verb: Token) -> Token | None:
    """The agent of a passive verb: "denied by the ministry" gives "ministry"."""
    by = next((c for c in verb.children if c.dep_ == "agent"), None)
    return None if by is None else next((c for c in by.children if c.dep_ == "pobj"), None)


def _denied_subject(verb: Token) -> Token | None:
    """The clause of the statement a passive verb of denial has as its subject: "Claims that
    the reservoir was leaking were denied by ..." gives "the reservoir was leaking"."""
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is None or _statement_form(subj) not in DENIED_OBJECT_NOUNS:
        return None
    return _that_clause(subj)


def _statement_form(noun: Token) -> str:
    """The singular of a noun that may name a statement, also when the small model took it
    for a verb ("reports" tagged VBZ): "claims" gives "claim"."""
    if noun.pos_ in ("NOUN", "PROPN"):
        return noun.lemma_.lower()
    word = noun.lower_
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


# Of the verbs of denial, those whose "-ing" complement is a deed the subject denies having
# done ("denied leaking the memo", "denied having met him"); "rejected building a road"
# turns a plan down, it denies no statement.
_DEED_DENIALS = _wordset("deny")


def _denied_deed(verb: Token) -> Token | None:
    """The gerund clause a verb of denial takes: "denied falsifying the logs" gives
    "falsifying the logs"."""
    if verb.lemma_.lower() not in _DEED_DENIALS:
        return None
    for c in verb.children:
        if c.dep_ not in ("xcomp", "ccomp", "dobj", "pcomp") or c.left_edge.i != verb.i + 1:
            continue  # right after the verb ("denied that claim, saying ..." is no deed)
        if any(g.dep_ in _SUBJECT_DEPS for g in c.children):
            continue  # a clause with its own subject is a clause, found as one
        having = any(g.dep_ == "aux" and g.tag_ == "VBG" for g in c.children)
        if c.tag_ == "VBG" or having and c.tag_ == "VBN":
            return c
    return None


def _that_clause(noun: Token) -> Token | None:
    """The "that" clause of a noun: "claims that the budget was cut".

    The small model attaches such a clause as a complement, as a relative clause, or to the
    verb over the noun, and tags "that" as a conjunction or as a pronoun; so the clause is
    found by token order: "that" right after the noun, and the clause it opens (the highest
    word after "that" that the words after it hang from) has a subject of its own and does
    not use "that" as its subject or, with a verb that takes statements as objects, as its
    object, whatever the parse says ("the claims that he made" is a relative clause, not
    what was claimed)."""
    doc = noun.doc
    sent = noun.sent
    top: Token | None = None
    that: Token | None = None
    for c in noun.children:
        if c.dep_ in ("acl", "ccomp", "relcl"):
            that = next((m for m in c.children if m.dep_ == "mark" and m.lower_ == "that"), None)
            if that is not None:
                top = c
                break
    if top is None:
        if noun.i + 2 >= sent.end or doc[noun.i + 1].lower_ != "that":
            return None
        that = doc[noun.i + 1]
        top = doc[that.i + 1]
        while top.head.i > that.i and top.head.i != top.i and top.head.i < sent.end:
            top = top.head
        if top.pos_ not in ("VERB", "AUX") or top.i <= that.i:
            return None
        if not any(c.dep_ in _SUBJECT_DEPS and c.i > that.i for c in top.children):
            return None  # "claims that were made": "that" is the subject
    assert that is not None
    objects = [c for c in top.children if c.dep_ in _OBJECT_DEPS and c.i != that.i]
    if not objects and top.lemma_.lower() in STATEMENT_OBJECT_VERBS:
        return None  # "the reports that the paper published": "that" is the object
    return top


_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl"})
_OBJECT_DEPS = frozenset({"dobj", "ccomp", "xcomp", "attr", "acomp", "oprd", "dative"})


def _denied_object(verb: Token) -> Token | None:
    """The clause of someone else's statement a verb of denial takes as its object:
    "dismissed reports that the plant would close" gives "the plant would close"."""
    for c in verb.children:
        if c.dep_ == "dobj" and c.lemma_.lower() in DENIED_OBJECT_NOUNS:
            clause = _that_clause(c)
            if clause is not None:
                return clause
    return None


def _negated(tok: Token) -> bool:
    """ "did not say", "never said", "no evidence", "made no claim"."""
    return any(
        c.dep_ == "neg" or c.dep_ == "det" and c.lower_ == "no" and tok.pos_ == "NOUN"
        for c in tok.children
    )


def _refused(cue: Token) -> Token | None:
    """The verb of refusal a reporting verb depends on: "refused to confirm"."""
    gov = cue.head
    if cue.dep_ == "xcomp" and gov.i != cue.i and gov.lemma_.lower() in REFUSAL_VERBS:
        return gov
    return None


def not_yet_made(cue: Token) -> bool:
    """ "will deny that ...", "is expected to say that ...", "plans to announce that ...": the
    speech act lies ahead of the report, so nobody has said or denied the words yet. A
    negated cue under a future auxiliary ("will not confirm that ...") is a refusal made now."""
    if cue.pos_ not in ("VERB", "AUX"):
        return False
    if not _negated(cue) and any(
        c.dep_ == "aux"
        and (
            c.lemma_.lower() in FUTURE_AUXILIARIES
            # "said the airline would deny ...": the future of reported speech
            or (c.lower_ == "would" and cue.dep_ == "ccomp" and cue.head.tag_ == "VBD")
        )
        for c in cue.children
    ):
        return True
    if cue.dep_ != "xcomp" or cue.head.i == cue.i:
        return False
    gov = cue.head
    if gov.lemma_.lower() in PROSPECT_WORDS:
        return True  # "expected to deny", "plans to deny", "is going to say"
    # "is likely to deny", "is due to say": the word of prospect is the copula's complement
    return gov.lemma_.lower() == "be" and any(
        c.dep_ == "acomp" and c.lemma_.lower() in PROSPECT_WORDS for c in gov.children
    )


def polarity_of(cue: Token, negators: int = 0) -> str | None:
    """ "asserts", "denies", or None when two negations meet ("did not deny that ...",
    "refused to deny") or the speech act is not yet made ("will deny that ..."): the speaker
    neither says nor denies the words.

    A cue of denial, a negation of the cue, and a verb of refusal over it each count as one
    negation (``negators`` adds those the caller found, like "no" before "evidence")."""
    if not_yet_made(cue):
        return None
    lemma = cue.lemma_.lower()
    n = negators + (lemma in DENIAL_VERBS or lemma in DENIAL_NOUNS) + _negated(cue)
    refusal = _refused(cue)
    if refusal is not None:
        n += 1 + _negated(refusal)
    if n == 0:
        return ASSERTS
    return DENIES if n == 1 else None


_QUESTION_WORDS = _wordset("whether if how why when where who whom whose what which")


def _is_question(clause: Token) -> bool:
    """ "did not say how many jobs would go", "refused to say whether ...": no proposition."""
    first = next((t for t in clause.subtree if not (t.is_punct or t.is_space)), clause)
    return first.lower_ in _QUESTION_WORDS or first.tag_ in ("WDT", "WP", "WP$", "WRB")


def _cue_text(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    if lemma == "point":
        return "pointed out"
    prep = _OBJECT_PREPS.get(lemma)
    if prep is not None:
        after = next((c for c in tok.rights if c.dep_ in ("prep", "prt")), None)
        if after is not None and after.lower_ in prep:
            return f"{tok.text} {after.text}"
    return str(tok.text)


def _negated_cue_text(verb: Token, text: str) -> str:
    """The words that make a cue negative: "did not say", "has never said", "refused to
    confirm"."""
    refusal = _refused(verb)
    first = refusal if refusal is not None else verb
    for c in first.children:
        if c.i < first.i and c.dep_ in ("aux", "neg", "auxpass"):
            first = c
            break
    return " ".join(text[first.idx : verb.idx + len(verb)].split())


def _reported(
    sent: Span,
    verb: Token,
    ctx: _Context,
    before: Sequence[Span],
    previous: Mention | None = None,
    content: Token | None = None,
    negators: int = 0,
    content_span: tuple[int, int] | None = None,
) -> Mention | None:
    """The claim ``verb`` reports; ``content`` (a clause) or ``content_span`` (characters),
    when given, is what it reports (found by the caller: "found no evidence that ...",
    "called reports that ... false"), counting ``negators`` negations."""
    text, quotes = ctx.text, ctx.quotes
    lemma = verb.lemma_.lower()
    polarity = polarity_of(verb, negators)
    if polarity is None:
        return None  # "did not deny that ...": neither said nor denied
    if content is None and content_span is None and lemma in DENIAL_VERBS:
        # "rejected claims that ...", "denied leaking the memo"
        content = _denied_object(verb) or _denied_deed(verb)
        if content is None:
            content_span = _denied_stretch(verb, sent)
    ccomp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if content_span is not None:
        content = None
    elif content is None and ccomp is None and lemma in DENIAL_VERBS:
        content_span = _after_that(verb, sent)  # the parse hung the clause elsewhere
    if content is None and content_span is None and (_negated(verb) or _refused(verb) is not None):
        # "did not say that ...", "refused to confirm that ...": only a proposition, in a
        # clause of its own (not "did not say how many", not "did not urge anyone to ...")
        content = ccomp
        if content is None:
            content_span = _after_that(verb, sent)
            if content_span is None:
                return None
        elif not _finite(content) or _is_question(content):
            return None
    subj = _subject(verb, ctx)
    if subj is not None and subj.dep_ == "nsubjpass" and subj.head.i == verb.i:
        # "It was denied by the ministry that ...", "Claims that ... were denied by the
        # company": the agent speaks. Without one ("the union was informed", "it was denied
        # that ...") nobody is named as saying it.
        agent = _agent(verb)
        if agent is None:
            return None
        if content is None and content_span is None and lemma in DENIAL_VERBS:
            content = _denied_subject(verb)
        if content is None and content_span is None and not _opened_by_that(ccomp):
            return None  # "the plan was rejected by the board": no words reported
        subj = _named_apposition(agent, ctx) or agent
    elif subj is not None and subj.dep_ == "nsubjpass" and verb.dep_ != "relcl":
        return None  # "people were encouraged to submit designs and suggest ...": told, not telling
    if subj is not None and subj.pos_ in ("ADP", "DET", "SCONJ", "CCONJ"):
        return None
    # The reported words: the clause (or a quotation over most of it), else the verb with its
    # object for a speech act, else a quotation next to a verb of saying.
    span: tuple[int, int] | None = None
    shape = "clause"
    near = [
        q
        for q in _overlapping(quotes, sent.start_char, sent.end_char)
        if _word_count(text[q.start : q.end]) >= MIN_QUOTE_WORDS
    ]
    if lemma in _SOURCE_ONLY and not _is_source(subj, ctx):
        return None
    if lemma not in SPEECH_VERBS and _not_yet_said(verb):
        return None
    own_words = False
    if content_span is not None:
        clause: tuple[int, int] | None = content_span
    elif content is not None:
        clause = _content_chars(verb, content, sent)
    else:
        clause = None if lemma in _NO_CLAUSE else _clause(verb, lemma, subj)
        # '"We paid no bribes," the chairman denied': words before their attribution are
        # what the speaker said.
        own_words = clause is not None and clause[1] <= verb.idx
    # The words quoted before the attribution are the speaker's own, even after a verb of
    # denial ('"That is false," she denied'); only a clause it governs is denied.
    if clause is None and lemma in SPEECH_VERBS:
        clause = _before_closing_quote(verb, subj, sent)
        own_words = clause is not None
    quote_first = _quote_before(verb, subj, near, text)
    if quote_first is not None and lemma in OBJECT_VERBS and lemma not in _NO_CLAUSE:
        # '"Stay indoors," the fire chief urged residents': the quotation is what was urged
        span, shape = quote_first, "quote"
        own_words = True
    elif clause is not None:
        c_start, c_end = clause
        in_clause = [q for q in near if q.start < c_end and c_start < q.end]
        if in_clause:
            q_start, q_end = in_clause[0].start, in_clause[-1].end
            covered = min(q_end, c_end) - max(q_start, c_start)
            if covered * 2 >= c_end - c_start:
                span = (q_start, q_end)
            else:
                span = _merge_quote_bounds((c_start, c_end), in_clause)
            shape = "quote"
        else:
            span = (c_start, c_end)
    elif lemma in OBJECT_VERBS and subj is not None and not _shares_a_cue(verb):
        span = _object_span(verb, lemma, sent)
        shape = "object"
    if (
        span is None
        and near
        and lemma in SPEECH_VERBS
        and verb.dep_ in ("ROOT", "conj")
        and (subj is None or not _inside(quotes, subj.idx, subj.idx + 1))
    ):
        span = (near[0].start, near[-1].end)
        shape = "quote"
        own_words = True
    if span is None or _word_count(text[span[0] : span[1]]) < 3:
        return None
    if own_words or shape == "object":
        if polarity == DENIES and lemma not in DENIAL_VERBS:
            return None  # a negated speech act or quotation: nothing was said
        polarity = ASSERTS
    start, end = _clean(text, *span)
    if subj is not None:
        speaker_tokens = _speaker_tokens(subj)
    elif shape == "quote" and lemma in SPEECH_VERBS:
        # '"...," regional civil protection chief of operations Tomas Berg said': a long speaker the
        # parser could not make the subject stands between the quotation and the verb.
        speaker_tokens = _between_quote_and_verb(verb, sent, quotes)
    else:
        return None
    speaker_tokens = _without_dangling_possessive(speaker_tokens, ctx)
    if not speaker_tokens:
        return None
    s_start, s_end = _chars(speaker_tokens)
    name = ctx.name_at(subj.idx, subj.idx + len(subj)) if subj is not None else None
    if name is not None and name.kind != "place":
        # "the office of President Moon Jae In said": a name the parse (or the sentence
        # splitter) cut in two
        s_start, s_end = min(s_start, name.start), max(s_end, name.end)
    speaker = text[s_start:s_end]
    attrs: dict[str, object] = {"cue": _cue_text(verb), "polarity": polarity}
    if polarity == DENIES and lemma not in DENIAL_VERBS:
        attrs["cue"] = _negated_cue_text(verb, ctx.text)
    head_tok = subj if subj is not None else speaker_tokens[-1]
    head = _speaker_head(head_tok, speaker_tokens, ctx)
    if subj is not None:
        head = _definite_antecedent(subj, ctx) or head
    if subj is not None and subj.pos_ == "PRON" and subj.lower_ != "we":
        resolved = _resolve_pronoun(subj, sent, ctx, before, previous)
        if resolved is None:
            if subj.lower_ not in _PERSONAL_PRONOUNS and subj.lower_ != "they":
                return None  # "it said", "this shows": nothing safe to name
        else:
            attrs["speaker_as_written"] = speaker
            speaker, s_start, s_end, head = resolved
    attrs["speaker_head"] = head
    attrs["speaker"] = speaker
    attrs["speaker_span"] = [s_start, s_end]
    body = _spoken_for(subj, s_start, s_end, ctx) if "speaker_as_written" not in attrs else None
    if body is not None:
        attrs["speaks_for"] = body
    date, source = _statement_date(
        verb, sent, ctx.dates_within(sent.start_char, sent.end_char), ctx.published
    )
    attrs["date"] = date
    attrs["date_source"] = source
    return Mention(
        kind="claim",
        start=start,
        end=end,
        text=text[start:end],
        value=speaker,
        provenance=f"{PROVENANCE}:{shape}",
        attrs=attrs,
    )


def _clause(verb: Token, lemma: str, subj: Token | None) -> tuple[int, int] | None:
    """Character bounds of the clause a reporting verb reports, if it has one."""
    sent = verb.sent
    content = next((c for c in verb.children if c.dep_ in ("ccomp", "parataxis")), None)
    if content is not None:
        if lemma in _FINITE_ONLY and not _finite(content):
            return None  # "police found the body wrapped in ...": no proposition
        return _content_chars(verb, content, sent)
    head = verb.head
    if head.i == verb.i or head.i > verb.i:
        return None
    # "..., the official said.", "..., the institute estimated last year.": the attribution
    # comes after the words it reports and parses as hanging on them (on a noun, as a reduced
    # relative clause, when the verb looks like a participle: "... 300 million euros, the
    # institute estimated").
    left = verb.left_edge
    while left.i < verb.i and (left.is_punct or left.is_space):
        left = verb.doc[left.i + 1]  # the comma before "he said" can hang on "said"
    set_off = left.i > 0 and (verb.doc[left.i - 1].is_punct or verb.doc[left.i - 1].is_quote)
    own_subject = subj is not None and subj.head.i == verb.i and subj.i < verb.i
    # The attribution is just "the official said" or "said the official" (adverbs aside):
    # "..., when the mayor promised ...", "X said the company told ..." are clauses of their own.
    first = next(
        (t for t in verb.subtree if not (t.is_punct or t.pos_ == "ADV" or t.is_space)), verb
    )
    bare = first.i == verb.i or (
        subj is not None and subj.head.i == verb.i and first.i == subj.left_edge.i
    )
    if not set_off or not bare or any(c.dep_ == "mark" for c in verb.children):
        return None  # "..., while the union told members ...": a clause of its own
    if lemma in ("say", "tell", "add") and verb.dep_ in ("ccomp", "parataxis"):
        if head.pos_ not in ("VERB", "AUX"):
            return None
    elif verb.dep_ in ("ccomp", "parataxis") and head.pos_ in ("VERB", "AUX"):
        pass
    elif verb.dep_ in ("conj", "advcl") and head.pos_ in ("VERB", "AUX"):
        if not own_subject or any(c.dep_ == "cc" for c in head.children):
            return None  # "... and then said" shares its subject: not an attribution
    elif verb.dep_ == "acl" and own_subject:
        head = verb.sent.root
    else:
        return None
    toks = [
        t for t in head.subtree if sent.start <= t.i < left.i and not t.is_space and t.i != verb.i
    ]
    while toks and (toks[0].dep_ == "mark" or toks[0].is_punct):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks:
        return None
    return _chars(toks)


def _content_chars(verb: Token, content: Token, sent: Span) -> tuple[int, int]:
    """The characters of the clause ``content`` that ``verb`` reports, from its "that" when
    the parse cut the clause's subject off (see ``_after_that``)."""
    start, end = _subtree_chars(content, sent, exclude=verb)
    by_order = _after_that(verb, sent)
    if by_order is not None and start < by_order[1] and by_order[0] < end:
        return by_order[0], max(end, by_order[1])
    return start, end


def _after_that(verb: Token, sent: Span) -> tuple[int, int] | None:
    """The clause "that" opens right after ``verb``, found by token order: "denied that
    coach Lars Eide had said ...". The small model can read "that" as a determiner and make
    its noun the verb's object, with the clause's verb hanging from that noun or from the
    verb; the clause runs from after "that" to the end of the first verb after it (not an
    auxiliary), when only a noun phrase stands between."""
    doc = verb.doc
    after = verb.i + 1
    while after < sent.end and doc[after].dep_ == "advmod" and doc[after].head.i == verb.i:
        after += 1  # "denied outright that ..."
    if after + 2 >= sent.end or doc[after].lower_ != "that":
        return None
    that = doc[after]
    if that.dep_ == "mark" and that.head.head.i == verb.i:
        return None  # parsed as it reads: the clause is the verb's own
    clause_verb = next(
        (
            t
            for t in doc[after + 1 : sent.end]
            if t.pos_ == "VERB" or t.pos_ == "AUX" and t.dep_ not in ("aux", "auxpass")
        ),
        None,
    )
    if clause_verb is None or not _tensed(clause_verb):
        return None
    between = doc[after + 1 : clause_verb.i]
    if not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in between):
        return None
    if any(
        t.pos_ in ("VERB", "SCONJ", "PUNCT") or t.pos_ == "AUX" and t.head.i != clause_verb.i
        for t in between
    ):
        return None
    last = max(clause_verb.subtree, key=lambda t: t.i)
    while last.i > clause_verb.i and (last.is_punct or last.is_space):
        last = doc[last.i - 1]
    first = doc[after + 1]
    return first.idx, last.idx + len(last)


def _chars(toks: Sequence[Token]) -> tuple[int, int]:
    """Character bounds of a run of tokens (first to last, in order)."""
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _published_claim(
    ctx: _Context,
    start: int,
    end: int,
    speaker: tuple[int, int],
    head: Sequence[int],
    cue: str,
    shape: str,
    polarity: str = ASSERTS,
) -> Mention:
    """A claim of ``ctx.text[start:end]`` by the speaker at those character bounds, dated by
    the publication date (its sentence gives no date of the saying)."""
    name = ctx.text[speaker[0] : speaker[1]]
    return Mention(
        kind="claim",
        start=start,
        end=end,
        text=ctx.text[start:end],
        value=name,
        provenance=f"{PROVENANCE}:{shape}",
        attrs={
            "speaker": name,
            "speaker_span": [speaker[0], speaker[1]],
            "speaker_head": list(head),
            "cue": cue,
            "polarity": polarity,
            "date": ctx.published,
            "date_source": "published",
        },
    )


def _is_source(subj: Token | None, ctx: _Context) -> bool:
    if subj is None:
        return False
    if subj.lemma_.lower() in SOURCE_NOUNS or subj.lower_ in SOURCE_NOUNS:
        return True
    name = ctx.name_at(subj.idx, subj.idx + len(subj))
    return name is not None and name.kind in ("person", "organization")


def _before_closing_quote(verb: Token, subj: Token | None, sent: Span) -> tuple[int, int] | None:
    """ "... they are at best disingenuous,'' she said.": whatever the parse made of the quoted
    words, the attribution right after a closing quote reports what precedes it."""
    doc = verb.doc
    start = subj.left_edge if subj is not None and subj.i < verb.i else verb
    if start.i - 1 <= sent.start:
        return None
    mark = doc[start.i - 1]
    if not mark.is_quote or mark.text in ("``", "“") or not doc[start.i - 2].is_punct:
        return None  # a closing mark after the quotation's comma: ',"' or ",''"
    toks = [t for t in doc[sent.start : start.i - 2] if not t.is_space]
    while toks and (toks[0].is_punct or toks[0].is_quote):
        toks = toks[1:]
    if not toks:
        return None
    return _chars(toks)


def _quote_before(
    verb: Token, subj: Token | None, near: Sequence[Quote], text: str
) -> tuple[int, int] | None:
    """A quotation that ends right before the attribution ('"...," he urged')."""
    left = min(verb.i, subj.left_edge.i) if subj is not None else verb.i
    at = verb.doc[left].idx
    for q in near:
        if q.end <= at and not text[q.end : at].strip(" ,\"”'’\n"):
            return q.start, q.end
    return None


def _not_yet_said(verb: Token) -> bool:
    """ "can expect delays", "could call for a strike", "plans to urge": a speech act that has
    not happened (a modal, or an infinitive under another verb) reports nothing."""
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _finite(clause: Token) -> bool:
    """A clause with "that" or with a subject and a tensed verb: a proposition."""
    if any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        return True
    if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children):
        return False
    return _tensed(clause)


def _tensed(verb: Token) -> bool:
    """A verb in a tense, or with a tensed auxiliary or a modal: "had said", "would close"."""
    return verb.tag_ in ("VBD", "VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD")
        for c in verb.children
    )


def _shares_a_cue(verb: Token) -> bool:
    """ "said ... and asked the court to delay the hearing": the first verb's claim stands for the
    sentence; a second speech act joined to it adds a second claim for the same words."""
    return verb.dep_ == "conj" and _is_cue(verb.head)


def _passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    # "..., expected to resign", "is due to arrive ... and is expected to speak"
    return verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children)


def _object_span(verb: Token, lemma: str, sent: Span) -> tuple[int, int] | None:
    """ "urged hospitals to postpone surgery", "accused the airline of ...", "forecasts
    growth of 1.4%": the verb and what follows it in its phrase."""
    rights = list(verb.rights)
    preps = _OBJECT_PREPS.get(lemma)
    if verb.dep_ == "compound" and verb.head.i > verb.i:
        rights = [t for t in verb.head.subtree if t.i > verb.i]  # the misparsed "forecasts"
    elif preps is not None:
        # The preposition right after the verb: "called for talks", not "called a strike for
        # Monday".
        first = next((c for c in rights if not c.is_punct), None)
        by_prep = (
            first is not None
            and first.dep_ in ("prep", "prt")
            and first.lower_ in preps
            # "warned about in his speech" (the object went before): not a statement
            and any(c.dep_ in ("pobj", "pcomp") and c.i > first.i for c in first.children)
        )
        if not by_prep and not (lemma == "warn" and any(c.dep_ == "xcomp" for c in rights)):
            return None
    elif lemma in _OBJECT_NEEDS_XCOMP:
        # whom and what: "told drivers to avoid the bridge" (not "asked not to be named")
        kinds = {c.dep_ for c in rights}
        if "xcomp" not in kinds or not kinds & {"dobj", "dative"}:
            return None
    elif lemma in _NEEDS_REASON:
        # on the verb or on its object: "praised the rescue teams for their speed"
        # ("of" on the object is its own, "the head of the police", unless a deed follows:
        # "accused the minister of lying")
        on_verb = any(c.dep_ == "prep" and c.lower_ in _REASON_PREPS for c in rights)
        on_object = any(
            t.dep_ == "prep"
            and (
                t.lower_ in ("for", "over")
                or t.lower_ == "of"
                and (lemma == "accuse" or any(g.dep_ == "pcomp" for g in t.children))
            )
            for c in rights
            for t in c.children
        )
        if not on_verb and not on_object:
            return None
    elif not any(c.dep_ in ("dobj", "xcomp") for c in rights):
        return None
    if _passive(verb) or any(t.dep_ == "acl" for t in (verb, *verb.ancestors)):
        return None  # "a statement that Seoul had asked Japan to ...": not Seoul's words
    end_tok: Token | None = None
    for c in rights if verb.dep_ == "compound" else verb.rights:
        if c.dep_ in ("cc", "conj", "parataxis") or not sent.start <= c.i < sent.end:
            break  # "... confirmed the deal, and the union said ...": a statement of its own
        if c.dep_ == "advcl" and c.i > verb.i and _is_cue(c):
            break  # "called for ratification, saying it would ...": said apart
        if c.is_punct:
            continue
        last = c.right_edge if verb.dep_ != "compound" else c
        if last.i < sent.end:
            end_tok = last if end_tok is None or last.i > end_tok.i else end_tok
    if end_tok is None:
        return None
    return verb.idx, end_tok.idx + len(end_tok)


def _between_quote_and_verb(verb: Token, sent: Span, quotes: Sequence[Quote]) -> list[Token]:
    doc = verb.doc
    text = doc_text(doc)
    closed = [q for q in quotes if sent.start_char <= q.end <= verb.idx]
    if not closed:
        return []
    q = closed[-1]
    toks = [t for t in sent if q.end <= t.idx and t.i < verb.i]
    while toks and (toks[0].is_punct or toks[0].is_quote or toks[0].is_space):
        toks = toks[1:]
    if not 1 <= len(toks) <= 10 or text[q.end : toks[0].idx].strip(" ,\"”'’\n"):
        return []
    if any(t.pos_ in ("VERB", "AUX", "SCONJ") or t.is_quote for t in toks):
        return []
    return toks


def _speaker_head(subj: Token, speaker: Sequence[Token], ctx: _Context) -> list[int]:
    """Where the speaker's entity is named: the subject, or the name written right after a role
    ("its operator Hidrovale")."""
    if ctx.name_at(subj.idx, subj.idx + len(subj)) is None:
        for t in speaker:
            if t.dep_ == "appos" and t.head.i == subj.i:
                name = ctx.name_at(t.idx, t.idx + len(t))
                if name is not None and name.kind != "place":
                    return [name.start, name.end]
    return [subj.idx, subj.idx + len(subj)]


def _spoken_for(subj: Token | None, start: int, end: int, ctx: _Context) -> list[int] | None:
    """ "A spokesman for the Vestby Port Authority", "a Northwind spokeswoman": the one
    organisation named in the speaker phrase of a role that speaks for it."""
    if subj is None or subj.lemma_.lower() not in SPEAKS_FOR_NOUNS:
        return None
    if ctx.name_at(subj.idx, subj.idx + len(subj)) is not None:
        return None
    bodies = [m for m in ctx.names if start <= m.start and m.end <= end]
    if len(bodies) != 1 or bodies[0].kind != "organization":
        return None  # a person named in it speaks for themselves; two bodies: which one?
    return [bodies[0].start, bodies[0].end]


_POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})


def _without_dangling_possessive(toks: list[Token], ctx: _Context) -> list[Token]:
    """ "Northwind's said that ...", "..., the company's said": a possessive mark with nothing
    after it is "has" or a slip, never part of the speaker (unless a name ends with it, as
    a shop's name may)."""
    while len(toks) > 1 and toks[-1].lower_ in _POSSESSIVE_MARKS:
        end = toks[-1].idx + len(toks[-1])
        if any(m.end == end for m in ctx.names):
            break
        toks = toks[:-1]
    return toks


def _definite_antecedent(subj: Token, ctx: _Context) -> list[int] | None:
    """ "The Harbour Authority ... the authority said": "the" and a singular noun that ends
    the name of an organisation written before it stand for that organisation (the nearest
    such name), so the speaker resolves to its entity."""
    if subj.pos_ != "NOUN" or subj.tag_ != "NN":
        return None
    if [c.lower_ for c in subj.children] != ["the"] or ctx.name_at(subj.idx, subj.idx + 1):
        return None
    word = subj.lower_
    for m in reversed(ctx.names):
        if m.end <= subj.idx and m.kind == "organization" and m.text.split()[-1].lower() == word:
            return [m.start, m.end]
    if word in COMPANY_DESCRIPTORS:
        # "Halvorsen Pharmaceuticals will pay, the company said": a noun for a company stands
        # for the nearest organisation named before it that is no public body, association or
        # abbreviation ("the MSA", a union)
        for m in reversed(ctx.names):
            last = m.text.split()[-1].lower() if m.text.split() else ""
            if (
                m.end <= subj.idx
                and m.kind == "organization"
                and not m.text.isupper()
                and last not in _NOT_COMPANY_HEADS
            ):
                return [m.start, m.end]
    return None


# Head words of organisations that are no companies (public bodies, institutions, associations).
_NOT_COMPANY_HEADS = PUBLIC_BODY_HEADS | (ORG_HEADS - COMPANY_WORDS - CORPORATE_SUFFIXES)


def _statement_noun(sent: Span, noun: Token, ctx: _Context) -> Mention | None:
    """ "a Korean official's statement that Seoul had asked Japan ...": the possessor said it."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    clause = _that_clause(noun)
    if owner is None or clause is None or owner.pos_ == "PRON":
        return None
    polarity = polarity_of(noun)  # "the ministry's denial that ..."
    if polarity is None:
        return None
    start, end = _clean(ctx.text, *_subtree_chars(clause, sent))
    speaker_tokens = [t for t in _speaker_tokens(owner) if t.dep_ != "case"]
    if _word_count(ctx.text[start:end]) < 3 or not speaker_tokens:
        return None
    return _published_claim(
        ctx,
        start,
        end,
        _chars(speaker_tokens),
        _chars([owner]),
        noun.text,
        "statement",
        polarity,
    )


def _absence(
    sent: Span, noun: Token, ctx: _Context, before: Sequence[Span], previous: Mention | None
) -> Mention | None:
    """ "Inspectors found no evidence that the dam had been weakened": the subject of the
    verb denies the clause."""
    verb = noun.head
    if noun.dep_ != "dobj" or verb.pos_ not in ("VERB", "AUX") or not _negated(noun):
        return None
    clause = _that_clause(noun)
    if clause is None:
        return None
    claim = _reported(sent, verb, ctx, before, previous, content=clause, negators=1)
    if claim is not None:
        no = next(c for c in noun.children if c.dep_ in ("det", "neg"))
        claim.attrs["cue"] = " ".join(ctx.text[verb.idx : noun.idx + len(noun)].split())
        if no.i < verb.i:
            claim.attrs["cue"] = f"{no.text} {noun.text}"
    return claim


def _merge_quote_bounds(span: tuple[int, int], quotes: Sequence[Quote]) -> tuple[int, int]:
    start, end = span
    for q in quotes:
        if q.start < end and start < q.end:
            start, end = min(start, q.start), max(end, q.end)
    return start, end


def _according_to(sent: Span, according: Token, ctx: _Context) -> Mention | None:
    text = ctx.text
    to = next(c for c in according.children if c.lower_ == "to")
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    source = _named_apposition(source, ctx) or source
    p_start, p_end = _chars(sorted(according.subtree, key=lambda t: t.i))
    s_start, s_end = sent.start_char, sent.end_char
    head = according.head
    if head.pos_ in ("VERB", "AUX") and head.dep_ in ("ccomp", "relcl", "advcl"):
        # "X said the committee had voted ..., according to Y": Y is the source of the
        # clause the phrase hangs on, not of X's whole statement.
        s_start = min(t.idx for t in head.subtree)
        last = max(head.subtree, key=lambda t: t.i)
        s_end = last.idx + len(last)
    if p_start - s_start > s_end - p_end:
        start, end = s_start, p_start
    else:
        start, end = p_end, s_end
    start, end = _clean(text, start, end)
    if _word_count(text[start:end]) < 3:
        return None
    speaker_tokens = _without_dangling_possessive(_speaker_tokens(source), ctx)
    # A date in the sentence dates what is reported, not when the source said it.
    return _published_claim(
        ctx,
        start,
        end,
        _chars(speaker_tokens),
        _speaker_head(source, speaker_tokens, ctx),
        "according to",
        "according-to",
    )


# The last word of "..., customs figures show." when the parser reads it as a noun.
_TRAILING_FORMS = _wordset(
    """show shows showed suggest suggests suggested indicate indicates indicated say says said
    estimate estimates estimated find finds found report reports reported"""
)


def _trailing_source(sent: Span, ctx: _Context) -> list[Mention]:
    """ "Exports fell 7% in the first quarter, customs figures show.": a source written after a
    comma at the very end of a sentence, for when the parse did not find the verb."""
    doc, last = sent.doc, sent.end - 1  # the last word, found from the end: most sentences
    while last >= sent.start and (doc[last].is_space or doc[last].is_punct or doc[last].is_quote):
        last -= 1  # end in no source word, and are not read token by token
    if last < sent.start or doc[last].lower_ not in _TRAILING_FORMS:
        return []
    toks = [t for t in sent if not t.is_space]
    while toks and (toks[-1].is_punct or toks[-1].is_quote):
        toks.pop()
    if len(toks) < 6 or toks[-1].lower_ not in _TRAILING_FORMS:
        return []
    verb = toks[-1]
    comma = next((i for i in range(len(toks) - 2, 0, -1) if toks[i].text == ","), None)
    if comma is None:
        return []
    speaker = toks[comma + 1 : -1]
    if not 1 <= len(speaker) <= 6 or speaker[0].lower_ in ("a", "an"):
        return []
    if any(t.pos_ in ("VERB", "AUX", "PRON", "SCONJ", "ADP") or t.is_punct for t in speaker):
        return []
    noun = speaker[-1]
    if noun.tag_ not in ("NNS", "NNPS") and noun.lower_ != "data":
        return []  # "..., a road show": only plural sources ("figures show", "data show")
    start, end = _clean(ctx.text, toks[0].idx, toks[comma].idx)
    if _word_count(ctx.text[start:end]) < 3 or _inside(ctx.quotes, verb.idx, verb.idx + 1):
        return []
    return [
        _published_claim(
            ctx, start, end, _chars(speaker), _chars([noun]), verb.text, "trailing-source"
        )
    ]


_CONTINUED_AFTER = frozenset({"clause", "quote", "object", "continued-quote"})


def _continued_quote(
    sent: Span, quotes: Sequence[Quote], claims: Sequence[Mention]
) -> list[Mention]:
    """An unattributed quotation right after an attributed one is the same speaker's."""
    if not claims:
        return []
    last = claims[-1]
    if last.provenance.rsplit(":", 1)[-1] not in _CONTINUED_AFTER:
        return []  # after "according to X" or "X's statement that" a quote is not X's words
    text = doc_text(sent.doc)
    for q in _overlapping(quotes, sent.start_char, sent.end_char):
        if q.start < last.end or _word_count(text[q.start : q.end]) < MIN_QUOTE_WORDS:
            continue
        if text[q.end : q.end + 2].startswith(","):
            continue  # '"We cannot handle that ...," the director said': attributed after it
        gap = text[last.end : q.start]
        if len(gap) > 80 or gap.count("\n\n") > 1:
            continue
        attrs = dict(last.attrs)
        attrs["cue"] = "continued quote"
        attrs["polarity"] = ASSERTS  # the speaker's own words, even after a denial
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


def _subject(verb: Token, ctx: _Context) -> Token | None:
    # The subject nearest the verb: a dateline ("LONDON, March 3 - The bank on Monday said")
    # can parse as a second subject further left.
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subjects:
        before = [c for c in subjects if c.i < verb.i]
        subj = before[-1] if before else subjects[0]
        if (
            subj.lower_ in _RELATIVE_PRONOUNS
            and verb.dep_ == "relcl"
            and verb.head.pos_ in ("NOUN", "PROPN")
            and (subj.lower_ == "who" or _may_speak(verb.head, ctx))
        ):
            subj = verb.head  # "the minister, who said ...", "the firm, which denied ..."
        subj = _after_dateline(subj)
        return _named_apposition(subj, ctx) or subj
    head = verb.head
    if (
        verb.dep_ == "acl"
        and head.dep_ == "ROOT"
        and head.pos_ in ("NOUN", "PROPN")
        and head.i < verb.i
        and verb.tag_ in ("VBD", "VBN")
        and not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children)
    ):
        # "The orchestra dismissed as gossip reports that ...": with no verb of its own the
        # sentence is not a noun phrase; the noun is the subject of the verb read as its
        # reduced relative clause.
        return _named_apposition(head, ctx) or head
    if verb.dep_ == "compound" and verb.pos_ == "VERB":
        # "The OECD forecasts growth ...": the verb taken for a modifier of its object keeps
        # its subject as a modifier of its own.
        left = [c for c in verb.lefts if c.pos_ in ("PROPN", "NOUN")]
        return left[-1] if left else None
    # "he said that ... and said that ...", "..., saying that ...": the subject of the verb
    # this one hangs on.
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i:
        return _subject(verb.head, ctx) if verb.head.pos_ in ("VERB", "AUX") else None
    return None


_RELATIVE_PRONOUNS = _wordset("who which that")


def _may_speak(noun: Token, ctx: _Context) -> bool:
    """ "which"/"that" stand for a speaker only when the noun can be one: a person or an
    organisation named, a body ("the agency that said ..."), a source of information ("the
    report, which found ..."); not "a calendar that predicted eclipses"."""
    name = ctx.name_at(noun.idx, noun.idx + len(noun))
    if name is not None:
        return name.kind in ("person", "organization")
    if noun.pos_ == "PROPN":
        return True  # a name the entity passes did not type
    lemma = noun.lemma_.lower()
    return lemma in _INSTITUTION_NOUNS or lemma in SOURCE_NOUNS


_DASHES = frozenset({"-", "--", "—", "–"})


def _after_dateline(subj: Token) -> Token:
    """ "OSLO, May 2 (Wire) - The Maritime Authority ... announced": the parse can make
    the dateline the subject and the real one its apposition after the dash."""
    dash = next((c for c in subj.rights if c.dep_ == "punct" and c.text in _DASHES), None)
    if dash is None:
        return subj
    after = [c for c in subj.rights if c.dep_ == "appos" and c.i > dash.i]
    return after[-1] if after else subj


def _named_apposition(subj: Token, ctx: _Context) -> Token | None:
    """ "A ministry spokesperson, Ana Ruiz, said", "its teachers' union, fenprof, said": the
    name set off by commas after a role is the speaker, not the role."""
    if subj.pos_ == "PROPN":
        return None
    doc = subj.doc
    for c in subj.rights:
        if c.dep_ not in ("appos", "npadvmod"):
            continue
        left, right = c.left_edge, c.right_edge
        if not any(doc[i].text == "," for i in range(subj.i + 1, left.i)):
            continue  # written close ("its operator Hidrovale"), it stays inside the speaker
        name = ctx.name_at(c.idx, c.idx + len(c))
        if name is not None and name.kind in ("person", "organization"):
            return c
        if c.pos_ == "PROPN" and (name is None or name.kind != "place"):
            return c
        # A bare singular noun between commas after "the/its/X's role" can only be a name,
        # even written in lower case: "the country's teachers' union, fenprof, said".
        bare = list(c.subtree)
        if (
            len(bare) <= 3
            and all(t.pos_ in ("NOUN", "PROPN") and t.tag_ != "NNS" for t in bare)
            and right.i + 1 < len(doc)
            and doc[right.i + 1].text == ","
            and any(t.dep_ in ("det", "poss") for t in subj.children)
        ):
            return c
    return None


_SPEAKER_DROP = _wordset("relcl acl appos advcl parataxis npadvmod")


def _speaker_tokens(head: Token) -> list[Token]:
    doc = head.doc
    keep: list[Token] = []

    def walk(tok: Token) -> None:
        keep.append(tok)
        for c in tok.children:
            inside_name = bool(c.ent_type_) and c.ent_type_ == tok.ent_type_
            close = c.dep_ == "appos" and c.i > tok.i and not doc[c.left_edge.i - 1].is_punct
            if c.dep_ in _SPEAKER_DROP and not inside_name and not close:
                continue
            if any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree):
                continue
            if c.dep_ == "punct" and (c.whitespace_ or c.i > 0 and doc[c.i - 1].whitespace_):
                continue  # a comma or dash around an apposition, not one inside a name
            if c.dep_ == "punct" and c.text in (".", "!", "?") and c.i > head.i:
                continue  # the sentence's end, on a subject the parse made the root
            walk(c)

    walk(head)
    kept = {t.i for t in keep}
    last = max(kept)
    for i in range(head.i + 1, last + 1):
        if doc[i].text in (",", ";", "(", "—") and not doc[i].ent_type_:
            if doc[i].text == "," and _inside_listed_name(doc, i, kept):
                continue
            last = i - 1  # an apposition the parse did not mark: "Neal Litvack, a ..."
            break
    first = min(kept)
    if head.pos_ == "PROPN":
        # "Its largest shareholder, pension fund Veridia" parsed with the name as the head:
        # the role before the comma is not part of the name.
        commas = [i for i in range(first, head.i) if doc[i].text == ","]
        if commas and not _inside_listed_name(doc, commas[-1], kept):
            first = commas[-1] + 1
    toks = [doc[i] for i in range(first, last + 1)]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks.pop(0)
    return toks


def _inside_listed_name(doc: Doc, comma: int, kept: set[int]) -> bool:
    """A comma between capitalised parts of one name that ends "... and Heritage" ("Department
    of Lands, Water, Parks and Heritage")."""
    nxt = doc[comma + 1] if comma + 1 < len(doc) else None
    if nxt is None or nxt.i not in kept or nxt.pos_ != "PROPN" or not nxt.is_title:
        return False
    part = nxt if nxt.dep_ == "conj" else nxt.head
    if part.dep_ != "conj" or part.i not in kept:
        return False
    return any(
        doc[i].dep_ == "cc" and doc[i].lower_ in ("and", "&")
        for i in range(comma + 1, max(kept) + 1)
        if i in kept
    )


def _subtree_chars(tok: Token, sent: Span, exclude: Token | None = None) -> tuple[int, int]:
    # "it would suspend two routes, while Baltic Lines told passengers to ...": a second source's
    # statement joined to the reported clause is that source's claim, not part of this one.
    others = {
        t.i
        for d in tok.subtree
        if d.i != tok.i
        and d.dep_ in ("advcl", "conj")
        and _is_cue(d)
        and d.lemma_.lower() not in FINDING_VERBS
        and any(c.dep_ == "nsubj" and c.pos_ != "PRON" for c in d.children)
        and not any(c.dep_ == "neg" for c in d.children)
        and all(c.lower_ in ("while", "whereas", "as") for c in d.children if c.dep_ == "mark")
        for t in d.subtree
    }
    toks = [
        t
        for t in tok.subtree
        if (exclude is None or t.i != exclude.i)
        and sent.start <= t.i < sent.end
        and t.i not in others
    ]
    toks = [t for t in toks if not t.is_space]
    # A reported clause opened by "that" starts after it (also when the parse took "that" for
    # a pronoun ahead of the clause's subject).
    while toks and (
        toks[0].dep_ == "mark"
        or toks[0].is_punct
        or toks[0].lower_ == "that"
        and toks[0].head.i == tok.i
        and any(c.dep_ in _SUBJECT_DEPS and c.i > toks[0].i for c in tok.children)
    ):
        toks = toks[1:]
    if not toks:
        return tok.idx, tok.idx + len(tok)
    last = max(toks, key=lambda t: t.i)
    return min(t.idx for t in toks), last.idx + len(last)


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ',;:—–-"“”`'):
        start += 1
    while end > start and (
        text[end - 1].isspace()
        or text[end - 1] in ',;:—–-"“”`'
        or text.startswith("''", end - 2)
        and end - 2 >= start
    ):
        end -= 2 if text.startswith("''", end - 2) else 1
    return start, end


def _word_count(text: str) -> int:
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))


# Heads of speakers that are bodies, not people: "it" may stand for them, "he"/"she" may not.
_INSTITUTION_NOUNS = _wordset(
    """ministry government company bank union agency office department commission court group
    club association council board party firm authority regulator institute committee
    federation chamber organisation organization operator police army embassy parliament
    cabinet administration exchange fund house side team network utility"""
)


def _speaker_kind(claim: Mention, ctx: _Context) -> str:
    """ "person", "body" or "role" (a role phrase like "the official", a person or not)."""
    head = claim.attrs.get("speaker_head") or claim.attrs.get("speaker_span")
    if not isinstance(head, list) or len(head) != 2:
        return "role"
    name = ctx.name_at(int(head[0]), int(head[1]))
    if name is not None:
        return "person" if name.kind == "person" else "body"
    span = tokens_in(ctx.doc, int(head[0]), int(head[1]))
    if span is not None and span.root.lemma_.lower() in _INSTITUTION_NOUNS:
        return "body"
    return "role"


def _plural_speaker(claim: Mention, ctx: _Context) -> bool:
    head = claim.attrs.get("speaker_head")
    if not isinstance(head, list) or len(head) != 2:
        return False
    span = tokens_in(ctx.doc, int(head[0]), int(head[1]))
    if span is None:
        return False
    root = span.root
    return root.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in root.children)


def _resolve_pronoun(
    pronoun: Token,
    sent: Span,
    ctx: _Context,
    before: Sequence[Span],
    previous: Mention | None,
) -> tuple[str, int, int, list[int]] | None:
    """ "He said", "It said": the speaker of the claim just before when it can be one ("he"
    for a person or a role, "it" for a body), else the last such name before the pronoun."""
    if pronoun.lower_ == "they":
        # "Analysts said ... They added ...": only a plural speaker just before
        if previous is not None and previous.value and _plural_speaker(previous, ctx):
            s_start, s_end = previous.attrs.get("speaker_span", [pronoun.idx, pronoun.idx])
            head = list(previous.attrs.get("speaker_head", [s_start, s_end]))
            return previous.value, int(s_start), int(s_end), head
        return None
    wants_person = pronoun.lower_ in _PERSONAL_PRONOUNS
    if pronoun.lower_ != "it" and not wants_person:
        return None
    if previous is not None and previous.value:
        kind = _speaker_kind(previous, ctx)
        if (kind != "body") if wants_person else (kind == "body"):
            s_start, s_end = previous.attrs.get("speaker_span", [pronoun.idx, pronoun.idx])
            head = list(previous.attrs.get("speaker_head", [s_start, s_end]))
            return previous.value, int(s_start), int(s_end), head
    if not wants_person:
        return _body_antecedent(sent, pronoun, before, ctx)
    antecedent = _antecedent(sent, pronoun, before, ctx)
    if antecedent is None:
        return None
    return antecedent.text, antecedent.start, antecedent.end, [antecedent.start, antecedent.end]


def _body_antecedent(
    sent: Span, pronoun: Token, before: Sequence[Span], ctx: _Context
) -> tuple[str, int, int, list[int]] | None:
    """For "it": the last subject before the pronoun, in this sentence or the one before, that
    is an organisation or a country ("The central bank raised rates. It said ...")."""
    windows = [(sent.start, pronoun.i)] + [(s.start, s.end) for s in list(before)[-1:]]
    for lo, hi in windows:
        found = None
        for tok in ctx.doc[lo:hi]:
            if tok.dep_ != "nsubj" or tok.pos_ == "PRON" or tok.head.pos_ not in ("VERB", "AUX"):
                continue
            if tok.tag_ in ("NNS", "NNPS"):
                continue  # "Some groups ... It says": "it" is not a plural
            name = ctx.name_at(tok.idx, tok.idx + len(tok))
            if name is not None and name.kind in ("organization", "place"):
                found = (name.text, name.start, name.end, [name.start, name.end])
            elif name is None and tok.lemma_.lower() in _INSTITUTION_NOUNS:
                toks = _speaker_tokens(tok)
                start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
                found = (ctx.text[start:end], start, end, [tok.idx, tok.idx + len(tok)])
        if found is not None:
            return found
    return None


_LOOK_BACK = 3  # sentences searched for the person "he"/"she" stands for


def _antecedent(
    sent: Span, pronoun: Token, before: Sequence[Span], ctx: _Context
) -> Mention | None:
    """For "he"/"she": the last person named as a subject before the pronoun (in this sentence,
    else in the nearest of the few before that names one); failing a subject, the one person
    named there. Two people in one subject ("the minister and his deputy") or several named
    with none as subject leave the pronoun as written. A name in parentheses is an alternative
    spelling, not a second person."""
    doc = sent.doc
    windows = [(sent.start_char, pronoun.idx)] + [
        (s.start_char, s.end_char) for s in reversed(list(before)[-_LOOK_BACK:])
    ]
    for lo, hi in windows:
        names = [
            m
            for m in ctx.names
            if m.kind == "person"
            and lo <= m.start
            and m.end <= hi
            and not ctx.text[: m.start].rstrip().endswith("(")
        ]
        if not names:
            continue
        subjects = []
        for m in names:
            span = tokens_in(doc, m.start, m.end)
            if span is None:
                continue
            if any(t.dep_ == "conj" and t.head.dep_ in ("nsubj", "nsubjpass") for t in span):
                return None  # "Jonas Berg and Lena Holt met ...": either may be "he"
            heads = [t for t in span if t.dep_ in ("nsubj", "nsubjpass")]
            joined = [c for t in heads for c in t.children if c.dep_ == "conj"]
            if any(c.pos_ in ("NOUN", "PROPN") for c in joined):
                return None  # "Jonas Berg and his deputy met ..."
            if heads:
                subjects.append(m)
        if subjects:
            return subjects[-1]
        people = {m.text.split()[-1] for m in names}
        return names[-1] if len(people) == 1 else None
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


def mark_denied_events(events: Sequence[Mention], claims: Sequence[Mention]) -> None:
    """Mark the events whose happening the sentence reports only as denied: the date lies in
    the words of a denial ("X denied that its soldiers fired on Sunday"), or it dates the
    denial and the event's title was taken from what was denied ("X on Tuesday denied that it
    leaked the memo"). Such an event gets ``polarity: denies``, ``denied_by`` (the speaker)
    and a title that says so; nothing else about it changes."""
    denials = [c for c in claims if c.attrs.get("polarity") == DENIES]
    if not denials:
        return
    others = [c for c in claims if c.attrs.get("polarity") != DENIES]
    for event in events:
        date = event.attrs.get("date_fact")
        if not isinstance(date, list) or len(date) != 2:
            continue
        d_start, d_end = int(date[0]), int(date[1])
        within = [c for c in denials if event.start <= c.start and c.end <= event.end]
        hit = next((c for c in within if c.start <= d_start and d_end <= c.end), None)
        if (
            hit is None
            and within
            and event.provenance.rsplit(":", 1)[-1] == "reported"
            and not any(c.start <= d_start and d_end <= c.end for c in others)
        ):
            hit = within[0]
        if hit is None:
            continue
        event.attrs["polarity"] = DENIES
        event.attrs["denied_by"] = hit.value
        title = str(event.attrs.get("title") or "")
        if not title.startswith(DENIED_TITLE_PREFIX):
            event.attrs["title"] = DENIED_TITLE_PREFIX + title
