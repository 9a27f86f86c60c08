"""The ontology's documentation page, generated from the ontology graph (like pyLODE)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg import describe as ds
from kg import store as st
from kg.namespace import GRAPH_ONTOLOGY
from server import urls
from server.browse.common import render, validated
from server.db import get_store

KINDS = {
    "http://www.w3.org/2002/07/owl#Class": "classes",
    "http://www.w3.org/2002/07/owl#ObjectProperty": "object_properties",
    "http://www.w3.org/2002/07/owl#DatatypeProperty": "datatype_properties",
}


@dataclass
class TermDoc:
    term: ds.Term
    name: str
    comment: str | None = None
    domains: list[ds.Term] = field(default_factory=list)
    ranges: list[ds.Term] = field(default_factory=list)
    supers: list[ds.Term] = field(default_factory=list)


def terms(store) -> dict[str, list[TermDoc]]:
    """The ontology's classes and properties, documented, by kind and name."""
    out: dict[str, dict[str, TermDoc]] = {k: {} for k in KINDS.values()}
    labels = _labels(store)
    subs = {st.Variable("ontology"): st.NamedNode(GRAPH_ONTOLOGY)}
    for row in st.query(store, ds.load_query("ontology-terms"), substitutions=subs):
        if not isinstance(row["term"], st.NamedNode):
            continue
        iri = row["term"].value
        name = urls.term_name(iri) or ds.local_name(iri)
        kind = KINDS[row["kind"].value]
        doc = out[kind].get(iri)
        if doc is None:
            doc = out[kind][iri] = TermDoc(ds.term(row["term"], row["en"], row["ko"]), name)
        if row["comment"] is not None:
            doc.comment = row["comment"].value
        for var, bucket in (("domain", doc.domains), ("range", doc.ranges),
                            ("super", doc.supers)):
            node = row[var]
            if isinstance(node, st.NamedNode) and all(t.value != node.value for t in bucket):
                bucket.append(labels.get(node.value) or ds.term(node))
    return {k: sorted(v.values(), key=lambda d: d.name.casefold()) for k, v in out.items()}


def _labels(store) -> dict[str, ds.Term]:
    # Classes used as domains and ranges are labelled in the same graph.
    labels: dict[str, ds.Term] = {}
    for q in st.quads_of_graph(store, GRAPH_ONTOLOGY):
        if q.predicate.value == "http://www.w3.org/2000/01/rdf-schema#label" and \
                isinstance(q.subject, st.NamedNode):
            t = labels.get(q.subject.value) or ds.Term("iri", q.subject.value)
            lang = q.object.language
            if lang == "en" and not t.en:
                t = ds.Term("iri", t.value, q.object.value, t.ko)
            elif lang == "ko" and not t.ko:
                t = ds.Term("iri", t.value, t.en, q.object.value)
            labels[q.subject.value] = t
    return labels


def ontology_page(alts: list[dict]):
    store = get_store()
    head = ds.describe(store, urls.ONTOLOGY_IRI)
    response = render("ontology.html", alts=alts, d=head, terms=terms(store),
                      title=head.labels)
    return validated(response, f"ontology.{response.headers['Content-Language']}")
