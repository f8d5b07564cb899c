"""A session to proof, for the proofing tests and bench: catalogued shots with stored
analyses (so the client display's rule lets them through), one rejected, one with its eyes
closed, a two-person roster with the shots split between them, and the proofing server
serving it on loopback with the links the session keeps."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from session.culling.culling_store import CullingStore
from session.culling.xmp_sidecar import CullMarks
from session.model.live_session import SessionModel
from session.model.session_snapshot import load_snapshot
from session.people.roster import Person
from session.people.roster_store import RosterStore
from session.proofing.proof_links import LEAD, PERSON, Link, LinkStore
from session.proofing.proof_view import build_view
from session.proofing.proofing_server import ProofingServer
from session.store.analysis_store import AnalysisStore
from tests.sample_session import make_session

PEOPLE = (Person("E-1", "Zoë O'Brien"), Person("E-2", "Bo Berg"))


@dataclass
class Proofing:
    folder: Path
    server: ProofingServer
    model: SessionModel
    lead: Link
    person: Link                  # Bo Berg's
    base: str                     # http://127.0.0.1:<port>
    version: int = 1

    def url(self, path: str, link: Link | None = None) -> str:
        return f"{self.base}/s/{(link or self.lead).token}/{path}"

    def republish(self) -> None:
        """Read the session again (as the window's model would have it) and publish it."""
        self.version += 1
        self.model.open(load_snapshot(self.folder))
        self.server.publish(build_view(self.model, assignments(self.folder), self.version))


def assignments(folder: Path) -> dict[str, str]:
    store = RosterStore(folder)
    try:
        return store.assignments()
    finally:
        store.close()


def analyse(folder: Path, name: str, flags: tuple[str, ...] = ()) -> None:
    store = AnalysisStore(folder)
    try:
        store.save(name, {"ok": True, "flags": list(flags), "measurements": {}}, list(flags))
    finally:
        store.close()


def make_proofing_session(folder: Path, count: int = 6, size: tuple[int, int] = (1500, 1000)
                          ) -> list[Path]:
    paths = make_session(folder, count, size=size, name="Proof")
    for i, path in enumerate(paths):
        analyse(folder, path.name, ("eyes_closed",) if i == 1 else ())
    culling = CullingStore(folder)
    culling.set_marks(paths[2].name, CullMarks(pick=-1))
    culling.close()
    roster = RosterStore(folder)
    roster.import_people(list(PEOPLE))
    for i, path in enumerate(paths):
        roster.assign(path.name, PEOPLE[i % 2].id)
    roster.close()
    return paths


def serve(folder: Path) -> Proofing:
    store = LinkStore(folder)
    lead, person = store.link_for(LEAD), store.link_for(PERSON + "E-2")
    links = store.active()
    store.close()
    model = SessionModel()
    model.open(load_snapshot(folder))
    server = ProofingServer(folder, on_favourite=lambda _key, _said: None)
    server.set_links(links)
    server.publish(build_view(model, assignments(folder), 1))
    host, port = server.start("127.0.0.1", 0)
    return Proofing(folder, server, model, lead, person, f"http://{host}:{port}")


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def post(url: str, body: object, raw: bytes | None = None) -> tuple[int, dict]:
    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as exc:
        text = exc.read()
        try:
            return exc.code, json.loads(text or b"{}")
        except ValueError:
            return exc.code, {"text": text.decode(errors="replace")}
