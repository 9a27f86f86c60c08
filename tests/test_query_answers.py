"""Each named query gives the answer the paper (or the named source) gives, on the real
graph. Expectations are the paper's own figures and names; the sources behind the
non-paper figures are named in kg/facts."""

from __future__ import annotations

import pytest
from babel import Locale

from kg import queries
from kg import store as st
from kg.build import DATA
from tests.conftest import collapse

ID = "https://w3id.org/krm/id/"
PAPER = "https://doi.org/10.31643/2024/6445.27"
CONGO = Locale("en").territories["CD"]  # countries are named by CLDR ("Congo - Kinshasa")


def usgs_share(file: str, country: str, column: str) -> float:
    """A country's share of the world total of the first Type block of a USGS 2024 world
    file, computed from the CSV by hand (percent, one decimal)."""
    import csv

    with (DATA / "usgs-mcs" / "2024" / "world" / file).open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    first_type = rows[0]["Type"]
    block = [r for r in rows if r["Type"] == first_type]

    def value(name: str) -> float:
        cell = next(r[column] for r in block if r["Country"].strip().startswith(name))
        return float(cell.replace(",", ""))

    return round(1000 * value(country) / value("World total")) / 10


@pytest.fixture(scope="module")
def ask(store):
    library = queries.load_all()

    def run(name: str, **params: str) -> list[dict]:
        return st.plain_rows(library[name].run(store, params))

    return run


def test_which_countries_dominate_which_metals_and_by_how_much(ask):
    rows = ask("production/dominant-producers")
    paper = {(r["producerLabel"], r["commodityLabel"], r["share"]) for r in rows if r["fromPaper"]}
    assert paper == {("China", "tungsten", 83), ("China", "rare earth elements", 63),
                     (CONGO, "cobalt", 70),
                     ("South Africa", "platinum group metals", 55)}
    assert rows[0]["share"] == 83  # the largest share first
    assert all(r["share"] >= 50 for r in rows)
    assert {r["commodityLabel"] for r in ask("production/dominant-producers",
                                             min_share="80")} == {"tungsten"}


def test_chinas_tungsten_share_from_the_paper_and_from_usgs(ask):
    rows = ask("production/shares", commodity="id:element/W")
    china = {(r["share"], r["year"], r["fromPaper"]) for r in rows
             if r["producerLabel"] == "China"}
    assert (83, None, True) in china
    assert (usgs_share("mcs2024-tungs_world.csv", "China", "Prod_t_est_2023"), "2023",
            False) in china
    paper = next(r for r in rows if r["fromPaper"])
    assert paper["rank"] == 1 and paper["sources"] == PAPER
    assert all(r["sources"].startswith("https://doi.org/10.5066/") for r in rows
               if not r["fromPaper"])


def test_the_papers_shares_beside_later_figures(ask):
    rows = ask("production/paper-vs-other-sources")
    pairs = {(r["commodityLabel"], r["paperShare"], r["otherShare"], r["otherYear"])
             for r in rows}
    assert ("tungsten", 83, usgs_share("mcs2024-tungs_world.csv", "China", "Prod_t_est_2023"),
            "2023") in pairs
    assert ("rare earth elements", 63, usgs_share("mcs2024-raree_world.csv", "China",
                                                   "Prod_t_est_2023"), "2023") in pairs
    assert ("cobalt", 70, usgs_share("mcs2024-cobal_world.csv", "Congo", "Prod_t_est_2023"),
            "2023") in pairs


def test_what_congo_produces(ask):
    rows = ask("production/country-profile", country="id:country/COD")
    assert {(r["commodityLabel"], r["share"]) for r in rows if r["fromPaper"]} == {
        ("cobalt", 70)}


def test_the_leading_producers_the_paper_names(ask):
    rows = ask("production/top-producer")
    paper = {(r["commodityLabel"], r["producerLabel"]) for r in rows if r["fromPaper"]}
    assert {("tungsten", "China"), ("lithium", "Australia"), ("nickel", "Indonesia"),
            ("cobalt", CONGO)} <= paper


def test_koreas_battery_and_precursor_capacity(ask):
    rows = ask("production/capacity-shares", holder="id:country/KOR")
    assert {(r["productLabel"], r["share"]) for r in rows} == {
        ("secondary batteries", 35), ("precursors", 0.5)}


def test_koreas_list_has_35_types_and_56_elements(ask):
    members = ask("lists/members")
    kinds = [r["kind"] for r in members]
    assert (kinds.count("element"), kinds.count("group")) == (33, 2)
    elements = ask("lists/korea-and-others")
    assert len(elements) == 56


def test_korean_labels_on_request(ask):
    rows = ask("lists/members", lang="ko")
    assert "텅스텐" in {r["label"] for r in rows}


def test_which_lists_name_neodymium_and_through_which_group(ask):
    rows = ask("lists/lists-of-element", element="id:element/Nd")
    via = {r["listLabel"]: r["via"] for r in rows}
    assert via["Korea's rare metals"] == ID + "group/ree"
    assert via["US 2022 Final List of Critical Minerals"] is None
    assert via["EU critical raw materials (2023 list)"] == ID + "group/eu-lree"


def test_elements_only_koreas_list_names(ask):
    rows = ask("lists/on-one-list-only")
    korea_only = {r["symbol"] for r in rows if r["list"] == ID + "list/korea-rare-metals"}
    # Osmium is Korea's alone against the paper-era lists, but the EU CRMA 2024 annexes and
    # Japan's 34 name all six platinum-group metals.
    assert "Cd" in korea_only and "Os" not in korea_only
    for r in ask("lists/korea-and-others"):
        assert (r["otherLists"] == 0) == (r["symbol"] in korea_only)


def test_korea_against_the_us_critical_minerals(ask):
    rows = ask("lists/compare")
    us_only = {r["symbol"] for r in rows if r["onList"] == "second only"}
    assert us_only == {"Al", "C", "F", "Rb", "Zn"}
    korea_only = {r["symbol"] for r in rows if r["onList"] == "first only"}
    assert {"Cd", "Mo", "Os", "P", "Re", "Se", "Si", "Sr", "Tl"} <= korea_only
    assert "W" in {r["symbol"] for r in rows if r["onList"] == "both"}


def test_list_sizes_per_source(ask):
    rows = ask("lists/sizes", origin="paper")
    assert all(r["fromPaper"] for r in rows)
    paper = {(r["list"].rsplit("/", 1)[1], r["typeCount"], r["elementCount"], r["itemCount"])
             for r in rows}
    assert paper == {("korea-rare-metals", 35, 56, None),
                     ("us-critical-minerals-2022", None, None, 50),
                     ("us-doe-critical-materials-2023", None, None, 19),
                     ("eu-critical-raw-materials-2023", None, None, 66),
                     ("japan-rare-metals-31", None, 55, None)}
    others = ask("lists/sizes", origin="other")
    assert not any(r["fromPaper"] for r in others)
    assert ("us-doe-critical-materials-2023", 18) in {
        (r["list"].rsplit("/", 1)[1], r["itemCount"]) for r in others}
    assert len(ask("lists/sizes")) == len(rows) + len(others)


def test_where_the_paper_and_the_lists_publishers_disagree(ask):
    rows = ask("lists/size-disagreements")
    assert {(r["list"].rsplit("/", 1)[1], r["paperCount"], r["otherCount"]) for r in rows} == {
        ("us-doe-critical-materials-2023", 19, 18),
        ("eu-critical-raw-materials-2023", 66, 34),
        ("japan-rare-metals-31", 55, 47)}


def test_what_articles_37_2_and_37_3_provide_for(ask):
    rows = ask("law/provisions")
    provides = {r["article"].rsplit("-article-", 1)[1]: r["providesForLabel"] for r in rows
                if r["article"]}
    assert provides["37-2"].startswith("Policy to strengthen the competitiveness")
    assert provides["37-3"] == "National Rare Metal Center"


def test_kitech_is_designated_under_article_37_3(ask):
    (row,) = ask("law/designations", designee="id:org/kitech")
    assert row["designatedByLabel"] == "Ministry of Trade, Industry and Energy"
    assert row["designatedAsLabel"] == "National Rare Metal Center"
    assert row["legalBasis"].endswith("article-37-3")


def test_the_policy_is_renewed_every_five_years(ask):
    rows = {r["resource"].rsplit("/", 1)[1]: r for r in ask("law/legislation")}
    assert rows["materials-parts-equipment-act-article-37-2"]["revisionInterval"] == "P5Y"
    assert rows["materials-parts-equipment-act-enforcement-decree"]["kind"] == (
        "subordinate legislation")


def test_the_three_goals_of_strategy_2_0(ask):
    assert {r["label"] for r in ask("strategy/goals")} == {
        "Nurturing Core Companies", "Establishment of a Stable Rare Metal Supply Chain",
        "Securing Resources"}
    assert "핵심기업 육성" in {r["label"] for r in ask("strategy/goals", lang="ko")}


def test_the_measures_of_strategy_2_0(ask):
    labels = {r["label"] for r in ask("strategy/measures")}
    assert "Build the public-private Rare Metal Industry Development Council" in labels
    assert "Establish a resilient resource supply system" in labels


def test_the_eu_plan_has_four_goals_and_ten_actions(ask):
    rows = {r["strategy"].rsplit("/", 1)[1]: r for r in ask("strategy/strategies")}
    eu = rows["eu-crm-action-plan-2020"]
    assert (eu["goalCount"], eu["measureCount"]) == (4, 10)
    assert (eu["goalsRecorded"], eu["measuresRecorded"]) == (4, 10)
    korea = rows["rare-metal-industry-development-2-0"]
    assert (korea["issued"], korea["goalCount"], korea["goalsRecorded"]) == ("2021-08-05", 3, 3)
    assert rows["us-reeshore"]["reducesDependenceOn"] == ID + "country/CHN"


def test_who_supplies_koreas_ultra_high_purity_metals(ask):
    rows = ask("supply/supply-relations", recipient="id:country/KOR")
    uhp = {(r["supplierLabel"], r["supplierCountry"].rsplit("/", 1)[1]) for r in rows
           if r["commodityLabel"] == "ultra-high-purity metals"}
    assert {("Mitsui", "JPN"), ("Honeywell", "USA"), ("KFMI", "CHN")} <= uhp


def test_battery_makers_and_what_batteries_need(ask):
    companies = ask("supply/companies", sector="id:sector/secondary-batteries")
    assert {r["companyLabel"] for r in companies} == {"LG Energy Solution", "Samsung SDI"}
    needs = ask("supply/sector-requirements", sector="id:sector/secondary-batteries")
    assert {"lithium", "nickel", "manganese", "cobalt", "cathode materials"} <= {
        r["requiresLabel"] for r in needs}


def test_which_supplier_countries_batteries_depend_on(ask):
    rows = ask("supply/sector-supplier-countries", sector="id:sector/secondary-batteries")
    top = {}
    for r in rows:
        if r["share"] is not None and r["share"] > top.get(r["commodityLabel"], (0, ""))[0]:
            top[r["commodityLabel"]] = (r["share"], r["producerLabel"])
    assert top["cobalt"][1] == CONGO
    assert top["nickel"][1] == "Indonesia"
    assert top["lithium"][1] == "Australia"


def test_who_depends_on_neodymium(ask):
    rows = ask("supply/element-dependents", element="id:element/Nd")
    assert ID + "sector/ev-motors" in {r["dependent"] for r in rows}
    assert {"Hyundai Motor Company", "Kia"} <= {r["companyLabel"] for r in rows}


def test_recycling_covers_a_tenth_of_battery_imports(ask):
    (row,) = ask("circular/recycling")
    assert (row["countryLabel"], row["productLabel"], row["ratioToImports"]) == (
        "South Korea", "secondary batteries", 0.1)


def test_what_korea_lacks_at_home(ask):
    rows = ask("circular/domestic-production")
    assert {r["commodityLabel"] for r in rows if r["hasDeposits"] is False} == {
        "lithium", "cobalt", "nickel"}
    assert {r["commodityLabel"] for r in rows if r["localProduction"] is False} == {
        "rare earth alloys", "magnetic materials", "ultra-high-purity metals"}


def test_the_papers_words_on_recycling_and_refining(ask, paper_text):
    rows = ask("circular/recycling-and-refining-claims")
    quotes = [r["quote"] for r in rows]
    assert any("1/10" in q for q in quotes)
    assert any("refining" in q for q in quotes)
    assert all(collapse(q) in paper_text for q in quotes)


def test_the_evidence_behind_a_claim(ask, paper_text):
    (row,) = ask("evidence/claim", claim="id:claim/china-tungsten-share")
    assert row["quote"] == "an even more substantial 83% of tungsten"
    assert (row["sectionNumber"], row["source"]) == ("2.1.2", PAPER)
    assert collapse(row["quote"]) in paper_text


def test_finding_claims_by_text(ask):
    rows = ask("evidence/search", text="mitsui")
    assert ID + "supply/mitsui-uhp-metals" in {r["claim"] for r in rows}
    assert ask("evidence/search", text="no claim says this") == []


def test_the_claims_about_kitech(ask, paper_text):
    rows = ask("evidence/about", subject="id:org/kitech")
    assert ID + "designation/kitech-nrmc" in {r["claim"] for r in rows}
    assert all(collapse(r["quote"]) in paper_text for r in rows if r["quote"])


def test_claims_per_section_and_sources(ask):
    sections = {r["sectionNumber"]: r["claims"] for r in ask("evidence/by-section")}
    assert sections["2.1.2"] >= 4 and sections["2.4.2"] >= 10
    sources = ask("evidence/sources")
    claims = [r for r in sources if r["class"].endswith("#Claim")]
    assert claims[0]["source"] == PAPER


def test_the_councils_members(ask):
    labels = {r["label"] for r in ask("industry/council-members")}
    assert len(labels) == 8 and {"KOTRA", "KITA", "KIMS"} <= labels


def test_the_survey_of_125_companies_64_percent_small(ask):
    (row,) = ask("industry/survey")
    assert (row["respondents"], row["smallEnterprisePercent"]) == (125, 64)


def test_the_events_that_disrupted_koreas_supply(ask):
    rows = ask("supply/disruptions")
    affecting_korea = {r["eventLabel"] for r in rows if r["affected"] == ID + "country/KOR"}
    assert {"COVID-19 pandemic", "urea water crisis", "Japan's export restrictions",
            "US-China trade war"} <= affecting_korea
