"""Issue 27 from the command line: ``shoot --person`` gives a headshot day's shots to the
person in front of the camera, ``roster --assign`` moves shots to another (a missed card),
and ``mark --label`` takes every colour the readers know, Purple included; what each wrote
is read back by exiftool and darktable."""

from __future__ import annotations

import re
from pathlib import Path

from session.culling.xmp_sidecar import read_people, read_sidecar
from tests.adversarial.helpers import image_files, run_main
from tests.metadata_readers import darktable_import, exiftool, needs_darktable, needs_exiftool


def _person(folder: Path, name: str) -> str:
    added = run_main("roster", str(folder), "--add", name)
    assert added.returncode == 0, added.stderr
    found = re.search(r"added .* \((\S+)\)", added.stdout)
    assert found, added.stdout
    return found.group(1)


@needs_exiftool
def test_shoot_for_a_person_then_give_a_shot_to_another(tmp_path):
    folder = tmp_path / "Acme day"
    first = run_main("shoot", "--count", "1", "--session", str(folder), "--camera", "demo")
    assert first.returncode == 0, first.stderr
    ana, li = _person(folder, "Ana Ruiz"), _person(folder, "Li Wei")
    shot = run_main("shoot", "--count", "2", "--session", str(folder), "--camera", "demo",
                    "--person", ana)
    assert shot.returncode == 0, shot.stderr
    ours = [Path(line.split("  ")[0]) for line in shot.stdout.splitlines()]
    assert len(ours) == 2 and all(read_people(p) == ["Ana Ruiz"] for p in ours)
    moved = run_main("roster", str(folder), "--assign", li, ours[1].name)
    assert moved.returncode == 0, moved.stderr
    assert "1 shot(s) now Li Wei's" in moved.stdout
    assert re.search(rf"{ana}\tAna Ruiz\t\t1 shot", moved.stdout)
    assert re.search(rf"{li}\tLi Wei\t\t1 shot", moved.stdout)
    tags = exiftool(ours[1].with_suffix(".xmp"))
    assert tags["XMP-iptcExt:PersonInImage"] in ("Li Wei", ["Li Wei"])
    assert tags["XMP-lr:HierarchicalSubject"] in ("People|Li Wei", ["People|Li Wei"])
    assert read_people(ours[0]) == ["Ana Ruiz"]
    unknown = run_main("shoot", "--count", "1", "--session", str(folder), "--camera", "demo",
                       "--person", "nobody-7")
    assert unknown.returncode == 2 and "nobody-7" in unknown.stderr
    assert len(image_files(folder)) == 3                      # nothing taken for nobody
    missing = run_main("roster", str(folder), "--assign", li, "not_a_shot.jpg")
    assert missing.returncode == 1 and "not_a_shot.jpg is not a shot" in missing.stderr


@needs_darktable
def test_mark_purple_reads_purple_everywhere(tmp_path):
    folder = tmp_path / "Purple"
    made = run_main("shoot", "--count", "1", "--session", str(folder), "--camera", "demo")
    assert made.returncode == 0, made.stderr
    (picture,) = image_files(folder)
    marked = run_main("mark", str(folder), picture.name, "--label", "purple", "--rating", "2")
    assert marked.returncode == 0, marked.stderr
    assert "★★ Purple" in marked.stdout
    assert read_sidecar(picture).label == "Purple"
    assert exiftool(picture.with_suffix(".xmp"))["XMP-xmp:Label"] == "Purple"
    assert darktable_import(picture, tmp_path).labels == ("Purple",)
    refused = run_main("mark", str(folder), picture.name, "--label", "Orange")
    assert refused.returncode == 2 and "Purple" in refused.stderr
