"""``python main.py cameras``: list detected cameras and explain why one cannot be opened.

Pure Python; blocks (USB scan and a trial open of each camera); command line only.
"""

from __future__ import annotations

from dataclasses import dataclass

from camera.backend import CameraBackend
from camera.errors import CameraClaimed, CameraError
from camera.types import CameraInfo


@dataclass(frozen=True)
class CameraReport:
    info: CameraInfo
    ok: bool
    diagnosis: str


def diagnose_cameras(backend: CameraBackend) -> list[CameraReport]:
    """Open each detected camera briefly; a claimed USB device gets the holder's name."""
    reports = []
    for info in backend.list_cameras():
        try:
            backend.open(info.port)
            summary = backend.summary()
            battery = f", battery {summary.battery}" if summary.battery else ""
            reports.append(CameraReport(info, True, f"ready{battery}"))
        except CameraClaimed as exc:
            reports.append(CameraReport(info, False, exc.user_message))
        except CameraError as exc:
            reports.append(CameraReport(info, False, exc.user_message))
        finally:
            backend.close()
    return reports


def format_reports(reports: list[CameraReport]) -> str:
    if not reports:
        return ("No camera found. Connect the camera by USB, switch it on and set its USB mode "
                "to PTP / PC Remote; or try the demo camera: python main.py --demo")
    width = max(len(r.info.port) for r in reports)
    return "\n".join(f"{r.info.port:<{width}}  {r.info.model}  [{r.diagnosis}]" for r in reports)
