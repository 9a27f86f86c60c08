"""Every setting in server/config.py is documented there (a ``#:`` comment) and in the
README: an undocumented setting is one nobody can find."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

CONFIG = (ROOT / "server" / "config.py").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
NAMES = re.findall(r"^([A-Z][A-Z0-9_]+)\s*[:=]", CONFIG, re.MULTILINE)


def test_the_settings_are_found():
    assert {"STORE", "SPARQL_TIME_LIMIT", "SPARQL_SERVICE_ALLOW", "SEARCH_LIMIT"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_setting_is_documented(name):
    assert re.search(rf"^#: .*\n{name}\b", CONFIG, re.MULTILINE), \
        f"{name} has no #: comment right above it in server/config.py"
    assert f"`{name}`" in README, f"{name} is not in README.md"
