"""Every rule of the date grammar carries sentences it must read and sentences in which it
must tag nothing (``examples`` and ``counter_examples`` where the rule is registered, as
HeidelTime's ``// EXAMPLE`` lines are); this one test reads them all. Relative expressions
are valued against ``EXAMPLE_DCT``."""

from __future__ import annotations

import pytest

from casedesk.extract.dates import EXAMPLE_DCT, rules, tag_dates

RULES = rules()
EXAMPLES = [
    pytest.param(name, text, value, id=f"{name}: {text}")
    for name, examples, _counter in RULES
    for text, value in examples
]
COUNTER_EXAMPLES = [
    pytest.param(name, text, id=f"{name}: {text}")
    for name, _examples, counter in RULES
    for text in counter
]


def test_each_rule_is_registered_once_with_examples() -> None:
    names = [name for name, _e, _c in RULES]
    assert len(names) == len(set(names))
    assert [name for name, examples, _c in RULES if not examples] == []


@pytest.mark.parametrize(("rule", "text", "value"), EXAMPLES)
def test_a_rule_reads_its_examples(rule: str, text: str, value: str) -> None:
    found = [(m.text, m.value, m.attrs["rule"]) for m in tag_dates(text, EXAMPLE_DCT, sets=True)]
    assert any(r == rule and v == value for _t, v, r in found), found


@pytest.mark.parametrize(("rule", "text"), COUNTER_EXAMPLES)
def test_a_rule_tags_nothing_in_its_counter_examples(rule: str, text: str) -> None:
    found = [(m.text, m.value, m.attrs["rule"]) for m in tag_dates(text, EXAMPLE_DCT, sets=True)]
    assert not any(r == rule for _t, _v, r in found), found
