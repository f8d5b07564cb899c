"""N captures from libgphoto2's virtual camera through ``main.py shoot`` (atomic write, fsync,
SHA-256 verification, verified backup copy, catalog) against the same N through one gphoto2
CLI process repeating --capture-image-and-download, with a 24 MP JPEG in the camera.

Per-shot cost is the marginal one, (T(N) - T(1)) / (N - 1), so process start-up cancels out.
Target: no slower per shot than the CLI.

Ends with one line, `target met: <figures>` or `target missed: <figures>`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import make_24mp_jpeg, verdict  # noqa: E402

N = int(os.environ.get("BENCH_SHOTS", 20))
REPEATS = 3


def vusb_folder() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("gphoto2")
    assert spec and spec.origin
    return Path(spec.origin).parent / "libgphoto2" / "vusb"


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed: {proc.stderr[-500:]}")
    return elapsed


def ours(count: int, env: dict[str, str], work: Path, backup_too: bool = True) -> float:
    session, backup = work / f"ours_{count}", work / f"backup_{count}"
    shutil.rmtree(session, ignore_errors=True)
    shutil.rmtree(backup, ignore_errors=True)
    cmd = [sys.executable, str(ROOT / "main.py"), "shoot", "--count", str(count), "--session",
           str(session), *(["--backup", str(backup)] if backup_too else [])]
    elapsed = timed(cmd, env, ROOT)
    stored = [p for p in session.iterdir() if p.suffix == ".jpg"]
    assert len(stored) == count
    if backup_too:
        assert len([p for p in backup.rglob("*.jpg") if p.is_file()]) == count
    return elapsed


def ours_without_backup(count: int, env: dict[str, str], work: Path) -> float:
    return ours(count, env, work, backup_too=False)


def durable_copies(count: int, data: bytes, work: Path, copies: int = 2) -> float:
    """Seconds to write ``copies`` fsync'd copies of ``data`` ``count`` times on this disk:
    the floor a verified backup on the same disk cannot go under."""
    folder = work / "floor"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    start = time.perf_counter()
    for index in range(count * copies):
        fd = os.open(folder / f"{index}.jpg", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    elapsed = time.perf_counter() - start
    shutil.rmtree(folder)
    return elapsed


def cli(count: int, env: dict[str, str], work: Path) -> float:
    out = work / f"cli_{count}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    cli_env = dict(env, IOLIBS=str(vusb_folder()))
    cmd = ["gphoto2", *["--capture-image-and-download"] * count, "--filename",
           str(out / "%n.%C")]
    elapsed = timed(cmd, cli_env, out)
    assert len(list(out.iterdir())) == count
    return elapsed


RUNS = (("ours", ours), ("alone", ours_without_backup), ("cli", cli))


def marginal(env: dict[str, str], work: Path) -> dict[str, float]:
    """Marginal seconds per shot for ours (with the backup), ours alone (no backup) and the
    CLI. Runs alternate, after one warm-up of each, so all meet the same page cache and
    memory state; the best of REPEATS counts."""
    times: dict[tuple[str, int], list[float]] = {}
    for _name, run in RUNS:
        run(N, env, work)  # warm-up: imports, driver load, fresh page-cache memory
    for _ in range(REPEATS):
        for count in (1, N):
            for name, run in RUNS:
                times.setdefault((name, count), []).append(run(count, env, work))
    return {name: (min(times[(name, N)]) - min(times[(name, 1)])) / (N - 1)
            for name, _run in RUNS}


def main() -> int:
    if shutil.which("gphoto2") is None:
        verdict(False, "the gphoto2 CLI is not installed (Debian package gphoto2); no baseline")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        camera_dir = work / "vcamera"
        camera_dir.mkdir()
        picture = make_24mp_jpeg(camera_dir / "portrait.jpg")
        size = picture.stat().st_size / 1e6
        env = dict(os.environ, VCAMERADIR=str(camera_dir))
        per_shot = marginal(env, work)
        floor_s = min(durable_copies(N, picture.read_bytes(), work)
                      for _ in range(REPEATS)) / N
    ours_s, alone_s, cli_s = per_shot["ours"], per_shot["alone"], per_shot["cli"]
    ratio = cli_s / ours_s
    print(f"{N} shots of a {size:.1f} MB 24 MP JPEG from libgphoto2's virtual camera, "
          f"marginal seconds per shot (best of {REPEATS}):")
    print(f"  gphoto2 CLI --capture-image-and-download : {cli_s:.3f} s")
    print(f"  catchlight shoot (+fsync, verify, catalog; no backup): "
          f"{alone_s:.3f} s  ({cli_s / alone_s:.2f}x the CLI's speed)")
    print(f"  catchlight shoot (+fsync, verify, verified backup, catalog): "
          f"{ours_s:.3f} s  ({ratio:.2f}x the CLI's speed)")
    print(f"  this disk's floor for two fsync'd copies of a shot (no camera at all): "
          f"{floor_s:.3f} s")
    verdict(ours_s <= cli_s, f"{ours_s:.3f} s/shot vs CLI {cli_s:.3f} s/shot "
                             f"(ratio {ratio:.2f}, needs >= 1.00)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
