"""``python main.py analyze PATH... [--profile NAME] [--json] [--hero FILE]``: the capture
analysis on any images or folders. Command line only; blocks while it works."""

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
from coaching.measure.hero_match import hero_from
from coaching.measure.profiles import StyleProfile, load_profiles
from coaching.stills.analysis import AnalysisResult, analyze_image
from media.file_kinds import is_image_name
from session.people.hero_frame import HeroFrame


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
    if result.match is not None:
        said = "; ".join(d.text for d in result.match.differences[:MAX_SHOWN])
        parts.append(f"match {result.match.score}" + (f": {said}" if said else ""))
    return f"{result.file}: " + " | ".join(parts)


def read_hero(path: Path, landmarkers: Landmarkers, profile: StyleProfile
              ) -> HeroFrame | str:
    """The hero frame of ``path``, or why it cannot be one."""
    result = analyze_image(path, landmarkers, profile)
    if not result.ok:
        return f"The hero frame {path} could not be read: {result.error}"
    hero = hero_from(result.measurements, str(path))
    return hero if hero is not None else f"No face was measured in the hero frame {path}."


def run_analyze(paths: list[Path], profile_name: str | None, as_json: bool,
                out: TextIO = sys.stdout, err: TextIO = sys.stderr,
                all_cues: bool = False, hero: Path | None = None) -> int:
    """``all_cues`` False: at most MAX_SHOWN cues per image, the most urgent, as the live
    coach shows them. ``hero``: score each image against this hero frame."""
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
        if hero is not None:
            chosen = read_hero(hero, landmarkers, profile)
            if isinstance(chosen, str):
                print(chosen, file=err)
                return 2
            profile = replace(profile, hero=chosen)
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
