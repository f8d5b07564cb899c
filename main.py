"""Catchlight: tethered studio portrait shooting with a posing coach.

    python main.py                      the tether window (offers the demo camera if none)
    python main.py --demo               the tether window on the simulated camera
    python main.py cameras              detected cameras, with a diagnosis
    python main.py shoot --count N --session DIR [--camera PORT|demo] [--person ID]
    python main.py analyze PATH... [--profile NAME] [--json]
    python main.py review [SESSION_FOLDER]   review and cull a session (sessions browser if none)
    python main.py mark SESSION FILE... [--rating N] [--pick|--reject|--unflag] [--label COLOUR]
    python main.py roster SESSION [--import FILE] [--add NAME] [--cards PDF] [--assign ID FILE...]
    python main.py deliver SOURCE --to DIR [--aspect W:H] [--long-edge PX]
                   [--house-look FILE|median] [--picks-only] [--by-person] [--level]
    python main.py proof SESSION [--port N] [--bind ADDR]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from session.people.roster import Person


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="catchlight", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", action="store_true", help="use the simulated demo camera")
    parser.add_argument("--camera", help="camera port (usb:001,005) or 'demo'")
    parser.add_argument("--session", type=Path, metavar="DIR",
                        help="open this session folder (default: the last one)")
    parser.add_argument("--self-test", action="store_true",
                        help="check models, Qt and (with VCAMERADIR) libgphoto2, then exit")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log everything (the models' own messages too)")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("cameras", help="list cameras and diagnose connection problems")
    shoot = commands.add_parser("shoot", help="headless tethered capture",
                                description="Take shots without a window: one line per "
                                "verified file (path, size, SHA-256).")
    shoot.add_argument("--count", type=int, required=True, help="how many shots to take")
    shoot.add_argument("--session", type=Path, required=True, dest="shoot_session",
                       metavar="DIR", help="the session folder (made if needed)")
    shoot.add_argument("--camera", dest="shoot_camera", metavar="PORT",
                       help="camera port (usb:001,005) or 'demo' (default: the first found)")
    shoot.add_argument("--backup", type=Path, help="also copy (and verify) every file here")
    shoot.add_argument("--person", default="", metavar="ID",
                       help="on a headshot day: the roster id (or exact name) of the person "
                       "in front of the camera; the shots are named and recorded as theirs")
    analyze = commands.add_parser(
        "analyze", help="coaching analysis of images or folders",
        description="The coach's analysis of each image: faces, head pose, eyes, smile, "
        "shoulders, framing, sharpness at the eyes, flags (eyes closed, soft eyes, ...) and "
        "the cues it would give, most urgent first. Exit status 1 if any image could not "
        "be analysed.")
    analyze.add_argument("paths", type=Path, nargs="+", metavar="PATH",
                         help="image files, or folders (searched for pictures)")
    analyze.add_argument("--profile", metavar="NAME",
                         help="style profile whose target ranges the cues use: Corporate "
                         "(default), Actor, Editorial or one of your own; any case")
    analyze.add_argument("--json", action="store_true",
                         help="one JSON object per image instead of one line of text")
    analyze.add_argument("--all-cues", action="store_true",
                         help="every cue that applies (default: the two most urgent, as the "
                         "live coach shows them)")
    analyze.add_argument("--hero", type=Path, metavar="FILE",
                         help="a hero frame (a chosen shot or a reference picture): each image "
                         "is scored 0-100 against it and its two largest differences are "
                         "said (in --json: match, with score and differences)")
    review = commands.add_parser("review", help="review and cull a session")
    review.add_argument("folder", type=Path, nargs="?",
                        help="session or picture folder (default: the sessions browser)")
    mark = commands.add_parser("mark", help="set culling marks (catalog and XMP sidecar)",
                               description="Set stars, pick/reject and colour label of shots, "
                               "as the culling keys do: in the catalog and the XMP sidecar.")
    mark.add_argument("mark_session", type=Path, metavar="SESSION", help="session folder")
    mark.add_argument("files", nargs="+", metavar="FILE",
                      help="file names (or paths) of shots in the session")
    mark.add_argument("--rating", type=int, help="stars, 0 (none) to 5")
    flag = mark.add_mutually_exclusive_group()
    for name, text in (("pick", "flag as a pick"), ("reject", "reject (keeps the stars)"),
                       ("unflag", "neither pick nor reject")):
        flag.add_argument(f"--{name}", dest="flag", action="store_const", const=name, help=text)
    mark.add_argument("--label", help="Red, Yellow, Green, Blue, Purple, or none")
    roster = commands.add_parser(
        "roster", help="a headshot day's roster: import, add, QR cards, list",
        description="Import a roster CSV (UTF-8, comma or semicolon; columns Name or First "
        "name/Last name, Email, Department, ID; other columns kept), add people, print QR "
        "cards, and list the roster with each person's shots. A bad file changes nothing.")
    roster.add_argument("roster_session", type=Path, metavar="SESSION", help="session folder")
    roster.add_argument("--import", dest="import_file", type=Path, metavar="FILE",
                        help="a roster CSV to import (people with a known id are updated)")
    roster.add_argument("--add", action="append", default=[], metavar="NAME",
                        help="add a person by name (repeatable)")
    roster.add_argument("--cards", type=Path, metavar="PDF",
                        help="write a PDF of QR cards, one per person")
    roster.add_argument("--assign", nargs="+", metavar=("ID", "FILE"),
                        help="give shots to a person: the roster id (or exact name), then "
                        "the shots' files or names (a card was missed)")
    deliver = commands.add_parser(
        "deliver", help="face-anchored delivery of a headshot day",
        description="Crop every picture so the eyes sit on the house eye line and the face has "
        "the house height, at one aspect and long edge; writes consistency.csv beside them. "
        "Exits 1 naming any file that failed.")
    deliver.add_argument("deliver_source", type=Path, metavar="SOURCE",
                         help="a session folder or a plain folder of images")
    deliver.add_argument("--to", type=Path, required=True, metavar="DIR",
                         help="the delivery folder (outside any session)")
    deliver.add_argument("--aspect", default="4:5", metavar="W:H",
                         help="aspect of the delivered pictures (4:5, 1:1, 2:3, ...)")
    deliver.add_argument("--long-edge", type=int, default=2048, metavar="PX")
    deliver.add_argument("--house-look", metavar="FILE|common|median",
                         help="a saved house look; 'common' for the loosest framing every "
                         "picture can reach (every face the same size, on the same line); "
                         "'median' for the set's median framing (default: the session's house "
                         "look, else common)")
    deliver.add_argument("--picks-only", action="store_true", help="only the picks")
    deliver.add_argument("--by-person", action="store_true", help="one folder per person")
    deliver.add_argument("--level", action="store_true", help="correct the head's roll")
    deliver.add_argument("--max-upscale", type=float, default=1.0, metavar="X",
                         help="never enlarge more than this (default 1: never)")
    deliver.add_argument("--keep-private", action="store_true",
                         help="keep GPS and serial numbers in the delivered files")
    proof = commands.add_parser(
        "proof", help="serve the proofing page for phones (prints the link first)",
        description="Serve the session's client-safe shots to phones on the studio network "
        "until interrupted. The first line printed is the link, with its token; on a "
        "headshot day each person's own link follows.")
    proof.add_argument("proof_session", type=Path, metavar="SESSION", help="session folder")
    proof.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    proof.add_argument("--bind", metavar="ADDR",
                       help="the address to listen on (default: this machine's address on "
                       "the studio network, else 127.0.0.1; never an internet-facing one "
                       "unless given here)")
    deliver.add_argument("--artist", default="", help="the artist written into every file")
    deliver.add_argument("--copyright", default="", help="the copyright written into every file")
    deliver.add_argument("--headline", default="", help="the headline written into every file")
    deliver.add_argument("--caption", default="", help="the caption written into every file")
    deliver.add_argument("--jobs", type=int, default=0, metavar="N",
                         help="pictures rendered at once (default: one per core, at most 2)")
    return parser


def _cards_writer() -> Callable[[Path, list[Person], str], int]:
    """ui.headshot.roster_cards.write_cards with the headless Qt it paints with."""
    def write(target: Path, people: list[Person], title: str) -> int:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtGui import QGuiApplication

        from ui.headshot.roster_cards import write_cards

        _app = QGuiApplication.instance() or QGuiApplication(["catchlight-cards"])
        return write_cards(target, people, title)

    return write


def run_cameras() -> int:
    from camera.errors import CameraError
    from camera.libgphoto2.diagnose import diagnose_cameras, format_reports
    from camera.libgphoto2.gphoto2_backend import Gphoto2Backend

    try:
        reports = diagnose_cameras(Gphoto2Backend())
    except CameraError as exc:
        print(exc.user_message, file=sys.stderr)
        return 1
    print(format_reports(reports))
    return 0 if reports and all(r.ok for r in reports) else 1


def run_shoot(args: argparse.Namespace) -> int:
    from camera.errors import CameraError
    from camera.factory import open_backend
    from coaching.cli.shoot import shoot

    if args.count < 1:
        print("--count must be at least 1", file=sys.stderr)
        return 2
    try:
        backend, port = open_backend(args.shoot_camera or args.camera)
    except CameraError as exc:
        print(exc.user_message, file=sys.stderr)
        return 2
    return shoot(backend, port, args.shoot_session, args.count, backup=args.backup,
                 person_id=args.person)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if getattr(sys, "frozen", False):
        import multiprocessing

        # The bundle is its own Python: multiprocessing's resource tracker (which removes the
        # shared memory of a killed app) starts it with "-c ...", which this runs and exits.
        multiprocessing.freeze_support()
    if argv[:1] == ["--proofing-server"]:          # the proofing server's own process
        from session.proofing.proofing_child import serve as serve_proofing

        return serve_proofing()
    if argv[:1] == ["--demo-processor"]:           # the demo camera's image processor
        from camera.simulated.sim_processor import serve as serve_processor

        return serve_processor(argv[1:])
    if argv[:1] == ["--analysis-server"]:          # the coach's child process
        from coaching.landmarking.analysis_server import main as serve

        return serve(argv[1:])
    args = build_parser().parse_args(argv)
    if args.verbose:
        os.environ["CATCHLIGHT_VERBOSE"] = "1"       # the analysis processes too
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(threadName)s %(name)s: %(message)s")
    if args.self_test:
        from ui.self_test import run_self_test

        return run_self_test()
    if args.command == "cameras":
        return run_cameras()
    if args.command == "shoot":
        return run_shoot(args)
    if args.command == "analyze":
        from coaching.cli.analyze_cli import run_analyze
        from coaching.landmarking.native_output import quiet_native_output

        if not args.verbose:
            quiet_native_output()               # results on stdout, errors on stderr only

        return run_analyze(args.paths, args.profile, args.json, sys.stdout, sys.stderr,
                           all_cues=args.all_cues, hero=args.hero)
    if args.command == "mark":
        from coaching.cli.mark_cli import run_mark

        return run_mark(args.mark_session, args.files, args.rating, args.flag, args.label)
    if args.command == "deliver":
        from coaching.cli.deliver_cli import run_deliver
        from coaching.landmarking.native_output import quiet_native_output

        if not args.verbose:
            quiet_native_output()
        return run_deliver(args.deliver_source, args.to, args.aspect, args.long_edge,
                           args.house_look, args.picks_only, args.by_person, args.level,
                           args.keep_private, args.max_upscale, jobs=args.jobs,
                           artist=args.artist, copyright_=args.copyright,
                           headline=args.headline, caption=args.caption, out=sys.stdout,
                           err=sys.stderr)
    if args.command == "proof":
        from coaching.cli.proof_cli import run_proof
        from coaching.landmarking.native_output import quiet_native_output
        from coaching.stills.session_backfill import start_backfill

        if not args.verbose:
            quiet_native_output()
        analyse, stop_analysis = start_backfill()
        try:
            return run_proof(args.proof_session, args.port, args.bind, sys.stdout,
                             sys.stderr, analyse=analyse)
        finally:
            stop_analysis()
    if args.command == "roster":
        from coaching.cli.roster_cli import run_roster

        return run_roster(args.roster_session, args.import_file, args.add, args.cards,
                          write_cards=_cards_writer(), assign=args.assign or [])
    if args.command == "review":
        from ui.app import run_review

        return run_review(args.folder)
    from ui.app import run_gui

    return run_gui(demo=args.demo or args.camera == "demo", camera=args.camera,
                   session=args.session)


if __name__ == "__main__":
    sys.exit(main())
