"""``/query``: YASGUI over this endpoint, with the graph's prefixes and the named queries
from ``queries/`` as examples."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, make_response, render_template, request, url_for

from kg.build import ROOT
from kg.namespace import PREFIXES

bp = Blueprint("query", __name__)
QUERIES = ROOT / "queries"


@dataclass(frozen=True)
class Example:
    name: str
    summary: str
    text: str


def _example(path: Path) -> Example:
    """A query file's ``#+ summary:`` and its SPARQL without the ``#+`` header.

    (A minimal reading of the header; kg/queries.py owns the full format.)
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    summary = next((line.split(":", 1)[1].strip() for line in lines
                    if line.startswith("#+ summary:")), "")
    body = "\n".join(line for line in lines if not line.startswith("#+")).strip()
    name = path.relative_to(QUERIES).with_suffix("").as_posix()
    return Example(name, summary or name, body + "\n")


def examples() -> list[Example]:
    """The named queries, in a stable order."""
    return [_example(p) for p in sorted(QUERIES.rglob("*.rq"))]


@bp.get("/query")
def page():
    response = make_response(render_template(
        "query/index.html",
        endpoint=url_for("sparql.endpoint", _external=True),
        prefixes=PREFIXES,
        examples=[e.__dict__ for e in examples()],
        initial_query=request.args.get("query", ""),
    ))
    # The page's machine-readable twin: the endpoint's service description.
    response.headers["Link"] = (f'<{url_for("sparql.endpoint")}?format=ttl>; '
                                'rel="alternate"; type="text/turtle"')
    return response
