"""The ontology parses, documents every term in English and Korean, and covers every
term the facts use (or the term comes from a standard vocabulary)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
import rdflib.namespace as rdfns
from rdflib.namespace import OWL, RDF, RDFS

from kg.build import FACTS, ONTOLOGY, SHAPES
from kg.namespace import BASE
from kg.namespace import ONTOLOGY as KRM

STANDARD = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/org#",
    "https://schema.org/",
    "http://data.europa.eu/eli/ontology#",
    "http://purl.org/linked-data/cube#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/oa#",
    "http://xmlns.com/foaf/0.1/",
    "http://purl.org/vocab/vann/",
)


def parse(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle", publicID=BASE)


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return parse(ONTOLOGY)


def terms(g: rdflib.Graph) -> set[rdflib.URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, rdflib.URIRef(
        "http://purl.org/linked-data/cube#DataSet"), rdflib.URIRef(
        "http://purl.org/linked-data/cube#DataStructureDefinition"))
    return {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(KRM)}


def test_ontology_has_version_and_header(onto):
    header = rdflib.URIRef(BASE + "ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    assert onto.value(header, OWL.versionInfo)
    version_iri = onto.value(header, OWL.versionIRI)
    assert str(version_iri).startswith(BASE + "ontology/")


def test_every_term_has_english_and_korean_label_and_comment(onto):
    found = terms(onto)
    assert len(found) > 50
    for term in found:
        langs = {lit.language for lit in onto.objects(term, RDFS.label)}
        assert {"en", "ko"} <= langs, f"{term} lacks an en or ko label"
        assert onto.value(term, RDFS.comment), f"{term} lacks an rdfs:comment"


def test_shapes_parse():
    assert len(parse(SHAPES)) > 50


def test_every_term_used_in_facts_is_declared_or_standard(onto):
    declared = set(onto.subjects())
    facts = rdflib.Graph()
    for f in sorted(FACTS.glob("*.ttl")):
        facts += parse(f)
    used = set(facts.predicates()) | set(facts.objects(None, RDF.type))
    undeclared = sorted(
        str(t) for t in used
        if not str(t).startswith(STANDARD) and t not in declared
    )
    assert not undeclared, f"terms neither in ontology/krm.ttl nor standard: {undeclared}"


CLOSED = (
    rdfns.RDF, rdfns.RDFS, rdfns.OWL, rdfns.SKOS, rdfns.PROV, rdfns.ORG, rdfns.SDO,
    rdfns.QB, rdfns.DCTERMS, rdfns.FOAF, rdfns.VANN,
)


@pytest.mark.parametrize("path", [ONTOLOGY, SHAPES, *sorted(FACTS.glob("*.ttl"))],
                         ids=lambda p: p.name)
def test_standard_terms_exist_in_their_vocabulary(path):
    """A typo in a standard term (prov:wasDerivedForm) passes the namespace check above;
    rdflib's closed namespaces know every term of these vocabularies."""
    g = parse(path)
    unknown = []
    for term in set(g.predicates()) | set(g.objects(None, RDF.type)):
        for ns in CLOSED:
            base = str(ns)
            if str(term).startswith(base):
                try:
                    ns[str(term)[len(base):]]
                except AttributeError:
                    unknown.append(str(term))
    assert not unknown, f"not terms of their vocabularies: {sorted(unknown)}"


def test_the_reused_terms_it_declares_are_not_listed_as_its_own(onto, store):
    """OWL 2 DL has the ontology declare the terms it reuses (skos:Concept is a class);
    its documentation page and the counts by class still list its own terms only."""
    from kg import queries
    from kg.namespace import GRAPH_ONTOLOGY

    assert (rdflib.URIRef(str(rdfns.SKOS) + "Concept"), RDF.type, OWL.Class) in onto
    library = queries.load_all()
    documented = library["browse/ontology-terms"].run(store, {"ontology": GRAPH_ONTOLOGY})
    listed = {row["term"].value for row in documented}
    assert len(listed) > 50 and all(term.startswith(KRM) for term in listed), listed
    counted = {row["class"].value for row in library["stats/counts-by-class"].run(store)}
    assert str(KRM) + "ChemicalElement" in counted
    assert all(c.startswith(KRM) for c in counted), counted
