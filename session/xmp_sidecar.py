"""XMP sidecars for ratings that travel: ``<stem>.xmp`` beside the original (a RAW+JPEG pair
shares one), with xmp:Rating (-1 = rejected, the Lightroom and darktable convention),
xmp:Label and Catchlight's own pick flag and session name. Written atomically; read back
tolerantly (attribute or element form, as other programs write them).

Pure Python (ElementTree escapes all text); any thread; small file I/O.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "catchlight": "urn:catchlight:xmp:1.0",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)
LABELS = ("", "Red", "Yellow", "Green", "Blue", "Purple")


@dataclass(frozen=True)
class CullMarks:
    rating: int = 0        # -1 rejected, 0 unrated, 1..5 stars
    label: str = ""        # "", Red, Yellow, Green, Blue, Purple
    pick: int = 0          # 1 picked, 0 unflagged, -1 rejected


def sidecar_path(original: Path) -> Path:
    return original.with_suffix(".xmp")


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def write_sidecar(original: Path, marks: CullMarks, session_name: str = "") -> Path:
    """Write (atomically: temporary file, fsync, rename) the sidecar for ``original``."""
    root = ET.Element(_q("x", "xmpmeta"), {_q("x", "xmptk"): "Catchlight"})
    rdf = ET.SubElement(root, _q("rdf", "RDF"))
    description = ET.SubElement(rdf, _q("rdf", "Description"), {_q("rdf", "about"): ""})
    rating = -1 if marks.pick == -1 else marks.rating
    description.set(_q("xmp", "Rating"), str(rating))
    if marks.label:
        description.set(_q("xmp", "Label"), marks.label)
    description.set(_q("catchlight", "Pick"), str(marks.pick))
    if session_name:
        description.set(_q("catchlight", "Session"), session_name)
    body = ET.tostring(root, encoding="unicode")
    text = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body
            + '\n<?xpacket end="w"?>\n')
    target = sidecar_path(original)
    temp = target.with_name(f".{target.name}.part")
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, target)
    return target


class SidecarUnreadable(ValueError):
    """The sidecar is not XMP we can read; the message names the file."""


def _value(description: ET.Element, prefix: str, name: str) -> str | None:
    attribute = description.get(_q(prefix, name))
    if attribute is not None:
        return attribute
    element = description.find(f"{prefix}:{name}", NS)
    return element.text.strip() if element is not None and element.text else None


def read_sidecar(original: Path) -> CullMarks | None:
    """The marks in ``original``'s sidecar; None when there is none. Raises
    SidecarUnreadable for a damaged file."""
    path = sidecar_path(original)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SidecarUnreadable(f"{path.name}: cannot be read ({exc.strerror})") from exc
    start = text.find("<x:xmpmeta")
    end = text.rfind("</x:xmpmeta>")
    if start < 0 or end < 0:
        raise SidecarUnreadable(f"{path.name}: no XMP packet found")
    try:
        root = ET.fromstring(text[start:end + len("</x:xmpmeta>")])
    except ET.ParseError as exc:
        raise SidecarUnreadable(f"{path.name}: not valid XMP ({exc})") from exc
    rating, label, pick = 0, "", 0
    for description in root.iter(_q("rdf", "Description")):
        raw_rating = _value(description, "xmp", "Rating")
        if raw_rating is not None:
            try:
                rating = max(-1, min(5, round(float(raw_rating))))
            except ValueError as exc:
                raise SidecarUnreadable(f"{path.name}: Rating {raw_rating!r} is not a number"
                                        ) from exc
        label = _value(description, "xmp", "Label") or label
        raw_pick = _value(description, "catchlight", "Pick")
        if raw_pick in ("-1", "0", "1"):
            pick = int(raw_pick)
    if rating == -1:
        pick = -1
    elif pick == -1:
        pick = 0  # another program un-rejected it
    return CullMarks(rating, label if label in LABELS else "", pick)
