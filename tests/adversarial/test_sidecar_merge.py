"""Issue cases 3 and 10: rewriting a sidecar never deletes other programs' data (Lightroom's
develop settings, keywords and rights, Capture One's IPTC, darktable's history: everything
exiftool reads stays identical but the rating and label), and no write follows a planted
link out of the session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from session.culling.culling import Culler
from session.culling.xmp_sidecar import CullMarks, read_sidecar
from session.store.catalog import CatalogDamaged, open_catalog
from tests.adversarial.helpers import run_main

SAMPLES = Path(__file__).parent / "sidecars"
EXIFTOOL = shutil.which("exiftool")
OURS = ("XMP-xmp:Rating", "XMP-xmp:Label", "XMP-digiKam:PickLabel", "XMP-digiKam:ColorLabel",
        "XMP-darktable:Colorlabels")
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed "
                                    "(Debian: libimage-exiftool-perl); it is the reader "
                                    "the other programs' fields are checked with")


def everything(path: Path) -> dict:
    """Every tag exiftool reads from a sidecar, but the file system's and exiftool's own."""
    out = subprocess.run([EXIFTOOL, "-j", "-G1", "-a", "-struct", str(path)],
                         capture_output=True, text=True, check=True).stdout
    tags = json.loads(out)[0]
    return {k: v for k, v in tags.items()
            if not k.startswith(("System:", "ExifTool:", "SourceFile"))}


def foreign(tags: dict) -> dict:
    return {k: v for k, v in tags.items()
            if k not in OURS and not k.startswith("XMP-catchlight:")}


@needs_exiftool
@pytest.mark.parametrize("sample, keys, stars, label, flag", [
    ("lightroom.xmp", ["4", "x"], 4, "Red", -1),
    ("captureone.xmp", ["6", "p"], 5, "Red", 1),
    ("darktable.xmp", ["3", "7", "x", "u"], 3, "Yellow", 0),
])
def test_other_programs_fields_survive_our_marks(tmp_path, sample, keys, stars, label, flag):
    original = tmp_path / "Smith_0001.nef"
    original.write_bytes(b"II*\0raw")
    sidecar = original.with_suffix(".xmp")
    shutil.copy(SAMPLES / sample, sidecar)
    before = everything(sidecar)
    culler = Culler(tmp_path, "Smith", {original.name: original})
    for key in keys:
        culler.press(original.name, key)
    culler.close()
    after = everything(sidecar)
    assert foreign(after) == foreign(before)            # develop settings, keywords, history
    assert after["XMP-xmp:Rating"] == (-1 if flag == -1 else stars)
    assert after.get("XMP-xmp:Label") == label
    assert read_sidecar(original) == CullMarks(stars, label, flag)
    text = sidecar.read_text(encoding="utf-8")
    raw = (SAMPLES / sample).read_text(encoding="utf-8")
    assert text.startswith("<?xpacket") == raw.startswith("<?xpacket")   # the wrapper stays
    assert ('<?xpacket end="w"?>' in text) == ('<?xpacket end="w"?>' in raw)
    assert not list(tmp_path.glob("*.damaged-*"))


@needs_exiftool
def test_darktable_history_is_intact_entry_by_entry(tmp_path):
    original = tmp_path / "DSC_0001.nef"
    sidecar = original.with_suffix(".xmp")
    shutil.copy(SAMPLES / "darktable.xmp", sidecar)
    culler = Culler(tmp_path, "S", {original.name: original})
    culler.press(original.name, "5")
    culler.close()
    out = subprocess.run([EXIFTOOL, "-j", "-struct", "-XMP-darktable:History",
                          str(sidecar)], capture_output=True, text=True, check=True).stdout
    history = json.loads(out)[0]["History"]
    assert [h["Operation"] for h in history] == ["exposure", "filmicrgb", "colorbalancergb"]
    assert history[2]["Multi_name"] == "skin"


def test_a_damaged_sidecar_is_kept_beside_not_overwritten(tmp_path):
    original = tmp_path / "a.jpg"
    sidecar = original.with_suffix(".xmp")
    sidecar.write_bytes(b"<x:xmpmeta half written by another progr")
    culler = Culler(tmp_path, "S", {original.name: original})
    assert culler.problems                                # reported at open
    culler.press(original.name, "2")
    culler.close()
    (kept,) = tmp_path.glob("a.xmp.damaged-*")
    assert kept.read_bytes() == b"<x:xmpmeta half written by another progr"
    assert read_sidecar(original) == CullMarks(2)


def test_a_planted_link_is_never_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    session = tmp_path / "session"
    session.mkdir()
    original = session / "a.jpg"
    original.write_bytes(b"\xff\xd8\xff\xd9")
    # the old, predictable temporary names, and the sidecar itself, as links out
    for name in (".a.xmp.part", ".catchlight-a.xmp.part"):
        (session / name).symlink_to(outside)
    culler = Culler(session, "S", {"a.jpg": original})
    culler.press("a.jpg", "3")
    assert outside.read_text() == "precious"
    assert read_sidecar(original) == CullMarks(3)
    (session / "a.xmp").unlink()
    (session / "a.xmp").symlink_to(outside)
    culler.press("a.jpg", "4")
    culler.close()
    assert outside.read_text() == "precious"
    assert os.path.islink(session / "a.xmp")
    assert any("link" in p for p in culler.problems)


def test_catalog_side_files_planted_as_links_are_refused(tmp_path):
    (tmp_path / "elsewhere").write_bytes(b"")
    (tmp_path / "catalog.sqlite-wal").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(CatalogDamaged, match="link"):
        open_catalog(tmp_path / "catalog.sqlite", "")


@needs_exiftool
def test_the_mark_command_merges_too(tmp_path):
    (tmp_path / "Smith_0001.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    shutil.copy(SAMPLES / "lightroom.xmp", tmp_path / "Smith_0001.xmp")
    before = everything(tmp_path / "Smith_0001.xmp")
    assert run_main("mark", str(tmp_path), "Smith_0001.jpg", "--pick").returncode == 0
    assert foreign(everything(tmp_path / "Smith_0001.xmp")) == foreign(before)
