"""Marks and people in the words of each program that reads sidecars after Catchlight:

- everyone: ``xmp:Rating`` (-1 rejected, as Lightroom, darktable and Bridge write it) and
  ``xmp:Label`` (the colour's name);
- digiKam: ``digiKam:PickLabel`` (1 rejected, 2 pending, 3 accepted), ``digiKam:ColorLabel``
  (1 red, 3 yellow, 4 green, 5 blue, 6 magenta) and ``digiKam:TagsList`` ("People/Name");
- darktable: ``darktable:colorlabels`` (0 red … 4 purple) in its own ``<file>.<ext>.xmp``;
- Lightroom: ``lr:hierarchicalSubject`` ("People|Name"), which darktable reads too;
- Catchlight's own namespace (the pick, the stars a reject keeps, the session).

Writing sets every convention in step; reading takes, for each mark, the first convention
that says something other than the catalog's marks (another program changed it there).
Values another program set that Catchlight has no word for (digiKam's "pending", an orange
label) are left alone. Pure Python; any thread; microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.dom import minidom

from session.culling import xmp_packet

XMP = "http://ns.adobe.com/xap/1.0/"
DC = "http://purl.org/dc/elements/1.1/"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
LIGHTROOM = "http://ns.adobe.com/lightroom/1.0/"
DIGIKAM = "http://www.digikam.org/ns/1.0/"
DARKTABLE = "http://darktable.sf.net/"
# exiv2 (digiKam, darktable, Gwenview, GIMP) only keeps a namespace URI that ends in "/" or
# "#": it rewrote the first one with a slash, so Catchlight now writes that form and reads both.
CATCHLIGHT = "urn:catchlight:xmp:1.0/"
CATCHLIGHT_BEFORE_SLASH = "urn:catchlight:xmp:1.0"
LABELS = ("", "Red", "Yellow", "Green", "Blue", "Purple")
DIGIKAM_COLOURS = {"Red": 1, "Yellow": 3, "Green": 4, "Blue": 5, "Purple": 6}
DIGIKAM_PICKS = {1: -1, 3: 1, 0: 0}          # PickLabel -> pick (2, pending, says nothing)
PEOPLE_TAG = ("People|{}", "People/{}")      # Lightroom's and digiKam's keyword paths


class MarksUnreadable(ValueError):
    """A mark in the packet is not a value any program writes."""


@dataclass(frozen=True)
class CullMarks:
    rating: int = 0        # stars: 0 unrated, 1..5 (a reject keeps its stars)
    label: str = ""        # "", Red, Yellow, Green, Blue, Purple
    pick: int = 0          # 1 picked, 0 unflagged, -1 rejected


def catch_up(document: minidom.Document) -> None:
    """A packet written with the namespace before the slash reads (and is written back) in
    the new one, under one prefix."""
    xmp_packet.rename_namespace(document, CATCHLIGHT_BEFORE_SLASH, CATCHLIGHT, "catchlight")


def _int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None


def _first_change(said: list[object | None], current: object) -> object:
    return next((value for value in said if value is not None and value != current), current)


def read_marks(document: minidom.Document, current: CullMarks) -> CullMarks:
    """The marks the packet says; ``current`` (the catalog's) fills what it does not say."""
    raw_rating = xmp_packet.get(document, XMP, "Rating")
    stars, rating = current.rating, None
    if raw_rating is not None:
        try:
            rating = max(-1, min(5, round(float(raw_rating))))
        except (ValueError, OverflowError) as exc:
            raise MarksUnreadable(f"Rating {raw_rating[:20]!r} is not a number") from exc
        if rating >= 0:
            stars = rating
        else:   # a reject keeps its stars in our namespace (unknown: keep the catalog's)
            kept = _int(xmp_packet.get(document, CATCHLIGHT, "Rating"))
            stars = max(0, min(5, kept)) if kept is not None else stars
    by_rating = None if rating is None else -1 if rating == -1 else \
        (0 if current.pick == -1 else current.pick)
    by_digikam = DIGIKAM_PICKS.get(_int(xmp_packet.get(document, DIGIKAM, "PickLabel")) or 2)
    own = _int(xmp_packet.get(document, CATCHLIGHT, "Pick"))
    pick = _first_change([by_rating, by_digikam, own if own in (-1, 0, 1) else None],
                         current.pick)
    darktable = [LABELS[n + 1] for n in map(_int, xmp_packet.get_bag(document, DARKTABLE,
                                                                       "colorlabels"))
                 if n is not None and 0 <= n <= 4]
    named = xmp_packet.get(document, XMP, "Label")
    if named is not None:
        by_name: str | None = named if named in LABELS else ""
    else:     # no label named: none, unless darktable (which may not name it) gives one
        by_name = None if darktable else ""
    colours = {number: name for name, number in DIGIKAM_COLOURS.items()}
    by_digikam_colour = colours.get(_int(xmp_packet.get(document, DIGIKAM, "ColorLabel")) or -1)
    label = _first_change([by_name, darktable[0] if darktable else None, by_digikam_colour],
                          current.label)
    assert isinstance(pick, int) and isinstance(label, str)
    return CullMarks(stars, label, pick)


def write_marks(document: minidom.Document, marks: CullMarks, session_name: str) -> None:
    """Every convention's marks, in step; another program's values that Catchlight has no
    word for stay."""
    rating = -1 if marks.pick == -1 else marks.rating
    xmp_packet.set_value(document, XMP, "Rating", str(rating), "xmp")
    xmp_packet.set_value(document, XMP, "Label", marks.label or None, "xmp")
    xmp_packet.set_value(document, CATCHLIGHT, "Pick", str(marks.pick), "catchlight")
    xmp_packet.set_value(document, CATCHLIGHT, "Rating", str(marks.rating), "catchlight")
    if session_name:
        xmp_packet.set_value(document, CATCHLIGHT, "Session", session_name, "catchlight")
    pick_label = _int(xmp_packet.get(document, DIGIKAM, "PickLabel"))
    if not (marks.pick == 0 and pick_label == 2):
        xmp_packet.set_value(document, DIGIKAM, "PickLabel",
                             {-1: "1", 1: "3", 0: "0"}[marks.pick], "digiKam")
    colour = _int(xmp_packet.get(document, DIGIKAM, "ColorLabel"))
    if marks.label or colour in (None, *DIGIKAM_COLOURS.values()):
        xmp_packet.set_value(document, DIGIKAM, "ColorLabel",
                             str(DIGIKAM_COLOURS.get(marks.label, 0)), "digiKam")
    xmp_packet.set_bag(document, DARKTABLE, "colorlabels",
                       [str(LABELS.index(marks.label) - 1)] if marks.label else [],
                       "darktable", kind="Seq")


def write_people_keywords(document: minidom.Document, person: str, previous: str) -> None:
    """The person as IPTC PersonInImage, a dc:subject keyword, Lightroom's "People|Name" and
    digiKam's "People/Name"; ``previous`` (a reassigned shot's earlier person) is taken out
    of each. A hierarchical list made now starts with the flat keywords already there, so
    the programs that read it instead of dc:subject (darktable, digiKam) lose none."""
    def merged(values: list[str], old: str, new: str) -> list[str]:
        kept = [v for v in values if v not in (old, new)]
        return [*kept, new] if person else kept

    flat = xmp_packet.get_bag(document, DC, "subject")
    for namespace, name, prefix in ((IPTC_EXT, "PersonInImage", "Iptc4xmpExt"),
                                    (DC, "subject", "dc")):
        values = xmp_packet.get_bag(document, namespace, name)
        xmp_packet.set_bag(document, namespace, name,
                           merged(values, previous or "\0", person), prefix)
    seed = [k for k in flat if k not in (person, previous)]
    for (namespace, name, prefix), path in zip(
            ((LIGHTROOM, "hierarchicalSubject", "lr"), (DIGIKAM, "TagsList", "digiKam")),
            PEOPLE_TAG, strict=True):
        values = xmp_packet.get_bag(document, namespace, name)
        if not values and not _present(document, namespace, name):
            values = seed
        old = path.format(previous) if previous else "\0"
        xmp_packet.set_bag(document, namespace, name,
                           merged(values, old, path.format(person)), prefix,
                           kind="Seq" if namespace == DIGIKAM else "Bag")


def _present(document: minidom.Document, namespace: str, name: str) -> bool:
    return bool(xmp_packet.get_bag(document, namespace, name)) or any(
        d.hasAttributeNS(namespace, name) for d in xmp_packet.descriptions(document))


def read_people(document: minidom.Document) -> list[str]:
    return xmp_packet.get_bag(document, IPTC_EXT, "PersonInImage")
