# PyInstaller runtime hook (frozen app only): MediaPipe's vision package imports its drawing
# helpers, which import cv2 and matplotlib.pyplot at module level. Catchlight never draws with
# them, and the bundle leaves both out (about 340 MB), so stand-ins satisfy the import; any use
# raises a clear AttributeError.
import sys
import types


def _stand_in(name: str) -> types.ModuleType:
    module = types.ModuleType(name)

    def __getattr__(attribute: str):
        raise AttributeError(f"{name}.{attribute}: not bundled with Catchlight (MediaPipe's "
                             "drawing helpers are not used)")

    module.__dict__["__getattr__"] = __getattr__
    return module


for _name in ("cv2", "matplotlib", "matplotlib.pyplot"):
    sys.modules.setdefault(_name, _stand_in(_name))
sys.modules["matplotlib"].__dict__["pyplot"] = sys.modules["matplotlib.pyplot"]
