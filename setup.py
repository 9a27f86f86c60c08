"""What pyproject.toml cannot say: the repository's ``ontology/`` and ``queries/`` folders
ship inside the ``kg`` package, as the data-only packages ``kg.ontology`` and
``kg.library``, read through ``importlib.resources`` (``kg/files.py``).

They stay at the top of the repository, where readers and the other tools look for them,
and are not installed as top-level packages named ``ontology`` and ``queries`` (generic
names that other distributions use). pyproject.toml can map a folder to a package only
with an explicit list of every package; here the code packages are still found, so a new
subpackage of ``kg`` or ``server`` needs no change to the packaging. The data files are
here too (setuptools lets pyproject.toml's ``package-data`` replace this file's, so they
are in one place); the metadata and dependencies are in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

#: Data-only package -> its folder in the repository.
DATA = {"kg.ontology": "ontology", "kg.library": "queries"}
#: Their subfolders (the query areas) are packages too, so that setuptools ships them
#: as declared data rather than as folders it does not know.
DATA_PACKAGES = [sub for package, folder in DATA.items()
                 for sub in [package, *(f"{package}.{name}" for name in
                                        find_namespace_packages(folder,
                                                                exclude=["*__pycache__"]))]]

setup(
    packages=[*find_namespace_packages(include=["kg", "kg.*", "server", "server.*"],
                                       exclude=["*.__pycache__"]),
              *DATA_PACKAGES],
    package_dir=DATA,
    package_data={
        "kg": ["facts/*.ttl", "sources/**/*", "ingest/*.csv"],
        # static/ holds the web assets from npm too (static/vendor/, ignored by git) once
        # `make assets` has copied them there: build the wheel after it.
        "server": ["templates/**/*", "static/**/*"],
        **{package: ["*.ttl", "*.rq", "*.md"] for package in DATA_PACKAGES},
    },
)
