"""Every surface over a remote store: ``krm serve --store URL`` in front of two real
SPARQL stores loaded from the dumps (``oxigraph serve`` and Virtuoso Open Source 7)
must answer as the server over the embedded store does: the pages of every kind, every
named query of the API, the explorer's data and the network.

What may differ, by design: the order of things a query does not order (lists, the
parts of a ``GROUP_CONCAT`` and the items a page joins with commas are compared as
multisets), a number's lexical form and the last bits of a float sum (numbers compared to
7 significant digits), blank node labels (graphs are compared up to isomorphism, rows
with blank nodes blanked out), and the store's version (its digest and build time: a
remote store's version digests its URL and graph sizes,
:func:`server.browse.common.store_version`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest
import rdflib
import requests
from conftest import start_server, stop_server
from rdflib.compare import isomorphic
from remote_stores import start_oxigraph, start_virtuoso

from kg import queries as library
from kg import store as st

pytestmark = pytest.mark.e2e

STORES = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}


@pytest.fixture(scope="module")
def dump(store_link, tmp_path_factory):
    """The built graph as N-Quads (graph names kept), as ``krm export --format nq``."""
    path = tmp_path_factory.mktemp("remote-dump") / "krm.nq"
    with path.open("wb") as f:
        st.dump(st.open_store(store_link), f, "nq")
    return path


#: Where an engine answers otherwise, and why: these checks are expected to fail (strict:
#: one that passes is reported, so the list follows the engines).
_DURATION = ("stores xsd:duration as a number: \"P5Y\" comes back as \"60\" (the law's "
             "revision interval)")
_SUM = ("sums the bound values of a group where some are unbound (Korea's import tonnes "
        "in a year when a product has none); pyoxigraph, per SPARQL 1.1, gives no sum: "
        "the charts' tonnes and the quantity-weighted GeoPolRisk differ")
DIFFERENCES = {
    "virtuoso": {
        "/page/element/W": _SUM, "/page/element/W?lang=ko": _SUM, "/page/element/Li": _SUM,
        "/page/group/ree": _SUM, "/dependencies?format=csv": _SUM,
        "/page/country/KOR": _DURATION, "/data/country/KOR.nt": _DURATION,
        "/page/law/materials-parts-equipment-act-article-37-2": _DURATION,
        "/data/law/materials-parts-equipment-act-article-37-2.nt": _DURATION,
        "competency/article-37-2": _DURATION, "competency/policy-cycle": _DURATION,
        "law/legislation": _DURATION,
        "competency/law-aims": "the path a/rdfs:subClassOf* finds one law of three",
        "competency/strategy-2-0-measure-sources": "the OPTIONAL path "
            "krm:evidence/oa:hasSelector/oa:exact finds no quote for some claims",
        "evidence/triple": "the OPTIONAL path to the claim's quote finds none for some",
        "lists/compare": "a BIND inside an OPTIONAL over a VALUES-bound list is kept where "
            "the OPTIONAL does not match: elements on one list read 'both'",
        "lists/korea-and-others": "an OPTIONAL with a FILTER on a variable bound outside "
            "it counts other lists differently",
        "supply/sector-supplier-countries": "a UNION of a pattern and a group with a "
            "sub-SELECT gives no rows",
    },
}


@pytest.fixture(scope="module", params=sorted(STORES))
def store_name(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def remote(store_name, dump, tmp_path_factory):
    """``krm serve --store <the store's query URL>``: yields the service's base URL."""
    store = STORES[store_name](tmp_path_factory.mktemp(store_name), dump)
    try:
        proc, base = start_server(store.url, env={"KRM_SPARQL_TIME_LIMIT": "120"})
    except Exception:
        store.stop()
        raise
    print(f"\n{store.name}: loaded in {store.load_seconds:.1f} s")
    yield base
    stop_server(proc)
    store.stop()


@pytest.fixture(autouse=True)
def _known_difference(request):
    """Marks a check listed in :data:`DIFFERENCES` for its store as an expected failure."""
    if "store_name" not in request.fixturenames:
        return
    name = request.getfixturevalue("store_name")
    check = request.node.callspec.params
    key = next((v for k, v in check.items() if k in ("path", "name")), request.node.originalname)
    reason = DIFFERENCES.get(name, {}).get(key)
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"{name}: {reason}"))


# --- Comparing answers ------------------------------------------------------------------

_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def number(text: str) -> str:
    """A number's value to 7 significant digits: 83, 83.0 and 8.3E1 alike."""
    return f"{float(text):.7g}" if _NUMBER.match(text) else text


#: What joins the parts of a GROUP_CONCAT or a list on a page: " | ", "; ", ", ", or
#: the spaces between IRIs.
_JOINS = re.compile(r" \| |; |, ")


def unordered(text: str) -> str:
    """A text whose parts are joined in no particular order, with its parts sorted."""
    parts = _JOINS.split(text)
    if len(parts) == 1 and " " in text and all(
            w.startswith(("http://", "https://")) for w in text.split()):
        parts = text.split()
    return "\x00".join(sorted(number(p) for p in parts))


def canon(value):
    """JSON values compared up to order of lists and the form of numbers."""
    if isinstance(value, dict):
        return {k: canon(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((canon(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return number(repr(float(value)))
    return unordered(value)


_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def results(response) -> list:
    """SPARQL JSON results as canonical rows: blank nodes blanked, terms compared by value
    (numbers as numbers, booleans as 1 and 0: Virtuoso has no boolean constants, its
    ``true`` is the integer 1) and kind; an empty string as unbound (an empty
    ``GROUP_CONCAT``, which Virtuoso gives as "")."""
    data = json.loads(response.text)
    if "boolean" in data:
        return [data["boolean"]]
    out = []
    for binding in data["results"]["bindings"]:
        row = {}
        for name, term in binding.items():
            kind = "literal" if term["type"] == "typed-literal" else term["type"]
            value = term["value"]
            if term.get("datatype") == _BOOLEAN:
                value = {"true": "1", "false": "0"}.get(value, value)
            if kind == "literal" and value == "":
                continue
            value = "_" if kind == "bnode" else canon(value)
            row[name] = f"{kind} {value} @{term.get('xml:lang', '').lower()}"
        out.append(row)
    return canon(out)


class _Page(HTMLParser):
    """A page's text pieces and link targets."""

    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (name in ("href", "src", "content") or name.startswith("data-")) and value:
                try:  # a chart's data
                    value = json.dumps(canon(json.loads(value)), sort_keys=True)
                except (ValueError, TypeError):
                    value = unordered(value)
                self.pieces.append(f"@{name}={value}")

    def handle_data(self, data):
        if data.strip().startswith(("{", "[")):
            try:  # a chart's data, in a JSON script element
                self.pieces.append(json.dumps(canon(json.loads(data)), sort_keys=True))
                return
            except ValueError:
                pass
        # Each line's words, sorted: a page lists the roles, lists or members it joins
        # with commas in the order the store gave them.
        for line in data.splitlines():
            words = [number(w) for w in re.split(r"[\s,;|]+", line) if w]
            if words:
                self.pieces.append(" ".join(sorted(words)))


def page_pieces(html: str, version: str) -> list[str]:
    parser = _Page()
    parser.feed(html.replace(version, "VERSION") if version else html)
    return sorted(parser.pieces)


def version_of(response) -> str:
    return (response.headers.get("ETag") or '"."').strip('W/"').split(".")[0]


def get(base: str, path: str, accept: str | None = None, follow: bool = False):
    headers = {"Accept": accept} if accept else {}
    return requests.get(base + path, headers=headers, allow_redirects=follow, timeout=300)


def same_answer(local, remote, kind: str) -> None:
    assert remote.status_code == local.status_code, remote.text[:500]
    assert remote.headers.get("Content-Type") == local.headers.get("Content-Type")
    if kind == "html":
        assert page_pieces(remote.text, version_of(remote)) == \
            page_pieces(local.text, version_of(local))
    elif kind == "json":
        assert canon(remote.json()) == canon(local.json())
    elif kind == "csv":
        def table(r):
            return sorted(tuple(number(c) for c in row) for row in csv.reader(io.StringIO(r.text)))
        assert table(remote) == table(local)
    elif kind == "nt":
        graphs = [rdflib.Graph().parse(data=r.text, format="nt") for r in (local, remote)]
        assert len(graphs[0]) > 0
        assert isomorphic(*graphs), sorted(set(graphs[0]) ^ set(graphs[1]))[:10]
    elif kind == "results":
        assert results(remote) == results(local)
    elif kind == "redirect":
        assert remote.headers["Location"] == local.headers["Location"]
    elif kind == "sitemap":  # the dates are the versions' (build time, server start)
        def locs(r):
            return sorted(re.findall(r"<loc>([^<]*)</loc>", r.text))
        assert locs(remote) == locs(local) and locs(local)
    elif kind == "graphml":
        def graph(r):
            g = nx.parse_graphml(r.text)
            return (canon([[n, d] for n, d in g.nodes(data=True)]),
                    canon([[u, v, d] for u, v, d in g.edges(data=True)]))
        assert graph(remote) == graph(local)
    else:
        assert remote.content == local.content


# --- The pages: one of each kind of resource, class, search, dataset, site files --------

RESOURCES = [
    "element/W", "element/Li", "group/ree", "country/CHN", "country/KOR", "org/kitech",
    "claim/china-tungsten-share", "law/materials-parts-equipment-act-article-37-2",
    "strategy/eu-crm-action-plan-2020", "sector/electric-vehicles",
    "list/eu-crma-2024-annex-i", "dataset/usgs-mcs-2024-world", "commodity/cobalt",
    "observation/baci-hs92-v202401b-korea/export/AGO/250490/2005", "product/hs92/283691",
    "mapping/element-ag-closematch-commodity-silver", "area/europe-efta-nes",
    "supply/honeywell-uhp-metals", "paper/section/1.1", "status/bound",
]
PAGES = [("/", "html"), ("/class/ChemicalElement", "html"),
         ("/class/Country?page=2&sort=iri&order=desc", "html"), ("/class/Product", "html"),
         ("/search?q=tung", "html"), ("/search?q=%EB%A6%AC%ED%8A%AC", "html"),
         ("/page/ontology", "html"), ("/dataset", "html"), ("/dumps/", "html"),
         ("/sitemap.xml", "sitemap"), ("/robots.txt", "bytes"), ("/graph", "html"),
         ("/id/element/W", "redirect"), ("/page/no/such-thing", "html")]
PAGES += [(f"/page/{key}", "html") for key in RESOURCES]
PAGES += [(f"/page/{key}?lang=ko", "html") for key in ("element/W", "country/CHN")]


@pytest.mark.parametrize(("path", "kind"), PAGES, ids=[p for p, _ in PAGES])
def test_pages_answer_as_over_the_embedded_store(live_server, remote, path, kind):
    same_answer(get(live_server, path), get(remote, path), kind)


DOCUMENTS = ["/data/" + key + ".nt" for key in RESOURCES[:8]] + ["/ontology"]


@pytest.mark.parametrize("path", DOCUMENTS)
def test_data_documents_hold_the_same_graph(live_server, remote, path):
    nt = "application/n-triples"
    same_answer(get(live_server, path, nt, follow=True), get(remote, path, nt, follow=True),
                "nt")


def test_search_json_and_the_dataset_description(live_server, remote):
    path = "/search?q=tungsten"
    same_answer(get(live_server, path, "application/json"),
                get(remote, path, "application/json"), "json")
    # VoID and DCAT: the same but for the version (digest and build time).
    graphs = []
    for base in (live_server, remote):
        r = get(base, "/dataset.nt")
        assert r.status_code == 200
        g = rdflib.Graph().parse(data=r.text, format="nt")
        for s, p, o in list(g):
            if str(p) in ("http://purl.org/dc/terms/issued", "http://purl.org/dc/terms/modified",
                          "http://www.w3.org/2002/07/owl#versionInfo",
                          "http://www.w3.org/ns/dcat#version"):
                g.remove((s, p, o))
        graphs.append(g)
    assert isomorphic(*graphs), sorted(set(graphs[0]) ^ set(graphs[1]))[:10]


# --- Every named query of the API, with its example values -------------------------------

def _api_calls() -> list[tuple[str, dict]]:
    calls = []
    for name, q in sorted(library.published().items()):
        values = {p.name: p.example for p in q.params if p.example is not None}
        calls.append((name, values))
    return calls


API_CALLS = _api_calls()


@pytest.mark.parametrize(("name", "values"), API_CALLS, ids=[n for n, _ in API_CALLS])
def test_named_queries_in_the_api_answer_alike(live_server, remote, name, values):
    path = f"/api/queries/{name}"
    values = {**values, "format": "srj"}  # with the terms' kinds: blank nodes told apart
    local = requests.get(live_server + path, params=values, timeout=300)
    assert local.status_code == 200, local.text[:500]
    same_answer(local, requests.get(remote + path, params=values, timeout=300), "results")


# --- The explorer and the network ---------------------------------------------------------

ENDPOINTS = [
    ("/dependencies", "html"), ("/dependencies?format=csv", "csv"),
    ("/dependencies?year=2010&list=https%3A%2F%2Fw3id.org%2Fkrm%2Fid%2Flist%2Fkr-2023", "html"),
    ("/map", "html"), ("/map/data.json", "json"),
    ("/map/data.json?commodity=https%3A%2F%2Fw3id.org%2Fkrm%2Fid%2Fcommodity%2Fcobalt&year=2020",
     "json"),
    ("/api/network", "json"), ("/api/network?format=graphml", "graphml"),
    ("/api/network/metrics", "json"), ("/api/network/disrupt?country=CHN&element=ree&fraction=0.5",
                                       "json"),
    ("/api/supply?year=2024", "json"), ("/api/supply/metrics?year=2024", "json"),
    ("/api/supply/disrupt?year=2024&partner=CHL&product=283691&fraction=0.5", "json"),
    ("/api/dependency/imports?product=283691&year=2024", "json"),
    ("/api/dependency/imports?element=Li", "json"),
    ("/api/dependency/production?commodity=cobalt&year=2022", "json"),
    ("/api/dependency/risk?product=282200&commodity=cobalt&year=2022", "json"),
]


@pytest.mark.parametrize(("path", "kind"), ENDPOINTS, ids=[p for p, _ in ENDPOINTS])
def test_explorer_and_network_answer_alike(live_server, remote, path, kind):
    same_answer(get(live_server, path), get(remote, path), kind)


def test_health_says_remote_and_counts_the_same_graphs(live_server, remote):
    local, far = (requests.get(b + "/healthz", timeout=60).json() for b in (live_server, remote))
    assert far["store"] == "remote"
    assert far["graphs"] == local["graphs"]
