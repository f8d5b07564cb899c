"""Face-anchored crop geometry (../shared/docs/headshot-day-notes.md): given where the eyes
are, how tall the face is and where its centre is in the (upright) source, the box that puts
the eyes on the target eye line and gives the face the target height in a crop of the chosen
aspect. A box that leaves the picture is shifted inside; one larger than the picture is
shrunk to the largest that fits, as close to the wanted place as it can be; either is
reported, never padded. The delivered size never exceeds the crop's own pixels times the
upscale limit (reported when the long edge asked for cannot be reached).

Pure Python; any thread; microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_UPSCALE = 1.0       # delivered pixels per source pixel: never invent detail by default
NOTICED = 0.005         # a shift or shrink under half a percent of the crop is not reported


@dataclass(frozen=True)
class Anchor:
    """The face in source pixels (upright)."""

    eye_y: float
    face_height: float
    centre_x: float


@dataclass(frozen=True)
class Target:
    aspect: tuple[int, int]          # W:H of the delivered picture
    eye_line: float                  # fraction of the crop height from the top
    face_height: float               # fraction of the crop height
    long_edge: int
    max_upscale: float = MAX_UPSCALE


@dataclass(frozen=True)
class CropPlan:
    left: float
    top: float
    width: float
    height: float
    out_size: tuple[int, int]
    problems: tuple[str, ...] = ()

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) in source pixels, as Pillow's resize(box=) takes it."""
        return (self.left, self.top, self.left + self.width, self.top + self.height)

    def eye_line_in_crop(self, anchor: Anchor) -> float:
        return (anchor.eye_y - self.top) / self.height

    def face_height_in_crop(self, anchor: Anchor) -> float:
        return anchor.face_height / self.height


def _clamp(value: float, low: float, high: float) -> float:
    return max(min(value, high), low)


def plan_crop(source: tuple[int, int], anchor: Anchor, target: Target) -> CropPlan:
    """The crop box for one picture (see the module's description)."""
    width, height = source
    aspect_w, aspect_h = target.aspect
    problems: list[str] = []
    crop_h = anchor.face_height / target.face_height
    crop_w = crop_h * aspect_w / aspect_h
    shrink = min(width / crop_w, height / crop_h, 1.0)
    crop_w, crop_h = min(crop_w * shrink, width), min(crop_h * shrink, height)
    if shrink < 1.0 - NOTICED:
        problems.append(f"shot tighter than the house look: the face is {1 / shrink - 1:.0%} "
                        "larger than the house height (no room to crop wider)")
    top = anchor.eye_y - target.eye_line * crop_h
    left = anchor.centre_x - crop_w / 2
    inside_top = _clamp(top, 0.0, height - crop_h)
    inside_left = _clamp(left, 0.0, width - crop_w)
    if abs(inside_top - top) > NOTICED * crop_h:
        edge = "top" if inside_top > top else "bottom"
        off = abs(inside_top - top) / crop_h
        problems.append(f"the head is near the {edge} edge: eyes {off:.0%} of the crop off "
                        "the house line")
    if abs(inside_left - left) > NOTICED * crop_w:
        edge = "left" if inside_left > left else "right"
        problems.append(f"the face is near the {edge} edge: off centre by "
                        f"{abs(inside_left - left) / crop_w:.0%} of the crop")
    long_crop = max(crop_w, crop_h)
    scale = min(target.long_edge / long_crop, target.max_upscale)
    if scale < target.long_edge / long_crop - 1e-9:
        problems.append(f"delivered at {round(long_crop * scale)} px, not {target.long_edge}: "
                        f"the crop holds {round(long_crop)} px and upscaling is limited to "
                        f"{target.max_upscale:g}x")
    out = (max(1, round(crop_w * scale)), max(1, round(crop_h * scale)))
    return CropPlan(inside_left, inside_top, crop_w, crop_h, out, tuple(problems))


def parse_aspect(text: str) -> tuple[int, int]:
    """'4:5' -> (4, 5); raises ValueError with a clear message."""
    parts = text.replace("x", ":").replace("/", ":").split(":")
    try:
        w, h = (int(p) for p in parts)
    except ValueError:
        raise ValueError(f"aspect {text!r}: write it as W:H, e.g. 4:5, 1:1 or 2:3") from None
    if not (0 < w <= 100 and 0 < h <= 100):
        raise ValueError(f"aspect {text!r}: both sides must be between 1 and 100")
    return w, h
