"""The service as researchers reach it: real SPARQL and linked-data clients against the
real server (``krm serve``) over the real graph, each answer compared with what the
embedded store gives for the same query (or, for a resource, with its Turtle document).

Clients: SPARQLWrapper (every return format it has, GET and POST), rdflib
(``Graph().parse`` of resource IRIs and documents in every format it asks for, and its
SPARQLStore), pyld (expand, compact, to_rdf), Apache Jena (``rsparql``, ``arq`` with
``SERVICE`` and as a linked-data reader), roqet and Comunica (tests/clients.py runs the
command-line ones, each call bounded by ``clients.TIMEOUT``).

What the clients cannot do, and so is not asked of them: SPARQLWrapper 2.0 has no
N-Triples return format (N-Triples is read by rdflib, Jena and Comunica here); roqet
0.9.33 reads every protocol answer as SPARQL XML variable bindings (an ASK answer, even
from a file, shows as zero rows; a CONSTRUCT is asked for as SPARQL XML), so roqet runs
SELECT queries; Debian's Jena has no JSON-P provider (parsson), so it cannot read or
write JSON-LD 1.1.
"""

from __future__ import annotations

import io
import json
import socket
import xml.etree.ElementTree as ET

import clients
import pytest
import rdflib
import requests
from pyld import jsonld
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from kg import queries
from kg import store as st
from kg.namespace import PREFIXES

pytestmark = pytest.mark.e2e

ELEMENTS = ("PREFIX krm: <https://w3id.org/krm/ontology#> "
            "SELECT ?e ?symbol WHERE { ?e krm:symbol ?symbol } ORDER BY ?symbol")
#: A question of the paper, as the query library asks it (one row, an unbound year).
NAMED = queries.load(queries.QUERIES / "competency" / "china-tungsten-share.rq").text
SELECTS = {"elements": ELEMENTS, "named": NAMED}
ASKS = {"true": 'ASK { ?e <https://w3id.org/krm/ontology#symbol> "W" }',
        "false": 'ASK { ?e <https://w3id.org/krm/ontology#symbol> "Xx" }'}
GRAPHS = {
    "construct": ("PREFIX krm: <https://w3id.org/krm/ontology#> "
                  "CONSTRUCT { ?e krm:symbol ?s ; a ?t } WHERE { ?e krm:symbol ?s ; a ?t }"),
    "describe": "DESCRIBE <https://w3id.org/krm/id/element/W>",
}
#: Resources with statements of every kind on their pages (shares, lists, claims).
RESOURCES = ["element/W", "country/CHN", "list/korea-rare-metals", "ontology"]


@pytest.fixture(scope="module", autouse=True)
def bounded():
    """rdflib's and SPARQLWrapper's urllib calls take no timeout of their own."""
    before = socket.getdefaulttimeout()
    socket.setdefaulttimeout(clients.TIMEOUT)
    yield
    socket.setdefaulttimeout(before)


@pytest.fixture(scope="module")
def sparql(live_server) -> str:
    return live_server + "/sparql"


# --- expected answers: the embedded store, and the resources' Turtle documents ---------

def expected(store, query: str) -> Result | rdflib.Graph:
    """What the embedded store answers, read back as rdflib reads an answer (a graph
    for CONSTRUCT and DESCRIBE)."""
    results = st.run_query(store, query)
    kind = st.result_kind(results)
    out = io.BytesIO()
    st.serialize_results(results, out, "application/n-triples" if kind == st.TRIPLES
                         else "application/sparql-results+json")
    if kind == st.TRIPLES:
        graph = rdflib.Graph().parse(data=out.getvalue(), format="nt")
        assert len(graph) > 0
        return graph
    return Result.parse(io.BytesIO(out.getvalue()), format="json")


def rows(result: Result) -> list[tuple]:
    assert result.type == "SELECT"
    return [tuple(row) for row in result]


def plain(result: Result) -> list[tuple]:
    """The rows as CSV gives them: values without types."""
    return [tuple(None if v is None else str(v) for v in row) for row in rows(result)]


def parsed(data: bytes | str, fmt: str) -> Result:
    if isinstance(data, str):
        data = data.encode()
    return Result.parse(io.BytesIO(data), format=fmt)


def same_rows(got: Result, want: Result, fmt: str) -> None:
    """The same variables and rows, in order; by value alone for ``csv`` and
    ``plain``."""
    assert [str(v) for v in got.vars] == [str(v) for v in want.vars]
    if fmt in ("csv", "plain"):
        assert plain(got) == plain(want)
    else:
        assert rows(got) == rows(want)
    assert rows(want), "the query has answers to compare"


def graph(data: bytes | str | rdflib.Graph, fmt: str | None = None) -> rdflib.Graph:
    g = rdflib.Graph()
    if isinstance(data, rdflib.Graph):  # a ConjunctiveGraph: its triples, one graph
        for triple in data.triples((None, None, None)):
            g.add(triple)
        return g
    return g.parse(data=data, format=fmt)


def resource_url(base: str, key: str) -> str:
    return f"{base}/ontology" if key == "ontology" else f"{base}/id/{key}"


def document_url(base: str, key: str, ext: str) -> str:
    return f"{base}/data/{key}.{ext}"


@pytest.fixture(scope="module")
def documents(live_server, store) -> dict[str, rdflib.Graph]:
    """Each resource's Turtle document, checked against the store: it holds every
    statement the store makes about the resource."""
    out = {}
    for key in RESOURCES:
        r = requests.get(document_url(live_server, key, "ttl"), timeout=clients.TIMEOUT)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
        doc = graph(r.content, "turtle")
        iri = "https://w3id.org/krm/ontology" if key == "ontology" \
            else "https://w3id.org/krm/id/" + key
        own = expected(store, f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}")
        assert all(t in doc for t in own), key
        out[key] = doc
    return out


# --- SPARQLWrapper ------------------------------------------------------------------

def wrapper(sparql: str, method: str, query: str, fmt: str):
    client = SPARQLWrapper(sparql)
    client.setMethod(method)
    client.setTimeout(clients.TIMEOUT)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query()


#: SPARQLWrapper's result formats: (the media type asked for, rdflib's parser name).
RESULT_FORMATS = {JSON: ("application/sparql-results+json", "json"),
                  XML: ("application/sparql-results+xml", "xml"),
                  CSV: ("text/csv", "csv"), TSV: ("text/tab-separated-values", "tsv")}
#: (Not its RDF: an older name of RDFXML, for which it sends ``Accept: */*``.)
GRAPH_FORMATS = {TURTLE: "text/turtle", N3: "text/n3", RDFXML: "application/rdf+xml",
                 JSONLD: "application/ld+json"}


def converted(answer, fmt: str) -> bytes:
    """SPARQLWrapper's own conversion of an answer, back to bytes for rdflib."""
    value = answer.convert()
    if fmt == JSON:
        return json.dumps(value).encode()
    if fmt == XML:
        return value.toxml(encoding="utf-8")
    return value


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", SELECTS)
def test_sparqlwrapper_select_in_every_format(sparql, store, method, name):
    want = expected(store, SELECTS[name])
    for fmt, (media_type, parser) in RESULT_FORMATS.items():
        answer = wrapper(sparql, method, SELECTS[name], fmt)
        assert answer.info()["content-type"].startswith(media_type), fmt
        same_rows(parsed(converted(answer, fmt), parser), want, parser)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", ASKS)
def test_sparqlwrapper_ask_in_every_format(sparql, store, method, name):
    want = expected(store, ASKS[name]).askAnswer
    for fmt, (media_type, parser) in RESULT_FORMATS.items():
        answer = wrapper(sparql, method, ASKS[name], fmt)
        assert answer.info()["content-type"].startswith(media_type), fmt
        body = converted(answer, fmt)
        if fmt in (CSV, TSV):  # rdflib reads no boolean CSV/TSV: one line, true or false
            assert body.decode().split() == [str(want).lower()]
        else:
            assert parsed(body, parser).askAnswer is want, fmt


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", GRAPHS)
def test_sparqlwrapper_construct_and_describe_in_every_format(sparql, store, method, name):
    want = expected(store, GRAPHS[name])
    for fmt, media_type in GRAPH_FORMATS.items():
        answer = wrapper(sparql, method, GRAPHS[name], fmt)
        assert answer.info()["content-type"].startswith(media_type), fmt
        value = answer.convert()
        got = graph(value, {TURTLE: "turtle", N3: "n3"}.get(fmt))
        assert isomorphic(got, want), fmt


# --- rdflib ----------------------------------------------------------------------------

#: The formats rdflib asks a server for by name (None: every type it reads); TriG is
#: read from a one-graph document (Turtle is TriG without named graphs).
PARSE_FORMATS = ["turtle", "xml", "nt", "n3", "json-ld", "trig", None]


@pytest.mark.parametrize("key", RESOURCES)
def test_rdflib_parses_resource_iris_in_every_format(live_server, documents, key):
    url = resource_url(live_server, key)
    for fmt in PARSE_FORMATS:
        got = rdflib.Graph().parse(url, format=fmt)
        assert isomorphic(got, documents[key]), fmt


#: Each data document read as the formats it is (N-Triples is N-Quads without graphs).
DOCUMENT_PARSERS = {"ttl": ["turtle", "n3", "trig"], "nt": ["nt", "nquads"],
                    "rdf": ["xml"], "jsonld": ["json-ld"]}


@pytest.mark.parametrize("key", RESOURCES)
def test_rdflib_parses_data_documents(live_server, documents, key):
    for ext, formats in DOCUMENT_PARSERS.items():
        for fmt in formats:
            got = rdflib.Graph().parse(document_url(live_server, key, ext), format=fmt)
            assert isomorphic(got, documents[key]), (ext, fmt)


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("returns", ["json", "xml"])
def test_rdflib_sparqlstore(sparql, store, method, returns):
    remote = rdflib.Graph(SPARQLStore(sparql, method=method, returnFormat=returns))
    for query in SELECTS.values():
        same_rows(remote.query(query), expected(store, query), "json")
    for query in ASKS.values():
        assert remote.query(query).askAnswer is expected(store, query).askAnswer
    if returns == "xml":  # json asks for SPARQL JSON results alone: a CONSTRUCT gets 406
        for query in GRAPHS.values():
            assert isomorphic(graph(remote.query(query).graph), expected(store, query))
    # a triple pattern: the store's own SELECT for it
    w = rdflib.URIRef("https://w3id.org/krm/id/element/W")
    symbol = rdflib.URIRef("https://w3id.org/krm/ontology#symbol")
    assert list(remote.objects(w, symbol)) == [rdflib.Literal("W")]


# --- pyld ------------------------------------------------------------------------------

def quads_graph(dataset: str) -> rdflib.Graph:
    """pyld's N-Quads output: every quad must be in the default graph."""
    g = rdflib.Graph().parse(data=dataset, format="nt")
    assert len(g) == len([line for line in dataset.splitlines() if line.strip()])
    return g


@pytest.mark.parametrize("key", RESOURCES)
def test_pyld_expands_compacts_and_reads_the_json_ld_documents(live_server, documents, key):
    options = {"documentLoader": jsonld.requests_document_loader(timeout=clients.TIMEOUT)}
    nquads = {"format": "application/n-quads"}
    # pyld dereferences the IRI itself (Accept: application/ld+json, then the 303)
    expanded = jsonld.expand(resource_url(live_server, key), options)
    assert isomorphic(quads_graph(jsonld.to_rdf(expanded, nquads)), documents[key])
    context = {"@context": dict(PREFIXES)}
    compacted = jsonld.compact(expanded, context, options)
    assert compacted["@context"] == context["@context"]
    assert isomorphic(quads_graph(jsonld.to_rdf(compacted, nquads)), documents[key])
    flattened = jsonld.flatten(compacted, context, options)
    assert isomorphic(quads_graph(jsonld.to_rdf(flattened, nquads)), documents[key])


# --- Apache Jena -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def jena(tmp_path_factory):
    """Run a Jena command class with the given arguments; its output."""
    if clients.shutil.which("java") is None:
        clients.unavailable("Java", "apt-get install default-jre-headless")
    try:
        classpath = clients.jena_classpath(tmp_path_factory.mktemp("jena"))
    except FileNotFoundError:
        clients.unavailable("Apache Jena", "apt-get install libapache-jena-java")
    return lambda command, *args: clients.jena(classpath, command, *args)


@pytest.fixture(scope="module")
def query_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("queries")

    def write(text: str) -> str:
        path = folder / f"q{len(list(folder.iterdir()))}.rq"
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write


def test_jena_rsparql(jena, sparql, store, query_file):
    service = ["--service", sparql]
    for query in SELECTS.values():
        want = expected(store, query)
        out = jena("arq.rsparql", *service, "--query", query_file(query), "--results=json")
        same_rows(parsed(out, "json"), want, "json")
    # POST, and Jena's own TSV writer
    out = jena("arq.rsparql", *service, "--post", "--query", query_file(ELEMENTS),
               "--results=tsv")
    same_rows(parsed(out, "tsv"), expected(store, ELEMENTS), "tsv")
    out = jena("arq.rsparql", *service, "--query", query_file(ASKS["true"]), "--results=json")
    assert parsed(out, "json").askAnswer is expected(store, ASKS["true"]).askAnswer
    for query in GRAPHS.values():
        out = jena("arq.rsparql", *service, "--query", query_file(query), "--results=nt")
        assert isomorphic(graph(out, "nt"), expected(store, query))


def test_jena_arq_federates_with_the_endpoint(jena, sparql, store, query_file):
    """A query run by Jena itself, with the endpoint in a SERVICE clause."""
    federated = ("PREFIX krm: <https://w3id.org/krm/ontology#> SELECT ?e ?symbol WHERE { "
                 f"SERVICE <{sparql}> {{ ?e krm:symbol ?symbol }} }} ORDER BY ?symbol")
    out = jena("arq.arq", "--query", query_file(federated), "--results=json")
    same_rows(parsed(out, "json"), expected(store, ELEMENTS), "json")
    # a local VALUES joined with the remote answer
    joined = ("PREFIX krm: <https://w3id.org/krm/ontology#> SELECT ?e WHERE { "
              'VALUES ?symbol { "W" "Co" "Xx" } '
              f"SERVICE <{sparql}> {{ ?e krm:symbol ?symbol }} }} ORDER BY ?e")
    out = jena("arq.arq", "--query", query_file(joined), "--results=json")
    want = expected(store, joined.replace(f"SERVICE <{sparql}>", ""))
    same_rows(parsed(out, "json"), want, "json")


def test_jena_reads_resource_iris(jena, live_server, documents, query_file):
    """Jena as a linked-data reader: it dereferences the IRI with its own Accept."""
    everything = query_file("CONSTRUCT WHERE { ?s ?p ?o }")
    for key in RESOURCES:
        out = jena("arq.arq", "--data", resource_url(live_server, key), "--query", everything,
                   "--results=nt")
        assert isomorphic(graph(out, "nt"), documents[key]), key


# --- roqet (Rasqal) ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def roqet():
    path = clients.shutil.which("roqet")
    if path is None:
        clients.unavailable("roqet", "apt-get install rasqal-utils")
    return path


def without_unbound(xml: str) -> str:
    """roqet writes an unbound variable as ``<binding><unbound/></binding>`` (from a
    draft of the format); the Recommendation, and rdflib, leave the binding out."""
    ns = "{http://www.w3.org/2005/sparql-results#}"
    ET.register_namespace("", ns[1:-1])
    root = ET.fromstring(xml)
    for result in root.iter(ns + "result"):
        for binding in list(result):
            if binding.find(ns + "unbound") is not None:
                result.remove(binding)
    return ET.tostring(root, encoding="unicode")


@pytest.mark.parametrize("name", SELECTS)
def test_roqet(roqet, sparql, store, name):
    want = expected(store, SELECTS[name])
    for fmt in ("xml", "csv", "tsv"):
        out = clients.run([roqet, "-q", "-i", "sparql", "-p", sparql, "-e", SELECTS[name],
                           "-r", fmt]).stdout
        # roqet's TSV writer prints a decimal "83" as 83, an integer: compared by value
        same_rows(parsed(without_unbound(out) if fmt == "xml" else out, fmt), want,
                  "plain" if fmt == "tsv" else fmt)


# --- Comunica ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def comunica():
    if not clients.COMUNICA.exists():
        clients.unavailable("Comunica", "make assets (npm ci)")
    return lambda source, query, media_type: clients.run(
        [str(clients.COMUNICA), source, query, "-t", media_type,
         "--httpTimeout", str(clients.TIMEOUT * 1000)]).stdout


def test_comunica_over_the_endpoint(comunica, sparql, store):
    source = "sparql@" + sparql
    results = "application/sparql-results+json"
    for query in SELECTS.values():
        same_rows(parsed(comunica(source, query, results), "json"), expected(store, query),
                  "json")
    for query in ASKS.values():
        got = parsed(comunica(source, query, results), "json")
        assert got.askAnswer is expected(store, query).askAnswer
    for query in GRAPHS.values():
        got = graph(comunica(source, query, "application/n-triples"), "nt")
        assert isomorphic(got, expected(store, query))


def test_comunica_reads_a_resource_iri(comunica, live_server, documents):
    """Comunica as a linked-data client: the IRI itself is the source."""
    out = comunica(resource_url(live_server, "element/W"), "CONSTRUCT WHERE { ?s ?p ?o }",
                   "application/n-triples")
    assert isomorphic(graph(out, "nt"), documents["element/W"])
