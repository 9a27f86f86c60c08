"""Materialise the OWL RL inferences that queries need (a rare earth element is a
chemical element; a production share is a qb:Observation and a prov:Entity).

owlrl computes the full closure; only the entailments about the graph's own resources
are kept, so the inference graph holds what a query would miss, not the axiomatic noise
of OWL RL (owl:Thing for everything, reflexive sameAs and subclass triples).
"""

from __future__ import annotations

import owlrl
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.namespace import BASE

_NOISE_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}
_REFLEXIVE = {
    OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
    OWL.equivalentProperty,
}
_ID = BASE + "id/"


def infer(ontology_nt: bytes, facts_nt: bytes) -> bytes:
    """Entailed triples about the graph's resources, as N-Triples.

    ``owl:sameAs`` links to outside authorities are left out of the closure: following
    them would copy every fact onto the Wikidata IRIs.

    >>> K, T = "<https://w3id.org/krm/", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    >>> sub = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
    >>> onto = f"{K}ontology#R> {sub} {K}ontology#E> .".encode()
    >>> facts = f"{K}id/element/Nd> {T} {K}ontology#R> .".encode()
    >>> infer(onto, facts).decode().split()[2]
    '<https://w3id.org/krm/ontology#E>'
    """
    g = rdflib.Graph()
    g.parse(data=ontology_nt, format="nt")
    g.parse(data=facts_nt, format="nt")
    g -= ((None, OWL.sameAs, None),)
    asserted = set(g)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False).expand(g)
    kept = rdflib.Graph()
    for s, p, o in g:
        if (s, p, o) in asserted or not _about_our_resources(s, p, o):
            continue
        kept.add((s, p, o))
    return kept.serialize(format="nt", encoding="utf-8")


def _about_our_resources(s, p, o) -> bool:
    if not (isinstance(s, rdflib.URIRef) and str(s).startswith(_ID)):
        return False
    if p == OWL.sameAs or (p in _REFLEXIVE and s == o):
        return False
    return not (p == RDF.type and o in _NOISE_OBJECTS)
