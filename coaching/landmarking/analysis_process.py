"""The parent's side of the analysis process (coaching.landmarking.analysis_server):
RemoteLandmarkers behaves like coaching.landmarking.landmarks.Landmarkers, but the models run in
a child process, so MediaPipe never loads in the app's own process and its inference never
competes with painting for the interpreter lock. Pixels go through one shared-memory buffer per
process (there is never more than one request in flight: the live coach asks for the newest
frame only, the capture pipeline one image at a time); results come back as small records.

If the child dies (killed, out of memory, a model crashing on a hostile file) the call raises
AnalysisCrashed; ``restart`` starts a new child, waiting longer after each crash in a row
(0.5 s doubling up to 30 s). Each RemoteLandmarkers is used from one thread (the live coach's
or the capture pipeline's); starting and waiting block only that thread.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path

import numpy as np

from coaching.landmarking.landmark_wire import (
    Request,
    WireError,
    decode_landmarks,
    decode_ready,
    encode_request,
)
from coaching.landmarking.landmarks import Landmarking, Landmarks, observation_of
from coaching.landmarking.models import ModelUnavailable
from coaching.measure.observation import Observation
from media.child_process import end_child

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0
FIRST_BACKOFF_S, MAX_BACKOFF_S = 0.5, 30.0
VERBOSE_ENV = "CATCHLIGHT_VERBOSE"
MAX_ANSWER = 1 << 22             # the landmarks of 8 faces and a pose fit in 60 kB


class AnalysisCrashed(RuntimeError):
    """The analysis process stopped answering (it died); restart() brings it back."""


def server_command(kind: str, in_fd: int, out_fd: int) -> list[str]:
    """How to start the analysis process: the bundle's executable, or this Python with
    main.py from the source tree."""
    args = ["--analysis-server", kind, str(in_fd), str(out_fd)]
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, str(ROOT / "main.py"), *args]


_RUNNING: weakref.WeakSet[AnalysisProcess] = weakref.WeakSet()


def running() -> list[AnalysisProcess]:
    """The analysis processes started and not stopped (for tests and the benchmarks)."""
    return [p for p in list(_RUNNING) if p.proc is not None]


def resident_mb(pid: int) -> float:
    """Resident memory of one process in MB (0 when it is gone or unreadable). Any thread."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def app_memory_mb() -> float:
    """This process and its analysis processes, resident (Linux; 0 elsewhere). Any thread."""
    return resident_mb(os.getpid()) + sum(resident_mb(p.pid) for p in running()
                                          if p.pid is not None)


class AnalysisProcess:
    """One child process of ``kind`` ('live' or 'stills') and its shared-memory buffer."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.proc: subprocess.Popen[bytes] | None = None
        self._send: Connection | None = None
        self._recv: Connection | None = None
        self._memory: SharedMemory | None = None
        self.starts = 0
        self.crashes_in_a_row = 0
        _RUNNING.add(self)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def start(self) -> None:
        """Start the child and wait until its models are loaded (ModelUnavailable if they
        cannot be)."""
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        verbose = bool(os.environ.get(VERBOSE_ENV))
        try:
            self.proc = subprocess.Popen(
                server_command(self.kind, to_child_r, from_child_w),
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
                stdout=None if verbose else subprocess.DEVNULL,
                stderr=None if verbose else subprocess.DEVNULL, close_fds=True)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._send = Connection(to_child_w, readable=False)
        self._recv = Connection(from_child_r, writable=False)
        self.starts += 1
        try:
            error = decode_ready(self._answer(START_TIMEOUT_S))
        except (AnalysisCrashed, WireError) as exc:
            self.stop()
            raise AnalysisCrashed(f"the analysis process did not start ({exc})") from exc
        if error:
            self.stop()
            raise ModelUnavailable(error)

    def stop(self) -> None:
        end_child(self.proc, self._send, self._recv)
        self._send = self._recv = None
        self.proc = None
        if self._memory is not None:
            self._memory.close()
            self._memory.unlink()
            self._memory = None

    def restart(self) -> None:
        """After a crash: wait (longer after each crash in a row), then start again."""
        self.crashes_in_a_row += 1
        self.stop()
        time.sleep(min(MAX_BACKOFF_S, FIRST_BACKOFF_S * 2 ** (self.crashes_in_a_row - 1)))
        self.start()

    def ask(self, rgb: np.ndarray, timestamp_ms: int, faces: bool, pose: bool) -> Landmarks:
        if self._send is None:
            raise AnalysisCrashed("the analysis process is not running")
        rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
        if rgb.ndim != 3:
            raise ValueError("an RGB image is needed")
        memory = self._buffer(rgb.nbytes)
        view: np.ndarray = np.ndarray(rgb.shape, np.uint8, buffer=memory.buf)
        view[...] = rgb
        del view
        try:
            self._send.send_bytes(encode_request(Request(
                memory.name, (rgb.shape[0], rgb.shape[1], rgb.shape[2]), timestamp_ms, faces,
                pose)))
        except (OSError, ValueError) as exc:
            raise AnalysisCrashed(f"the analysis process stopped ({exc})") from exc
        try:
            found = decode_landmarks(self._answer(None))
        except WireError as exc:
            if self.proc is not None:
                self.proc.kill()
            raise AnalysisCrashed(f"the analysis process answered nonsense ({exc})") from exc
        self.crashes_in_a_row = 0
        return found

    def _answer(self, timeout: float | None) -> bytes:
        assert self._recv is not None
        try:
            if timeout is not None and not self._recv.poll(timeout):
                raise AnalysisCrashed("the analysis process did not answer")
            return self._recv.recv_bytes(MAX_ANSWER)
        except (EOFError, OSError) as exc:
            raise AnalysisCrashed("the analysis process stopped") from exc

    def _buffer(self, size: int) -> SharedMemory:
        if self._memory is None or self._memory.size < size:
            if self._memory is not None:
                self._memory.close()
                self._memory.unlink()
            self._memory = SharedMemory(create=True, size=max(size, 1 << 20))
        return self._memory


RESTARTING = ("Coach restarting: {cause}. Shooting, live view and the client display carry "
              "on.")
COACH_BACK = "Coach back: analysis resumed."      # the message after RESTARTING, once it runs


def recover(landmarkers: object, stopping: Callable[[], bool],
            report: Callable[[str], None], cause: str) -> bool:
    """After AnalysisCrashed: say so and restart the process until it runs again (True; then
    COACH_BACK is reported) or the caller is stopping or the models cannot load (False). On
    the caller's thread."""
    restart = getattr(landmarkers, "restart", None)
    if restart is None:
        return False
    report(RESTARTING.format(cause=cause))
    while not stopping():
        try:
            restart()
            report(COACH_BACK)
            return True
        except AnalysisCrashed as exc:
            log.warning("analysis process restart failed: %s", exc)
        except ModelUnavailable as exc:
            report(str(exc))
            return False
    return False


def coach_in_process() -> bool:
    """The models run in analysis processes unless CATCHLIGHT_COACH_IN_PROCESS=1 (the
    benchmarks' comparison)."""
    return os.environ.get("CATCHLIGHT_COACH_IN_PROCESS", "") == "1"


def landmarkers_for(in_process: bool) -> Callable[[bool], Landmarking]:
    """The factory the coach and the pipeline make their models with: the models here, or
    in analysis processes (the app's default)."""
    def make(video: bool) -> Landmarking:
        if in_process:
            from coaching.landmarking.landmarks import Landmarkers

            return Landmarkers(video=video)
        return RemoteLandmarkers(video)

    return make


class RemoteLandmarkers:
    """coaching.landmarking.landmarks.Landmarking with the models in an analysis process."""

    def __init__(self, video: bool) -> None:
        self.video = video
        self.process = AnalysisProcess("live" if video else "stills")
        self.process.start()

    def detect(self, rgb: np.ndarray, timestamp_ms: int = 0, run_pose: bool = True
               ) -> Observation:
        return observation_of(rgb, self.process.ask(rgb, timestamp_ms, True, run_pose))

    def detect_faces(self, rgb: np.ndarray) -> Observation:
        return observation_of(rgb, self.process.ask(rgb, 0, True, False))

    def add_pose(self, observation: Observation, rgb: np.ndarray) -> Observation:
        from dataclasses import replace

        return replace(observation, pose=self.process.ask(rgb, 0, False, True)[1])

    def restart(self) -> None:
        self.process.restart()

    def close(self) -> None:
        self.process.stop()
