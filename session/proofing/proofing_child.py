"""``main.py --proofing-server``: the proofing server's own process
(session.proofing.proofing_process starts it). Reads one JSON message per line on stdin (start,
links, view, stop), runs the ProofingServer, and writes one per line on stdout (started or
failed, each favourite, the request count now and then). Nothing else is ever written to stdout.
Its main thread reads the pipe; the server runs on its own thread as in the window's process."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from types import MappingProxyType
from typing import IO

from session.culling.client_favourites import ClientFavourite
from session.culling.retouch_notes import RetouchNote
from session.people.approvals import APPROVED, MISSING, WAITING
from session.people.lead_verdicts import MAX_NOTE, LeadVerdict
from session.proofing.proof_links import Link
from session.proofing.proof_view import ProofShot, ProofView, SignOffLine
from session.proofing.proofing_server import ProofingServer

REQUESTS_EVERY_S = 1.0


def _line(raw: object) -> SignOffLine | None:
    """One person's sign-off as the studio sent it; None for anything else."""
    if not isinstance(raw, list) or len(raw) != 8 or str(raw[1]) not in (APPROVED, WAITING,
                                                                         MISSING):
        return None
    person, status, shot, key, pid, approved, veto, note = raw
    return SignOffLine(str(person)[:200], str(status), str(shot)[:64], str(key)[:64],
                       str(pid)[:200], str(approved)[:400], veto is True, str(note)[:MAX_NOTE])


def _view(message: dict) -> ProofView:
    shots = tuple(ProofShot(str(i), str(k), str(n), float(t), Path(p), str(person), int(h),
                            str(name))
                  for i, k, n, t, p, person, h, name in message.get("shots", []))
    crop = message.get("crop")
    ratio = (int(crop[0]), int(crop[1])) if isinstance(crop, list) and len(crop) == 2 and \
        all(isinstance(v, int) and 0 < v < 100 for v in crop) else None
    lines = tuple(line for line in map(_line, message.get("signoff", [])) if line)
    return ProofView(int(message.get("version", 0)), shots,
                     MappingProxyType({s.id: s for s in shots}), ratio, lines,
                     message.get("closed") is True)


def serve(stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout) -> int:
    lock = threading.Lock()

    def say(message: dict[str, object]) -> None:
        with lock:
            stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
            stdout.flush()

    server: ProofingServer | None = None
    done = threading.Event()

    def report_requests() -> None:
        while not done.wait(REQUESTS_EVERY_S):
            if server is not None:
                say({"op": "requests", "count": server.requests})

    threading.Thread(target=report_requests, name="proofing-requests", daemon=True).start()
    try:
        for line in stdin:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            op = message.get("op") if isinstance(message, dict) else None
            if op == "start" and server is None:
                def favoured(key: str, said: ClientFavourite) -> None:
                    say({"op": "favourite", "key": key, "hearts": said.hearts,
                         "comments": list(said.comments)})

                def pinned(key: str, notes: tuple[RetouchNote, ...]) -> None:
                    say({"op": "notes", "key": key,
                         "notes": [[n.number, n.x, n.y, n.text, n.author] for n in notes]})

                def judged(verdict: LeadVerdict) -> None:
                    say({"op": "verdict", "person": verdict.person_id, "shot": verdict.shot,
                         "veto": verdict.veto, "note": verdict.note, "at": verdict.given_at})

                started, error = None, "no port to serve on"
                for port in message.get("ports", [0]):
                    candidate = ProofingServer(Path(message["folder"]), favoured, pinned)
                    candidate.on_verdict = judged
                    try:
                        started = candidate.start(str(message["host"]), int(port))
                    except OSError as exc:
                        error = exc.strerror or str(exc)
                        candidate.stop()
                        continue
                    server = candidate
                    break
                if started is None:
                    say({"op": "failed", "error": error})
                    continue
                say({"op": "started", "host": started[0], "port": started[1]})
            elif op == "links" and server is not None:
                server.set_links(tuple(Link(str(t), str(s)) for t, s in message["links"]))
            elif op == "view" and server is not None:
                server.publish(_view(message))
            elif op == "stop":
                break
    finally:
        done.set()
        if server is not None:
            server.set_links(())
            time.sleep(0.05)                  # open pages hear "revoked" before the end
            server.stop()
    return 0
