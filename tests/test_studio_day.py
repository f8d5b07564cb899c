"""A whole studio day in the real window on a virtual X server with two screens (see
tests/studio_day_run.py for the day and what is checked afterwards). Skipped where Xvfb is
not installed (.ci/run installs it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fuzz.tally import LINES

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(1200)              # the day runs in its own pytest, with its own deadline
def test_a_studio_day_in_the_real_window(xvfb_display, tmp_path):
    env = dict(os.environ, DISPLAY=xvfb_display, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-s",
                           "--basetemp", str(tmp_path / "day"),
                           str(ROOT / "tests" / "studio_day_run.py")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, (proc.stdout[-6000:], proc.stderr[-2000:])
    assert "1 passed" in proc.stdout
    LINES.extend(line for line in proc.stdout.splitlines() if line.startswith("studio day:"))
