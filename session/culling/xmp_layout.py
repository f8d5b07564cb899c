"""Writing a sidecar back the way it was written: every start tag Catchlight did not change
comes out exactly as its program wrote it (attributes on their own lines, their order, quotes
and spacing), and one it changed keeps that layout with only the changed attributes
rewritten and new ones added in the same style. Lightroom's, Capture One's and darktable's
sidecars stay the same file outside what Catchlight changes.

``remember`` reads the original bytes a second time with expat (which reports where each
start tag begins) and keeps each tag's text on its element; ``write`` serialises the document
with it. A packet whose tags cannot be matched one to one (never for a well-formed UTF-8
file) is written the plain way.

Pure Python; any thread; microseconds per tag.
"""

from __future__ import annotations

import re
from xml.dom import Node, minidom
from xml.parsers import expat

_ATTRIBUTE = re.compile(r"""(\s+)([^\s=/>]+)(\s*=\s*)("[^"]*"|'[^']*')""")
_RAW = "_catchlight_raw"
_FRAME = "_catchlight_frame"


def _tag_end(text: str, start: int) -> int:
    """The index just past the ``>`` closing the start tag that begins at ``start``."""
    quote = ""
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index + 1
    return len(text)


def _attributes(element: minidom.Element) -> dict[str, str]:
    return {attr.name: attr.value for attr in element.attributes.values()}


def remember(data: bytes, document: minidom.Document) -> None:
    """Keep each start tag's original text on its element (UTF-8 packets only)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    starts: list[int] = []
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda _name, _attrs: starts.append(
        parser.CurrentByteIndex)
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return
    elements = document.getElementsByTagName("*")
    root = document.documentElement
    if len(elements) != len(starts) or root is None or not starts:
        return
    # expat says where each tag starts in bytes; the text is indexed in characters. The
    # starts only grow, so each is reached by decoding the bytes since the one before.
    chars, at_byte, at_char = [], 0, 0
    for byte_index in starts:
        at_char += len(data[at_byte:byte_index].decode("utf-8"))
        at_byte = byte_index
        chars.append(at_char)
    closing = text.rfind(f"</{root.tagName}")
    if closing > chars[0]:
        end = text.find(">", closing) + 1
        # What stands around the packet (the wrapper, its padding) is kept as it was.
        setattr(document, _FRAME, (text[:chars[0]], text[end:]))
    for element, start in zip(elements, chars, strict=True):
        raw = text[start:_tag_end(text, start)]
        if not raw.startswith("<" + element.tagName):
            return
        setattr(element, _RAW, (raw, _attributes(element)))


def _escape_attribute(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#xA;").replace("\r", "&#xD;")
            .replace("\t", "&#x9;"))


def _escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _start_tag(element: minidom.Element) -> tuple[str, bool]:
    """The start tag (without its closing) and whether it was written self-closing."""
    now = _attributes(element)
    kept = getattr(element, _RAW, None)
    if kept is None:
        body = "".join(f' {name}="{_escape_attribute(value)}"' for name, value in now.items())
        return f"<{element.tagName}{body}", False
    raw, before = kept
    closing = "/>" if raw.rstrip().endswith("/>") else ">"
    inner = raw[:len(raw) - len(closing)] if raw.endswith(closing) else raw
    if now == before:
        return inner, closing == "/>"
    pieces = list(_ATTRIBUTE.finditer(inner))
    head_end = pieces[0].start() if pieces else len(inner.rstrip())
    tail = inner[pieces[-1].end():] if pieces else inner[head_end:]
    out = [inner[:head_end]]
    spacing = pieces[-1].group(1) if pieces else " "
    for piece in pieces:
        name = piece.group(2)
        if name not in now:
            continue                                  # taken out
        if before.get(name) == now[name]:
            out.append(piece.group(0))                # exactly as it was
        else:
            out.append(f'{piece.group(1)}{name}{piece.group(3)}"{_escape_attribute(now[name])}"')
    written = {piece.group(2) for piece in pieces}
    out += [f'{spacing}{name}="{_escape_attribute(value)}"' for name, value in now.items()
            if name not in written]
    return "".join(out) + tail, closing == "/>"


def _write(node: minidom.Node, out: list[str]) -> None:
    if node.nodeType == Node.ELEMENT_NODE:
        assert isinstance(node, minidom.Element)
        start, self_closing = _start_tag(node)
        if not node.childNodes:
            out.append(start + ("/>" if self_closing or getattr(node, _RAW, None) is None
                                else f"></{node.tagName}>"))
            return
        out.append(start + ">")
        for child in node.childNodes:
            _write(child, out)
        out.append(f"</{node.tagName}>")
    elif node.nodeType == Node.TEXT_NODE:
        out.append(_escape_text(node.data))          # type: ignore[attr-defined]
    else:
        out.append(node.toxml())


def framed(document: minidom.Document) -> str | None:
    """The whole document as it was written around its root element (the ``<?xpacket?>``
    wrapper, an XML declaration, the padding), or None when that is not known."""
    frame = getattr(document, _FRAME, None)
    if frame is None or document.documentElement is None:
        return None
    return frame[0] + write(document.documentElement) + frame[1]


def write(node: minidom.Node) -> str:
    """``node`` as XML text, every remembered start tag as it was written."""
    out: list[str] = []
    _write(node, out)
    return "".join(out)
