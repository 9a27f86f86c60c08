"""IRIs map to this server's paths and back, from the configured namespace only."""

from kg.namespace import BASE
from server import urls


def test_keys_round_trip():
    for key in ("element/W", "country/CHN", "claim/china-tungsten-share", "ontology"):
        assert urls.key_of(urls.iri_of(key)) == key


def test_only_our_namespace_has_keys():
    assert urls.key_of("http://www.wikidata.org/entity/Q148") is None
    assert urls.key_of(BASE + "id/") is None
    assert urls.key_of(BASE + "ontology#Claim") is None
    assert urls.term_name(BASE + "ontology#Claim") == "Claim"
