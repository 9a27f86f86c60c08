"""Every browse query parses and runs on the fixture graph, binding what it declares."""

from __future__ import annotations

import re

import pytest

from kg import describe as ds
from kg import store as st
from kg.namespace import GRAPH_FACTS, GRAPH_ONTOLOGY

QUERIES = sorted(p.stem for p in ds.QUERIES.glob("*.rq"))
BINDINGS = {"resource": "https://w3id.org/krm/id/element/W", "facts": GRAPH_FACTS,
            "class": "https://w3id.org/krm/ontology#ChemicalElement",
            "ontology": GRAPH_ONTOLOGY}

# Queries whose answer on the fixture graph needs another resource than tungsten.
RESOURCE = {"shares-via-group": {"resource": "https://w3id.org/krm/id/element/Nd"},
            "shares-as-producer": {"resource": "https://w3id.org/krm/id/country/CHN"}}


@pytest.mark.parametrize("name", QUERIES)
def test_query_runs_with_its_declared_params(name, fixture_link):
    text = ds.load_query(name)
    header = [line for line in text.splitlines() if line.startswith("#+")]
    assert header and header[0].startswith("#+ summary: "), "needs a '#+ summary:' header"
    params = re.findall(r"^#\+   (\w+): IRI", text, re.M)
    for p in params:
        assert f"?{p}" in text, f"declared parameter ?{p} is not used"
    bindings = {**BINDINGS, **RESOURCE.get(name, {})}
    subs = {st.Variable(p): st.NamedNode(bindings[p]) for p in params}
    results = st.query(st.open_store(fixture_link), text, substitutions=subs)
    assert len(list(results)) > 0, f"{name} returned nothing on the fixture graph"
