"""Default settings. Override them with a file named by KRM_SETTINGS, then with
``KRM_*`` environment variables (``KRM_STORE=/srv/krm/store``). Every setting is
documented here and in the README; a test checks that."""

from kg.build import DEFAULT_STORE

#: Path of the on-disk store (the link maintained by ``krm build``).
STORE = str(DEFAULT_STORE)
#: Largest request body accepted, in bytes (larger bodies get 413).
MAX_CONTENT_LENGTH = 1_000_000
#: Folder of the downloadable dumps written by ``krm export --dumps``; empty means the
#: ``dumps`` folder beside the store link (``var/dumps`` for ``var/store``).
DUMPS = ""
#: Instances listed per page on a class page (``/class/...``).
BROWSE_PAGE_SIZE = 50
#: Most hits a search (``/search``) returns.
SEARCH_LIMIT = 50
