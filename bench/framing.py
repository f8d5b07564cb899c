"""Analysis of a 24 MP still when the face is small (a full-length framing, the face at 8 % of
the height): the head found through the pose model, then the face model on a crop around it,
against the analysis of the same portrait framed as a headshot (the face at 20 %, found by the
face model directly) in the same run. The demo's portrait (its shoulders are in the frame,
for the pose model), set into a 6000 x 4000 frame with its edges replicated. Median of 7
analyses each, after one warm-up.

Live view: the live coach's models (VIDEO mode) on 1024 x 683 frames of the same portrait with
its face at 12 % of the height (found at the head the pose model sees) against 20 % (found
directly), 60 frames each: the models' rate.

Targets: the small-face analysis at most 1.5x the headshot's (the pose path); the live models
at 12 % at least 12 Hz (the coach's loaded target) and finding the face in every frame.
Ends with one line, `target met: <figures>` or `target missed: <figures>`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from bench.common import verdict  # noqa: E402
from coaching.landmarking.native_output import quiet_native_output  # noqa: E402
from tests.framing import set_into_frame  # noqa: E402

RUNS = 7


def timed(call, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    quiet_native_output()
    from coaching.landmarking.landmarks import Landmarkers
    from coaching.measure.profiles import load_profiles
    from coaching.stills.analysis import analyze_image
    from resources.locate import resource_path

    models = Landmarkers(video=False)
    profile = load_profiles().get(None)
    source = resource_path("demo/astronaut.png")
    face = analyze_image(source, models, profile).measurements.face_height
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name, target in (("headshot", 0.20), ("full length", 0.08)):
            canvas = set_into_frame(source, face, target)
            assert canvas is not None
            paths[name] = Path(folder) / f"{name}.jpg"
            Image.fromarray(canvas).save(paths[name], quality=90)
        found = {name: analyze_image(path, models, profile).faces
                 for name, path in paths.items()}
        seconds = {name: timed(lambda p=path: analyze_image(p, models, profile))
                   for name, path in paths.items()}
    models.close()
    live = Landmarkers(video=True)
    rates, seen = {}, {}
    for target in (0.20, 0.12):
        frame = set_into_frame(source, face, target, frame=(1024, 683))
        assert frame is not None
        stamp = 0
        start = time.perf_counter()
        hits = 0
        for _ in range(60):
            stamp += 40
            hits += bool(live.landmarks(frame, stamp, True, False)[0])
        rates[target] = 60 / (time.perf_counter() - start)
        seen[target] = hits
    live.close()
    ratio = seconds["full length"] / seconds["headshot"]
    print("analysis of a 24 MP still (median of 7), the demo portrait set into a 6000 x 4000 "
          "frame:")
    for name in paths:
        print(f"  {name:12s}: {seconds[name] * 1000:.0f} ms, faces found {found[name]}")
    for target in rates:
        print(f"  live models, face at {target:.0%}: {rates[target]:.1f} Hz, face in "
              f"{seen[target]}/60 frames")
    verdict(ratio <= 1.5 and found["full length"] == 1 and rates[0.12] >= 12
            and seen[0.12] == 60,
            f"full length {seconds['full length'] * 1000:.0f} ms vs headshot "
            f"{seconds['headshot'] * 1000:.0f} ms (ratio {ratio:.2f}, needs <= 1.50); live at "
            f"12 % {rates[0.12]:.1f} Hz vs 20 % {rates[0.2]:.1f} Hz (needs >= 12), face in "
            f"{seen[0.12]}/60 frames")
    return 0


if __name__ == "__main__":
    sys.exit(main())
