"""Every setting of the SPARQL service is documented in server/config.py and README.md."""

from __future__ import annotations

import re

from conftest import ROOT


def test_sparql_settings_are_documented():
    config = (ROOT / "server" / "config.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = re.findall(r"^((?:SPARQL|COMPRESS)_[A-Z_]+)\b", config, re.MULTILINE)
    assert "SPARQL_TIME_LIMIT" in names
    for name in names:
        assert re.search(rf"^#: .*\n(?:#: .*\n)*{name}\b", config, re.MULTILINE) or \
            re.search(rf"^#: .*\n(?:[A-Z_]+ .*\n)*{name}\b", config, re.MULTILINE), \
            f"{name} has no #: comment in server/config.py"
        assert f"`{name}`" in readme, f"{name} is not in README.md"
