"""The coach in its own processes: MediaPipe never loads in the app's process; killing the
analysis processes mid-shoot (SIGKILL, several times) leaves shooting, live view and the client
display running, the banner says "Coach restarting", the processes come back, and every capture
is analysed exactly once. The terminal stays quiet: `analyze` writes nothing to stderr."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from coaching.landmarking import analysis_process
from session.store.analysis_store import AnalysisStore

ROOT = Path(__file__).resolve().parent.parent


def test_killing_the_analysis_processes_mid_shoot_loses_nothing(app_factory, qtbot):
    app = app_factory(session="Crash", coach=True)
    coach, pipeline = app.parts.coach, app.parts.pipeline
    qtbot.waitUntil(lambda: coach.overlay.state is not None, timeout=30000)
    qtbot.waitUntil(pipeline.ready.is_set, timeout=30000)
    analysed: Counter[str] = Counter()
    app.parts.capture.capture_analysed.connect(lambda c: analysed.update([c.key]))
    banners: list[str] = []
    shots = 0
    for _round in range(3):
        before = app.window.live_view.frames_shown
        with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
            app.controller.capture()
        shots += 1
        for process in analysis_process.running():      # mid-analysis of that capture
            os.kill(process.pid, signal.SIGKILL)
        qtbot.waitUntil(lambda: "Coach restarting" in app.window.banner.label.text(),
                        timeout=10000)
        banners.append(app.window.banner.label.text())
        with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
            app.controller.capture()                     # shooting never stopped
        shots += 1
        assert app.window.live_view.frames_shown > before + 5, "live view kept running"
        qtbot.waitUntil(lambda s=shots: len(analysed) == s, timeout=60000)
        qtbot.waitUntil(lambda: "Coach back" in app.window.banner.label.text(), timeout=30000)
    assert all(count == 1 for count in analysed.values()), analysed   # none twice
    store = AnalysisStore(app.session.folder)
    assert len(store.results()) == shots                                # none left out
    store.close()
    processed = coach.live.processed
    qtbot.waitUntil(lambda: coach.live.processed > processed + 5, timeout=30000)
    assert coach.live.restarts >= 1 and coach.live.available
    assert all(p.starts >= 2 for p in analysis_process.running())
    assert all("Coach restarting" in text for text in banners)


def test_the_app_process_never_loads_mediapipe(tmp_path):
    script = (
        "import sys, os\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from coaching.landmarking.analysis_process import RemoteLandmarkers\n"
        "import numpy as np\n"
        "marks = RemoteLandmarkers(video=False)\n"
        "obs = marks.detect(np.zeros((240, 320, 3), np.uint8))\n"
        "marks.close()\n"
        "print('mediapipe' in sys.modules, len(obs.faces))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, XDG_STATE_HOME=str(tmp_path)))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "0"]
    assert proc.stderr == ""                       # the child's chatter is in its log
    assert (tmp_path / "Catchlight" / "analysis-stills.log").stat().st_size > 0


def test_analyze_leaves_stderr_empty(tmp_path, shared_photos):
    photo = shared_photos / "neutral" / "grace_hopper_navy_portrait_neutral.jpg"
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "analyze", str(photo)],
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, XDG_STATE_HOME=str(tmp_path)))
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert proc.stdout.count("\n") == 1 and "1 face(s)" in proc.stdout
    assert "XNNPACK" in (tmp_path / "Catchlight" / "native.log").read_text()
    verbose = subprocess.run([sys.executable, str(ROOT / "main.py"), "--verbose", "analyze",
                              str(photo)], capture_output=True, text=True, timeout=120,
                             env=dict(os.environ, XDG_STATE_HOME=str(tmp_path)))
    assert "XNNPACK" in verbose.stderr + verbose.stdout          # --verbose shows everything


def test_the_windowed_app_keeps_the_terminal_quiet(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CATCHLIGHT_STARTUP_PROBE="1",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               CATCHLIGHT_SESSIONS_DIR=str(tmp_path / "sessions"))
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--demo"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stderr == ""
    marks = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert list(marks) == ["first-frame", "coach-ready", "memory-mb", "mediapipe-loaded",
                           "first-paint-ms", "worst-gui-stall-ms", "worst-live-stall-ms"]
    assert marks["mediapipe-loaded"] == "False"     # the window, coach and pipeline ran
    logs = tmp_path / "state" / "Catchlight"
    assert (logs / "catchlight.log").exists() and (logs / "analysis-live.log").exists()
