"""The ontology is OWL 2 DL, alone and with the facts, and a DL reasoner accepts it.

Checked with the OWL API's OWL 2 DL profile checker and HermiT (``tests/owl_api.py``):
every term the ontology or the facts use is declared once as what it is (a class, an
object, datatype or annotation property), no IRI is punned between property kinds, and
HermiT finds the whole consistent with no unsatisfiable class. The checks take every
term, so a term added later is checked too.
"""

from __future__ import annotations

import owl_api
import pytest

from kg import store as st
from kg.namespace import GRAPH_FACTS, GRAPH_ONTOLOGY

pytestmark = pytest.mark.e2e

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Years, dates and durations in the data are typed xsd:gYear, xsd:gYearMonth, xsd:date
#: and xsd:duration (the project's convention; the SHACL shapes check years). OWL 2's
#: datatype map has none of them, so the ontology's ranges say rdfs:Literal and only
#: data values carry them.
DATA_ONLY_DATATYPES = {XSD + "gYear", XSD + "gYearMonth", XSD + "date", XSD + "duration"}


@pytest.fixture(scope="module")
def ontology(store, tmp_path_factory):
    path = tmp_path_factory.mktemp("owl") / "ontology.nt"
    with path.open("wb") as f:
        st.dump(store, f, "nt", GRAPH_ONTOLOGY)
    return owl_api.load(path)


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: The per-statement provenance is RDF reification (an rdf:Statement naming a triple,
#: with its source: queries/evidence/triple.rq). OWL gives reification no meaning and OWL
#: 2 DL forbids its reserved terms, so these four properties are left out of the check;
#: everything else said about the statement nodes (their sources) stays in.
REIFICATION = {RDF + "subject", RDF + "predicate", RDF + "object"}


def without_reification(quads):
    """The triples of ``quads`` minus RDF reification's own."""
    quads = list(quads)
    statements = {q.subject for q in quads
                  if q.predicate.value == RDF + "type" and q.object.value == RDF + "Statement"}
    return [q.triple for q in quads
            if not (q.subject in statements and (q.predicate.value in REIFICATION or (
                q.predicate.value == RDF + "type" and q.object.value == RDF + "Statement")))]


@pytest.fixture(scope="module")
def ontology_and_facts(store, tmp_path_factory):
    """The ontology with the facts (the reference data included, no inferences), the
    reification of single triples left out (:data:`REIFICATION`)."""
    path = tmp_path_factory.mktemp("owl") / "ontology-and-facts.nt"
    with path.open("wb") as f:
        st.dump(store, f, "nt", GRAPH_ONTOLOGY)
        f.write(st.serialize_triples(without_reification(st.quads_of_graph(store, GRAPH_FACTS)),
                                     st.RdfFormat.N_TRIPLES))
    return owl_api.load(path)


def test_the_ontology_is_in_the_owl2_dl_profile(ontology):
    assert owl_api.dl_profile_violations(ontology) == []
    assert owl_api.unknown_datatypes(ontology) == []


def test_the_ontology_with_the_facts_is_in_the_owl2_dl_profile(ontology_and_facts):
    assert ontology_and_facts.getAxiomCount() > 3000  # the facts were read
    assert owl_api.dl_profile_violations(ontology_and_facts) == []
    # Outside the datatype map: only the years and dates of data values.
    for found in owl_api.unknown_datatypes(ontology_and_facts):
        datatype, _, axiom = found.partition(" in ")
        assert datatype in DATA_ONLY_DATATYPES and axiom.startswith("DataPropertyAssertion("), \
            found


def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(ontology):
    # Strict: HermiT refuses a datatype outside the OWL 2 datatype map.
    assert owl_api.reason(ontology) == owl_api.Reasoning(consistent=True, unsatisfiable=[])


def test_hermit_finds_the_ontology_and_facts_consistent(ontology_and_facts):
    # The data's xsd:gYear and xsd:date values are outside HermiT's datatypes: it leaves
    # those values out (the ontology's own axioms were checked strictly above).
    verdict = owl_api.reason(ontology_and_facts, ignore_unsupported_datatypes=True)
    assert verdict == owl_api.Reasoning(consistent=True, unsatisfiable=[])
