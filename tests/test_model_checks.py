"""The model keeps its own standards: PROV activities are not entities, country IRIs are
ISO 3166-1 alpha-3 codes, units are QUDT IRIs, every claim, statement and observation has an
English and a Korean label, and SHACL has a shape for every class of the ontology."""

from __future__ import annotations

import pycountry
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg import store as st
from kg.build import ONTOLOGY, SHAPES
from kg.namespace import BASE
from kg.namespace import ONTOLOGY as KRM
from kg.validate import validate

PROV = "http://www.w3.org/ns/prov#"


def select(store, sparql: str) -> list[dict]:
    return list(st.rows(st.query(store, sparql)))


def test_no_node_is_both_a_prov_activity_and_a_prov_entity(store):
    both = select(store, f"""SELECT ?x WHERE {{ ?x a <{PROV}Activity> , <{PROV}Entity> }}""")
    assert not both
    activities = select(store, f"SELECT ?x WHERE {{ ?x a <{PROV}Activity> }}")
    assert len(activities) >= 7  # events, the survey, the designation


def test_shacl_rejects_an_activity_derived_from_a_source():
    """The shapes catch what the data above avoids: wasDerivedFrom makes an activity an entity."""
    onto = rdflib.Graph().parse(ONTOLOGY, format="turtle", publicID=BASE)
    bad = rdflib.Graph().parse(data=f"""
        @prefix krm: <{KRM}> . @prefix prov: <{PROV}> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <{BASE}id/event/x> a krm:Event , prov:Entity ; rdfs:label "x"@en , "엑스"@ko ;
            prov:wasDerivedFrom <https://example.org/page> .""", format="turtle")
    violations = validate((onto + bad).serialize(format="nt", encoding="utf-8"), SHAPES)
    messages = " ".join(v.message for v in violations if v.focus.endswith("event/x"))
    assert "krm:describedBy" in messages
    assert any(v.path is None or "wasDerivedFrom" in (v.path or "") for v in violations)


def test_country_iris_are_iso_alpha_3(store):
    rows = select(store, f"""SELECT ?c ?a3 WHERE {{
        ?c a <{KRM}Country> OPTIONAL {{ ?c <{KRM}alpha3> ?a3 }} }}""")
    assert rows
    for r in rows:
        slug = r["c"].rsplit("/", 1)[1]
        assert r["c"] == f"{BASE}id/country/{slug}"
        assert slug == r["a3"] and pycountry.countries.get(alpha_3=slug), r["c"]


def test_the_eu_is_not_a_country(store):
    rows = select(store, f"SELECT ?t WHERE {{ <{BASE}id/org/eu> a ?t }}")
    types = {r["t"] for r in rows}
    assert KRM + "IntergovernmentalOrganisation" in types and KRM + "Country" not in types


def test_units_are_qudt_iris_and_no_unit_is_text(store):
    rows = select(store, """SELECT ?x ?u WHERE {
        ?x <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> ?u }""")
    assert len(rows) >= 25
    assert all(r["u"].startswith(("http://qudt.org/vocab/unit/", "http://qudt.org/vocab/currency/"))
               for r in rows)
    assert not select(store, f"SELECT ?x WHERE {{ ?x <{KRM}unit> ?u }}")


def test_every_amount_has_a_unit(store):
    rows = select(store, f"""SELECT ?x WHERE {{
        VALUES ?p {{ <{KRM}productionAmount> <{KRM}capacityAmount> <{KRM}targetValue> }}
        ?x ?p ?v FILTER NOT EXISTS {{
          ?x <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> ?u }} }}""")
    assert not rows


def test_ratios_are_percent(store):
    rows = select(store, f"""SELECT ?p ?v WHERE {{
        VALUES ?p {{ <{KRM}sharePercent> <{KRM}importDependencePercent>
                    <{KRM}smallEnterprisePercent> <{KRM}ratioToImportsPercent> }}
        ?x ?p ?v }}""")
    assert rows and all(0 <= float(r["v"]) <= 100 for r in rows)
    assert any(r["p"].endswith("ratioToImportsPercent") and float(r["v"]) == 10 for r in rows)


def test_every_claim_statement_and_observation_has_an_english_and_a_korean_label(store):
    rows = select(store, f"""SELECT ?x (GROUP_CONCAT(DISTINCT lang(?l)) AS ?langs) WHERE {{
        VALUES ?c {{ <{KRM}Claim> <{KRM}ListSize> <{KRM}ProductionShare> <{KRM}Target>
                    <{KRM}Capacity> <{KRM}Impact> <{KRM}ActionStatement> <{KRM}MarketRole> }}
        ?x a ?c . OPTIONAL {{ ?x <{RDFS}label> ?l }} }} GROUP BY ?x""")
    assert len(rows) > 100  # the query found them (the paper's and the lists' sizes)
    lacking = [r["x"] for r in rows if not {"en", "ko"} <= set(r["langs"].split())]
    assert not lacking, lacking[:5]


def test_every_minted_claim_statement_and_observation_iri_has_a_korean_label(store):
    """Whatever its class: every resource under id/claim/, id/statement/, id/observation/
    and id/supply/ is labelled in Korean too."""
    rows = select(store, f"""SELECT DISTINCT ?x WHERE {{
        GRAPH <{BASE}graph/facts> {{ ?x ?p ?o }}
        FILTER(REGEX(STR(?x), "^{BASE}id/(claim|statement|observation|supply)/"))
        FILTER NOT EXISTS {{ ?x <{RDFS}label> ?l FILTER(lang(?l) = "ko") }} }}""")
    assert not rows, [r["x"] for r in rows][:5]


def test_korean_translations_are_marked_as_such(store):
    translated = select(store, f"SELECT ?x ?l WHERE {{ ?x <{KRM}translatedLabel> ?l }}")
    assert len(translated) > 150 and all(r["l"] for r in translated)
    # A sourced official name stays a plain label: the centre's name is not a translation.
    centre = select(store, f"""SELECT ?l WHERE {{
        <{BASE}id/org/national-rare-metal-center> <{KRM}translatedLabel> ?l }}""")
    assert not centre


def test_shacl_has_a_shape_for_every_class():
    onto = rdflib.Graph().parse(ONTOLOGY, format="turtle", publicID=BASE)
    shapes = rdflib.Graph().parse(SHAPES, format="turtle", publicID=BASE)
    targeted = set(shapes.objects(None, SH.targetClass))
    classes = {c for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(KRM)}
    uncovered = []
    for c in classes:
        supers = set(onto.transitive_objects(c, RDFS.subClassOf))
        if not supers & targeted:
            uncovered.append(str(c))
    assert not uncovered, f"classes no SHACL shape targets: {sorted(uncovered)}"
