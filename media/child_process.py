"""Ending one of the app's own child processes (the analysis processes, the demo camera's
processor): its pipes closed, which tells it to finish, then a wait, and a kill if it does
not. On the thread that owns the child; blocks up to 10 s."""

from __future__ import annotations

import subprocess
from multiprocessing.connection import Connection

WAIT_S = 5.0


def end_child(proc: subprocess.Popen[bytes] | None, *pipes: Connection | None) -> None:
    for pipe in pipes:
        if pipe is not None:
            pipe.close()
    if proc is None:
        return
    try:
        proc.wait(WAIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(WAIT_S)
