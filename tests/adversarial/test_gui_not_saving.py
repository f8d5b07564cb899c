"""The window never pretends to save: when the ingest cannot work (another process shoots
into the session, the ingest thread dies) capture is off and a red banner says why and stays
(a later "connected" does not replace it); odd files in the folder and a damaged catalog are
handled with a message while shooting goes on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from camera.simulated.simulated_backend import SimulatedBackend
from camera.simulated.simulated_camera import SimulatedCamera
from session.ingest.ingest import Ingester
from session.ingest.ingest_worker import IngestWorker
from session.store.session import create_session
from tests.adversarial.helpers import ROOT, image_files, shot_of


@pytest.fixture
def app(app_factory):
    """A tether window on the demo camera (connected later), with no session open yet."""
    built = app_factory(session=None, camera=None)
    camera = SimulatedCamera(capture_size=(1200, 800))
    yield built.window, built.controller, camera
    camera.shutdown()


def connect(qtbot, window, controller, camera) -> None:
    controller.attach_camera(SimulatedBackend(camera), camera.port)
    qtbot.waitUntil(lambda: window.panel.state.text().endswith(("Live view", "Ready")),
                    timeout=10000)


def test_a_session_shot_by_another_process_turns_capture_off_and_says_so(app, qtbot,
                                                                         tmp_path):
    window, controller, camera = app
    session = create_session("Smith", root=tmp_path / "sessions")
    earlier = Ingester(session)
    earlier.submit(shot_of("DSC_0001.JPG"))
    earlier.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from session.store.session_lock import SessionLock\nSessionLock(Path(sys.argv[1]))"
         ".acquire()\nprint('held', flush=True)\ntime.sleep(60)", str(session.folder)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        controller.open_session(session)
        qtbot.waitUntil(lambda: bool(controller.not_saving), timeout=5000)
        text = window.banner.label.text()
        assert text.startswith("Shots are not being saved") and "being shot by" in text
        assert window.banner.severity == "error" and not window.banner.close_button.isVisible()
        qtbot.waitUntil(lambda: window.filmstrip_model.rowCount() == 1, timeout=5000)
        connect(qtbot, window, controller, camera)
        assert window.banner.label.text() == text                 # not replaced by "connected"
        assert not window.panel.capture_button.isEnabled()
        pressed = camera.pressed
        qtbot.keyClick(window, Qt.Key.Key_Space)
        qtbot.wait(500)
        assert camera.pressed == pressed                          # nothing fired
        assert "Nothing was captured" in window.banner.note.text()
        assert len(image_files(session.folder)) == 1
    finally:
        holder.kill()
        holder.wait()


def test_an_ingest_thread_that_dies_turns_capture_off(app, qtbot, tmp_path, monkeypatch):
    window, controller, camera = app

    def broken(self, ingester):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk controller reset")

    monkeypatch.setattr(IngestWorker, "_serve", broken)
    controller.open_session(create_session("Jones", root=tmp_path / "sessions"))
    qtbot.waitUntil(lambda: bool(controller.not_saving), timeout=5000)
    assert "disk controller reset" in window.banner.label.text()
    connect(qtbot, window, controller, camera)
    assert not window.panel.capture_button.isEnabled()
    assert window.banner.severity == "error"


def test_odd_files_in_the_folder_do_not_stop_shooting(app, qtbot, tmp_path):
    window, controller, camera = app
    session = create_session("Smith", root=tmp_path / "sessions")
    (session.folder / os.fsdecode(b"Portr\xe4t.jpg")).write_bytes(b"\xff\xd8\xff\xd9")
    (session.folder / "Smith_0002.jpg").symlink_to(tmp_path / "gone.jpg")   # shot 1: Porträt
    controller.open_session(session)
    qtbot.waitUntil(lambda: window.filmstrip_model.rowCount() == 1, timeout=5000)
    tooltip = window.filmstrip_model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "<qt>Portr\\xe4t.jpg</qt>"          # shown as text, never rich text
    picked = window.filmstrip_model.index(0).data(Qt.ItemDataRole.UserRole)
    assert picked == session.folder / os.fsdecode(b"Portr\xe4t.jpg")   # the exact file
    connect(qtbot, window, controller, camera)
    with qtbot.waitSignal(controller.ingest_bridge.stored, timeout=10000) as stored:
        qtbot.keyClick(window, Qt.Key.Key_Space)
    assert stored.args[0].paths[0].name == "Smith_0002-2.jpg"
    qtbot.waitUntil(lambda: window.filmstrip_model.rowCount() == 2, timeout=3000)
    assert not controller.not_saving


def test_a_damaged_catalog_is_rebuilt_and_said_in_the_window(app, qtbot, tmp_path):
    window, controller, camera = app
    session = create_session("Smith", root=tmp_path / "sessions")
    ingester = Ingester(session)
    for i in (1, 2):
        ingester.submit(shot_of(f"DSC_{i:04d}.JPG"))
    ingester.close()
    (session.folder / "catalog.sqlite").write_bytes(b"\0" * 4096)
    controller.open_session_folder(session.folder)
    qtbot.waitUntil(lambda: "damaged" in window.banner.label.text(), timeout=5000)
    qtbot.waitUntil(lambda: window.filmstrip_model.rowCount() == 2, timeout=5000)
    assert list(session.folder.glob("catalog.sqlite.damaged-*"))
    connect(qtbot, window, controller, camera)
    with qtbot.waitSignal(controller.ingest_bridge.stored, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    assert [p.name for p in image_files(session.folder)][-1] == "Smith_0003.jpg"


def test_the_disk_error_clears_once_shots_are_stored_again(app, qtbot, tmp_path):
    window, controller, _camera = app
    controller.open_session(create_session("Smith", root=tmp_path / "sessions"))
    qtbot.waitUntil(lambda: controller.ingest is not None, timeout=5000)
    controller.ingest_bridge.failed.emit("The disk holding X is full. The shot is kept.", 1)
    assert window.banner.severity == "error" and "full" in window.banner.label.text()
    controller.ingest_bridge.notice.emit("something else happened")
    assert "full" in window.banner.label.text()             # the error stands
    assert Path(window.banner.note.text()).name == "something else happened"
