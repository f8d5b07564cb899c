"""Issue 22, cases 8 and 9: hostile and strange things at a sidecar's name. A DTD with
entities (internal "billion laughs", external to /etc/passwd) is refused in UTF-8 and in
UTF-16 alike: never expanded, never written back; a UTF-16 sidecar from another program is
read, its fields kept and rewritten in UTF-8, and that is said. A folder, a named pipe or a
socket at a sidecar's name is skipped and named by ``mark``, ``proof`` and ``deliver`` (none
crashes, none waits for ever), and the other shots are marked as asked."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import pytest

from session.culling.xmp_sidecar import read_sidecar, sidecar_path
from tests.adversarial.helpers import ROOT, run_main
from tests.sample_session import make_session

LAUGHS = """<?xml version="1.0" encoding="{enc}"?>
<!DOCTYPE x:xmpmeta [
 <!ENTITY a "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY secret SYSTEM "file:///etc/passwd">
]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&c;&secret;</dc:title>
</rdf:Description></rdf:RDF></x:xmpmeta>
"""

FOREIGN = """<?xml version="1.0" encoding="UTF-16"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmp:Rating="2"
  photoshop:Instructions="Retouch: soften the flyaways" />
</rdf:RDF></x:xmpmeta>
"""


@pytest.fixture
def session(tmp_path):
    folder = tmp_path / "Hostile"
    paths = make_session(folder, 4)
    return folder, paths


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-be"])
def test_a_dtd_is_refused_in_every_encoding_and_never_written_back(session, encoding):
    folder, paths = session
    hostile = LAUGHS.format(enc=encoding.upper().replace("-BE", ""))
    data = hostile.encode(encoding) if encoding != "utf-16-be" else \
        b"\xfe\xff" + hostile.encode("utf-16-be")
    sidecar_path(paths[0]).write_bytes(data)
    done = run_main("mark", str(folder), paths[0].name, "--rating", "4")
    assert done.returncode == 0, done.stderr
    written = sidecar_path(paths[0]).read_bytes()
    assert len(written) < 4096                                  # nothing expanded
    assert b"DOCTYPE" not in written.upper() and b"ENTITY" not in written.upper()
    assert b"root:" not in written                              # /etc/passwd never read
    assert read_sidecar(paths[0]).rating == 4
    kept = [p for p in folder.iterdir() if ".xmp.damaged-" in p.name]
    assert [p.read_bytes() for p in kept] == [data]             # set aside as it was
    assert "could not be read" in done.stderr


def test_a_utf16_sidecar_is_kept_and_rewritten_in_utf8(session):
    folder, paths = session
    sidecar_path(paths[1]).write_bytes(FOREIGN.encode("utf-16"))
    done = run_main("mark", str(folder), paths[1].name, "--pick")
    assert done.returncode == 0, done.stderr
    assert "was in UTF-16; it is now written in UTF-8" in done.stderr
    written = sidecar_path(paths[1]).read_bytes()
    text = written.decode("utf-8")                              # UTF-8 now
    assert "Retouch: soften the flyaways" in text               # the retoucher's note kept
    marks = read_sidecar(paths[1])
    assert (marks.rating, marks.pick) == (2, 1)


def _odd_things(folder, paths):
    """A folder, a named pipe and a socket where three shots' sidecars would be."""
    sidecar_path(paths[0]).mkdir()
    os.mkfifo(sidecar_path(paths[1]))
    held = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    held.bind(str(sidecar_path(paths[2])))
    return held


def test_not_files_at_sidecar_names_are_skipped_and_named(session, tmp_path):
    folder, paths = session
    held = _odd_things(folder, paths)
    try:
        done = run_main("mark", str(folder), *[p.name for p in paths], "--rating", "3",
                        timeout=60)
        assert done.returncode == 0, done.stderr
        assert "is a folder" in done.stderr and "is a named pipe" in done.stderr
        assert "is a socket" in done.stderr and "Traceback" not in done.stderr
        assert read_sidecar(paths[3]).rating == 3                # the plain one is marked
        assert sidecar_path(paths[0]).is_dir()                   # all left as they were

        proof = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "proof", str(folder),
                                  "--bind", "127.0.0.1"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            assert proof.stdout.readline().startswith("http://127.0.0.1:")
        finally:
            proof.send_signal(signal.SIGINT)
            code = proof.wait(timeout=30)
        assert code == 0 and "Traceback" not in proof.stderr.read()

        delivered = run_main("deliver", str(folder), "--to", str(tmp_path / "out"),
                             timeout=300)
        assert "Traceback" not in delivered.stderr and delivered.returncode in (0, 1), \
            delivered.stderr
    finally:
        held.close()
