"""File-name templates for captures: ``{session}_{seq:04d}`` and friends.

Pure Python, any thread, non-blocking. A template is checked once when it is set: unknown
tokens, bad format specs, path separators or a template that could give two shots the same
name are refused with a message a photographer can act on. Rendered names always pass through
the sanitiser, so nothing a template produces can leave the session folder.
"""

from __future__ import annotations

import string
import time
from dataclasses import dataclass

from session.people.roster import Person
from session.store.sanitize import MAX_COMPONENT_BYTES, cut_to_bytes, safe_component, safe_extension

TOKENS = ("session", "seq", "pseq", "date", "time", "camera", "orig", "ext",
          "person", "first", "last", "dept", "id")
# {pseq}, the person's own shot number, names a shot uniquely only beside who the person is.
PERSON_NAMING = ("person", "id", "first", "last")
# Shortened, longest first, when a name would be too long; {seq} and {ext} never are.
SHRINKABLE = ("session", "camera", "orig", "date", "time", "person", "first", "last", "dept")
NO_PERSON = "unassigned"      # the person tokens of a shot no one on the roster was chosen for
MAX_LITERAL_BYTES = 60
DEFAULT_TEMPLATE = "{session}_{seq:04d}"


class TemplateError(ValueError):
    """The template cannot be used; the message says why and how to fix it."""


@dataclass(frozen=True)
class NameFields:
    session: str
    seq: int
    taken_at: float
    camera: str
    orig: str
    ext: str
    person: Person | None = None      # a headshot day's person in front of the camera
    pseq: int = 0                     # the person's own shot number (0: not counted: seq)


@dataclass(frozen=True)
class NameTemplate:
    text: str

    def __post_init__(self) -> None:
        validate_template(self.text, self.unique_tokens())

    @staticmethod
    def unique_tokens() -> tuple[str, ...]:
        return ("seq",)

    def render(self, fields: NameFields) -> str:
        """The file name (stem + '.' + ext) for one file of a shot."""
        stamp = time.localtime(fields.taken_at)
        values = {
            "session": safe_component(fields.session, "session"),
            "seq": fields.seq,
            "pseq": fields.pseq if fields.person is not None and fields.pseq else fields.seq,
            "date": time.strftime("%Y-%m-%d", stamp),
            "time": time.strftime("%H%M%S", stamp),
            "camera": safe_component(fields.camera, "camera"),
            "orig": safe_component(fields.orig, "image"),
            "ext": safe_extension(fields.ext),
            **person_values(fields.person),
        }
        stem = self._fitted_stem(values)
        ext = safe_extension(fields.ext)
        if "{ext" in self.text or not ext:
            return stem
        return f"{stem}.{ext}"


    def _fitted_stem(self, values: dict[str, object]) -> str:
        """The rendered stem within MAX_COMPONENT_BYTES: the longest of the other tokens is
        shortened (by bytes, on a character boundary) until it fits, so the sequence number
        and the extension are never cut."""
        used = [k for k in SHRINKABLE if "{" + k in self.text]
        for _ in range(512):
            stem = safe_component(self.text.format(**values), "image", max_bytes=1 << 16)
            excess = len(stem.encode("utf-8")) - MAX_COMPONENT_BYTES
            if excess <= 0:
                return stem
            sizes = {k: len(str(values[k]).encode("utf-8")) for k in used}
            longest = max(sizes, key=lambda k: sizes[k], default=None)
            if longest is None or sizes[longest] <= 1:
                break
            second = max((v for k, v in sizes.items() if k != longest), default=0)
            step = min(excess, max(1, sizes[longest] - second))   # evens them out
            values[longest] = cut_to_bytes(str(values[longest]), sizes[longest] - step)
        return safe_component(self.text.format(**values), "image")


def person_values(person: Person | None) -> dict[str, str]:
    """The person tokens, each sanitised like every other token (the name itself is kept
    exactly in the catalog and the sidecar, only the file name is made safe)."""
    if person is None:
        return dict.fromkeys(("person", "first", "last", "dept", "id"), NO_PERSON)
    first = person.first or person.name.split()[0]
    last = person.last or (person.name.split()[-1] if len(person.name.split()) > 1 else "")
    return {"person": safe_component(person.name, NO_PERSON),
            "first": safe_component(first, NO_PERSON),
            "last": safe_component(last, NO_PERSON) if last else "",
            "dept": safe_component(person.dept, "") if person.dept else "",
            "id": safe_component(person.id, NO_PERSON)}


def numbered(name: str, number: int) -> str:
    """``name`` with ``-number`` before its extension (Smith_0007-2.jpg): how a name that is
    taken is made free, everywhere Catchlight writes files."""
    stem, dot, ext = name.rpartition(".")
    return f"{stem}-{number}.{ext}" if dot and stem else f"{name}-{number}"


def validate_template(text: str, unique: tuple[str, ...] = ("seq",)) -> None:
    """Raise TemplateError unless ``text`` is a usable, folder-local template holding one of
    the ``unique`` tokens (so two shots cannot get the same name)."""
    if not text or not text.strip():
        raise TemplateError("The file-name template is empty. Example: {session}_{seq:04d}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise TemplateError("The file-name template holds a character that is not valid text "
                            "(from a damaged file or setting): type it again.") from None
    if "/" in text or "\\" in text or ".." in text or "\0" in text:
        raise TemplateError("The file-name template may not contain '/', '\\' or '..': every "
                            "shot is stored directly in the session folder.")
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(f"The file-name template has unbalanced braces: {exc}") from exc
    seen = set()
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in TOKENS:
            raise TemplateError(f"Unknown token {{{field}}} in the file-name template. "
                                f"Tokens: {', '.join('{' + t + '}' for t in TOKENS)}")
        if conversion:
            raise TemplateError(f"{{{field}!{conversion}}}: conversions are not supported.")
        sample = 7 if field in ("seq", "pseq") else "x"
        try:
            format(sample, spec or "")
        except (ValueError, TypeError) as exc:
            raise TemplateError(f"{{{field}:{spec}}} is not a valid format: {exc}") from exc
        seen.add(field)
    if "pseq" in seen and seen.intersection(PERSON_NAMING) and "seq" in unique:
        seen.add("seq")                 # {id}_{pseq:03d}: unique per person and number
    if not seen.intersection(unique):
        needs = " or ".join("{" + t + "}" for t in unique)
        raise TemplateError(f"The file-name template needs {needs} (for example "
                            "{seq:04d}), or {pseq} beside {person} or {id}: without it two "
                            "shots could get the same name.")
    literal = "".join(part[0] for part in parsed)
    if len(literal.encode("utf-8")) > MAX_LITERAL_BYTES:
        raise TemplateError(f"The file-name template's fixed text is longer than "
                            f"{MAX_LITERAL_BYTES} bytes; shorten it.")
    if "ext" in seen and not text.rstrip().endswith("{ext}"):
        raise TemplateError("{ext} may only stand at the end of the template.")
