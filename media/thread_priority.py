"""Background work yields the cores to live view: a thread lowers its own scheduling priority
(Linux: each thread has its own nice value; elsewhere nothing changes). Called by the thread
itself, first thing (a pool's initializer, a thread's run). Any thread."""

from __future__ import annotations

import contextlib
import os
import threading

LIVE = 0            # painting, live view, the coach's own thread
BACKGROUND = 10     # backup copies, thumbnails for later, the demo camera's processor


def lower_this_thread(niceness: int = BACKGROUND) -> None:
    """Make the calling thread ``niceness`` steps less urgent (never more urgent)."""
    if niceness <= 0 or not hasattr(os, "setpriority"):
        return
    with contextlib.suppress(OSError):
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, max(current, niceness))
