"""The proofing server at the HTTP level, every rule of the issue's security list: the token
on every request (a wrong or revoked one gets the same 404 as an unknown page), ids only from
the catalog (no traversal, no listing), display-size JPEGs without location or serials, a
rejected or held-back shot never served, comments limited and kept as text, small bodies, a
rate limit, strict headers; favourites reach the catalog and the sidecar (exiftool reads
them), two phones at once lose nothing; the live stream and its revocation; and the
``proof`` command line. Loopback only."""

from __future__ import annotations

import http.client
import io
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from session.culling.client_favourites import FavouritesStore, read_favourite
from session.proofing.proof_links import LinkStore
from session.proofing.proof_view import shot_id
from tests.proofing_session import get, make_proofing_session, post

ROOT = Path(__file__).resolve().parent.parent
EXIFTOOL = shutil.which("exiftool")


def shots(proofing, link=None, device="") -> list[dict]:
    status, _h, body = get(proofing.url(f"api/shots?device={device}", link))
    assert status == 200
    return json.loads(body)["shots"]


def test_the_page_and_the_client_safe_shots(proofing):
    status, headers, body = get(proofing.url(""))
    assert status == 200 and b"<script src=\"static/app.js\">" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    listed = shots(proofing)
    names = [s["name"] for s in listed]
    # Six shots: the second's eyes are closed, the third is rejected: never listed.
    assert names == ["Proof_0001.jpg", "Proof_0004.jpg", "Proof_0005.jpg", "Proof_0006.jpg"]
    assert set(listed[0]) == {"id", "name", "taken", "image", "favourite", "comment", "hearts",
                              "person"}
    assert listed[0]["person"] == "Zoë O'Brien"             # the lead's page groups by it
    status, headers, jpeg = get(proofing.base + listed[0]["image"])
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(jpeg)) as image:
        assert max(image.size) <= 2048
        exif = image.getexif()
        assert 0x8825 not in exif                                  # no location
        assert 0xA431 not in exif.get_ifd(0x8769)                  # no body serial


def test_phones_see_the_photographers_crop_and_the_child_process_keeps_names(proofing):
    """With the 4:5 mask on, a phone gets the 4:5 crop of the 3:2 shot; the view handed to the
    proofing child process keeps each shot's person and the crop."""
    from session.proofing.proof_view import build_view
    from session.proofing.proofing_child import _view
    from session.proofing.proofing_process import view_message
    from tests.proofing_session import assignments

    view = build_view(proofing.model, assignments(proofing.folder), 9, crop=(4, 5))
    proofing.server.publish(view)
    deadline = time.monotonic() + 10                  # the server's loop takes the view
    while proofing.server.view.version != 9 and time.monotonic() < deadline:
        time.sleep(0.01)
    listed = shots(proofing)
    status, _headers, jpeg = get(proofing.base + listed[0]["image"])
    with Image.open(io.BytesIO(jpeg)) as image:
        assert status == 200 and abs(image.width / image.height - 4 / 5) < 0.01
    crossed = _view(json.loads(json.dumps(view_message(view))))
    assert crossed.crop == (4, 5)
    assert [s.person for s in crossed.shots] == [s.person for s in view.shots]
    assert crossed.shots[0].person == "Zoë O'Brien"


def test_wrong_revoked_and_made_up_addresses_all_look_the_same(proofing):
    unknown = get(f"{proofing.base}/nothing")
    wrong = get(f"{proofing.base}/s/{'A' * 22}/")
    assert unknown[0] == wrong[0] == 404 and unknown[2] == wrong[2]
    rejected = next(s for s in proofing.model.shots if s.rejected)
    closed = proofing.model.shots[1]
    for path in (f"img/{shot_id(rejected)}", f"img/{shot_id(closed)}", "img/../../catalog.sqlite",
                 "img/..%2F..%2Fcatalog.sqlite", "static/", "static/../../main.py",
                 "static/index.html", "api/shots/x/favourite", "api", "img/"):
        status, _h, body = get(proofing.url(path))
        assert status == 404 and body == unknown[2], path
    # Revoked: at once, and the page says nothing more than for a made-up one.
    store = LinkStore(proofing.folder)
    store.revoke_all()
    links = store.active()
    store.close()
    proofing.server.set_links(links)
    time.sleep(0.1)
    status, _h, body = get(proofing.url(""))
    assert status == 404 and body == unknown[2]


def test_a_person_sees_only_their_own_shots(proofing):
    mine = shots(proofing, proofing.person)
    assert [s["name"] for s in mine] == ["Proof_0004.jpg", "Proof_0006.jpg"]
    theirs = shots(proofing)[0]                       # Zoë's first shot
    assert get(proofing.url(f"img/{theirs['id']}", proofing.person))[0] == 404
    status, _ = post(proofing.url(f"api/shots/{theirs['id']}/favourite", proofing.person),
                     {"favourite": True, "comment": ""})
    assert status == 404


def test_a_heart_reaches_the_catalog_and_the_sidecar(proofing):
    shot = shots(proofing)[1]
    status, answer = post(proofing.url(f"api/shots/{shot['id']}/favourite"),
                          {"favourite": True, "comment": "<script>alert(1)</script> this one",
                           "device": "phone-1"})
    assert status == 200 and answer["favourite"] is True and answer["hearts"] == 1
    original = proofing.folder / shot["name"]
    favourite, comments = read_favourite(original)
    assert favourite is True and comments == ["<script>alert(1)</script> this one"]
    store = FavouritesStore(proofing.folder)
    assert store.of(shot["name"]).favourite
    store.close()
    listed = {s["id"]: s for s in shots(proofing, device="phone-1")}
    assert listed[shot["id"]]["favourite"] is True          # this phone's own heart
    assert listed[shot["id"]]["comment"] == "<script>alert(1)</script> this one"
    assert shots(proofing, device="phone-2")[1]["favourite"] is False
    if EXIFTOOL is None:
        pytest.skip("exiftool is not installed: the sidecar was checked with our reader only")
    read = subprocess.run([EXIFTOOL, "-j", "-XMP:all", str(original.with_suffix(".xmp"))],
                          capture_output=True, text=True, check=True)
    tags = json.loads(read.stdout)[0]
    assert tags.get("ClientFavourite") is True or tags.get("ClientFavourite") == "True"
    assert "<script>alert(1)</script> this one" in str(tags.get("ClientComments"))


def test_two_phones_hearting_one_shot_at_once_lose_nothing(proofing):
    shot = shots(proofing)[0]
    url = proofing.url(f"api/shots/{shot['id']}/favourite")
    results = []

    def heart(device: str) -> None:
        results.append(post(url, {"favourite": True, "comment": f"from {device}",
                                  "device": device}))

    threads = [threading.Thread(target=heart, args=(f"phone-{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(status == 200 for status, _ in results)
    store = FavouritesStore(proofing.folder)
    said = store.of(shot["name"])
    store.close()
    assert said.hearts == 8 and sorted(said.comments) == sorted(f"from phone-{i}"
                                                                for i in range(8))
    _favourite, comments = read_favourite(proofing.folder / shot["name"])
    assert sorted(comments) == sorted(said.comments)


def test_bad_bodies_are_refused_and_comments_limited(proofing):
    url = proofing.url(f"api/shots/{shots(proofing)[0]['id']}/favourite")
    assert post(url, {"favourite": True, "comment": "x" * 281})[0] == 400
    assert post(url, {"favourite": "yes"})[0] == 400
    assert post(url, None, raw=b"not json")[0] == 400
    assert post(url, None, raw=b"{" + b" " * 10000 + b"}")[0] == 413
    assert post(url, [1, 2])[0] == 400


def test_a_flood_is_slowed_down(proofing):
    statuses = [get(proofing.url("api/shots"))[0] for _ in range(320)]
    assert 429 in statuses and statuses[0] == 200


def read_events(conn: http.client.HTTPResponse, until: float) -> list[tuple[str, dict]]:
    events, kind = [], ""
    while time.monotonic() < until:
        line = conn.fp.readline().decode()
        if not line:
            break
        if line.startswith("event: "):
            kind = line[7:].strip()
        elif line.startswith("data: "):
            events.append((kind, json.loads(line[6:])))
            if kind in ("shot", "revoked"):
                return events
    return events


def test_the_stream_brings_new_shots_and_ends_when_revoked(proofing, tmp_path):
    from tests.proofing_session import analyse
    from tests.sample_session import make_session

    host, port = proofing.base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", f"/s/{proofing.lead.token}/api/stream")
    response = conn.getresponse()
    assert response.status == 200 and response.headers["Content-Type"] == "text/event-stream"
    # A new capture lands and is analysed: the phone hears of it within a second.
    extra = make_session(tmp_path / "more", 1, name="Extra")[0]
    target = proofing.folder / "Proof_0007.jpg"
    target.write_bytes(extra.read_bytes())
    analyse(proofing.folder, target.name)
    started = time.monotonic()
    proofing.republish()
    events = read_events(response, started + 1.0)
    assert events and events[-1][0] == "shot" and events[-1][1]["shot"]["name"] == target.name
    # Stop sharing: the open stream is told and closed.
    store = LinkStore(proofing.folder)
    store.revoke_all()
    proofing.server.set_links(store.active())
    store.close()
    events = read_events(response, time.monotonic() + 2.0)
    assert events and events[-1][0] == "revoked"
    ended = False                       # the stream's last chunk: the server ended it
    for _ in range(6):
        if response.fp.readline() == b"0\r\n":
            ended = True
            break
    assert ended
    conn.close()


def test_the_proof_command_prints_the_link_first_and_serves(tmp_path):
    folder = tmp_path / "Proof"
    make_proofing_session(folder, count=3)
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "proof", str(folder),
                                "--bind", "127.0.0.1"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        first = process.stdout.readline().strip()
        assert first.startswith("http://127.0.0.1:") and "/s/" in first
        assert len(first.rsplit("/s/", 1)[1].strip("/")) == 22       # 128 bits, url-safe
        lines = [process.stdout.readline().strip() for _ in range(2)]
        assert lines[0].startswith("Zoë O'Brien: http://127.0.0.1:")
        status, _h, body = get(first + "api/shots")
        assert status == 200 and len(json.loads(body)["shots"]) == 1   # 1 of 3 client-safe
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    assert process.stderr.read() == ""


def test_a_clients_pin_is_checked_and_counted(proofing):
    """Retouch pins from a phone: a bad body, a spot off the picture or an over-long note is
    refused with its reason and pins nothing; a shot of another person is a 404; past twelve
    notes on one picture the client is told to speak to the photographer."""
    from session.culling.retouch_notes import pin_note, session_notes
    from session.proofing.client_pins import MAX_CLIENT_PINS

    shot = proofing.server.view.shots[0]
    url = proofing.url(f"api/shots/{shot.id}/pin")
    assert post(url, None, raw=b"{not json")[0] == 400
    status, answer = post(url, {"x": 1.5, "y": 0.2, "text": "stray hair"})
    assert status == 400 and "on the picture" in answer["error"]
    status, answer = post(url, {"x": 0.5, "y": 0.2, "text": "x" * 201})
    assert status == 400 and "200 characters" in answer["error"]
    status, answer = post(url, {"x": True, "y": 0.2, "text": "stray hair"})
    assert status == 400
    assert session_notes(proofing.folder) == {}
    others = [s for s in proofing.server.view.shots if s.person_id != proofing.person.scope
              .removeprefix("person:")]
    bo = proofing.url(f"api/shots/{others[0].id}/pin", proofing.person)
    assert post(bo, {"x": 0.5, "y": 0.5, "text": "not mine"})[0] == 404
    pin_note(proofing.folder, proofing.folder / shot.key, 0.4, 0.3, "the photographer's")
    for number in range(2, MAX_CLIENT_PINS + 2):      # the photographer's does not count
        status, answer = post(url, {"x": 0.5, "y": 0.5, "text": f"note {number}"})
        assert status == 200 and answer["number"] == number
    status, answer = post(url, {"x": 0.5, "y": 0.5, "text": "one more"})
    assert status == 400 and "tell the photographer" in answer["error"]
    assert len(session_notes(proofing.folder)[shot.key]) == MAX_CLIENT_PINS + 1
