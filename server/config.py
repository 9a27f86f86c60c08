"""Default settings. Override them with a file named by KRM_SETTINGS, then with
``KRM_*`` environment variables (``KRM_STORE=/srv/krm/store``). Every setting is
documented here and in the README; a test checks that."""

from kg.build import DEFAULT_STORE

#: Path of the on-disk store (the link maintained by ``krm build``).
STORE = str(DEFAULT_STORE)
#: Largest request body accepted, in bytes (larger bodies get 413).
MAX_CONTENT_LENGTH = 1_000_000
