"""No way out of the session folder and no code execution from data: the application never
starts a shell or a program and never evaluates data; every name taken from a camera, a user
or a template goes through the one sanitiser; XML from others cannot expand entities or reach
files; hostile session and camera names stay inside their folders."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from session.culling.xmp_sidecar import CullMarks, SidecarUnreadable, read_sidecar, write_sidecar
from session.store.naming import NameTemplate, TemplateError
from session.store.session import create_session

ROOT = Path(__file__).resolve().parent.parent
APP = [ROOT / "main.py", *[p for package in ("camera", "coaching", "session", "ui", "resources")
                           for p in (ROOT / package).rglob("*.py")]]
FORBIDDEN_CALLS = {"system", "popen", "eval", "exec", "compile", "execv", "execl", "spawnv",
                   "startfile", "check_output", "check_call", "call", "run", "Popen", "load",
                   "loads"}
FORBIDDEN_MODULES = {"subprocess", "pickle", "marshal", "shelve", "pty", "commands"}
# The one program the application starts: itself, as its analysis processes, its proofing
# server and the demo camera's processor, with fixed argument lists
# (coaching.landmarking.analysis_process.server_command,
# session.proofing.proofing_process.server_command,
# camera.simulated.sim_processor.child_command) and no shell; what comes back is data only
# (coaching.landmarking.landmark_wire; JSON lines; a JSON header and encoded pictures), never
# a pickle.
ALLOWED = {"coaching/landmarking/analysis_process.py": {"subprocess"},
           "session/proofing/proofing_process.py": {"subprocess"},
           "camera/simulated/sim_processor.py": {"subprocess"}}


def calls_and_imports(path: Path) -> tuple[set[str], set[str]]:
    """Imported top-level modules, and calls of os/pickle/marshal program starters or of the
    builtins that run code (eval, exec, compile, __import__)."""
    tree = ast.parse(path.read_text(), str(path))
    modules, calls = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("eval", "exec", "compile",
                                                          "__import__"):
                calls.add(func.id)
            elif (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                  and func.value.id in ("os", "pickle", "marshal", "builtins")
                  and func.attr in FORBIDDEN_CALLS):
                calls.add(f"{func.value.id}.{func.attr}")
    return modules, calls


def test_the_application_runs_no_programs_and_evaluates_no_data():
    found = {}
    for path in APP:
        modules, calls = calls_and_imports(path)
        bad = (modules & FORBIDDEN_MODULES) - ALLOWED.get(str(path.relative_to(ROOT)), set()) \
            | calls
        if bad:
            found[str(path.relative_to(ROOT))] = sorted(bad)
    assert found == {}


def test_the_analysis_process_is_this_program_with_fixed_arguments():
    from coaching.landmarking.analysis_process import ROOT as APP_ROOT
    from coaching.landmarking.analysis_process import server_command

    command = server_command("stills", 7, 8)
    assert command[1:] == [str(APP_ROOT / "main.py"), "--analysis-server", "stills", "7", "8"]
    source = (ROOT / "coaching" / "landmarking" / "analysis_process.py").read_text()
    assert "shell=True" not in source and source.count("subprocess.Popen(") == 1


def test_the_demo_processor_is_this_program_with_fixed_arguments():
    from camera.simulated.sim_processor import ROOT as APP_ROOT
    from camera.simulated.sim_processor import child_command

    assert child_command(None, True, 7, 8)[1:] == [str(APP_ROOT / "main.py"),
                                                   "--demo-processor", "7", "8", "", "1"]
    source = (ROOT / "camera" / "simulated" / "sim_processor.py").read_text()
    assert "shell=True" not in source and source.count("subprocess.Popen(") == 1


def test_hostile_session_names_stay_under_the_sessions_folder(tmp_path):
    root = tmp_path / "sessions"
    for name in ("../../etc", "/etc/passwd", "..", "a/../../b", "\0", "C:\\Windows",
                 "\u202eexe.jpg", "con", " . "):
        session = create_session(name, root=root)
        assert session.folder.parent == root, name
        assert session.name == name                      # shown as typed, stored safely
    assert [p for p in tmp_path.iterdir()] == [root]


@pytest.mark.parametrize("template", ["../{seq}", "{session}/{seq}", "/abs/{seq}", "..{seq}",
                                      "{seq}\0", "{seq}\\x"])
def test_templates_cannot_point_outside(template):
    with pytest.raises(TemplateError):
        NameTemplate(template)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:Label>&lol9;</xmp:Label>
</rdf:Description></rdf:RDF></x:xmpmeta>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:Label>&secret;</xmp:Label>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_sidecars_cannot_expand_entities_or_read_files(tmp_path, xml):
    (tmp_path / "a.xmp").write_bytes(xml)
    with pytest.raises(SidecarUnreadable, match="DTD"):      # refused before any expansion
        read_sidecar(tmp_path / "a.jpg")


def test_text_in_sidecars_is_escaped(tmp_path):
    import xml.etree.ElementTree as ET

    name = 'Anna <script> & "Bob" \'s </x:xmpmeta> session'
    write_sidecar(tmp_path / "a.jpg", CullMarks(3, "Red", 1), name)
    assert read_sidecar(tmp_path / "a.jpg") == CullMarks(3, "Red", 1)
    text = (tmp_path / "a.xmp").read_text()
    assert "<script>" not in text and "&lt;script&gt;" in text
    body = text[text.index("<x:xmpmeta"):text.rindex("</x:xmpmeta>") + len("</x:xmpmeta>")]
    values = [v for e in ET.fromstring(body).iter() for v in e.attrib.values()]
    assert name in values                                   # the name survives, as text
