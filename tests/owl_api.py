"""The OWL API's OWL 2 DL profile checker and the HermiT reasoner, from Python.

owlready2 ships HermiT's jar, which bundles the OWL API (3.4), so both run in one JVM
started by JPype: the same checker and reasoner that ontology editors (Protege, ROBOT)
use, not a re-implementation. A process starts one JVM at most: :func:`jvm` starts it
once and later calls reuse it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Reasoning:
    consistent: bool
    unsatisfiable: list[str]


@cache
def jvm():
    """Start the JVM with HermiT (and its OWL API) on the class path.

    Raises:
        RuntimeError: no Java runtime (Debian: default-jre-headless).
    """
    import jpype
    import jpype.imports  # noqa: F401  (lets Java packages be imported)
    import owlready2

    if shutil.which("java") is None:
        raise RuntimeError("no Java runtime on PATH (Debian: default-jre-headless)")
    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    jpype.startJVM(classpath=[str(jar)], convertStrings=True)
    return jpype


def load(path: Path):
    """Parse an RDF document (Turtle or N-Triples) into an OWL API ontology."""
    jvm()
    from java.io import File
    from org.semanticweb.owlapi.apibinding import OWLManager

    return OWLManager.createOWLOntologyManager().loadOntologyFromOntologyDocument(
        File(str(path)))


def dl_profile_violations(ontology) -> list[str]:
    """What keeps the ontology out of OWL 2 DL, as the OWL API words it."""
    from org.semanticweb.owlapi.profiles import OWL2DLProfile

    return sorted(str(v) for v in OWL2DLProfile().checkOntology(ontology).getViolations())


def unknown_datatypes(ontology) -> list[str]:
    """Datatypes outside the OWL 2 datatype map that the ontology names, and where:
    OWL API 3's profile checker does not list them, HermiT refuses them."""
    from org.semanticweb.owlapi.model import AxiomType
    from org.semanticweb.owlapi.vocab import OWL2Datatype

    found = []
    for axiom in ontology.getAxioms():
        if axiom.getAxiomType() == AxiomType.DECLARATION:
            continue
        for datatype in axiom.getDatatypesInSignature():
            if not OWL2Datatype.isBuiltIn(datatype.getIRI()):
                found.append(f"{datatype.getIRI()} in {axiom}")
    return sorted(found)


def reason(ontology, ignore_unsupported_datatypes: bool = False) -> Reasoning:
    """HermiT's verdict: is the ontology consistent, and which named classes are
    unsatisfiable (equivalent to owl:Nothing)?

    Raises:
        jpype.JException: HermiT refuses the ontology (a datatype outside the OWL 2
            datatype map, unless ``ignore_unsupported_datatypes``).
    """
    from org.semanticweb.HermiT import Configuration, Reasoner

    configuration = Configuration()
    configuration.ignoreUnsupportedDatatypes = ignore_unsupported_datatypes
    reasoner = Reasoner(configuration, ontology)
    try:
        if not reasoner.isConsistent():  # then every class is unsatisfiable: not asked
            return Reasoning(False, [])
        return Reasoning(True, sorted(str(c.getIRI()) for c in
                                      reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()))
    finally:
        reasoner.dispose()
