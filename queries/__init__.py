"""Data only: installed as the package ``kg.library`` (see ``setup.py`` and ``kg/files.py``)."""
