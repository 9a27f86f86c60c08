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
