"""Word lists for the material grammar: ``<modifier>* <head>``.

General chemistry and industry vocabulary, not the words of any one article. A *head* ends a
material name; a *standalone* head is a material on its own ("photoresist", "graphite"), a
*dependent* head needs a chemical modifier before it ("hydrogen fluoride", not "fluoride" in
"fluoride toothpaste" — that one still passes, "gas" alone does not).

Beyond chemistry: ores, industrial minerals, fuels and drug substances (what an affair about
trade, mining, energy or a recall is about), recognised by word lists of general vocabulary
and by the morphology of drug and compound names. Food and manufactured goods are not
materials.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ELEMENTS = _words(
    """
    hydrogen helium lithium beryllium boron carbon nitrogen oxygen fluorine neon sodium
    magnesium aluminium aluminum silicon phosphorus sulfur sulphur chlorine argon potassium
    calcium scandium titanium vanadium chromium manganese iron cobalt nickel copper zinc gallium
    germanium arsenic selenium bromine krypton rubidium strontium yttrium zirconium niobium
    molybdenum technetium ruthenium rhodium palladium silver cadmium indium tin antimony
    tellurium iodine xenon caesium cesium barium lanthanum cerium praseodymium neodymium
    promethium samarium europium gadolinium terbium dysprosium holmium erbium thulium
    ytterbium lutetium hafnium tantalum tungsten rhenium osmium iridium platinum gold mercury
    thallium lead bismuth polonium radon radium actinium thorium uranium plutonium
    """
)

# Ions, radicals and derivational forms that modify a head: "fluorinated polyimide",
# "fluoro polymer", "sulfuric acid", "ferric chloride", "ammonium nitrate".
CHEMICAL_MODIFIERS = _words(
    """
    fluorinated fluoro chlorinated brominated iodinated hydrogenated sulfonated nitrated
    oxidized oxidised hydrated anhydrous ammonium sulfuric sulphuric nitric hydrochloric
    hydrofluoric phosphoric acetic citric carbonic boric formic lactic ferric ferrous cupric
    cuprous stannic mercuric chromic methyl ethyl propyl butyl vinyl phenyl benzyl acetyl
    polyvinyl poly mono di tri tetra penta hexa dioxide monoxide trioxide tetrafluoride
    hexafluoride trifluoride trichloride tetrachloride organic inorganic liquid gaseous
    crystalline amorphous monocrystalline polycrystalline isotopic enriched depleted
    rare-earth rare earth caustic molten phenolic acrylic
    """
)

# Grade and purity words that may lead a material name but never make one alone.
GRADE_MODIFIERS = _words(
    """
    high-purity ultra-high-purity ultrapure ultra-pure high-grade semiconductor-grade
    electronic-grade industrial-grade weapons-grade food-grade pharmaceutical-grade
    pure purified refined raw synthetic natural compressed liquefied highly ultra high low
    purity grade
    """
)

# Heads that name a material on their own.
STANDALONE_HEADS = _words(
    """
    photoresist photoresists polyimide polyimides polyimid polyethylene polypropylene
    polystyrene polycarbonate polyester polyurethane polysilicon polymer polymers epoxy
    graphite graphene ammonia methane ethane propane butane ethylene propylene benzene
    toluene xylene acetone methanol ethanol glycol sarin soman tabun novichok ricin anthrax
    chlorine fluorine bromine iodine phosgene mustard-gas silane arsine phosphine germane
    diborane tungsten cobalt lithium nickel copper aluminium aluminum titanium uranium
    plutonium steel concrete cement asphalt bitumen kerosene naphtha diesel gasoline petrol
    hydrazine nitroglycerin tnt dynamite plutonium-239 uranium-235 silicone silica alumina
    zirconia ceria yttria sapphire quartz cobalt-60 helium neon argon krypton xenon
    """
)

# Heads that need a chemical modifier (element, ion, or chemical adjective) before them.
DEPENDENT_HEADS = _words(
    """
    fluoride fluorides chloride chlorides bromide iodide oxide oxides dioxide monoxide
    trioxide hydroxide peroxide sulfide sulphide sulfate sulphate sulfite nitrate nitrite
    nitride carbide carbonate bicarbonate phosphate phosphide silicate arsenide cyanide
    acetate hydride fluoride-based acid acids gas gases resin resins polymer ester alloy
    alloys salt salts film films wafer wafers ore concentrate magnet magnets hexafluoride
    tetrafluoride trifluoride trichloride tetrachloride
    """
)

# A dependent head may also follow these nouns: "silicon wafer", "epoxy resin",
# "photoresist film", "lithium-ion battery" is a product, not a material, so stays out.
MATERIAL_NOUN_MODIFIERS = STANDALONE_HEADS | ELEMENTS

# Words that look like heads but stop the grammar: generic nouns.
GENERIC_WORDS = _words(
    """
    chemical chemicals material materials product products item items substance substances
    good goods component components part parts
    """
)

# Nouns naming the form a material is sold in; a compound ending in one of them after a
# material is still that material: "epoxy moulding compound", "silica filler", "graphite
# anode material". Products made of a material ("steel plant", "lithium battery") stay out.
MATERIAL_FORM_HEADS = _words(
    """
    compound compounds filler fillers material materials powder powders paste pastes coating
    coatings fibre fibres fiber fibers foam foams adhesive adhesives pellet pellets granules
    sheet sheets slurry slurries precursor precursors substrate substrates
    """
)

# -- commodities, minerals, fuels and drug substances ----------------------------------------

# Heads that name a traded substance on their own: ores and industrial minerals, fuels, and
# drug substances whose names do not follow an INN stem. Food and manufactured goods are not
# materials ("wheat", "chips", "vaccines"): what an affair is about, chemically.
COMMODITY_HEADS = _words(
    """
    bauxite spodumene ilmenite rutile zircon monazite cassiterite chalcopyrite magnetite
    hematite haematite coltan petalite lepidolite kaolin bentonite barite baryte fluorspar
    fluorite gypsum limestone dolomite talc feldspar asbestos trona phosphorite pyrite galena
    sphalerite chromite wolframite scheelite vermiculite perlite diatomite potash lignite
    anthracite coal urea yellowcake ferrochrome ferronickel ferromanganese ferrosilicon
    ferroalloys biodiesel bioethanol kerosine gasoil gas-oil
    aspirin paracetamol acetaminophen insulin morphine heroin cocaine methamphetamine
    amphetamine ketamine methadone penicillin warfarin thalidomide opium nicotine caffeine
    fentanyl carfentanil xylazine glyphosate atrazine paraquat chlorpyrifos neonicotinoids
    tramadol codeine naloxone buprenorphine naproxen diazepam nylon semtex charcoal
    biofuel biofuels tritium deuterium
    """
)

# Commodity words that are also everyday words ("gas station", "Oil Ministry", "crude
# remarks"): materials only where the sentence trades, makes or prices them.
CONTEXT_HEADS = _words("oil gas petroleum crude")

# Several words naming one substance; the first words alone are not one ("natural" gas).
MULTIWORD_MATERIALS = frozenset(
    tuple(line.split())
    for line in """
    crude oil
    fuel oil
    heating oil
    shale oil
    gas oil
    jet fuel
    bunker fuel
    diesel fuel
    marine fuel
    aviation fuel
    natural gas
    shale gas
    liquefied natural gas
    liquefied petroleum gas
    liquified natural gas
    liquified petroleum gas
    compressed natural gas
    natural gas liquids
    coking coal
    thermal coal
    metallurgical coal
    steam coal
    pig iron
    crude steel
    stainless steel
    scrap steel
    steel scrap
    scrap metal
    rare earths
    rare earth elements
    soda ash
    caustic soda
    heavy water
    tear gas
    mustard gas
    nerve agent
    bleaching powder
    natural rubber
    synthetic rubber
    """.strip().splitlines()
)

# Well-known abbreviations of substances, used alone in news text.
MATERIAL_ACRONYMS = {
    "LNG": "liquefied natural gas",
    "LPG": "liquefied petroleum gas",
    "CNG": "compressed natural gas",
    "PVC": "polyvinyl chloride",
    "PFAS": "PFAS",
    "DDT": "DDT",
    "CFCs": "CFCs",
    "HFCs": "HFCs",
    "PFOA": "PFOA",
    "PFOS": "PFOS",
    "PTFE": "PTFE",
    "RDX": "RDX",
    "PETN": "PETN",
}

# What a bare commodity word stands for in the trade ("barrels of crude").
MATERIAL_SYNONYMS = {"crude": "crude oil"}

# Nouns after "ore" that name the form it is shipped in: "iron ore fines", "lump ore".
ORE_FORMS = _words("fines lumps lump pellets concentrate concentrates")

# International Nonproprietary Name stems of drug substances (WHO), as word endings:
# "valsartan", "lisinopril", "atenolol", "adalimumab", "remdesivir", "atorvastatin",
# "omeprazole", "imatinib", "ciprofloxacin", ...; each ending needs letters before it.
DRUG_ENDINGS = (
    r"[a-z]{2,}(?:sartan|[a-z]pril|olol|[a-z]mab|[a-z]{2}vir|mycin|micin|cillin|[a-z]statin"
    r"|[a-z]azole|tinib|[a-z]{2}anib|ciclib|parib|dipine|oxacin|cycline|profen|triptan|tidine"
    r"|setron|gliptin|gliflozin|parin|azepam|azolam|oxetine|platin|taxel|rubicin|formin"
    r"|[a-z]caine|fentanil|codone|morphone|barbital|lukast|dronate|semide|thiazide|glutide"
    r"|mectin|[a-z]oquine|methasone|olone|nisone|lamide|glitazone|afil|tadine|pramine"
    r"|triptyline|peridol|apine|idone|patide|reotide|pressin)"
)

# Systematic names of organic compounds: a substituent morpheme inside, a class ending at
# the end ("dimethylformamide", "nitrosodiethylamine", "trichloroethylene").
CHEMICAL_NAME = (
    r"[a-z]*(?:methyl|ethyl|propyl|butyl|phenyl|benzyl|acetyl|nitroso|chloro|fluoro|bromo"
    r"|hydroxy|amino|cyano|carboxy|sulfon|sulphon|phospho|benz|tolu)[a-z]*"
    r"(?:ane|ene|yne|ol|ide|ate|ite|ine|amine|amide|one|ose|in)"
)
