"""How a page shows one RDF term: a link with its label, or a literal with its language
and datatype. Python, not a Jinja macro like the other partials of ``_term.html``: a hub's
page shows some 800 terms, and a macro call costs more than the rest of a term's markup
(about a third of such a page's rendering). Remembered per request and language, as a hub
page repeats the same properties and values."""

from __future__ import annotations

from flask import g
from markupsafe import Markup, escape

from kg.describe import Term
from server import urls

BLANK = {"en": "(blank node)", "ko": "(빈 노드)"}


def page_lang() -> str:
    """The language of the page being rendered (set by ``common.render``)."""
    return g.krm_lang


def term(t: Term | None) -> Markup:
    """The markup for ``t`` in the page's language."""
    if t is None:
        return Markup("")
    lang = g.krm_lang
    known = g.setdefault("krm_terms", {})
    key = (t, lang)
    html = known.get(key)
    if html is None:
        html = known[key] = _markup(t, lang)
    return html


def _markup(t: Term, lang: str) -> Markup:
    if t.kind == "iri":
        plain = "" if (t.en or t.ko) else ' class="iri"'
        url = urls.page_url(t.value)
        if url is None:  # not http(s): shown, never followed
            return Markup(f'<span class="iri" title="{escape(t.value)}">'
                          f"{escape(t.label(lang))}</span>")
        return Markup(f'<a href="{escape(url)}" title="{escape(t.value)}"'
                      f"{plain}>{escape(t.label(lang))}</a>")
    if t.kind == "literal":
        html = f'<span lang="{escape(t.lang)}">' if t.lang else "<span>"
        html += f"{escape(t.value)}</span>"
        if t.lang:
            html += f'<span class="lang">@{escape(t.lang)}</span>'
        if t.shown_datatype:
            html += f'<span class="dt">{escape(Term("iri", t.shown_datatype).label())}</span>'
        return Markup(html)
    return Markup(f'<span class="iri">{escape(BLANK.get(lang, BLANK["en"]))}</span>')
