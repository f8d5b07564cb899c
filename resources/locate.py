"""Find bundled resources both from the source tree and from a frozen (PyInstaller) build.

Pure Python, any thread, non-blocking.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent


def resource_path(relative: str) -> Path:
    return resources_root() / relative
