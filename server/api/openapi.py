"""The OpenAPI 3 document, generated from the query headers: one GET operation per
published query, its typed parameters, and the formats it answers in."""

from __future__ import annotations

from kg.queries import MAX_VALUE_LENGTH, NamedQuery, Param
from server.api import results

ERROR = {"$ref": "#/components/schemas/Error"}
# JSON-Schema patterns mirroring the checks in kg.queries, so generated values are real.
_PATTERNS = {
    "iri": r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$",
    "literal": r"^[^\x00-\x1f\x7f]*$",
    "language": r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$",
}


def param_schema(p: Param) -> dict:
    """The JSON Schema of one parameter's value."""
    if p.enum:
        schema = {"type": "string", "enum": list(p.enum)}
    elif p.type in ("number", "integer", "year"):
        schema = {"type": "number" if p.type == "number" else "integer"}
        if p.minimum is not None:
            schema["minimum"] = float(p.minimum) if p.type == "number" else int(p.minimum)
        if p.maximum is not None:
            schema["maximum"] = float(p.maximum) if p.type == "number" else int(p.maximum)
        if p.type == "year":
            schema.setdefault("minimum", 1000)
            schema.setdefault("maximum", 9999)
        if p.type == "integer":
            schema.setdefault("minimum", -(10**17))
            schema.setdefault("maximum", 10**17)
    else:
        schema = {"type": "string", "maxLength": MAX_VALUE_LENGTH,
                  "pattern": _PATTERNS[p.type]}
        if p.type == "iri":
            schema["format"] = "iri"
    if p.default is not None:
        schema["default"] = _typed(p, p.default)
    return schema


def _typed(p: Param, value: str):
    if p.type in ("integer", "year") and not p.enum:
        return int(value)
    if p.type == "number" and not p.enum:
        return float(value)
    return value


def parameter(p: Param) -> dict:
    """The OpenAPI parameter object for a query parameter."""
    doc = p.description or f"{p.type} parameter"
    obj = {"name": p.name, "in": "query", "required": p.required,
           "description": f"{doc} Expects {p.expects}."
                          + ("" if p.required or p.default else " Leave out for all."),
           "schema": param_schema(p)}
    example = p.example or p.default
    if example is not None:
        obj["example"] = _typed(p, example)
    return obj


def operation(q: NamedQuery) -> dict:
    """The GET operation that runs one query."""
    row = {"type": "object", "properties": {v: {} for v in q.variables}}
    text = {"type": "string"}
    return {
        "operationId": q.name.replace("/", "_").replace("-", "_"),
        "summary": q.summary,
        "description": q.description + "\n\nSPARQL:\n\n```sparql\n" + q.text.strip() + "\n```",
        "tags": [q.name.split("/")[0]],
        "parameters": [parameter(p) for p in q.params] + [{
            "name": "format", "in": "query", "required": False,
            "description": "Result format; overrides the Accept header. json: a list of "
                           "plain rows; srj, srx: SPARQL results JSON, XML; csv, tsv.",
            "schema": {"type": "string", "enum": list(results.FORMATS)},
        }],
        "responses": {
            "200": {"description": "The query's results: one object per row in JSON.",
                    "content": {
                        "application/json": {"schema": {"type": "array", "items": row}},
                        "application/sparql-results+json": {"schema": {"type": "object"}},
                        "application/sparql-results+xml": {"schema": text},
                        "text/csv": {"schema": text},
                        "text/tab-separated-values": {"schema": text}}},
            "400": {"description": "A parameter is unknown, missing or does not fit its "
                                   "type; the message names it and what it expects.",
                    "content": {"application/json": {"schema": ERROR}}},
            "406": {"description": "No format asked for is offered.",
                    "content": {"application/json": {"schema": ERROR}}},
        },
    }


def document(queries: dict[str, NamedQuery], version: str) -> dict:
    """The whole OpenAPI 3.0 document for the published queries."""
    listing = {"type": "object", "required": ["queries"], "properties": {
        "queries": {"type": "array", "items": {"type": "object"}},
        "openapi": {"type": "string"}, "docs": {"type": "string"}}}
    paths = {"/api/queries": {"get": {
        "operationId": "list_queries",
        "summary": "The named queries",
        "description": "Every published query with its summary, parameters and links.",
        "tags": ["library"],
        "responses": {"200": {"description": "The library.",
                              "content": {"application/json": {"schema": listing}}}},
    }}}
    for name, q in sorted(queries.items()):
        paths[f"/api/queries/{name}"] = {"get": operation(q)}
    areas = sorted({n.split("/")[0] for n in queries})
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Korea Rare Metals Knowledge Graph: named queries",
            "version": version,
            "description": "The researchers' query library: each query of the project's "
                           "queries/ folder as a GET operation. Values are checked and "
                           "bound to the query, never pasted into its text.",
            "license": {"name": "CC-BY-4.0 (data), MIT (code)"},
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": "library"}] + [{"name": a} for a in areas],
        "paths": paths,
        "components": {"schemas": {"Error": {
            "type": "object", "required": ["error", "status"],
            "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}}}},
    }
