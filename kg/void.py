"""The dataset's description in VoID and DCAT: size, class and property partitions,
licence, source, version, the SPARQL endpoint and the dumps.

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
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"void": VOID, "dcat": DCAT, "spdx": SPDX}


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
    return {
        "graphs": graphs(store),
        "classes": classes,
        "properties": props,
    }


def graphs(store) -> dict[str, int]:
    """Triples per named graph, for every graph the store holds: the project's own three
    first (an empty one listed as 0), then any other (a data set's graph) by IRI.

    Raises:
        OSError: the store cannot be read.
    """
    sizes = st.graph_sizes(store)
    return {**{g: sizes.get(g, 0) for g in GRAPHS},
            **{g: sizes[g] for g in sorted(sizes) if g not in GRAPHS}}


def description(stats: dict, version: str, modified: str, dumps: list[DumpFile],
                dump_iri) -> list[st.Triple]:
    """VoID and DCAT triples describing the dataset.

    ``dump_iri`` maps a dump's file name to its download IRI.
    """
    d = _n(DATASET)
    t: list[st.Triple] = []

    def add(s, p, o):
        t.append(st.Triple(s, _n(p), o))

    add(d, RDF_TYPE, _n(VOID + "Dataset"))
    add(d, RDF_TYPE, _n(DCAT + "Dataset"))
    add(d, DCT + "title", st.Literal("Korea Rare Metals Knowledge Graph", language="en"))
    add(d, DCT + "title", st.Literal("한국 희소금속 지식 그래프", language="ko"))
    add(d, DCT + "description", st.Literal(
        "South Korea's rare-metal industry as linked data: elements and the lists that "
        "classify them, production shares, organisations, laws, strategies and supply "
        "relations, each claim with its evidence quoted from the source paper.", language="en"))
    add(d, DCT + "license", _n(LICENSE))
    add(d, DCT + "source", _n(PAPER))
    add(d, DCT + "modified", st.Literal(modified, datatype=_n(XSD + "dateTime")))
    add(d, DCAT + "version", st.Literal(version))
    add(d, "http://www.w3.org/2002/07/owl#versionInfo", st.Literal(version))
    add(d, DCT + "conformsTo", _n(ONTOLOGY.rstrip("#")))
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
    service = st.BlankNode("sparql")
    add(service, RDF_TYPE, _n(DCAT + "DataService"))
    add(service, DCAT + "endpointURL", _n(SPARQL))
    add(service, DCAT + "servesDataset", d)
    add(service, DCT + "conformsTo", _n("https://www.w3.org/TR/sparql11-protocol/"))
    for i, f in enumerate(dumps):
        url = _n(dump_iri(f.name))
        dist = st.BlankNode(f"dump{i}")
        sum_ = st.BlankNode(f"sum{i}")
        add(d, VOID + "dataDump", url)
        add(d, DCAT + "distribution", dist)
        add(dist, RDF_TYPE, _n(DCAT + "Distribution"))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "mediaType", _n("https://www.iana.org/assignments/media-types/"
                                         + f.media_type))
        if f.encoding:
            add(dist, DCAT + "compressFormat",
                _n("https://www.iana.org/assignments/media-types/application/gzip"))
        add(dist, DCAT + "byteSize",
            st.Literal(str(f.bytes), datatype=_n(XSD + "nonNegativeInteger")))
        add(dist, DCT + "license", _n(LICENSE))
        add(dist, SPDX + "checksum", sum_)
        add(sum_, RDF_TYPE, _n(SPDX + "Checksum"))
        add(sum_, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
        add(sum_, SPDX + "checksumValue", st.Literal(f.sha256, datatype=_n(XSD + "hexBinary")))
    return t
