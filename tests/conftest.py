"""Test set-up in the manner of Picard's and napari's: offscreen Qt set before any Qt import,
one QApplication (pytest-qt's), settings and sessions in throw-away folders, and a check that
fails a test which leaves camera or ingest threads running."""

from __future__ import annotations

import os
import sys
import threading
import time
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


def _children() -> set[int]:
    """This process's child processes (Linux: /proc), zombies excluded."""
    found = set()
    for task in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        try:
            found.update(int(pid) for pid in task.read_text().split())
        except OSError:
            continue
    alive = set()
    for pid in found:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _command(pid: int) -> str:
    """A process's command line, or "?" once it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "?"


def _long_lived() -> set[int]:
    """Child processes a library starts once for the whole test process."""
    return {pid for pid in _children()
            if any(name in _command(pid) for name in LONG_LIVED_PROCESSES)}


def _described(pids: set[int]) -> list[str]:
    """Each process as its pid and command line."""
    return [f"{pid}: {_command(pid)[:160]}" for pid in sorted(pids)]


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Every thread and child process a test starts (the app's camera, ingest, pictures,
    proofing and analysis processes, a browser) is gone when it ends."""
    before = {t.ident for t in threading.enumerate()}
    children_before = _children()
    yield
    leaked = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()
              and not t.name.startswith(LONG_LIVED_THREADS)]
    for thread in leaked:
        thread.join(5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"test left threads running: {still}"

    def left() -> set[int]:
        return _children() - children_before - _long_lived()

    deadline = time.monotonic() + 10             # a child told to stop takes a moment
    while left() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left(), f"test left child processes running: {_described(left())}"


# Threads that live as long as the test process, started once by a library on first use.
LONG_LIVED_THREADS = ("QDBusConnection", "pytest_timeout", "asyncio_", "Dummy-")
# multiprocessing's resource tracker: one per test process, started by the first spawn.
LONG_LIVED_PROCESSES = ("multiprocessing.resource_tracker",)


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
    from camera.owner.worker import WorkerOptions
    from camera.simulated.simulated_backend import SimulatedBackend
    from camera.simulated.simulated_camera import SimulatedCamera
    from session.store.session import create_session, open_session
    from session.store.thumb_cache import ThumbCache
    from ui.app import assemble
    from ui.common.settings import AppSettings
    from ui.pictures.image_loader import ImageLoader
    from ui.tether.tether_window import TetherWindow

    made: list[App] = []

    def make(session: str | None = "Gui test", camera: Any = True, coach: bool = False,
             analyse: bool | None = None, show: bool = True,
             worker_options: Any = None, folder: Path | None = None) -> App:
        settings = AppSettings(tmp_path / f"settings-{len(made)}.ini")
        loader = ImageLoader(tiles=ThumbCache())
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


@pytest.fixture
def xvfb_display():
    """A virtual X server with two screens (the photographer's and the client's); skips
    cleanly where Xvfb is not installed (.ci/run installs it)."""
    yield from _xvfb(("1600x1000x24", "1024x768x24"))


@pytest.fixture
def xvfb_same_size():
    """Two X screens of the same size (a studio's two identical monitors)."""
    yield from _xvfb(("1280x800x24", "1280x800x24"))


def _xvfb(sizes: tuple[str, str]):  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (Debian: xvfb)")
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", sizes[0],
                             "-screen", "1", sizes[1], "-nolisten", "tcp"],
                            pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def open_review(qtbot, tmp_path):
    reviews = []

    def make(folder: Path, prefetch: bool = True, analyse: bool = False):
        """The review window on ``folder``, shown and opened (closed after the test)."""
        from ui.app import build_review
        from ui.common.settings import AppSettings

        settings = AppSettings(tmp_path / "settings.ini")
        review = build_review(settings, prefetch=prefetch, analyse=analyse)
        qtbot.addWidget(review.window)
        review.window.show()
        with qtbot.waitSignal(review.controller.opened, timeout=10000):
            review.controller.open_folder(folder)
        reviews.append(review)
        return review

    yield make
    for review in reviews:
        review.window.close()
