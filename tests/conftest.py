"""Test set-up in the manner of Picard's and napari's: offscreen Qt set before any Qt import,
one QApplication (pytest-qt's), settings and sessions in throw-away folders, and a check that
fails a test which leaves camera or ingest threads running."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Offscreen Qt with two screens (the photographer's and the client's), set before Qt loads.
if os.environ.get("QT_QPA_PLATFORM", "offscreen").startswith("offscreen"):
    os.environ["QT_QPA_PLATFORM"] = \
        f"offscreen:configfile={Path(__file__).resolve().parent / 'two_screens.json'}"
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("CATCHLIGHT_SESSIONS_DIR", str(home / "Pictures" / "Catchlight"))
    return home


@pytest.fixture(autouse=True)
def no_leaked_threads():
    before = {t.ident for t in threading.enumerate()}
    yield
    leaked = [t for t in threading.enumerate()
              if t.ident not in before and t.is_alive()
              and t.name.startswith(("camera ", "ingest", "image-loader", "thumbnails", "export"))]
    for thread in leaked:
        thread.join(5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"test left threads running: {still}"


@pytest.fixture
def shared_photos() -> Path:
    """The licensed real photos in ../shared/photos; skips cleanly when absent."""
    folder = SHARED / "photos"
    if not (folder / "MANIFEST.tsv").is_file():
        pytest.skip("../shared/photos is not available")
    return folder


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """The soak and crash tests' closing lines and the count of hostile inputs the property
    and mutation tests tried (tests/fuzz)."""
    from tests.fuzz.tally import LINES, TRIED

    for line in LINES:
        terminalreporter.write_line(line)
    if TRIED:
        parts = ", ".join(f"{kind} {count}" for kind, count in sorted(TRIED.items()))
        terminalreporter.write_line(f"inputs tried: {parts}; total {sum(TRIED.values())}")
