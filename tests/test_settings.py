"""Preferences are declared once (ui.common.settings): unique keys with a type and a default, bad
stored values read back as the default, and no other module touches QSettings."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import QSettings

from ui.common import settings as settings_module
from ui.common.settings import ASPECT_MASK, CLIENT_OPEN, KEYS, REVIEW_SECONDS, AppSettings

ROOT = Path(__file__).resolve().parent.parent


def test_every_key_is_declared_once():
    names = [key.name for key in KEYS]
    assert len(names) == len(set(names))


def _rename_review_seconds(q: QSettings) -> None:
    """A step as a later schema would add it: an old name moved to the new one."""
    if q.contains("review/delay"):
        q.setValue("review/seconds", q.value("review/delay"))
        q.remove("review/delay")


def test_an_older_file_is_brought_up_to_date_once_and_keeps_the_photographers_choices(
        tmp_path, monkeypatch):
    calls: list[str] = []

    def counted(q: QSettings) -> None:
        calls.append("renamed")
        _rename_review_seconds(q)

    monkeypatch.setattr(settings_module, "UPGRADES", (*settings_module.UPGRADES, counted))
    ini = tmp_path / "s.ini"
    ini.write_text("[review]\ndelay=7.5\n[overlay]\naspect=4:5\n")   # no schema: version 0
    settings = AppSettings(ini)
    assert settings.get(REVIEW_SECONDS) == 7.5          # the old name's value, under the new
    assert settings.get(ASPECT_MASK) == "4:5"           # untouched keys keep their values
    settings.sync()
    assert AppSettings(ini).get(REVIEW_SECONDS) == 7.5 and calls == ["renamed"]  # not run again
    assert "delay" not in ini.read_text()


def test_a_file_from_a_newer_catchlight_is_not_renumbered(tmp_path):
    ini = tmp_path / "s.ini"
    ini.write_text("[General]\nschema=99\n[overlay]\naspect=1:1\n")
    settings = AppSettings(ini)
    settings.sync()
    assert settings.get(ASPECT_MASK) == "1:1"
    assert "schema=99" in ini.read_text()


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
