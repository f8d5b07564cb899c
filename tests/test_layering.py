"""The architecture, checked: camera/, coaching/ and session/ hold no widgets and no Qt, and
the application imports no OpenCV (the bundle leaves its 300 MB out; tests and benchmarks may
use it)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL_PACKAGES = ("camera", "coaching", "session")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def app_modules() -> list[Path]:
    return [ROOT / "main.py"] + [p for pkg in (*MODEL_PACKAGES, "ui", "resources")
                                 for p in (ROOT / pkg).rglob("*.py")]


def test_model_layer_has_no_qt():
    for package in MODEL_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            bad = {m for m in imports(path) if m.startswith("PySide6")}
            assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_application_does_not_import_opencv():
    for path in app_modules():
        assert not {m for m in imports(path) if m == "cv2" or m.startswith("cv2.")}, \
            f"{path.relative_to(ROOT)} imports cv2"


def test_modules_stay_small():
    too_big = {str(p.relative_to(ROOT)): n for p in app_modules()
               if (n := len(p.read_text().splitlines())) > 400}
    assert not too_big, too_big
