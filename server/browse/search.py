"""Search by label: ranked hits as a page or JSON; an exact unique hit goes straight to it."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, request

from kg import describe as ds
from kg.search import EXACT, RANK_NAMES, search
from server import urls
from server.browse import bp
from server.browse.classes import class_counts
from server.browse.common import render, search_index
from server.db import get_store

MAX_QUERY = 200


@bp.get("/search")
def search_page():
    q = request.args.get("q", "")
    wants_json = request.accept_mimetypes.best_match(["text/html", "application/json"]) == \
        "application/json"
    if len(q) > MAX_QUERY:
        message = f"the query is {len(q)} characters long; the limit is {MAX_QUERY}"
        if wants_json:
            return jsonify(error=message, status=400), 400
        return render("search.html", status=400, q=q[:MAX_QUERY], hits=[], error=message,
                      title=ds.Term("iri", "", "Search", "검색"))
    hits = search(search_index(), q, limit=current_app.config["SEARCH_LIMIT"])
    types = _type_terms()
    if wants_json:
        return jsonify(query=q, hits=[{
            "iri": h.iri, "label": h.en or h.ko or h.label, "label_ko": h.ko,
            "matched": h.matched, "match": RANK_NAMES[h.rank],
            "types": list(h.types), "page": urls.page_url(h.iri),
        } for h in hits])
    exact = {h.iri for h in hits if h.rank == EXACT}
    go = urls.page_url(exact.pop()) if len(exact) == 1 else None  # None: no page to go to
    if go and request.args.get("go", "1") != "0":
        return redirect(go, 303)
    return render("search.html", q=q, hits=hits, types=types,
                  title=ds.Term("iri", "", "Search", "검색"))


def _type_terms() -> dict[str, ds.Term]:
    """Labels of the types hits can have (the classes of the ontology)."""
    ext = current_app.extensions
    if "krm.browse.types" not in ext:
        ext["krm.browse.types"] = {t.value: t for t, _ in class_counts(get_store())}
    return ext["krm.browse.types"]
