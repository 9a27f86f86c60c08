"""The competency questions about what the paper says in prose (definitions, demand, aims,
actions, recommendations, impacts, Table 1, dates and disagreements) are answered from the
graph's structure; the claims behind each answer quote the paper's own words."""

from __future__ import annotations

from decimal import Decimal

from conftest import collapse
from test_competency import ID, ask

from kg.namespace import ONTOLOGY as KRM
from kg.namespace import PAPER

QUDT = "http://qudt.org/vocab/unit/"


def quotes_in_paper(rows, paper_text, *words):
    """Every quote of ``rows`` is the paper's text, and together they hold ``words``."""
    quotes = {r["quote"] for r in rows if r.get("quote")}
    assert quotes, "no quote behind the answer"
    for q in quotes:
        assert collapse(q) in paper_text
    joined = " ".join(quotes).lower()
    for w in words:
        assert w.lower() in joined, f"{w!r} not in the quotes {quotes}"


def test_what_drives_demand(store, paper_text):
    rows = ask(store, "demand-drivers")
    assert {r["driver"][len(ID):] for r in rows} == {
        "sector/electric-vehicles", "sector/secondary-batteries", "sector/renewable-energy",
        "concept/carbon-neutrality", "sector/ev-motors", "concept/high-tech-products"}
    quotes_in_paper(rows, paper_text, "electric vehicle", "renewable energy", "carbon-neutral")


def test_which_elements_batteries_drive_demand_for(store, paper_text):
    rows = ask(store, "battery-demand")
    assert {r["symbol"] for r in rows} == {"Li", "Ni", "Mn", "Co"}
    quotes_in_paper(rows, paper_text, "lithium nickel manganese cobalt")


def test_definition_criteria_by_perspective(store, paper_text):
    rows = ask(store, "rare-metal-criteria")
    paper = {(r["criterion"][len(ID):], r["perspective"]) for r in rows if r["source"] == PAPER}
    assert ("criterion/price-volatility", KRM + "economicPerspective") in paper
    assert ("criterion/low-ore-concentration", KRM + "dictionaryPerspective") in paper
    assert ("criterion/concentrated-in-few-countries", KRM + "resourceSecurityPerspective") in paper
    quotes_in_paper([r for r in rows if r["source"] == PAPER], paper_text,
                    "price volatility", "low concentration of ore", "select few countries")


def test_price_volatility_is_the_papers_criterion_not_kirams(store):
    rows = ask(store, "rare-metal-criteria")
    sources = {r["source"] for r in rows if r["criterion"].endswith("price-volatility")}
    assert sources == {PAPER}


def test_resource_security_view_from_two_sources(store):
    rows = ask(store, "resource-security-criteria")
    assert {r["criterion"][len(ID):] for r in rows} == {"criterion/concentrated-in-few-countries"}
    assert PAPER in {r["source"] for r in rows} and len({r["source"] for r in rows}) == 2


def test_what_the_2023_law_aims_at(store, paper_text):
    rows = ask(store, "law-aims")
    goals = {r["goal"][len(ID):] for r in rows}
    assert {"goal/mpe-competitiveness", "goal/stable-rare-metal-supply-chain",
            "goal/support-rare-metal-companies"} <= goals
    quotes_in_paper(rows, paper_text, "competitiveness", "supply chain", "supporting companies")


def test_the_inaugural_legislation(store, paper_text):
    (row,) = ask(store, "first-legislation")
    assert row["law"] == ID + "law/materials-parts-equipment-act-amendment-2023"
    assert row["country"] == ID + "country/KOR"
    quotes_in_paper([row], paper_text, "inaugural legislation")


def test_five_year_policy_cycle_is_the_papers(store, paper_text):
    (row,) = ask(store, "policy-cycle")
    assert (row["interval"], row["source"]) == ("P5Y", PAPER)
    assert row["about"] == ID + "law/materials-parts-equipment-act-article-37-2"
    quotes_in_paper([row], paper_text, "every five years")


def test_what_kitech_does(store, paper_text):
    rows = ask(store, "kitech-actions")
    by_status = {}
    for r in rows:
        by_status.setdefault(r["status"][len(KRM):], set()).add(r["actionType"][len(KRM):])
    assert {"support", "developTechnology"} <= by_status["ongoing"]
    assert "increasePresence" in by_status["planned"]
    quotes_in_paper(rows, paper_text, "smaller firms", "recycling and refining firms")


def test_what_kitech_achieved(store, paper_text):
    rows = ask(store, "kitech-achievements")
    assert (KRM + "transferTechnology", ID + "material/ultra-high-purity-metals") in {
        (r["actionType"], r["object"]) for r in rows}
    quotes_in_paper(rows, paper_text, "technology transfer to domestic companies")


def test_the_papers_recommendations(store, paper_text):
    rows = ask(store, "recommendations")
    kinds = {r["actionType"][len(KRM):] for r in rows}
    assert {"enhanceTechnology", "establishCircularEconomy", "increasePresence", "cooperate",
            "adjustPolicy", "mitigateRisk"} <= kinds
    assert {r["sectionNumber"] for r in rows} >= {"Abstract", "2.3", "2.5", "3"}
    quotes_in_paper(rows, paper_text, "recycling and refining technologies",
                    "circular rare metal industrial economy", "more recycling companies")


def test_the_conclusions_call_for_cooperation_policy_and_technology(store, paper_text):
    rows = ask(store, "conclusion-recommendations")
    assert {r["actionType"][len(KRM):] for r in rows} == {"cooperate", "adjustPolicy",
                                                          "enhanceTechnology"}
    quotes_in_paper(rows, paper_text, "international cooperation", "policy adjustments",
                    "technological advancements")


def test_what_covid_did(store, paper_text):
    rows = ask(store, "covid-impacts")
    effects = {(r["impactOn"][len(ID):], r["effect"][len(KRM):]) for r in rows}
    assert {("country/KOR", "rawMaterialSupplyDifficulty"), ("country/KOR", "productivityLoss"),
            ("country/CHN", "productionCut"),
            ("concept/global-supply-chain", "supplyChainDisruption")} <= effects
    quotes_in_paper(rows, paper_text, "reduction in production in China", "raw materials supply")


def test_the_urea_crisis(store, paper_text):
    (row,) = ask(store, "urea-crisis")
    assert (row["impactOn"], row["effect"]) == (ID + "country/KOR", KRM + "productivityLoss")
    quotes_in_paper([row], paper_text, "urea water crisis")


def test_events_behind_korea_s_fluctuations(store, paper_text):
    rows = ask(store, "fluctuation-causes")
    assert {r["event"][len(ID):] for r in rows} == {
        "event/japan-export-restrictions", "event/us-china-trade-war", "event/covid-19-pandemic"}
    quotes_in_paper(rows, paper_text, "fluctuations in supply and demand")


def test_table_1_row_by_row(store, paper_text):
    rows = ask(store, "table1-roles")
    side = {r["party"][len(ID):]: r["side"][len(KRM):] for r in rows}
    assert side == {"country/CHN": "supplySide", "country/AUS": "supplySide",
                    "country/IDN": "supplySide", "country/MMR": "supplySide",
                    "country/USA": "demandSide", "org/eu": "demandSide",
                    "country/JPN": "demandSide"}
    policies = {r["party"][len(ID):]: r["policy"][len(ID):] for r in rows if r["policy"]}
    assert policies == {"org/eu": "strategy/eu-crm-action-plan-2020",
                        "country/JPN": "strategy/japan-new-international-resource-strategy"}
    assert {(r["commodity"], r["rank"]) for r in rows if r["party"].endswith("AUS")} == {
        (ID + "element/Li", "1")}
    quotes_in_paper(rows, paper_text, "Lithium No. 1", "rare earth processing industry")


def test_which_measures_of_strategy_2_0_come_from_the_paper(store, paper_text):
    rows = ask(store, "strategy-2-0-measure-sources")
    measures = {r["measure"] for r in rows}
    from_paper = {r["measure"] for r in rows if r["source"] == PAPER}
    assert len(measures) == 10 and len(from_paper) == 6
    assert all(r["claim"] for r in rows if r["source"] == PAPER)
    assert {r["source"] for r in rows if r["measure"] not in from_paper} >= {
        "https://kiram.re.kr/info/introduce-strategy"}
    quotes_in_paper(rows, paper_text, "resilient resource supply system",
                    "Rare Metal Tndustry Development Council")


def test_who_issued_the_2009_plan_by_source(store, paper_text):
    rows = ask(store, "plan-2009-issuer")
    by_source = {r["source"]: r["issuer"][len(ID):] for r in rows}
    assert by_source[PAPER] == "org/motie"
    assert by_source["https://www.hankyung.com/article/2009112707651"] == \
        "org/ministry-of-knowledge-economy"
    quotes_in_paper([r for r in rows if r["source"] == PAPER], paper_text, "first in 2009")


def test_japan_strategy_date_by_source(store, paper_text):
    rows = ask(store, "japan-strategy-date")
    by_source = {r["source"]: r["issued"] for r in rows}
    assert by_source[PAPER] == "2022"
    assert "2020-03" in {str(v) for s, v in by_source.items() if s != PAPER}
    quotes_in_paper([r for r in rows if r["source"] == PAPER], paper_text, "strategy for 2022")


def test_reeshore_implemented_in_2022_says_the_paper(store, paper_text):
    (row,) = ask(store, "reeshore-year")
    assert str(row["implemented"]) == "2022" and str(row["introduced"]) == "2022-01-19"
    quotes_in_paper([row], paper_text, "implemented in 2022")


def test_strategy_targets_have_values_and_units(store):
    rows = ask(store, "strategy-targets")
    targets = {(r["target"][len(ID):], Decimal(str(r["value"])), r["unit"][len(QUDT):])
               for r in rows}
    assert ("statement/strategy-2-0-stockpile-target", 100, "DAY") in targets
    assert ("statement/securing-plan-2010-stockpile-target", 76000, "TONNE") in targets
    baseline = {Decimal(str(r["baseline"])) for r in rows if r["baseline"] is not None}
    assert baseline == {Decimal("56.8")}


def test_the_centres_staff(store):
    rows = ask(store, "centre-staff")
    assert {(int(r["staff"]), int(r["doctoral"])) for r in rows} == {(14, 9)}


def test_kiram_and_the_centre_are_two_organisations(store):
    (row,) = ask(store, "centre-succession")
    assert row["predecessor"] == ID + "org/kiram" and row["parent"] == ID + "org/kitech"
    assert str(row["founded"]) == "2010-01" and str(row["dissolved"]) == "2023-12-15"


def test_the_2021_council_member_is_kiram_not_the_2023_centre(store):
    (row,) = ask(store, "council-kitech-unit")
    assert row["unit"] == ID + "org/kiram"


def test_the_designation_is_described_by_a_claim(store, paper_text):
    (row,) = ask(store, "designation-claim")
    assert row["designee"] == ID + "org/kitech" and row["designatedBy"] == ID + "org/motie"
    assert row["claim"] != row["designation"]
    quotes_in_paper([row], paper_text, "designates KITECH as the National Rare Metal Center")


def test_the_eu_is_an_intergovernmental_organisation(store):
    (row,) = ask(store, "non-country-jurisdictions")
    assert row["jurisdiction"] == ID + "org/eu"


def test_capacities_have_units(store, paper_text):
    rows = {r["holder"][len(ID):]: r for r in ask(store, "recycler-capacity")}
    sungeel = rows["org/sungeel-hitech"]
    assert (Decimal(sungeel["amount"]), sungeel["unit"]) == (40000, QUDT + "TONNE-PER-YR")
    assert Decimal(rows["country/MMR"]["amount"]) == 22000
    assert "22,000 tons annually" in paper_text


def test_acronyms_have_full_names(store):
    names = {r["acronym"]: r["name"] for r in ask(store, "acronyms")}
    assert names["KIMS"] == "Korea Institute of Materials Science"
    assert names["KORES"] == "Korea Resources Corporation"
    assert names["KOTRA"] == "Korea Trade-Investment Promotion Agency"
    assert names["KITA"] == "Korea International Trade Association"


def test_signboard_planned_for_december_held_on_the_15th(store, paper_text):
    (row,) = ask(store, "signboard-date")
    assert (str(row["planned"]), str(row["held"])) == ("2023-12", "2023-12-15")
    quotes_in_paper([row], paper_text, "December")
