"""The supply graph page's data, in-process over the real graph: /api/supply's views
(scope, share threshold) with layered positions, the what-if's choices (nothing offered
that cannot be hit; groups as groups, never a group's figure copied onto its members),
Korean labels from the graph, /graph's data set and year, and the warm start that makes a
served process's first request as fast as the next."""

from __future__ import annotations

import html
import re

import networkx as nx
import pytest

from kg.describe import Labels
from kg.network import supply
from server import create_app

K = "https://w3id.org/krm/id/"


@pytest.fixture(scope="module")
def app(store_link):
    return create_app({"STORE": str(store_link), "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def network(store):
    return supply.build(store, 2024)


def drawn(client, **params) -> tuple[nx.DiGraph, dict]:
    r = client.get("/api/supply", query_string={"year": 2024, **params})
    assert r.status_code == 200, r.get_json()
    data = r.get_json()
    return nx.cytoscape_graph(data), {n["data"]["id"]: n["position"]
                                      for n in data["elements"]["nodes"]}


def test_the_sector_view_keeps_what_reaches_a_sector(client, network):
    g, pos = drawn(client, scope="sectors", min_share=10)
    assert set(g) <= set(network) and all(g.degree(n) for n in g)
    for u, v, d in g.edges(data=True):
        figures = {k: x for k, x in d.items() if k not in ("id", "source", "target")}
        expected = {k: x for k, x in network.edges[u, v].items() if x is not None}
        # (shares summed in another row order may differ in the last bit)
        assert figures.pop("share", None) == pytest.approx(expected.pop("share", None))
        assert figures == expected
        assert d["kind"] != "imports" or d["share"] >= 10
    sectors = {n for n, t in g.nodes(data="type") if t == "sector"}
    on_paths = set(sectors)
    for s in sectors:
        on_paths |= nx.ancestors(g, s) | nx.descendants(g, s)
    assert sectors and on_paths == set(g)
    # Every import edge of the full network at 10 % or more whose product reaches a
    # sector is drawn: nothing on a path is dropped.
    for u, v, d in network.edges(data=True):
        if d["kind"] == "imports" and d["share"] >= 10 and v in g:
            assert g.has_edge(u, v)


def test_positions_are_layered_columns(client):
    g, pos = drawn(client, scope="connected")
    column = {}
    for n, p in pos.items():
        column.setdefault(g.nodes[n]["layer"], set()).add(p["x"])
    assert all(len(xs) == 1 for xs in column.values())   # one column per layer
    xs = [next(iter(column[k])) for k in sorted(column)]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)   # in the direction of supply
    assert len({(p["x"], p["y"]) for p in pos.values()}) == len(pos)   # no overlaps
    assert all(g.degree(n) for n in g)


def test_the_whole_network_is_still_the_default(client, network):
    g, _ = drawn(client)
    assert g.number_of_nodes() == network.number_of_nodes()
    assert g.number_of_edges() == network.number_of_edges()


@pytest.mark.parametrize("query, parameter", [
    ("scope=most", "scope"), ("min_share=101", "min_share"), ("min_share=x", "min_share"),
    ("year=1990", "year")])
def test_bad_view_parameters_are_400s_that_name_them(client, query, parameter):
    r = client.get("/api/supply?" + query)
    assert r.status_code == 400 and r.get_json()["parameter"] == parameter


def test_every_choice_of_the_what_if_hits_something(client, network):
    c = client.get("/api/supply/choices?year=2024").get_json()
    sellers = {u for u, _, k in network.edges(data="kind") if k == "imports"}
    assert {p["id"] for p in c["partners"]} == sellers
    for p in c["partners"]:
        elements = {e for pr in p["products"] for e in c["products"][pr]["elements"]}
        groups = {x for e in elements for x in c["elements"][e]["groups"]}
        for product in p["products"]:
            assert supply.disrupt(network, p["id"], product=product)["hits"]
        for e in elements | groups:
            r = supply.disrupt(network, p["id"], element=e)
            assert any(h["node"] == e for h in r["hits"]), (p["id"], e)
    for x, group in c["groups"].items():
        assert group["type"] == "group" and group["members"] == len(supply.members(network, x))
    assert all(title.startswith("CEPII BACI") for title in c["sources"].values())


def test_a_group_cut_gives_each_member_its_own_figure(client, network):
    r = client.get("/api/supply/disrupt?year=2024&partner=CHN&element=ree").get_json()
    hits = {h["node"]: h for h in r["hits"]}
    members = supply.members(network, K + "group/ree")
    cut = {p for p, d in network.succ[K + "country/CHN"].items() if d["kind"] == "imports"}
    for e in members & set(hits):
        mine = [p for p in network.predecessors(e)
                if network.edges[p, e]["kind"] == "contains"]
        lost = sum(network.edges[K + "country/CHN", p]["value"] for p in mine if p in cut)
        total = sum(network.nodes[p].get("import_value") or 0 for p in mine)
        assert hits[e]["basis"] == "measured"
        assert hits[e]["severity"] == pytest.approx(100 * lost / total)
    group = hits[K + "group/ree"]
    assert group["basis"] == "worst input" and group["via"] in members
    assert group["severity"] == pytest.approx(hits[group["via"]]["severity"])


def test_korean_labels_come_from_the_graph(client, store):
    g, _ = drawn(client, scope="sectors", min_share=10)
    labels = Labels(store)
    for n, d in g.nodes(data=True):
        assert d.get("label_ko") == labels.of(n)[1] or d["type"] in ("area", "product")
    assert g.nodes[K + "element/Li"]["label_ko"] == labels.of(K + "element/Li")[1]


def test_the_page_chooses_data_set_and_year(client):
    page = client.get("/graph").get_data(as_text=True)
    assert 'data-dataset="imports"' in page and 'data-year="2024"' in page
    assert 'data-dataset="production"' in client.get("/graph?dataset=production").get_data(
        as_text=True)
    assert 'data-year="2010"' in client.get("/graph?year=2010").get_data(as_text=True)
    for bad in ("dataset=trade", "year=1990", "year=x", "dataset=production&year=1999"):
        r = client.get("/graph?" + bad, headers={"Accept": "text/html"})
        assert r.status_code == 400, bad
    ko = client.get("/graph?lang=ko")
    assert '<html lang="ko">' in ko.get_data(as_text=True)
    assert ko.headers["Content-Language"] == "ko"


def test_a_warm_process_answers_without_reading_the_figures_again(store_link, monkeypatch):
    from server.explorer import data
    from server.warm import warm

    app = create_app({"STORE": str(store_link), "TESTING": True})
    warm(app)

    def refuse(*args, **kwargs):
        raise AssertionError("the figures were read again on a request")

    monkeypatch.setattr(data, "run", refuse)
    monkeypatch.setattr(supply, "build", refuse)
    client = app.test_client()
    assert client.get("/dependencies").status_code == 200
    assert client.get("/page/element/Li").status_code == 200
    assert client.get("/api/supply?year=2024&scope=sectors&min_share=10").status_code == 200
    assert client.get("/api/supply/choices?year=2024").status_code == 200


def test_commodities_take_their_elements_korean_names(client, store):
    """USGS commodities have no Korean names; one that is an element or a group (its
    closeMatch) is named by that element's or group's sourced Korean label."""
    from kg import queries
    from kg import store as st

    q = queries.load(queries.QUERIES / "explorer" / "commodities.rq")
    rows = list(st.rows(q.run(store)))
    pages = {r["commodity"]: r.get("page") for r in rows if r.get("page")}
    english = {r["commodity"]: r.get("labelEn") for r in rows}
    page = client.get("/dependencies?lang=ko").get_data(as_text=True)
    shown = re.findall(r'<tr data-commodity="([^"]+)".*?<a [^>]*>([^<]+)</a>', page, re.S)
    labels = Labels(store)
    korean = 0
    for commodity, name in shown:
        ko = labels.of(pages[commodity])[1] if commodity in pages else None
        assert html.unescape(name) == (ko or english[commodity]), commodity
        korean += ko is not None
    assert shown and korean
