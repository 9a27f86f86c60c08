"""The dataset's description (VoID and DCAT) and its downloadable dumps."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, send_from_directory

from kg import describe as ds
from kg import dumps as dmp
from kg import store as st
from kg import void
from kg.namespace import BASE
from server import urls
from server.browse import bp
from server.browse.classes import class_counts
from server.browse.common import negotiate, render, validated, version
from server.db import get_store, store_is_remote


def dumps_folder() -> Path | None:
    """The folder of the dumps: ``DUMPS``, else beside the store; a remote store has
    none beside it, so without ``DUMPS`` it offers no dumps."""
    configured = current_app.config.get("DUMPS")
    if configured:
        return Path(configured)
    return None if store_is_remote() else Path(current_app.config["STORE"]).parent / "dumps"


def _manifest() -> tuple[str | None, list[dmp.DumpFile]]:
    folder = dumps_folder()
    return dmp.read_manifest(folder) if folder else (None, [])


def _description() -> list:
    ext = current_app.extensions
    if "krm.browse.void" not in ext:
        digest, built = version()
        _, files = _manifest()
        stats = void.statistics(get_store())
        ext["krm.browse.void"] = (stats, files, void.description(
            stats, digest, built.isoformat().replace("+00:00", "Z"), files,
            lambda name: BASE + "dumps/" + name))
    return ext["krm.browse.void"]


def _rdf(fmt: st.RdfFormat):
    _, _, triples = _description()
    body = st.serialize_triples(triples, fmt, void.PREFIXES)
    response = Response(body, mimetype=fmt.media_type)
    response.vary.add("Accept")
    return validated(response, f"void.{fmt.file_extension}")


def _alternates() -> list[dict]:
    return [{"href": urls.dataset_url(f.file_extension), "type": f.media_type, "name": f.name}
            for f in st.DOCUMENT_FORMATS]


@bp.get("/.well-known/void")
def well_known_void():
    chosen = negotiate()
    # The well-known location is for machines: Turtle unless another RDF format is asked.
    return _rdf(chosen if isinstance(chosen, st.RdfFormat) else st.RdfFormat.TURTLE)


@bp.get("/dataset")
@bp.get("/dataset.<ext>")
def dataset(ext: str | None = None):
    if ext is not None:
        fmt = st.RdfFormat.from_extension(ext)
        if fmt not in st.DOCUMENT_FORMATS:
            abort(404)
        return _rdf(fmt)
    chosen = negotiate()
    if chosen is None:
        return Response("406 Not Acceptable: the dataset description is offered as HTML, "
                        + ", ".join(f.media_type for f in st.DOCUMENT_FORMATS) + "\n",
                        406, mimetype="text/plain")
    if chosen != "html":
        return _rdf(chosen)
    stats, files, _ = _description()
    labels = {t.value: t for t, _ in _class_terms()}
    response = render("dataset.html", alts=_alternates(), stats=stats, files=files,
                      labels=labels, version=version()[0],
                      title=ds.Term("iri", "", "Dataset", "데이터셋"))
    response.vary.add("Accept")
    return validated(response, f"dataset.{response.headers['Content-Language']}")


def _class_terms():
    return class_counts(get_store())


@bp.get("/dumps/")
def dumps_index():
    _, files = _manifest()
    response = render("dumps.html", files=files, alts=_alternates(),
                      title=ds.Term("iri", "", "Downloads", "내려받기"))
    return validated(response, f"dumps.{response.headers['Content-Language']}")


@bp.get("/dumps/<name>")
def dump_file(name: str):
    # Only files the manifest lists: no other name in the folder, nor outside it, is served.
    _, files = _manifest()
    if name == dmp.CHECKSUMS and files:
        # Built from the manifest, so it always agrees with the files listed.
        response = Response(dmp.checksums(files), mimetype="text/plain")
        return validated(response, "sha256sums")
    entry = next((f for f in files if f.name == name), None)
    if entry is None:
        return Response(f"404 Not Found: no dump named {name!r}; see /dumps/\n", 404,
                        mimetype="text/plain")
    response = send_from_directory(dumps_folder().resolve(), entry.name,
                                   mimetype=entry.media_type, conditional=True, etag=True)
    if entry.encoding:
        # A download of the .gz file itself, not a transfer encoding to undo.
        response.headers["Content-Type"] = "application/gzip"
    return response
