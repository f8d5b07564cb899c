"""Editing an XMP packet in place: read the properties Catchlight cares about, and set or
remove them while keeping everything else exactly as another program wrote it (its
namespaces and prefixes, elements such as darktable's history, Lightroom's develop settings,
keywords and rights, attributes, comments and the ``<?xpacket?>`` wrapper). A property found
in attribute or element form is updated where it is; a new one becomes an attribute of the
first ``rdf:Description``.

Pure Python (xml.dom.minidom on expat; documents with a DTD or an entity declaration are
refused in any encoding, so no entity is ever expanded or fetched, and none is written back).
Any thread; microseconds.
"""

from __future__ import annotations

from xml.dom import Node, minidom
from xml.parsers import expat
from xml.parsers.expat import ExpatError

from session.culling import xmp_layout

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XMLNS = "http://www.w3.org/2000/xmlns/"
X_META = "adobe:ns:meta/"


class PacketUnreadable(ValueError):
    """Not an XMP packet that can be read or edited safely."""


def _refuse_dtd(*_args: object) -> None:
    raise PacketUnreadable("it declares a DTD or an entity, which XMP never does")


def _check_no_dtd(data: bytes) -> None:
    """Expat reads the bytes in whatever encoding they declare (UTF-8, UTF-16 with its byte
    order mark or declaration, …) and stops at the first DOCTYPE or entity declaration, so
    no entity is ever expanded or fetched, whatever the encoding."""
    checker = expat.ParserCreate()
    checker.StartDoctypeDeclHandler = _refuse_dtd
    checker.EntityDeclHandler = _refuse_dtd
    checker.ExternalEntityRefHandler = _refuse_dtd   # type: ignore[assignment]
    try:
        checker.Parse(data, True)
    except (ExpatError, ValueError) as exc:
        raise PacketUnreadable(f"not valid XMP ({exc})") from exc


def encoding_of(data: bytes) -> str:
    """The encoding a sidecar's bytes are in: "UTF-8" (with or without its mark), or the
    UTF-16/32 form another program wrote (Catchlight writes UTF-8 back)."""
    for mark, name in ((b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe\x00\x00", "UTF-32"),
                       (b"\xfe\xff", "UTF-16"), (b"\xff\xfe", "UTF-16")):
        if data.startswith(mark):
            return name
    if data[:2] in (b"\x00<", b"<\x00"):
        return "UTF-16"
    return "UTF-8"


def parse(data: bytes) -> minidom.Document:
    _check_no_dtd(data)
    try:
        document = minidom.parseString(data)
    except (ExpatError, ValueError) as exc:
        raise PacketUnreadable(f"not valid XMP ({exc})") from exc
    if not descriptions(document) and not document.getElementsByTagNameNS(RDF, "RDF"):
        raise PacketUnreadable("no XMP packet found")
    xmp_layout.remember(data, document)     # written back in its own program's layout
    return document


def descriptions(document: minidom.Document) -> list[minidom.Element]:
    return list(document.getElementsByTagNameNS(RDF, "Description"))


def _text(element: minidom.Element) -> str:
    return "".join(n.data for n in element.childNodes
                   if n.nodeType in (Node.TEXT_NODE, Node.CDATA_SECTION_NODE)).strip()


def get(document: minidom.Document, namespace: str, name: str) -> str | None:
    """The value of property ``name`` in ``namespace`` (attribute or simple element form);
    None when absent. The last one wins, as in the reading order of other programs."""
    value = None
    for description in descriptions(document):
        if description.hasAttributeNS(namespace, name):
            value = description.getAttributeNS(namespace, name)
        for child in description.childNodes:
            if child.nodeType == Node.ELEMENT_NODE and child.namespaceURI == namespace \
                    and child.localName == name:
                value = _text(child)
    return value


def _prefix_for(element: minidom.Element, namespace: str, preferred: str) -> tuple[str, bool]:
    """A prefix bound to ``namespace`` where ``element`` stands (True: it must be declared)."""
    bound: dict[str, str] = {}
    node: object = element
    while isinstance(node, minidom.Element):
        for attr in node.attributes.values():
            if attr.namespaceURI == XMLNS and attr.localName not in bound:
                bound[attr.localName] = attr.value
        node = node.parentNode
    for prefix, uri in bound.items():
        if uri == namespace and prefix != "xmlns":
            return prefix, False
    prefix, number = preferred, 1
    while prefix in bound:
        number += 1
        prefix = f"{preferred}{number}"
    return prefix, True


prefix_for = _prefix_for


def set_value(document: minidom.Document, namespace: str, name: str, value: str | None,
              preferred_prefix: str) -> None:
    """Set (or, with None, remove) a simple property, in place where it already stands."""
    found = False
    for description in descriptions(document):
        attribute = description.getAttributeNodeNS(namespace, name)
        if attribute is not None:
            found = True
            if value is None:
                description.removeAttributeNS(namespace, name)
            else:
                attribute.value = value
        for child in list(description.childNodes):
            if child.nodeType == Node.ELEMENT_NODE and child.namespaceURI == namespace \
                    and child.localName == name:
                found = True
                if value is None:
                    description.removeChild(child)
                    continue
                for old in list(child.childNodes):
                    child.removeChild(old)
                child.appendChild(document.createTextNode(value))
    if found or value is None:
        return
    targets = descriptions(document)
    if not targets:
        rdf = document.getElementsByTagNameNS(RDF, "RDF")[0]
        rdf_prefix = rdf.prefix or "rdf"
        target = document.createElementNS(RDF, f"{rdf_prefix}:Description")
        target.setAttributeNS(RDF, f"{rdf_prefix}:about", "")
        rdf.appendChild(target)
    else:
        target = targets[0]
    prefix, declare = _prefix_for(target, namespace, preferred_prefix)
    if declare:
        target.setAttributeNS(XMLNS, f"xmlns:{prefix}", namespace)
    target.setAttributeNS(namespace, f"{prefix}:{name}", value)


def _bag_elements(document: minidom.Document, namespace: str, name: str
                  ) -> list[minidom.Element]:
    return [child for description in descriptions(document) for child in description.childNodes
            if child.nodeType == Node.ELEMENT_NODE and child.namespaceURI == namespace
            and child.localName == name]


def get_bag(document: minidom.Document, namespace: str, name: str) -> list[str]:
    """The items of an unordered or ordered array property (rdf:Bag, rdf:Seq or rdf:Alt),
    in order; a simple value counts as one item."""
    items: list[str] = []
    for element in _bag_elements(document, namespace, name):
        lists = [li for li in element.getElementsByTagNameNS(RDF, "li")]
        items += [_text(li) for li in lists] if lists else [_text(element)]
    for description in descriptions(document):
        if description.hasAttributeNS(namespace, name):
            items.append(description.getAttributeNS(namespace, name))
    return [item for item in items if item]


def set_bag(document: minidom.Document, namespace: str, name: str, values: list[str],
            preferred_prefix: str, kind: str = "Bag") -> None:
    """Make property ``name`` an rdf:Bag (or ``kind``: Seq) of ``values`` (removing it when
    empty), where it already stands or in the first description, laid out one item a line;
    everything else stays as it was."""
    existing = _bag_elements(document, namespace, name)
    for description in descriptions(document):
        if description.hasAttributeNS(namespace, name):
            description.removeAttributeNS(namespace, name)
    target = existing[0].parentNode if existing else None
    in_place = existing[0] if existing and values else None    # the list stays where it was
    for element in existing:
        if element is not in_place:
            remove_laid_out(element)
    if not values:
        return
    if target is None:
        targets = descriptions(document)
        if not targets:
            set_value(document, namespace, name, "", preferred_prefix)   # makes a description
            set_value(document, namespace, name, None, preferred_prefix)
            targets = descriptions(document)
        target = targets[0]
    assert isinstance(target, minidom.Element)
    element = new_element(document, target, namespace, name, preferred_prefix)
    rdf_prefix, _declare = _prefix_for(target, RDF, "rdf")
    bag = document.createElementNS(RDF, f"{rdf_prefix}:{kind}")
    for value in values:
        li = document.createElementNS(RDF, f"{rdf_prefix}:li")
        li.appendChild(document.createTextNode(value))
        bag.appendChild(li)
    element.appendChild(bag)
    if in_place is not None:
        target.replaceChild(element, in_place)
        _lay_out(document, element, _depth(element))
    else:
        append_laid_out(document, target, element)


def new_element(document: minidom.Document, target: minidom.Element, namespace: str,
                name: str, preferred_prefix: str) -> minidom.Element:
    """A property element for ``target`` (its prefix declared on ``target`` if needed)."""
    prefix, declare = _prefix_for(target, namespace, preferred_prefix)
    if declare:
        target.setAttributeNS(XMLNS, f"xmlns:{prefix}", namespace)
    return document.createElementNS(namespace, f"{prefix}:{name}")


def _depth(node: object) -> int:
    depth = 0
    parent = getattr(node, "parentNode", None)
    while isinstance(parent, minidom.Element):
        depth += 1
        parent = parent.parentNode
    return depth


def _blank(node: object) -> bool:
    return isinstance(node, minidom.Text) and not node.data.strip()


def _lay_out(document: minidom.Document, element: minidom.Element, depth: int) -> None:
    """One child element per line, indented one space a level, as exiv2 and Adobe's XMP
    toolkit write lists (darktable's Lightroom importer reads nothing else)."""
    kids = [c for c in element.childNodes if c.nodeType == Node.ELEMENT_NODE]
    if not kids:
        return
    for kid in kids:
        element.insertBefore(document.createTextNode("\n" + " " * (depth + 1)), kid)
        _lay_out(document, kid, depth + 1)
    element.appendChild(document.createTextNode("\n" + " " * depth))


def append_laid_out(document: minidom.Document, parent: minidom.Element,
                    element: minidom.Element) -> None:
    """Append ``element`` to ``parent`` on a line of its own, laid out like the rest."""
    depth = _depth(parent) + 1
    last = parent.lastChild
    indent = document.createTextNode("\n" + " " * depth)
    if _blank(last):
        parent.insertBefore(indent, last)
        parent.insertBefore(element, last)
    else:
        parent.appendChild(indent)
        parent.appendChild(element)
        parent.appendChild(document.createTextNode("\n" + " " * (depth - 1)))
    _lay_out(document, element, depth)


def remove_laid_out(element: minidom.Element) -> None:
    """Take ``element`` out with the line break before it, so no blank lines pile up."""
    parent = element.parentNode
    if parent is None:
        return
    before = element.previousSibling
    parent.removeChild(element)
    if isinstance(before, minidom.Text) and _blank(before):
        parent.removeChild(before)  # type: ignore[type-var]   # a Text is a child here


def rename_namespace(document: minidom.Document, old: str, new: str, prefix: str) -> bool:
    """Move every property of namespace ``old`` to ``new`` (values, arrays and structures
    kept), dropping ``old``'s declarations: a sidecar written before a namespace URI changed
    reads and writes as one. True when anything moved."""
    moved = False
    everything = list(document.getElementsByTagName("*"))
    for element in everything:          # first the old declarations, so the prefix is free
        for attr in list(element.attributes.values()):
            if attr.namespaceURI == XMLNS and attr.value == old:
                element.removeAttributeNode(attr)
                moved = True
    for element in everything:
        for attr in list(element.attributes.values()):
            if attr.namespaceURI == old:
                element.removeAttributeNode(attr)
                target_prefix, declare = _prefix_for(element, new, prefix)
                if declare:
                    element.setAttributeNS(XMLNS, f"xmlns:{target_prefix}", new)
                element.setAttributeNS(new, f"{target_prefix}:{attr.localName}", attr.value)
                moved = True
    for element in list(document.getElementsByTagNameNS(old, "*")):
        parent = element.parentNode
        assert isinstance(parent, minidom.Element)
        target_prefix, declare = _prefix_for(parent, new, prefix)
        if declare:
            parent.setAttributeNS(XMLNS, f"xmlns:{target_prefix}", new)
        renamed = document.createElementNS(new, f"{target_prefix}:{element.localName}")
        for attr in list(element.attributes.values()):
            renamed.setAttributeNS(attr.namespaceURI, attr.name, attr.value)
        for child in list(element.childNodes):
            renamed.appendChild(child)
        parent.replaceChild(renamed, element)
        moved = True
    return moved


def serialise(document: minidom.Document, had_declaration: bool) -> bytes:
    """The document as UTF-8, with the ``<?xpacket?>`` wrapper and comments where they were;
    an XML declaration only if the original had one."""
    kept = xmp_layout.framed(document)
    if kept is not None:
        return kept.encode("utf-8")
    parts = [xmp_layout.write(child) for child in document.childNodes
             if child.nodeType != Node.DOCUMENT_TYPE_NODE]      # never a DTD written back
    text = "\n".join(parts) + "\n"
    if had_declaration:
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    return text.encode("utf-8")


def new_packet() -> minidom.Document:
    """An empty XMP packet with its wrapper, for a shot that has no sidecar yet."""
    return minidom.parseString(
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        f'<x:xmpmeta xmlns:x="{X_META}" x:xmptk="Catchlight">'
        f'<rdf:RDF xmlns:rdf="{RDF}"><rdf:Description rdf:about=""/></rdf:RDF></x:xmpmeta>'
        '<?xpacket end="w"?>')
