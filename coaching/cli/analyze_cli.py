"""``python main.py analyze PATH... [--profile NAME] [--json]``: the capture analysis on any
images or folders. Command line only; blocks while it works."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from coaching.landmarking.landmarks import Landmarkers
from coaching.landmarking.models import ModelUnavailable
from coaching.measure.cues import MAX_SHOWN
from coaching.measure.face_meter import face_meter
from coaching.measure.profiles import load_profiles
from coaching.stills.analysis import AnalysisResult, analyze_image
from media.file_kinds import is_image_name


def expand(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file()
                              and is_image_name(p.name))
        else:
            yield path


def describe(result: AnalysisResult) -> str:
    if not result.ok:
        return f"{result.file}: ERROR {result.error}"
    m = result.measurements
    parts = [f"{result.faces} face(s)"]
    if m.head_yaw_deg is not None:
        parts.append(f"yaw {m.head_yaw_deg:+.0f}° pitch {m.head_pitch_deg:+.0f}° "
                     f"roll {m.head_roll_deg:+.0f}°")
        parts.append(f"smile {m.smile:.2f}")
    meter = face_meter(m)
    if meter:
        parts.append(meter)
    if result.flags:
        parts.append("flags: " + ", ".join(result.flags))
    if result.cues:
        parts.append("cues: " + "; ".join(c.text for c in result.cues))
    return f"{result.file}: " + " | ".join(parts)


def run_analyze(paths: list[Path], profile_name: str | None, as_json: bool,
                out: TextIO = sys.stdout, err: TextIO = sys.stderr,
                all_cues: bool = False) -> int:
    """``all_cues`` False: at most MAX_SHOWN cues per image, the most urgent, as the live
    coach shows them."""
    profiles = load_profiles()
    for problem in profiles.problems:
        print(f"warning: {problem}", file=err)
    if profile_name and profiles.find(profile_name) is None:
        print(f"Unknown profile {profile_name!r}; choose from "
              f"{', '.join(profiles.profiles)} (any case)", file=err)
        return 2
    profile = profiles.get(profile_name)
    try:
        landmarkers = Landmarkers(video=False)
    except ModelUnavailable as exc:
        print(str(exc), file=err)
        return 2
    failed = 0
    try:
        for path in expand(paths):
            result = analyze_image(path, landmarkers, profile)
            if not all_cues:
                result = replace(result, cues=result.cues[:MAX_SHOWN])
            failed += not result.ok
            print(json.dumps(result.as_json()) if as_json else describe(result), file=out,
                  flush=True)
    finally:
        landmarkers.close()
    return 1 if failed else 0
