"""Data only: installed as the package ``kg.ontology`` (see ``setup.py`` and ``kg/files.py``)."""
