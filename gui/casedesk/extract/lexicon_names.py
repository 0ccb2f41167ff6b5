"""Small lists for names: demonyms, titles, corporate suffixes, well-known institutions.

These are general English/news vocabulary. None of them is needed for a particular article;
each corrects a class of error the small spaCy model makes on news text.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Nationality adjectives and plural nouns (spaCy NORP). Entries map to the country so a user
# could follow "Japanese" to Japan; the extractor itself does not emit them as entities.
DEMONYMS: dict[str, str] = {
    "american": "United States",
    "americans": "United States",
    "british": "United Kingdom",
    "chinese": "China",
    "japanese": "Japan",
    "korean": "Korea",
    "koreans": "Korea",
    "south korean": "South Korea",
    "south koreans": "South Korea",
    "s. korean": "South Korea",
    "north korean": "North Korea",
    "north koreans": "North Korea",
    "n. korean": "North Korea",
    "french": "France",
    "german": "Germany",
    "germans": "Germany",
    "russian": "Russia",
    "russians": "Russia",
    "indian": "India",
    "taiwanese": "Taiwan",
    "vietnamese": "Vietnam",
    "dutch": "Netherlands",
    "swiss": "Switzerland",
    "thai": "Thailand",
    "filipino": "Philippines",
    "european": "European Union",
    "europeans": "European Union",
    "israeli": "Israel",
    "iranian": "Iran",
    "iraqi": "Iraq",
    "saudi": "Saudi Arabia",
    "turkish": "Turkey",
    "spanish": "Spain",
    "italian": "Italy",
    "canadian": "Canada",
    "mexican": "Mexico",
    "brazilian": "Brazil",
    "australian": "Australia",
}

# Words that make an ORG-looking span part of a person's title instead: "Economy, Trade and
# Industry Minister Hiroshige Seko", "Chief Cabinet Secretary Suga".
TITLE_NOUNS = _words(
    """
    minister secretary chief president chairman chairwoman chair director spokesman
    spokeswoman spokesperson governor ambassador envoy commissioner official officials
    vice deputy minister's head
    """
)

# Words of a ministerial portfolio: an ORG span made only of these before a title ("Trade
# Minister", "Economy, Trade and Industry Minister", "Chief Cabinet Secretary") is part of the
# title; a company before a title ("Samsung Chairman Lee") is not.
PORTFOLIO_WORDS = _words(
    """
    trade finance economy economic industry industries foreign affairs defense defence
    interior justice health welfare education energy labor labour employment agriculture
    environment commerce transport transportation culture unification security science
    technology home treasury state cabinet chief land infrastructure oceans fisheries
    communications information gender family veterans housing planning budget
    strategy innovation digital climate development tourism sports and of the
    """
)

# People's titles that announce a name ("President Yoon", "Trade Minister Ahn Duk-geun").
NAME_TITLES = _words(
    """
    president minister premier chancellor secretary chairman chairwoman ceo governor
    ambassador spokesman spokeswoman spokesperson leader director senator congressman
    congresswoman lawmaker mayor king queen prince princess pope general admiral judge
    """
)

# Head words of organisation names (used to tell a ministry from a title modifier).
ORG_HEADS = _words(
    """
    ministry department agency office bureau commission committee council board authority
    administration service organization organisation association union federation institute
    university bank group corporation company co corp inc ltd court parliament assembly
    party army navy force forces police cabinet government fund foundation society
    technologies technology holdings industries electronics motors airlines systems partners
    capital securities
    """
)

# Legal-form suffixes dropped from the resolution key ("Samsung Electronics Co." is
# "Samsung Electronics").
CORPORATE_SUFFIXES = _words(
    "co co. corp corp. corporation inc inc. ltd ltd. llc plc ag gmbh sa s.a. nv bv limited"
)

# Honorifics and titles stripped from the front of a person's name.
PERSON_PREFIXES = _words(
    """
    mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady president prime
    minister premier chancellor king queen prince princess senator rep rep. gov gov. gen
    gen. general colonel col. captain capt. judge justice
    """
)

# Institutions named after a building or a place that the small model tags as a place or
# misses, and which news text uses for the office itself. Kind is fixed here.
INSTITUTIONS: dict[str, str] = {
    "Cheong Wa Dae": "organization",
    "Blue House": "organization",
    "White House": "organization",
    "Kremlin": "organization",
    "Pentagon": "organization",
    "Elysee Palace": "organization",
    "Élysée Palace": "organization",
    "Downing Street": "organization",
    "Zhongnanhai": "organization",
    "Kantei": "organization",
    "Yonhap": "organization",
    "Kyodo": "organization",
    "Xinhua": "organization",
    "Reuters": "organization",
}

# Spelling variants of countries, for the place key ("S. Korea", "U.S.", "Republic of Korea").
PLACE_VARIANTS: dict[str, str] = {
    "us": "united states",
    "u.s.": "united states",
    "u.s": "united states",
    "usa": "united states",
    "u.s.a.": "united states",
    "united states of america": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "u.k.": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "republic of korea": "south korea",
    "rok": "south korea",
    "dprk": "north korea",
    "democratic people's republic of korea": "north korea",
    "prc": "china",
    "people's republic of china": "china",
    "eu": "european union",
    "holland": "netherlands",
    "the netherlands": "netherlands",
}
