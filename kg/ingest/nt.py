"""N-Triples terms as strings: the ingest's triples are tuples of these.

>>> iri("id/country/KOR")
'<https://w3id.org/krm/id/country/KOR>'
>>> lit('say "hi"\\n', "en")
'"say \\\\"hi\\\\"\\\\n"@en'
>>> dec("1,234.50")
'"1234.50"^^<http://www.w3.org/2001/XMLSchema#decimal>'
"""

from __future__ import annotations

import re

from kg.namespace import BASE, ONTOLOGY

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS = "http://www.w3.org/2004/02/skos/core#"
QB = "http://purl.org/linked-data/cube#"
PROV_DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
UNIT_MEASURE = "<http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure>"
UNIT_MULT = "<http://purl.org/linked-data/sdmx/2009/attribute#unitMult>"
NAN = f'"NaN"^^<{XSD}double>'
_DECIMAL = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


def iri(path: str) -> str:
    """An IRI term: a path under the namespace, or an absolute IRI.

    Raises:
        ValueError: the IRI has characters N-Triples does not allow.
    """
    full = path if "://" in path or path.startswith("urn:") else BASE + path
    if not _ABSOLUTE.match(full):
        raise ValueError(f"not an IRI: {full!r}")
    return f"<{full}>"


def krm(name: str) -> str:
    """A term of the krm ontology."""
    return f"<{ONTOLOGY}{name}>"


def skos(name: str) -> str:
    return f"<{SKOS}{name}>"


def qb(name: str) -> str:
    return f"<{QB}{name}>"


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))


def lit(text: str, lang: str | None = None) -> str:
    """A plain string literal, with a language tag if given."""
    return f'"{_escape(text)}"' + (f"@{lang}" if lang else "")


def typed(lexical: str, datatype: str) -> str:
    """A literal of an XSD datatype (``datatype`` without the namespace, e.g. 'gYear')."""
    return f'"{_escape(lexical)}"^^<{XSD}{datatype}>'


def dec(text: str) -> str:
    """An xsd:decimal from a number as printed (thousands commas dropped, digits kept).

    Raises:
        ValueError: not a plain decimal number.
    """
    t = text.replace(",", "").strip()
    if not _DECIMAL.match(t):
        raise ValueError(f"not a number: {text!r}")
    return typed(t, "decimal")


def integer(n: int) -> str:
    return typed(str(int(n)), "integer")


def year(y: int | str) -> str:
    return typed(f"{int(y):04d}", "gYear")


def boolean(b: bool) -> str:
    return typed("true" if b else "false", "boolean")


def slug(text: str) -> str:
    """A readable, stable IRI slug: lowercase ASCII letters and digits joined by hyphens.

    >>> slug("Mine production, lithium content")
    'mine-production-lithium-content'
    >>> slug("Côte d’Ivoire (ocher)")
    'cote-divoire-ocher'
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def quads(triples, graph: str) -> str:
    """N-Quads text of ``triples`` in the named graph ``graph`` (an absolute IRI)."""
    g = f"<{graph}>"
    return "".join(f"{s} {p} {o} {g} .\n" for s, p, o in triples)
