"""Events: sentences that report something happening at a calendar date.

A date alone is not an event: "in this file photo taken on July 4" dates a photograph, "from
2015 to this past March" bounds a count, "by the end of this month" is a deadline, and "have
not held talks since 2017" says that nothing happened. A date becomes an event when, in the
dependency parse, it attaches to a verb that reports an action (not a state such as *be*,
*remain*, *need*) or to a noun that names a happening (meeting, talks, ruling, ...), the clause
is not negated, and the sentence is not a photo caption. The event covers the whole sentence;
its title is the clause cut down to subject, verb and object (or the event noun with its first
modifier), so that a timeline reads "Tokyo stiffened controls on exports of three chemicals".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from spacy.tokens import Doc, Span, Token

from casedesk.extract.lexicon import words as _lexicon_words
from casedesk.extract.model import Mention
from casedesk.extract.timex import period


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


PROVENANCE = "events:dep-rules"
MAX_TITLE_WORDS = 10

# Verbs that state rather than report a happening. The list is short on purpose: an unknown
# verb is taken as an action, because news verbs overwhelmingly are.
STATIVE_VERBS = _wordset(
    """be seem appear belong consist contain resemble know own need want like love hate cost
    mean matter exist remain lack deserve depend include involve regard consider believe
    think hope wish expect plan intend"""
)
# Verbs whose clause complement carries the content; the title is taken from the complement.
REPORTING_VERBS = _wordset(
    """say tell add state note claim insist argue explain stress emphasize emphasise report
    confirm deny reply respond suggest maintain assert declare acknowledge admit write
    complain warn reveal disclose indicate"""
)
# Nouns that name a happening. Kept to general news vocabulary, plus nominalisation suffixes.
EVENT_NOUNS = _wordset(
    """meeting talk talks discussion session consultation conference negotiation dialogue
    summit visit trip tour announcement decision election vote referendum attack strike raid
    protest rally demonstration agreement deal treaty accord ruling verdict trial hearing
    sentence arrest resignation appointment launch release crash explosion earthquake storm
    flood fire outbreak war ceremony speech interview briefing inauguration ban sanction
    boycott embargo measure move step meet call phone-call statement report revision
    amendment enforcement introduction imposition removal withdrawal exclusion lawsuit
    complaint investigation probe raid shooting killing death birth marriage merger
    acquisition takeover bankruptcy default ipo listing recall reform hike walkout stoppage
    shutdown lockout outage blackout layoff wildfire blaze bid sale transfer fine penalty
    injury collision rescue inquiry audit poll appeal signing"""
)
_NOMINAL_SUFFIXES = ("tion", "sion", "ment", "ance", "ence", "ure", "sal")
# Words that make a sentence a caption of a picture rather than a report.
CAPTION_WORDS = _wordset("photo photograph picture image video footage caption pictured")
# Prepositions that make a date the end of a range or a deadline, not the time of a happening.
BOUND_PREPOSITIONS = _wordset("until till to through by before")
_CLIMB_DEPS = _wordset(
    """pobj npadvmod tmod compound nummod appos amod nmod det poss quantmod advmod
    prep pcomp"""
)
_TITLE_DROP_DEPS = _wordset(
    """relcl acl appos punct cc conj advcl parataxis mark dep discourse intj meta
    preconj predet advmod npadvmod"""
)
# Verbs that state a level ("stood at", "totalled"), unless with a particle ("stood down").
_LEVEL_VERBS = _wordset("stand total amount equal")
# A date counted back from another ("a year earlier", "a week ago").
_ANAPHORIC = re.compile(r"\b(?:earlier|ago|before|prior|previous|previously)\b", re.I)
_TIME_PREPOSITIONS = _wordset("after before during until till since following amid")
_DURATIVE_VERBS = _wordset("last continue run drag extend stretch")
_PERIOD_VERBS = _wordset("end begin start close finish run")
_PERIOD_NOUNS = _wordset("day week month quarter year period season half term")
_PRONOUNS = _wordset("it they he she we i you this that these those")
# Pronouns that stand for the speaker of a reporting verb ("X said it would ..."): a title
# names the speaker instead.
_SPEAKER_PRONOUNS = _wordset("it they he she i")
# Verbs whose object is the subject of their infinitive ("asked the union to return"): the
# title keeps the request with its object, "DB asked union to return to talks".
OBJECT_CONTROL_VERBS = _wordset(
    """ask urge order tell force allow invite persuade require encourage instruct direct
    permit compel call push press pressure advise authorise authorize"""
)
# An adjective standing for a noun the sentence before gave ("The last, in November, ...").
_ELLIPTIC_ADJECTIVES = _wordset("last first latest previous second third next earlier")
# Verbs that date a page rather than a happening when they stand bare before a date.
_STAMP_VERBS = _wordset("publish update post modify revise")
# Separators of menus, bread crumbs and footers: no report has them.
_DEBRIS_MARKS = frozenset(("·", "|", "»", "•", "›"))
# A dateline opening a report: place in capitals, optional region, date and agency, a dash.
_DATELINE = re.compile(
    r"\s*[A-ZÀ-Þ][A-ZÀ-Þ'’.\-]+(?: [A-ZÀ-Þ][A-ZÀ-Þ'’.\-]+){0,3}"
    r"(?:,[^\n]{0,80}?|\s*\([^()\n]{1,40}\))?\s+(?:-|–|—|--)\s+"
)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once: spaCy joins every token again on each access."""
    cached = doc.user_data.get("casedesk_text")
    if cached is None:
        cached = doc.text
        doc.user_data["casedesk_text"] = cached
    return str(cached)


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def sentence_spans(doc: Doc) -> list[Span]:
    """The document's sentences, also split where the text has a blank line (a paragraph or
    a masked block), which the parser sometimes runs across. A single line break is not a
    boundary: plain-text files wrap lines inside sentences. Computed once per ``Doc``."""
    cached = doc.user_data.get("casedesk_sentences")
    if cached is not None:
        return list(cached)
    text = doc_text(doc)
    spans: list[Span] = []
    for sent in doc.sents:
        if not _BLANK_LINE.search(text, sent.start_char, sent.end_char):
            spans.append(sent)
            continue
        start = sent.start
        for tok in sent:
            if tok.is_space and _BLANK_LINE.search(tok.text) and tok.i > start:
                piece = doc[start : tok.i]
                if any(not t.is_space for t in piece):
                    spans.append(piece)
                start = tok.i + 1
        if start < sent.end:
            piece = doc[start : sent.end]
            if any(not t.is_space for t in piece):
                spans.append(piece)
    doc.user_data["casedesk_sentences"] = spans
    return list(spans)


def tokens_in(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering characters ``start``–``end`` (None if they do not align)."""
    return doc.char_span(start, end, alignment_mode="expand")


def _is_event_noun(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if lemma in EVENT_NOUNS or tok.lower_ in EVENT_NOUNS:
        return True
    return tok.pos_ == "NOUN" and len(lemma) > 6 and lemma.endswith(_NOMINAL_SUFFIXES)


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def governor_chain(span: Span) -> list[Token]:
    """The tokens a date climbs through to the verb it modifies (the verb last, if any)."""
    tok = span.root
    chain: list[Token] = []
    seen = 0
    while seen < 12:
        seen += 1
        head = tok.head
        if head.i == tok.i:
            break
        if head.i >= span.start and head.i < span.end:
            tok = head
            continue
        chain.append(head)
        if head.pos_ in ("VERB", "AUX"):
            break
        if tok.dep_ not in _CLIMB_DEPS and head.pos_ not in ("ADP", "NOUN", "PROPN"):
            break
        tok = head
    return chain


def _preposition(span: Span) -> str | None:
    """The preposition that introduces a date ("on", "from", "by"), if any."""
    root = span.root
    if root.dep_ == "pobj" and (root.head.pos_ == "ADP" or root.head.dep_ == "prep"):
        return str(root.head.lower_)  # "since" is often tagged as a conjunction
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and (before.pos_ == "ADP" or before.lower_ == "since"):
        return str(before.lower_)
    return None


def _in_range(sent: Span, date: Span) -> bool:
    """The date is one end of a range ("between March and October", "from 2015 to March")."""
    prep = _preposition(date)
    if prep == "between":
        return True
    if prep == "from":
        return any(
            t.lower_ in ("to", "until", "till", "through") and t.i > date.end - 1 for t in sent
        )
    before = date.doc[date.start - 1] if date.start > sent.start else None
    if before is not None and before.lower_ in ("and", "to"):
        # the second end: "between March and October", "from May to June"
        for t in date.doc[max(sent.start, date.start - 8) : date.start - 1]:
            if t.lower_ in ("between", "from") and (t.lower_ == "between") == (
                before.lower_ == "and"
            ):
                return True
    return False


def dateline_end(sent: Span) -> int:
    """The index of the first token after a dateline that opens ``sent`` ("LA RONGE, Sask.,
    Aug. 2 (Prairie Post) - "), or ``sent.start`` when there is none."""
    text = doc_text(sent.doc)
    m = _DATELINE.match(text, sent.start_char, min(sent.end_char, sent.start_char + 140))
    if m is None:
        return sent.start
    for tok in sent:
        if tok.idx >= m.end():
            return tok.i
    return sent.start


def is_caption(sent: Span) -> bool:
    """A picture caption: photo words in the sentence or in a parenthesis right after it
    ("... on July 12, 2019. (Pool photo)"), or "X are seen at ..."."""
    doc = sent.doc
    tokens = list(sent)
    nxt = sent.end
    while nxt < len(doc) and doc[nxt].is_space:
        nxt += 1
    if nxt < len(doc) and doc[nxt].text == "(" and "\n" not in doc[sent.end - 1 : nxt].text:
        close = nxt
        while close < len(doc) and close - nxt < 8 and doc[close].text != ")":
            close += 1
        tokens.extend(doc[nxt : close + 1])
    if any(t.lemma_.lower() in CAPTION_WORDS and t.dep_ != "compound" for t in tokens):
        return True
    return any(
        t.lemma_ == "see" and t.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in t.children)
        for t in sent
    )


def _phrase_tokens(head: Token, budget: int, exclude: set[int]) -> list[Token]:
    """A compact phrase around ``head``: its subtree without clauses, appositions and the date,
    cut to ``budget`` words by dropping the right-most prepositional attachments first, then
    the modifiers farthest from the head."""
    keep: list[Token] = []

    def walk(tok: Token, depth: int) -> None:
        keep.append(tok)
        for child in tok.children:
            if child.i in exclude or child.is_space:
                continue
            inside_name = bool(child.ent_type_) and child.ent_type_ == tok.ent_type_
            if child.dep_ in _TITLE_DROP_DEPS and not inside_name:
                continue
            if child.dep_ == "appos" and child.i > 0 and child.doc[child.i - 1].text == "(":
                continue  # "Agency (Aneel)": the short form adds nothing to a title
            if child.dep_ == "prep" and depth > 2:
                continue
            walk(child, depth + 1 if child.dep_ in ("prep", "pobj") else depth)

    if head.i not in exclude:
        walk(head, 0)
    kept = {t.i for t in keep}
    for t in list(keep):
        if t.dep_ == "conj" and t.head.i in kept:
            for c in t.head.children:
                if c.dep_ == "cc" and c.i not in kept:
                    kept.add(c.i)
                    keep.append(c)
    keep.sort(key=lambda t: t.i)
    while _count_words(keep) > budget:
        preps = [
            t
            for t in keep
            if t.dep_ == "prep" and t.i > head.i and not (head.ent_type_ and t.ent_type_)
        ]
        if preps:
            cut = max(preps, key=lambda t: t.i)
            drop = {t.i for t in cut.subtree}
        else:
            far = max(keep, key=lambda t: (abs(t.i - head.i), t.i < head.i))
            if far.i == head.i:
                break
            drop = {far.i}
        keep = [t for t in keep if t.i not in drop]
    return keep


def _count_words(tokens: Sequence[Token]) -> int:
    return sum(1 for t in tokens if not t.is_punct and (t.whitespace_ or t.i + 1 >= len(t.doc)))


def _np(tok: Token, budget: int, exclude: set[int]) -> list[Token]:
    words = _phrase_tokens(tok, budget, exclude)
    while words and (
        words[0].pos_ in ("CCONJ", "PUNCT")
        or words[0].pos_ == "ADP"
        and words[0].i < tok.i
        or words[0].dep_ == "det"
        and words[0].lower_ in ("the", "a", "an")
    ):
        words = words[1:]
    return words


def _subject(verb: Token, skip: set[int] | frozenset[int] = frozenset()) -> Token | None:
    """The verb's subject, or the one it shares: a verb in a conjunction or an infinitive
    ("began ... and is due to end", "is expected to rise") takes the subject of the verb it
    hangs on; the infinitive of "asked the union to return" takes that verb's object. Tokens
    in ``skip`` (a dateline) are no subject."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj") and child.i not in skip:
            return child
    gerund = verb
    for _ in range(3):
        # "fined the club for breaching the rules", "were docked points for breaking the
        # rules": the one who did it is the patient of the verb the gerund explains
        if not (gerund.tag_ == "VBG" and gerund.dep_ == "pcomp" and gerund.head.dep_ == "prep"):
            break
        gov = gerund.head.head
        if gov.pos_ in ("NOUN", "PROPN") and gov.dep_ == "dobj":
            gov = gov.head  # "fined the club 2.5 million euros for breaching"
        if gov.pos_ not in ("VERB", "AUX"):
            break
        # "for"/"of" give a reason (the patient did it); "by", "after", ... a means or a
        # time (the agent did it): "DB provoked the walkout by breaking off talks"
        reason = gerund.head.lower_ in ("for", "of")
        for dep in ("nsubjpass", "dative", "dobj", "nsubj") if reason else ("nsubj",):
            found = next(
                (
                    c
                    for c in gov.children
                    if c.dep_ == dep and c.i not in skip and c.i != gerund.head.head.i
                ),
                None,
            )
            if found is not None and not (reason and dep == "nsubj" and gerund.head.head != gov):
                return found  # (not the agent when the reason hangs on the object)
        gerund = gov
    tok = verb
    for _ in range(4):
        head = tok.head
        if tok.dep_ not in ("conj", "xcomp", "advcl", "acomp") or head.i == tok.i:
            break
        if tok.dep_ == "xcomp" and head.lemma_.lower() in OBJECT_CONTROL_VERBS:
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i not in skip:
                return child
        tok = head
    return None


def _subject_after_dateline(verb: Token) -> Token | None:
    """The subject of a lead the parser hung on its dateline ("LA RONGE, Aug. 2 (Post) -
    About 7,000 residents ... were ordered"): the noun phrase between dateline and verb."""
    sent = verb.sent
    floor = dateline_end(sent)
    if floor == sent.start or verb.i <= floor:
        return None
    best = None
    for tok in sent.doc[floor : verb.i]:
        if tok.pos_ in ("NOUN", "PROPN") and not (floor <= tok.head.i < verb.i):
            best = tok
    return best


def _control_head(verb: Token) -> Token | None:
    """The verb of "asked the union to return", "ordered plants to run" for the infinitive."""
    head = verb.head
    if (
        verb.dep_ == "xcomp"
        and head.i != verb.i
        and head.lemma_.lower() in OBJECT_CONTROL_VERBS
        and any(c.dep_ in ("dobj", "auxpass") for c in head.children)
    ):
        return head  # also the passive: "residents were ordered to leave"
    return None


def _antecedent(tok: Token) -> Token | None:
    """The noun a relative pronoun stands for ("inflation, which the bureau put ...")."""
    cur = tok
    for _ in range(4):
        if cur.dep_ in ("relcl", "acl") and cur.head.pos_ in ("NOUN", "PROPN"):
            return cur.head
        if cur.dep_ == "ccomp" and cur.pos_ == "VERB" and _relative_clause(cur):
            # "agreed a deal ... that gives": a relative clause parsed as a complement
            objs = [c for c in cur.head.children if c.dep_ == "dobj" and c.i < tok.i]
            return objs[-1] if objs else None
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return None


def _speaker(verb: Token) -> Token | None:
    """The named speaker of the reporting verb whose content clause holds ``verb``."""
    tok = verb
    for _ in range(4):
        if tok.dep_ == "ccomp" and tok.head.lemma_.lower() in REPORTING_VERBS:
            who = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            if who is not None and who.pos_ in ("NOUN", "PROPN"):
                return who
            return None
        if tok.dep_ not in ("conj", "xcomp") or tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _elided_noun(adj: Token) -> Token | None:
    """The noun an elliptic "the last" stands for: the plural noun the sentence before ends
    its main clause on ("has called a dozen strikes since 2023. The last ...")."""
    doc = adj.doc
    sent_start = adj.sent.start
    if sent_start == 0:
        return None
    prev = doc[sent_start - 1].sent
    nouns = [
        t
        for t in prev
        if t.pos_ == "NOUN" and t.tag_ == "NNS" and t.dep_ in ("dobj", "nsubj", "attr", "pobj")
    ]
    return nouns[-1] if nouns else None


def _phrase_text(tok: Token, budget: int, exclude: set[int]) -> str:
    """A noun phrase as written inside a title (no capital added); a name is never cut."""
    words = _np(tok, budget, exclude)
    name = _name_of(tok)
    kept = {w.i for w in words}
    if (
        name is not None
        and not any(t.i in exclude for t in name)
        and any(t.i not in kept for t in name if t.i > tok.i)
    ):
        words = [t for t in name if not (t.i == name.start and t.lower_ == "the")]
    text = _words(words, max(budget, len(words)), capitalize=False)
    if words and words[0].pos_ != "PROPN" and text[:1].isupper() and not text[1:2].isupper():
        text = text[0].lower() + text[1:]  # "Inflation, which ..." opened its sentence
    return text


def _name_of(tok: Token) -> Span | None:
    """The named entity ``tok`` heads, when it is short enough to be written whole."""
    if not tok.ent_type_ or tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL"):
        return None
    doc = tok.doc
    found = _entity_bounds(doc).get(tok.i)
    if found is None:
        return None
    ent = doc[found[0] : found[1]]
    end = next((t.i for t in ent if t.text == "("), ent.end)  # "Agency (Aneel)"
    return doc[ent.start : end] if end - ent.start <= 8 else None


def _entity_bounds(doc: Doc) -> dict[int, tuple[int, int]]:
    """Token index -> (start, end) of the model's entity it is in; built once per ``Doc``
    (``Doc.ents`` makes every entity's Span again on each access)."""
    cached = doc.user_data.get("casedesk_entity_bounds")
    if not isinstance(cached, dict):
        cached = {i: (e.start, e.end) for e in doc.ents for i in range(e.start, e.end)}
        doc.user_data["casedesk_entity_bounds"] = cached
    return cached


def clause_title(
    verb: Token,
    exclude: set[int],
    budget: int = MAX_TITLE_WORDS,
    replace: dict[int, str] | None = None,
    extra: list[str] | None = None,
) -> str:
    """Subject + verb (+ particle, passive auxiliary, negation) + object or first attachment.
    Pronouns that stand for a speaker, a relative noun or an elided noun are written out
    (``replace``); lemmas of words that are not in the sentence go to ``extra``."""
    replace = {} if replace is None else replace
    control = _control_head(verb)
    if control is not None and control.i not in exclude:
        return clause_title(control, exclude, budget, replace, extra)
    parts: list[Token] = []
    subj = _subject(verb, exclude)
    if subj is not None and (subj.dep_ == "relcl" or subj.i in exclude):
        subj = None
    if subj is None and verb.dep_ not in ("relcl", "acl"):
        subj = _subject_after_dateline(verb)
    relative = subj is not None and subj.tag_ in ("WDT", "WP")
    if relative and subj is not None:
        ante = _antecedent(subj)
        subj = ante if ante is not None and ante.i not in exclude else None
    if subj is None and verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
        subj = verb.head  # "controls initiated by Tokyo": the modified noun is the subject
    if subj is not None and subj.lower_ in _SPEAKER_PRONOUNS:
        who = _speaker(verb)
        name = "" if who is None or who.i in exclude else _phrase_text(who, 4, exclude | {verb.i})
        if not name:
            who = _previous_subject(subj)
            name = "" if who is None else _phrase_text(who, 4, set())
            if name and who is not None and extra is not None:
                extra.append(who.lemma_.lower())
        if name:
            replace[subj.i] = name
            parts.append(subj)
            subj = None
    if (
        subj is not None
        and subj.lemma_.lower() in _ELLIPTIC_ADJECTIVES
        and subj.pos_ == "ADJ"
        and not any(c.pos_ in ("NOUN", "PROPN") for c in subj.children)
    ):
        noun = _elided_noun(subj)
        if noun is not None:
            replace[subj.i] = f"{subj.text} {noun.lemma_.lower()}"
            if extra is not None:
                extra.append(noun.lemma_.lower())
    if subj is not None:
        # a subject the verb hangs under ("accused the driver of causing ...") is written
        # without the branch that leads to the verb
        below = next((c for c in subj.children if verb in c.subtree), None)
        hidden = {t.i for t in below.subtree} if below is not None else set()
        words = _np(subj, 6, exclude | hidden | {verb.i})
        owner = words[0] if words and words[0].tag_ == "PRP$" else None
        if owner is not None and owner.lower_ in _POSSESSIVES:
            # "its members could cut demand" -> "Abrace's members ..."
            who = _speaker(verb) or _previous_subject(owner)
            if who is not None and who.i not in exclude:
                name = _phrase_text(who, 4, exclude | {verb.i})
                if name:
                    replace[owner.i] = name + ("'" if name.endswith("s") else "'s")
                    if extra is not None and who.sent != verb.sent:
                        extra.append(who.lemma_.lower())
        parts.extend(words)
    group = [verb]
    own_subject = subj is not None and subj.head.i == verb.i
    for child in verb.children:
        if child.dep_ == "auxpass" and child.lower_ == "been":
            continue  # "people have been affected" reads "People affected" in a headline
        if child.dep_ in ("auxpass", "neg", "prt") or (
            child.dep_ == "aux" and child.lemma_ in ("will", "would", "could", "may", "might")
        ):
            group.append(child)
        elif child.dep_ == "aux" and child.lower_ == "to" and not own_subject:
            group.append(child)  # "Araújo to travel to England": the headline's future
    parts.extend(sorted(group, key=lambda t: t.i))
    objects = [
        c
        for c in verb.children
        if c.dep_ in ("dobj", "attr", "dative", "oprd", "acomp", "xcomp", "ccomp", "agent")
        and c.i not in exclude
        and (c.i > verb.i or c.dep_ not in ("xcomp", "ccomp"))
        and (subj is None or c.i != subj.i)
        and not (c.dep_ == "ccomp" and _relative_clause(c))
    ]
    if not objects:
        # "lasted 24 hours", "rose 9.6%": an amount hangs on the verb without a preposition
        objects = [
            c
            for c in verb.children
            if c.dep_ == "npadvmod"
            and c.i > verb.i
            and c.i not in exclude
            and c.pos_ == "NOUN"
            and any(g.like_num for g in c.children)
        ][:1]
    if not objects:
        objects = [
            c
            for c in verb.children
            if c.dep_ == "prep"
            and c.i > verb.i
            and c.i not in exclude
            and not _temporal(c)  # "after the end of the season" says when, not what
        ][:1]
    objects = sorted(objects, key=lambda t: t.i)[:2]
    if (
        len(objects) == 2
        and objects[1].dep_ not in ("xcomp", "ccomp", "oprd", "acomp")
        and objects[0].dep_ != "dative"
    ):
        objects = objects[:1]
    for obj in objects:
        room = budget - _count_words(parts)
        if room <= 0:
            break
        if obj.dep_ in ("xcomp", "ccomp"):
            words = _clause_words(obj, room, exclude)
        elif obj.tag_ in ("WDT", "WP") and _antecedent(obj) is not None:
            # "inflation, which the bureau put at": the noun goes after the verb
            target = _antecedent(obj)
            assert target is not None
            written = _phrase_text(target, min(room, 4), exclude | {verb.i})
            replace[verb.i] = f"{replace.get(verb.i, verb.text)} {written}"
            words = []
        else:
            words = _np(obj, room, exclude)
        parts.extend(words)
    for t in parts:
        if t.tag_ == "WP$" and t.i not in replace:  # "whose term ends" -> "Reiß's term ends"
            ante = _antecedent(t)
            if ante is not None and ante.i not in exclude:
                replace[t.i] = _phrase_text(ante, 3, exclude | {verb.i}) + "'s"
    return _words(parts, budget, replace=replace)


def _temporal(prep: Token) -> bool:
    """A prepositional phrase that says when ("after the end of the season"); "before" a
    name is a place ("testify before the Senate committee")."""
    word = prep.lower_
    if word not in _TIME_PREPOSITIONS:
        return False
    if word == "before":
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        return obj is None or (obj.pos_ != "PROPN" and not obj.ent_type_)
    return True


def _relative_clause(verb: Token) -> bool:
    """A clause parsed as a complement that is a relative clause ("a deal ... that gives")."""
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ == "WDT" for c in verb.children)


def _clause_words(verb: Token, budget: int, exclude: set[int]) -> list[Token]:
    words: list[Token] = []
    subj = _subject(verb)
    if subj is not None and subj.head.i == verb.i:
        words.extend(_np(subj, 3, exclude))
    words.extend(
        c
        for c in verb.children
        if c.dep_ == "auxpass"
        or c.dep_ == "aux"
        and c.lower_ in ("to", "will", "would", "could", "may", "might")
    )
    words.append(verb)
    words.extend(c for c in verb.children if c.dep_ in ("prt", "neg"))
    words.sort(key=lambda t: t.i)
    left = budget - len(words)
    for c in verb.children:
        if c.dep_ in ("dobj", "attr", "xcomp") and left > 0:
            more = _clause_words(c, left, exclude) if c.dep_ == "xcomp" else _np(c, left, exclude)
            words.extend(more)
            break
    return words


def noun_title(noun: Token, exclude: set[int], budget: int = MAX_TITLE_WORDS) -> str:
    return _words(_np(noun, budget, exclude), budget)


# Which antecedents a pronoun may stand for: tags of a singular or plural noun, and whether
# it names a person.
_PRONOUN_AGREEMENT = {
    "it": (("NN", "NNP"), False),
    "he": (("NNP",), True),
    "she": (("NNP",), True),
    "they": (("NNS", "NNPS"), False),
}


_POSSESSIVES = {"its": "it", "his": "he", "her": "she", "their": "they"}


def _previous_subject(pronoun: Token) -> Token | None:
    """The subject of the sentence before, when a sentence opens on a pronoun that agrees
    with it ("The currency closed at 1,712 ... It recovered slightly on Friday")."""
    agreement = _PRONOUN_AGREEMENT.get(_POSSESSIVES.get(pronoun.lower_, pronoun.lower_))
    sent = pronoun.sent
    clause = pronoun.head.head if pronoun.tag_ == "PRP$" else pronoun.head
    if agreement is None or sent.start == 0 or clause.dep_ != "ROOT":
        return None
    if any(t.dep_ in ("nsubj", "nsubjpass") for t in sent[: pronoun.i - sent.start]):
        return None  # not the sentence's first subject
    previous = pronoun.doc[sent.start - 1].sent
    if "\n\n" in pronoun.doc[previous.end - 1 : sent.start + 1].text:
        return None  # a paragraph apart
    subject = next((t for t in previous.root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    tags, person = agreement
    if subject is None or subject.tag_ not in tags or subject.lower_ in _PRONOUNS:
        return None
    people = pronoun.doc.user_data.get("casedesk_event_people")
    if people is not None:
        named = subject.i in people
    else:
        named = subject.ent_type_ == "PERSON" or (
            subject.pos_ == "PROPN" and subject.ent_type_ in ("", "PERSON")
        )
    if person != named:
        return None
    return subject


def _word_group(doc: Doc, i: int) -> range:
    """The token indices of the written word around token ``i`` ("Moon Jae-in", "face-to-face"
    are single words to a reader even though the tokenizer splits them)."""
    start = i
    while start > 0 and not doc[start - 1].whitespace_ and _joinable(doc[start - 1]):
        start -= 1
    end = i
    while end + 1 < len(doc) and not doc[end].whitespace_ and _joinable(doc[end + 1]):
        end += 1
    return range(start, end + 1)


def _joinable(tok: Token) -> bool:
    return not tok.is_space and tok.text not in (",", ".", ";", ":", "(", ")", '"', "“", "”")


def _words(
    tokens: Iterable[Token],
    budget: int,
    replace: dict[int, str] | None = None,
    capitalize: bool = True,
) -> str:
    toks = list(tokens)
    if not toks:
        return ""
    doc = toks[0].doc
    replace = replace or {}
    keep: set[int] = set()
    for t in toks:
        if t.text in ("-", "–") and t.whitespace_:
            continue
        if t.i in replace:
            keep.add(t.i)
            continue
        keep.update(_word_group(doc, t.i) if not t.is_punct or t.text in ("-", "'s") else [t.i])
    order = sorted(keep)
    out: list[str] = []
    current = ""
    for n, i in enumerate(order):
        t = doc[i]
        if t.is_space or t.text in ('"', "“", "”", "(", ")", "[", "]", "--", "—"):
            continue
        text = replace.get(i, t.text)
        joined = n > 0 and order[n - 1] == i - 1 and not doc[i - 1].whitespace_
        if i in replace and text.endswith("'s") and i + 1 < len(doc) and doc[i + 1].text == "'s":
            text = text[:-2]
        if joined or (t.is_punct and t.text in (",", ";", ":")) or t.text in ("'s", "’s"):
            current += text
        else:
            if current:
                out.append(current)
            current = text
    if current:
        out.append(current)
    out = [w for w in out if w not in (",", ".", "-")]
    count = 0
    for n, w in enumerate(out):  # a written-out name counts all its words
        count += len(w.split())
        if count > budget:
            out = out[: max(n, 1)]
            break
    while out and out[-1].rstrip(",").lower() in _TRAILING:
        out.pop()
    title = " ".join(out).strip(" ,;:")
    if capitalize and title and title[0].islower():
        title = title[0].upper() + title[1:]
    return re.sub(r"\s+", " ", title)


_TRAILING = _wordset(
    "of the a an and or to on in for with by at from as their its his her our my this that"
)


def find_events(
    doc: Doc,
    dates: Sequence[Mention],
    entities: Sequence[Mention] = (),
) -> list[Mention]:
    """Event mentions for ``doc`` given its resolved date mentions (and entity mentions, whose
    names the event lists as its participants)."""
    sentences = sentence_spans(doc)
    starts = [s.start_char for s in sentences]
    if entities:
        people: set[int] = set()
        for m in entities:
            if m.kind == "person":
                span = tokens_in(doc, m.start, m.end)
                if span is not None:
                    people.update(range(span.start, span.end))
        doc.user_data["casedesk_event_people"] = people
    events: list[Mention] = []
    seen: set[tuple[int, str]] = set()
    for date in dates:
        if date.kind != "date" or period(date.value, date.modifier) is None:
            continue
        sent = _sentence_at(sentences, starts, date.start)
        if sent is None:
            continue
        span = tokens_in(doc, date.start, date.end)
        if span is None or len(span) == 0:
            continue
        found = _event_for(sent, span, str(date.value))
        if found is None:
            continue
        title, rule, extra = found
        key = (sent.start_char, str(date.value))
        if key in seen or not title:
            continue
        seen.add(key)
        end = sent.end_char
        while end > sent.start_char and doc_text(doc)[end - 1].isspace():
            end -= 1
        names = _entities_within(entities, sent.start_char, end)
        events.append(
            Mention(
                kind="event",
                start=sent.start_char,
                end=end,
                text=doc_text(doc)[sent.start_char : end],
                value=date.value,
                modifier=date.modifier,
                provenance=f"{PROVENANCE}:{rule}",
                attrs={
                    "title": title,
                    "date_fact": [date.start, date.end],
                    "date_text": date.text,
                    "entities": names,
                    "keywords": content_lemmas(sent),
                    "title_keywords": title_lemmas(sent, title, extra),
                },
            )
        )
    return events


def _sentence_at(sentences: Sequence[Span], starts: Sequence[int], char: int) -> Span | None:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= char:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return None
    sent = sentences[lo - 1]
    return sent if char < sent.end_char else None


def _entities_within(entities: Sequence[Mention], start: int, end: int) -> list[str]:
    names: list[str] = []
    for m in entities:
        if m.kind in ("person", "organization", "place", "material") and start <= m.start < end:
            name = m.value or m.text
            if name not in names:
                names.append(name)
    return names


def _event_for(sent: Span, date: Span, value: str = "") -> tuple[str, str, list[str]] | None:
    """(title, rule, lemmas the title adds to the sentence's) when the date in ``sent`` dates
    a happening, else None."""
    if is_caption(sent) or _is_dateline(sent, date) or _is_debris(sent) or _is_stamp(sent, date):
        return None
    floor = dateline_end(sent)
    if date.start < floor:
        return None  # "BERLIN, March 9 (Agency) - ...": the date of the report, not the happening
    prep = _preposition(date)
    if prep in BOUND_PREPOSITIONS and not (
        prep in ("until", "till") and date.root.head.head.lemma_.lower() in _DURATIVE_VERBS
    ):
        return None  # "lasted until early Wednesday" dates the end of what happened; others bound
    if _in_range(sent, date):
        return None
    if prep == "since":
        return None
    if prep == "than" or (prep in ("from", "on") and _ANAPHORIC.search(date.text)):
        return None  # "up 3.2% from a year earlier", "weaker than a week earlier": a baseline
    extra: list[str] = []
    if prep in ("until", "till"):
        extra.append("end")  # "will run until 2 a.m. on Friday" reports the end
    extra.extend(_date_clause_lemmas(date))
    exclude = set(range(date.start, date.end)) | set(range(sent.start, floor))
    if date.root.head.pos_ == "ADP" and date.root.head.i not in exclude:
        exclude.add(date.root.head.i)
    root = date.root
    if (
        root.dep_ in ("compound", "poss", "nmod", "amod", "nummod")
        and root.head.pos_ in ("NOUN", "PROPN")
        and not _is_event_noun(root.head)
    ):
        # "the 1989 profit", "last year's budget", "the 2019 season": the date qualifies a
        # thing or names a period
        return None
    chain = governor_chain(date)
    verb = chain[-1] if chain and chain[-1].pos_ in ("VERB", "AUX") else None
    if verb is not None:
        host = _participle_host(verb)
        if host is not verb:
            # "Speaking to reporters on Tuesday, the governor announced ...": the phrase
            # dates the occasion of its clause, whose verb says what happened
            exclude.update(range(verb.left_edge.i, verb.right_edge.i + 1))
            chain = [*chain, host]
            verb = host
    if verb is not None and verb.lemma_.lower() in _PERIOD_VERBS:
        if verb.dep_ in ("acl", "relcl") and verb.head.lemma_.lower() in _PERIOD_NOUNS:
            return None  # "the six months ended Oct. 1" bounds an accounting period
        subject = _subject(verb)
        if subject is not None and subject.lemma_.lower() in _PERIOD_NOUNS:
            return None  # "The fiscal year begins in April": a period's bounds, no happening
    if verb is not None and _figure_of_period(date, verb, value):
        return None  # "Net income in fiscal 2023 rose 4%": a figure for the period
    # "ended without agreement": a happening under "without" did not happen
    holder = chain[1] if len(chain) > 1 and chain[0].pos_ == "ADP" else chain[0] if chain else None
    counted = holder is not None and (
        holder.dep_ == "appos"
        and not _is_event_noun(holder)
        or date.root.dep_ == "npadvmod"
        and any(c.ent_type_ == "ORDINAL" for c in holder.children)
    )
    if counted:
        # "The strike, the third this year, will start ...", "..., the second recall this
        # year": a count, not a date
        return None
    nouns = [
        t
        for t in chain
        if t.pos_ in ("NOUN", "PROPN") and not (t.dep_ == "pobj" and t.head.lower_ == "without")
    ]
    event_noun = next((n for n in nouns if _is_event_noun(n)), None)
    if verb is not None and _negated(verb):
        return None
    direct = (
        nouns[0]
        if nouns
        and chain[0].i == nouns[0].i
        or (len(chain) > 1 and chain[0].pos_ == "ADP" and nouns and chain[1].i == nouns[0].i)
        else None
    )
    if direct is not None and _is_event_noun(direct):
        if verb is not None and _occasion_of(direct, verb, date):
            # "completed the signing on Friday", "approved the merger at a meeting on
            # Tuesday": the clause says what happened
            clause = clause_title(verb, exclude, extra=extra)
            if len(clause.split()) > 2:
                if direct.lemma_.lower() not in clause.lower():
                    extra.append(direct.lemma_.lower())  # the occasion is reported too
                return clause, "verb", extra
        return _noun_event(direct, verb, exclude, extra)
    if event_noun is not None and (verb is None or _attached_below_object(event_noun, verb)):
        return _noun_event(event_noun, verb, exclude, extra)
    if verb is None:
        return None
    after = _after_noun(chain, verb)
    if after is not None:
        return noun_title(after, exclude), "event-noun", extra  # "since the reform in 2023"
    if verb.lemma_.lower() in _STAMP_VERBS and (
        verb.dep_ == "acl"
        or verb.tag_ == "VBN"
        and not any(c.dep_ in ("nsubj", "nsubjpass", "auxpass", "aux") for c in verb.children)
    ):
        # "according to a letter published on Tuesday" dates the source; "Posted on July 18
        # by staff" dates the page
        return None
    purpose = _purpose_noun(chain, verb)
    if purpose is not None:
        return noun_title(purpose, exclude), "event-noun", extra
    lemma = verb.lemma_.lower()
    if lemma in REPORTING_VERBS:
        title, rule = _reported(sent, verb, exclude, extra)
        return title, rule, extra
    if (
        lemma in _LEVEL_VERBS
        and not any(c.dep_ == "prt" for c in verb.children)
        and event_noun is None
    ):
        return None  # "reserves stood at $34.6 billion at the end of January": a level
    if lemma in STATIVE_VERBS and event_noun is None and not _is_planned(verb):
        return None
    if lemma in STATIVE_VERBS and event_noun is not None:
        return _noun_event(event_noun, None, exclude, extra)
    if verb.dep_ in ("relcl", "acl") and _is_event_noun(verb.head):
        # "The meeting, which lasted ... from 2 p.m.", "The deal, announced on March 4":
        # the clause dates the happening its noun names ("Session slated" says no more
        # than "Session").
        clause = clause_title(verb, exclude, extra=extra)
        if len(clause.split()) <= 2:
            # "In a statement issued on Wednesday, the party said ...": what was said
            return _noun_event(verb.head, None, exclude | {verb.i}, extra)
        return clause, "event-noun", extra
    return clause_title(verb, exclude, extra=extra), "verb", extra


# A reporting period: a quarter or half ("2023-Q3", "2023-H1"), or a fiscal year by its words.
_REPORTING_PERIOD = re.compile(r"\d{4}-(?:Q[1-4]|H[12])")
_FISCAL_WORDS = re.compile(r"(?i)\b(?:fiscal|FY)")


def _figure_of_period(date: Span, verb: Token, value: str) -> bool:
    """Whether a clause dated by a reporting period (a fiscal year, a quarter, a half) states
    a figure for it ("Net income in fiscal 2023 rose 4%", "in the first quarter the group
    sold 300 trucks") rather than a happening ("in the first quarter it sold its bank")."""
    if not (_REPORTING_PERIOD.fullmatch(value) or _FISCAL_WORDS.search(date.text)):
        return False
    if verb.lemma_.lower() in AMOUNT_VERBS:
        return True
    objects = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
    return any(
        t.like_num or t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")
        for o in objects
        for t in o.subtree
    )


def _participle_host(verb: Token) -> Token:
    """The verb of the clause a participle phrase without a subject of its own belongs to:
    "Speaking on Tuesday, the governor announced ..." and "The minister, speaking on
    Monday, said ..." (an active participle of the subject), "Asked on Monday about the
    deal, the chief executive declined ..." (a fronted one); else ``verb`` itself. A passive
    participle after its noun ("The deal, announced on March 4, ...") dates its own act."""
    if verb.tag_ not in ("VBG", "VBN") or any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark") for c in verb.children
    ):
        return verb
    head = verb.head
    if verb.dep_ == "advcl" and head.pos_ in ("VERB", "AUX") and head.i > verb.i:
        return head
    if (
        verb.dep_ == "acl"
        and verb.tag_ == "VBG"
        and head.dep_ in ("nsubj", "nsubjpass")
        and head.head.pos_ in ("VERB", "AUX")
    ):
        return head.head
    return verb


def _noun_event(
    noun: Token, verb: Token | None, exclude: set[int], extra: list[str]
) -> tuple[str, str, list[str]]:
    """The title of a happening named by a noun; a bare noun ("Deal", "Statement") gives way
    to the clause it stands in when that clause says what happened."""
    title = noun_title(noun, exclude)
    if len(title.split()) > 1:
        return title, "event-noun", extra
    head = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj") and head.pos_ == "VERB":
        lemma = head.lemma_.lower()
        if lemma not in STATIVE_VERBS and lemma not in REPORTING_VERBS:
            clause = clause_title(head, exclude, extra=extra)  # "Inspection found problems"
            if len(clause.split()) > 2:
                return clause, "event-noun", extra
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB":
        outer = head.head
        if outer.lemma_.lower() in REPORTING_VERBS:  # "said in a statement on Tuesday that"
            clause, rule = _reported(noun.sent, outer, exclude, extra)
            if len(clause.split()) > 2:
                return clause, "event-noun", extra
        elif (
            head.lower_ in _OCCASION_PREPOSITIONS
            and outer.lemma_.lower() not in STATIVE_VERBS
            and outer.dep_ not in ("xcomp", "acl", "relcl", "advcl")
            # a past or a modal clause reports what happened; a present one ("hopes to
            # listen") a state
            and (
                outer.tag_ == "VBD"
                or any(
                    c.dep_ in ("aux", "auxpass") and c.tag_ in ("MD", "VBD") for c in outer.children
                )
            )
            and head.i < outer.i
            and not _negated(outer)
        ):
            # "In a statement on Friday, the union called off the strike": the occasion
            # alone says less than the clause it introduces
            clause = clause_title(
                outer, exclude | set(range(head.i, noun.right_edge.i + 1)), extra=extra
            )
            if len(clause.split()) > 2:
                extra.append(noun.lemma_.lower())
                return clause, "event-noun", extra
    if verb is not None and verb.dep_ in ("acl", "relcl") and verb.head.i == noun.i:
        clause = clause_title(verb, exclude, extra=extra)
        if len(clause.split()) > 2:
            return clause, "event-noun", extra
    return title, "event-noun", extra


# Verbs of change in an amount ("rose", "fell", "totalled"): data/amount_verbs.txt.
AMOUNT_VERBS = _lexicon_words("amount_verbs")
# Prepositions that put a clause in an occasion ("in a statement", "at a meeting", "during a
# visit"), not before or after it.
_OCCASION_PREPOSITIONS = _wordset("in at during amid")
# Verbs that only carry their object noun ("had a press conference", "held talks").
_LIGHT_VERBS = _wordset("have hold make take give do get attend host")


def _occasion_of(noun: Token, verb: Token, date: Span) -> bool:
    """Whether a dated event noun is only the object or the occasion of a verb that says
    more: the date hangs on the noun by a preposition (a parse that could as well hang it on
    the verb), not inside it ("a 2012 agreement")."""
    lemma = verb.lemma_.lower()
    if lemma in STATIVE_VERBS or lemma in REPORTING_VERBS or lemma in _LIGHT_VERBS:
        return False
    if date.root.dep_ not in ("pobj", "npadvmod") or _negated(verb):
        return False
    if noun.dep_ == "dobj" and noun.head.i == verb.i:
        return True
    return (
        noun.dep_ == "pobj" and noun.head.lower_ in ("at", "during") and noun.head.head.i == verb.i
    )


def _after_noun(chain: Sequence[Token], verb: Token) -> Token | None:
    """The noun of "since/after/before <noun> in <date>" on the date's way to the verb: the
    date dates that earlier happening, not the verb's."""
    for n, tok in enumerate(chain[:-1]):
        if (
            tok.pos_ in ("ADP", "SCONJ")
            and tok.lower_ in ("since", "after", "before", "following")
            and n > 0
            and chain[n - 1].pos_ == "NOUN"
            and chain[n - 1].dep_ == "pobj"
        ):
            return chain[n - 1]
    return None


def _date_clause_lemmas(date: Span) -> list[str]:
    """Content lemmas of a happening the date itself introduces ("on July 1, when the move is
    completed"; "on Thursday, the day a new trading window opened"): another outlet may
    report the same date by that happening, so its words count towards the title's."""
    doc = date.doc
    holders = [date.root]
    nxt = date.end
    if nxt + 1 < len(doc) and doc[nxt].text == "," and doc[nxt + 1].lower_ == "the":
        day = doc[min(nxt + 2, len(doc) - 1)]
        if day.lemma_.lower() in ("day", "date", "night", "morning", "evening", "week"):
            holders.append(day)
    out: list[str] = []
    for holder in holders:
        for clause in holder.children:
            if clause.dep_ != "relcl" or clause.pos_ not in ("VERB", "AUX"):
                continue
            words = [clause]
            for child in clause.children:
                if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr"):
                    words.extend(t for t in child.subtree if t.dep_ not in ("relcl", "acl"))
            for t in words:
                if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop:
                    lemma = t.lemma_.lower()
                    if lemma not in out:
                        out.append(lemma)
    return out


def _purpose_noun(chain: Sequence[Token], verb: Token) -> Token | None:
    """The noun of "for <noun> <date>" right under the verb ("named him for two friendlies
    later this month"): the date dates what the verb is for, not the verb."""
    if len(chain) < 3 or chain[0].pos_ not in ("NOUN", "PROPN"):
        return None
    if chain[0].lemma_.lower() in _PERIOD_NOUNS or chain[0].lemma_.lower() == "time":
        return None  # "for the second time this summer" counts, it names nothing
    if chain[1].lower_ == "for" and chain[1].dep_ == "prep" and chain[2].i == verb.i:
        return chain[0]
    return None


def _reported(sent: Span, verb: Token, exclude: set[int], extra: list[str]) -> tuple[str, str]:
    """Title of a dated reporting verb: what was reported, with the speaker for a pronoun."""
    content = next(
        (
            c
            for c in verb.children
            if c.dep_ in ("ccomp", "xcomp")
            and not any(t.text == ";" for t in sent.doc[c.i : verb.i])  # "met; were told"
        ),
        None,
    )
    if (
        content is None
        and verb.dep_ in ("ccomp", "parataxis")
        and verb.head.pos_ in ("VERB", "AUX")
        and verb.head.i < verb.i
    ):
        content = verb.head  # "..., X said Friday" parsed inside out: the root carries it
    if content is not None and content.pos_ in ("VERB", "AUX"):
        replace: dict[int, str] = {}
        title = clause_title(content, exclude, replace=replace, extra=extra)
        subj = _subject(content)
        if subj is not None and subj.lower_ in _PRONOUNS and subj.i not in replace:
            speaker = _subject(verb)
            who = ""
            if speaker is not None:
                name = _name_of(speaker)  # a person is named by name, not by title
                words = list(name) if name is not None and speaker.ent_type_ == "PERSON" else []
                who = _words(words or _np(speaker, 4, exclude), 4)
            if who:
                title = who + ": " + title
        return title, "reported"
    title = clause_title(verb, exclude, extra=extra)
    root = sent.root
    if len(title.split()) <= 2 and root.i != verb.i and root.pos_ in ("VERB", "AUX"):
        title = clause_title(root, exclude, extra=extra)  # "X said" alone names nothing
    return title, "reporting"


_LINK_LINE = re.compile(
    r"\s*(?:read more|related|see also|also read|more on this|recommended|watch|listen"
    r"|follow us|sign up|subscribe)\b\s*[:|»›-]",
    re.I,
)


def _is_debris(sent: Span) -> bool:
    """A menu, bread crumb, footer or related-link line ("Markets | Africa", "news since
    1998 ·", "Read more: Court halts deployment (Jan 9, 2024)")."""
    if any(t.text in _DEBRIS_MARKS for t in sent):
        return True
    return _LINK_LINE.match(doc_text(sent.doc), sent.start_char, sent.end_char) is not None


def _is_stamp(sent: Span, date: Span) -> bool:
    """A page stamp: "Published Friday, February 27, 2026" or a full date closing a headline
    line, with no preposition before it and nothing after it on the line."""
    text = doc_text(sent.doc)
    line_end = text.find("\n", date.end_char)
    rest = text[date.end_char : line_end if line_end >= 0 else sent.end_char]
    if rest.strip():
        return False
    if _preposition(date) is not None:
        return False
    before = date.doc[date.start - 1] if date.start > sent.start else None
    if before is not None and before.lemma_.lower() in _STAMP_VERBS:
        return True
    return re.search(r"\b\d{4}\b", date.text) is not None


def _is_dateline(sent: Span, date: Span) -> bool:
    """A stamp such as "18:38, May 12" closing a headline line: it dates the article."""
    if not any(ch.isdigit() and ":" in date.text for ch in date.text):
        return False
    line_end = doc_text(sent.doc).find("\n", date.end_char)
    rest = doc_text(sent.doc)[date.end_char : line_end if line_end >= 0 else None]
    return not rest.strip(" .")


def _attached_below_object(noun: Token, verb: Token) -> bool:
    """True when the event noun is not the verb's own subject or object, i.e. the date dates
    the noun ("the first since a meeting in Tokyo in mid-December")."""
    tok = noun
    while tok.head.i != tok.i and tok.head.i != verb.i:
        tok = tok.head
    return tok.dep_ not in ("nsubj", "nsubjpass", "dobj")


def _is_planned(verb: Token) -> bool:
    """ "X is expected to meet", "plans to visit": the xcomp carries the happening."""
    return any(c.dep_ == "xcomp" and c.lemma_.lower() not in STATIVE_VERBS for c in verb.children)


_STOP_POS = frozenset(("DET", "ADP", "PUNCT", "SPACE", "CCONJ", "SCONJ", "PART", "PRON", "AUX"))


def content_lemmas(sent: Span) -> list[str]:
    """The sentence's content words (lower-case lemmas), for comparing reports across sources."""
    out: list[str] = []
    for t in sent:
        if t.pos_ in _STOP_POS or t.is_stop or t.like_num and t.pos_ != "NUM":
            continue
        lemma = t.lemma_.lower()
        if (len(lemma) < 2 or not any(ch.isalpha() for ch in lemma)) and t.pos_ != "NUM":
            continue
        if lemma not in out:
            out.append(lemma)
    return out


def title_lemmas(sent: Span, title: str, extra: Sequence[str] = ()) -> list[str]:
    """Lemmas of the title's content words (the title is made of the sentence's words, and of
    ``extra`` ones it borrowed, such as the noun an elliptic "the last" stands for)."""
    words = {w.strip(",.;:'\"").lower() for w in title.split()}
    out: list[str] = list(dict.fromkeys(extra))
    for t in sent:
        if t.lower_ in words and not t.is_stop and not t.is_punct:
            lemma = t.lemma_.lower()
            if lemma not in out:
                out.append(lemma)
    return out


def iter_sentence_tokens(doc: Doc) -> Iterator[Span]:
    yield from sentence_spans(doc)
