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
    strategy innovation digital climate development tourism sports union and of the
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
    capital securities centre center laboratory laboratories embassy consulate
    """
)

# Legal-form suffixes dropped from the resolution key ("Samsung Electronics Co." is
# "Samsung Electronics").
CORPORATE_SUFFIXES = _words(
    """co co. corp corp. corporation inc inc. ltd ltd. llc plc ag gmbh sa s.a. nv bv limited
    company incorporated asa ab oy oyj spa s.p.a. se kk k.k. pjsc jsc bhd tbk"""
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

# Short names that news uses for one of two places with a longer name: the name it stands
# for, and the keys of the other places it could also mean. "Korea" is South Korea in an
# article that does not name North Korea (but "Africa" is never South Africa, and "Sudan"
# is its own country, so they are not here).
PLACE_SHORT_FORMS: dict[str, tuple[str, frozenset[str]]] = {
    "korea": ("South Korea", frozenset(["north korea"])),
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

# Last words of company names beyond the organisation heads above: a span ending in one is
# a company whatever the model called it ("Vantor Logistics" tagged as a person).
COMPANY_WORDS = _words(
    """
    chemical chemicals steel ports shipping logistics materials pharmaceutical pharmaceuticals
    pharma energy petroleum oil airways aviation aerospace railway railways insurance media
    telecom telecommunications communications networks solutions labs laboratories ventures
    semiconductor semiconductors mining metals foods construction engineering shipbuilding
    automotive motor plastics devices instruments robotics software biotech biosciences
    therapeutics entertainment studios publishing machinery resources trading investments
    investment brewery breweries textiles cement paper airline lines logistic petrochemical
    petrochemicals microelectronics display displays batteries electric
    """
)

# Head words of public bodies: a place at the start of their name stays a place ("Seoul High
# Court", "Assam State Disaster Management Authority"), unlike the brand that starts a
# company's name ("Daesung" in "Daesung Chemical").
PUBLIC_BODY_HEADS = _words(
    """
    ministry department agency office bureau commission committee council board authority
    administration service court parliament assembly tribunal party army navy force forces
    police cabinet government university institute school college hospital museum centre
    center laboratory laboratories embassy consulate
    """
)

# Nouns that describe a company when they stand right before its name or in apposition
# after it ("memory maker X", "X, the Nagoya-based maker of ..."). Words ending in "maker"
# count as well.
COMPANY_DESCRIPTORS = _words(
    """
    company firm maker manufacturer producer supplier retailer lender insurer operator
    conglomerate subsidiary startup start-up airline shipper developer distributor
    brokerage refiner miner utility shipbuilder chaebol affiliate automaker carmaker
    chipmaker steelmaker drugmaker toolmaker brewer
    """
)

# Titles held in companies, unions and parties ("Daesung Chairman Choi", "Unite general
# secretary Sharon Gallagher", "RJD leader Kavita Bharti"): a name before one is an
# organisation.
CORPORATE_TITLES = _words(
    """
    chairman chairwoman chairperson ceo cfo coo founder co-founder executive
    """
)

# Words naming what a person is ("Its chief executive, Clemens Drost"): a name in apposition
# right after one of these, or right after it, is a person's.
PERSON_ROLE_NOUNS = (
    NAME_TITLES
    | TITLE_NOUNS
    | _words(
        """
        executive officer analyst economist researcher correspondent editor reporter
        founder professor lawyer attorney convenor coordinator manager adviser advisor
        commissioner spokesperson spokesman spokeswoman chairperson counsel strategist
        historian scientist engineer activist
        """
    )
) - _words("official officials vice deputy head chief minister's")

# Lowercase nouns after a name that make it a place: "Dhemaji and Lakhimpur districts",
# "the Brahmaputra river"; and before one: "the capital Patna".
PLACE_NOUNS_AFTER = _words(
    """
    district districts province provinces prefecture prefectures county counties region
    regions state states village villages town towns city cities river rivers island
    islands valley mountains peninsula municipality municipalities
    """
)
PLACE_NOUNS_BEFORE = _words("capital city town village port island province district")

# Last words of facility and geographic names the model calls organisations ("National
# Highway 15", "Kaziranga National Park").
PLACE_HEADS = _words(
    """
    highway expressway motorway road street avenue boulevard bridge tunnel airport harbour
    harbor canal river lake sea ocean gulf bay strait island islands mountain mountains park
    square peninsula valley desert
    """
)


def _names(text: str) -> frozenset[str]:
    return frozenset(n.strip().lower() for n in text.replace("\n", ";").split(";") if n.strip())


# Countries, continents and the world's largest cities: a name of one of these is a place,
# whatever the model said in one sentence ("bordering Nepal" tagged as a person), and the
# start of an organisation's name that is one ("Tokyo Electron") still names the place when
# it stands alone.
WELL_KNOWN_PLACES = _names(
    """
    Afghanistan; Albania; Algeria; Andorra; Angola; Argentina; Armenia; Australia; Austria;
    Azerbaijan; Bahamas; Bahrain; Bangladesh; Barbados; Belarus; Belgium; Belize; Benin;
    Bhutan; Bolivia; Bosnia; Botswana; Brazil; Brunei; Bulgaria; Burkina Faso; Burundi;
    Cambodia; Cameroon; Canada; Chile; China; Colombia; Comoros; Congo; Costa Rica;
    Croatia; Cuba; Cyprus; Czech Republic; Czechia; Denmark; Djibouti; Dominica; Ecuador;
    Egypt; El Salvador; Eritrea; Estonia; Eswatini; Ethiopia; Fiji; Finland; France; Gabon;
    Gambia; Georgia; Germany; Ghana; Greece; Grenada; Guatemala; Guinea; Guyana; Haiti;
    Honduras; Hungary; Iceland; India; Indonesia; Iran; Iraq; Ireland; Israel; Italy;
    Jamaica; Japan; Jordan; Kazakhstan; Kenya; Kiribati; Kosovo; Kuwait; Kyrgyzstan;
    Laos; Latvia; Lebanon; Lesotho; Liberia; Libya; Liechtenstein; Lithuania; Luxembourg;
    Madagascar; Malawi; Malaysia; Maldives; Mali; Malta; Mauritania; Mauritius; Mexico;
    Moldova; Monaco; Mongolia; Montenegro; Morocco; Mozambique; Myanmar; Namibia; Nauru;
    Nepal; Netherlands; New Zealand; Nicaragua; Niger; Nigeria; North Korea; North Macedonia;
    Norway; Oman; Pakistan; Palau; Palestine; Panama; Papua New Guinea; Paraguay; Peru;
    Philippines; Poland; Portugal; Qatar; Romania; Russia; Rwanda; Samoa; San Marino;
    Saudi Arabia; Senegal; Serbia; Seychelles; Sierra Leone; Singapore; Slovakia; Slovenia;
    Somalia; South Africa; South Korea; South Sudan; Spain; Sri Lanka; Sudan; Suriname;
    Sweden; Switzerland; Syria; Taiwan; Tajikistan; Tanzania; Thailand; Togo; Tonga;
    Trinidad; Tunisia; Turkey; Türkiye; Turkmenistan; Tuvalu; Uganda; Ukraine;
    United Arab Emirates; United Kingdom; United States; Uruguay; Uzbekistan; Vanuatu;
    Vatican; Venezuela; Vietnam; Yemen; Zambia; Zimbabwe; Britain; England; Scotland; Wales;
    Northern Ireland; America; Hong Kong; Macau; Tibet; Xinjiang; Crimea; Gaza; West Bank;
    Africa; Asia; Europe; Oceania; Antarctica; Arctic; Latin America; Middle East;
    Alabama; Alaska; Arizona; Arkansas; California; Colorado; Connecticut; Delaware; Florida;
    Hawaii; Idaho; Illinois; Indiana; Iowa; Kansas; Kentucky; Louisiana; Maine; Maryland;
    Massachusetts; Michigan; Minnesota; Mississippi; Missouri; Montana; Nebraska; Nevada;
    New Hampshire; New Jersey; New Mexico; North Carolina; North Dakota; Ohio; Oklahoma;
    Oregon; Pennsylvania; Rhode Island; South Carolina; South Dakota; Tennessee; Texas; Utah;
    Vermont; Virginia; West Virginia; Wisconsin; Wyoming; Alberta; British Columbia; Manitoba;
    Ontario; Quebec; Saskatchewan; Nova Scotia; New South Wales; Queensland; Victoria;
    Tasmania; Bavaria; Catalonia; Siberia; Sichuan; Guangdong;
    Hokkaido; Okinawa;
    Abu Dhabi; Addis Ababa; Ahmedabad; Amsterdam; Ankara; Athens; Atlanta; Auckland;
    Baghdad; Bangalore; Bangkok; Barcelona; Beijing; Beirut; Belgrade; Bengaluru; Berlin;
    Bogota; Boston; Brussels; Bucharest; Budapest; Buenos Aires; Busan; Cairo; Calcutta;
    Canberra; Cape Town; Caracas; Chennai; Chicago; Chongqing; Copenhagen; Dakar; Dallas;
    Damascus; Delhi; Dhaka; Doha; Dubai; Dublin; Frankfurt; Geneva; Guangzhou; Hamburg;
    Hanoi; Havana; Helsinki; Hiroshima; Ho Chi Minh City; Houston; Hyderabad; Incheon;
    Islamabad; Istanbul; Jakarta; Jerusalem; Johannesburg; Kabul; Karachi; Kathmandu;
    Kiev; Kyiv; Kinshasa; Kobe; Kolkata; Kuala Lumpur; Kyoto; Lagos; Lahore; Las Vegas;
    Lima; Lisbon; London; Los Angeles; Madrid; Manchester; Manila; Melbourne; Mexico City;
    Miami; Milan; Minsk; Montreal; Moscow; Mumbai; Munich; Nagoya; Nairobi; New Delhi;
    New York; Osaka; Oslo; Ottawa; Paris; Philadelphia; Phnom Penh; Prague; Pyongyang;
    Riyadh; Rome; Rotterdam; Saint Petersburg; San Francisco; Santiago; Sao Paulo; São Paulo;
    Sapporo; Seattle; Seoul; Shanghai; Shenzhen; Stockholm; Sydney; Taipei; Tashkent;
    Tehran; Tel Aviv; Tianjin; Tokyo; Toronto; Vancouver; Vienna; Warsaw; Washington;
    Wellington; Wuhan; Yangon; Yokohama; Zurich
    """
)

# US state abbreviations in news style ("Phoenix, Ariz."): a name followed by a comma and one
# of these is a place.
US_STATE_ABBREVIATIONS = _words(
    """Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Ky. La. Md. Mass. Mich.
    Minn. Miss. Mo. Mont. Neb. Nev. N.H. N.J. N.M. N.Y. N.C. N.D. Okla. Ore. Pa. R.I. S.C. S.D.
    Tenn. Vt. Va. Wash. W.Va. Wis. Wyo. D.C."""
)
