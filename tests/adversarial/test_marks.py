"""Issue case 2: a reject never wipes the stars; Catchlight's own sidecar is never taken for
another program's edit, so U sticks; no filter hides a shot that Clear filters cannot bring
back; the suggested best frame is never a rejected one. And the ``mark`` command."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from session.culling.culling import Culler, CullFilter
from session.culling.culling_store import CullingStore
from session.culling.xmp_sidecar import CullMarks, read_sidecar
from session.review.bursts import ShotFacts, group_bursts
from tests.adversarial.helpers import run_main

EXIFTOOL = shutil.which("exiftool")


@pytest.fixture
def shots(tmp_path: Path):
    folder = tmp_path / "Smith"
    folder.mkdir()
    names = [f"Smith_{i:04d}.jpg" for i in (1, 2, 3)]
    for name in names:
        (folder / name).write_bytes(b"\xff\xd8\xff\xd9")
    return folder, {n: folder / n for n in names}


def reopen(folder: Path, originals: dict[str, Path]) -> Culler:
    time.sleep(0.02)         # the sidecar is newer than the catalog's change
    return Culler(folder, "Smith", originals)


def test_four_stars_then_reject_keeps_the_stars_and_unflag_sticks(shots):
    folder, originals = shots
    culler = Culler(folder, "Smith", originals)
    culler.press("Smith_0001.jpg", "4")
    culler.press("Smith_0001.jpg", "x")
    culler.close()
    store = CullingStore(folder)
    assert store.marks()["Smith_0001.jpg"][0] == CullMarks(4, "", -1)     # in the catalog
    store.close()
    text = originals["Smith_0001.jpg"].with_suffix(".xmp").read_text()
    assert 'xmp:Rating="-1"' in text and 'catchlight:Rating="4"' in text
    culler = reopen(folder, originals)
    assert culler.conflicts == []                     # our own sidecar is recognised
    assert culler.marks("Smith_0001.jpg") == CullMarks(4, "", -1)
    culler.press("Smith_0001.jpg", "u")
    culler.close()
    for _ in range(2):                                # U sticks across opens
        culler = reopen(folder, originals)
        assert culler.marks("Smith_0001.jpg") == CullMarks(4, "", 0)
        culler.close()
    assert read_sidecar(originals["Smith_0001.jpg"]) == CullMarks(4, "", 0)


def test_a_lightroom_reject_of_a_starred_shot_keeps_its_stars(shots):
    folder, originals = shots
    culler = Culler(folder, "Smith", originals)
    culler.press("Smith_0002.jpg", "3")
    culler.close()
    sidecar = originals["Smith_0002.jpg"].with_suffix(".xmp")
    time.sleep(0.02)
    sidecar.write_text(sidecar.read_text().replace('xmp:Rating="3"', 'xmp:Rating="-1"'))
    culler = reopen(folder, originals)
    assert culler.conflicts == ["Smith_0002.jpg"]
    assert culler.marks("Smith_0002.jpg") == CullMarks(3, "", -1)
    culler.close()


def test_no_filter_hides_a_rejected_shot_once_cleared():
    rejected = CullMarks(4, "", -1)
    assert CullFilter().accepts(rejected)                        # the default and "Clear"
    assert CullFilter(min_rating=0).accepts(CullMarks(0, "", -1))
    assert CullFilter(min_rating=4).accepts(rejected)            # stars still count


def test_the_suggested_best_frame_is_never_a_rejected_one():
    facts = [ShotFacts(f"s{i}.jpg", 100.0 + i, {"eye_sharpness": sharp, "head_yaw_deg": 0.0})
             for i, sharp in enumerate((0.2, 0.9, 0.5))]
    (burst,) = group_bursts(facts)
    assert burst.best == "s1.jpg"
    (burst,) = group_bursts(facts, rejected={"s1.jpg"})
    assert burst.best == "s2.jpg"
    (burst,) = group_bursts(facts, rejected={"s0.jpg", "s1.jpg", "s2.jpg"})
    assert burst.best == ""


def test_legacy_catalogs_with_a_reject_stored_as_minus_one_open_as_rejects(tmp_path):
    import sqlite3

    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    db.execute("CREATE TABLE culling (name TEXT PRIMARY KEY, pick INTEGER NOT NULL DEFAULT 0, "
               "changed_at REAL NOT NULL, rating INTEGER NOT NULL DEFAULT 0, "
               "label TEXT NOT NULL DEFAULT '')")
    db.execute("INSERT INTO culling VALUES ('a.jpg', -1, 1.0, -1, '')")
    db.commit()
    db.close()
    store = CullingStore(tmp_path)
    assert store.marks()["a.jpg"][0] == CullMarks(0, "", -1)
    store.close()


@pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed (Debian: "
                    "libimage-exiftool-perl); it reads the sidecars back")
def test_the_mark_command_marks_like_the_keys(shots):
    folder, originals = shots
    proc = run_main("mark", str(folder), "Smith_0001.jpg", str(originals["Smith_0002.jpg"]),
                    "--rating", "4", "--reject", "--label", "Green")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["Smith_0001.jpg: rejected ★★★★ Green",
                                        "Smith_0002.jpg: rejected ★★★★ Green"]

    def exif(name: str) -> dict:
        out = subprocess.run([EXIFTOOL, "-j", "-XMP:Rating", "-XMP:Label",
                              str(folder / name)], capture_output=True, text=True).stdout
        return json.loads(out)[0]

    assert exif("Smith_0001.xmp") == {"SourceFile": str(folder / "Smith_0001.xmp"),
                                      "Rating": -1, "Label": "Green"}
    proc = run_main("mark", str(folder), "Smith_0001.jpg", "--unflag", "--label", "none")
    assert proc.stdout.strip() == "Smith_0001.jpg: ★★★★"
    assert exif("Smith_0001.xmp")["Rating"] == 4 and "Label" not in exif("Smith_0001.xmp")
    bad = run_main("mark", str(folder), "Nobody.jpg", "--pick")
    assert bad.returncode == 1 and "not a shot of this session" in bad.stderr
    assert run_main("mark", str(folder), "Smith_0001.jpg", "--rating", "9").returncode == 2
