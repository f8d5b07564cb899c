"""Time from "capture verified on disk" to "pixels shown in the client window" for 24 MP
JPEGs (median and worst of 50), through the capture pipeline (one decode at display scale,
then the face model's check that decides what the client may see, off the GUI thread),
against a naive full decode on the GUI thread measured in the same run; the tether window's
live view keeps running meanwhile.

Target: median under 150 ms, at least 2x faster than naive, live view still >= 29 fps.

Ends with one line, `target met: <figures>` or `target missed: <figures>`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM",
                      f"offscreen:configfile={ROOT / 'tests' / 'two_screens.json'}")
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.common import make_24mp_jpeg, verdict  # noqa: E402
from bench.liveview import PaintCounter, run_for  # noqa: E402
from camera.owner.worker import CameraWorker  # noqa: E402
from camera.simulated.simulated_backend import SimulatedBackend  # noqa: E402
from camera.simulated.simulated_camera import SimulatedCamera  # noqa: E402
from coaching.measure.profiles import load_profiles  # noqa: E402
from coaching.stills.capture_pipeline import CaptureChecked, CapturePipeline  # noqa: E402
from media.decode.previews import fit_within  # noqa: E402
from session.model.live_session import SessionModels  # noqa: E402
from ui.app import GIL_SWITCH_S  # noqa: E402
from ui.client.client_window import ClientWindow  # noqa: E402
from ui.pictures.capture_bridge import CaptureBridge, CapturePictures  # noqa: E402
from ui.pictures.image_loader import to_qimage  # noqa: E402
from ui.tether.camera_bridge import CameraBridge  # noqa: E402
from ui.tether.liveview_widget import LiveViewWidget  # noqa: E402

SHOTS = int(os.environ.get("BENCH_SHOTS", 50))
DISTINCT = 5


def client_on_second_screen() -> ClientWindow:
    screens = QGuiApplication.screens()
    screen = next((s for s in screens if s is not QGuiApplication.primaryScreen()), screens[0])
    window = ClientWindow()
    window.crossfade = False  # measure the first paint of the new picture
    window.setGeometry(screen.geometry())
    window.show()
    return window


def timed_shows(app: QApplication, window: ClientWindow, paths: list[Path], show) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for i in range(SHOTS):
        path = paths[i % len(paths)]
        painted: list[float] = []
        window.painted.connect(painted.append)
        start = time.monotonic()
        show(path)
        deadline = start + 5
        while not (painted and window.shown_path == str(path)) and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.001)
        window.painted.disconnect(painted.append)
        times.append(((painted[-1] if painted else deadline) - start) * 1000)
        run_for(app, 0.1)
    return times


def main() -> int:
    from coaching.landmarking.native_output import quiet_native_output

    quiet_native_output("bench-client-display.log")   # the libraries' chatter
    app = QApplication.instance() or QApplication(sys.argv)
    sys.setswitchinterval(GIL_SWITCH_S)
    camera = SimulatedCamera(processor_process=True)
    frames = CameraBridge()
    live = LiveViewWidget()
    live.resize(1280, 800)
    live.show()
    live.mailbox = frames.frames
    frames.frame_available.connect(live.take_newest)
    counter = PaintCounter(live)
    worker = CameraWorker(SimulatedBackend(camera), camera.port, frames)
    worker.start()
    worker.start_live_view()
    window = client_on_second_screen()
    screen = window.geometry().size()
    target = (screen.width(), screen.height())
    capture = CaptureBridge(SessionModels())
    capture.client_size = capture.pane_size = target
    pipeline = CapturePipeline(load_profiles().get(None), capture, target)
    pipeline.start()
    decoded: dict[str, CapturePictures] = {}

    def picture(pictures: CapturePictures) -> None:
        if not pictures.preview:
            decoded[pictures.key] = pictures

    def checked(check: CaptureChecked) -> None:       # as the client controller does: the
        pictures = decoded.pop(check.key, None)          # picture came first (the bench's
        if pictures is not None:                         # portraits are client-safe)
            window.show_capture(pictures.client, str(pictures.path))

    capture.pictures_ready.connect(picture)
    capture.capture_checked.connect(checked)

    def ours_show(path: Path) -> None:
        pipeline.submit(path.parent, path.name)

    def naive(path: Path) -> None:
        rgb = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
        window.show_capture(to_qimage(fit_within(rgb, target)), str(path))

    with tempfile.TemporaryDirectory() as folder:
        paths = [make_24mp_jpeg(Path(folder) / f"shot{i}.jpg", seed=i, t=i * 1.3)
                 for i in range(DISTINCT)]
        run_for(app, 2.0)  # live view and models warm
        painted0, t0 = counter.painted, time.monotonic()
        ours = timed_shows(app, window, paths, ours_show)
        fps = (counter.painted - painted0) / (time.monotonic() - t0)
        painted0, t0 = counter.painted, time.monotonic()
        baseline = timed_shows(app, window, paths, naive)
        naive_fps = (counter.painted - painted0) / (time.monotonic() - t0)
    pipeline.stop()
    worker.stop()
    camera.shutdown()
    median, worst = statistics.median(ours), max(ours)
    naive_median = statistics.median(baseline)
    ratio = naive_median / median
    print(f"{SHOTS} captures (24 MP JPEG) from verified-on-disk to shown on a "
          f"{screen.width()}x{screen.height()} client screen:")
    print(f"  ours : median {median:6.1f} ms, worst {worst:6.1f} ms; tether live view "
          f"{fps:4.1f} fps meanwhile")
    print(f"  naive: median {naive_median:6.1f} ms, worst {max(baseline):6.1f} ms; tether live "
          f"view {naive_fps:4.1f} fps (full decode on the GUI thread)")
    met = median < 150 and ratio >= 2 and fps >= 29
    verdict(met, f"median {median:.0f} ms (<150), worst {worst:.0f} ms, {ratio:.1f}x faster "
                 f"than naive {naive_median:.0f} ms (>=2x), live view {fps:.1f} fps (>=29; "
                 f"naive {naive_fps:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
