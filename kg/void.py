"""The dataset's description in VoID and DCAT (the DCAT-AP 3 profile, which European data
portals harvest): size, class and property partitions, every named graph, licence,
source, version and its issue date, publisher, contact point, coverage, the SPARQL
endpoint and the dumps.

IRIs are built from the namespace, which stands for the server's root, so the description
names the same endpoint and dumps wherever the server runs.
"""

from __future__ import annotations

from kg import describe
from kg import store as st
from kg.dumps import DumpFile
from kg.namespace import BASE, GRAPHS, ONTOLOGY, PAPER

DATASET = BASE + "dataset"
SPARQL = BASE + "sparql"
DUMPS_PAGE = BASE + "dumps/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
DCATAP = "http://data.europa.eu/r5r/"
SPDX = "http://spdx.org/rdf/terms#"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"void": VOID, "dcat": DCAT, "dct": DCT, "dcatap": DCATAP, "spdx": SPDX,
            "foaf": FOAF, "vcard": VCARD, "skos": SKOS, "prov": PROV}

# Controlled vocabularies DCAT-AP asks for: the EU Publications Office authority tables,
# the ADMS licence types and IANA's media types.
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
#: EU file-type authority entry per dump format (by file extension).
FILE_TYPES = {"ttl": "RDF_TURTLE", "nt": "RDF_N_TRIPLES", "jsonld": "JSON_LD",
              "trig": "RDF_TRIG", "nq": "RDF_N_QUADS", "rdf": "RDF_XML"}
#: EU data themes, with their English labels in the authority table.
THEMES = {EU + "data-theme/ECON": "Economy and finance",
          EU + "data-theme/TECH": "Science and technology"}
AVAILABILITY = (EU + "planned-availability/STABLE", "stable")
LICENCE_TYPE = ("http://purl.org/adms/licencetype/Attribution", "Attribution")
SPATIAL = EU + "country/KOR"
KEYWORDS = (("rare metals", "en"), ("critical raw materials", "en"), ("mineral supply chains",
            "en"), ("South Korea", "en"), ("knowledge graph", "en"), ("희소금속", "ko"),
            ("핵심광물", "ko"), ("공급망", "ko"))
PUBLISHER = DATASET + "#publisher"
CONTACT = DATASET + "#contact"
SERVICE = DATASET + "#sparql-service"


def _n(iri: str) -> st.NamedNode:
    return st.NamedNode(iri)


def _int(n: int) -> st.Literal:
    return st.Literal(str(n), datatype=_n(XSD + "integer"))


def statistics(store) -> dict:
    """Triples per graph, instances per class and triples per property.

    Raises:
        OSError: the store cannot be read.
    """
    classes = [(r["class"].value, int(r["n"].value))
               for r in st.query(store, describe.load_query("class-counts"))
               if isinstance(r["class"], st.NamedNode)]
    props = [(r["p"].value, int(r["n"].value))
             for r in st.query(store, describe.load_query("property-counts"))]
    years = next(iter(st.query(store, describe.load_query("coverage"))), None)
    return {
        "graphs": graphs(store),
        "classes": classes,
        "properties": props,
        # (first, last) reference year of the figures, or None when there are none.
        "years": (years["start"].value, years["end"].value)
        if years is not None and years["start"] is not None else None,
    }


def graphs(store) -> dict[str, int]:
    """Triples per named graph, for every graph the store holds: the project's own first,
    in their order, then any other by IRI. (A store holds no empty graph: a build without
    the official data has no data graph, and none is listed.)

    Raises:
        OSError: the store cannot be read.
    """
    sizes = st.graph_sizes(store)
    return {**{g: sizes[g] for g in GRAPHS if g in sizes},
            **{g: sizes[g] for g in sorted(sizes) if g not in GRAPHS}}


def description(stats: dict, version: str, modified: str, dumps: list[DumpFile],
                dump_iri) -> list[st.Triple]:
    """VoID and DCAT (DCAT-AP 3) triples describing the dataset, its SPARQL service and
    its dumps; ``modified`` (an xsd:dateTime) is when this version was built, which is
    also the version's issue date. ``dump_iri`` maps a dump's file name to its download
    IRI.

    Every DCAT-AP class gets its mandatory and recommended properties, and every value
    the class its range asks for (``dct:LicenseDocument``, ``dct:MediaType``, ...), as
    ``tests/test_dataset_dcat_ap.py`` checks with the SEMIC shapes. Two recommendations
    are left out, for want of a source: a bounding box and centroid of Korea, and the
    kind of organisation the publisher is.
    """
    d = _n(DATASET)
    t: list[st.Triple] = []

    def add(s, p, o):
        t.append(st.Triple(s, _n(p), o))

    def typed(iri: str, cls: str) -> st.NamedNode:
        add(_n(iri), RDF_TYPE, _n(cls))
        return _n(iri)

    def concept(iri: str, label: str) -> st.NamedNode:
        add(_n(iri), SKOS + "prefLabel", st.Literal(label, language="en"))
        return typed(iri, SKOS + "Concept")

    add(d, RDF_TYPE, _n(VOID + "Dataset"))
    add(d, RDF_TYPE, _n(DCAT + "Dataset"))
    add(d, DCT + "title", st.Literal("Korea Rare Metals Knowledge Graph", language="en"))
    add(d, DCT + "title", st.Literal("한국 희소금속 지식 그래프", language="ko"))
    add(d, DCT + "description", st.Literal(
        "South Korea's rare-metal industry as linked data: elements and the lists that "
        "classify them, production shares, organisations, laws, strategies and supply "
        "relations, each claim with its evidence quoted from the source paper.", language="en"))
    license_ = _license(add, typed, concept)
    add(d, DCT + "license", license_)
    add(d, PROV + "wasDerivedFrom", _n(PAPER))
    add(d, DCT + "bibliographicCitation", st.Literal(
        "Jae Hong Shin, Ro Woon Lee, Kyoung Tae Park. The State of Affairs of 'Rare Metal "
        "Industry' in Korea. Complex Use of Mineral Resources 2024; 330(3):43-50. "
        "https://doi.org/10.31643/2024/6445.27"))
    issued = st.Literal(modified, datatype=_n(XSD + "dateTime"))
    add(d, DCT + "issued", issued)
    add(d, DCT + "modified", issued)
    add(d, DCAT + "version", st.Literal(version))
    add(d, "http://www.w3.org/2002/07/owl#versionInfo", st.Literal(version))
    add(d, DCT + "conformsTo", typed(ONTOLOGY.rstrip("#"), DCT + "Standard"))
    publisher, contact = _agents(add, typed)
    add(d, DCT + "publisher", publisher)
    add(d, DCAT + "contactPoint", contact)
    for keyword, lang in KEYWORDS:
        add(d, DCAT + "keyword", st.Literal(keyword, language=lang))
    for theme, label in THEMES.items():
        add(d, DCAT + "theme", concept(theme, label))
    add(d, DCT + "spatial", typed(SPATIAL, DCT + "Location"))
    if stats.get("years"):
        period = st.BlankNode("temporal")
        add(d, DCT + "temporal", period)
        add(period, RDF_TYPE, _n(DCT + "PeriodOfTime"))
        start, end = stats["years"]
        add(period, DCAT + "startDate", st.Literal(start, datatype=_n(XSD + "gYear")))
        add(period, DCAT + "endDate", st.Literal(end, datatype=_n(XSD + "gYear")))
    add(d, VOID + "uriSpace", st.Literal(BASE + "id/"))
    add(d, VOID + "sparqlEndpoint", _n(SPARQL))
    add(d, VOID + "exampleResource", _n(BASE + "id/element/W"))
    add(d, VOID + "vocabulary", _n(ONTOLOGY))
    add(d, VOID + "triples", _int(sum(stats["graphs"].values())))
    add(d, VOID + "classes", _int(len(stats["classes"])))
    add(d, VOID + "properties", _int(len(stats["properties"])))
    for i, (cls, n) in enumerate(stats["classes"]):
        part = st.BlankNode(f"class{i}")
        add(d, VOID + "classPartition", part)
        add(part, VOID + "class", _n(cls))
        add(part, VOID + "entities", _int(n))
    for i, (prop, n) in enumerate(stats["properties"]):
        part = st.BlankNode(f"property{i}")
        add(d, VOID + "propertyPartition", part)
        add(part, VOID + "property", _n(prop))
        add(part, VOID + "triples", _int(n))
    for i, graph in enumerate(stats["graphs"]):
        sub = st.BlankNode(f"graph{i}")
        add(d, VOID + "subset", sub)
        add(sub, RDF_TYPE, _n(VOID + "Dataset"))
        add(sub, "http://www.w3.org/ns/sparql-service-description#name", _n(graph))
        add(sub, VOID + "triples", _int(stats["graphs"][graph]))
    service = _n(SERVICE)
    add(service, RDF_TYPE, _n(DCAT + "DataService"))
    add(service, DCT + "title", st.Literal("Korea Rare Metals Knowledge Graph SPARQL endpoint",
                                           language="en"))
    add(service, DCT + "description", st.Literal(
        "SPARQL 1.1 queries over the whole graph (the union of its named graphs).",
        language="en"))
    add(service, DCAT + "endpointURL", _n(SPARQL))
    add(service, DCAT + "endpointDescription", _n(SPARQL))
    add(service, DCAT + "servesDataset", d)
    add(service, DCT + "conformsTo",
        typed("https://www.w3.org/TR/sparql11-protocol/", DCT + "Standard"))
    add(service, DCT + "license", license_)
    add(service, DCT + "publisher", publisher)
    add(service, DCAT + "contactPoint", contact)
    for theme in THEMES:
        add(service, DCAT + "theme", _n(theme))
    for keyword, lang in KEYWORDS:
        add(service, DCAT + "keyword", st.Literal(keyword, language=lang))
    typed(IANA + "application/gzip", DCT + "MediaType")
    for i, f in enumerate(dumps):
        url = _n(dump_iri(f.name))
        dist = st.BlankNode(f"dump{i}")
        sum_ = st.BlankNode(f"sum{i}")
        ext = f.name.removesuffix(".gz").rpartition(".")[2]
        add(d, VOID + "dataDump", url)
        add(d, DCAT + "distribution", dist)
        add(dist, RDF_TYPE, _n(DCAT + "Distribution"))
        add(dist, DCT + "title", st.Literal(f.name))
        add(dist, DCT + "description", st.Literal(
            "The whole graph, " + ("each named graph kept (" + ", ".join(stats["graphs"])
                                   + ")" if f.keeps_graphs else
                                   "every named graph merged into one default graph")
            + (", gzip-compressed." if f.encoding else "."), language="en"))
        add(dist, DCAT + "accessURL", _n(DUMPS_PAGE))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "mediaType", typed(IANA + f.media_type, DCT + "MediaType"))
        if ext in FILE_TYPES:
            add(dist, DCT + "format",
                typed(EU + "file-type/" + FILE_TYPES[ext], DCT + "MediaTypeOrExtent"))
        if f.encoding:
            add(dist, DCAT + "compressFormat", _n(IANA + "application/gzip"))
        add(dist, DCATAP + "availability", concept(*AVAILABILITY))
        add(dist, DCAT + "byteSize",
            st.Literal(str(f.bytes), datatype=_n(XSD + "nonNegativeInteger")))
        add(dist, DCT + "license", license_)
        add(dist, SPDX + "checksum", sum_)
        add(sum_, RDF_TYPE, _n(SPDX + "Checksum"))
        add(sum_, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
        add(sum_, SPDX + "checksumValue", st.Literal(f.sha256, datatype=_n(XSD + "hexBinary")))
    return _unique(t)


def _license(add, typed, concept) -> st.NamedNode:
    """CC BY 4.0 as a licence document of the ADMS type "attribution"."""
    lic = typed(LICENSE, DCT + "LicenseDocument")
    add(lic, DCT + "title", st.Literal("Creative Commons Attribution 4.0 International",
                                       language="en"))
    add(lic, DCT + "type", concept(*LICENCE_TYPE))
    return lic


def _agents(add, typed) -> tuple[st.NamedNode, st.NamedNode]:
    """The publisher (the project) and its contact point (the dataset's home)."""
    publisher = typed(PUBLISHER, FOAF + "Agent")
    add(publisher, FOAF + "name", st.Literal("krm-kg project", language="en"))
    add(publisher, FOAF + "homepage", _n(BASE))
    contact = typed(CONTACT, VCARD + "Organization")
    add(contact, RDF_TYPE, _n(VCARD + "Kind"))
    add(contact, VCARD + "fn", st.Literal("krm-kg project", language="en"))
    add(contact, VCARD + "hasURL", _n(BASE))
    return publisher, contact


def _unique(triples: list[st.Triple]) -> list[st.Triple]:
    """The triples without repeats (a type stated for each use of a term), in order."""
    return list(dict.fromkeys(triples))
