"""``/query``: YASGUI over this endpoint, with the graph's prefixes and the published
named queries of ``queries/`` (loaded by :mod:`kg.queries`) as examples."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, make_response, render_template, request, url_for

from kg import queries
from kg.namespace import PREFIXES

bp = Blueprint("query", __name__)


def examples() -> list[dict]:
    """The published queries as plain data for the page, in name order. A parameter left
    unbound matches anything (see :meth:`kg.queries.NamedQuery.bindings`), so each runs
    as it stands."""
    return [{"name": q.name, "summary": q.summary, "text": q.text,
             "params": [p.name for p in q.params]}
            for q in queries.published().values()]


@bp.get("/query")
def page():
    items = examples()
    groups = [(area, list(qs)) for area, qs in
              groupby(items, key=lambda e: e["name"].split("/")[0])]
    response = make_response(render_template(
        "query/index.html",
        endpoint=url_for("sparql.endpoint", _external=True),
        prefixes=PREFIXES,
        examples=items,
        groups=groups,
        initial_query=request.args.get("query", ""),
    ))
    # The page's machine-readable twin: the endpoint's service description.
    response.headers["Link"] = (f'<{url_for("sparql.endpoint")}?format=ttl>; '
                                'rel="alternate"; type="text/turtle"')
    return response
