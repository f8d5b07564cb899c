"""XMP sidecars: what we write, exiftool reads (Rating, Label); what other programs write, we
read; user text is escaped; damaged sidecars give a clear message."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from session.culling.xmp_sidecar import (
    CullMarks,
    SidecarUnreadable,
    read_sidecar,
    sidecar_path,
    write_sidecar,
)

HOSTILE_SESSION = 'Smith & Sons <"board"> \'25'


@pytest.fixture
def original(tmp_path: Path) -> Path:
    path = tmp_path / "Smith_0007.jpg"
    path.write_bytes(b"\xff\xd8\xff\xd9")
    return path


@pytest.mark.parametrize("marks", [
    CullMarks(3, "Red", 0), CullMarks(5, "", 1), CullMarks(0, "Blue", 0),
    CullMarks(0, "", -1), CullMarks(4, "Green", -1),
])
def test_round_trip(original, marks):
    """A reject keeps its stars (in Catchlight's namespace; xmp:Rating says -1)."""
    write_sidecar(original, marks, HOSTILE_SESSION)
    assert read_sidecar(original) == marks
    assert not list(original.parent.glob(".*.part"))


def test_session_name_with_markup_gives_valid_xml(original):
    import xml.etree.ElementTree as ET

    write_sidecar(original, CullMarks(2), HOSTILE_SESSION)
    text = sidecar_path(original).read_text()
    body = text[text.index("<x:xmpmeta"):text.rindex("</x:xmpmeta>") + 12]
    root = ET.fromstring(body)
    values = [v for e in root.iter() for v in e.attrib.values()]
    assert HOSTILE_SESSION in values


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_exiftool_reads_rating_and_label(original):
    write_sidecar(original, CullMarks(4, "Yellow", 1), HOSTILE_SESSION)
    out = subprocess.run(["exiftool", "-j", "-XMP:Rating", "-XMP:Label",
                          str(sidecar_path(original))], capture_output=True, text=True,
                         check=True).stdout
    data = json.loads(out)[0]
    assert data["Rating"] == 4 and data["Label"] == "Yellow"
    write_sidecar(original, CullMarks(0, "", -1))
    out = subprocess.run(["exiftool", "-j", "-XMP:Rating", str(sidecar_path(original))],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)[0]["Rating"] == -1


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_a_sidecar_edited_by_exiftool_is_read_back(original):
    write_sidecar(original, CullMarks(2, "Red", 0))
    subprocess.run(["exiftool", "-overwrite_original", "-XMP:Rating=5", "-XMP:Label=Green",
                    str(sidecar_path(original))], capture_output=True, check=True)
    assert read_sidecar(original) == CullMarks(5, "Green", 0)


def test_element_form_written_by_other_programs(original):
    sidecar_path(original).write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:Rating>3</xmp:Rating>'
        '<xmp:Label>Blue</xmp:Label></rdf:Description></rdf:RDF></x:xmpmeta>')
    assert read_sidecar(original) == CullMarks(3, "Blue", 0)


@pytest.mark.parametrize("content, fragment", [
    ("not xml at all", "not valid XMP"),
    ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><oops></x:xmpmeta>', "not valid XMP"),
    ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
     '22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
     'xmp:Rating="lots"/></rdf:RDF></x:xmpmeta>', "not a number"),
])
def test_damaged_sidecars_are_reported(original, content, fragment):
    sidecar_path(original).write_text(content)
    with pytest.raises(SidecarUnreadable) as info:
        read_sidecar(original)
    assert fragment in str(info.value) and "Smith_0007.xmp" in str(info.value)


def test_no_sidecar_is_none(original):
    assert read_sidecar(original) is None
