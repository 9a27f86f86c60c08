"""The browse pages in a real Chromium (Playwright): the journey from the home page to
tungsten, China's share with its quote, China's page in Korean; markup stays inert; every
page has a language, one h1 and alt texts, and works without JavaScript."""

from __future__ import annotations

import pytest

QUOTE = "an even more substantial 83% of tungsten"

@pytest.fixture
def page(browser):
    """A page with JavaScript off: the basics must work without it."""
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    yield context.new_page()
    context.close()


def tungsten_journey(page, base: str) -> None:
    page.goto(base + "/")
    assert page.locator("h1").count() == 1
    page.get_by_role("searchbox").first.fill("tungsten")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_load_state()
    if "/search" in page.url:  # several exact hits: pick the element
        page.get_by_role("link", name="tungsten", exact=True).first.click()
    assert page.locator("h1").inner_text() == "tungsten"
    share = page.locator(".share").filter(has_text=QUOTE).filter(has_text="83%")
    assert share.count() >= 1
    row = share.first
    assert row.locator("blockquote").inner_text() == f"“{QUOTE}”"
    source = row.locator('a[href="https://doi.org/10.31643/2024/6445.27"]')
    assert source.count() == 1  # the paper, named by its title
    assert source.inner_text() == "The State of Affairs of 'Rare Metal Industry' in Korea"
    row.get_by_role("link", name="China", exact=True).first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/page/country/CHN")
    assert page.locator("h1").inner_text() == "China"
    page.get_by_role("link", name="한국어").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == "중국"
    assert page.locator("text=텅스텐").count() >= 1  # linked labels switch too


def test_tungsten_journey_on_the_fixture_graph(page, browse_server):
    tungsten_journey(page, browse_server)


def test_tungsten_journey_on_the_real_graph(page, live_server):
    tungsten_journey(page, live_server)


def test_markup_in_a_literal_stays_inert(browser, hostile_server):
    context = browser.new_context()  # JavaScript on: a script that slipped through would run
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in ("/page/org/hostile", "/page/org/hostile?lang=ko", "/search?q=hostile&go=0",
                 "/class/Company"):
        page.goto(hostile_server + path)
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.locator("script").count() == 0, path
    page.goto(hostile_server + "/page/org/hostile?lang=en")  # the ko visit set the cookie
    assert page.locator("h1").inner_text() == \
        "Hostile <script>window.__pwned = 1; alert('x')</script>"
    assert page.locator("img").count() == 0
    assert dialogs == []
    context.close()


PAGES = ["/", "/page/element/W", "/page/element/Nd", "/page/country/CHN", "/page/org/kitech",
         "/page/law/rare-metal-act", "/page/claim/china-tungsten-share", "/page/ontology",
         "/class/ChemicalElement", "/search?q=rare", "/dataset", "/dumps/",
         "/id/element/NoSuchThing"]


def test_every_page_has_lang_one_h1_and_alt_texts(page, browse_server):
    for path in PAGES:
        page.goto(browse_server + path)
        assert page.locator("html").get_attribute("lang") in ("en", "ko"), path
        assert page.locator("h1").count() == 1, path
        assert page.locator("h1").inner_text().strip(), path
        for img in page.locator("img").all():
            assert img.get_attribute("alt"), path
        assert page.get_by_role("search").count() >= 1, path
