"""The dependency analysis against hand computations from the committed CSV files
(kg/sources): each test reads the source rows itself, computes the shares, HHI and risk
with plain arithmetic, and compares with what kg.network.dependency answers from the
graph."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

from kg.network import dependency as dep

SOURCES = Path(__file__).resolve().parents[1] / "kg" / "sources"
BACI = SOURCES / "baci-korea" / "baci_korea_imports_by_partner.csv"
WGI = SOURCES / "wgi" / "wgi_political_stability.csv"
ID = "https://w3id.org/krm/id/"


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def baci(code: str, year: int) -> list[tuple[int, dict]]:
    """(CSV line, row) of Korea's imports of one HS code in one year."""
    return [(i + 2, r) for i, r in enumerate(read(BACI))
            if r["hs6_hs92"] == code and r["year"] == str(year)]


def test_lithium_carbonate_imports_2024_by_partner(store):
    rows = baci("283691", 2024)
    assert rows, "the file has Korea's lithium carbonate imports in 2024"
    value = {r["exporter_iso3"]: float(r["value_kusd"]) for _, r in rows}
    qty = {r["exporter_iso3"]: float(r["quantity_t"]) for _, r in rows if r["quantity_t"]}
    tv, tq = sum(value.values()), sum(qty.values())
    v_share = {k: 100 * v / tv for k, v in value.items()}
    q_share = {k: 100 * q / tq for k, q in qty.items()}
    line_of = {r["exporter_iso3"]: line for line, r in rows}

    got = dep.import_profile(store, 2024, product="283691")
    assert got["total_value"] == pytest.approx(tv)
    assert got["total_quantity"] == pytest.approx(tq)
    assert len(got["partners"]) == len(rows)
    for p in got["partners"]:
        (line,) = p["source_rows"]
        iso = next(k for k, n in line_of.items() if n == line)
        assert p["value"] == pytest.approx(value[iso])
        assert p["value_share"] == pytest.approx(v_share[iso])
        assert p["quantity_share"] == pytest.approx(q_share[iso])
    assert got["hhi_value"] == pytest.approx(sum(s * s for s in v_share.values()))
    assert got["hhi_quantity"] == pytest.approx(sum(s * s for s in q_share.values()))
    top = max(value, key=value.get)
    assert got["largest"]["partner"] == ID + f"country/{top}"
    assert got["largest"]["value_share"] == pytest.approx(v_share[top])
    assert got["china_value_share"] == pytest.approx(v_share.get("CHN", 0.0))
    assert got["inputs"]["file"] == BACI.name and got["inputs"]["year"] == 2024


def usgs_mine_rows(path: Path, column: str) -> tuple[dict[int, float], set[int]]:
    """Values of one column by CSV line, leaving out the World total; and the lines of
    countries (not "Other countries")."""
    values, countries = {}, set()
    for i, r in enumerate(read(path)):
        name = r["Country"].strip()
        if name.startswith("World total"):
            continue
        values[i + 2] = float(r[column].replace(",", ""))
        if name != "Other countries":
            countries.add(i + 2)
    return values, countries


@pytest.mark.parametrize("edition, column", [("2024", "Prod_t_est_2022"),
                                             ("2023", "Prod_t_est_2022")])
def test_cobalt_mine_production_shares_2022(store, edition, column):
    path = SOURCES / "usgs-mcs" / edition / "world" / f"mcs{edition}-cobal_world.csv"
    values, countries = usgs_mine_rows(path, column)
    total = sum(values.values())
    shares = {line: 100 * v / total for line, v in values.items()}

    answers = dep.production_concentration(store, "cobalt", 2022)
    (got,) = [a for a in answers
              if a["inputs"]["dataset"].endswith(f"usgs-mcs-{edition}-world")]
    assert got["total"] == pytest.approx(total)
    assert {p["row"]: p["share"] for p in got["producers"]} == pytest.approx(shares)
    assert got["hhi"] == pytest.approx(sum(shares[n] ** 2 for n in countries))
    assert got["producers"][0]["share"] == pytest.approx(max(shares.values()))
    assert got["inputs"]["file"] == path.name
    assert got["inputs"]["unit"] == "http://qudt.org/vocab/unit/TONNE"
    assert got["korea"] is None    # Korea mines no cobalt in the table


def test_geopolrisk_of_cobalt_oxides_2022(store):
    """Korea's GeoPolRisk for HS 282200 (cobalt oxides) in 2022: the HHI of cobalt mine
    production (MCS 2024, the newest edition giving 2022) times the quantity-weighted
    political-stability score of Korea's partners, each step by hand."""
    path = SOURCES / "usgs-mcs" / "2024" / "world" / "mcs2024-cobal_world.csv"
    values, countries = usgs_mine_rows(path, "Prod_t_est_2022")
    total = sum(values.values())
    hhi = sum((100 * values[n] / total) ** 2 for n in countries)

    wgi = {r["iso3"]: float(r["estimate"]) for r in read(WGI) if r["year"] == "2022"}
    rows = [r for _, r in baci("282200", 2022)]
    qty = defaultdict(float)
    for r in rows:
        qty[r["exporter_iso3"]] += float(r["quantity_t"])
    tq = sum(qty.values())

    def g(iso):   # (2.5 - estimate) / 5 on 0-1; 0.5 without a score
        return min(1.0, max(0.0, (2.5 - wgi[iso]) / 5)) if iso in wgi else 0.5

    term = sum(q / tq * g(iso) for iso, q in qty.items())
    got = dep.supply_risk(store, "282200", "cobalt", 2022)
    assert got["production_hhi"] == pytest.approx(hhi)
    assert got["geopolrisk"]["import_term"] == pytest.approx(term)
    assert got["geopolrisk"]["value"] == pytest.approx(hhi / 10000 * term)
    assert "doi:10.21105/joss.09600" in got["geopolrisk"]["formula"]
    assert got["inputs"]["production"]["file"] == path.name
    # Governance-weighted HHI (EU method, WGI rescaled to 0-10): by hand over the
    # country rows, each matched to its ISO code through the graph's producer rows.
    iso_of = {p["row"]: p["area"].rsplit("/", 1)[-1] for p in dep.production_concentration(
        store, "cobalt", 2022)[0]["producers"]}
    weighted = sum((values[n] / total) ** 2 * min(10.0, max(0.0, (2.5 - wgi[iso_of[n]]) * 2))
                   for n in countries if iso_of[n] in wgi)
    assert got["governance_weighted_hhi"]["value"] == pytest.approx(weighted)


def test_element_imports_add_up_the_products_that_contain_it(store):
    got = dep.import_profile(store, 2024, element="Li")
    assert ID + "product/hs92/283691" in got["products"]
    codes = {p.rsplit("/", 1)[-1] for p in got["products"]}
    by_hand = sum(float(r["value_kusd"]) for r in read(BACI)
                  if r["year"] == "2024" and r["hs6_hs92"] in codes)
    assert got["total_value"] == pytest.approx(by_hand)
    assert got["total_quantity"] is None    # tonnes of different products do not add up


def test_the_series_covers_every_year_in_the_file(store):
    years = {int(r["year"]) for r in read(BACI) if r["hs6_hs92"] == "283691"}
    series = dep.import_series(store, product="283691")
    assert [a["year"] for a in series] == sorted(years)
    assert all(0 < a["hhi_value"] <= 10000 + 1e-6 for a in series)


def test_bad_input_is_a_clear_error(store):
    with pytest.raises(ValueError, match="product or an element"):
        dep.import_profile(store, 2024)
    with pytest.raises(ValueError, match="no USGS production"):
        dep.supply_risk(store, "282200", "no-such-commodity", 2022)
    assert re.search(r"hs92/000000$", dep.expand("000000", "product"))


def test_koreas_own_refined_copper_share_2021(store):
    """Korea's row of the MCS 2022 copper table, refinery production 2021 (kt): its
    share of the rows other than the World total, by hand."""
    path = SOURCES / "usgs-mcs" / "2022" / "world" / "copper_mcs2022-coppe_world.csv"
    rows = [(i + 2, r) for i, r in enumerate(read(path)) if r["Type"] == "Refinery production"
            and not r["Country"].startswith("World total")]
    total = sum(float(r["Prod_kt_Est_2021"]) for _, r in rows)
    ((line, korea),) = [(n, r) for n, r in rows if r["Country"].startswith("Korea")]

    answers = dep.production_concentration(store, "copper", 2021)
    (got,) = [a for a in answers if a["inputs"]["dataset"].endswith("usgs-mcs-2022-world")
              and a["form"].endswith("/refinery-production")]
    assert got["korea"]["row"] == line
    assert got["korea"]["value"] == pytest.approx(float(korea["Prod_kt_Est_2021"]))
    assert got["korea"]["share"] == pytest.approx(100 * float(korea["Prod_kt_Est_2021"]) / total)
    assert (got["inputs"]["unit"], got["inputs"]["unit_mult"]) == (
        "http://qudt.org/vocab/unit/TONNE", 3)
