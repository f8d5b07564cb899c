"""The proofing server in a process of its own (``main.py --proofing-server``), so twenty
phones' requests, their JSON and the display JPEGs never compete with the window for its
interpreter. The window talks to it through this proxy, which has the server's own methods
(start, publish, set_links, stop, address, requests): views and links go down its stdin and
favourites come back up its stdout, one JSON object per line (no pickle). The child writes
the catalog and the sidecars itself, as the in-process server does.

Thread contract: ``start``/``publish``/``set_links``/``stop`` from any thread (writes are
serialised by a lock); ``on_favourite`` and ``on_ended`` are called on the proxy's reader
thread.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

from session.culling.client_favourites import ClientFavourite
from session.culling.retouch_notes import RetouchNote
from session.people.lead_verdicts import MAX_NOTE, LeadVerdict
from session.proofing.proof_links import Link
from session.proofing.proof_view import ProofView

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 20.0
VERBOSE_ENV = "CATCHLIGHT_VERBOSE"


def server_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "--proofing-server"]
    return [sys.executable, str(ROOT / "main.py"), "--proofing-server"]


def view_message(view: ProofView) -> dict[str, object]:
    return {"op": "view", "version": view.version,
            "crop": list(view.crop) if view.crop else None,
            "shots": [[s.id, s.key, s.name, s.taken, str(s.path), s.person_id, s.hearts,
                       s.person] for s in view.shots],
            "signoff": [[line.person, line.status, line.shot_id, line.key, line.person_id,
                         line.shot, line.veto, line.note] for line in view.signoff],
            "closed": view.closed}


def links_message(links: tuple[Link, ...]) -> dict[str, object]:
    return {"op": "links", "links": [[link.token, link.scope] for link in links]}


def notes_from(raw: object) -> tuple[RetouchNote, ...]:
    """The child's list of [number, x, y, text, author] (anything else is left out)."""
    notes = []
    for item in raw if isinstance(raw, list) else []:
        try:
            number, x, y, text, author = item
            notes.append(RetouchNote(int(number), float(x), float(y), str(text), str(author)))
        except (TypeError, ValueError):
            continue
    return tuple(notes)


def _seconds(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else 0.0


class ProofingProcess:
    def __init__(self, folder: Path,
                 on_favourite: Callable[[str, ClientFavourite], None] | None = None,
                 on_ended: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.on_favourite = on_favourite or (lambda _k, _s: None)
        self.on_notes: Callable[[str, tuple[RetouchNote, ...]], None] = lambda _k, _n: None
        self.on_verdict: Callable[[LeadVerdict], None] = lambda _v: None
        self.on_ended = on_ended or (lambda _why: None)
        self.address: tuple[str, int] | None = None
        self.requests = 0
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._started = threading.Event()
        self._failure = ""
        self._stopping = False

    def start(self, host: str, ports: tuple[int, ...] = (0,)) -> tuple[str, int]:
        """Start the child serving on ``host`` at the first of ``ports`` it can have (0: any
        free one); raises OSError with its reason. Blocks until it serves (not the GUI
        thread's job)."""
        verbose = bool(os.environ.get(VERBOSE_ENV))
        self._proc = subprocess.Popen(
            server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=None if verbose else subprocess.DEVNULL, text=True, encoding="utf-8",
            bufsize=1, close_fds=True)
        threading.Thread(target=self._read, args=(self._proc.stdout,),
                         name="proofing-reader", daemon=True).start()
        self._send({"op": "start", "folder": str(self.folder), "host": host,
                    "ports": list(ports)})
        if not self._started.wait(START_TIMEOUT_S) or self.address is None:
            reason = self._failure or "the proofing server did not start"
            self.stop()
            raise OSError(reason)
        return self.address

    def _send(self, message: dict[str, object]) -> None:
        proc = self._proc
        if proc is None or proc.stdin is None:
            return
        with self._lock:
            try:
                proc.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
                proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass                          # it ended; the reader reports why

    def publish(self, view: ProofView) -> None:
        self._send(view_message(view))

    def set_links(self, links: tuple[Link, ...]) -> None:
        self._send(links_message(links))

    def _read(self, stream: IO[str] | None) -> None:
        if stream is None:
            return
        for line in stream:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            op = message.get("op") if isinstance(message, dict) else None
            if op == "started":
                self.address = (str(message["host"]), int(message["port"]))
                self._started.set()
            elif op == "failed":
                self._failure = str(message.get("error", ""))
                self._started.set()
            elif op == "favourite":
                comments = message.get("comments")
                self.on_favourite(str(message.get("key", "")), ClientFavourite(
                    int(message.get("hearts", 0)),
                    tuple(str(c) for c in comments) if isinstance(comments, list) else ()))
            elif op == "notes":
                self.on_notes(str(message.get("key", "")), notes_from(message.get("notes")))
            elif op == "verdict":
                self.on_verdict(LeadVerdict(
                    str(message.get("person", "")), str(message.get("shot", "")),
                    message.get("veto") is True, str(message.get("note", ""))[:MAX_NOTE],
                    _seconds(message.get("at"))))
            elif op == "requests":
                self.requests = int(message.get("count", 0))
        self._started.set()
        if not self._stopping:
            self.on_ended("the proofing server ended unexpectedly")

    def stop(self, timeout: float = 5.0) -> None:
        proc, self._proc = self._proc, None
        self._stopping = True
        if proc is None:
            return
        with self._lock:
            try:
                if proc.stdin is not None:
                    proc.stdin.write(json.dumps({"op": "stop"}) + "\n")
                    proc.stdin.close()
            except (BrokenPipeError, OSError, ValueError):
                pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
