"""Word lists for the material grammar: ``<modifier>* <head>``.

General chemistry and industry vocabulary, not the words of any one article. A *head* ends a
material name; a *standalone* head is a material on its own ("photoresist", "graphite"), a
*dependent* head needs a chemical modifier before it ("hydrogen fluoride", not "fluoride" in
"fluoride toothpaste" — that one still passes, "gas" alone does not).

Beyond chemistry: ores, industrial minerals, fuels and drug substances (what an affair about
trade, mining, energy or a recall is about), recognised by word lists of general vocabulary
and by the morphology of drug and compound names. Food and manufactured goods are not
materials.

The lists live in data files (``casedesk/extract/data/material_*.txt``), each with a header
stating what belongs; the morphology of drug and compound names is below.
"""

from __future__ import annotations

from casedesk.extract.lexicon import entries, table, words

ELEMENTS = words("material_elements")
CHEMICAL_MODIFIERS = words("material_chemical_modifiers")
GRADE_MODIFIERS = words("material_grades")
STANDALONE_HEADS = words("material_heads")
DEPENDENT_HEADS = words("material_dependent_heads")
# A dependent head may also follow these nouns: "silicon wafer", "epoxy resin".
MATERIAL_NOUN_MODIFIERS = STANDALONE_HEADS | ELEMENTS
GENERIC_WORDS = words("material_generic_words")
MATERIAL_FORM_HEADS = words("material_forms")
COMMODITY_HEADS = words("material_commodities")
CONTEXT_HEADS = words("material_context_heads")
MULTIWORD_MATERIALS = frozenset(tuple(e.split()) for e in entries("material_phrases"))
MATERIAL_ACRONYMS = table("material_acronyms")
MATERIAL_SYNONYMS = table("material_synonyms")
ORE_FORMS = words("material_ore_forms")

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
