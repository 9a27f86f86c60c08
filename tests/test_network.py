"""The supply network: built from the store, measured, disrupted, exported.

Unit checks run on the fixture facts in tests/data/network (several sources and years);
the paper's figures are checked on the real graph."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from babel import Locale
from click.testing import CliRunner

from kg import store as st
from kg.cli import main
from kg.namespace import PAPER, iri
from kg.network import export, metrics, whatif
from kg.network import graph as ng

# Countries are named by CLDR (babel): "Russia", "Congo - Kinshasa".
RUSSIA, CONGO = Locale("en").territories["RU"], Locale("en").territories["CD"]

FIXTURE_SOURCE = "https://example.org/fixture-source"


@pytest.fixture(scope="session")
def fixture_graph(network_link) -> nx.DiGraph:
    return ng.build_graph(st.open_store(network_link))


@pytest.fixture(scope="session")
def real_graph(store) -> nx.DiGraph:
    return ng.build_graph(store)


# --- Building --------------------------------------------------------------------------

def test_nodes_have_types_labels_and_layers(fixture_graph):
    g = fixture_graph
    assert g.nodes[iri("id/country/CHN")]["type"] == "country"
    assert g.nodes[iri("id/group/ree")]["type"] == "group"
    assert g.nodes[iri("id/element/Nd")]["type"] == "element"
    assert (g.nodes[iri("id/org/kia")]["type"], g.nodes[iri("id/org/kia")]["label"]) == (
        "company", "Kia")
    assert g.nodes[iri("id/org/kia")]["based_in"] == iri("id/country/KOR")
    layers = [g.nodes[iri(p)]["layer"] for p in (
        "id/country/CHN", "id/group/ree", "id/element/Nd", "id/material/magnetic-materials",
        "id/sector/ev-motors", "id/org/kia")]
    assert layers == sorted(layers) and len(set(layers)) == 6


def test_edges_follow_supply_and_keep_their_claims(fixture_graph):
    g = fixture_graph
    e = g.edges[iri("id/country/CHN"), iri("id/element/W")]
    assert e["kind"] == "produces"
    # Both figures stay on the edge; it shows the most recent data set's.
    assert sorted((o["sources"], o["share"]) for o in e["observations"]) == [
        ([PAPER], 83.0), ([FIXTURE_SOURCE], 80.0)]
    assert (e["share"], e["year"], e["sources"]) == (80.0, 2023, [FIXTURE_SOURCE])
    assert iri("id/claim/china-tungsten-share") in e["claims"]
    assert g.edges[iri("id/group/ree"), iri("id/element/Nd")]["kind"] == "member"
    assert g.edges[iri("id/element/Nd"), iri("id/material/magnetic-materials")][
        "relation"] == "madeFrom"
    active = g.edges[iri("id/sector/ev-motors"), iri("id/org/hyundai")]
    assert active["kind"] == "active_in"
    assert active["claims"] == [iri("id/claim/hyundai-kia-motors")]
    supply = g.edges[iri("id/org/mitsui"), iri("id/country/KOR")]
    assert supply["commodities"] == [iri("id/material/ultra-high-purity-metals")]
    assert supply["dependence"] == 100.0


# --- Concentration ---------------------------------------------------------------------

def test_default_view_is_the_most_recent_and_says_so(fixture_graph):
    m = metrics.concentration(fixture_graph, iri("id/element/W"))
    assert (m["sources"], m["year"], m["latest"]) == ([FIXTURE_SOURCE], 2023, True)
    # China 80, Viet Nam 4, Russia 3 (ranks 1-3): 13% left in producers of at most 3%.
    assert m["hhi_lower"] == 80**2 + 4**2 + 3**2
    assert m["hhi_upper"] == 80**2 + 4**2 + 3**2 + 4 * 3**2 + 1**2
    assert [p["label"] for p in m["producers"]] == ["China", "Vietnam", RUSSIA]
    assert m["views"] == [{"sources": [FIXTURE_SOURCE], "year": 2023},
                          {"sources": [PAPER], "year": None}]


def test_a_source_can_be_chosen(fixture_graph):
    m = metrics.concentration(fixture_graph, iri("id/element/W"), source=PAPER)
    assert (m["hhi_lower"], m["hhi_upper"], m["latest"]) == (83**2, 83**2 + 17**2, False)
    assert metrics.concentration(fixture_graph, iri("id/element/Co"),
                                 source=FIXTURE_SOURCE) is None


def test_hhi_bounds_refuse_impossible_shares():
    with pytest.raises(ValueError, match="more than 100"):
        metrics.hhi_bounds([70, 40])
    with pytest.raises(ValueError):
        metrics.hhi_bounds([-1])


def test_exposure_and_dependencies(fixture_graph):
    e = metrics.exposure(fixture_graph, iri("id/org/kia"))
    deps = [(d["label"], d["commodity_label"], d["share"]) for d in e["dependencies"]]
    assert deps == [("China", "rare earth elements", 63.0)]
    assert e["dependencies"][0]["path"] == [
        iri("id/country/CHN"), iri("id/group/ree"), iri("id/sector/ev-motors"),
        iri("id/org/kia")]
    chips = metrics.exposure(fixture_graph, iri("id/sector/semiconductors"), threshold=90)
    assert chips["dependencies"] == []
    assert {(d["label"], d["share"]) for d in chips["exposure"]} == {
        ("China", 80.0), ("Vietnam", 4.0), (RUSSIA, 3.0)}


def test_chokepoints_are_nodes_supply_passes_through(fixture_graph):
    top = metrics.chokepoints(fixture_graph, top=3)
    # Every supply path to semiconductors (from China, Viet Nam, Russia's tungsten and
    # from tantalum) runs through ultra-high-purity metals.
    assert top[0]["label"] == "ultra-high-purity metals"
    assert all(c["type"] not in ("country", "company") for c in top)


# --- What-if ---------------------------------------------------------------------------

def test_disrupting_one_rare_earth_does_not_hit_the_others(fixture_graph):
    r = whatif.disrupt(fixture_graph, iri("id/country/CHN"), iri("id/element/Nd"), 0.5)
    hit = {h["label"]: h for h in r["hits"]}
    assert "dysprosium" not in hit and "tungsten" not in hit
    assert hit["Kia"]["severity"] == 31.5
    assert [r["labels"][n] for n in hit["Kia"]["path"]] == [
        "China", "rare earth elements", "neodymium", "magnetic materials",
        "electric vehicle motors", "Kia"]


def test_disruption_is_ranked_worst_first(fixture_graph):
    r = whatif.disrupt(fixture_graph, iri("id/country/CHN"))
    severities = [h["severity"] for h in r["hits"]]
    assert severities == sorted(severities, reverse=True)
    assert r["hits"][0]["label"] == "tungsten" and severities[0] == 80.0
    assert r["counts"]["company"] == 2   # Hyundai and Kia, not LG (cobalt is Congo's)


def test_a_supplier_company_is_hit_with_its_country(fixture_graph):
    # Mitsui, based in Japan, supplies Korea: Japan's disruption stops Mitsui's output;
    # how much of Korea's need that is, the supply relation does not say.
    r = whatif.disrupt(fixture_graph, iri("id/country/JPN"), fraction=0.5)
    hit = {h["label"]: h for h in r["hits"]}
    assert hit["Mitsui"]["severity"] == 50.0
    assert hit["South Korea"]["severity"] is None
    assert hit["South Korea"]["path"] == [iri("id/country/JPN"), iri("id/org/mitsui"),
                                          iri("id/country/KOR")]
    assert [h["label"] for h in r["hits"]] == ["Mitsui", "South Korea"]


def test_disrupt_refuses_bad_input(fixture_graph):
    with pytest.raises(KeyError):
        whatif.disrupt(fixture_graph, iri("id/country/XXX"))
    with pytest.raises(ValueError):
        whatif.disrupt(fixture_graph, iri("id/country/CHN"), fraction=0)


# --- Views and exports -----------------------------------------------------------------

def test_filters_keep_supply_paths(fixture_graph):
    g = fixture_graph
    cobalt = ng.view(g, element=iri("id/element/Co"))
    assert {g.nodes[n]["label"] for n in cobalt} == {
        "cobalt", CONGO, "secondary batteries",
        "LG Energy Solution"}
    strong = ng.view(g, threshold=50)
    assert iri("id/country/VNM") not in strong and iri("id/country/CHN") in strong
    assert not ng.view(g, country=iri("id/country/COD"), sector=iri("id/sector/ev-motors"))


@pytest.mark.parametrize("graph", ["fixture_graph", "real_graph"])
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_reloads_with_the_same_nodes_and_edges(request, graph, fmt):
    g = request.getfixturevalue(graph)
    out = io.BytesIO()
    export.write(g, out, fmt)
    out.seek(0)
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert set(back.nodes) == set(g.nodes)
    assert set(back.edges) == set(g.edges)
    e = back.edges[iri("id/country/CHN"), iri("id/element/W")]
    assert float(e["share"]) == g.edges[iri("id/country/CHN"), iri("id/element/W")]["share"]
    figures = {o["share"] for o in json.loads(e["observations"])}
    assert 83.0 in figures   # the paper's figure travels with the edge


def test_cli_metrics_disrupt_and_export(network_link, tmp_path):
    runner = CliRunner()
    store = ["--store", str(network_link)]
    r = runner.invoke(main, ["network", "metrics", "--source", "paper", "--json", *store])
    assert r.exit_code == 0, r.output
    tungsten = next(m for m in json.loads(r.output)["commodities"] if m["label"] == "tungsten")
    assert (tungsten["hhi_lower"], tungsten["hhi_upper"]) == (6889.0, 7178.0)
    r = runner.invoke(main, ["network", "disrupt", "--country", "CHN", "--element", "ree",
                             *store])
    assert r.exit_code == 0 and "Kia" in r.output and "tungsten" not in r.output
    r = runner.invoke(main, ["network", "disrupt", "--country", "ATL", *store])
    assert r.exit_code == 2 and "--country" in r.output
    for fmt in ("graphml", "gexf", "cytoscape", "dot"):
        out = tmp_path / f"n.{fmt}"
        r = runner.invoke(main, ["network", "export", "--format", fmt, "-o", str(out), *store])
        assert r.exit_code == 0, r.output
    assert nx.read_graphml(tmp_path / "n.graphml").number_of_nodes() == 25
    assert f'"{iri("id/country/CHN")}" ->' in (tmp_path / "n.dot").read_text()


# --- The paper's figures, on the real graph --------------------------------------------

@pytest.mark.parametrize("commodity, country, share", [
    ("id/element/W", "CHN", 83.0),
    ("id/element/Co", "COD", 70.0),
    ("id/group/pgm", "ZAF", 55.0),
    ("id/group/ree", "CHN", 63.0),
])
def test_paper_concentration(real_graph, commodity, country, share):
    m = metrics.concentration(real_graph, iri(commodity), source=PAPER)
    assert m is not None, f"no paper figure for {commodity}"
    assert (m["top_producer"], m["top_share"]) == (iri(f"id/country/{country}"), share)
    # The paper names one producer: the rest is unknown, in at most one further producer
    # (it cannot be larger than the top one, and here it is the smaller part).
    assert m["known_share"] == share
    assert m["hhi_lower"] == share**2
    assert m["hhi_upper"] == share**2 + (100 - share) ** 2


def test_china_rare_earths_reach_ev_motors_and_carmakers(real_graph):
    r = whatif.disrupt(real_graph, iri("id/country/CHN"), iri("id/group/ree"), source=PAPER)
    hits = {h["label"]: h for h in r["hits"]}
    motors = [h for h in r["hits"] if h["type"] == "sector" and "motor" in h["label"].lower()]
    assert motors, f"no EV motor sector hit: {sorted(hits)}"
    for maker in ("Hyundai", "Kia"):
        hit = next((h for label, h in hits.items() if maker in label), None)
        assert hit is not None and hit["type"] == "company", f"{maker} not hit"
        assert hit["path"][0] == iri("id/country/CHN") and hit["severity"] == 63.0


def test_china_tungsten_reaches_semiconductors_through_its_group(real_graph):
    # The sectors need "high-melting-point metals", a group without figures of its own:
    # its members' supply flows into it.
    r = whatif.disrupt(real_graph, iri("id/country/CHN"), iri("id/element/W"), source=PAPER)
    hit = {h["label"]: h for h in r["hits"]}
    chips = hit["semiconductors and displays"]
    assert chips["severity"] == 83.0
    assert chips["path"][:3] == [iri("id/country/CHN"), iri("id/element/W"),
                                 iri("id/group/high-melting-point-metals")]
    assert "cobalt" not in hit and "Kia" not in hit


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pydot's parser on pyparsing 3
def test_dot_export_reloads_with_the_same_nodes_and_edges(real_graph):
    import pydot

    out = io.BytesIO()
    export.write(real_graph, out, "dot")
    (dot,) = pydot.graph_from_dot_data(out.getvalue().decode("utf-8"))
    back = nx.nx_pydot.from_pydot(dot)
    assert set(back.nodes) == set(real_graph.nodes)
    assert set(back.edges) == set(real_graph.edges)
