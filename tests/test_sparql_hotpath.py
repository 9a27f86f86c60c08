"""Plain query requests are answered by a lean path in front of Flask
(``server/sparql/hotpath.py``), the others by the blueprint's view. Whichever path
answers, a client gets the same: the same status, media type, headers and body. A request
asking for compression is one the lean path leaves to Flask, so the same request with and
without ``Accept-Encoding: gzip`` takes one path each."""

from __future__ import annotations

import pytest
import rdflib
import requests
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.namespace import ONTOLOGY

ELEMENTS = (f"PREFIX krm: <{ONTOLOGY}> "
            "SELECT ?e ?symbol WHERE { ?e krm:symbol ?symbol } ORDER BY ?symbol")
POINT = "SELECT ?p ?o WHERE { <https://w3id.org/krm/id/element/W> ?p ?o }"
CONSTRUCT = f"CONSTRUCT WHERE {{ ?e <{ONTOLOGY}symbol> ?s }}"
ASK = f'ASK {{ ?e <{ONTOLOGY}symbol> "W" }}'
RDF_TYPES = ("text/turtle", "application/n-triples")


@pytest.fixture(scope="module")
def sparql(live_server) -> str:
    return live_server + "/sparql"


def send(url: str, how: str, query: str, headers: dict) -> requests.Response:
    if how == "get":
        return requests.get(url, params={"query": query}, headers=headers, timeout=30)
    if how == "form":
        return requests.post(url, data={"query": query}, headers=headers, timeout=30)
    return requests.post(url, data=query.encode(), timeout=30,
                         headers={**headers, "Content-Type": "application/sparql-query"})


def same_body(a: requests.Response, b: requests.Response) -> bool:
    kind = a.headers["Content-Type"].split(";")[0]
    if kind in RDF_TYPES:  # triples may come in any order
        graphs = [rdflib.Graph().parse(data=r.text, format=kind) for r in (a, b)]
        return len(graphs[0]) > 0 and isomorphic(*graphs)
    return a.content == b.content


@pytest.mark.parametrize("how", ["get", "form", "body"])
@pytest.mark.parametrize("query,accept", [
    (ELEMENTS, "application/sparql-results+json"),
    (ELEMENTS, "text/csv"),
    (POINT, "application/sparql-results+xml, application/sparql-results+json;q=0.5"),
    (ASK, "application/sparql-results+json"),
    (CONSTRUCT, "text/turtle"),
    (CONSTRUCT, "application/n-triples"),
    ("SELEKT nothing", "application/sparql-results+json"),      # 400
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "*/*"),  # 403
    (ELEMENTS, "image/png"),                                    # 406
])
def test_plain_and_compressed_requests_get_the_same_answer(sparql, how, query, accept):
    plain = send(sparql, how, query, {"Accept": accept, "Accept-Encoding": "identity"})
    other = send(sparql, how, query, {"Accept": accept, "Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert plain.status_code == other.status_code
    assert plain.headers["Content-Type"] == other.headers["Content-Type"]
    assert plain.headers.get("Access-Control-Allow-Origin") == \
        other.headers.get("Access-Control-Allow-Origin")
    if plain.ok:
        assert {"Accept", "Accept-Encoding"} <= {
            v.strip() for v in plain.headers["Vary"].split(",")}
        assert same_body(plain, other)
    else:
        assert plain.text == other.text


@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_the_query_text_arrives_whole(sparql, how):
    """Every character a client may encode or not (plus, percent, ampersand, equals,
    backslash, non-ASCII) reaches the engine as sent."""
    literal = 'a+b %41 %ZZ & = ; \\\\ \\" → 한국 \\u0041'  # SPARQL escapes: \\, \", \u
    r = send(sparql, how, f'SELECT ?v {{ VALUES ?v {{ "{literal}" }} }}',
             {"Accept": "application/sparql-results+json", "Accept-Encoding": "identity"})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"] == [
        {"v": {"type": "literal", "value": 'a+b %41 %ZZ & = ; \\ " → 한국 A'}}]


def test_sparqlwrapper_takes_the_plain_path_and_gets_answers(sparql):
    """SPARQLWrapper (urllib) asks for no compression: the common client of the lean path."""
    client = SPARQLWrapper(sparql)
    client.setQuery(ELEMENTS)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    symbols = [row["symbol"]["value"] for row in rows]
    assert "W" in symbols and symbols == sorted(symbols)


def test_requests_the_plain_path_declines_are_still_answered(sparql):
    """Other parameters, charsets, HEAD and OPTIONS go to Flask and get the protocol's
    answers."""
    json_accept = {"Accept": "application/sparql-results+json", "Accept-Encoding": "identity"}
    fmt = requests.get(sparql, params={"query": ASK, "format": "json"},
                       headers={"Accept-Encoding": "identity"})
    assert fmt.status_code == 200 and fmt.json()["boolean"] is True
    charset = requests.post(sparql, data=ASK.encode(), headers={
        **json_accept, "Content-Type": "application/sparql-query; charset=utf-8"})
    assert charset.status_code == 200 and charset.json()["boolean"] is True
    two = requests.get(sparql, params=[("query", ASK), ("query", ASK)], headers=json_accept)
    assert two.status_code == 400 and "exactly one" in two.text
    head = requests.head(sparql, params={"query": ASK}, headers=json_accept)
    assert head.status_code == 200 and head.content == b""
    preflight = requests.options(sparql, headers={"Origin": "https://example.org",
                                                  "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    empty = requests.post(sparql, data={"query": "  "}, headers=json_accept)
    assert empty.status_code == 400 and "empty" in empty.text


def test_bad_bodies_on_the_plain_path_get_the_protocols_errors(sparql):
    """Bodies the lean path cannot read (bad bytes, no length, too big) go on to Flask,
    which answers with the precise status: nothing is a 500, nothing hangs."""
    plain = {"Accept": "application/sparql-results+json", "Accept-Encoding": "identity"}
    form = {**plain, "Content-Type": "application/x-www-form-urlencoded"}
    bad_form = requests.post(sparql, data=b"query=ASK%20%7B%7D%FF", headers=form, timeout=10)
    assert bad_form.status_code == 400 and "syntax" in bad_form.text.lower()
    bad_body = requests.post(sparql, data=b"ASK {} \xff", timeout=10,
                             headers={**plain, "Content-Type": "application/sparql-query"})
    assert bad_body.status_code == 400 and "utf-8" in bad_body.text
    chunked = requests.post(sparql, data=iter([b"query=ASK", b"%20%7B%7D"]), headers=form,
                            timeout=10)  # no Content-Length: sent chunked
    assert chunked.status_code == 200 and chunked.json()["boolean"] is True
    padding = " " * 100_000  # past what the lean path reads, within MAX_CONTENT_LENGTH
    long = requests.post(sparql, data={"query": "ASK {}" + padding}, headers=plain, timeout=10)
    assert long.status_code == 200 and long.json()["boolean"] is True
    huge = requests.post(sparql, data={"query": "ASK {}" + " " * 1_100_000}, headers=plain,
                         timeout=10)
    assert huge.status_code == 413
