"""Settings changed on the camera body, as libgphoto2 reports them in events:
'PTP Property d001 changed, "f-number" to "f/2.8"'. Pure Python; any thread."""

from __future__ import annotations

import re

from camera.types import Setting

PROPERTY_CHANGED = re.compile(r'changed, "([^"]+)" to "([^"]*)"')


def setting_from_event(detail: str, settings: dict[str, Setting]) -> Setting | None:
    """The setting the event changed, with its new value; None if it is not one we show or
    nothing changed."""
    match = PROPERTY_CHANGED.search(detail)
    if not match:
        return None
    name, value = match.groups()
    for setting in settings.values():
        if setting.name == name and setting.value != value:
            return Setting(setting.key, name, setting.label, value, setting.choices,
                           setting.readonly)
    return None
