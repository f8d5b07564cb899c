"""Helpers for the adversarial tests: shots as the camera delivers them, and running a piece
of Catchlight as an ordinary user would (as root, file permissions are otherwise ignored:
the child drops the capabilities that bypass them)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from camera.types import CameraFile, CaptureTarget, DownloadedFile, DownloadedShot

ROOT = Path(__file__).resolve().parents[2]
BYPASS_CAPS = "-dac_override,-dac_read_search,-fowner,-linux_immutable"


def shot_of(*names: str, folder: str = "/DCIM/100", seed: bytes = b"") -> DownloadedShot:
    files = []
    for name in names:
        data = b"\xff\xd8" + os.urandom(4096) + seed + name.encode("utf-8", "replace") \
            + b"\xff\xd9"
        files.append(DownloadedFile(CameraFile(folder, name, len(data)), data,
                                    hashlib.sha256(data).hexdigest()))
    return DownloadedShot(tuple(files), time.time(), "Nikon DSC D750", CaptureTarget.CARD)


def as_user_prefix() -> list[str]:
    """The command prefix that makes a child obey file permissions ([] when not root)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        import pytest

        pytest.skip("running as root without setpriv: file permissions cannot be enforced")
    return [setpriv, f"--bounding-set={BYPASS_CAPS}"]


def run_python(code: str, *args: str, as_user: bool = False, timeout: float = 120,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter at the project root (``sys.argv[1:]`` = args)."""
    prefix = as_user_prefix() if as_user else []
    return subprocess.run([*prefix, sys.executable, "-c", code, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def run_main(*args: str, as_user: bool = False, timeout: float = 120
             ) -> subprocess.CompletedProcess:
    prefix = as_user_prefix() if as_user else []
    return subprocess.run([*prefix, sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def image_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".nef")
                  and not p.name.startswith("."))
