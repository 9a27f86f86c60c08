"""The data-driven supply network and its what-if over real shares: every figure checked
against the CEPII BACI file (kg/sources/baci-korea) by hand, the sectors and companies
against the paper's facts. The API and CLI answer the same."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.network import supply

BACI = (Path(__file__).resolve().parents[1] / "kg" / "sources" / "baci-korea"
        / "baci_korea_imports_by_partner.csv")
K = "https://w3id.org/krm/id/"


@pytest.fixture(scope="module")
def imports_2024() -> list[tuple[int, dict]]:
    with BACI.open(encoding="utf-8-sig", newline="") as f:
        return [(i + 2, r) for i, r in enumerate(csv.DictReader(f)) if r["year"] == "2024"]


@pytest.fixture(scope="module")
def g(store):
    return supply.build(store, 2024)


def test_every_import_edge_is_a_row_of_the_file(g, imports_2024):
    edges = {(u, v): d for u, v, d in g.edges(data=True) if d["kind"] == "imports"}
    assert len(edges) == len(imports_2024)
    for line, r in imports_2024[::50]:
        d = next(d for (u, v), d in edges.items()
                 if v == K + f"product/hs92/{r['hs6_hs92']}" and d["row"] == line)
        assert d["value"] == pytest.approx(float(r["value_kusd"]))
        assert d["year"] == 2024 and d["file"] == BACI.name
        total = sum(float(x["value_kusd"]) for _, x in imports_2024
                    if x["hs6_hs92"] == r["hs6_hs92"])
        assert d["share"] == pytest.approx(100 * float(r["value_kusd"]) / total)


def test_chile_stops_half_its_lithium_carbonate(g, imports_2024):
    chile = [(n, r) for n, r in imports_2024
             if r["hs6_hs92"] == "283691" and r["exporter_iso3"] == "CHL"]
    ((line, row),) = chile
    total = sum(float(r["value_kusd"]) for _, r in imports_2024 if r["hs6_hs92"] == "283691")
    lost = 0.5 * float(row["value_kusd"])
    # Lithium: every product of 2024 that contains it (the HS rule table), by hand.
    li_codes = {g.nodes[p]["code"] for p in g.predecessors(K + "element/Li")
                if g.edges[p, K + "element/Li"]["kind"] == "contains"}
    li_total = sum(float(r["value_kusd"]) for _, r in imports_2024 if r["hs6_hs92"] in li_codes)

    r = supply.disrupt(g, K + "country/CHL", product=K + "product/hs92/283691", fraction=0.5)
    assert r["lost_value"] == pytest.approx(lost)
    (p,) = r["products"]
    assert p["share_of_imports"] == pytest.approx(100 * lost / total)
    assert p["figures"][0]["source"] == {
        "dataset": K + "dataset/baci-hs92-v202401b-korea", "file": BACI.name, "row": line}
    hits = {h["node"]: h for h in r["hits"]}
    assert hits[K + "element/Li"]["severity"] == pytest.approx(100 * lost / li_total)
    # Downstream: the paper's battery sector and companies, hit as hard as lithium.
    companies = [h for h in r["hits"] if h["type"] == "company"]
    assert companies, "the paper names companies in the battery sector"
    for h in companies:
        assert h["severity"] == pytest.approx(100 * lost / li_total)
        assert h["path"][:3] == [K + "country/CHL", K + "product/hs92/283691", K + "element/Li"]
        kinds = [f["kind"] for f in h["figures"]]
        assert kinds[0] == "imports" and kinds[-1] == "active_in"
        assert h["figures"][0]["year"] == 2024
        assert all(f["claims"] for f in h["figures"][2:])   # paper facts carry claims


def test_an_element_cut_takes_every_product_that_contains_it(g, imports_2024):
    codes = {g.nodes[p]["code"] for p in g.predecessors(K + "element/Nd")
             if g.edges[p, K + "element/Nd"]["kind"] == "contains"}
    by_hand = sum(float(r["value_kusd"]) for _, r in imports_2024
                  if r["hs6_hs92"] in codes and r["exporter_iso3"] == "CHN")
    r = supply.disrupt(g, K + "country/CHN", element=K + "element/Nd")
    assert r["lost_value"] == pytest.approx(by_hand)
    ranked = [h["severity"] for h in r["hits"]]
    assert ranked == sorted(ranked, reverse=True)
    assert any(h["type"] == "sector" for h in r["hits"])


def test_the_old_aggregator_share_is_gone(g):
    r = supply.disrupt(g, K + "country/CHN", element=K + "element/Nd")
    text = json.dumps(r)
    assert "69.2" not in text and "nai500" not in text


def test_bad_input_is_a_clear_error(g):
    with pytest.raises(KeyError, match="not in the network of 2024"):
        supply.disrupt(g, K + "country/ATL")
    with pytest.raises(ValueError, match="fraction"):
        supply.disrupt(g, K + "country/CHN", fraction=0)


def test_api_and_cli_answer_the_same(store_link, imports_2024):
    from server import create_app

    app = create_app({"STORE": str(store_link), "TESTING": True})
    client = app.test_client()
    r = client.get("/api/supply/disrupt?year=2024&partner=CHL&product=283691&fraction=0.5")
    assert r.status_code == 200, r.get_json()
    lost = r.get_json()["lost_value"]
    (row,) = [r for _, r in imports_2024 if r["hs6_hs92"] == "283691"
              and r["exporter_iso3"] == "CHL"]
    assert lost == pytest.approx(0.5 * float(row["value_kusd"]))
    bad = client.get("/api/supply/disrupt?year=2024&partner=ATL")
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "partner"
    assert client.get("/api/supply/disrupt?year=1990&partner=CHL").status_code == 400
    out = CliRunner().invoke(main, ["network", "disrupt", "--year", "2024", "--country", "CHL",
                                    "--product", "283691", "--fraction", "0.5", "--json",
                                    "--store", str(store_link)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["lost_value"] == pytest.approx(lost)
    risk = client.get("/api/dependency/risk?product=282200&commodity=cobalt&year=2022")
    assert risk.status_code == 200 and "joss.09600" in risk.get_json()["geopolrisk"]["formula"]
