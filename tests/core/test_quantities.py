"""Quantities: prefixed currencies, exchange rates and numbers whose noun is left out.

Sentences are written for these tests (not taken from any evaluation article).
"""

from __future__ import annotations

from spacy.language import Language

from casedesk.extract.model import Mention
from casedesk.extract.nlp import parse
from casedesk.extract.quantities import find_quantities


def quantities(text: str) -> dict[str, Mention]:
    return {m.text: m for m in find_quantities(parse(text))}


def test_dollars_with_a_country_prefix(nlp: Language) -> None:
    q = quantities(
        "The levy will raise about A$2.3 billion a year, Ottawa pledged C$40 million and the "
        "port earned HK$3 billion, R$12 billion and NZ$5.5 million, while S$7 million went "
        "unspent."
    )
    assert q["about A$2.3 billion"].attrs == {
        "number": 2.3e9,
        "unit": "Australian dollars",
        "approx": "about",
    }
    assert q["C$40 million"].value == "40 million Canadian dollars"
    assert q["HK$3 billion"].attrs["unit"] == "Hong Kong dollars"
    assert q["R$12 billion"].value == "12 billion reais"
    assert q["NZ$5.5 million"].attrs["number"] == 5.5e6
    assert q["S$7 million"].attrs["unit"] == "Singapore dollars"


def test_an_amount_before_what_it_pays_for_ends_at_its_currency(nlp: Language) -> None:
    q = quantities("The board approved the A$900 million Ridgeway smelter on Monday.")
    assert list(q) == ["A$900 million"]


def test_scale_written_onto_an_amount(nlp: Language) -> None:
    q = quantities("The striker's wages rose to €3.5m a season.")
    assert q["€3.5m"].attrs["number"] == 3.5e6


def test_exchange_rates_count_per_dollar(nlp: Language) -> None:
    q = quantities(
        "The cedi closed at 15,400 cedis per dollar. The shilling weakened to 129 per dollar."
    )
    assert q["15,400 cedis per dollar"].attrs["unit"] == "cedis per dollar"
    assert q["129 per dollar"].value == "129 per dollar"


def test_a_number_whose_noun_was_just_given_takes_its_unit(nlp: Language) -> None:
    q = quantities(
        "Exporters shipped 610,000 tonnes in May, up from about 480,000 a year earlier. "
        "Rescuers sent 80 medics from Lyon and 25 from Geneva."
    )
    assert q["about 480,000"].attrs["unit"] == "tonnes"
    assert q["about 480,000"].attrs["approx"] == "about"
    assert q["25"].value == "25 medics"


def test_a_level_does_not_take_the_unit_of_a_percentage(nlp: Language) -> None:
    q = quantities(
        "The peso ended at 1,310 pesos per dollar on Tuesday, 4% weaker than in March. "
        "It recovered on Wednesday to 1,296."
    )
    assert q["1,296"].attrs["unit"] == "pesos per dollar"


def test_a_level_passed_with_no_unit_given(nlp: Language) -> None:
    q = quantities("Rupiah slides past 16,800 as exporters hoard dollars")
    assert q["16,800"].attrs["number"] == 16800
    assert q["16,800"].attrs["unit"] is None


def test_bare_small_numbers_parts_and_years_stay_out(nlp: Language) -> None:
    q = quantities(
        "The court voted 7-2 in 2021. Three of them agreed, and one of the judges left. "
        "Chapter 11 begins on page 40."
    )
    assert q == {}


def test_counts_after_a_determiner_written_in_digits_are_new_amounts(nlp: Language) -> None:
    q = quantities(
        "The union says its 95,000 members back the strike. The two sides met again, and "
        "the three ministers left."
    )
    assert q["95,000 members"].attrs["number"] == 95000
    assert "two sides" not in q and "three ministers" not in q


def test_measures_end_at_their_unit(nlp: Language) -> None:
    q = quantities(
        "Gusts of up to 90 km/h hit the coast. The pills come in 20 mg and 40 mg doses. "
        "Officials held more than a dozen meetings."
    )
    assert q["up to 90 km/h"].attrs["unit"] == "km/h"
    assert q["40 mg"].value == "40 mg"
    assert q["more than a dozen meetings"].attrs == {
        "number": 12,
        "unit": "meetings",
        "approx": "more than",
    }


def test_frequencies_and_dates_made_of_lengths_are_not_amounts(nlp: Language) -> None:
    q = quantities("The court ruled three weeks later. Prices were raised four times in 30 days.")
    assert list(q) == ["30 days"]


def test_a_number_far_from_the_last_amount_does_not_take_its_unit(nlp: Language) -> None:
    q = quantities("The army deployed 3,000 troops. By night the toll had risen to 35.")
    assert "35" not in q
