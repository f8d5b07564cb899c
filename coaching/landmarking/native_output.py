"""Keep MediaPipe's, TensorFlow Lite's and absl's own messages ("Created TensorFlow Lite
XNNPACK delegate", "Sparsity tensors may not yet be fully supported", ...) off the user's
terminal. Those libraries write to file descriptors 1 and 2 from C++, below Python's
sys.stdout: the descriptors are pointed at a log file while Python's own output keeps the
terminal. Where the log lives: ``$XDG_STATE_HOME/Catchlight/`` (``~/.local/state``).

Call once, early, on the main thread (before the models load); any thread may log after.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

NATIVE_LOG = "native.log"
QUIET_ENV = {"GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "3", "ABSL_MIN_LOG_LEVEL": "2"}


def log_folder() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "Catchlight"


def quiet_native_output(log_name: str = NATIVE_LOG) -> Path | None:
    """Send what C++ libraries write to fds 1 and 2 to ``log_folder()/log_name`` (truncated
    each time); sys.stdout and sys.stderr stay on the terminal. Returns the log's path, or None
    when the folder cannot be written (then nothing changes)."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / log_name
        log_fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    except OSError:
        return None
    for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
        keep = os.dup(fd)                       # the terminal, for Python's own output
        os.dup2(log_fd, fd)
        replacement = os.fdopen(keep, "w", buffering=1,
                                encoding=getattr(stream, "encoding", None) or "utf-8",
                                errors="backslashreplace")
        if fd == 1:
            sys.stdout = replacement
        else:
            sys.stderr = replacement
    os.close(log_fd)
    return path
