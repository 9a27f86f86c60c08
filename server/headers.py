"""The security headers of every response, set in one place: a WSGI layer around the
whole app, so every answer has them, whichever part of the app made it.

A page shows text from the graph, and the graph may hold hostile text (markup in a label,
a ``javascript:`` IRI): Jinja escapes it and only ``http(s)`` IRIs become links
(:func:`server.urls.is_web_iri`). The Content-Security-Policy is the second line: even
markup that slipped through cannot run a script, as scripts run only from this server's
own files (no inline ``<script>``, no ``on*=`` handler, no ``eval``), and no other site
can frame a page or read where its visitors came from.

``style-src`` allows ``'unsafe-inline'``: the share bars set their width in a ``style``
attribute, YASGUI and Cytoscape.js style the elements they draw, and the query and API
pages keep their few rules in a ``<style>`` element. Styles cannot run code.
"""

from __future__ import annotations

from flask import Flask

#: Scripts, data and everything else from this server only; nothing may frame a page.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
#: On documents a browser renders: pages, error pages, and SVG (which can hold scripts).
DOCUMENT_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
DOCUMENT_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml")


def init_app(app: Flask) -> None:
    """Wrap ``app.wsgi_app``, after every other layer, so its answers carry the headers."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app)


class SecurityHeaders:
    """WSGI middleware: ``nosniff`` on every response, so a browser never runs data (a
    Turtle document, a query result) as a script or a page; the policy on documents.

    >>> def page(environ, start_response):
    ...     start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    ...     return [b"<p>hi</p>"]
    >>> seen = {}
    >>> _ = SecurityHeaders(page)({}, lambda status, headers, exc_info=None: seen.update(headers))
    >>> seen["X-Content-Type-Options"], seen["X-Frame-Options"]
    ('nosniff', 'DENY')
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            return start_response(status, secure(headers), exc_info)

        return self.wsgi_app(environ, start)


def secure(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` with the security headers added (a view's own values are kept).

    >>> dict(secure([("Content-Type", "application/json")]))
    {'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff'}
    """
    names = {name.lower(): value for name, value in headers}
    out = list(headers)
    if "x-content-type-options" not in names:
        out.append(("X-Content-Type-Options", "nosniff"))
    media_type = names.get("content-type", "").partition(";")[0].strip().lower()
    if media_type in DOCUMENT_TYPES:
        out += [(name, value) for name, value in DOCUMENT_HEADERS.items()
                if name.lower() not in names]
    return out
