"""What the hero frame costs the live coach. Two figures, each against the coach without a
hero frame in the same run:

- the work added per frame: the match score and the hero cues' checks in the cue engine, on
  the measurements the coach made of 60 live frames of the demo portrait (2,000 frames' worth,
  timed against the same engine without a hero frame);
- the coach's rate: the live coach (its own thread, its models) fed the demo's live frames at
  30 fps for 6 s, with and without a hero frame: states published a second.

Targets: at most 2 ms added a frame, and the coach's rate with a hero frame at least 90 % of
its rate without (the cues keep the coach's pace). Ends with one line, `target met: ...` or
`target missed: ...`.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.common import verdict  # noqa: E402
from coaching.landmarking.native_output import quiet_native_output  # noqa: E402

FRAMES = 60
REPEAT = 2000
FEED_S = 6.0


def live_frames(count: int) -> list[np.ndarray]:
    from camera.simulated.sim_scene import Scene

    scene = Scene()
    return [scene.render(1024, 683, i / 30) for i in range(count)]


def engine_cost(measured: list, profile, hero) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(ms a frame without, with the hero frame): the cue engine, and the match with it."""
    from coaching.live.cue_engine import CueEngine
    from coaching.measure.hero_match import match

    def run(aimed) -> float:  # type: ignore[no-untyped-def]
        engine = CueEngine(aimed)
        start = time.perf_counter()
        for i in range(REPEAT):
            values = measured[i % len(measured)]
            engine.update(values, i / 30)
            if aimed.hero is not None:
                match(values, aimed.hero)
        return (time.perf_counter() - start) * 1000 / REPEAT

    run(profile)
    return run(profile), run(replace(profile, hero=hero))


def coach_rate(frames: list[np.ndarray], profile) -> float:  # type: ignore[no-untyped-def]
    """States a second the live coach publishes, fed ``frames`` at 30 fps."""
    from camera.types import LiveFrame
    from coaching.live.live_coach import LiveCoach

    published = []
    ready = threading.Event()

    def heard(state) -> None:  # type: ignore[no-untyped-def]
        published.append(state.done_time)
        ready.set()

    coach = LiveCoach(profile, heard, lambda _m: None)
    coach.start()
    try:
        seq = 0
        blank = np.zeros((1, 1, 4), np.uint8)
        while not ready.is_set():                       # the models loaded
            seq += 1
            coach.on_live_frame(LiveFrame(seq, time.monotonic(), b"", frames[0], blank))
            ready.wait(1 / 30)
        published.clear()
        start = time.monotonic()
        while time.monotonic() - start < FEED_S:
            seq += 1
            coach.on_live_frame(LiveFrame(seq, time.monotonic(), b"",
                                          frames[seq % len(frames)], blank))
            time.sleep(1 / 30)
        return len([t for t in published if t >= start]) / FEED_S
    finally:
        coach.stop()


def main() -> int:
    quiet_native_output()
    from coaching.landmarking.landmarks import Landmarkers
    from coaching.measure.hero_match import hero_from
    from coaching.measure.measurements import measure
    from coaching.measure.profiles import load_profiles

    profile = load_profiles().get(None)
    frames = live_frames(FRAMES)
    models = Landmarkers(video=True)
    try:
        measured = [measure(models.detect(frame, 1000 + 33 * i)) for i, frame in
                    enumerate(frames)]
    finally:
        models.close()
    hero = hero_from(measured[0], "bench")
    assert hero is not None
    without, with_hero = engine_cost(measured, profile, hero)
    added = with_hero - without
    rate_without = coach_rate(frames, profile)
    rate_with = coach_rate(frames, replace(profile, hero=hero))
    print(f"cue engine a frame: {without:.3f} ms without a hero frame, {with_hero:.3f} ms "
          f"with it (+{added:.3f} ms)")
    print(f"live coach: {rate_without:.1f} Hz without, {rate_with:.1f} Hz with")
    met = added <= 2.0 and rate_with >= 0.9 * rate_without
    verdict(met, f"hero frame adds {added:.3f} ms a frame (needs <= 2); coach "
                 f"{rate_with:.1f} Hz with it vs {rate_without:.1f} Hz without (needs >= 90 %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
