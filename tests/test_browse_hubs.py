"""Pages of hubs: resources with more production shares than a page lists and more links
than a page examines (tests/hub_fixture.py). The build ranks a hub's shares ahead into
the store's browse index (kg/hubs.py); these tests check that a page lists exactly what
the shares queries would pick, and that facts and links behind the flood still show."""

from __future__ import annotations

import re

import pytest
import requests
from hub_fixture import FACTS, LINKED, SHARES, share_of

from kg import build as builder
from kg import describe as ds
from kg import hubs
from kg import store as st
from kg.namespace import BASE
from server import create_app

HUB = BASE + "id/country/HUB"
W = BASE + "id/element/W"
SHARE = re.compile(r'<div class="share" role="listitem">.*?<strong>([\d.]+)%</strong>.*?'
                   r'<a href="/page/([^"]+)">details</a>', re.S)


def section(html: str, name: str) -> str:
    m = re.search(rf'<section id="{name}">(.*?)</section>', html, re.S)
    assert m, f"no {name} section"
    return m.group(1)


def listed_shares(base: str, key: str) -> list[tuple[float, str]]:
    """(share, observation IRI) in the order the page lists them."""
    r = requests.get(f"{base}/page/{key}", timeout=30)
    assert r.status_code == 200
    return [(float(v), BASE + "id/" + k) for v, k in SHARE.findall(section(r.text, "shares"))]


def picked_by_query(store, query: str, iri: str) -> dict[str, float]:
    """What the page's shares query picks for ``iri``, run as it stands (no index)."""
    return {row["obs"].value: float(row["share"].value)
            for row in ds.named_query(query).run_terms(store, {"resource": st.NamedNode(iri)})}


def test_the_build_indexes_the_hubs_and_only_them(hub_link):
    index = hubs.load(hub_link)
    assert index is not None and (hub_link.resolve() / hubs.FILE).is_file()
    assert set(index.shares["producer"]) == {HUB}
    assert set(index.shares["commodity"]) == {W}  # Hubland's 150 and China's two
    assert all(len(top) == ds.MAX_SHARES for role in index.shares.values()
               for top in role.values())


@pytest.mark.parametrize("role", sorted(hubs.ROLES))
def test_the_index_holds_what_the_shares_queries_pick(hub_link, role):
    """Would fail if the index and the query disagreed, ties at the cut included."""
    store = st.open_store(hub_link)
    index = hubs.load(hub_link)
    for iri, top in index.shares[role].items():
        assert {obs: float(v) for obs, v, _ in top} == picked_by_query(
            store, hubs.ROLES[role], iri), f"{role} {iri}"


def test_hub_page_lists_the_largest_shares_largest_first(hub_server, hub_link):
    listed = listed_shares(hub_server, "country/HUB")
    largest = sorted((share_of(i) for i in range(SHARES)), reverse=True)[:ds.MAX_SHARES]
    assert [v for v, _ in listed] == largest
    # The very observations the query picks (equal shares straddle the cut), in the
    # order a page ranking them itself shows them (equal shares in the query's order).
    picked = picked_by_query(st.open_store(hub_link), "shares-as-producer", HUB)
    assert sorted(obs for _, obs in listed) == sorted(picked)
    assert [obs for _, obs in listed] == [
        s.obs.value for s in ds.shares(st.open_store(hub_link), HUB)]


def test_commodity_hub_page_lists_the_largest_shares(hub_server, hub_link):
    listed = listed_shares(hub_server, "element/W")
    assert [v for v, _ in listed][:3] == [84.3, 83.0, 24.5]  # China's, then Hubland's
    picked = picked_by_query(st.open_store(hub_link), "shares-as-commodity", W)
    assert sorted(obs for _, obs in listed) == sorted(picked)
    assert [v for v, _ in listed] == sorted(picked.values(), reverse=True)


def test_hub_page_shows_the_facts_and_links_behind_thousands_of_links(hub_server):
    """Hubland has 1,650 inbound links, most of them shares and companies: the facts and
    the lists naming it must still show (the page once examined the first 500 links, in
    the store's order, and listed the first 200)."""
    html = requests.get(f"{hub_server}/page/country/HUB", timeout=30).text
    facts, linked = section(html, "facts"), section(html, "inbound")
    for key in FACTS:
        assert f'href="/page/{key}"' in facts, key
    for key in LINKED:
        assert f'href="/page/{key}"' in linked, key
    assert 'href="/page/org/hub-co-' in linked  # and the companies, some of them
    assert linked.count("<li>") <= ds.MAX_INBOUND


def test_pages_without_the_index_show_the_same(hub_link):
    """The index only saves work: the queries' own ranking gives the same page data."""
    store = st.open_store(hub_link)
    index = hubs.load(hub_link)
    for iri in (HUB, W, BASE + "id/element/Nd", BASE + "id/country/CHN"):
        assert ds.shares(store, iri, index=index) == ds.shares(store, iri), iri


def test_no_index_where_it_could_be_stale(hub_link, fixture_link, tmp_path):
    """A store that takes SPARQL updates could drift from the index made at its build;
    a store without an index file (made by other means) has none."""
    assert create_app({"STORE": str(hub_link)}).extensions["krm.hubs"] is not None
    app = create_app({"STORE": str(hub_link), "SPARQL_UPDATE_TOKEN": "secret"})
    assert app.extensions["krm.hubs"] is None
    bare = tmp_path / "bare"
    st.write_store(bare, st.open_store(fixture_link).quads_for_pattern(None, None, None, None))
    assert hubs.load(bare) is None
    assert builder.HUB_QUERIES  # the build's digest covers the index's queries
