"""The analysis process: the only place MediaPipe runs in the app. Started by
coaching.landmarking.analysis_process as ``main.py --analysis-server KIND IN_FD OUT_FD`` (the
bundle's own executable in a frozen app). It loads the models once, then answers requests read
from IN_FD: pixels arrive in shared memory (named in the request), the raw landmarks go back on
OUT_FD as small records. KIND 'live' runs VIDEO-mode models (nice 5); 'stills' runs IMAGE-mode
models for captures and older shots (nice 10), so painting, then live coaching, come first.
Messages are data only (coaching.landmarking.landmark_wire), never pickles.

Its own output (the libraries' chatter) goes to the native log, never to the terminal. One
thread; exits when the parent closes the pipe or asks it to.
"""

from __future__ import annotations

import contextlib
import os
import sys
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection
from multiprocessing.shared_memory import SharedMemory

import numpy as np

from coaching.landmarking.landmark_wire import (
    WireError,
    decode_request,
    encode_landmarks,
    encode_ready,
)

# Below the app's own threads: under contention painting and the camera come first, then
# live coaching, then captures and older shots.
NICENESS = {"live": 5, "stills": 10}


def _attach(name: str) -> SharedMemory:
    memory = SharedMemory(name=name)
    # Python 3.11 tracks attached segments too and would unlink the parent's at our exit.
    with contextlib.suppress(AttributeError, KeyError, ValueError):
        resource_tracker.unregister(memory._name, "shared_memory")  # type: ignore[attr-defined]
    return memory


def serve(kind: str, in_fd: int, out_fd: int) -> int:
    """The analysis process's main loop; returns its exit status."""
    from coaching.landmarking.native_output import quiet_native_output

    quiet_native_output(f"analysis-{kind}.log")
    with contextlib.suppress(OSError):
        os.nice(NICENESS.get(kind, 10))
    inbox = Connection(in_fd, writable=False)
    outbox = Connection(out_fd, readable=False)
    from coaching.landmarking.landmarks import Landmarkers
    from coaching.landmarking.models import ModelUnavailable

    try:
        landmarkers = Landmarkers(video=kind == "live")
    except ModelUnavailable as exc:
        outbox.send_bytes(encode_ready(str(exc)))
        return 0
    outbox.send_bytes(encode_ready())
    memories: dict[str, SharedMemory] = {}
    try:
        while True:
            try:
                request = decode_request(inbox.recv_bytes())
            except (EOFError, OSError, WireError):
                return 0
            memory = memories.get(request.memory)
            if memory is None:
                for old in memories.values():
                    old.close()
                memories = {request.memory: _attach(request.memory)}
                memory = memories[request.memory]
            rgb = np.ndarray(request.shape, np.uint8, buffer=memory.buf)
            try:
                found = landmarkers.landmarks(rgb, request.timestamp_ms, request.faces,
                                              request.pose)
            finally:
                del rgb                      # no view may outlive the segment
            outbox.send_bytes(encode_landmarks(found))
    finally:
        landmarkers.close()
        for memory in memories.values():
            memory.close()


def main(argv: list[str]) -> int:
    kind, in_fd, out_fd = argv[0], int(argv[1]), int(argv[2])
    return serve(kind, in_fd, out_fd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
