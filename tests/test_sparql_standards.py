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
