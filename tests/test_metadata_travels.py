"""Issue 27: a shot rejected, starred, labelled and given a person in Catchlight reads the same
in exiftool, exiv2, darktable and digiKam's conventions, and after exiv2 (digiKam, Gwenview)
rewrites the sidecar Catchlight still reads its own marks, without a second prefix."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from session.culling.xmp_sidecar import (
    CullMarks,
    darktable_sidecar_path,
    read_people,
    read_regions,
    read_sidecar,
    sidecar_path,
    write_face_regions,
    write_person,
    write_sidecar,
)
from tests.metadata_readers import (
    darktable_import,
    darktable_rewrites,
    exiftool,
    exiv2_set,
    exiv2_values,
    needs_darktable,
    needs_exiftool,
    needs_exiv2,
)

SAMPLES = Path(__file__).parent / "adversarial" / "sidecars"
OLD_FORM = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:catchlight="urn:catchlight:xmp:1.0"
 xmp:Rating="-1" catchlight:Pick="-1" catchlight:Rating="3" catchlight:Session="Acme"/>
</rdf:RDF></x:xmpmeta>
"""


@pytest.fixture
def picture(tmp_path) -> Path:
    path = tmp_path / "Acme_0007.jpg"
    Image.new("RGB", (300, 200), (120, 110, 100)).save(path, quality=80)
    return path


def as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


@needs_exiv2
@pytest.mark.parametrize("marks", [CullMarks(3, "Green", -1), CullMarks(4, "Purple", 1),
                                   CullMarks(2, "", 0)])
def test_exiv2_rewrites_keep_catchlights_marks_and_one_prefix(picture, marks):
    write_sidecar(picture, marks, "Acme")
    write_person(picture, "Ana Ruiz")
    exiv2_set(sidecar_path(picture), "set Xmp.dc.title lang=x-default Rewritten by exiv2")
    assert read_sidecar(picture) == marks            # the pick and a reject's stars survive
    assert read_people(picture) == ["Ana Ruiz"]
    write_sidecar(picture, marks, "Acme")
    text = sidecar_path(picture).read_text()
    assert "catchlight2" not in text and text.count('xmlns:catchlight="') == 1
    values = exiv2_values(sidecar_path(picture))
    assert values["Xmp.catchlight.Pick"] == str(marks.pick)
    assert values["Xmp.dc.title"].endswith("Rewritten by exiv2")


@needs_exiv2
def test_a_sidecar_in_the_namespace_before_the_slash_is_read_and_moved_on(picture):
    sidecar_path(picture).write_text(OLD_FORM)
    assert read_sidecar(picture) == CullMarks(3, "", -1)
    exiv2_set(sidecar_path(picture), "set Xmp.xmp.Label Blue")   # exiv2 adds its slash
    assert read_sidecar(picture, CullMarks(3, "", -1)) == CullMarks(3, "Blue", -1)
    write_sidecar(picture, CullMarks(3, "Blue", -1), "Acme")
    text = sidecar_path(picture).read_text()
    assert 'urn:catchlight:xmp:1.0"' not in text and "catchlight2" not in text
    assert read_sidecar(picture) == CullMarks(3, "Blue", -1)


@needs_darktable
@pytest.mark.parametrize("marks, rejected, stars", [
    (CullMarks(3, "Green", -1), True, 0), (CullMarks(4, "Red", 1), False, 4),
    (CullMarks(0, "Purple", 0), False, 0)])
def test_darktable_reads_the_reject_the_stars_the_label_and_the_person(
        picture, tmp_path, marks, rejected, stars):
    shutil.copy(SAMPLES / "lightroom.xmp", sidecar_path(picture))   # keywords of Lightroom's
    write_sidecar(picture, marks, "Acme")
    write_person(picture, "Ana Ruiz")
    seen = darktable_import(picture, tmp_path)
    assert seen.rejected is rejected
    if not rejected:
        assert seen.stars == stars
    assert seen.labels == (marks.label,)
    assert "People|Ana Ruiz" in seen.tags
    keywords = as_list(exiftool(SAMPLES / "lightroom.xmp", "-XMP-dc:Subject")["XMP-dc:Subject"])
    assert set(keywords) <= set(seen.tags)        # Lightroom's keywords are not lost


@needs_darktable
def test_darktables_own_sidecar_keeps_its_history_and_takes_the_marks(picture, tmp_path):
    own = darktable_sidecar_path(picture)
    shutil.copy(SAMPLES / "darktable.xmp", own)
    history = exiftool(own, "-XMP-darktable:History")["XMP-darktable:History"]
    write_sidecar(picture, CullMarks(5, "Yellow", -1), "Acme")
    assert exiftool(own, "-XMP-darktable:History")["XMP-darktable:History"] == history
    seen = darktable_import(picture, tmp_path)
    assert seen.rejected and seen.labels == ("Yellow",)


@needs_exiftool
def test_digikam_and_lightroom_conventions_and_a_digikam_edit_read_back(picture):
    write_sidecar(picture, CullMarks(2, "Blue", -1), "Acme")
    write_person(picture, "Zoë O'Brien")
    tags = exiftool(sidecar_path(picture))
    assert tags["XMP-digiKam:PickLabel"] == 1                  # rejected
    assert tags["XMP-digiKam:ColorLabel"] == 5                 # blue
    assert as_list(tags["XMP-digiKam:TagsList"]) == ["People/Zoë O'Brien"]
    assert as_list(tags["XMP-lr:HierarchicalSubject"]) == ["People|Zoë O'Brien"]
    assert tags["XMP-xmp:Rating"] == -1
    # digiKam accepts it (PickLabel 3) and keeps the stars: Catchlight reads a pick.
    subprocess.run(["exiftool", "-overwrite_original", "-XMP-digiKam:PickLabel=3",
                    str(sidecar_path(picture))], check=True, capture_output=True)
    assert read_sidecar(picture, CullMarks(2, "Blue", -1)).pick == 1


@needs_exiftool
def test_a_reassignment_moves_every_keyword_form(picture):
    write_person(picture, "Ana Ruiz")
    write_person(picture, "Li Wei", previous="Ana Ruiz")
    tags = exiftool(sidecar_path(picture))
    for key, value in (("XMP-iptcExt:PersonInImage", "Li Wei"),
                       ("XMP-dc:Subject", "Li Wei"),
                       ("XMP-lr:HierarchicalSubject", "People|Li Wei"),
                       ("XMP-digiKam:TagsList", "People/Li Wei")):
        assert as_list(tags[key]) == [value], key
    darktable_side = exiftool(darktable_sidecar_path(picture))
    assert as_list(darktable_side["XMP-iptcExt:PersonInImage"]) == ["Li Wei"]


DIGIKAM_REGION = """<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:RegionList>
     <rdf:Bag>
      <rdf:li>
       <rdf:Description mwg-rs:Name="Grandma Rose" mwg-rs:Type="Face">
        <mwg-rs:Area stArea:x="0.8" stArea:y="0.3" stArea:w="0.1" stArea:h="0.15"
          stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>
     </rdf:Bag>
    </mwg-rs:RegionList>
   </mwg-rs:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""


@needs_exiftool
@needs_exiv2
def test_face_regions_name_the_person_follow_a_reassignment_and_keep_other_regions(picture):
    sidecar_path(picture).write_text(DIGIKAM_REGION)
    write_face_regions(picture, [(0.30, 0.20, 0.20, 0.30), (0.05, 0.5, 0.08, 0.12)],
                       (300, 200))
    write_person(picture, "Ana Ruiz")
    write_person(picture, "Li Wei", previous="Ana Ruiz")
    write_sidecar(picture, CullMarks(3, "", 1), "Acme")          # marks keep the regions
    info = exiftool(sidecar_path(picture), "-XMP-mwg-rs:RegionInfo")["XMP-mwg-rs:RegionInfo"]
    assert info["AppliedToDimensions"] == {"W": 300, "H": 200, "Unit": "pixel"}
    regions = info["RegionList"]
    assert [r.get("Name") for r in regions] == ["Grandma Rose", "Li Wei", None]
    main = regions[1]
    assert main["Type"] == "Face"
    assert main["Area"] == {"X": 0.4, "Y": 0.35, "W": 0.2, "H": 0.3, "Unit": "normalized"}
    exiv2_set(sidecar_path(picture), "set Xmp.dc.title lang=x-default exiv2 was here")
    assert [r.name for r in read_regions(picture)] == ["Grandma Rose", "Li Wei", ""]
    assert read_sidecar(picture) == CullMarks(3, "", 1)


@needs_exiftool
def test_a_capture_gets_its_face_region_from_the_coach(app_factory, qtbot):
    app = app_factory(session="Regions", analyse=True)
    with qtbot.waitSignal(app.parts.capture.capture_analysed, timeout=30000) as analysed:
        app.controller.capture()
    result = analysed.args[0].result
    path = app.session.folder / analysed.args[0].key
    assert result.faces >= 1
    (region, *_others) = read_regions(path)
    left, top, width, height = result.face_boxes[0]
    assert region.kind == "face"
    assert abs(region.x - (left + width / 2)) < 1e-3 and abs(region.h - height) < 1e-3
    info = exiftool(sidecar_path(path), "-XMP-mwg-rs:RegionInfo")["XMP-mwg-rs:RegionInfo"]
    assert info["AppliedToDimensions"]["W"] == result.width
    assert info["RegionList"][0]["Type"] == "Face" if isinstance(info["RegionList"], list) \
        else info["RegionList"]["Type"] == "Face"


@needs_exiftool
@needs_exiv2
def test_a_delivered_headshot_carries_person_credit_and_caption_inside(tmp_path):
    from media.decode.jpeg_export import Credit
    from session.delivery.deliver import DeliverItem, DeliverOptions, deliver
    from session.people.house_look import HouseLook

    source = tmp_path / "day" / "Acme_0001.jpg"
    source.parent.mkdir()
    Image.new("RGB", (1200, 1500), (150, 130, 120)).save(source, quality=90)
    item = DeliverItem(source, {"eye_line": 0.4, "face_height": 0.3, "face_center_x": 0.5},
                       "Fernando García-López", "p7", (0.5, 0.4))
    options = DeliverOptions(tmp_path / "out", credit=Credit("Maria López", "© 2026 Studio M"),
                             headline="Acme Corp leadership", caption="Board portrait, 2026")
    report = deliver([item], HouseLook(0.4, 0.3), options)
    (delivered,) = report.written
    tags = exiftool(delivered, "-XMP:All", "-IPTC:All")
    assert as_list(tags["XMP-iptcExt:PersonInImage"]) == ["Fernando García-López"]
    assert as_list(tags["XMP-dc:Creator"]) == ["Maria López"]
    assert tags["XMP-dc:Rights"] == "© 2026 Studio M"
    assert tags["XMP-photoshop:Headline"] == "Acme Corp leadership"
    assert tags["XMP-dc:Description"] == "Board portrait, 2026"
    assert tags["IPTC:By-line"] == "Maria López"
    assert tags["IPTC:CopyrightNotice"] == "© 2026 Studio M"
    assert as_list(tags["IPTC:Keywords"]) == ["Fernando García-López"]
    assert "XMP-xmp:Rating" not in tags            # the photographer's marks stay at home
    values = exiv2_values(delivered)
    assert values["Xmp.iptcExt.PersonInImage"] == "Fernando García-López"
    with Image.open(delivered) as image:          # still a picture, EXIF credit kept too
        image.load()
        assert image.size[0] * 5 == image.size[1] * 4


@needs_exiftool
def test_an_exported_jpeg_carries_the_marks_and_the_person(tmp_path_factory, picture):
    from media.decode.jpeg_export import Credit
    from session.delivery.export import ExportOptions, export_shots
    from session.model.live_session import Shot

    write_person(picture, "Ana Ruiz")
    shot = Shot(picture.name, picture, (picture.name,), 1, 0.0, "k",
                marks=CullMarks(4, "Purple", 1))
    options = ExportOptions(tmp_path_factory.mktemp("export"), originals=False, jpeg=True,
                            credit=Credit("Maria López", "© Studio M"))
    report = export_shots([shot], "Acme", options)
    (exported,) = report.written
    tags = exiftool(exported, "-XMP:All")
    assert tags["XMP-xmp:Rating"] == 4 and tags["XMP-xmp:Label"] == "Purple"
    assert as_list(tags["XMP-iptcExt:PersonInImage"]) == ["Ana Ruiz"]
    assert as_list(tags["XMP-dc:Creator"]) == ["Maria López"]


@pytest.mark.skipif(shutil.which("darktable") is None, reason="darktable not installed")
def test_after_darktable_rewrites_its_sidecar_catchlight_reads_the_same_and_darktable_the_next(
        picture, tmp_path, xvfb_display):
    marks = CullMarks(3, "Green", -1)
    write_sidecar(picture, marks, "Acme")
    write_person(picture, "Ana Ruiz")
    written = darktable_rewrites(picture, tmp_path, xvfb_display)
    assert b"XMP Core" in written and b"darktable:history" in written    # darktable's own
    assert read_sidecar(picture, marks) == marks and read_sidecar(picture) == marks
    assert read_people(picture) == ["Ana Ruiz"]
    history = exiftool(darktable_sidecar_path(picture), "-XMP-darktable:History")
    write_sidecar(picture, CullMarks(4, "Blue", 1), "Acme")      # the next change
    assert exiftool(darktable_sidecar_path(picture), "-XMP-darktable:History") == history
    seen = darktable_import(picture, tmp_path)
    assert not seen.rejected and seen.stars == 4 and seen.labels == ("Blue",)


@pytest.mark.parametrize("sample", ["lightroom.xmp", "captureone.xmp", "darktable.xmp"])
def test_other_programs_sidecars_stay_byte_for_byte_outside_catchlights_fields(
        tmp_path, sample):
    """Marks, a person and a reassignment merged into a real program's sidecar: every line
    of the original is still there, in order and byte for byte, but the lines of the
    properties Catchlight writes (a changed rating or label, a start tag's closing where
    Catchlight's attributes join it)."""
    import difflib

    original = tmp_path / "Smith_0001.nef"
    original.write_bytes(b"II*\0raw")
    shutil.copy(SAMPLES / sample, sidecar_path(original))
    before = sidecar_path(original).read_text(encoding="utf-8").splitlines()
    write_sidecar(original, CullMarks(4, "Red", -1), "Smith")
    write_person(original, "Ana Ruiz")
    write_person(original, "Li Wei", previous="Ana Ruiz")
    write_sidecar(original, CullMarks(4, "Red", 1), "Smith")
    after = sidecar_path(original).read_text(encoding="utf-8").splitlines()
    ours = ("xmp:Rating", "xmp:Label", "<rdf:li>", "</rdf:Bag>", "<rdf:Bag>", "dc:subject",
            "Iptc4xmpExt", ">")
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, before, after).get_opcodes():
        if tag in ("replace", "delete"):
            for line in before[i1:i2]:
                assert any(word in line for word in ours), f"{sample}: changed {line!r}"
    kept = sum(1 for line in before if line in after)
    assert kept >= len(before) - 3, f"{sample}: {len(before) - kept} lines changed"
