"""Default settings. Override them with a file named by KRM_SETTINGS, then with
``KRM_*`` environment variables (``KRM_STORE=/srv/krm/store``). Every setting is
documented here and in the README; a test checks that."""

from kg.build import DEFAULT_STORE

#: Path of the on-disk store (the link maintained by ``krm build``).
STORE = str(DEFAULT_STORE)
#: A store of at most this many triples is copied into memory when a server process
#: starts: queries run 2-5 times faster, for about 650 bytes per triple per process.
#: None: as many as fit in an eighth of the memory available (a container's limit, else
#: the machine's); 0: always read the store on disk.
STORE_IN_MEMORY_UP_TO: int | None = None
#: Largest request body accepted, in bytes (larger bodies get 413).
MAX_CONTENT_LENGTH = 1_000_000
#: Folder of the downloadable dumps written by ``krm export --dumps``; empty means the
#: ``dumps`` folder beside the store link (``var/dumps`` for ``var/store``).
DUMPS = ""
#: Instances listed per page on a class page (``/class/...``).
BROWSE_PAGE_SIZE = 50
#: Most hits a search (``/search``) returns.
SEARCH_LIMIT = 50

# --- SPARQL service (server/sparql) -------------------------------------------------
# STORE may also be the URL of a SPARQL 1.1 query endpoint (https://host/sparql): the
# service then forwards queries there instead of opening a store on disk.
#: Seconds a query may run before it is stopped and answered 503.
SPARQL_TIME_LIMIT = 30
#: Query worker processes kept started, shared by the server processes. Client queries
#: are parsed and run only in these supervised processes, never in the server's own.
SPARQL_PROCESSES = 2
#: Most query worker processes at once; those beyond SPARQL_PROCESSES
#: end after SPARQL_IDLE_SECONDS unused, and a query that finds them all busy waits for
#: one, within its time limit.
SPARQL_MAX_PROCESSES = 12
#: Seconds a query worker beyond SPARQL_PROCESSES stays idle before it ends: a steady load
#: keeps its warm workers instead of starting a cold one for each request.
SPARQL_IDLE_SECONDS = 30
#: Resident memory a query worker may reach, in MB, before its query is stopped (503).
SPARQL_WORKER_MEMORY_MB = 2048
#: Deepest nesting of brackets a query may have; deeper ones are refused (400) unread.
SPARQL_MAX_NESTING = 500
#: Largest result sent, in bytes; a longer result is cut (the response ends unfinished).
SPARQL_MAX_RESULT_BYTES = 200_000_000
#: Exact SERVICE endpoint URLs that queries may federate with (JSON list in the env var).
SPARQL_SERVICE_ALLOW: list[str] = []
#: Token that turns on /sparql/update (send it as "Authorization: Bearer <token>").
#: With an embedded store, updates need `krm serve --workers 1` (one writer per store).
SPARQL_UPDATE_TOKEN: str | None = None
#: Hosts that an update's LOAD may fetch from (JSON list in the env var).
SPARQL_LOAD_ALLOW_HOSTS: list[str] = []
#: Update URL of the remote store, when STORE is a SPARQL endpoint URL.
SPARQL_UPDATE_URL: str | None = None
#: Public URL of /sparql for the service description (default: the URL requested).
SPARQL_ENDPOINT_URL: str | None = None
#: Response compression (flask-compress): the algorithms offered.
COMPRESS_ALGORITHM = ["gzip", "deflate"]
#: The algorithms offered for streamed responses (large results).
COMPRESS_ALGORITHM_STREAMING = ["gzip", "deflate"]
#: The media types that are compressed.
COMPRESS_MIMETYPES = [
    "text/html", "text/css", "text/plain", "application/javascript", "application/json",
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values", "text/turtle", "application/n-triples",
    "application/rdf+xml", "application/ld+json", "text/n3",
]
