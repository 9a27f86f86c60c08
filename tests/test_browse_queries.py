"""Every browse query loads with a strict header and returns rows on the fixture graph
with its declared parameters bound."""

from __future__ import annotations

import pytest

from kg import describe as ds
from kg import queries as library
from kg import store as st
from kg.namespace import GRAPH_FACTS, GRAPH_ONTOLOGY

QUERIES = sorted(ds.QUERIES.glob("*.rq"))
BINDINGS = {"resource": "https://w3id.org/krm/id/element/W", "facts": GRAPH_FACTS,
            "class": "https://w3id.org/krm/ontology#ChemicalElement",
            "ontology": GRAPH_ONTOLOGY}
# Queries whose answer on the fixture graph needs another resource than tungsten.
RESOURCE = {"shares-via-group": {"resource": "https://w3id.org/krm/id/element/Nd"},
            "shares-as-producer": {"resource": "https://w3id.org/krm/id/country/CHN"},
            "fact-predicates": {"type": "https://w3id.org/krm/ontology#Designation"},
            "shares-listed": {"obs": "https://w3id.org/krm/id/observation/usgs-2022-chn-w",
                              "share": st.literal("84.3", datatype="decimal")}}


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_query_runs_with_its_declared_params(path, fixture_link):
    q = library.load(path)
    assert q.internal, "browse queries serve the pages; they stay out of the API"
    assert q.summary
    bindings = {**BINDINGS, **RESOURCE.get(path.stem, {})}
    terms = {p.name: bindings[p.name] if not isinstance(bindings[p.name], str)
             else st.NamedNode(bindings[p.name]) for p in q.params}
    results = list(q.run_terms(st.open_store(fixture_link), terms))
    assert results, f"{q.name} returned nothing on the fixture graph"
