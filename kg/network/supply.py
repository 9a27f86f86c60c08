"""The supply network of one year, from the official data, and the what-if over it.

Layers, in the direction supply flows:

    partner -> product -> element -> (group, material) -> Korean sector -> company

- ``imports``: partner -> product (HS 1992), Korea's imports in the year (CEPII BACI):
  ``value`` (thousand US dollars, FOB), ``quantity`` (tonnes, None where BACI has none),
  ``share`` (% of Korea's imports of the product by value), ``year`` and its source:
  ``dataset`` (IRI), ``file`` and ``row`` (the CSV line).
- ``contains``: product -> element, from the HS rule table (``krm:containsElement``),
  with the product's ``stage``.
- ``member``, ``requires``, ``active_in``: the paper's facts (what a sector or material
  needs, which companies are active in a sector), with their ``claims``, as in
  :mod:`kg.network.graph`: an element reaches a sector that needs it, or needs its group
  (rare earths) or a material made from it.

Why a separate network from :mod:`kg.network.graph`: the figures here are Korea's own
imports, partner by partner, each traceable to a row of a data release; the paper's
network keeps world production shares as the paper states them.
"""

from __future__ import annotations

from collections import defaultdict, deque
from functools import cache

import networkx as nx

from kg.network.graph import LAYERS, collector_paused, local_name

ID = "https://w3id.org/krm/id/"
#: Node types of this network and their column in a layered drawing.
SUPPLY_LAYERS = {"country": 0, "area": 0, "product": 1, "element": 2, "group": 3,
                 "material": 3, "sector": 4, "company": 5, "organisation": 5, "other": 3}
#: The edges a loss travels along, after the import edges.
DOWNSTREAM = frozenset({"contains", "member", "requires", "active_in"})


@cache
def _query(name: str):
    from kg import queries

    return queries.load(queries.QUERIES / "network" / f"{name}.rq")


def build(store, year: int) -> nx.DiGraph:
    """The supply network of ``year`` from a store (see the module's docstring).

    Raises:
        ValueError: no imports into Korea in that year.
        OSError: the store cannot be read.
    """
    from kg import store as st

    def rows(name: str, **values) -> list[dict]:  # sorted, as in kg.network.graph
        return sorted(st.rows(_query(name).run(store, {k: str(v) for k, v in values.items()})),
                      key=lambda row: tuple("" if v is None else v for v in row.values()))

    imports = rows("imports-year", year=year)
    if not imports:
        raise ValueError(f"no imports into Korea in {year} in the data")
    with collector_paused():
        return assemble(year, imports, rows("products"), rows("nodes"), rows("membership"),
                        rows("inputs"), rows("activity"))


def assemble(year: int, imports: list[dict], products: list[dict], nodes: list[dict] = (),
             membership: list[dict] = (), inputs: list[dict] = (),
             activity: list[dict] = ()) -> nx.DiGraph:
    """The network from query rows (dicts of plain strings).

    >>> K = "https://w3id.org/krm/id/"
    >>> src = {"dataset": K + "dataset/baci", "sourceFile": "f.csv"}
    >>> g = assemble(2024,
    ...     imports=[{"partner": K + "country/CHL", "product": K + "product/hs92/283691",
    ...               "value": "300", "quantity": "20", "sourceRow": "7", **src},
    ...              {"partner": K + "country/ARG", "product": K + "product/hs92/283691",
    ...               "value": "100", "quantity": "NaN", "sourceRow": "8", **src}],
    ...     products=[{"product": K + "product/hs92/283691", "code": "283691",
    ...                "label": "lithium carbonate", "element": K + "element/Li"}],
    ...     inputs=[{"consumer": K + "sector/battery", "input": K + "element/Li"}])
    >>> e = g.edges[K + "country/CHL", K + "product/hs92/283691"]
    >>> e["share"], e["quantity"], e["row"]
    (75.0, 20.0, 7)
    >>> g.edges[K + "country/ARG", K + "product/hs92/283691"]["quantity"] is None
    True
    >>> g.nodes[K + "product/hs92/283691"]["import_value"]
    400.0
    >>> g.has_edge(K + "element/Li", K + "sector/battery")
    True
    """
    from kg.network.graph import TYPES

    g = nx.DiGraph(year=year, kind="supply")
    for r in nodes:
        kind = TYPES.get(r["class"])
        if kind is None:
            continue
        old = g.nodes[r["node"]].get("type") if r["node"] in g else None
        if old in ("company", "group", "material") and kind in ("organisation", "element"):
            continue
        g.add_node(r["node"], type=kind, iri=r["node"],
                   label=r.get("label") or r.get("other") or local_name(r["node"]))
        if r.get("code"):
            g.nodes[r["node"]]["code"] = r["code"]
        if r.get("labelKo"):
            g.nodes[r["node"]]["label_ko"] = r["labelKo"]
    for r in products:
        p = r["product"]
        if p not in g:
            g.add_node(p, type="product", iri=p, code=r["code"],
                       label=r.get("label") or r["code"], stage=r.get("stage"))
        if r.get("element"):
            if r["element"] not in g:
                g.add_node(r["element"], type="element", iri=r["element"],
                           label=local_name(r["element"]), code=local_name(r["element"]))
            g.add_edge(p, r["element"], kind="contains", stage=r.get("stage"), claims=[])
    totals: dict[str, float] = defaultdict(float)
    for r in imports:
        totals[r["product"]] += float(r["value"])
    for r in imports:
        partner, product, value = r["partner"], r["product"], float(r["value"])
        if partner not in g or g.nodes[partner].get("type") != "country":
            g.add_node(partner, iri=partner, label=r.get("partnerLabel") or local_name(partner),
                       type="country" if "/country/" in partner else "area",
                       code=local_name(partner))
        if product not in g:
            g.add_node(product, type="product", iri=product, code=local_name(product),
                       label=local_name(product))
        q = float(r["quantity"])
        g.add_edge(partner, product, kind="imports", value=value,
                   quantity=q if q == q else None,
                   share=100.0 * value / totals[product] if totals[product] else None,
                   year=year, claims=[], dataset=r["dataset"], file=r["sourceFile"],
                   row=int(r["sourceRow"]))
    for p, total in totals.items():
        g.nodes[p]["import_value"] = total
    # Groups are classes a sector needs through their members: element -> group.
    for r in membership:
        if r["member"] in g and r["group"] in g:
            g.add_edge(r["member"], r["group"], kind="member", claims=[])
    for r in inputs:
        g.add_edge(r["input"], r["consumer"], kind="requires",
                   relation=r.get("relation") or "requires",
                   claims=r["claims"].split() if r.get("claims") else [])
    for r in activity:
        g.add_edge(r["sector"], r["company"], kind="active_in",
                   claims=r["claims"].split() if r.get("claims") else [])
    for n, d in g.nodes(data=True):
        d.setdefault("type", "other")
        d.setdefault("label", local_name(n))
        d.setdefault("iri", n)
        d["layer"] = SUPPLY_LAYERS.get(d["type"], LAYERS.get(d["type"], 3))
    # Korea's imports of everything that contains each element, for element shares.
    element_value: dict[str, float] = defaultdict(float)
    for p, total in totals.items():
        for e in g.successors(p):
            if g.edges[p, e]["kind"] == "contains":
                element_value[e] += total
    for e, v in element_value.items():
        g.nodes[e]["import_value"] = v
    return g


#: What a drawing of the network shows: what reaches a Korean sector, everything with an
#: edge, or every node.
SCOPES = ("sectors", "connected", "all")


def view(g: nx.DiGraph, scope: str = "all", min_share: float = 0.0) -> nx.DiGraph:
    """The part of the network a drawing shows: import edges whose partner supplies at
    least ``min_share`` percent of Korea's imports of the product, then by ``scope``:
    ``"sectors"``, only nodes on a path into or out of a Korean sector (partner ->
    product -> element -> group or material -> sector -> company); ``"connected"``, every
    node with an edge left; ``"all"``, every node.

    >>> K, O = "https://w3id.org/krm/id/", "https://w3id.org/krm/ontology#"
    >>> src = {"dataset": "d", "sourceFile": "f.csv", "sourceRow": "1"}
    >>> g = assemble(2024,
    ...     imports=[{"partner": K + "country/CHL", "product": K + "p/1", "value": "300",
    ...               "quantity": "1", **src},
    ...              {"partner": K + "country/ARG", "product": K + "p/1", "value": "100",
    ...               "quantity": "1", **src},
    ...              {"partner": K + "country/ARG", "product": K + "p/2", "value": "5",
    ...               "quantity": "1", **src}],
    ...     products=[{"product": K + "p/1", "code": "1", "element": K + "element/Li"},
    ...               {"product": K + "p/2", "code": "2", "element": K + "element/Au"}],
    ...     nodes=[{"node": K + "country/PER", "class": O + "Country"},
    ...            {"node": K + "sector/battery", "class": O + "IndustrialSector"}],
    ...     inputs=[{"consumer": K + "sector/battery", "input": K + "element/Li"}])
    >>> sorted(n.rsplit("/", 1)[1] for n in view(g, "sectors", 30))
    ['1', 'CHL', 'Li', 'battery']
    >>> len(view(g, "connected")), len(view(g, "all"))
    (7, 8)

    Raises:
        ValueError: an unknown scope.
    """
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    edges = [(u, v) for u, v, d in g.edges(data=True)
             if d["kind"] != "imports" or (d.get("share") or 0.0) >= min_share]
    if scope == "all":
        out = nx.DiGraph(g.edge_subgraph(edges))
        out.add_nodes_from(g.nodes(data=True))
        return out
    out = nx.DiGraph(g.edge_subgraph(edges))
    if scope == "sectors":
        sectors = [n for n, t in out.nodes(data="type") if t == "sector"]
        keep = set(sectors)
        for n in sectors:
            keep |= nx.ancestors(out, n) | nx.descendants(out, n)
        out = nx.DiGraph(out.subgraph(keep))
    out.graph.update(g.graph)
    return out


def _figure(g: nx.DiGraph, u: str, v: str) -> dict:
    """What an edge of a path says: its kind, and its figures with year and source, or
    the paper's claims."""
    d = g.edges[u, v]
    out = {"from": u, "to": v, "kind": d["kind"]}
    if d["kind"] == "imports":
        out.update(value=d["value"], quantity=d["quantity"], share=d["share"],
                   year=d["year"], source={"dataset": d["dataset"], "file": d["file"],
                                           "row": d["row"]})
    elif d["kind"] == "contains":
        out.update(stage=d.get("stage"), source="kg/ingest/hs_rules.csv")
    else:
        out["claims"] = d.get("claims", [])
    return out


def members(g: nx.DiGraph, node: str) -> set[str]:
    """The elements ``node`` stands for: itself for an element, its members for a group.

    >>> g = nx.DiGraph()
    >>> g.add_node("ree", type="group")
    >>> g.add_edge("Nd", "ree", kind="member"); g.add_edge("Dy", "ree", kind="member")
    >>> sorted(members(g, "ree")), members(g, "Nd")
    (['Dy', 'Nd'], {'Nd'})
    """
    if g.nodes[node].get("type") != "group":
        return {node}
    return {u for u, d in g._pred[node].items() if d.get("kind") == "member"}


def disrupt(g: nx.DiGraph, partner: str, product: str | None = None,
            element: str | None = None, fraction: float = 1.0) -> dict:
    """A partner stops supplying a product (or every product that contains an element,
    or a member of a group, or everything it sells Korea), or ``fraction`` of it: the
    import value lost per product and its share of Korea's imports of the product; per
    element, the value lost as a share of Korea's imports of every product containing it
    (each element its own figure: a group's loss is never copied onto its members); then
    the groups, materials, sectors and companies downstream, each hit as hard as its
    worst-hit input (the data does not say how much of a sector's need each input is):
    their ``basis`` is ``"worst input"`` and ``via`` names that input, where products and
    elements have ``"measured"``. Hits are ranked worst first, each with its path and the
    figures (year, source) along it.

    >>> K = "https://w3id.org/krm/id/"
    >>> src = {"dataset": "d", "sourceFile": "f.csv", "sourceRow": "1"}
    >>> g = assemble(2024,
    ...     imports=[{"partner": K + "country/CHL", "product": K + "p/1", "value": "300",
    ...               "quantity": "1", **src},
    ...              {"partner": K + "country/ARG", "product": K + "p/1", "value": "100",
    ...               "quantity": "1", **src}],
    ...     products=[{"product": K + "p/1", "code": "1", "element": K + "element/Li"}],
    ...     inputs=[{"consumer": K + "sector/battery", "input": K + "element/Li"}],
    ...     activity=[{"sector": K + "sector/battery", "company": K + "org/lg"}])
    >>> r = disrupt(g, K + "country/CHL", fraction=0.5)
    >>> r["lost_value"], [(h["label"], h["severity"]) for h in r["hits"]]
    (150.0, [('1', 37.5), ('Li', 37.5), ('battery', 37.5), ('lg', 37.5)])
    >>> [f["kind"] for f in r["hits"][-1]["figures"]]
    ['imports', 'contains', 'requires', 'active_in']
    >>> [(h["label"], h["basis"], h["via"]) for h in r["hits"][1:3]]
    [('Li', 'measured', None), ('battery', 'worst input', 'https://w3id.org/krm/id/element/Li')]

    Raises:
        KeyError: ``partner``, ``product`` or ``element`` is not in the network.
        ValueError: ``fraction`` is not in (0, 1], or both a product and an element.
    """
    for name, node in (("partner", partner), ("product", product), ("element", element)):
        if node is not None and node not in g:
            raise KeyError(f"{name} {node!r} is not in the network of {g.graph.get('year')}")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be greater than 0 and at most 1")
    if product is not None and element is not None:
        raise ValueError("give a product or an element, not both")
    nodes, succ = g._node, g._succ
    targets = members(g, element) if element is not None else None

    def contains(p: str) -> bool:
        return any(succ[p].get(t, {}).get("kind") == "contains" for t in targets)

    # 1. The import edges cut.
    cut = []
    for p, d in succ[partner].items():
        if d.get("kind") != "imports":
            continue
        if product is not None and p != product:
            continue
        if targets is not None and not contains(p):
            continue
        cut.append((p, d))
    severity: dict[str, float] = {}
    path: dict[str, list[str]] = {}
    lost: dict[str, float] = {}
    via: dict[str, str | None] = {}
    products = []
    for p, d in sorted(cut, key=lambda x: -x[1]["value"]):
        loss = fraction * d["value"]
        total = nodes[p].get("import_value") or 0.0
        share = 100.0 * loss / total if total else 0.0
        severity[p], path[p], lost[p], via[p] = share, [partner, p], loss, None
        products.append({"product": p, "label": nodes[p]["label"], "lost_value": loss,
                         "share_of_imports": share, "import_value": total,
                         "figures": [_figure(g, partner, p)]})
    # 2. Elements: value lost over Korea's imports of every product containing them.
    by_element: dict[str, float] = defaultdict(float)
    worst: dict[str, str] = {}
    for p in list(path):
        for e, d in succ[p].items():
            if d.get("kind") == "contains" and (targets is None or e in targets):
                by_element[e] += lost[p]
                if e not in worst or lost[p] > lost[worst[e]]:
                    worst[e] = p
    for e, loss in by_element.items():
        total = nodes[e].get("import_value") or 0.0
        severity[e] = 100.0 * loss / total if total else 0.0
        lost[e], via[e] = loss, None
        path[e] = path[worst[e]] + [e]
    # 3. Downstream, worst first: a node takes the worst of its inputs' losses.
    order = sorted(by_element, key=lambda e: -severity[e])
    for start in order:
        queue = deque([start])
        while queue:
            n = queue.popleft()
            for v, d in succ[n].items():
                if d.get("kind") not in DOWNSTREAM or d["kind"] == "contains":
                    continue
                if v in severity and severity[v] >= severity[start]:
                    continue
                severity[v], path[v], via[v] = severity[start], path[n] + [v], start
                queue.append(v)
    hits = []
    for n, s in severity.items():
        p = path[n]
        hits.append({"node": n, "label": nodes[n].get("label", n), "type": nodes[n].get("type"),
                     "severity": s, "lost_value": lost.get(n), "path": p,
                     "basis": "measured" if via[n] is None else "worst input", "via": via[n],
                     "figures": [_figure(g, a, b) for a, b in zip(p, p[1:], strict=False)]})
    hits.sort(key=lambda h: (-h["severity"], len(h["path"]), h["label"]))
    counts: dict[str, int] = defaultdict(int)
    for h in hits:
        counts[h["type"]] += 1
    return {"partner": partner, "partner_label": nodes[partner].get("label", partner),
            "product": product, "element": element, "fraction": fraction,
            "year": g.graph.get("year"),
            "lost_value": sum(p["lost_value"] for p in products),
            "value_unit": "thousand US dollars, FOB (CEPII BACI)",
            "severity": "percent of Korea's imports of the product (or of every product "
                        "containing the element) lost; downstream: the worst-hit input",
            "products": products, "hits": hits, "counts": dict(counts)}


def metrics(g: nx.DiGraph) -> dict:
    """Per product and per element of the year's network: Korea's import value, the
    HHI of its partners by value, the largest partner and China's share; and the
    chokepoints (betweenness centrality over the flow edges).
    """
    from kg.network import risk

    def profile(shares: dict[str, float]) -> dict:
        top = max(shares, key=shares.get) if shares else None
        return {"hhi": risk.hhi(shares), "largest": top,
                "largest_label": g.nodes[top]["label"] if top else None,
                "largest_share": shares.get(top) if top else None,
                "china_share": shares.get(ID + "country/CHN", 0.0)}

    out_products, element_values = [], defaultdict(lambda: defaultdict(float))
    for p, d in g.nodes(data=True):
        if d["type"] != "product" or not d.get("import_value"):
            continue
        values = {u: g.edges[u, p]["value"] for u in g.predecessors(p)
                  if g.edges[u, p]["kind"] == "imports"}
        shares = risk.shares(values)
        out_products.append({"product": p, "code": d.get("code"), "label": d["label"],
                             "import_value": d["import_value"], **profile(shares)})
        for e in g.successors(p):
            if g.edges[p, e]["kind"] == "contains":
                for u, v in values.items():
                    element_values[e][u] += v
    out_elements = []
    for e, values in element_values.items():
        total = sum(values.values())
        if total > 0:
            out_elements.append({"element": e, "label": g.nodes[e]["label"],
                                 "import_value": total, **profile(risk.shares(values))})
    flow = nx.DiGraph()  # nodes in a fixed order: the sample below is drawn from that list
    edges = [(u, v) for u, v, k in g.edges(data="kind") if k in DOWNSTREAM or k == "imports"]
    flow.add_nodes_from(sorted({n for edge in edges for n in edge}))
    flow.add_edges_from(edges)
    # Sampled (64 sources, fixed seed): exact betweenness is most of the metrics' time. The
    # graph's own node order follows the order the store returned rows in, which differs
    # between a store on disk, its copy in memory and another engine.
    between = nx.betweenness_centrality(flow, k=min(64, len(flow)), seed=1)
    choke = sorted(((n, b) for n, b in between.items() if b > 0), key=lambda x: -x[1])[:10]
    return {"year": g.graph.get("year"),
            "products": sorted(out_products, key=lambda x: -x["import_value"]),
            "elements": sorted(out_elements, key=lambda x: -x["import_value"]),
            "chokepoints": [{"node": n, "label": g.nodes[n]["label"],
                             "type": g.nodes[n]["type"], "betweenness": b} for n, b in choke],
            "hhi_formula": risk.FORMULAS["hhi"]}
