"""WSGI entry point for granian (``krm serve``): settings from KRM_* variables."""

import gc

from server import create_app
from server.db import get_backend
from server.warm import warm

app = create_app()
# A served process opens its SPARQL backend now rather than on the first query.
get_backend(app)
# The figures, tables and templates every page reads, computed now: the first request is
# as fast as the next (see server/warm.py).
warm(app)
# What the worker holds from here on (Flask, templates, the reference data the modules
# import) is never garbage: frozen, the collector's full passes skip its ~90,000 objects
# instead of walking them every few requests (up to 60 ms each on a hub page).
gc.collect()
gc.freeze()
