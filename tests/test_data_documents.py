"""A resource's data document says what its page says: the statements, the production
shares, the lists, the paper's claims with their evidence, the fact cards and the other
links, each compared with what the page's own queries (kg/describe.py) give, and bounded
as the page is on a hub."""

from __future__ import annotations

import json

import pytest
import rdflib
from pyld import jsonld

from kg import describe as ds
from kg import store as st
from server import create_app
from server.db import get_hub_index, get_store

KRM = rdflib.Namespace("https://w3id.org/krm/ontology#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
SKOS_MEMBER = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#member")
ID = "https://w3id.org/krm/id/"


def document(link, key: str, fmt: str = "ttl") -> tuple[rdflib.Graph, ds.Description]:
    """The data document of ``key`` as the app serves it, and what the app's page of it
    shows (the same store and browse index: a store copied into memory may list links in
    another order, so the page's bounded picks are computed there)."""
    app = create_app({"STORE": str(link)})
    r = app.test_client().get(f"/data/{key}.{fmt}")
    assert r.status_code == 200, key
    g = rdflib.Graph().parse(data=r.get_data(as_text=True),
                             format={"ttl": "turtle", "jsonld": "json-ld"}[fmt])
    with app.app_context():
        page = assert_covers_the_page(g, get_store(), ID + key, get_hub_index())
    return g, page


def ref(term: ds.Term):
    """The rdflib term of a page's :class:`kg.describe.Term`."""
    if term.kind == "iri":
        return rdflib.URIRef(term.value)
    if term.lang:
        return rdflib.Literal(term.value, lang=term.lang)
    if term.datatype == str(rdflib.XSD.string):
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype))


def assert_covers_the_page(g: rdflib.Graph, store, iri: str, index=None) -> ds.Description:
    """Every statement the page of ``iri`` shows is in ``g``."""
    page = ds.describe(store, iri, index)
    me = rdflib.URIRef(iri)
    for pv in page.properties:  # asserted and inferred, as the page shows them
        for v in pv.values:
            if v.kind != "bnode":
                assert (me, rdflib.URIRef(pv.prop.value), ref(v)) in g, (pv.prop.value, v)
    for t in page.types:
        assert (me, rdflib.RDF.type, rdflib.URIRef(t.value)) in g
    for share in page.shares:
        obs = rdflib.URIRef(share.obs.value)
        assert (obs, KRM.producer, ref(share.producer)) in g
        assert (obs, KRM.commodity, ref(share.commodity)) in g
        assert float(g.value(obs, KRM.sharePercent)) == share.share
        for source in share.sources:
            assert (obs, rdflib.PROV.wasDerivedFrom, rdflib.URIRef(source)) in g
        if share.quote:
            assert (None, OA.exact, rdflib.Literal(share.quote)) in g
    for lst, via in page.memberships:
        if via is None:
            assert (ref(lst), SKOS_MEMBER, me) in g
        else:
            assert (ref(lst), SKOS_MEMBER, ref(via)) in g and (ref(via), SKOS_MEMBER, me) in g
    for ev in page.evidence:
        claim = rdflib.URIRef(ev.claim.value)
        for quote in ev.quotes:
            assert any((sel, OA.exact, rdflib.Literal(quote)) in g
                       for evidence in g.objects(claim, KRM.evidence)
                       for sel in g.objects(evidence, OA.hasSelector)), (claim, quote)
        if ev.source:
            assert (None, OA.hasSource, rdflib.URIRef(ev.source)) in g
    for fact in page.facts:
        node = rdflib.URIRef(fact.node.value)
        assert (node, rdflib.RDF.type, ref(fact.type)) in g
        for role in fact.roles:
            assert (node, ref(role), me) in g
    for pv in page.inbound:
        for v in pv.values:
            assert (ref(v), rdflib.URIRef(pv.prop.value), me) in g
    # Every IRI the document names comes with its labels, as on the page.
    for node in {o for o in g.objects() if isinstance(o, rdflib.URIRef)}:
        for q in store.quads_for_pattern(st.NamedNode(str(node)),
                                         st.NamedNode(str(rdflib.RDFS.label)), None, None):
            assert (node, rdflib.RDFS.label, rdflib.Literal(
                q.object.value, lang=q.object.language)) in g
    return page


@pytest.mark.parametrize("key", ["element/W", "country/CHN", "country/KOR",
                                 "list/korea-rare-metals"])
def test_data_document_covers_the_page_on_the_real_graph(store_link, key):
    g, page = document(store_link, key)
    if key == "element/W":
        # The page's parts are there to compare: this is the example.
        assert page.shares and page.memberships and page.evidence


def test_data_document_of_tungsten_on_the_fixture(fixture_link):
    g, page = document(fixture_link, "element/W")
    assert page.shares and page.evidence and page.memberships


def test_json_ld_document_reads_the_same_in_pyld_and_rdflib(store_link):
    client = create_app({"STORE": str(store_link)}).test_client()
    body = client.get("/data/element/W.jsonld").get_data(as_text=True)
    ttl, _ = document(store_link, "element/W")
    assert len(rdflib.Graph().parse(data=body, format="json-ld")) == len(ttl)
    quads = jsonld.to_rdf(json.loads(body))
    assert set(quads) == {"@default"} and len(quads["@default"]) == len(ttl)


def test_hub_document_is_bounded_like_its_page(hub_link):
    from hub_fixture import FACTS, LINKED, SHARES

    g, page = document(hub_link, "country/HUB")
    hub = rdflib.URIRef(ID + "country/HUB")
    # Described (with their figures): the shares the page lists, not all of Hubland's;
    # the others are among the links to it, as on the page.
    shares = {obs for obs in g.subjects(KRM.producer, hub)
              if g.value(obs, KRM.sharePercent) is not None}
    assert SHARES > ds.MAX_SHARES and len(shares) == ds.MAX_SHARES
    assert {rdflib.URIRef(s.obs.value) for s in page.shares} == shares
    assert len(set(g.subjects(KRM.basedIn, hub))) <= ds.MAX_INBOUND
    for key in FACTS + LINKED:  # what the page shows behind the thousands of links
        assert (rdflib.URIRef(ID + key), None, hub) in g, key
    # Bounded: the page's limits, whatever the hub's size.
    assert len(g) < 20 * (3 * ds.MAX_SHARES + ds.MAX_FACTS + ds.MAX_INBOUND)
