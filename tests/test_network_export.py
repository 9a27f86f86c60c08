"""The network exports as other tools read them: GEXF valid against the GEXF 1.3 schema
(what Gephi reads), and Cytoscape JSON that ``networkx.cytoscape_graph`` reads back with
its attributes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
import xmlschema

from kg import store as st
from kg.network import export
from kg.network import graph as ng

SCHEMA = Path(__file__).parent / "data" / "vendor" / "gexf-1.3" / "gexf.xsd"


@pytest.fixture(scope="module")
def gexf_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


@pytest.fixture(scope="module", params=["network_link", "store_link"])
def network(request) -> nx.DiGraph:
    return ng.build_graph(st.open_store(request.getfixturevalue(request.param)))


def test_gexf_is_valid_gexf_1_3(network, gexf_schema):
    out = io.BytesIO()
    export.write(network, out, "gexf")
    errors = [f"{e.path}: {e.reason}" for e in gexf_schema.iter_errors(
        io.BytesIO(out.getvalue()))]
    assert errors == []
    root = gexf_schema.to_dict(io.BytesIO(out.getvalue()), validation="skip")
    assert root["@version"] == "1.3"
    back = nx.read_gexf(io.BytesIO(out.getvalue()))
    assert set(back.nodes) == set(network.nodes) and set(back.edges) == set(network.edges)


def test_cytoscape_json_round_trips_through_networkx(network):
    data = json.loads(json.dumps(export.cytoscape(network)))  # as a client receives it
    back = nx.cytoscape_graph(data)
    assert back.is_directed()
    assert set(back.nodes) == set(network.nodes)
    assert set(back.edges) == set(network.edges)
    for n, attrs in network.nodes(data=True):
        kept = {k: v for k, v in attrs.items() if v is not None}
        assert {k: back.nodes[n][k] for k in kept} == kept, n
    for u, v, attrs in network.edges(data=True):
        kept = {k: v for k, v in attrs.items() if v is not None}
        assert {k: back.edges[u, v][k] for k in kept} == kept, (u, v)
