"""What clients of the field send and expect of the SPARQL protocol (issue 13), in process
with the Flask test client over the real built store."""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest

from kg.namespace import GRAPH_ONTOLOGY
from server import create_app

JSON = "application/sparql-results+json"
COUNT = "SELECT (COUNT(*) AS ?n) {from} {{ ?s ?p ?o }}"
CONSTRUCT = "CONSTRUCT WHERE { ?s a <http://www.w3.org/2002/07/owl#Class> }"
TOKEN = "standards-token"


@pytest.fixture(scope="module")
def app(store_link):
    app = create_app({"STORE": str(store_link)})
    yield app
    from server.db import get_backend

    get_backend(app).close()


@pytest.fixture
def client(app):
    return app.test_client()


def count(client, query: str, **params) -> int:
    r = client.get("/sparql", query_string={"query": query, **params},
                   headers={"Accept": JSON})
    assert r.status_code == 200, r.get_data(as_text=True)
    return int(r.get_json()["results"]["bindings"][0]["n"]["value"])


def test_from_chooses_the_default_graph(client):
    everything = count(client, COUNT.format(**{"from": ""}))
    ontology = count(client, COUNT.format(**{"from": f"FROM <{GRAPH_ONTOLOGY}>"}))
    assert ontology == count(client, COUNT.format(**{"from": ""}),
                             **{"default-graph-uri": GRAPH_ONTOLOGY})
    assert 0 < ontology < everything
    assert count(client, COUNT.format(**{"from": "FROM <urn:nothing>"})) == 0
    assert count(client, COUNT.format(**{"from": f"FROM NAMED <{GRAPH_ONTOLOGY}>"})) == 0


def test_the_union_default_graph_holds_each_triple_once(client):
    """A triple held in two graphs counts once in the default graph (an RDF merge)."""
    distinct = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
    assert count(client, COUNT.format(**{"from": ""})) == count(client, distinct)


def test_relative_iris_resolve_against_the_service(client):
    r = client.get("/sparql", query_string={"query": "SELECT (<rel> AS ?x) {}"},
                   headers={"Accept": JSON})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["results"]["bindings"][0]["x"]["value"] == "http://localhost/rel"


def test_a_body_not_in_utf8_is_400(client):
    r = client.post("/sparql", data="ASK {}".encode("utf-16"),
                    headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert r.status_code == 400 and "UTF-8" in r.get_data(as_text=True)
    r = client.post("/sparql", data=b"ASK { ?s ?p \"\xff\" }",
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_a_parameter_not_in_utf8_is_400(client):
    r = client.get("/sparql?query=ASK%20%7B%20?s%20?p%20%22%FF%22%20%7D")
    assert r.status_code == 400 and "UTF-8" in r.get_data(as_text=True)
    r = client.post("/sparql", data=b"query=ASK%20%7B%20?s%20?p%20%22%FF%22%20%7D",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400
    ok = client.get("/sparql?query=" + quote('ASK { ?s ?p "한국" }'), headers={"Accept": JSON})
    assert ok.status_code == 200


@pytest.mark.parametrize("path,query", [("/sparql", CONSTRUCT), ("/sparql/graph?default", None)])
def test_accept_with_a_charset_parameter(client, path, query):
    r = client.get(path, query_string={"query": query} if query else None,
                   headers={"Accept": "text/turtle; charset=utf-8"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "text/turtle"


@pytest.mark.parametrize("name", ["rdf+xml", "rdf xml", "turtle", "json-ld", "n3"])
def test_format_names_clients_send(client, name):
    r = client.get("/sparql", query_string={"query": CONSTRUCT, "format": name})
    assert r.status_code == 200, r.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/sparql", "/sparql/graph", "/api/queries", "/"])
def test_trace_is_405_with_allow(client, path):
    r = client.open(path, method="TRACE")
    assert r.status_code == 405
    assert "GET" in r.headers.get("Allow", "")


@pytest.fixture(scope="module")
def writable(store_link, tmp_path_factory):
    copy = tmp_path_factory.mktemp("standards") / "store"
    shutil.copytree(store_link.resolve(), copy)
    app = create_app({"STORE": str(copy), "SPARQL_UPDATE_TOKEN": TOKEN})
    yield app.test_client()
    from server.db import get_backend

    get_backend(app).close()


def test_an_update_not_in_utf8_is_400(writable):
    r = writable.post("/sparql/update", data="CLEAR ALL".encode("utf-16"),
                      headers={"Authorization": f"Bearer {TOKEN}",
                               "Content-Type": "application/sparql-update; charset=UTF-16"})
    assert r.status_code == 400 and "UTF-8" in r.get_data(as_text=True)


def test_relative_iris_in_an_update(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writable.post("/sparql/update", headers=auth, data={
        "update": "INSERT DATA { GRAPH <urn:g> { <x> <y> 'z' } }"})
    assert r.status_code == 204, r.get_data(as_text=True)
    r = writable.get("/sparql", headers={"Accept": JSON}, query_string={
        "query": "ASK { GRAPH <urn:g> { <http://localhost/x> <http://localhost/y> 'z' } }"})
    assert r.get_json()["boolean"] is True


def update(client, text: str, **params):
    return client.post("/sparql/update", data={"update": text, **params},
                       headers={"Authorization": f"Bearer {TOKEN}"})


def subjects(client, query: str) -> set[str]:
    r = client.get("/sparql", headers={"Accept": JSON}, query_string={"query": query})
    return {b["s"]["value"] for b in r.get_json()["results"]["bindings"]}


def test_using_graph_uri_sets_the_dataset_of_an_update(writable):
    r = update(writable, "INSERT DATA { GRAPH <urn:u1> { <urn:a> <urn:p> 1 } "
                         "GRAPH <urn:u2> { <urn:b> <urn:p> 2 } }")
    assert r.status_code == 204, r.get_data(as_text=True)
    copy = "INSERT { GRAPH <urn:out> { ?s <urn:seen> ?o } } WHERE { ?s <urn:p> ?o }"
    assert update(writable, copy, **{"using-graph-uri": "urn:u1"}).status_code == 204
    assert subjects(writable, "SELECT ?s { GRAPH <urn:out> { ?s ?p ?o } }") == {"urn:a"}
    named = "INSERT { GRAPH <urn:out2> { ?s <urn:in> ?g } } WHERE { GRAPH ?g { ?s <urn:p> ?o } }"
    assert update(writable, named, **{"using-named-graph-uri": "urn:u2"}).status_code == 204
    assert subjects(writable, "SELECT ?s { GRAPH <urn:out2> { ?s ?p ?o } }") == {"urn:b"}
    # DELETE WHERE matches in the given dataset; it deletes from the default graph, which
    # does not hold the triple, so urn:u1 keeps it.
    gone = "DELETE WHERE { <urn:a> <urn:p> ?o }"
    assert update(writable, gone, **{"using-graph-uri": "urn:u1"}).status_code == 204
    assert subjects(writable, "SELECT ?s { GRAPH <urn:u1> { ?s ?p ?o } }") == {"urn:a"}


@pytest.mark.parametrize("text", [
    "INSERT { GRAPH <urn:x> { ?s ?p ?o } } USING <urn:u2> WHERE { ?s ?p ?o }",
    "WITH <urn:u2> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"])
def test_using_graph_uri_with_a_dataset_in_the_text_is_400(writable, text):
    r = update(writable, text, **{"using-graph-uri": "urn:u1"})
    assert r.status_code == 400
    assert "using-graph-uri" in r.get_data(as_text=True)


TTL = "text/turtle"
G = "urn:krm:test:gsp"


def graph(client, **params):
    return client.get("/sparql/graph", query_string=params,
                      headers={"Accept": "application/n-triples"})


def test_graph_store_writes_need_the_token(writable, client):
    body = b"<urn:s> <urn:p> 1 ."
    assert writable.put("/sparql/graph", query_string={"graph": G}, data=body,
                        headers={"Content-Type": TTL}).status_code == 401
    assert client.put("/sparql/graph", query_string={"graph": G}, data=body,
                      headers={"Content-Type": TTL}).status_code == 403


def test_graph_store_put_post_delete(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writable.put("/sparql/graph", query_string={"graph": G}, data=b"<urn:s> <urn:p> 1 .",
                     headers={**auth, "Content-Type": TTL})
    assert r.status_code == 201, r.get_data(as_text=True)
    r = writable.put("/sparql/graph", query_string={"graph": G}, data=b"<urn:s> <urn:p> 2 .",
                     headers={**auth, "Content-Type": TTL})
    assert r.status_code == 204  # replaced
    r = writable.post("/sparql/graph", query_string={"graph": G},
                      data=b'<urn:s> <urn:q> "x" .', headers={**auth, "Content-Type": TTL})
    assert r.status_code == 204  # merged
    lines = sorted(graph(writable, graph=G).get_data(as_text=True).strip().splitlines())
    assert lines == ['<urn:s> <urn:p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                     '<urn:s> <urn:q> "x" .']
    head = writable.head("/sparql/graph", query_string={"graph": G}, headers={"Accept": TTL})
    assert head.status_code == 200 and head.mimetype == TTL
    assert writable.delete("/sparql/graph", query_string={"graph": G},
                           headers=auth).status_code == 204
    assert graph(writable, graph=G).status_code == 404
    assert writable.delete("/sparql/graph", query_string={"graph": G},
                           headers=auth).status_code == 404
    bad = writable.put("/sparql/graph", query_string={"graph": G}, data=b"<oops",
                       headers={**auth, "Content-Type": TTL})
    assert bad.status_code == 400
    wrong = writable.put("/sparql/graph", query_string={"graph": G}, data=b"x",
                         headers={**auth, "Content-Type": "image/png"})
    assert wrong.status_code == 415


def test_graph_store_post_to_the_store_and_multipart(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writable.post("/sparql/graph", data=b"<urn:a> <urn:b> <urn:c> .",
                      headers={**auth, "Content-Type": "application/n-triples"})
    assert r.status_code == 201
    made = r.headers["Location"]
    assert graph(writable, graph=made).get_data(as_text=True).strip() == \
        "<urn:a> <urn:b> <urn:c> ."
    import io

    r = writable.post("/sparql/graph", query_string={"graph": made}, headers=auth, data={
        "one": (io.BytesIO(b"<urn:a> <urn:b> <urn:d> ."), "one.ttl", TTL),
        "two": (io.BytesIO(b"<urn:a> <urn:b> <urn:e> ."), "two.nt", "application/n-triples"),
    }, content_type="multipart/form-data")
    assert r.status_code == 204, r.get_data(as_text=True)
    assert len(graph(writable, graph=made).get_data(as_text=True).strip().splitlines()) == 3


def test_graph_store_direct_identification(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writable.put("/sparql/graph/mine", data=b"<urn:s> <urn:p> <urn:o> .",
                     headers={**auth, "Content-Type": TTL})
    assert r.status_code == 201
    r = writable.get("/sparql/graph/mine", headers={"Accept": "application/n-triples"})
    assert r.get_data(as_text=True).strip() == "<urn:s> <urn:p> <urn:o> ."
    r = graph(writable, graph="http://localhost/sparql/graph/mine")
    assert r.status_code == 200
