"""Regions of a picture in the Metadata Working Group's standard (``mwg-rs:Regions``), which
Lightroom, digiKam, Immich and exiftool read for people: one region per measured face
(Type Face, the person's name on the main face when known) and the photographer's retouch
notes (a point, with the note as the region's description).

Areas are normalised to the picture as shown (its Orientation applied), centre x/y with
width and height, with ``AppliedToDimensions`` in pixels. Catchlight's own regions carry
``catchlight:Region`` (face or note); regions another program wrote are kept as they were.

Pure Python; any thread; microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from xml.dom import Node, minidom

from session.culling import xmp_packet
from session.culling.xmp_conventions import CATCHLIGHT, read_people

MWG_RS = "http://www.metadataworkinggroup.com/schemas/regions/"
ST_AREA = "http://ns.adobe.com/xmp/sType/Area#"
ST_DIM = "http://ns.adobe.com/xap/1.0/sType/Dimensions#"
RDF = xmp_packet.RDF
NOTE_SIZE = 0.04                  # a note pins a point; its box is this much of the width


@dataclass(frozen=True)
class Region:
    kind: str                     # "face" or "note" (Catchlight's); "" another program's
    x: float                      # centre, 0..1 of the picture's width as shown
    y: float
    w: float
    h: float
    name: str = ""
    description: str = ""


def face_regions(boxes: list[tuple[float, float, float, float]]) -> list[Region]:
    """Regions of measured faces from (left, top, width, height) boxes, main face first."""
    return [Region("face", left + w / 2, top + h / 2, w, h) for left, top, w, h in boxes]


def note_region(x: float, y: float, text: str, number: int) -> Region:
    return Region("note", x, y, NOTE_SIZE, NOTE_SIZE, f"Retouch note {number}", text)


def _field(item: minidom.Element, namespace: str, name: str) -> str | None:
    """A structure field, in attribute or element form."""
    if item.hasAttributeNS(namespace, name):
        return item.getAttributeNS(namespace, name)
    for child in item.childNodes:
        if child.nodeType == Node.ELEMENT_NODE and child.namespaceURI == namespace \
                and child.localName == name:
            return "".join(n.data for n in child.childNodes
                           if n.nodeType == Node.TEXT_NODE).strip()
    return None


def _structure(element: minidom.Element) -> minidom.Element:
    """Where a structure's fields stand: the element itself (rdf:parseType="Resource" or
    attributes) or its rdf:Description."""
    for child in element.childNodes:
        if child.nodeType == Node.ELEMENT_NODE and child.namespaceURI == RDF \
                and child.localName == "Description":
            return child
    return element


def _regions_element(document: minidom.Document) -> minidom.Element | None:
    found = document.getElementsByTagNameNS(MWG_RS, "Regions")
    return found[0] if found else None


def _items(regions: minidom.Element) -> list[minidom.Element]:
    lists = _structure(regions).getElementsByTagNameNS(MWG_RS, "RegionList")
    if not lists:
        return []
    return [li for li in lists[0].getElementsByTagNameNS(RDF, "li")
            if li.parentNode is not None and li.parentNode.parentNode is lists[0]]


def _number(item: minidom.Element, name: str) -> float:
    areas = _structure(item).getElementsByTagNameNS(MWG_RS, "Area")
    if not areas:
        return 0.0
    try:
        return float(_field(_structure(areas[0]), ST_AREA, name) or 0.0)
    except ValueError:
        return 0.0


def read_regions(document: minidom.Document) -> list[Region]:
    regions = _regions_element(document)
    if regions is None:
        return []
    found = []
    for item in _items(regions):
        fields = _structure(item)
        x, y, w, h = (_number(item, n) for n in ("x", "y", "w", "h"))
        found.append(Region(_field(fields, CATCHLIGHT, "Region") or "", x, y, w, h,
                            _field(fields, MWG_RS, "Name") or "",
                            _field(fields, MWG_RS, "Description") or ""))
    return found


def _text_element(document: minidom.Document, namespace: str, qname: str,
                  value: str) -> minidom.Element:
    element = document.createElementNS(namespace, qname)
    element.appendChild(document.createTextNode(value))
    return element


def _region_item(document: minidom.Document, region: Region, prefixes: dict[str, str]
                 ) -> minidom.Element:
    rdf, mwg, area_p, own = (prefixes[k] for k in (RDF, MWG_RS, ST_AREA, CATCHLIGHT))
    item = document.createElementNS(RDF, f"{rdf}:li")
    item.setAttributeNS(RDF, f"{rdf}:parseType", "Resource")
    area = document.createElementNS(MWG_RS, f"{mwg}:Area")
    area.setAttributeNS(RDF, f"{rdf}:parseType", "Resource")
    for name, value in (("x", region.x), ("y", region.y), ("w", region.w), ("h", region.h)):
        area.appendChild(_text_element(document, ST_AREA, f"{area_p}:{name}",
                                       f"{min(1.0, max(0.0, value)):.4f}"))
    area.appendChild(_text_element(document, ST_AREA, f"{area_p}:unit", "normalized"))
    item.appendChild(area)
    if region.kind == "face":
        item.appendChild(_text_element(document, MWG_RS, f"{mwg}:Type", "Face"))
    if region.name:
        item.appendChild(_text_element(document, MWG_RS, f"{mwg}:Name", region.name))
    if region.description:
        item.appendChild(_text_element(document, MWG_RS, f"{mwg}:Description",
                                       region.description))
    item.appendChild(_text_element(document, CATCHLIGHT, f"{own}:Region", region.kind))
    return item


def _without_layout(element: minidom.Element) -> None:
    """Drop the line breaks between ``element``'s child elements, all the way down."""
    elements = [c for c in element.childNodes if c.nodeType == Node.ELEMENT_NODE]
    if not elements:
        return
    for child in list(element.childNodes):
        if child.nodeType == Node.TEXT_NODE and not child.data.strip():
            element.removeChild(child)
    for child in elements:
        _without_layout(child)


def write_regions(document: minidom.Document, ours: list[Region], kinds: tuple[str, ...],
                  size: tuple[int, int] | None) -> None:
    """Replace Catchlight's regions of ``kinds`` with ``ours`` (the main face named after the
    person in the picture); other programs' regions and Catchlight's other kinds stay."""
    existing = _regions_element(document)
    kept: list[minidom.Element] = []
    if existing is not None:
        kept = [item for item in _items(existing)
                if (_field(_structure(item), CATCHLIGHT, "Region") or "") not in kinds]
        dims = _structure(existing).getElementsByTagNameNS(MWG_RS, "AppliedToDimensions")
        if size is None and dims:
            fields = _structure(dims[0])
            try:
                size = (int(float(_field(fields, ST_DIM, "w") or 0)),
                        int(float(_field(fields, ST_DIM, "h") or 0)))
            except ValueError:
                size = None
        xmp_packet.remove_laid_out(existing)
    people = read_people(document)
    named, faces = [], 0
    for region in ours:
        if region.kind == "face":     # the main face is the person's; others are unknown
            region = replace(region, name=people[-1] if people and faces == 0 else "")
            faces += 1
        named.append(region)
    ours = named
    if not ours and not kept:
        return
    target = xmp_packet.descriptions(document)[0]
    regions = xmp_packet.new_element(document, target, MWG_RS, "Regions", "mwg-rs")
    prefixes = {RDF: regions.prefix or "rdf"}
    for namespace, preferred in ((RDF, "rdf"), (ST_AREA, "stArea"), (ST_DIM, "stDim"),
                                 (CATCHLIGHT, "catchlight")):
        prefix, declare = xmp_packet.prefix_for(target, namespace, preferred)
        if declare:
            target.setAttributeNS(xmp_packet.XMLNS, f"xmlns:{prefix}", namespace)
        prefixes[namespace] = prefix
    prefixes[MWG_RS] = regions.prefix or "mwg-rs"
    rdf = prefixes[RDF]
    regions.setAttributeNS(RDF, f"{rdf}:parseType", "Resource")
    if size and size[0] > 0 and size[1] > 0:
        dims_element = document.createElementNS(MWG_RS, f"{prefixes[MWG_RS]}:AppliedToDimensions")
        dims_element.setAttributeNS(RDF, f"{rdf}:parseType", "Resource")
        for name, value in (("w", str(size[0])), ("h", str(size[1])), ("unit", "pixel")):
            dims_element.appendChild(_text_element(document, ST_DIM,
                                                   f"{prefixes[ST_DIM]}:{name}", value))
        regions.appendChild(dims_element)
    region_list = document.createElementNS(MWG_RS, f"{prefixes[MWG_RS]}:RegionList")
    bag = document.createElementNS(RDF, f"{rdf}:Bag")
    for item in kept:
        _without_layout(item)                    # laid out again with the rest
        bag.appendChild(item)
    for region in ours:
        bag.appendChild(_region_item(document, region, prefixes))
    region_list.appendChild(bag)
    regions.appendChild(region_list)
    xmp_packet.append_laid_out(document, target, regions)


def rename_main_face(document: minidom.Document) -> None:
    """The main face's region takes the name of the person now in the picture."""
    regions = read_regions(document)
    ours = [r for r in regions if r.kind == "face"]
    if ours:
        write_regions(document, ours, ("face",), None)
