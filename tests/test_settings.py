"""Preferences are declared once (ui.common.settings): unique keys with a type and a default, bad
stored values read back as the default, and no other module touches QSettings."""

from __future__ import annotations

import ast
from pathlib import Path

from ui.common.settings import ASPECT_MASK, CLIENT_OPEN, KEYS, REVIEW_SECONDS, AppSettings

ROOT = Path(__file__).resolve().parent.parent


def test_every_key_is_declared_once():
    names = [key.name for key in KEYS]
    assert len(names) == len(set(names))


def test_bad_stored_values_read_back_as_their_defaults(tmp_path):
    (tmp_path / "s.ini").write_text("[overlay]\naspect=16:9\n[review]\nseconds=lots\n"
                                    "[client]\nopen=perhaps\n")
    settings = AppSettings(tmp_path / "s.ini")
    assert settings.get(ASPECT_MASK) == ""
    assert settings.get(REVIEW_SECONDS) == 3.0
    assert settings.get(CLIENT_OPEN) is False
    settings.set(REVIEW_SECONDS, 0.01)
    assert settings.get(REVIEW_SECONDS) == 0.5                     # clamped to its minimum
    settings.set(ASPECT_MASK, "4:5")
    settings.sync()
    assert AppSettings(tmp_path / "s.ini").get(ASPECT_MASK) == "4:5"


def test_nothing_but_the_registry_touches_qsettings():
    offenders = []
    for path in [ROOT / "main.py", *(ROOT / "ui").rglob("*.py")]:
        if path.name == "settings.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            named = isinstance(node, ast.Name) and node.id == "QSettings"
            imported = isinstance(node, ast.ImportFrom) and any(
                alias.name == "QSettings" for alias in node.names)
            if named or imported:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
