"""Helpers for the Chromium tests."""

from __future__ import annotations

import time


def wait_until(page, expression: str, timeout: float = 30) -> object:
    """Poll a JavaScript expression until it is truthy; returns its value.

    Playwright's ``wait_for_function`` evaluates its predicate with ``eval`` inside the
    page, which the pages' Content-Security-Policy forbids; ``page.evaluate`` goes through
    the DevTools protocol, which the policy does not govern.

    Raises:
        TimeoutError: still falsy after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"still falsy after {timeout} s: {expression}")
        page.wait_for_timeout(50)


def click_node(page, node_id: str) -> None:
    """Click a node of the /graph drawing where Cytoscape drew it."""
    x, y = page.evaluate("""(id) => {
        const cy = window.krmGraph.cy, p = cy.getElementById(id).renderedPosition();
        const r = cy.container().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", node_id)
    page.mouse.click(x, y)
