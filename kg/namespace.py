"""The one place where the graph's namespace is set.

Every Turtle file under ``ontology/`` and ``kg/facts/`` writes relative IRIs
(``<id/element/W>``, ``@prefix krm: <ontology#>``); the build resolves them against
:data:`BASE`, so changing the namespace means changing this line only.

>>> iri("id/element/W")
'https://w3id.org/krm/id/element/W'
>>> ONTOLOGY
'https://w3id.org/krm/ontology#'
"""

BASE = "https://w3id.org/krm/"
ONTOLOGY = BASE + "ontology#"
PAPER = "https://doi.org/10.31643/2024/6445.27"

# Named graphs: what the build writes, kept apart so dumps and queries can tell
# asserted facts from the ontology and from materialised inferences.
GRAPH_ONTOLOGY = BASE + "graph/ontology"
GRAPH_FACTS = BASE + "graph/facts"
GRAPH_INFERENCES = BASE + "graph/inferences"
# The official data (kg/sources/, ingested by kg/ingest/): observations and their codes.
GRAPH_DATA = BASE + "graph/data"
GRAPHS = (GRAPH_ONTOLOGY, GRAPH_FACTS, GRAPH_INFERENCES, GRAPH_DATA)

PREFIXES = {
    "krm": ONTOLOGY,
    "id": BASE + "id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "qb": "http://purl.org/linked-data/cube#",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "wd": "http://www.wikidata.org/entity/",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "unit": "http://qudt.org/vocab/unit/",
    "cur": "http://qudt.org/vocab/currency/",
}


def iri(path: str) -> str:
    """Absolute IRI for a path under the namespace."""
    return BASE + path
