"""Countries and areas of the data: every ISO 3166 code in the files is a country with its
CLDR names in English and Korean; USGS names map through CLDR or the alias table; and the
SKOS mappings element <-> commodity <-> HS product carry their rule."""

from __future__ import annotations

import csv

import pycountry
from babel import Locale
from ingest_helpers import DATA, select

from kg import store as st


def codes() -> set[str]:
    out = set()
    for name, col in (("baci_korea_imports_by_partner.csv", "exporter_iso3"),
                      ("baci_korea_exports_by_partner.csv", "importer_iso3")):
        with (DATA / "baci-korea" / name).open(encoding="utf-8", newline="") as fh:
            out |= {r[col] for r in csv.DictReader(fh)}
    with (DATA / "wgi" / "wgi_political_stability.csv").open(encoding="utf-8", newline="") as fh:
        out |= {r["iso3"] for r in csv.DictReader(fh)}
    return {c for c in out if pycountry.countries.get(alpha_3=c)}


def test_every_iso_code_in_the_data_is_a_country_named_by_cldr(store):
    found = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?c ?en ?ko WHERE { ?c a krm:Country ;
          rdfs:label ?en FILTER(lang(?en) = "en")
          OPTIONAL { ?c rdfs:label ?ko FILTER(lang(?ko) = "ko") } }""")
    names = {r["c"].rsplit("/", 1)[-1]: (r["en"], r["ko"]) for r in found}
    en, ko = Locale("en").territories, Locale("ko").territories
    for code in codes():
        a2 = pycountry.countries.get(alpha_3=code).alpha_2
        assert names[code] == (en[a2], ko[a2]), code


def test_usgs_names_map_to_countries(store):
    found = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT DISTINCT ?area WHERE { ?o krm:sourceFile "mcs2024-raree_world.csv" ;
          krm:refArea ?area }""")
    areas = {r["area"].rsplit("/", 1)[-1] for r in found}
    assert {"MMR", "CHN", "USA", "world"} <= areas  # Burma is Myanmar; World total an area


def test_mappings_carry_their_rule(store):
    found = select(store, """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX krm: <https://w3id.org/krm/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?s ?rel ?obj ?rule ?where WHERE {
          ?s ?rel ?obj . VALUES ?rel { skos:closeMatch skos:broadMatch }
          ?m rdf:subject ?s ; rdf:predicate ?rel ; rdf:object ?obj ;
             krm:rule ?rule ; krm:matchedRule ?where }""",
                   s=st.NamedNode("https://w3id.org/krm/id/element/Li"))
    assert [(r["rel"].rsplit("#")[-1], r["obj"].rsplit("/")[-1]) for r in found] == [
        ("closeMatch", "lithium")]
    assert found[0]["where"].startswith("commodity_map.csv:")
    nd = select(store, """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?obj WHERE { <https://w3id.org/krm/id/element/Nd> skos:broadMatch ?obj }""")
    assert [r["obj"].rsplit("/")[-1] for r in nd] == ["rare-earths"]
    hs = select(store, """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?obj WHERE { <https://w3id.org/krm/id/product/hs92/283691> skos:broadMatch ?obj }""")
    assert [r["obj"].rsplit("/")[-1] for r in hs] == ["lithium"]
