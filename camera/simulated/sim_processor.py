"""The demo camera's image processor in a process of its own, as a real body's processor is
hardware of its own: a 24 MP render and its JPEG encode hold the interpreter lock in 5 ms
slices for about 0.4 s a shot (py-spy --gil: 15 % of the app's lock while shooting), and in
the app's process they stalled live view. The child (``main.py --demo-processor``) renders what
``CaptureRenderer.make`` would (same scene, sitter and grey card, so the same picture) and
sends the encoded bytes back over a pipe: a JSON request, then a JSON header and the three
encoded pictures as messages of their own (data only, no pickle).

``ProcessorProcess.make`` runs on the simulated camera's processing thread and blocks only
it; the child starts on first use and again if it died. ``serve`` is the child's main loop.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from camera.simulated.sim_capture import CaptureRenderer, Rendered
from camera.simulated.sim_scene import Scene
from media.child_process import end_child

MAX_PICTURE = 1 << 28      # bytes in one encoded picture the parent accepts
NICENESS = 0             # as the processing thread it replaces (a real body's costs us nothing)
ROOT = Path(__file__).resolve().parents[2]
FLAG = "--demo-processor"


class ProcessorGone(RuntimeError):
    """The processor's child process stopped (killed) twice in a row."""


def child_command(portrait: Path | None, blinks: bool, in_fd: int, out_fd: int) -> list[str]:
    args = [FLAG, str(in_fd), str(out_fd), str(portrait or ""), "1" if blinks else "0"]
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, str(ROOT / "main.py"), *args]


class ProcessorProcess:
    """Makes captures of ``scene`` in a child process (``make`` has CaptureRenderer.make's
    signature, so it plugs into a CaptureRenderer as its maker)."""

    def __init__(self, scene: Scene, portrait: Path | None, blinks: bool) -> None:
        self.scene = scene
        self.portrait, self.blinks = portrait, blinks
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._send: Connection | None = None
        self._recv: Connection | None = None

    def _start(self) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            self._proc = subprocess.Popen(
                child_command(self.portrait, self.blinks, to_child_r, from_child_w),
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._send = Connection(to_child_w, readable=False)
        self._recv = Connection(from_child_r, writable=False)

    def make(self, t: float, gain: float, width: int, height: int,
             eyes_closed: bool = False) -> Rendered:
        request = json.dumps([t, gain, width, height, eyes_closed, self.scene.sitter,
                              self.scene.grey_card]).encode()
        with self._lock:
            for attempt in (1, 2):
                if self._send is None:
                    self._start()
                assert self._send is not None and self._recv is not None
                try:
                    self._send.send_bytes(request)
                    header = json.loads(self._recv.recv_bytes(4096))
                    if "error" in header:
                        raise ProcessorGone(f"the demo camera's processor failed: "
                                            f"{header['error']}")
                    body, thumbnail, preview = (self._recv.recv_bytes(MAX_PICTURE)
                                                for _ in range(3))
                except (EOFError, OSError, ValueError) as exc:   # killed: a new one, once
                    self._stop()
                    if attempt == 2:
                        raise ProcessorGone(f"the demo camera's processor stopped ({exc})") \
                            from exc
                    continue
                return Rendered(body, thumbnail, preview, int(header["width"]),
                                int(header["height"]))
        raise AssertionError("unreachable")

    def _stop(self) -> None:
        end_child(self._proc, self._send, self._recv)
        self._send = self._recv = None
        self._proc = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def close(self) -> None:
        with self._lock:
            self._stop()


def serve(argv: list[str]) -> int:
    """The child's main loop: IN_FD OUT_FD PORTRAIT BLINKS; ends when the parent closes."""
    in_fd, out_fd, portrait, blinks = int(argv[0]), int(argv[1]), argv[2], argv[3] == "1"
    with contextlib.suppress(OSError, AttributeError):
        os.nice(NICENESS)
    inbox, outbox = Connection(in_fd, writable=False), Connection(out_fd, readable=False)
    renderer = CaptureRenderer(Scene(Path(portrait) if portrait else None, blinks=blinks))
    while True:
        try:
            t, gain, width, height, closed, sitter, grey_card = json.loads(inbox.recv_bytes())
        except (EOFError, OSError):
            return 0
        renderer.scene.sitter, renderer.scene.grey_card = int(sitter), bool(grey_card)
        try:
            made = renderer.make(float(t), float(gain), int(width), int(height), bool(closed))
        except Exception as exc:          # said to the parent, which raises it in words
            outbox.send_bytes(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
            continue
        outbox.send_bytes(json.dumps({"width": made.width, "height": made.height}).encode())
        for picture in (made.body, made.thumbnail, made.preview):
            outbox.send_bytes(picture)
