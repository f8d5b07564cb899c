"""Cold start to the first painted live-view frame on the demo camera (median of 5), and to a
loaded coach (its first result), for the bundle (dist/Catchlight) and the source tree, on a
virtual X screen. The window must stay responsive while the models load: the longest GUI
stall before the coach is ready is reported too.

Target: first frame under 3 s from the bundle, coach ready under 5 s.

Ends with one line, `target met: <figures>` or `target missed: <figures>`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import verdict  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 5))
BUNDLE = ROOT / "dist" / "Catchlight" / "Catchlight"


def start_xvfb() -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24",
                             "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        return proc, f":{pipe.readline().strip()}"


def one_start(command: list[str], display: str) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=home,
                   XDG_CONFIG_HOME=str(Path(home) / "config"), CATCHLIGHT_STARTUP_PROBE="1")
        start = time.time()
        proc = subprocess.run([*command, "--demo"], env=env, capture_output=True, text=True,
                              timeout=90, cwd=ROOT)
    marks = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    if "first-frame" not in marks:
        raise RuntimeError(f"{command[0]} showed no frame: {proc.stderr[-400:]}")
    first = float(marks["first-frame"]) - start
    coach = float(marks.get("coach-ready", "nan")) - start
    return first, coach, float(marks.get("worst-gui-stall-ms", "nan"))


def measure(command: list[str], display: str) -> tuple[float, float, float]:
    runs = [one_start(command, display) for _ in range(RUNS)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            max(r[2] for r in runs))


def main() -> int:
    if shutil.which("Xvfb") is None:
        verdict(False, "Xvfb is not installed (Debian: xvfb); nothing measured")
        return 0
    xvfb, display = start_xvfb()
    try:
        source = measure([sys.executable, "main.py"], display)
        bundle = measure([str(BUNDLE)], display) if BUNDLE.exists() else None
    finally:
        xvfb.terminate()
    print(f"cold start on the demo camera, median of {RUNS} (a virtual X screen):")
    print(f"  source tree: first frame {source[0]:.2f} s, coach ready {source[1]:.2f} s, "
          f"longest GUI stall {source[2]:.0f} ms")
    if bundle is None:
        verdict(False, f"no bundle at {BUNDLE} (run make bundle); source first frame "
                       f"{source[0]:.2f} s, coach {source[1]:.2f} s")
        return 0
    print(f"  bundle     : first frame {bundle[0]:.2f} s, coach ready {bundle[1]:.2f} s, "
          f"longest GUI stall {bundle[2]:.0f} ms")
    met = bundle[0] < 3 and bundle[1] < 5
    verdict(met, f"bundle first frame {bundle[0]:.2f} s (<3; source {source[0]:.2f} s), coach "
                 f"ready {bundle[1]:.2f} s (<5; source {source[1]:.2f} s), longest GUI stall "
                 f"while loading {bundle[2]:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
