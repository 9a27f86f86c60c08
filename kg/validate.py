"""SHACL validation of the graph with pyshacl, against ``ontology/shapes.ttl``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import SH

from kg.namespace import BASE


@dataclass(frozen=True)
class Violation:
    """One SHACL result: what failed, where, and why."""

    focus: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus}>{path}: {self.message}"


def validate(data_nt: bytes, shapes_path: Path) -> list[Violation]:
    """Validate N-Triples data (ontology, facts and inferences together) against the
    shapes file; an empty list means the data conforms.

    Raises:
        rdflib.plugins.parsers.notation3.BadSyntax: the shapes file does not parse.
    """
    data = rdflib.Graph()
    data.parse(data=data_nt, format="nt")
    shapes = rdflib.Graph()
    shapes.parse(shapes_path, format="turtle", publicID=BASE)
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    out = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        out.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, rdflib.URIRef) else None,
                message=str(report.value(result, SH.resultMessage) or "constraint violated"),
                severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))
