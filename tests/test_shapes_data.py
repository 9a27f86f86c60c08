"""The shapes of the data's classes (ontology/shapes.ttl) accept a well-formed node and
name what is wrong with a broken one: data sets, observations of each structure, area
groups, codes, commodities, products and list entries."""

from __future__ import annotations

import re

import pytest

from kg.build import SHAPES
from kg.validate import validate

PREFIXES = """
@prefix krm: <https://w3id.org/krm/ontology#> .
@base <https://w3id.org/krm/> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sa: <http://purl.org/linked-data/sdmx/2009/attribute#> .
"""

CONTEXT = """
id:dataset/d a qb:DataSet ; rdfs:label "d" ; qb:structure krm:usgsWorldStructure ;
  prov:wasDerivedFrom <https://doi.org/10.5066/P144BA54> .
krm:usgsWorldStructure a qb:DataStructureDefinition .
id:scheme/s a skos:ConceptScheme .
id:statistic/production a krm:Statistic ; skos:prefLabel "production"@en ;
  skos:inScheme id:scheme/s .
id:form/f a krm:Form ; skos:prefLabel "Mine production"@en ; skos:inScheme id:scheme/s .
id:stage/ore a krm:ProductStage ; skos:prefLabel "ore"@en ; skos:inScheme id:scheme/s .
id:commodity/lithium a krm:Commodity ; skos:prefLabel "Lithium"@en ; skos:inScheme id:scheme/s ;
  prov:wasDerivedFrom <https://doi.org/10.5066/P144BA54> .
id:country/CHN a krm:Country , krm:Area ; rdfs:label "China"@en , "중국"@ko ;
  prov:wasDerivedFrom <https://cldr.unicode.org/> .
id:list/l a krm:MaterialList ; rdfs:label "l"@en , "l"@ko ; prov:wasDerivedFrom <https://x.org/> .
"""

GOOD = {
    "observation": """id:observation/o a qb:Observation ; qb:dataSet id:dataset/d ;
        krm:refArea id:country/CHN ; krm:commodity id:commodity/lithium ;
        krm:statistic id:statistic/production ; krm:form id:form/f ;
        krm:refYear "2023"^^xsd:gYear ; krm:obsValue 33000.0 ;
        sa:unitMeasure <http://qudt.org/vocab/unit/TONNE> ;
        krm:estimated true ; krm:sourceFile "f.csv" ; krm:sourceRow 3 .""",
    "product": """id:product/hs92/261100 a krm:Product ; skos:prefLabel "Tungsten ores"@en ;
        skos:inScheme id:scheme/s ; skos:notation "261100" ; krm:productStage id:stage/ore ;
        krm:containsElement id:element/W ; krm:matchedRule "hs_rules.csv:24" ;
        prov:wasDerivedFrom <https://x.org/> .""",
    "entry": """id:list-member/l/feldspar a krm:ListMember ; rdfs:label "feldspar" ;
        krm:memberOf id:list/l ; prov:wasDerivedFrom <https://x.org/> ; krm:confidence "verified" ;
        krm:sourceRow 5 ; krm:coversCommodity id:commodity/lithium .""",
    "area": """id:area/world a krm:AreaGroup ; rdfs:label "World"@en .""",
}

BROKEN = [
    ("observation", "sa:unitMeasure <http://qudt.org/vocab/unit/TONNE> ;",
     'sa:unitMeasure "t" ;', "unitMeasure"),
    ("observation", "krm:sourceRow 3 .", "krm:sourceRow 1 .", "sourceRow"),
    ("observation", 'krm:obsValue 33000.0 ;', 'krm:obsValue "W" ;', "obsValue"),
    ("product", 'skos:notation "261100"', 'skos:notation "2611"', "notation"),
    ("product", "krm:productStage id:stage/ore ;", "", "productStage"),
    ("entry", "prov:wasDerivedFrom <https://x.org/> ;", "", "wasDerivedFrom"),
    ("entry", "krm:coversCommodity id:commodity/lithium .", "krm:memberCategory \"x\" .", None),
    ("area", "a krm:AreaGroup ;", "a krm:AreaGroup , krm:Country ;", None),
]


def check(turtle: str):
    import rdflib

    text = re.sub(r"\bid:([\w/-]+)", r"<id/\1>", PREFIXES + CONTEXT + turtle)
    g = rdflib.Graph().parse(data=text, format="turtle")
    return validate(g.serialize(format="nt", encoding="utf-8"), SHAPES)


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_a_well_formed_node_conforms(kind):
    assert [v for v in check(GOOD[kind]) if v.severity == "Violation"] == []


@pytest.mark.parametrize("kind, old, new, path", BROKEN)
def test_a_broken_node_is_named(kind, old, new, path):
    assert old in GOOD[kind]
    violations = [v for v in check(GOOD[kind].replace(old, new)) if v.severity == "Violation"]
    assert violations, f"{kind}: {new!r} should violate a shape"
    if path:
        assert any(path in (v.path or "") for v in violations), violations
