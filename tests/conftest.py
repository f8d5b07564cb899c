"""Test set-up in the manner of Picard's and napari's: offscreen Qt set before any Qt import,
one QApplication (pytest-qt's), settings and sessions in throw-away folders, and a check that
fails a test which leaves camera or ingest threads running."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
              and t.name.startswith(("camera ", "ingest", "image-loader", "thumbnails", "export",
                                     "coach", "capture-pipeline", "loupe", "background"))]
    for thread in leaked:
        thread.join(5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"test left threads running: {still}"


@pytest.fixture(autouse=True)
def no_unhandled_errors(monkeypatch):
    """Fail a test during which an exception escaped into Qt (a slot or an event handler)
    or was logged as an unhandled error: the app would have printed a traceback."""
    import logging

    seen: list[str] = []

    def hook(kind, value, tb) -> None:  # type: ignore[no-untyped-def]
        seen.append(f"{kind.__name__}: {value}")

    class Catcher(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage() == "unhandled error":
                seen.append(record.getMessage())

    catcher = Catcher(logging.ERROR)
    logging.getLogger().addHandler(catcher)
    monkeypatch.setattr(sys, "excepthook", hook)
    yield
    logging.getLogger().removeHandler(catcher)
    assert not seen, f"unhandled errors during the test: {seen}"


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


@dataclass
class App:
    """One tether app as ``python main.py`` builds it (ui.app.assemble), for GUI tests."""

    window: Any
    parts: Any
    loader: Any
    camera: Any
    session: Any

    @property
    def controller(self) -> Any:
        return self.parts.controller

    @property
    def client(self) -> Any:
        return self.parts.client

    @property
    def model(self) -> Any:
        """The tether's live session model."""
        return self.parts.controller.model


@pytest.fixture
def app_factory(qtbot, tmp_path):
    """``make(...)`` builds the app on the demo camera (the one wiring every GUI test uses):
    ``session``: a session name to create and open (None: none), or ``folder``: an existing
    session folder to open (a restart); ``camera``: a
    SimulatedCamera, True for a default one or None for no camera; ``coach``/``analyse``: the
    live coach and the pipeline's analysis; ``show``: show the window."""
    from camera.simulated_backend import SimulatedBackend
    from camera.simulated_camera import SimulatedCamera
    from camera.worker import WorkerOptions
    from session.session import create_session, open_session
    from ui.app import assemble
    from ui.image_loader import ImageLoader
    from ui.settings import AppSettings
    from ui.tether_window import TetherWindow

    made: list[App] = []

    def make(session: str | None = "Gui test", camera: Any = True, coach: bool = False,
             analyse: bool | None = None, show: bool = True,
             worker_options: Any = None, folder: Path | None = None) -> App:
        settings = AppSettings(tmp_path / f"settings-{len(made)}.ini")
        loader = ImageLoader()
        window = TetherWindow(settings, loader)
        parts = assemble(window, coach, analyse,
                         worker_options or WorkerOptions(reconnect_interval_s=0.1))
        qtbot.addWidget(window)
        opened = open_session(folder) if folder is not None else \
            create_session(session, root=tmp_path / "sessions") if session else None
        if opened is not None:
            parts.controller.open_session(opened)
            qtbot.waitUntil(lambda: parts.controller.model.loaded, timeout=10000)
        sim = SimulatedCamera(capture_size=(1800, 1200)) if camera is True else camera
        if show:
            window.show()
        if sim is not None:
            parts.controller.attach_camera(SimulatedBackend(sim), sim.port)
            qtbot.waitUntil(lambda: parts.controller.state.value in ("ready", "live view"),
                            timeout=10000)
        app = App(window, parts, loader, sim, opened)
        made.append(app)
        return app

    yield make
    for app in made:
        app.window.close()
        app.loader.close()
        if app.camera is not None:
            app.camera.shutdown()


@pytest.fixture
def proofing(tmp_path):
    """A session to proof (tests.proofing_session) served on loopback; stopped after."""
    from tests.proofing_session import make_proofing_session, serve

    folder = tmp_path / "Proof"
    make_proofing_session(folder)
    served = serve(folder)
    yield served
    served.server.stop()
    served.model.close()
