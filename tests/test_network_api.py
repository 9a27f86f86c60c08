"""The network API over HTTP, on the real server over the network fixture: formats,
filters, metrics, what-if, and 400s that name the parameter."""

from __future__ import annotations

import io

import networkx as nx
import pytest
import requests

from kg.namespace import iri

CHN = iri("id/country/CHN")


def get(base: str, path: str, **params) -> requests.Response:
    return requests.get(base + path, params=params, timeout=30)


def test_cytoscape_json_by_default(network_server):
    r = get(network_server, "/api/network")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    nodes, edges = body["elements"]["nodes"], body["elements"]["edges"]
    assert body["meta"]["nodes"] == len(nodes) == 25
    assert body["meta"]["edges"] == len(edges) == 22
    china = next(n["data"] for n in nodes if n["data"]["id"] == CHN)
    assert (china["label"], china["type"], china["layer"]) == ("China", "country", 0)
    assert china["max_share"] == 80.0   # tungsten, in the most recent data set


def test_graphml_reloads_like_the_json(network_server):
    as_json = get(network_server, "/api/network", element="W").json()
    r = get(network_server, "/api/network", element="W", format="graphml")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(
        "application/graphml+xml")
    g = nx.read_graphml(io.BytesIO(r.content))
    assert set(g.nodes) == {n["data"]["id"] for n in as_json["elements"]["nodes"]}
    assert set(g.edges) == {(e["data"]["source"], e["data"]["target"])
                            for e in as_json["elements"]["edges"]}


@pytest.mark.parametrize("fmt, start", [("gexf", b"<?xml"), ("dot", b"strict digraph")])
def test_other_formats(network_server, fmt, start):
    r = get(network_server, "/api/network", format=fmt)
    assert r.status_code == 200 and r.content.startswith(start)


def test_filters_narrow_the_network(network_server):
    def count(**params):
        return get(network_server, "/api/network", **params).json()["meta"]["nodes"]

    everything = count()
    assert count(element="Co") == 4     # Congo, cobalt, batteries, LG Energy Solution
    assert count(sector="ev-motors") < everything
    assert count(country="CHN") < everything
    assert count(element="W", threshold=50) == count(element="W") - 2   # not VNM, RUS


def test_metrics_choose_the_paper(network_server):
    body = get(network_server, "/api/network/metrics", source="paper").json()
    w = next(m for m in body["commodities"] if m["label"] == "tungsten")
    assert (w["hhi_lower"], w["hhi_upper"], w["year"]) == (6889.0, 7178.0, None)
    latest = get(network_server, "/api/network/metrics").json()
    w = next(m for m in latest["commodities"] if m["label"] == "tungsten")
    assert (w["year"], w["latest"], w["top_share"]) == (2023, True, 80.0)


def test_disrupt(network_server):
    body = get(network_server, "/api/network/disrupt", country="CHN", element="ree",
               fraction="0.5").json()
    labels = [h["label"] for h in body["hits"]]
    assert {"Hyundai", "Kia", "electric vehicle motors"} <= set(labels)
    assert "tungsten" not in labels
    assert {h["severity"] for h in body["hits"]} == {31.5}


@pytest.mark.parametrize("path, params, parameter", [
    ("/api/network", {"format": "png"}, "format"),
    ("/api/network", {"element": "Zz"}, "element"),
    ("/api/network", {"country": "Atlantis"}, "country"),
    ("/api/network", {"sector": "shipbuilding"}, "sector"),
    ("/api/network", {"threshold": "101"}, "threshold"),
    ("/api/network", {"threshold": "half"}, "threshold"),
    ("/api/network", {"colour": "red"}, "colour"),
    ("/api/network/metrics", {"source": "https://example.org/nothing"}, "source"),
    ("/api/network/metrics", {"year": "last"}, "year"),
    ("/api/network/metrics", {"top": "0"}, "top"),
    ("/api/network/disrupt", {}, "country"),
    ("/api/network/disrupt", {"country": ""}, "country"),
    ("/api/network/disrupt", {"country": "CHN", "fraction": "0"}, "fraction"),
    ("/api/network/disrupt", {"country": "CHN", "fraction": "1.5"}, "fraction"),
    ("/api/network/disrupt", {"country": "CHN", "element": "W-"}, "element"),
])
def test_bad_parameters_are_400s_that_name_them(network_server, path, params, parameter):
    r = get(network_server, path, **params)
    assert r.status_code == 400
    body = r.json()
    assert body["status"] == 400 and body["parameter"] == parameter
    assert body["error"].startswith(f"{parameter}:")


def test_accept_header_chooses_the_format_when_no_format_is_given(network_server):
    r = requests.get(network_server + "/api/network",
                     headers={"Accept": "application/graphml+xml"}, timeout=30)
    assert r.headers["Content-Type"].startswith("application/graphml+xml")
    r = requests.get(network_server + "/api/network", headers={"Accept": "text/html"},
                     timeout=30)
    assert r.headers["Content-Type"].startswith("application/json")


def test_graph_page_points_to_its_data(network_server):
    r = requests.get(network_server + "/graph", timeout=30)
    assert r.status_code == 200
    assert '</api/network?format=graphml>; rel="alternate"' in r.headers["Link"]
    assert '<link rel="alternate" type="application/graphml+xml"' in r.text


def test_a_remote_store_that_does_not_answer_is_a_503_that_says_why():
    from server import create_app

    app = create_app({"STORE": "http://127.0.0.1:9/sparql"})   # nothing listens there
    r = app.test_client().get("/api/network")
    assert r.status_code == 503
    assert r.json["status"] == 503 and "cannot be reached" in r.json["error"]
