"""The sitemap (https://www.sitemaps.org/protocol.html) of the resource pages.

A sitemap file holds at most 50,000 URLs: a graph with more resources gets a sitemap
index naming several sitemap files. Every location is absolute, built from the
namespace (which stands for the server's root), and XML-escaped by the writer.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from kg import describe
from kg import store as st

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: Most URLs one sitemap file may hold (the protocol's limit).
MAX_URLS = 50_000


def resources(store, prefix: str) -> list[str]:
    """Every IRI starting with ``prefix`` that is the subject of a statement, sorted.

    Raises:
        OSError: the store cannot be read.
    """
    rows = st.query(store, describe.load_query("resources"))
    return sorted(iri for iri in (row["resource"].value for row in rows
                                  if isinstance(row["resource"], st.NamedNode))
                  if iri.startswith(prefix))


def urlset(locations: list[str], lastmod: str | None = None) -> bytes:
    """A sitemap file listing ``locations`` (absolute URLs), each with ``lastmod``.

    >>> print(urlset(["https://example.org/page/a&b"], "2026-01-02").decode())
    ... # doctest: +NORMALIZE_WHITESPACE
    <?xml version='1.0' encoding='UTF-8'?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.org/page/a&amp;b</loc><lastmod>2026-01-02</lastmod></url></urlset>

    Raises:
        ValueError: more than :data:`MAX_URLS` locations.
    """
    return _document("urlset", "url", locations, lastmod)


def index(locations: list[str], lastmod: str | None = None) -> bytes:
    """A sitemap index naming the sitemap files at ``locations``.

    Raises:
        ValueError: more than :data:`MAX_URLS` locations.
    """
    return _document("sitemapindex", "sitemap", locations, lastmod)


def chunks(locations: list[str], size: int = MAX_URLS) -> list[list[str]]:
    """``locations`` cut into sitemap files of at most ``size``.

    >>> chunks(["a", "b", "c"], 2)
    [['a', 'b'], ['c']]
    """
    return [locations[i:i + size] for i in range(0, len(locations), size)] or [[]]


def _document(root_name: str, item_name: str, locations: list[str], lastmod: str | None
              ) -> bytes:
    if len(locations) > MAX_URLS:
        raise ValueError(f"{len(locations)} URLs: a sitemap file holds at most {MAX_URLS}")
    root = ET.Element(root_name, xmlns=NS)
    for loc in locations:
        item = ET.SubElement(root, item_name)
        ET.SubElement(item, "loc").text = loc
        if lastmod:
            ET.SubElement(item, "lastmod").text = lastmod
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)
