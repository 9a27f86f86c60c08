"""The competency questions (queries/competency/*.rq) return the answers the paper gives."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import ROOT

from kg import store as st
from kg.namespace import PAPER

COMPETENCY = ROOT / "queries" / "competency"
ID = "https://w3id.org/krm/id/"


def ask(store, name: str) -> list[dict]:
    return list(st.rows(st.query(store, (COMPETENCY / f"{name}.rq").read_text("utf-8"))))


def test_there_are_at_least_twenty_competency_questions():
    assert len(list(COMPETENCY.glob("*.rq"))) >= 20


@pytest.mark.parametrize("path", sorted(COMPETENCY.glob("*.rq")), ids=lambda p: p.stem)
def test_every_competency_question_has_a_header_and_an_answer(store, path):
    text = path.read_text("utf-8")
    assert text.startswith("#+ summary: ")
    assert list(st.query(store, text)), f"{path.name} returns nothing"


def test_china_tungsten_share(store):
    (row,) = ask(store, "china-tungsten-share")
    assert Decimal(row["share"]) == 83
    assert "83% of tungsten" in row["exact"]


def test_paper_production_shares(store):
    shares = {(r["country"][len(ID):], r["commodity"][len(ID):]): Decimal(r["share"])
              for r in ask(store, "paper-production-shares")}
    assert shares == {
        ("country/CHN", "element/W"): 83,
        ("country/CHN", "group/ree"): 63,
        ("country/COD", "element/Co"): 70,
        ("country/ZAF", "group/pgm"): 55,
    }


def test_national_rare_metal_center_article_and_designee(store):
    (row,) = ask(store, "national-rare-metal-center")
    assert row["number"] == "37-3"
    assert row["designee"] == ID + "org/kitech"
    assert row["designatedBy"] == ID + "org/motie"


def test_article_37_2_policies_every_five_years(store):
    (row,) = ask(store, "article-37-2")
    assert "competitiveness" in row["providesLabel"]
    assert row["interval"] == "P5Y"


def test_three_goals_of_strategy_2_0(store):
    goals = {r["en"] for r in ask(store, "strategy-2-0-goals")}
    assert goals == {"Nurturing Core Companies",
                     "Establishment of a Stable Rare Metal Supply Chain", "Securing Resources"}


def test_strategy_2_0_issued_in_2021_by_motie(store):
    (row,) = ask(store, "strategy-2-0-issued")
    assert row["issued"].startswith("2021")
    assert row["issuer"] == ID + "org/motie"


def test_ultra_high_purity_metal_suppliers(store):
    rows = ask(store, "uhp-metal-suppliers")
    suppliers = {(r["supplierLabel"], r["countryLabel"]) for r in rows}
    assert suppliers == {("Mitsui", "Japan"), ("Honeywell", "United States"), ("KFMI", "China")}


def test_korea_capacity_shares(store):
    rows = ask(store, "korea-capacity-shares")
    shares = {r["product"][len(ID):]: Decimal(r["share"]) for r in rows}
    assert shares == {"sector/secondary-batteries": 35, "material/precursors": Decimal("0.5")}


def test_list_sizes_keep_each_sources_count(store):
    sizes = ask(store, "list-sizes")
    by = {(r["list"][len(ID):], r["source"] == PAPER): r for r in sizes}
    korea = by[("list/korea-rare-metals", True)]
    assert (korea["items"], korea["elements"]) == ("35", "56")
    assert by[("list/us-critical-minerals-2022", True)]["items"] == "50"
    doe = [r["items"] for r in sizes if r["list"].endswith("us-doe-critical-materials-2023")]
    assert set(doe) == {"18", "19"}  # the paper says nineteen, the DOE 18
    japan_paper = [r for r in sizes if r["source"] == PAPER and "japan" in r["list"]]
    assert [r["elements"] for r in japan_paper] == ["55"]
    eu = {r["items"] for r in sizes if "eu-critical-raw-materials-2023" in r["list"]}
    assert eu == {"66", "34"}


def test_korea_list_has_56_elements(store):
    symbols = {r["symbol"] for r in ask(store, "korea-list-elements")}
    assert len(symbols) == 56
    assert {"W", "Nd", "Pt", "Li", "Sc", "Y"} <= symbols


def test_battery_elements(store):
    assert {r["symbol"] for r in ask(store, "battery-elements")} == {"Li", "Ni", "Mn", "Co"}


def test_ev_motor_companies(store):
    labels = {r["label"] for r in ask(store, "ev-motor-companies")}
    assert labels == {"Hyundai Motor Company", "Kia"}


def test_recycling_capacity_is_a_tenth_of_imports(store):
    (row,) = ask(store, "recycling-ratio")
    assert Decimal(row["ratio"]) == 10  # percent: about one tenth


def test_company_survey(store):
    (row,) = ask(store, "company-survey")
    assert int(row["companies"]) == 125 and Decimal(row["smallPercent"]) == 64


def test_events_affecting_korea(store):
    labels = {r["label"] for r in ask(store, "events-affecting-korea")}
    assert {"COVID-19 pandemic", "urea water crisis", "Japan's export restrictions",
            "US-China trade war"} <= labels


def test_eu_plan_has_four_goals_and_ten_actions(store):
    (row,) = ask(store, "eu-plan")
    assert (row["goals"], row["actions"]) == ("4", "10")
    assert (row["goalsListed"], row["actionsListed"]) == ("4", "10")


def test_reeshore_reduces_dependence_on_china(store):
    policies = [r["policy"] for r in ask(store, "reduce-china-dependence")]
    assert policies == [ID + "strategy/us-reeshore"]


def test_leading_producers(store):
    ranks = {(r["countryLabel"], r["commodityLabel"]): int(r["rank"])
             for r in ask(store, "leading-producers")}
    assert ranks[("Australia", "lithium")] == 1
    assert ranks[("Indonesia", "nickel")] == 1
    assert ranks[("Indonesia", "tin")] == 2


def test_korea_has_no_lithium_cobalt_nickel_deposits(store):
    assert {r["symbol"] for r in ask(store, "korea-no-deposits")} == {"Li", "Co", "Ni"}


def test_myanmar_smelting_capacity(store):
    (row,) = ask(store, "myanmar-smelting-capacity")
    assert Decimal(row["amount"]) == 22000


def test_evidence_behind_tungsten(store):
    rows = ask(store, "tungsten-evidence")
    assert any(r["section"] == "2.1.2" and "83%" in r["exact"] for r in rows)


def test_council_members_include_motie_and_kitech_center(store):
    members = {r["member"][len(ID):] for r in ask(store, "council-members")}
    assert {"org/motie", "org/kores", "org/kigam"} <= members
