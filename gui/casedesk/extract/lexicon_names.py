"""Lists for names: places, demonyms, titles, organisation heads, legal suffixes, institutions.

The entries live in data files (``casedesk/extract/data/*.txt``, read by
``casedesk.extract.lexicon``), each with a header stating what belongs in it and why. Every
list follows a criterion of general English or news writing (ISO 3166 countries, national
capitals, company legal forms, honorifics ...), never the needs of one article. This module
gives them the names the extractors use.
"""

from __future__ import annotations

from casedesk.extract.lexicon import table, words

# Nationality adjectives and plural nouns (spaCy NORP), lower-case, and their country.
DEMONYMS: dict[str, str] = table("demonyms")

HONORIFICS = frozenset(w.rstrip(".") for w in words("honorifics"))
ROYAL_TITLES = words("titles_royal")
_OFFICE = words("titles_public_office")
_SPOKESPEOPLE = words("titles_spokespeople")
_MILITARY = words("titles_military")
_MODIFIERS = words("title_modifiers")

# Titles held in companies, unions and parties ("Norvik Chairman Choi"): a name before one
# is an organisation.
CORPORATE_TITLES = words("titles_corporate")

# Nouns after which an organisation-looking span is part of a person's title instead:
# "Economy, Trade and Industry Minister Hiroshige Seko", "Chief Cabinet Secretary Suga".
TITLE_NOUNS = (
    _OFFICE
    | _SPOKESPEOPLE
    | words("titles_roles")
    | _MODIFIERS
    | (CORPORATE_TITLES & {"chairman", "chairwoman"})
)

# Words of a ministerial portfolio ("Trade Minister") that belong to the title.
PORTFOLIO_WORDS = words("portfolio")

# People's titles that announce a name ("President Yoon", "Trade Minister Ahn Duk-geun").
NAME_TITLES = (
    _OFFICE
    | _SPOKESPEOPLE
    | ROYAL_TITLES
    | (_MILITARY & {"general", "admiral"})
    | (CORPORATE_TITLES & {"chairman", "chairwoman", "ceo"})
)

# Legal-form suffixes dropped from the resolution key ("Samsung Electronics Co.").
CORPORATE_SUFFIXES = words("legal_suffixes")

# Words naming a company group as a whole ("Norvik Group", "Norvik Holdings"): the parent,
# which the brand alone names too; dropped from the resolution key like a legal form.
GROUP_WORDS = words("company_group_words")

# Head words of public bodies: a place at the start of their name stays a place ("Seoul High
# Court"), unlike the brand that starts a company's name ("Norvik" in "Norvik Chemical").
PUBLIC_BODY_HEADS = words("public_bodies") | words("public_institutions")

# Head words of organisation names (used to tell a ministry from a title modifier).
ORG_HEADS = (
    words("public_bodies")
    | words("associations")
    | words("company_heads")
    | (CORPORATE_SUFFIXES & {"co", "corp", "inc", "ltd", "corporation", "company"})
)

# Honorifics and titles stripped from the front of a person's name.
PERSON_PREFIXES = (
    words("honorifics")
    | words("titles_abbreviated")
    | _MILITARY
    | ROYAL_TITLES
    | _OFFICE
    | _MODIFIERS
) - {"official", "officials", "minister's", "head", "vice", "deputy", "chief", "leader", "director"}

# Institutions named after a building or an address, news agencies and the largest online
# platforms: the kind is fixed.
INSTITUTIONS: dict[str, str] = {
    name: "organization"
    for name in (
        *sorted(words("seats_of_government", lower=False)),
        *sorted(words("news_agencies", lower=False)),
        *sorted(words("online_platforms", lower=False)),
    )
}

# Spelling variants of countries, for the place key ("S. Korea", "U.S.", "Republic of Korea").
PLACE_VARIANTS: dict[str, str] = table("place_variants")

# Last words of company names beyond the organisation heads: a span ending in one is a company
# whatever the model called it ("Kelmar Logistics" tagged as a person).
COMPANY_WORDS = words("company_words")

# Nouns that describe a company right before its name or in apposition after it.
COMPANY_DESCRIPTORS = words("company_descriptors")

# Words naming what a person is ("Its chief executive, Ada Brenner").
PERSON_ROLE_NOUNS = (
    NAME_TITLES | TITLE_NOUNS | words("occupations") | CORPORATE_TITLES
) - _MODIFIERS

# Lowercase nouns after a name that make it a place ("Dhemaji and Lakhimpur districts"), and
# before one ("the capital Patna").
PLACE_NOUNS_AFTER = words("place_nouns_after")
PLACE_NOUNS_BEFORE = words("place_nouns_before")

# Last words of facility and geographic names the model calls organisations.
PLACE_HEADS = words("place_heads")

# What only a place has, after its possessive name ("Varnholm's coastline").
PLACE_POSSESSIONS = words("place_possessions")

# Parts of facilities and sites named by a number or letter after them ("Terminal 2").
NUMBERED_PLACE_WORDS = words("place_numbered")

# Countries and territories, national capitals, the largest cities, first-level subdivisions
# of the larger federations, continents and world regions: a name in one of these is a place,
# whatever the model said in one sentence.
WELL_KNOWN_PLACES = (
    words("places_countries")
    | words("places_capitals")
    | words("places_cities")
    | words("places_subdivisions")
    | words("places_regions")
)

# US state abbreviations in news style ("Phoenix, Ariz.").
US_STATE_ABBREVIATIONS = words("us_state_abbreviations", lower=False)

# Nouns for people by occupation, calling or relation, and for kinds of places, that a text
# predicates of a name ("X is an American actor", "X, a city in ...").
PERSON_NOUNS = words("person_nouns") | words("occupations")
PLACE_PREDICATE_NOUNS = words("place_nouns_predicate") | words("place_nouns_before")
