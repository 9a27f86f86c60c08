"""The home page (counts by class, the ways in) and class pages listing instances."""

from __future__ import annotations

from flask import Response, current_app, request

from kg import describe as ds
from kg import store as st
from kg.namespace import ONTOLOGY
from server import urls
from server.browse import bp
from server.browse.common import page_lang, render, validated
from server.browse.resource import not_found
from server.db import get_store

#: The ways in offered on the home page: (ontology class, English, Korean).
WAYS_IN = (
    ("ChemicalElement", "Elements", "원소"),
    ("Country", "Countries", "국가"),
    ("Company", "Companies", "기업"),
    ("Act", "Laws", "법률"),
    ("Strategy", "Strategies", "전략"),
)
SORTS = ("label", "iri")


def class_counts(store) -> list[tuple[ds.Term, int]]:
    """Classes of our ontology with how many instances each has, most first.

    Counted once per app: the served store is read-only and counting scans the graph.
    """
    cache = current_app.extensions.setdefault("krm.browse.counts", {})
    if "classes" not in cache:
        cache["classes"] = _count_classes(store)
        cache["triples"] = sum(st.graph_sizes(store).values())
    return cache["classes"]


def _count_classes(store) -> list[tuple[ds.Term, int]]:
    out = []
    for row in st.query(store, ds.load_query("class-counts")):
        cls = row["class"]
        if isinstance(cls, st.NamedNode) and cls.value.startswith(ONTOLOGY):
            out.append((ds.term(cls, row["en"], row["ko"]), int(row["n"].value)))
    return out


@bp.get("/")
def home():
    store = get_store()
    counts = class_counts(store)
    triples = current_app.extensions["krm.browse.counts"]["triples"]
    by_name = {urls.term_name(t.value): (t, n) for t, n in counts}
    ways = [(name, en, ko, by_name.get(name, (None, 0))[1]) for name, en, ko in WAYS_IN]
    response = render("home.html", counts=counts, ways=ways, triples=triples,
                      title=ds.Term("iri", "", "Korea Rare Metals Knowledge Graph",
                                    "한국 희소금속 지식 그래프"))
    return validated(response, f"home.{response.headers['Content-Language']}")


def _bad_request(message: str):
    return Response(f"400 Bad Request: {message}\n", 400, mimetype="text/plain")


@bp.get("/class/<term:name>")
def class_page(name: str):
    store = get_store()
    cls = ONTOLOGY + name
    head = ds.describe(store, cls)
    if not head.types:
        return not_found(cls)
    sort = request.args.get("sort", "label")
    order = request.args.get("order", "asc")
    if sort not in SORTS or order not in ("asc", "desc"):
        return _bad_request(f"sort must be one of {', '.join(SORTS)} and order asc or desc")
    try:
        page_no = int(request.args.get("page", "1"))
    except ValueError:
        page_no = 0
    if page_no < 1:
        return _bad_request("page must be a whole number from 1")
    rows = st.query(store, ds.load_query("instances"),
                    substitutions={st.Variable("class"): st.NamedNode(cls)})
    seen: dict[str, ds.Term] = {}
    for row in rows:
        seen.setdefault(row["s"].value, ds.term(row["s"], row["en"], row["ko"]))
    lang = page_lang()
    key = (lambda t: t.label(lang).casefold()) if sort == "label" else (lambda t: t.value)
    items = sorted(seen.values(), key=key, reverse=order == "desc")
    size = current_app.config["BROWSE_PAGE_SIZE"]
    pages = max(1, -(-len(items) // size))
    if page_no > pages:
        return _bad_request(f"page {page_no} is past the last page, {pages}")
    shown = items[(page_no - 1) * size: page_no * size]
    response = render("class.html", cls=head.labels, d=head, items=shown, total=len(items),
                      page=page_no, pages=pages, sort=sort, order=order, name=name,
                      title=head.labels)
    return validated(response, f"class.{name}.{sort}.{order}.{page_no}."
                               f"{response.headers['Content-Language']}")
