"""The README is a front door and the manual cannot drift from the app: the shortcut page is
the one the app's own sheet makes, every page the README links to exists, and the README's
map of the code names every room there is (and none that is not)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
LAYERS = ("ui", "coaching", "session", "camera", "media")


def test_the_shortcut_page_is_the_apps_own_sheet():
    sys.path.insert(0, str(ROOT / "docs"))
    from make_shortcuts import PAGE, page

    assert PAGE.read_text(encoding="utf-8") == page(), \
        "docs/keyboard-shortcuts.md is out of date: run python docs/make_shortcuts.py"


def test_every_link_of_the_readme_and_the_manual_leads_somewhere():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not target.startswith(("http://", "https://")) \
                    and not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert not broken


def test_the_readme_is_a_front_door():
    assert len(README.splitlines()) <= 200
    assert "make demo" in README and "make test" in README


def test_the_map_names_every_room():
    rooms = {f"{layer}/{p.parent.name}/" for layer in LAYERS
             for p in (ROOT / layer).glob("*/__init__.py")}
    layers = "|".join(LAYERS)
    named = set(re.findall(rf"`((?:{layers})/[a-z0-9_]+/)`", README))
    assert named == rooms
