"""A headshot day's person in the XMP sidecar, as Lightroom, darktable and exiftool read it:
IPTC Extension PersonInImage and a dc:subject keyword, merged into whatever other programs
wrote (their keywords, develop settings, history) and kept when the marks change; a
reassigned shot loses only its earlier person."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from session.culling.xmp_sidecar import (
    CullMarks,
    read_people,
    read_sidecar,
    sidecar_path,
    write_person,
    write_sidecar,
)

SAMPLES = Path(__file__).parent / "adversarial" / "sidecars"
needs_exiftool = pytest.mark.skipif(shutil.which("exiftool") is None,
                                    reason="exiftool not installed")


def exiftool(path: Path, *tags: str) -> dict:
    out = subprocess.run(["exiftool", "-j", *tags, str(path)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)[0]


def as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("sample", ["lightroom.xmp", "darktable.xmp", "captureone.xmp"])
def test_the_person_joins_other_programs_data_and_marks_keep_it(tmp_path, sample):
    original = tmp_path / "Team_0001.jpg"
    original.write_bytes(b"\xff\xd8\xff\xd9")
    shutil.copy(SAMPLES / sample, sidecar_path(original))
    before = sidecar_path(original).read_text()
    write_person(original, "Zoë O'Brien")
    write_sidecar(original, CullMarks(4, "Green", 1), "Team")
    text = sidecar_path(original).read_text()
    assert read_people(original) == ["Zoë O'Brien"]
    assert read_sidecar(original) == CullMarks(4, "Green", 1)
    # Every other program's namespace declaration is still there.
    for declaration in [part.split("=")[0] for part in before.split() if
                        part.startswith("xmlns:")]:
        assert declaration in text, declaration


@needs_exiftool
def test_exiftool_reads_the_person_and_the_keywords_and_a_reassignment(tmp_path):
    original = tmp_path / "Team_0002.jpg"
    original.write_bytes(b"\xff\xd8\xff\xd9")
    shutil.copy(SAMPLES / "lightroom.xmp", sidecar_path(original))
    keywords = as_list(exiftool(sidecar_path(original), "-XMP-dc:Subject").get("Subject", []))
    write_person(original, "Hanako Yamada")
    tags = exiftool(sidecar_path(original), "-XMP-iptcExt:PersonInImage", "-XMP-dc:Subject")
    assert as_list(tags["PersonInImage"]) == ["Hanako Yamada"]
    assert as_list(tags["Subject"]) == [*keywords, "Hanako Yamada"]
    write_person(original, "Bo Berg", previous="Hanako Yamada")       # a card was missed
    tags = exiftool(sidecar_path(original), "-XMP-iptcExt:PersonInImage", "-XMP-dc:Subject")
    assert as_list(tags["PersonInImage"]) == ["Bo Berg"]
    assert as_list(tags["Subject"]) == [*keywords, "Bo Berg"]


@needs_exiftool
def test_a_new_sidecar_with_a_person_only(tmp_path):
    original = tmp_path / "Team_0003.jpg"
    original.write_bytes(b"\xff\xd8\xff\xd9")
    write_person(original, "Jean-Pierre <Dupont> & Fils")
    tags = exiftool(sidecar_path(original), "-XMP-iptcExt:PersonInImage")
    assert tags["PersonInImage"] == "Jean-Pierre <Dupont> & Fils"
