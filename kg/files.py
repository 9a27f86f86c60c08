"""The files the package ships with its code: the ontology, the SHACL shapes, the facts
and the query library, reached through :mod:`importlib.resources`.

An installed wheel has no source tree around it, so nothing here is found relative to
``__file__``: the ontology (``ontology/`` in the repository) and the query library
(``queries/``) are the data-only packages ``kg.ontology`` and ``kg.library`` (mapped in
``setup.py``), and the facts are package data of ``kg``. The same names work in an
editable install, where they are the repository's folders.

>>> ONTOLOGY.name, SHAPES.name, QUERIES.joinpath("browse").is_dir()
('krm.ttl', 'shapes.ttl', True)
>>> sorted(p.name for p in FACTS.glob("*.ttl"))[:1]
['countries.ttl']
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(package: str) -> Path:
    """The folder of a data-only package, as a path: the build, ``rglob`` and error
    messages need one, and every way pip installs the project (a wheel or editable)
    leaves the files on disk.

    Raises:
        ModuleNotFoundError: the package is not installed (a broken install).
        OSError: the package is inside an archive (a zipped install is not supported).
    """
    folder = files(package)
    if not isinstance(folder, Path):
        raise OSError(f"{package} is not a folder on disk ({folder!r}): install the "
                      "package with pip, unzipped")
    return folder


#: ``krm.ttl`` and ``shapes.ttl``.
ONTOLOGY_DIR = _folder("kg.ontology")
ONTOLOGY = ONTOLOGY_DIR / "krm.ttl"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
#: The fact files the graph is built from by default (``kg/facts/*.ttl``).
FACTS = _folder("kg") / "facts"
#: The committed official data sets (``kg/sources/<dataset>/``) and their ingest tables.
DATA = _folder("kg") / "sources"
INGEST = _folder("kg") / "ingest"
#: The query library: ``<area>/<name>.rq`` files (``kg/queries.py`` loads them).
QUERIES = _folder("kg.library")
