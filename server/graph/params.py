"""Query parameters of the network API, checked: a bad one is a 400 that names it."""

from __future__ import annotations

from flask import request

from kg.network import graph as ng
from kg.network.datasets import resolve_source
from server.errors import ApiError
from server.graph import cache


class BadParameter(ApiError):
    """A query parameter the API cannot use; ``parameter`` names it."""

    def __init__(self, parameter: str, message: str):
        super().__init__(400, f"{parameter}: {message}", parameter)


def only(*allowed: str) -> None:
    """Refuse parameters the endpoint does not know (a typo would otherwise be ignored)."""
    for name in request.args:
        if name not in allowed:
            raise BadParameter(name, f"unknown parameter; this endpoint takes "
                                     f"{', '.join(allowed)}")


def _one(name: str) -> str | None:
    values = request.args.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, "give it once")
    if values and not values[0].strip():
        raise BadParameter(name, "is empty")
    return values[0].strip() if values else None


def node(name: str, types: list[str], required: bool = False) -> str | None:
    value = _one(name)
    if value is None:
        if required:
            raise BadParameter(name, f"is required (a {' or '.join(types)})")
        return None
    found = ng.find_node(cache.network(), value, types)
    if found is None:
        raise BadParameter(name, f"no {' or '.join(types)} {value!r} in the network; "
                                 f"give a code, a slug or an IRI")
    return found


def number(name: str, low: float, high: float, default: float | None = None,
           low_open: bool = False) -> float | None:
    value = _one(name)
    if value is None:
        return default
    try:
        x = float(value)
    except ValueError:
        raise BadParameter(name, f"{value!r} is not a number") from None
    if x != x or x > high or x < low or (low_open and x == low):
        bound = f"greater than {low:g}" if low_open else f"at least {low:g}"
        raise BadParameter(name, f"must be {bound} and at most {high:g}")
    return x


def integer(name: str, low: int, high: int, default: int | None = None) -> int | None:
    value = _one(name)
    if value is None:
        return default
    try:
        x = int(value)
    except ValueError:
        raise BadParameter(name, f"{value!r} is not an integer") from None
    if not low <= x <= high:
        raise BadParameter(name, f"must be from {low} to {high}")
    return x


def source() -> str | None:
    value = resolve_source(_one("source"))
    if value is not None and value not in cache.sources():
        known = ", ".join(sorted(cache.sources()))
        raise BadParameter("source", f"no figures from {value!r}; sources: paper, {known}")
    return value


def choice(name: str, options, default: str) -> str:
    value = _one(name)
    if value is None:
        return default
    if value not in options:
        raise BadParameter(name, f"{value!r} is not one of {', '.join(options)}")
    return value
