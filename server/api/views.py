"""The API's pages: the library, one query's results, the OpenAPI document, its docs."""

from __future__ import annotations

from importlib.metadata import version

from flask import current_app, jsonify, render_template, request, url_for

from kg.queries import NamedQuery, ParamError
from server.api import bp, openapi, results
from server.db import get_store
from server.errors import ApiError


def library() -> dict[str, NamedQuery]:
    """The published queries, loaded once by the blueprint."""
    return current_app.extensions["krm.queries"]


def describe(q: NamedQuery) -> dict:
    """A query as the library lists it: summary, parameters and links."""
    return {
        "name": q.name,
        "summary": q.summary,
        "description": q.description,
        "tags": list(q.tags),
        "columns": list(q.variables),
        "params": [{"name": p.name, "type": p.type, "required": p.required,
                    "default": p.default, "enum": list(p.enum) or None,
                    "description": p.description, "expects": p.expects}
                   for p in q.params],
        "url": url_for("api.run", name=q.name),
        "docs": url_for("api.docs", _anchor=q.name),
    }


@bp.get("/queries")
def index():
    return jsonify(queries=[describe(q) for q in library().values()],
                   openapi=url_for("api.openapi_json"), docs=url_for("api.docs"))


@bp.get("/queries/<path:name>")
def run(name: str):
    q = library().get(name)
    if q is None:
        raise ApiError(404, f"no query named {name!r}; the library is at "
                            + url_for("api.index"))
    try:
        fmt = results.choose()
    except results.NotAcceptable as e:
        raise ApiError(406, str(e)) from None
    values = {}
    for key, vals in request.args.lists():
        if key == "format" or vals == [""]:
            continue  # an empty field of a form means "not given"
        if len(vals) > 1:
            raise ApiError(400, f"parameter {key!r} is given {len(vals)} times; give it once")
        values[key] = vals[0]
    try:
        res = q.run(get_store(), values)
    except ParamError as e:
        raise ApiError(400, str(e)) from None
    response = results.respond(res, fmt)
    response.headers["Link"] = f'<{url_for("api.openapi_json")}>; rel="describedby"'
    response.vary.add("Accept")
    return response


@bp.get("/<path:rest>")
def unknown(rest: str):
    raise ApiError(404, f"nothing at /api/{rest}; the API's pages are "
                        + ", ".join([url_for("api.index"), url_for("api.openapi_json"),
                                     url_for("api.docs")]))


def _document() -> dict:
    return openapi.document(library(), version("krm-kg"))


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(_document())


@bp.get("/docs")
def docs():
    doc = _document()
    examples = {name: url_for("api.run", name=name, **{
        p.name: p.example or p.default for p in q.params if p.example or p.default})
        for name, q in library().items()}
    response = current_app.make_response(
        render_template("api/docs.html", doc=doc, queries=library(), examples=examples))
    response.headers["Link"] = (f'<{url_for("api.openapi_json")}>; rel="alternate"; '
                                'type="application/openapi+json"')
    return response
