"""Claims: polarity. Words reported under a verb or noun of denial or refusal are the speaker's
denial, never the speaker's assertion; dated happenings reported only as denied are marked.
Sentences written for these tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from casedesk.extract import claims as claims_module
from casedesk.extract.claims import find_claims, load_lexicon, mark_denied_events
from casedesk.extract.dates import tag_dates
from casedesk.extract.entities import find_entities
from casedesk.extract.events import find_events
from casedesk.extract.model import Mention
from casedesk.extract.pipeline import make_doc

PUBLISHED = "2024-03-08"


def claims(nlp: Language, text: str) -> list[Mention]:
    doc = nlp(make_doc(nlp, text))
    dates = tag_dates(text, dt.date.fromisoformat(PUBLISHED))
    return find_claims(doc, find_entities(doc), dates, PUBLISHED)


def said(nlp: Language, text: str) -> list[tuple[str | None, str, str]]:
    return [(c.value, c.text, c.attrs["polarity"]) for c in claims(nlp, text)]


@pytest.mark.parametrize(
    ("text", "speaker", "words", "cue"),
    [
        (
            "Harlow Mining denied that its regulators failed to investigate the spill.",
            "Harlow Mining",
            "its regulators failed to investigate the spill",
            "denied",
        ),
        (
            "The minister rejected claims that the budget had been cut in secret.",
            "The minister",
            "the budget had been cut in secret",
            "rejected",
        ),
        (
            "Officials dismissed reports that the plant would close next year.",
            "Officials",
            "the plant would close next year",
            "dismissed",
        ),
        (
            "The club refuted allegations that its players had taken bribes.",
            "The club",
            "its players had taken bribes",
            "refuted",
        ),
        (
            "The council contested the finding that the school roof was unsafe.",
            "The council",
            "the school roof was unsafe",
            "contested",
        ),
        (
            "Mayor Ines Varga did not say that the bridge was unsafe.",
            "Mayor Ines Varga",
            "the bridge was unsafe",
            "did not say",
        ),
        (
            "The agency has never said that the vaccine was dangerous.",
            "The agency",
            "the vaccine was dangerous",
            "has never said",
        ),
        (
            "The regulator would not confirm that the fine had been paid.",
            "The regulator",
            "the fine had been paid",
            "would not confirm",
        ),
        (
            "The spokesman refused to confirm that the talks had collapsed.",
            "The spokesman",
            "the talks had collapsed",
            "refused to confirm",
        ),
        (
            "Inspectors found no evidence that the dam had been weakened.",
            "Inspectors",
            "the dam had been weakened",
            "found no evidence",
        ),
        (
            "Officials saw no sign that the virus was spreading.",
            "Officials",
            "the virus was spreading",
            "saw no sign",
        ),
    ],
)
def test_denial_forms_carry_polarity_denies(
    nlp: Language, text: str, speaker: str, words: str, cue: str
) -> None:
    (claim,) = claims(nlp, text)
    assert (claim.value, claim.text, claim.attrs["polarity"]) == (speaker, words, "denies")
    assert claim.attrs["cue"] == cue


def test_a_dated_denial_is_a_denial_and_keeps_its_date(nlp: Language) -> None:
    (claim,) = claims(nlp, "The ministry on Tuesday denied that it had leaked the memo.")
    assert claim.attrs["polarity"] == "denies"
    assert claim.text == "it had leaked the memo"
    assert claim.attrs["date"] == "2024-03-05"


def test_a_noun_of_denial_with_its_owner_denies(nlp: Language) -> None:
    found = claims(nlp, "Lawmakers read the ministry's denial that it had ordered the raid.")
    assert [(c.value, c.attrs["polarity"]) for c in found] == [("the ministry", "denies")]
    assert found[0].text.startswith("it had ordered the raid")


@pytest.mark.parametrize(
    "text",
    [
        "The firm confirmed that it had cut fifty jobs.",
        "Dana Price said the factory would reopen in May.",
        "The mayor said she did not believe the bridge was unsafe.",
        "Witnesses said the police did not warn the crowd before firing.",
        "Police said there was no evidence that the fire had been set deliberately.",
        "The board said it never disputed that the audit was late.",
    ],
)
def test_assertions_stay_assertions_even_with_a_negation_inside(nlp: Language, text: str) -> None:
    found = claims(nlp, text)
    assert found, text
    assert {c.attrs["polarity"] for c in found} == {"asserts"}


@pytest.mark.parametrize(
    "text",
    [
        # two negations: the speaker neither says nor denies the words
        "The company did not deny that it had paid the consultants.",
        "The agency has never disputed that the report was late.",
        # a negated verb of saying with a question: no proposition at all
        "The bank did not say how many jobs would be cut.",
        "The company did not say whether the plant would close.",
        "Ravi Menon declined to say when the contract would be signed.",
        # a negated speech act with an object says nothing
        "The union did not urge its members to strike.",
    ],
)
def test_double_negations_and_unsaid_questions_are_no_claims(nlp: Language, text: str) -> None:
    assert claims(nlp, text) == []


def test_words_quoted_beside_a_verb_of_denial_are_the_speakers_own(nlp: Language) -> None:
    assert said(nlp, '"We paid no bribes to anyone," the chairman denied.') == [
        ("the chairman", "We paid no bribes to anyone", "asserts")
    ]


def test_a_quotation_after_a_denial_continues_as_the_speakers_own_words(nlp: Language) -> None:
    text = (
        "Tom Berg denied that the hospital had lost any records. "
        "“We keep two copies of every file in separate buildings.”"
    )
    assert said(nlp, text) == [
        ("Tom Berg", "the hospital had lost any records", "denies"),
        ("Tom Berg", "We keep two copies of every file in separate buildings.", "asserts"),
    ]


def test_an_assertion_and_a_denial_in_one_sentence(nlp: Language) -> None:
    text = (
        '"That story is completely false," said Lena Ortiz, who denied that the hospital had '
        "lost any records."
    )
    assert said(nlp, text) == [
        ("Lena Ortiz", "That story is completely false", "asserts"),
        ("Lena Ortiz", "the hospital had lost any records", "denies"),
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "words"),
    [
        (
            "The water board denied reports that its chairman had said the dam was unsafe.",
            "The water board",
            "its chairman had said the dam was unsafe",
        ),
        (
            "Brenmoor Rail rejected claims that its engineer had said the brakes failed.",
            "Brenmoor Rail",
            "its engineer had said the brakes failed",
        ),
    ],
)
def test_a_statement_denied_to_have_been_made_is_never_its_speakers_assertion(
    nlp: Language, text: str, speaker: str, words: str
) -> None:
    """Nested denial: the words inside are what the denier says was never said."""
    found = said(nlp, text)
    assert (speaker, words, "denies") in found
    assert not [f for f in found if f[2] == "asserts"]


@pytest.mark.parametrize(
    ("text", "speaker", "words"),
    [
        # the small model parses these "that" clauses as relative clauses of the noun
        (
            "The ministry rejected claims that engineer P. Novak told inspectors the valves "
            "were faulty.",
            "The ministry",
            "engineer P. Novak told inspectors the valves were faulty",
        ),
        (
            "Port officials dismissed the allegation that divers had found the wreck.",
            "Port officials",
            "divers had found the wreck",
        ),
        # read with "engineer" as a verb and "told" hung on "rejected", as if the ministry
        # had told the inspectors
        (
            "The transport ministry on Wednesday rejected claims that engineer Pavel Novak "
            "told inspectors the ferry's valves were faulty.",
            "The transport ministry",
            "engineer Pavel Novak told inspectors the ferry's valves were faulty",
        ),
    ],
)
def test_a_that_clause_parsed_as_a_relative_clause_is_still_what_is_denied(
    nlp: Language, text: str, speaker: str, words: str
) -> None:
    found = said(nlp, text)
    assert (speaker, words, "denies") in found
    assert not [f for f in found if f[2] == "asserts"]


@pytest.mark.parametrize(
    "text",
    [
        "The ministry rejected the claims that the newspaper published on Monday.",
        "The club dismissed the allegations that were made against its coach.",
        "The board disputed the reports that auditors had raised.",
        "The ministry rejected the claims that the union made last week.",
    ],
)
def test_a_relative_clause_on_a_denied_statement_is_not_what_was_denied(
    nlp: Language, text: str
) -> None:
    assert claims(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Ines Varga denied ever meeting the contractor.", "ever meeting the contractor"),
        ("Ines Varga denied having signed the permit.", "having signed the permit"),
        (
            "Ines Varga denied telling the board that the audit was finished.",
            "telling the board that the audit was finished",
        ),
    ],
)
def test_a_deed_denied_with_a_gerund_is_denied(nlp: Language, text: str, words: str) -> None:
    assert said(nlp, text) == [("Ines Varga", words, "denies")]


@pytest.mark.parametrize(
    "text",
    [
        "The council rejected building a second runway at the airport.",
        "The reporter was denied entering the courtroom on Monday.",
        "The judge denied bail to the three men.",
    ],
)
def test_a_plan_turned_down_or_a_thing_refused_is_no_claim(nlp: Language, text: str) -> None:
    assert claims(nlp, text) == []


def test_that_read_as_a_determiner_does_not_cut_the_subject_off_the_denied_words(
    nlp: Language,
) -> None:
    """The small model reads "that coach" as a noun phrase, the object of "denied"."""
    found = said(nlp, "The league denied that coach Mia Holt had said the game was fixed.")
    assert found == [("The league", "coach Mia Holt had said the game was fixed", "denies")]


def test_a_denial_relayed_by_another_source_is_the_deniers(nlp: Language) -> None:
    text = "The agency reported that the port authority had dismissed claims that the pier sank."
    assert said(nlp, text) == [("the port authority", "the pier sank", "denies")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It was denied by the harbour master that the pier had sunk.",
            [("the harbour master", "the pier had sunk", "denies")],
        ),
        (
            "Rumours that the mill would close were dismissed by its owners.",
            [("its owners", "the mill would close", "denies")],
        ),
        (
            "The drivers were told by the police that the road was closed.",
            [("the police", "the road was closed", "asserts")],
        ),
        # nobody named as speaking: no claim, and never an assertion
        ("It was denied that the pier had sunk.", []),
        ("The union was informed that the plant would close.", []),
        ("The plan was rejected by the council on Monday.", []),
    ],
)
def test_the_agent_of_a_passive_reporting_verb_is_the_speaker(
    nlp: Language, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "speaker", "words", "cue"),
    [
        (
            "The port authority called reports that the crane had collapsed utterly false.",
            "The port authority",
            "the crane had collapsed",
            "called … utterly false",
        ),
        (
            "Ines Varga described claims that she had hidden the invoices as fabricated.",
            "Ines Varga",
            "she had hidden the invoices",
            "described … as fabricated",
        ),
        (
            "The bakery said rumours that it would close in May were untrue.",
            "The bakery",
            "it would close in May",
            "said … were untrue",
        ),
        (
            "The council said the report that the school had flooded was not true.",
            "The council",
            "the school had flooded",
            "said … was not true",
        ),
        (
            "The mayor dismissed as rubbish suggestions that the bridge would be sold.",
            "The mayor",
            "the bridge would be sold",
            "dismissed as rubbish",
        ),
        # a judgement in quotation marks, with its own modifiers
        (
            "The ferry company dismissed reports that its captain had told passengers the "
            'engine was failing as "pure fiction".',
            "The ferry company",
            "its captain had told passengers the engine was failing",
            "dismissed … as pure fiction",
        ),
        (
            "The bakery called the report that it had sold stale bread an outright lie.",
            "The bakery",
            "it had sold stale bread",
            "called … an outright lie",
        ),
        # after a verb of denial any judgement; the sentence parsed as a noun phrase
        (
            "The choir dismissed as gossip reports that its organist had resigned.",
            "The choir",
            "its organist had resigned",
            "dismissed as gossip",
        ),
        (
            "The mayor dismissed as politically motivated claims that the tender was rigged.",
            "The mayor",
            "the tender was rigged",
            "dismissed as politically motivated",
        ),
        (
            "The union rejected claims that its drivers had been drinking as baseless.",
            "The union",
            "its drivers had been drinking",
            "rejected … as baseless",
        ),
    ],
)
def test_a_statement_called_false_is_denied(
    nlp: Language, text: str, speaker: str, words: str, cue: str
) -> None:
    (claim,) = claims(nlp, text)
    assert (claim.value, claim.text, claim.attrs["polarity"]) == (speaker, words, "denies")
    assert claim.attrs["cue"] == cue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the judgement belongs to the reported clause itself
        (
            "The council rejected claims that the invoices were false.",
            [("The council", "the invoices were false", "denies")],
        ),
        # true is no denial; two negations make no claim
        (
            "The council said reports that the school had flooded were accurate.",
            [
                (
                    "The council",
                    "reports that the school had flooded were accurate",
                    "asserts",
                )
            ],
        ),
        ("The council did not call reports that the school had flooded false.", []),
    ],
)
def test_a_judgement_that_is_not_the_speakers_denial(
    nlp: Language, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert said(nlp, text) == expected


def events_and_claims(nlp: Language, text: str) -> tuple[list[Mention], list[Mention]]:
    doc = nlp(make_doc(nlp, text))
    dates = tag_dates(text, dt.date.fromisoformat(PUBLISHED))
    entities = find_entities(doc)
    events = find_events(doc, dates, entities)
    found = find_claims(doc, entities, dates, PUBLISHED)
    mark_denied_events(events, found)
    return events, found


def test_an_event_reported_only_as_denied_is_marked(nlp: Language) -> None:
    events, _ = events_and_claims(
        nlp,
        "The army denied that its soldiers fired on protesters on Sunday, and the general "
        "resigned on Monday.",
    )
    by_date = {e.value: e for e in events}
    fired, resigned = by_date["2024-03-03"], by_date["2024-03-04"]
    assert fired.attrs["polarity"] == "denies"
    assert fired.attrs["denied_by"] == "The army"
    assert fired.attrs["title"].startswith("Denied: ")
    assert "polarity" not in resigned.attrs  # that one happened
    assert not resigned.attrs["title"].startswith("Denied")


def test_the_date_of_a_denial_does_not_make_the_denied_words_happen(nlp: Language) -> None:
    (event,), _ = events_and_claims(
        nlp, "The ministry on Tuesday denied that it had leaked the memo to reporters."
    )
    assert event.attrs["polarity"] == "denies"
    assert event.attrs["title"].startswith("Denied: ")
    (event,), _ = events_and_claims(nlp, "The minister denied the report on Monday.")
    assert "polarity" not in event.attrs  # the denying itself happened on Monday


# -- the lexicon -------------------------------------------------------------------------------


def test_the_denial_lexicon_is_data_with_a_criterion_for_each_list() -> None:
    path = claims_module.DENIAL_CUES_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    header = "\n".join(line for line in lines if line.startswith("#"))
    lexicon = load_lexicon(path)
    assert set(lexicon) == {
        "verbs",
        "refusal",
        "nouns",
        "objects",
        "absence",
        "statement-verbs",
        "falsity",
        "truth",
        "judging",
        "future",
        "prospect",
    }
    for section in lexicon:
        assert f"[{section}]" in header  # each list is described before the lists
    assert "deny" in lexicon["verbs"] and "refuse" in lexicon["refusal"]


def test_a_word_in_two_lists_is_an_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "cues.txt"
    bad.write_text("# header\n[verbs]\ndeny\n[nouns]\ndeny\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cues\.txt:5: 'deny' is already listed in \[verbs\]"):
        load_lexicon(bad)


@pytest.mark.parametrize(
    "text",
    [
        "Brenner Rail will deny that its drivers ignored the signal.",
        "The governor is expected to deny that she knew of the audit.",
        "Lund Chemicals may reject claims that the river was polluted.",
        "The club plans to deny that the transfer fee was inflated.",
        "The regulator is likely to say that the merger harms buyers.",
        "Ostra Bank is set to announce that it will cut two thousand jobs.",
    ],
)
def test_a_speech_act_not_yet_made_is_no_claim(nlp: Language, text: str) -> None:
    # Nobody has said or denied the words yet: neither an assertion nor a made denial.
    assert said(nlp, text) == []


def test_will_not_confirm_is_a_refusal_made_now(nlp: Language) -> None:
    assert said(nlp, "The port authority will not confirm that the crane collapsed.") == [
        ("The port authority", "the crane collapsed", "denies")
    ]


def test_would_deny_in_reported_speech_is_the_reporters_assertion_not_a_made_denial(
    nlp: Language,
) -> None:
    assert said(nlp, "Mira Holm said the insurer would deny that the storm caused the loss.") == [
        ("Mira Holm", "the insurer would deny that the storm caused the loss", "asserts")
    ]
