"""What every HTML page shares, whichever surface serves it: the site menu, the page
language (``?lang=``, kept in a cookie, else ``Accept-Language``) and the favicon.

The browse pages, /query, /graph, /api/docs and the explorer all include
``site/_menu.html`` and ``site/_head.html``; the helpers they need are template globals
registered here, so a template of any blueprint can call them without extra context.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, redirect, request, url_for

LANGS = ("en", "ko")
LANG_COOKIE = "lang"
COOKIE_AGE = 365 * 86400

#: The menu: (endpoint, its arguments, English, Korean). One list for every page.
MENU = (
    ("browse.home", {}, "Home", "홈"),
    ("explorer.dependencies", {}, "Dependencies", "의존도"),
    ("explorer.world_map", {}, "Map", "지도"),
    ("browse.class_page", {"name": "ChemicalElement"}, "Elements", "원소"),
    ("browse.class_page", {"name": "Country"}, "Countries", "국가"),
    ("graph.graph", {}, "Supply graph", "공급망 그래프"),
    ("query.page", {}, "SPARQL", "SPARQL"),
    ("api.docs", {}, "API", "API"),
    ("browse.dataset", {}, "Dataset", "데이터셋"),
)


def site_lang() -> str:
    """The page language: ``?lang=``, then the cookie a switch set, then Accept-Language.

    Outside a request (a template rendered for a test), English.
    """
    if not request:
        return "en"
    asked = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked in LANGS:
        return asked
    return request.accept_languages.best_match(LANGS, default="en")


def lang_switch_href(lang: str | None = None) -> str:
    """This page's URL in the other language (the query string kept)."""
    lang = lang or site_lang()
    args = request.args.to_dict()
    args["lang"] = "ko" if lang == "en" else "en"
    return request.path + "?" + urlencode(args)


def menu_items(lang: str | None = None) -> list[dict]:
    """The menu in ``lang``, each entry marked current when it is this page's."""
    lang = lang or site_lang()
    items = []
    for endpoint, args, en, ko in MENU:
        href = url_for(endpoint, **args)
        current = request.path == href or (endpoint == request.endpoint and not args)
        items.append({"href": href, "label": ko if lang == "ko" else en,
                      "current": current})
    return items


def _keep_lang(response):
    """A ``?lang=`` choice is remembered for the next pages, on whichever surface."""
    if response.mimetype != "text/html":
        return response
    asked = request.args.get("lang")
    if asked in LANGS:
        response.set_cookie(LANG_COOKIE, asked, max_age=COOKIE_AGE, samesite="Lax")
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    """Register the menu helpers as template globals, the cookie and ``/favicon.ico``."""
    for helper in (site_lang, lang_switch_href, menu_items):
        app.add_template_global(helper)
    app.after_request(_keep_lang)

    @app.get("/favicon.ico")
    def favicon():
        # Browsers ask for it on pages that name none (JSON views, errors).
        return redirect(url_for("static", filename="site/favicon.svg"), 301)
