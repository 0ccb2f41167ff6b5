"""Materials beyond the chemistry word list: fuels, ores, drug substances and systematic
chemical names, on sentences written for these tests, and how they resolve."""

from __future__ import annotations

from spacy.tokens import Doc

from casedesk.extract.entities import find_entities
from casedesk.extract.model import Mention
from casedesk.extract.nlp import parse
from casedesk.extract.resolve import EntityResolver, normalise_key
from casedesk.store import Case


def _materials(text: str) -> list[Mention]:
    return _materials_of(parse(text))


def _materials_of(doc: Doc) -> list[Mention]:
    return [m for m in find_entities(doc) if m.kind == "material"]


def _texts(text: str) -> list[str]:
    return [m.text for m in _materials(text)]


def test_fuels_of_several_words_and_bare_crude() -> None:
    text = (
        "The refiner said it would buy more crude oil and heating oil this winter. "
        "Kenya imports about 90,000 barrels of crude a day. The utility burns coal and "
        "compressed natural gas, and airlines asked for cheaper jet fuel."
    )
    assert _texts(text) == [
        "crude oil",
        "heating oil",
        "crude",
        "coal",
        "compressed natural gas",
        "jet fuel",
    ]


def test_oil_and_gas_are_materials_only_where_they_are_traded() -> None:
    traded = _texts(
        "Oman will export more gas next year. Oil prices fell after the meeting, and the "
        "country's exports of oil doubled."
    )
    assert [t.lower() for t in traded] == ["gas", "oil", "oil"]
    everyday = _texts(
        "A gas station near the Oil Ministry was closed. The oil company hired 40 people, "
        "and gas-fired plants ran all night. He made crude remarks about the plan."
    )
    assert everyday == []


def test_an_abbreviation_after_a_material_names_it_everywhere() -> None:
    text = (
        "Chile will import liquefied petroleum gas (LPG) from Peru. The first LPG tanker "
        "arrives in May. Inspectors found trichloroethylene (TCE) in the well; TCE is a "
        "solvent."
    )
    found = _materials(text)
    assert [(m.text, m.attrs.get("alias_of")) for m in found] == [
        ("liquefied petroleum gas", None),
        ("LPG", "liquefied petroleum gas"),
        ("LPG", "liquefied petroleum gas"),
        ("trichloroethylene", None),
        ("TCE", "trichloroethylene"),
        ("TCE", "trichloroethylene"),
    ]


def test_a_parenthesised_abbreviation_must_spell_the_material() -> None:
    found = _texts("Prices of nickel sulfate (Reuters) rose, traders said.")
    assert found == ["nickel sulfate"]


def test_ores_with_a_modifier_and_the_form_they_are_shipped_in() -> None:
    text = (
        "Miners ship magnetite ore and iron ore fines to Chinese mills. The royalty on "
        "bauxite rose, while ilmenite concentrate was exempt. More ore was mined."
    )
    assert _texts(text) == ["magnetite ore", "iron ore fines", "bauxite", "ilmenite concentrate"]


def test_drug_substances_by_their_stems() -> None:
    text = (
        "The regulator recalled lots of metoprolol and lisinopril tablets. Atorvastatin "
        "sales rose, and a trial of remdesivir and tocilizumab ended. Doctors still prescribe "
        "omeprazole. April sales were flat, and the pilot said the control panel failed."
    )
    found = _materials(text)
    assert [m.value for m in found] == [
        "metoprolol",
        "lisinopril",
        "atorvastatin",
        "remdesivir",
        "tocilizumab",
        "omeprazole",
    ]


def test_systematic_chemical_names_keep_their_locant() -> None:
    text = (
        "Tests found N-nitrosodimethylamine in the water. The plant used "
        "dimethylacetamide and methylene chloride as solvents."
    )
    assert _texts(text) == ["N-nitrosodimethylamine", "dimethylacetamide", "methylene chloride"]


def test_product_words_are_not_materials() -> None:
    text = (
        "Union leaders called the offer a bargaining chip. Shops sold wheat, vaccines and "
        "batteries. The oil painting was sold for 2 million dollars."
    )
    assert _texts(text) == []


def test_keys_join_spellings_and_forms_of_one_material() -> None:
    same = [
        ("sulphuric acid", "sulfuric acid"),
        ("aluminium", "aluminum"),
        ("LNG", "liquefied natural gas"),
        ("liquified natural gas", "liquefied natural gas"),
        ("crude", "crude oil"),
        ("Crude oil", "crude oil"),
        ("spodumene concentrate", "spodumene"),
        ("iron ore fines", "iron ore"),
        ("natural-gas", "natural gas"),
        ("Losartan", "losartan"),
        ("high-purity natural gas", "natural gas"),
    ]
    for a, b in same:
        assert normalise_key("material", a) == normalise_key("material", b), (a, b)


def test_keys_keep_look_alikes_apart() -> None:
    apart = [
        ("liquefied natural gas", "natural gas"),
        ("valsartan", "losartan"),
        ("N-nitrosodiethylamine", "N-nitrosodimethylamine"),
        ("lithium", "lithium hydroxide"),
        ("iron ore", "lump ore"),
        ("stainless steel", "steel"),
        ("natural rubber", "synthetic rubber"),
        ("hydrogen fluoride", "hydrogen chloride"),
    ]
    for a, b in apart:
        assert normalise_key("material", a) != normalise_key("material", b), (a, b)


def test_gold_and_tin_are_materials_where_traded_not_in_medals() -> None:
    assert [t.lower() for t in _texts("Gold prices rose. Peru exports copper and tin.")] == [
        "gold",
        "copper",
        "tin",
    ]
    assert _texts("She won a gold medal and will lead the team to iron out its problems.") == []


def test_magnets_of_a_rare_earth_are_a_material() -> None:
    assert _texts("Japan buys neodymium magnets from China; fridge magnets are cheap.") == [
        "neodymium magnets"
    ]


def test_crude_is_oil_before_a_trade_noun_and_an_adjective_elsewhere() -> None:
    assert [t.lower() for t in _texts("Crude exports fell. A crude device exploded.")] == ["crude"]


def test_a_substance_named_after_its_kind_is_found_again() -> None:
    text = (
        "Growers sprayed a herbicide, dicamba, on soybeans. Dicamba drift hurt orchards. "
        "The drug, police said, was hidden, and they seized the drug, cash, and guns."
    )
    assert [m.value for m in _materials(text)] == ["dicamba", "dicamba"]


def test_one_entity_per_material_across_articles(case: Case) -> None:
    first = parse(
        "Tankers carrying liquefied natural gas (LNG) and sulphuric acid were held. The "
        "impurity, N-nitrosodiethylamine (NDEA), was found in lots of valsartan."
    )
    second = parse(
        "LNG cargoes and sulfuric acid shipments resumed. Valsartan and losartan were "
        "recalled; natural gas and hydrogen chloride were not."
    )
    resolver = EntityResolver(case)
    by_doc = []
    with case.transaction():
        for n, doc in enumerate((first, second), 1):
            found = _materials_of(doc)
            ids = resolver.resolve(n, found)
            by_doc.append({m.text.lower(): ent for m, ent in zip(found, ids, strict=True)})
    a, b = by_doc
    assert a["lng"] == a["liquefied natural gas"] == b["lng"]
    assert a["sulphuric acid"] == b["sulfuric acid"]
    assert a["ndea"] == a["n-nitrosodiethylamine"]
    assert a["valsartan"] == b["valsartan"]
    apart = {b["natural gas"], b["lng"], b["losartan"], b["valsartan"], b["hydrogen chloride"]}
    assert len(apart) == 5
