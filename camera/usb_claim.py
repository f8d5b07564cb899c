"""Find out which program holds a camera's USB device (error -53), without touching it.

Pure Python; reads the process table only (never kills anything). Runs on whichever thread
raised the error; cheap (a scan of /proc names) and non-blocking.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Desktop services known to grab PTP cameras as soon as they are plugged in.
LINUX_HOLDERS = ("gvfsd-gphoto2", "gvfs-gphoto2-volume-monitor", "gvfsd-mtp", "kiod5", "kiod6")
MAC_HOLDERS = ("ptpcamerad", "PTPCamera", "Image Capture")


def running_process_names(proc: Path = Path("/proc")) -> set[str]:
    """Names of running processes (Linux /proc). Empty where /proc is not available."""
    names: set[str] = set()
    try:
        entries = list(proc.iterdir())
    except OSError:
        return names
    for entry in entries:
        if entry.name.isdigit():
            try:
                names.add((entry / "comm").read_text().strip())
            except OSError:
                continue
    return names


def claim_holder_message(platform: str = sys.platform,
                         names: set[str] | None = None) -> tuple[str, str]:
    """Return (holder, advice) for a -53 error on ``platform``."""
    if platform == "darwin":
        return ("ptpcamerad",
                "On macOS the system's ptpcamerad (Image Capture) grabs cameras: quit Image "
                "Capture and Photos, then run `killall ptpcamerad` in a terminal and reconnect.")
    if names is None:
        names = running_process_names() if os.path.isdir("/proc") else set()
    found = sorted(n for n in names if n in LINUX_HOLDERS)
    holder = ", ".join(found) if found else "gvfs"
    return (holder,
            f"It is most likely the desktop's gvfs camera service ({holder}), which mounts "
            "cameras for the file manager: unmount the camera in the file manager (or run "
            "`gio mount -s gphoto2`), then try again.")
