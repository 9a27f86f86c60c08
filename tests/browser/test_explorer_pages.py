"""The dependency explorer and the map in real Chromium (Playwright), against ``krm
serve`` over the explorer fixture (tests/data/explorer). Expected figures come from the
named query's rows, run here on the same store."""

from __future__ import annotations

from collections import defaultdict

import pytest
from conftest import start_server, stop_server
from explorer_fixture import write_explorer_store

from kg import queries
from kg import store as st

ID = "https://w3id.org/krm/id/"
LITHIUM = ID + "commodity/lithium"


@pytest.fixture(scope="module")
def explorer_store(tmp_path_factory):
    return write_explorer_store(tmp_path_factory.mktemp("explorer-browser"))


@pytest.fixture(scope="module")
def imports(explorer_store):
    """``commodity -> year -> partner -> value`` from the named query."""
    q = queries.load(queries.QUERIES / "explorer" / "imports.rq")
    out = defaultdict(lambda: defaultdict(dict))
    store = st.open_store(explorer_store)
    for r in st.rows(q.run(store)):
        out[r["commodity"]][int(r["year"][:4])][r["partner"]] = float(r["value"])
    del store
    return out


@pytest.fixture(scope="module")
def base(explorer_store, imports):
    proc, url = start_server(str(explorer_store), workers=1)
    yield url
    stop_server(proc)


def visible_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#dependencies tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.commodity)")


def test_dependencies_shows_the_query_figures(page, base, imports):
    page.goto(base + "/dependencies")
    for name, label in (("lithium", "Lithium"), ("cobalt", "Cobalt"),
                        ("rare-earths", "Rare earths")):
        iri = ID + "commodity/" + name
        row = page.locator(f'#dependencies tr[data-commodity="{iri}"]')
        assert row.locator("th a").inner_text() == label
        partners = imports[iri][max(imports[iri])]
        total = sum(partners.values())
        shown = row.locator("td").nth(0).inner_text()  # US$ million, one decimal
        assert float(shown.replace(",", "")) == pytest.approx(total / 1000, abs=0.05)
        top = max(partners.values())
        assert float(row.locator("td").nth(2).inner_text()) == pytest.approx(
            100 * top / total, abs=0.05)
    assert page.errors == []


def test_sorting_and_a_list_filter_change_the_rows(page, base):
    page.goto(base + "/dependencies")
    before = visible_rows(page)
    page.click('button.sort[data-key="china_share"]')
    after = visible_rows(page)
    values = page.eval_on_selector_all(
        "#dependencies tbody tr", "rows => rows.map(r => Number(r.cells[5].dataset.value))")
    assert values == sorted(values, reverse=True)
    assert after != before
    page.check('#dep-lists input[value="jp"]')
    filtered = visible_rows(page)
    assert LITHIUM not in filtered and filtered, "the fixture's Japanese list omits lithium"
    assert page.locator("#dep-count").inner_text().startswith(str(len(filtered)))
    assert page.errors == []


def test_map_colours_the_lithium_partners_of_2024(page, base, imports):
    page.goto(f"{base}/map?commodity={LITHIUM}&year=2024")
    page.wait_for_selector('#map[data-ready="true"]')
    coloured = set(page.eval_on_selector_all(
        "#map path.has-data", "ps => ps.map(p => p.dataset.id)"))
    listed = set(page.eval_on_selector_all(
        "#map-imports tbody tr", "rs => rs.map(r => r.dataset.id)"))
    assert coloured == listed and len(listed) == len(imports[LITHIUM][2024])
    values = page.eval_on_selector_all(
        "#map-imports tbody tr td:nth-child(2)",
        "cs => cs.map(c => Number(c.textContent.replace(/,/g, '')))")
    assert sorted(values) == sorted(round(v) for v in imports[LITHIUM][2024].values())
    page.check('#map-layer input[value="production"]')
    assert page.get_attribute("#map", "data-layer") == "production"
    assert page.errors == []


@pytest.mark.parametrize("path", ["/", "/dependencies", "/map", "/query", "/api/docs",
                                  "/dependencies?lang=ko"])
def test_every_page_has_one_h1_a_lang_alt_text_and_no_errors(page, base, path):
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert page.get_attribute("html", "lang") in ("en", "ko")
    assert page.locator("img:not([alt])").count() == 0
    assert page.locator("nav.site-menu").count() == 1
    assert page.errors == [], page.errors


def test_element_page_charts_draw_the_partners(page, base, imports):
    page.goto(base + "/page/element/Li")
    page.wait_for_selector("#imports-chart[data-drawn]")
    drawn = page.get_attribute("#imports-chart", "data-drawn").split("|")
    partners = {p for years in imports[LITHIUM].values() for p in years}
    names = page.evaluate(
        "JSON.parse(document.getElementById('imports-data').textContent).series"
        ".map(s => s.label)")
    assert drawn == names and len(drawn) == len(partners)  # fewer than six: all drawn
    assert {"China", "Chile", "Argentina"} <= set(drawn)
    box = page.locator("#imports-chart").bounding_box()
    page.check('input[name="imports-measure"][value="tonnes"]')
    assert page.locator("#imports-chart").bounding_box() == box  # no layout shift
    assert page.get_attribute("#production-chart", "data-drawn")
    assert page.errors == []


def test_the_sector_filter_keeps_what_the_sector_needs(page, base):
    page.goto(base + "/dependencies")
    page.select_option("#dep-sector", ID + "sector/ev-motors")
    assert visible_rows(page) == [ID + "commodity/rare-earths"]
    page.select_option("#dep-sector", ID + "sector/secondary-batteries")
    assert set(visible_rows(page)) == {LITHIUM, ID + "commodity/cobalt"}
    assert page.errors == []
