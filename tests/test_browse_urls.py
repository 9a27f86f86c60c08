"""IRIs map to this server's paths and back, from the configured namespace only."""

import pytest
from flask import url_for

from kg.namespace import BASE
from server import create_app, urls


def test_keys_round_trip():
    for key in ("element/W", "country/CHN", "claim/china-tungsten-share", "ontology"):
        assert urls.key_of(urls.iri_of(key)) == key


def test_only_our_namespace_has_keys():
    assert urls.key_of("http://www.wikidata.org/entity/Q148") is None
    assert urls.key_of(BASE + "id/") is None
    assert urls.key_of(BASE + "ontology#Claim") is None
    assert urls.term_name(BASE + "ontology#Claim") == "Claim"


@pytest.mark.parametrize("root", ["", "/krm"])
def test_page_urls_are_what_url_for_builds(fixture_link, root):
    """page_url quotes keys itself (url_for once per request): the same URLs, mounted
    at the root or under a prefix, for keys that need quoting."""
    app = create_app({"STORE": str(fixture_link)})
    keys = ["element/W", "a b", "ü/é", "x?y", "x#y", "x%20y", "a//b", "~t", "[x]",
            "a+b&c=d;e", "'q'", "<tag>", 'd"q', "back\\slash", "한국", "ontology"]
    with app.test_request_context("/", base_url="http://host" + root):
        for key in keys:
            assert urls.page_url(urls.iri_of(key)) == url_for("browse.page", key=key), key
