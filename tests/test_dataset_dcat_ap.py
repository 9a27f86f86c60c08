"""``/dataset`` as a DCAT-AP 3 validator reads it: the SEMIC shapes (mandatory,
recommended, ranges, deprecated terms) with pyshacl, and the VoID version's issue date."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import DCTERMS, SH

from kg import void
from server import create_app

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
SHAPES = Path(__file__).parent / "data" / "vendor" / "dcat-ap"
KOREA = rdflib.URIRef(void.SPATIAL)
PUBLISHER = rdflib.URIRef(void.PUBLISHER)
#: Recommendations the description leaves out for want of a source (kg/void.py says so):
#: Korea's bounding box and centroid, and what kind of organisation the publisher is.
UNSOURCED = {(KOREA, DCAT.bbox), (KOREA, DCAT.centroid), (PUBLISHER, DCTERMS.type)}


@pytest.fixture(scope="module")
def description(fixture_link) -> rdflib.Graph:
    client = create_app({"STORE": str(fixture_link)}).test_client()
    r = client.get("/dataset", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    return rdflib.Graph().parse(data=r.get_data(as_text=True), format="turtle")


def results(data: rdflib.Graph, *files: str) -> set[tuple]:
    shapes = rdflib.Graph()
    for name in files:
        shapes.parse(SHAPES / name, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                    allow_warnings=True)
    return {(report.value(r, SH.resultSeverity), report.value(r, SH.focusNode),
             report.value(r, SH.resultPath), str(report.value(r, SH.resultMessage)))
            for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)}


@pytest.mark.parametrize("files", [("shapes.ttl",), ("range.ttl",), ("deprecateduris.ttl",)])
def test_dataset_passes_the_mandatory_range_and_deprecation_shapes(description, files):
    assert results(description, *files) == set()


def test_dataset_has_every_recommended_property_that_has_a_source(description):
    found = results(description, "shapes_recommended.ttl")
    assert {severity for severity, *_ in found} <= {SH.Warning}
    assert {(focus, path) for _, focus, path, _ in found} == UNSOURCED


def test_the_shapes_catch_what_was_missing(description):
    """The same shapes fail a description without the service title, the access URLs and
    the licence's type, as /dataset was before."""
    broken = rdflib.Graph()
    for t in description:
        if t[1] in (DCTERMS.title, DCAT.accessURL) or t[2] == DCTERMS.LicenseDocument:
            continue
        broken.add(t)
    paths = {path for severity, _, path, _ in results(broken, "shapes.ttl", "range.ttl")
             if severity == SH.Violation}
    assert {DCTERMS.title, DCAT.accessURL, DCTERMS.license} <= paths


def test_version_has_an_issue_date_and_coverage(description):
    ds = rdflib.URIRef(void.DATASET)
    issued = description.value(ds, DCTERMS.issued)
    assert issued is not None and issued.datatype == XSD.dateTime
    assert description.value(ds, DCAT.version) is not None
    period = description.value(ds, DCTERMS.temporal)
    start, end = (description.value(period, DCAT.startDate),
                  description.value(period, DCAT.endDate))
    assert start.datatype == end.datatype == XSD.gYear and str(start) <= str(end)
    assert description.value(ds, DCTERMS.spatial) == KOREA
    for dist in description.objects(ds, DCAT.distribution):
        assert description.value(dist, DCAT.accessURL) is not None
        fmt = description.value(dist, DCTERMS.format)
        assert str(fmt).startswith("http://publications.europa.eu/resource/authority/file-type/")
