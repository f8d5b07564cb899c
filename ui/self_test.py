"""``Catchlight --self-test`` (and ``python main.py --self-test``): checks, headless, that an
installed or frozen Catchlight can do its work: model checksums, both models loaded and run on
the bundled portrait in an analysis process (the app's own child process), Qt's platform
plugins, a QR card written and read back, and, when VCAMERADIR is set, libgphoto2's virtual
camera detected, one shot captured and ingested into a temporary session. Prints a short
report; returns 0 when everything passed. Blocks (a few seconds); command line only."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from resources.locate import resource_path
from resources.version import VERSION


def _models() -> str:
    from coaching.landmarking.models import FACE_MODEL, POSE_MODEL, verified_model

    sizes = [f"{name} {len(verified_model(name)) / 1e6:.1f} MB" for name in (FACE_MODEL,
                                                                             POSE_MODEL)]
    return "checksums verified: " + ", ".join(sizes)


def _coach() -> str:
    """The models in an analysis process (as the app runs them), on the demo portrait."""
    from coaching.landmarking.analysis_process import RemoteLandmarkers
    from coaching.measure.profiles import load_profiles
    from coaching.stills.analysis import analyze_image

    marks = RemoteLandmarkers(video=False)
    pid = marks.process.pid
    try:
        result = analyze_image(resource_path("demo/astronaut.png"), marks,
                               load_profiles().get(None))
    finally:
        marks.close()
    if not result.ok or result.faces != 1:
        raise RuntimeError(f"the demo portrait gave {result.faces} faces ({result.error})")
    m = result.measurements
    closed = max(m.eye_closed_left or 0.0, m.eye_closed_right or 0.0)
    return (f"both models loaded in analysis process {pid}; demo portrait: 1 face, smile "
            f"{m.smile:.2f}, "
            f"yaw {m.head_yaw_deg:+.0f} deg, eye closure {closed:.2f}")


def _qt() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QLibraryInfo
    from PySide6.QtGui import QGuiApplication, QImage, QPainter

    app = QGuiApplication.instance() or QGuiApplication(["catchlight-self-test"])
    assert isinstance(app, QGuiApplication)
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.fillRect(image.rect(), 0x336699)
    painter.end()
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    found = sorted(p.name.removeprefix("libq").split(".")[0] for p in plugins.glob("*"))
    if "xcb" not in found and sys.platform.startswith("linux"):
        raise RuntimeError(f"no xcb platform plugin in {plugins}")
    return f"platform '{app.platformName()}' works; plugins: {', '.join(found)}"


def _review() -> str:
    """Thumbnail, delivery JPEG (sRGB via LittleCMS) and contact sheet PDF of one shot."""
    import numpy as np
    from PIL import Image

    from camera.simulated.sim_files import ExposureMeta, jpeg_with_exif
    from media.decode.jpeg_export import render_jpeg
    from media.decode.thumbnails import make_thumbnail
    from ui.review.contact_sheet import SheetItem, SheetOptions, write_contact_sheet

    with Image.open(resource_path("demo/astronaut.png")) as image:
        rgb = np.asarray(image.convert("RGB"))
    with tempfile.TemporaryDirectory() as folder:
        shot = Path(folder) / "self-test.jpg"
        shot.write_bytes(jpeg_with_exif(rgb, ExposureMeta("Catchlight", "Self-test", "0",
                                                          time.time(), 0.01, 8.0, 100)))
        thumb = make_thumbnail(shot)
        delivery = render_jpeg(shot, 256, 85, strip_private=True)
        pages = write_contact_sheet(Path(folder) / "sheet.pdf",
                                    SheetOptions("Self-test", time.strftime("%d %B %Y")),
                                    [SheetItem(shot, 1, shot.name, "★★★")])
        pdf = (Path(folder) / "sheet.pdf").stat().st_size
    if not thumb.jpeg or thumb.problem:
        raise RuntimeError(f"thumbnail failed: {thumb.problem}")
    return (f"thumbnail {thumb.width}x{thumb.height}, delivery JPEG {len(delivery)} bytes, "
            f"contact sheet {pages} page ({pdf} bytes)")


def _cards() -> str:
    """A headshot day's QR card made and read back (zxing-cpp in the bundle)."""
    import numpy as np
    import zxingcpp

    from coaching.measure.card_codes import read_codes

    code = np.asarray(zxingcpp.create_barcode("CL1:SELF-TEST",
                                              zxingcpp.BarcodeFormat.QRCode).to_image(scale=6))
    frame = np.full((code.shape[0] + 80, code.shape[1] + 80, 3), 128, np.uint8)
    frame[40:-40, 40:-40] = code[:, :, None]
    found = read_codes(frame)
    if found != ["CL1:SELF-TEST"]:
        raise RuntimeError(f"the QR card was read as {found}")
    return "QR card written and read back"


def _proofing() -> str:
    """The proofing server in the bundle: serves its page on loopback, refuses a bad token."""
    import urllib.error
    import urllib.request

    from session.proofing.proof_links import LEAD, Link, new_token
    from session.proofing.proofing_server import ProofingServer

    with tempfile.TemporaryDirectory() as folder:
        server = ProofingServer(Path(folder))
        token = new_token()
        server.set_links((Link(token, LEAD),))
        host, port = server.start("127.0.0.1", 0)
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/s/{token}/static/app.js",
                                        timeout=10) as answer:
                script = answer.read()
            try:
                urllib.request.urlopen(f"http://{host}:{port}/s/{new_token()}/", timeout=10)
                raise RuntimeError("a wrong token was served")
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise RuntimeError(f"a wrong token got {exc.code}, not 404") from exc
        finally:
            server.stop()
    return f"page served on loopback ({len(script)} bytes of script), a wrong token refused"


def _virtual_camera() -> str:
    if "VCAMERADIR" not in os.environ:
        return "skipped (set VCAMERADIR to a folder of JPEGs to check libgphoto2)"
    import io

    from camera.libgphoto2.gphoto2_backend import Gphoto2Backend
    from coaching.cli.shoot import shoot

    backend = Gphoto2Backend()
    cameras = backend.list_cameras()
    if not cameras:
        raise RuntimeError("libgphoto2 found no camera: its drivers are missing (error -4?)")
    with tempfile.TemporaryDirectory() as folder:
        out, err = io.StringIO(), io.StringIO()
        code = shoot(backend, cameras[0].port, Path(folder) / "self-test", 1, out, err, 30)
        lines = out.getvalue().split()
        if code != 0 or not lines:
            raise RuntimeError(f"capture failed: {err.getvalue().strip()}")
        size = Path(lines[0]).stat().st_size
    return (f"{cameras[0].model} on {cameras[0].port}; 1 shot captured, verified and "
            f"catalogued ({size} bytes)")


CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("models", _models), ("coach", _coach), ("qt", _qt), ("review", _review),
    ("cards", _cards), ("proofing", _proofing), ("virtual camera", _virtual_camera))


def run_self_test(out: TextIO = sys.stdout) -> int:
    frozen = "bundle" if getattr(sys, "frozen", False) else "source"
    print(f"Catchlight {VERSION} self-test ({frozen}, Python {sys.version.split()[0]})",
          file=out)
    failed = 0
    for name, check in CHECKS:
        start = time.perf_counter()
        try:
            detail, status = check(), "ok"
        except Exception as exc:
            detail, status = f"{type(exc).__name__}: {exc}", "FAILED"
            failed += 1
        print(f"  {name:15s} {status:6s} {detail} ({time.perf_counter() - start:.2f} s)",
              file=out, flush=True)
    print("self-test passed" if not failed else f"self-test FAILED ({failed} check(s))",
          file=out)
    return 1 if failed else 0
