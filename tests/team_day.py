"""Builds a headshot-day session for tests and benchmarks: catalogued shots (tests.
sample_session), a roster of ``people``, each shot given to its person, stored analyses whose
framing and light vary like a real day's (a few people framed off the house line), one pick
per person except the last few, and a house look."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from session.culling.culling_store import CullingStore
from session.culling.xmp_sidecar import CullMarks
from session.people.house_look import HouseLook
from session.people.house_look_store import HouseLookStore
from session.people.roster import Person
from session.people.roster_store import RosterStore
from session.store.analysis_store import AnalysisStore
from tests.sample_session import make_session

HOUSE = HouseLook(0.38, 0.30, 0.0, 0.5, -0.5, 1.2, -1.0, "the approved shot")


def make_team_day(folder: Path, people: int, shots_each: int, without_pick: int = 2,
                  off_line: tuple[int, ...] = (1,), size: tuple[int, int] = (900, 600)
                  ) -> list[Person]:
    paths = make_session(folder, people * shots_each, size=size, name="Team day")
    roster = [Person(f"E-{i:03d}", f"Person {i:03d}", dept="Sales" if i % 2 else "IT")
              for i in range(people)]
    rng = np.random.default_rng(3)
    store = RosterStore(folder)
    analyses = AnalysisStore(folder)
    try:
        store.import_people(roster)
        for i, path in enumerate(paths):
            person = i // shots_each
            store.assign(path.name, roster[person].id)
            eye = HOUSE.eye_line + (0.06 if person in off_line else 0.0) + rng.normal(0, 0.004)
            values = {"eye_line": eye, "face_height": HOUSE.face_height * rng.normal(1, 0.015),
                      "face_center_x": 0.5 + rng.normal(0, 0.005),
                      "head_roll_deg": rng.normal(0, 0.8),
                      "face_exposure_ev": rng.normal(-0.5, 0.6),
                      "lighting_ratio_stops": 1.2 + rng.normal(0, 0.05),
                      "backdrop_ev": -1.0 + rng.normal(0, 0.05)}
            analyses.save(path.name, {"ok": True, "eyes": [0.5, eye], "flags": [],
                                      "measurements": values}, [])
    finally:
        store.close()
        analyses.close()
    culling = CullingStore(folder)
    try:
        culling.set_many([(paths[person * shots_each + min(1, shots_each - 1)].name,
                           CullMarks(rating=4, pick=1), 1_795_000_000.0, "")
                          for person in range(people - without_pick)])
    finally:
        culling.close()
    looks = HouseLookStore(folder)
    looks.set(HOUSE)
    looks.close()
    return roster
