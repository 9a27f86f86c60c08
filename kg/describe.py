"""What the graph says about one resource, as plain data for pages and documents.

Each function runs one query of ``queries/browse/`` with the resource bound by
substitution and returns dataclasses, so views and templates never see query results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from kg import queries as library
from kg import store as st
from kg.namespace import GRAPH_FACTS, GRAPH_INFERENCES, GRAPH_ONTOLOGY, ONTOLOGY

QUERIES = library.QUERIES / "browse"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_LABEL = st.NamedNode(RDFS_LABEL)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
EVIDENCE = "https://w3id.org/krm/ontology#evidence"
#: Most production shares a page lists per role, largest first (the queries' LIMIT).
MAX_SHARES = 100
#: Most inbound links a page lists (the inbound query's LIMIT).
MAX_INBOUND = 200
#: Kinds of n-ary fact a page shows as a card of their own, and how many at most.
FACT_TYPES = {ONTOLOGY + name for name in (
    "Designation", "SupplyRelation", "Article", "Strategy", "Act", "SubordinateLegislation",
    "CapacityShare", "DomesticProduction", "RecyclingCapacity", "Event")}
MAX_FACTS = 50  # a hub has thousands; 50 cards is what a page can show and render fast
MAX_LINKS = 500  # inbound links examined for facts: bounds the work on hub resources


# Labels for the borrowed terms a page shows most (the ontology graph labels only krm's own).
_R, _S, _P, _D = ("http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2004/02/skos/core#",
                  "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/")
_E = "http://data.europa.eu/eli/ontology#"
VOCAB_LABELS = {
    RDF_TYPE: ("type", "유형"),
    _R + "label": ("label", "이름"),
    _R + "comment": ("comment", "설명"),
    _R + "subClassOf": ("subclass of", "상위 클래스"),
    _S + "member": ("member", "구성원"),
    _S + "altLabel": ("alternative label", "다른 이름"),
    _S + "Concept": ("concept", "개념"),
    _S + "Collection": ("collection", "모음"),
    _P + "wasDerivedFrom": ("derived from", "출처"),
    _P + "Entity": ("entity", "개체"),
    _D + "source": ("source", "출처"),
    _D + "subject": ("about", "주제"),
    _D + "title": ("title", "제목"),
    _D + "isPartOf": ("part of", "상위 자료"),
    "http://www.w3.org/2002/07/owl#sameAs": ("same as", "동일 개체"),
    "http://purl.org/linked-data/cube#dataSet": ("data set", "데이터셋"),
    "http://purl.org/linked-data/cube#Observation": ("observation", "관측값"),
    _E + "is_part_of": ("part of", "상위 법령"),
    _E + "has_part": ("has part", "하위 조항"),
    _E + "title": ("title", "제목"),
    _E + "number": ("number", "번호"),
    _E + "date_publication": ("published", "공포일"),
    _E + "passed_by": ("passed by", "의결 기관"),
    _E + "based_on": ("based on", "근거 법령"),
    _E + "amends": ("amends", "개정 대상"),
    _D + "issued": ("issued", "발행"),
    _D + "creator": ("creator", "저자"),
    _D + "bibliographicCitation": ("citation", "서지 정보"),
}


@cache
def load_query(name: str) -> str:
    """Text of ``queries/browse/<name>.rq``, loaded by the query library (strict header).

    Raises:
        kg.queries.HeaderError: the header is malformed or the query does not parse.
        OSError: no such query file.
    """
    return named_query(name).text


@cache
def named_query(name: str) -> library.NamedQuery:
    """``queries/browse/<name>.rq`` as loaded by the query library, bound as its header says.

    Raises:
        kg.queries.HeaderError: the header is malformed or the query does not parse.
        OSError: no such query file.
    """
    return library.load(QUERIES / f"{name}.rq")


@dataclass(frozen=True)
class Term:
    """An RDF term with what a page needs to show it: labels, language and datatype."""

    kind: str  # "iri", "literal" or "bnode"
    value: str
    en: str | None = None
    ko: str | None = None
    lang: str | None = None
    datatype: str | None = None

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``, else the other language, else the IRI's local name.

        >>> Term("iri", "https://w3id.org/krm/id/country/CHN", en="China", ko="중국").label("ko")
        '중국'
        >>> Term("iri", "https://w3id.org/krm/ontology#Claim").label()
        'Claim'
        """
        first, second = (self.ko, self.en) if lang == "ko" else (self.en, self.ko)
        return first or second or local_name(self.value)

    @property
    def shown_datatype(self) -> str | None:
        """The datatype worth showing (plain and language strings go without)."""
        return None if self.datatype in (None, XSD_STRING, RDF_LANG_STRING) else self.datatype


def local_name(iri: str) -> str:
    """The last segment of an IRI, a readable fallback when it has no label.

    >>> local_name("http://www.w3.org/ns/prov#wasDerivedFrom")
    'wasDerivedFrom'
    >>> local_name("https://w3id.org/krm/id/element/W")
    'W'
    """
    for sep in ("#", "/"):
        head, _, tail = iri.rstrip("/").rpartition(sep)
        if head and tail:
            return tail
    return iri


def term(node, en=None, ko=None) -> Term | None:
    """A :class:`Term` from a pyoxigraph term and optional label terms."""
    if node is None:
        return None
    en_v = en.value if en is not None else None
    ko_v = ko.value if ko is not None else None
    if isinstance(node, st.NamedNode):
        if en_v is None and ko_v is None and node.value in VOCAB_LABELS:
            en_v, ko_v = VOCAB_LABELS[node.value]
        return Term("iri", node.value, en_v, ko_v)
    if isinstance(node, st.Literal):
        return Term("literal", node.value, lang=node.language, datatype=node.datatype.value)
    return Term("bnode", node.value)


class Labels:
    """English and Korean labels by IRI, looked up in the store's index and remembered.

    Labels are not joined in the queries: an OPTIONAL label pattern makes pyoxigraph
    evaluate it over every label in the graph before joining, which grows with the graph;
    an index lookup per IRI does not.
    """

    def __init__(self, store):
        self.store = store
        self.known: dict[str, tuple[str | None, str | None]] = {}

    def of(self, iri: str) -> tuple[str | None, str | None]:
        if iri not in self.known:
            en = ko = None
            for q in self.store.quads_for_pattern(st.NamedNode(iri), _LABEL, None, None):
                lang = q.object.language
                if lang == "en" and en is None:
                    en = q.object.value
                elif lang == "ko" and ko is None:
                    ko = q.object.value
            if en is None and ko is None:
                en, ko = VOCAB_LABELS.get(iri, (None, None))
            self.known[iri] = (en, ko)
        return self.known[iri]

    def term(self, node) -> Term | None:
        """A :class:`Term` for a pyoxigraph term, labelled if it is an IRI."""
        if isinstance(node, st.NamedNode):
            en, ko = self.of(node.value)
            return Term("iri", node.value, en, ko)
        return term(node)


_TITLES = (st.NamedNode("http://purl.org/dc/terms/title"), _LABEL,
           st.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"))


def source_title(store, iri: str, lang: str = "en") -> str | None:
    """The title the graph gives a source (``dcterms:title``, else ``rdfs:label``, else
    ``skos:prefLabel``), in ``lang`` if it has one, else any; None when it gives none.

    Raises:
        ValueError: ``iri`` is not a valid IRI.
    """
    node = st.NamedNode(iri)
    for prop in _TITLES:
        found = [q.object for q in store.quads_for_pattern(node, prop, None, None)]
        if found:
            exact = [o for o in found if getattr(o, "language", None) == lang]
            return (exact or found)[0].value
    return None


def _select(store, name: str, **bindings: str):
    """Run a browse query with IRIs bound, as substitutions or a VALUES block (its header
    says which); each IRI is checked by constructing its NamedNode.

    Raises:
        ValueError: a value is not a valid IRI.
    """
    return named_query(name).run_terms(store, {k: st.NamedNode(v) for k, v in bindings.items()})


@dataclass
class PropertyValues:
    prop: Term
    values: list[Term] = field(default_factory=list)
    inferred: bool = False


@dataclass
class Evidence:
    claim: Term
    quotes: list[str] = field(default_factory=list)
    source: str | None = None
    section: Term | None = None


@dataclass
class Share:
    obs: Term
    via: str
    producer: Term
    commodity: Term
    share: float
    year: str | None = None
    rank: str | None = None
    sources: list[str] = field(default_factory=list)
    quote: str | None = None
    section: Term | None = None


@dataclass
class Fact:
    """An n-ary fact pointing to the resource (a designation, an article, a policy)."""

    node: Term
    roles: list[Term]
    type: Term
    props: dict[str, PropertyValues] = field(default_factory=dict)


@dataclass
class Description:
    iri: str
    types: list[Term]
    properties: list[PropertyValues]
    evidence: list[Evidence]
    shares: list[Share]
    memberships: list[tuple[Term, Term | None]]
    facts: list[Fact]
    inbound: list[PropertyValues]

    @property
    def exists(self) -> bool:
        return bool(self.types or self.properties or self.inbound)

    @property
    def labels(self) -> Term:
        en = ko = None
        for pv in self.properties:
            if pv.prop.value == RDFS_LABEL:
                for v in pv.values:
                    if v.lang == "en" and en is None:
                        en = v.value
                    elif v.lang == "ko" and ko is None:
                        ko = v.value
        return Term("iri", self.iri, en, ko)


def properties(store, iri: str, labels: Labels | None = None
               ) -> tuple[list[Term], list[PropertyValues]]:
    """The resource's types and its other properties, grouped; inferred ones marked."""
    labels = labels or Labels(store)
    groups: dict[str, PropertyValues] = {}
    seen: set[tuple] = set()
    inferred_types: set[str] = set()
    for row in _select(store, "outbound", resource=iri):
        p = labels.term(row["p"])
        o = labels.term(row["o"])
        key = (p.value, o.kind, o.value, o.lang, o.datatype)
        if key in seen:  # the same statement in two graphs, or a second label of a value
            continue
        seen.add(key)
        inferred = row["g"].value == GRAPH_INFERENCES
        if inferred and p.value == RDF_TYPE:
            inferred_types.add(o.value)
        pv = groups.get(p.value)
        if pv is None:
            pv = groups[p.value] = PropertyValues(p, inferred=inferred)
        pv.inferred = pv.inferred and inferred
        pv.values.append(o)
    type_group = groups.pop(RDF_TYPE, PropertyValues(Term("iri", RDF_TYPE)))
    types = [t for t in type_group.values if t.value not in inferred_types]
    if len(types) < len(type_group.values):
        # Inferred superclasses go with the properties, marked, not beside the title.
        groups[RDF_TYPE] = PropertyValues(type_group.prop, inferred=True, values=[
            t for t in type_group.values if t.value in inferred_types])
    groups.pop(EVIDENCE, None)  # shown with its quote, not as a blank node
    # An inferred super-property only repeats values already shown (note -> comment).
    asserted = {v.value for pv in groups.values() if not pv.inferred for v in pv.values}
    groups = {k: pv for k, pv in groups.items() if k == RDF_TYPE or not pv.inferred
              or any(v.value not in asserted for v in pv.values)}
    ordered = sorted(groups.values(), key=lambda pv: (pv.inferred, pv.prop.label()))
    for pv in ordered:
        pv.values.sort(key=lambda t: (t.kind != "iri", t.label()))
    return types, ordered


def evidence(store, iri: str, labels: Labels | None = None) -> list[Evidence]:
    """Quotes backing the resource and the claims about it, grouped by claim."""
    labels = labels or Labels(store)
    out: dict[str, Evidence] = {}
    for row in _select(store, "evidence", resource=iri):
        claim = labels.term(row["claim"])
        ev = out.setdefault(claim.value, Evidence(claim))
        quote = row["quote"].value
        if quote not in ev.quotes:
            ev.quotes.append(quote)
        if row["source"] is not None:
            ev.source = row["source"].value
        if row["section"] is not None:
            ev.section = labels.term(row["section"])
    # The resource's own evidence first, then claims about it by label.
    return sorted(out.values(), key=lambda e: (e.claim.value != iri, e.claim.label()))


def shares(store, iri: str, labels: Labels | None = None, index=None) -> list[Share]:
    """Production shares the resource takes part in (as producer, as commodity, or as a
    member of a group that is the commodity), largest first; at most ``MAX_SHARES`` per role.

    Where ``index`` (a :class:`kg.hubs.HubIndex`) ranked the resource's shares in a role at
    build time, the page binds those observations, in the order the query gave them,
    instead of ranking thousands again; equal shares keep that order.
    """
    labels = labels or Labels(store)
    out: dict[str, Share] = {}
    resource = st.NamedNode(iri)
    for via, name in (("producer", "shares-as-producer"), ("commodity", "shares-as-commodity"),
                      ("group", "shares-via-group")):
        ranked = index.top_shares(via, iri) if index is not None else None
        if ranked is None:
            rows = _select(store, name, resource=iri)
        else:
            rows = named_query("shares-listed").run_rows(store, [
                {"resource": resource, "obs": st.NamedNode(obs),
                 "share": st.Literal(value, datatype=st.NamedNode(datatype))}
                for obs, value, datatype in ranked])
        for row in rows:
            obs = row["obs"].value
            if obs not in out:
                out[obs] = Share(
                    obs=labels.term(row["obs"]),
                    via=via,
                    producer=labels.term(row["producer"]),
                    commodity=labels.term(row["commodity"]),
                    share=float(row["share"].value),
                    year=row["year"].value if row["year"] else None,
                    rank=row["rank"].value if row["rank"] else None,
                    quote=row["quote"].value if row["quote"] else None,
                    section=labels.term(row["section"]),
                )
            src = row["source"]
            if src is not None and src.value not in out[obs].sources:
                out[obs].sources.append(src.value)
    return sorted(out.values(), key=lambda s: (-s.share, s.producer.label()))


def memberships(store, iri: str, labels: Labels | None = None
                ) -> list[tuple[Term, Term | None]]:
    """(collection, group it is included through or None) for lists including the resource."""
    labels = labels or Labels(store)
    seen = {}
    for row in _select(store, "memberships", resource=iri):
        lst = labels.term(row["list"])
        via = labels.term(row["via"])
        seen.setdefault((lst.value, via.value if via else None), (lst, via))
    return sorted(seen.values(), key=lambda lv: (lv[0].label(), lv[1] is not None))


def facts(store, iri: str, labels: Labels | None = None, index=None) -> list[Fact]:
    """Designations, articles, policies and supply relations pointing to the resource.

    Walked through the store's index rather than queried: pyoxigraph plans a query before
    substituting the resource, and a join from an unbound object plans badly on a large
    graph (seconds at a million triples), while this stays proportional to the links.

    With ``index`` (a :class:`kg.hubs.HubIndex`) only the properties through which facts
    link are walked, each on its own and for at most ``MAX_LINKS`` links: on a hub the
    thousands of share and company links then hide nothing, and cost nothing. Without
    it, the first ``MAX_LINKS`` links in index order are examined. When there are more
    than ``MAX_FACTS``, the kinds take turns, so a rare kind (a designation) shows
    beside a common one (thousands of supply relations).
    """
    labels = labels or Labels(store)
    graph = st.NamedNode(GRAPH_FACTS)
    rdf_type = st.NamedNode(RDF_TYPE)
    target = st.NamedNode(iri)
    if index is None:
        walks = [store.quads_for_pattern(None, None, target, graph)]
    else:
        walks = [store.quads_for_pattern(None, st.NamedNode(p), target, graph)
                 for p in index.fact_predicates]
    found: dict[str, tuple] = {}  # fact IRI -> (node, kind), in the order met
    others: set[str] = set()  # subjects met that are not facts
    for links in walks:
        new = 0
        for n, link in enumerate(links):
            if n >= MAX_LINKS:
                break
            node = link.subject
            if not isinstance(node, st.NamedNode) or node.value in others:
                continue
            if node.value in found:
                continue
            if new >= MAX_FACTS:
                break
            kind = next((q.object for q in store.quads_for_pattern(node, rdf_type, None, graph)
                         if q.object.value in FACT_TYPES), None)
            if kind is None:
                others.add(node.value)
                continue
            found[node.value] = (node, kind)
            new += 1
    out = []
    for node, kind in _take_turns(list(found.values()), MAX_FACTS):
        fact = Fact(labels.term(node), [], labels.term(kind))
        for q in store.quads_for_pattern(node, None, target, graph):  # its roles, in index order
            if all(r.value != q.predicate.value for r in fact.roles):
                fact.roles.append(labels.term(q.predicate))
        for q in store.quads_for_pattern(node, None, None, graph):
            if q.predicate.value in (RDF_TYPE, RDFS_LABEL) or \
                    isinstance(q.object, st.BlankNode):
                continue  # the type and label name the fact; evidence shows elsewhere
            pv = fact.props.setdefault(q.predicate.value,
                                       PropertyValues(labels.term(q.predicate)))
            if all(v.value != q.object.value for v in pv.values):
                pv.values.append(labels.term(q.object))
        out.append(fact)
    return sorted(out, key=lambda f: (f.type.value, f.node.label()))


def _take_turns(found: list[tuple], limit: int) -> list[tuple]:
    """At most ``limit`` of ``found`` (node, kind), the kinds taking turns.

    >>> _take_turns([(1, "a"), (2, "a"), (3, "a"), (4, "b")], 3)
    [(1, 'a'), (4, 'b'), (2, 'a')]
    """
    if len(found) <= limit:
        return found
    by_kind: dict[str, list[tuple]] = {}
    for fact in found:
        by_kind.setdefault(str(fact[1]), []).append(fact)
    queues = [by_kind[k] for k in sorted(by_kind)]
    taken: list[tuple] = []
    for turn in range(limit):
        for queue in queues:
            if turn < len(queue) and len(taken) < limit:
                taken.append(queue[turn])
    return taken


def inbound(store, iri: str, skip: set[str] = frozenset(), labels: Labels | None = None,
            index=None) -> list[PropertyValues]:
    """IRIs linking to the resource, grouped by property; ``skip`` leaves some subjects out.

    At most ``MAX_INBOUND``. With ``index`` (a :class:`kg.hubs.HubIndex`) the properties
    that link IRIs are walked side by side, taking turns, so on a hub each property shows
    some of its links after ``skip`` (thousands of shares cannot hide a company); without
    it, the inbound query's first links are taken.
    """
    labels = labels or Labels(store)
    groups: dict[str, PropertyValues] = {}
    seen: set[tuple[str, str]] = set()  # (property, subject): a set, as hubs have hundreds

    def add(subject, prop) -> bool:
        if subject.value in skip or (prop.value, subject.value) in seen:
            return False
        seen.add((prop.value, subject.value))
        pv = groups.get(prop.value)
        if pv is None:
            pv = groups[prop.value] = PropertyValues(labels.term(prop))
        pv.values.append(labels.term(subject))
        return True

    if index is None:
        for row in _select(store, "inbound", resource=iri, facts=GRAPH_FACTS):
            add(row["s"], row["p"])
    else:
        graph, target = st.NamedNode(GRAPH_FACTS), st.NamedNode(iri)
        walks = [iter(store.quads_for_pattern(None, st.NamedNode(p), target, graph))
                 for p in index.link_predicates]
        taken = 0
        while walks and taken < MAX_INBOUND:
            for walk in list(walks):
                for link in walk:  # the next link this property has to show, if any
                    if isinstance(link.subject, st.NamedNode) and add(link.subject,
                                                                      link.predicate):
                        taken += 1
                        break
                else:
                    walks.remove(walk)
                if taken >= MAX_INBOUND:
                    break
    for pv in groups.values():
        pv.values.sort(key=lambda t: t.label())
    return sorted(groups.values(), key=lambda pv: pv.prop.label())


def describe(store, iri: str, index=None) -> Description:
    """Everything a resource page shows about ``iri``; ``index`` is the store's
    :class:`kg.hubs.HubIndex`, if it has one, which keeps pages of hubs fast and complete.

    Raises:
        OSError: the store cannot be read.
    """
    labels = Labels(store)
    types, props = properties(store, iri, labels)
    share_list = shares(store, iri, labels, index)
    fact_list = facts(store, iri, labels, index)
    ev = evidence(store, iri, labels)
    shown = {s.obs.value for s in share_list} | {f.node.value for f in fact_list}
    shown |= {e.claim.value for e in ev}
    member_of = memberships(store, iri, labels)
    shown |= {lst.value for lst, via in member_of if via is None}
    return Description(
        iri=iri,
        types=types,
        properties=props,
        evidence=ev,
        shares=share_list,
        memberships=member_of,
        facts=fact_list,
        inbound=inbound(store, iri, skip=shown, labels=labels, index=index),
    )


#: Most solutions of the resource's own description (``description.rq``'s LIMIT): its
#: statements, its blank nodes' and the labels of what it links to.
MAX_OWN = 5000
#: Resources whose descriptions one query fetches (a VALUES block of this many rows).
_BATCH = 100
SKOS_MEMBER = "http://www.w3.org/2004/02/skos/core#member"


def document(store, iri: str, index=None) -> list:
    """The data document's triples: what the resource's page shows, as RDF.

    - the resource's concise bounded description (its statements and its blank nodes'),
      at most :data:`MAX_OWN` solutions;
    - the production shares the page lists (at most :data:`MAX_SHARES` per role, the
      largest), each observation with its statements and evidence;
    - the lists that include it (directly, or through a group: both memberships);
    - the paper's claims about it, each with its evidence (quote, section, source);
    - the facts pointing to it that the page shows as cards (at most :data:`MAX_FACTS`);
    - the other links to it (at most :data:`MAX_INBOUND`);
    - the labels of every IRI named in the document.

    The bounds are the page's, so the document of a hub with thousands of observations
    stays as small as its page: a few thousand triples at most. ``index`` is the
    store's :class:`kg.hubs.HubIndex`, as for :func:`describe`.

    Raises:
        OSError: the store cannot be read.
    """
    own = list(_select(store, "description", resource=iri))
    if not own and not _linked(store, iri):
        return []
    desc = describe(store, iri, index)
    target = st.NamedNode(iri)
    triples = list(own)
    member = st.NamedNode(SKOS_MEMBER)
    for lst, via in desc.memberships:
        if via is None:
            triples.append(st.Triple(st.NamedNode(lst.value), member, target))
        else:
            triples.append(st.Triple(st.NamedNode(lst.value), member, st.NamedNode(via.value)))
            triples.append(st.Triple(st.NamedNode(via.value), member, target))
    nodes = [e.claim.value for e in desc.evidence if e.claim.value != iri]
    nodes += [f.node.value for f in desc.facts] + [s.obs.value for s in desc.shares]
    query = named_query("descriptions")
    for start in range(0, len(nodes), _BATCH):
        triples += query.run_rows(store, [{"resource": st.NamedNode(n)}
                                          for n in nodes[start:start + _BATCH]])
    for pv in desc.inbound:
        prop = st.NamedNode(pv.prop.value)
        triples += [st.Triple(st.NamedNode(v.value), prop, target) for v in pv.values]
    triples += _labels(store, triples)
    triples = list(dict.fromkeys(triples))  # a statement held in two graphs, once
    # The resource's own statements first, so serialisers group them together.
    return sorted(triples, key=lambda t: (t.subject.value != iri,
                                          isinstance(t.subject, st.BlankNode),
                                          t.subject.value, t.predicate.value))


def _linked(store, iri: str) -> bool:
    """Whether anything links to ``iri`` (a resource with no statements of its own)."""
    return any(True for _ in store.quads_for_pattern(None, None, st.NamedNode(iri), None))


def _labels(store, triples: list) -> list:
    """The rdfs:label statements of every IRI the triples name, found by index lookups."""
    named = dict.fromkeys(t for triple in triples for t in (triple.subject, triple.object)
                          if isinstance(t, st.NamedNode))
    return [q.triple for node in named
            for q in store.quads_for_pattern(node, _LABEL, None, None)]


def ontology_triples(store) -> list:
    """The ontology graph's triples: the data document of the ontology IRI."""
    return [q.triple for q in st.quads_of_graph(store, GRAPH_ONTOLOGY)]
