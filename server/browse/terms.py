"""How a page shows one RDF term: a link with its label, or a literal with its language
and datatype. Python, not a Jinja macro like the other partials of ``_term.html``: a hub's
page shows some 800 terms, and a macro call costs more than the rest of a term's markup
(about a third of such a page's rendering). Remembered per request and language, as a hub
page repeats the same properties and values."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import g
from markupsafe import Markup, escape

from kg.describe import Term
from kg.describe import source_title as _title
from server import urls
from server.db import get_store

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                              "positiveInteger", "nonPositiveInteger", "negativeInteger",
                              "unsignedInt", "unsignedLong")}
DECIMALS = {XSD + t for t in ("decimal", "double", "float")}
#: Datatypes whose values read plainly: shown as values, without the datatype's name.
PLAIN = INTEGERS | DECIMALS | {XSD + t for t in ("gYear", "date", "dateTime", "boolean",
                                                  "gYearMonth", "anyURI")}
BOOLEAN = {"en": {"true": "yes", "false": "no"}, "ko": {"true": "예", "false": "아니요"}}

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


def literal_text(value: str, datatype: str | None, lang: str = "en") -> str:
    """A typed literal as a reader expects it: numbers with grouped thousands (12,400;
    83.5), years and dates as written, booleans as words; the lexical form otherwise or
    when it is not a valid value of its type.

    >>> literal_text("12400", XSD + "integer"), literal_text("83.50", XSD + "decimal")
    ('12,400', '83.5')
    >>> literal_text("2023", XSD + "gYear"), literal_text("true", XSD + "boolean", "ko")
    ('2023', '예')
    >>> literal_text("NaN", XSD + "double"), literal_text("x", XSD + "integer")
    ('NaN', 'x')
    """
    try:
        if datatype in INTEGERS:
            return f"{int(value):,}"
        if datatype in DECIMALS:
            x = float(value)
            if x != x or x in (float("inf"), float("-inf")):
                return value
            text = f"{x:,.6f}".rstrip("0").rstrip(".")
            return text if text not in ("-0", "") else "0"
    except ValueError:
        return value
    if datatype == XSD + "boolean":
        return BOOLEAN.get(lang, BOOLEAN["en"]).get(value, value)
    return value


def source_title(url: str) -> str:
    """How a page names a source: the title the graph gives it, else its site and path
    (``kiram.re.kr/info/introduction``), never only the URL's last segment."""
    known = g.setdefault("krm_sources", {})
    if url not in known:
        title = None
        try:
            title = _title(get_store(), url, g.get("krm_lang", "en"))
        except ValueError:
            title = None
        if title is None:
            parts = urlsplit(url)
            title = (parts.netloc.removeprefix("www.") + parts.path).rstrip("/") or url
            if url.startswith("https://doi.org/"):
                title = "DOI " + url[len("https://doi.org/"):]
        known[url] = title
    return known[url]


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
        html += f"{escape(literal_text(t.value, t.datatype, lang))}</span>"
        if t.lang:
            html += f'<span class="lang">@{escape(t.lang)}</span>'
        if t.shown_datatype and t.shown_datatype not in PLAIN:
            html += f'<span class="dt">{escape(Term("iri", t.shown_datatype).label())}</span>'
        return Markup(html)
    return Markup(f'<span class="iri">{escape(BLANK.get(lang, BLANK["en"]))}</span>')
