"""The SPARQL 1.1 Protocol at /sparql, driven with requests against the real server
(``krm serve``) over the real graph; the real clients (SPARQLWrapper, rdflib's
SPARQLStore, Jena, roqet, Comunica) are in tests/test_clients.py."""

from __future__ import annotations

import csv
import gzip
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph
import pytest
import rdflib
import requests

from kg.namespace import GRAPH_FACTS, GRAPH_ONTOLOGY, ONTOLOGY

KRM = ONTOLOGY
COUNT_CLASSES = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{KRM}Class> }}"
ELEMENTS = ("PREFIX krm: <https://w3id.org/krm/ontology#> "
            "SELECT ?e ?symbol WHERE { ?e krm:symbol ?symbol } ORDER BY ?symbol")
CONSTRUCT = ("PREFIX krm: <https://w3id.org/krm/ontology#> "
             "CONSTRUCT { ?e krm:symbol ?s } WHERE { ?e krm:symbol ?s }")
ASK_TUNGSTEN = 'ASK { ?e <https://w3id.org/krm/ontology#symbol> "W" }'


@pytest.fixture(scope="module")
def sparql(live_server) -> str:
    return live_server + "/sparql"


def symbols(sparql: str) -> list[str]:
    r = requests.get(sparql, params={"query": ELEMENTS},
                     headers={"Accept": "application/sparql-results+json"})
    r.raise_for_status()
    return [b["symbol"]["value"] for b in r.json()["results"]["bindings"]]


# --- the three ways to send a query ---------------------------------------------------

def test_get_post_form_and_post_body_agree(sparql):
    expected = symbols(sparql)
    assert "W" in expected
    form = requests.post(sparql, data={"query": ELEMENTS},
                         headers={"Accept": "application/sparql-results+json"})
    body = requests.post(sparql, data=ELEMENTS.encode(),
                         headers={"Content-Type": "application/sparql-query",
                                  "Accept": "application/sparql-results+json"})
    for r in (form, body):
        assert r.status_code == 200, r.text
        assert [b["symbol"]["value"] for b in r.json()["results"]["bindings"]] == expected


def test_default_graph_uri_and_named_graph_uri(sparql):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def count(**params) -> int:
        r = requests.get(sparql, params={"query": q, **params},
                         headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    union, facts, onto = count(), count(**{"default-graph-uri": GRAPH_FACTS}), \
        count(**{"default-graph-uri": GRAPH_ONTOLOGY})
    assert 0 < facts < union and 0 < onto < union
    both = count(**{"default-graph-uri": [GRAPH_FACTS, GRAPH_ONTOLOGY]})
    assert both == facts + onto
    # named-graph-uri limits what GRAPH ?g sees
    r = requests.post(sparql, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                    "named-graph-uri": GRAPH_FACTS},
                      headers={"Accept": "application/sparql-results+json"})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [GRAPH_FACTS]


# --- result formats -------------------------------------------------------------------

@pytest.mark.parametrize("accept,fmt", [
    ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv")])
def test_select_in_every_results_format(sparql, accept, fmt):
    expected = symbols(sparql)
    by_accept = requests.get(sparql, params={"query": ELEMENTS}, headers={"Accept": accept})
    by_param = requests.get(sparql, params={"query": ELEMENTS, "format": fmt})
    for r in (by_accept, by_param):
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith(accept)
        assert r.headers["Vary"].startswith("Accept")
    text = by_accept.text
    if fmt == "json":
        got = [b["symbol"]["value"] for b in json.loads(text)["results"]["bindings"]]
    elif fmt == "xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        got = [e.text for e in ET.fromstring(text).findall(
            ".//r:binding[@name='symbol']/r:literal", ns)]
    elif fmt == "csv":
        got = [row["symbol"] for row in csv.DictReader(io.StringIO(text))]
    else:
        lines = text.splitlines()
        assert lines[0].split("\t") == ["?e", "?symbol"]
        got = [line.split("\t")[1].strip('"') for line in lines[1:]]
    assert got == expected


@pytest.mark.parametrize("accept,fmt,rdflib_format", [
    ("text/turtle", "ttl", "turtle"), ("application/n-triples", "nt", "nt"),
    ("application/rdf+xml", "rdf", "xml"), ("application/ld+json", "jsonld", "json-ld")])
def test_construct_in_every_rdf_format(sparql, accept, fmt, rdflib_format):
    n_symbols = len(symbols(sparql))
    for r in (requests.get(sparql, params={"query": CONSTRUCT}, headers={"Accept": accept}),
              requests.get(sparql, params={"query": CONSTRUCT, "format": fmt})):
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith(accept)
        g = rdflib.Graph().parse(data=r.content, format=rdflib_format)
        assert len(g) == n_symbols
        assert (None, rdflib.URIRef(KRM + "symbol"), rdflib.Literal("W")) in g


def test_describe_and_ask(sparql):
    r = requests.get(sparql, params={"query": "DESCRIBE <https://w3id.org/krm/id/element/W>"},
                     headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert '"W"' in r.text
    for query, expected in ((ASK_TUNGSTEN, True), (ASK_TUNGSTEN.replace('"W"', '"Xx"'), False)):
        r = requests.get(sparql, params={"query": query})
        assert r.json() == {"head": {}, "boolean": expected}
        r = requests.get(sparql, params={"query": query}, headers={"Accept": "text/csv"})
        assert r.text.strip().lower() == str(expected).lower()


def test_q_values_choose_the_format(sparql):
    accept = "application/sparql-results+xml;q=0.5, text/csv;q=0.9, text/turtle;q=0.1"
    r = requests.get(sparql, params={"query": ELEMENTS}, headers={"Accept": accept})
    assert r.headers["Content-Type"].startswith("text/csv")
    r = requests.get(sparql, params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.headers["Content-Type"].startswith("text/turtle")
    r = requests.get(sparql, params={"query": ELEMENTS}, headers={"Accept": "*/*"})
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = requests.get(sparql, params={"query": ELEMENTS}, headers={"Accept": browser})
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")


# --- errors: status and a message a person can act on --------------------------------

def test_syntax_error_is_400_with_position(sparql):
    r = requests.get(sparql, params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "syntax error" in r.text and "1:" in r.text  # line:column from the parser


def test_unsupported_media_type_is_415(sparql):
    r = requests.post(sparql, data=ELEMENTS, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert "application/sparql-query" in r.text


def test_unacceptable_is_406(sparql):
    r = requests.get(sparql, params={"query": ELEMENTS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/csv" in r.text
    # acceptable for CONSTRUCT only, then asked a SELECT
    r = requests.get(sparql, params={"query": ELEMENTS}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406
    assert "SELECT" in r.text


def test_wrong_method_is_405(sparql):
    r = requests.put(sparql, data={"query": ELEMENTS})
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"] and "POST" in r.headers["Allow"]


def test_two_queries_is_400(sparql):
    r = requests.get(sparql, params=[("query", ELEMENTS), ("query", ASK_TUNGSTEN)])
    assert r.status_code == 400
    assert "exactly one" in r.text
    r = requests.post(sparql + "?query=ASK%7B%7D", data=ELEMENTS,
                      headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_bad_graph_iri_and_unknown_format_are_400(sparql):
    r = requests.get(sparql, params={"query": ELEMENTS, "default-graph-uri": "not an iri"})
    assert r.status_code == 400 and "IRI" in r.text
    r = requests.get(sparql, params={"query": ELEMENTS, "format": "xlsx"})
    assert r.status_code == 400 and "json" in r.text


def test_body_over_limit_is_413(sparql):
    big = "# " + "x" * 2_000_000 + "\n" + ELEMENTS
    r = requests.post(sparql, data=big.encode(),
                      headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_update_sent_to_query_endpoint_is_400(sparql):
    r = requests.post(sparql, data={"update": "CLEAR ALL"})
    assert r.status_code == 400 and "/sparql/update" in r.text


# --- CORS, compression, service description, graph store -----------------------------

def test_cors(sparql):
    r = requests.options(sparql, headers={"Origin": "https://agency.example",
                                          "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    r = requests.get(sparql, params={"query": ASK_TUNGSTEN}, headers={"Origin": "https://a.b"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_gzip_streamed(sparql):
    """A large result is compressed as it streams; a small one comes whole, with its
    length."""
    everything = "CONSTRUCT WHERE { ?s ?p ?o }"
    r = requests.get(sparql, params={"query": everything, "format": "nt"},
                     headers={"Accept-Encoding": "gzip"}, stream=True)
    assert r.headers["Content-Encoding"] == "gzip"
    assert r.headers.get("Transfer-Encoding") == "chunked"  # streamed, no Content-Length
    raw = r.raw.read(decode_content=False)
    text = gzip.decompress(raw).decode()
    assert len(text) > 64 * 1024 and '"W"' in text
    small = requests.get(sparql, params={"query": CONSTRUCT, "format": "nt"},
                         headers={"Accept-Encoding": "gzip"})
    assert small.headers["Content-Encoding"] == "gzip"
    assert "Content-Length" in small.headers and "Transfer-Encoding" not in small.headers
    assert '"W"' in small.text


def test_service_description(sparql):
    sd = "http://www.w3.org/ns/sparql-service-description#"
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        r = requests.get(sparql, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        g = rdflib.Graph().parse(data=r.content, format=fmt)
        assert (None, rdflib.URIRef(sd + "endpoint"), rdflib.URIRef(sparql)) in g
        assert (None, rdflib.URIRef(sd + "resultFormat"),
                rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV")) in g
    html = requests.get(sparql, headers={"Accept": "text/html,*/*;q=0.8"})
    assert html.headers["Content-Type"].startswith("text/html")
    assert "SPARQL endpoint" in html.text and 'rel="alternate"' in html.headers["Link"]


@pytest.mark.parametrize("accept,fmt", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld"), ("text/n3", "n3")])
def test_graph_store_read(live_server, accept, fmt):
    url = live_server + "/sparql/graph"
    facts = requests.get(url, params={"graph": GRAPH_FACTS}, headers={"Accept": accept})
    assert facts.status_code == 200 and facts.headers["Content-Type"].startswith(accept)
    g = rdflib.Graph().parse(data=facts.content, format=fmt)
    assert (rdflib.URIRef("https://w3id.org/krm/id/element/W"), None, None) in g


def test_graph_store_reads_the_union_as_the_default_graph(live_server):
    """``?default`` is the whole union: as many triples as a COUNT over the default graph
    (~600k, read by pyoxigraph's parser: rdflib would take minutes)."""
    r = requests.get(live_server + "/sparql", headers={"Accept": "application/sparql-results+json"},
                     params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    expected = int(r.json()["results"]["bindings"][0]["n"]["value"])
    nt = "application/n-triples"
    default = requests.get(live_server + "/sparql/graph?default", headers={"Accept": nt})
    assert default.status_code == 200 and default.headers["Content-Type"].startswith(nt)
    union = pyoxigraph.parse(default.content, pyoxigraph.RdfFormat.N_TRIPLES)
    assert sum(1 for _ in union) == expected


def test_graph_store_errors(live_server):
    url = live_server + "/sparql/graph"
    assert requests.get(url).status_code == 400
    assert requests.get(url, params={"graph": "https://w3id.org/krm/graph/none"}).status_code \
        == 404
    # writes need the update token; with updates off they are refused (403)
    assert requests.put(url + "?default", data="").status_code == 403
    r = requests.get(url + "?default", headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 406
