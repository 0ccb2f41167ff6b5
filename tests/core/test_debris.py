"""Web-page debris flagging: measured on the hand-labelled seeds and on synthetic pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casedesk.ingest.debris import find_debris

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data" / "ingest"
LABELS = json.loads((DATA / "seed_debris_labels.json").read_text(encoding="utf-8"))["documents"]


def _flagged(text: str, title: str | None = None) -> dict[int, str]:
    """Flagged lines as 1-based line number -> reason."""
    return {i + 1: r for i, r in find_debris(text, title).lines.items()}


def test_seed_debris_precision_and_recall() -> None:
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    titles = {d["file"]: d["title"] for d in manifest["documents"]}
    true_pos = false_pos = false_neg = 0
    for name, label in LABELS.items():
        text = (SEEDS / name).read_text(encoding="utf-8")
        expected = {int(n) for n in label["debris"]}
        for title in (titles[name], None):  # with and without the manifest's title
            found = set(_flagged(text, title))
            true_pos += len(found & expected)
            false_pos += len(found - expected)
            false_neg += len(expected - found)
            assert not found - expected, f"{name}: content lines flagged {sorted(found - expected)}"
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    assert precision == 1.0
    assert recall >= 0.9


@pytest.mark.parametrize("name", sorted(LABELS))
def test_seed_reasons_and_own_headline(name: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    label = LABELS[name]
    found = find_debris(text)
    flagged = {i + 1: r for i, r in found.lines.items()}
    for line, reason in label["debris"].items():
        assert flagged.get(int(line)) == reason, f"{name} line {line}"
    expected_title = label["title_line"]
    if expected_title is None:
        assert found.title is None
    else:
        assert found.title_line == expected_title - 1
        assert found.title == text.split("\n")[expected_title - 1].strip()


def test_ranges_point_at_the_flagged_text_and_nothing_is_removed() -> None:
    text = (SEEDS / "003_45df78adb63fd4a5.txt").read_text(encoding="utf-8")
    found = find_debris(text)
    lines = text.split("\n")
    assert found.ranges
    for first, last, start, end, reason in found.ranges:
        assert text[start:end] == "\n".join(lines[first : last + 1])
        assert all(found.lines.get(i) in (reason, None) for i in range(first, last + 1))
    # Consecutive comment-form furniture lines come back as one range, not one per line.
    assert any(last > first for first, last, *_ in found.ranges)


NEWS_PAGE = (DATA / "synthetic_news_clip.txt").read_text(encoding="utf-8")

NEWS_DEBRIS = {
    1: "navigation",
    2: "navigation",
    3: "navigation",
    4: "breadcrumb",
    8: "share prompt",
    9: "share prompt",
    10: "share prompt",
    26: "advertisement",
    30: "related links",
    31: "related links",  # headlines listed under "Related articles" belong to that list
    32: "related links",
    34: "comment form",
    35: "comment form",
    36: "comment form",
    37: "comment form",
    39: "subscription prompt",
    40: "copyright",
    41: "navigation",
}


def test_synthetic_english_page() -> None:
    found = find_debris(NEWS_PAGE)
    flagged = {i + 1: r for i, r in found.lines.items()}
    assert found.title == "Harbour strike ends after three weeks"
    assert set(flagged) == set(NEWS_DEBRIS), sorted(set(flagged) ^ set(NEWS_DEBRIS))
    for line, reason in NEWS_DEBRIS.items():
        assert flagged[line] == reason, (line, NEWS_PAGE.split("\n")[line - 1])


def test_content_that_mentions_furniture_words_is_kept() -> None:
    found = find_debris(NEWS_PAGE)
    lines = NEWS_PAGE.split("\n")
    kept = {lines[i] for i in range(len(lines)) if i not in found.lines}
    assert any(line.startswith("Share prices of the two largest") for line in kept)
    assert any(line.startswith("The union said 78 percent") for line in kept)  # "copyright"
    assert "Idle cranes stand at the container terminal on February 20, 2021. (Reuters)" in kept
    assert "By Ada Lovelace, Transport Correspondent" in kept
    assert "Reporting by Ada Lovelace; editing by Grace Hopper" in kept
    assert "What the deal means" in kept  # a subheading inside the story


KOREAN_PAGE = (DATA / "synthetic_korean_clip.txt").read_text(encoding="utf-8")


def test_synthetic_korean_page() -> None:
    found = find_debris(KOREAN_PAGE)
    flagged = {i + 1: r for i, r in found.lines.items()}
    assert found.title == "정부, 일본 수출규제 대응 위한 100개 품목 점검"
    assert set(flagged) == {1, 2, 10, 11, 12, 13, 14}
    assert flagged[14] == "copyright"
    assert flagged[13] == "comment form"
    assert 6 not in flagged and 8 not in flagged


def test_plain_article_without_furniture_has_no_debris() -> None:
    text = (
        "Talks resume in Geneva\n\n"
        "Negotiators met again on Monday after a two-week pause. Both sides said progress "
        "had been made on the question of tariffs.\n\n"
        "Next steps for the delegations\n\n"
        "A further round is planned for March, officials said. The date has not been fixed "
        "and depends on the outcome of consultations at home."
    )
    found = find_debris(text)
    assert found.ranges == []
    assert found.title == "Talks resume in Geneva"


def test_text_without_a_headline_has_no_title() -> None:
    text = (
        "The ministry said on Saturday that it had prepared a list of products that could be "
        "affected by the new rules.\n\nOfficials declined to give details."
    )
    assert find_debris(text).title is None


def test_headlines_of_other_stories_next_to_page_furniture() -> None:
    text = (
        "Most Popular\n\n"
        "Wildfire forces evacuation of mountain villages\n\n"
        "Central bank holds rates as inflation cools\n\n"
        "Central bank holds rates as inflation cools\n\n"
        "The central bank left its main interest rate unchanged on Thursday, saying price "
        "growth had slowed for a third month.\n\n"
        "Economists had expected the decision. Markets barely moved after the announcement.\n\n"
        "Trending\n\n"
        "Star striker signs record contract with rival club\n\n"
        "Tags: economy, banking"
    )
    found = find_debris(text, title="Central bank holds rates as inflation cools")
    flagged = {i + 1: r for i, r in found.lines.items()}
    assert flagged[1] == "navigation"
    assert flagged[3] == "unrelated headline"
    assert flagged[13] == "navigation"
    assert flagged[15] == "unrelated headline"
    assert flagged[17] == "navigation"  # a tag list
    assert 5 not in flagged and 7 not in flagged  # the article's own headline, twice


@pytest.mark.parametrize(
    "sentence",
    [
        "Investors rushed to subscribe to the new share offering.",
        "Users could not log in to their accounts for several hours, the bank said.",
        "He was skipping the main event to attend the talks.",
        "Share prices fell 3 percent.",
        "The ministry will share the data with the committee next week.",
        "Follow-up talks are planned for March.",
        "악성 댓글 문제가 심각하다고 정부가 밝혔다.",
        "The newsletter of the trade association warned of shortages.",
        "The home ministry declined to comment on the report.",
        "Related discussions were held in Geneva on Friday.",
    ],
)
def test_sentences_using_furniture_words_are_content(sentence: str) -> None:
    text = (
        "Ministers meet over export rules\n\n"
        "Trade ministers met on Monday to discuss the export rules that took effect in July, "
        "officials said.\n\n"
        f"{sentence}\n\n"
        "The next meeting is expected in the spring. Both sides said the talks were useful."
    )
    assert find_debris(text).lines == {}


def test_synthetic_clippings_precision_and_recall() -> None:
    labels = json.loads((DATA / "synthetic_debris_labels.json").read_text(encoding="utf-8"))
    true_pos = false_pos = false_neg = 0
    for name, label in labels["documents"].items():
        text = (DATA / name).read_text(encoding="utf-8")
        found = find_debris(text)
        flagged = {i + 1 for i in found.lines}
        expected = set(label["debris"])
        assert not flagged - expected, f"{name}: content lines flagged {sorted(flagged - expected)}"
        true_pos += len(flagged & expected)
        false_pos += len(flagged - expected)
        false_neg += len(expected - flagged)
        assert found.title_line == label["title_line"] - 1, name
    assert true_pos / (true_pos + false_pos) == 1.0
    assert true_pos / (true_pos + false_neg) >= 0.9


def test_title_case_headline_made_of_section_words_is_still_the_title() -> None:
    text = (
        "World\n\nJapan Korea Trade War\n\n"
        "Japan and South Korea traded accusations on Tuesday as a dispute over export rules "
        "deepened, officials said.\n\nBoth governments said they were open to talks."
    )
    found = find_debris(text)
    assert found.title == "Japan Korea Trade War"
    assert {i + 1: r for i, r in found.lines.items()} == {1: "navigation"}


def test_printed_headline_is_kept_when_metadata_title_differs() -> None:
    text = (
        "Most Read\n\nPort strike ends after three weeks\n\n"
        "Dock workers voted on Wednesday to accept a revised pay offer, ending a strike that "
        "had halted container traffic.\n\nShipping lines welcomed the vote."
    )
    found = find_debris(text, title="Port strike over | Harbour Gazette")
    assert found.title == "Port strike over | Harbour Gazette"
    assert found.title_line == 2
    assert set(found.lines) == {0}


def test_a_list_at_the_end_of_the_story_is_not_swallowed_by_the_footer() -> None:
    text = (
        "Three materials under stricter control\n\n"
        "Japan tightened the export rules on Thursday for three materials used to make chips "
        "and displays, the trade ministry said.\n\n"
        "The materials are:\n\n"
        "Fluorinated polyimide\n\n"
        "Photoresist\n\n"
        "High-purity hydrogen fluoride gas\n\n"
        "© 2019 Example Daily"
    )
    found = find_debris(text)
    assert {i + 1: r for i, r in found.lines.items()} == {13: "copyright"}
