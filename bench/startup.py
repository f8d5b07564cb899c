"""Cold start to the first painted live-view frame on the demo camera (median of 5), and to a
loaded coach (its first result), for the bundle (dist/Catchlight) and the source tree, on a
virtual X screen; the source tree also with the models in the GUI process (the old way,
CATCHLIGHT_COACH_IN_PROCESS=1) as the baseline measured in the same run. The window must stay
responsive while the models load: the longest GUI stall before the coach is ready is
reported (from the window's first paint; and once live view runs), and the memory of all the
app's processes once the coach is ready.

Targets: first frame under 3 s from the bundle, coach ready under 5 s; first frame and coach
ready from the source tree no later than the in-process baseline (0.15 s of run-to-run
noise allowed); longest GUI stall during start-up under 50 ms.

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
from dataclasses import dataclass
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


NOISE_S = 0.15


@dataclass(frozen=True)
class Start:
    first_frame: float
    coach_ready: float
    first_paint_ms: float
    stall_ms: float
    live_stall_ms: float
    memory_mb: float

    def line(self) -> str:
        return (f"first frame {self.first_frame:.2f} s, coach ready {self.coach_ready:.2f} s, "
                f"window shown to painted {self.first_paint_ms:.0f} ms, longest GUI stall "
                f"{self.stall_ms:.0f} ms (with live view running {self.live_stall_ms:.0f} ms), "
                f"memory {self.memory_mb:.0f} MB")


def one_start(command: list[str], display: str, in_process: bool) -> Start:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=home,
                   XDG_CONFIG_HOME=str(Path(home) / "config"),
                   XDG_STATE_HOME=str(Path(home) / "state"), CATCHLIGHT_STARTUP_PROBE="1")
        env.pop("CATCHLIGHT_COACH_IN_PROCESS", None)
        if in_process:
            env["CATCHLIGHT_COACH_IN_PROCESS"] = "1"
        start = time.time()
        proc = subprocess.run([*command, "--demo"], env=env, capture_output=True, text=True,
                              timeout=90, cwd=ROOT)
    marks = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    if "first-frame" not in marks:
        raise RuntimeError(f"{command[0]} showed no frame: {proc.stderr[-400:]}")
    return Start(float(marks["first-frame"]) - start,
                 float(marks.get("coach-ready", "nan")) - start,
                 float(marks.get("first-paint-ms", "nan")),
                 float(marks.get("worst-gui-stall-ms", "nan")),
                 float(marks.get("worst-live-stall-ms", "nan")),
                 float(marks.get("memory-mb", "nan")))


def measure(command: list[str], display: str, in_process: bool = False) -> Start:
    """Median times, the worst stall and the largest memory over RUNS cold starts."""
    runs = [one_start(command, display, in_process) for _ in range(RUNS)]
    return Start(statistics.median(r.first_frame for r in runs),
                 statistics.median(r.coach_ready for r in runs),
                 statistics.median(r.first_paint_ms for r in runs),
                 max(r.stall_ms for r in runs), max(r.live_stall_ms for r in runs),
                 max(r.memory_mb for r in runs))


def main() -> int:
    from coaching.landmarking.native_output import quiet_native_output

    quiet_native_output("bench-startup.log")   # the libraries' chatter
    if shutil.which("Xvfb") is None:
        verdict(False, "Xvfb is not installed (Debian: xvfb); nothing measured")
        return 0
    xvfb, display = start_xvfb()
    try:
        baseline = measure([sys.executable, "main.py"], display, in_process=True)
        source = measure([sys.executable, "main.py"], display)
        bundle = measure([str(BUNDLE)], display) if BUNDLE.exists() else None
    finally:
        xvfb.terminate()
    print(f"cold start on the demo camera, median of {RUNS} (a virtual X screen):")
    print(f"  source tree, models in the GUI process (baseline): {baseline.line()}")
    print(f"  source tree, analysis processes                 : {source.line()}")
    if bundle is None:
        verdict(False, f"no bundle at {BUNDLE} (run make bundle); source first frame "
                       f"{source.first_frame:.2f} s, coach {source.coach_ready:.2f} s")
        return 0
    print(f"  bundle, analysis processes                      : {bundle.line()}")
    checks = [
        (f"bundle first frame {bundle.first_frame:.2f} s (<3)", bundle.first_frame < 3),
        (f"coach ready {bundle.coach_ready:.2f} s (<5)", bundle.coach_ready < 5),
        (f"source first frame {source.first_frame:.2f} s (baseline "
         f"{baseline.first_frame:.2f} s)", source.first_frame <= baseline.first_frame + NOISE_S),
        (f"source coach ready {source.coach_ready:.2f} s (baseline "
         f"{baseline.coach_ready:.2f} s)", source.coach_ready <= baseline.coach_ready + NOISE_S),
        (f"longest GUI stall {max(source.stall_ms, bundle.stall_ms):.0f} ms (<50; baseline "
         f"{baseline.stall_ms:.0f} ms)", max(source.stall_ms, bundle.stall_ms) < 50),
        (f"memory {source.memory_mb:.0f} MB (baseline {baseline.memory_mb:.0f} MB)", True),
    ]
    verdict(all(ok for _text, ok in checks), "; ".join(text for text, _ok in checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
