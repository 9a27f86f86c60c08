"""A small store is served from a copy in memory (``STORE_IN_MEMORY_UP_TO``): it must
answer every query, page and document as the store on disk does."""

from __future__ import annotations

import pytest
import rdflib
import requests
from conftest import ROOT, start_server, stop_server
from rdflib.compare import isomorphic
from sparql_helpers import PLAIN_QUERIES, rows


@pytest.fixture(scope="module")
def on_disk(store_link):
    """``krm serve`` over the built graph, told never to copy it into memory."""
    proc, base = start_server(str(store_link), env={"KRM_STORE_IN_MEMORY_UP_TO": "0"})
    yield base
    stop_server(proc)


def test_the_built_graph_is_served_from_memory_unless_told_not_to(live_server, on_disk):
    memory, disk = (requests.get(b + "/healthz").json() for b in (live_server, on_disk))
    assert (memory["store"], disk["store"]) == ("memory", "disk")
    assert memory["graphs"] == disk["graphs"]


@pytest.mark.parametrize("path", PLAIN_QUERIES,
                         ids=lambda p: p.relative_to(ROOT / "queries").as_posix())
def test_named_queries_answer_as_on_disk(live_server, on_disk, path):
    query = path.read_text(encoding="utf-8")
    assert rows(live_server, query) == rows(on_disk, query)


@pytest.mark.parametrize("path", ["/id/element/W", "/id/country/CHN",
                                  "/id/claim/china-tungsten-share", "/ontology"])
def test_data_documents_hold_the_same_graph(live_server, on_disk, path):
    graphs = []
    for base in (live_server, on_disk):
        r = requests.get(base + path, headers={"Accept": "application/n-triples"})
        assert r.status_code == 200, (base, r.status_code)
        graphs.append(rdflib.Graph().parse(data=r.text, format="nt"))
    assert len(graphs[0]) > 0
    assert isomorphic(*graphs)


def test_pages_validate_against_their_own_copy(live_server, on_disk):
    """Unordered things may be listed in another order, so the copies' ETags differ, and
    each answers 304 to its own."""
    tags = [requests.get(b + "/id/element/W").headers["ETag"] for b in (live_server, on_disk)]
    assert tags[0] != tags[1]
    for base, tag in zip((live_server, on_disk), tags, strict=True):
        r = requests.get(base + "/id/element/W", headers={"If-None-Match": tag})
        assert r.status_code == 304
