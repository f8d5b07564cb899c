"""The proofing page in a real browser (Debian's chromium and chromium-driver, driven by
Selenium, headless, at a phone's 390x844): open the link, see the client-safe shots, a new
capture appears by itself, tap it for full screen, swipe on, tap the heart; the catalog and
the sidecar have it; a note that looks like HTML stays text; a phone that was away catches up;
a bad token shows the 404 page. Loopback only. Skips (with the reason) where chromium, its
driver or Selenium are missing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from session.culling.client_favourites import FavouritesStore, read_favourite
from tests.proofing_session import analyse
from tests.sample_session import make_session

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
    pytest.skip("chromium and chromium-driver are not installed (apt install chromium "
                "chromium-driver)", allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--window-size=390,844",
                     "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def tiles(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "#grid .tile")


def wait(driver, condition, timeout: float = 10.0):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition(d))


def add_capture(proofing, tmp_path: Path, number: int) -> Path:
    """A new capture lands in the session and is analysed; the model tells the server."""
    extra = make_session(tmp_path / f"more-{number}", 1, name="Extra")[0]
    target = proofing.folder / f"Proof_{number:04d}.jpg"
    target.write_bytes(extra.read_bytes())
    analyse(proofing.folder, target.name)
    proofing.republish()
    return target


def test_a_client_follows_the_shoot_and_hearts_a_picture(browser, proofing, tmp_path):
    browser.get(proofing.url(""))
    wait(browser, lambda d: len(tiles(d)) == 4)
    assert browser.find_element(By.ID, "status").text == "4 pictures"
    # Every picture loaded (display JPEGs from the server, nothing from the internet).
    wait(browser, lambda d: all(d.execute_script("return arguments[0].naturalWidth", img) > 0
                                for img in d.find_elements(By.CSS_SELECTOR, "#grid img")))
    # A new capture appears by itself, once.
    add_capture(proofing, tmp_path, 7)
    wait(browser, lambda d: len(tiles(d)) == 5, timeout=30)   # pushed: the page never reloads
    # Tap it: full screen; swipe back and on (the keys do what a swipe does).
    tiles(browser)[-1].click()
    viewer = browser.find_element(By.ID, "viewer")
    wait(browser, lambda d: viewer.is_displayed())
    assert browser.find_element(By.ID, "counter").text == "5 / 5"
    browser.find_element(By.ID, "prev").click()
    assert browser.find_element(By.ID, "counter").text == "4 / 5"
    browser.find_element(By.ID, "next").click()
    # The heart and a note that looks like HTML.
    note = browser.find_element(By.ID, "comment")
    note.send_keys("<img src=x onerror=alert(1)> the best one")
    browser.find_element(By.ID, "heart").click()
    heart = browser.find_element(By.ID, "heart")
    wait(browser, lambda d: heart.get_attribute("aria-pressed") == "true")
    name = "Proof_0007.jpg"

    def kept() -> bool:
        store = FavouritesStore(proofing.folder)
        try:
            return store.of(name).favourite
        finally:
            store.close()

    wait(browser, lambda d: kept())
    favourite, comments = read_favourite(proofing.folder / name)
    assert favourite is True and comments == ["<img src=x onerror=alert(1)> the best one"]
    assert browser.find_elements(By.CSS_SELECTOR, "img[src='x']") == []    # text, not HTML
    assert not browser.execute_script("return window.alerted === true")
    browser.find_element(By.ID, "close").click()
    assert tiles(browser)[-1].find_element(By.CLASS_NAME, "mark").text == "♥"
    # Reload: this phone's heart and note are still its own.
    browser.refresh()
    wait(browser, lambda d: len(tiles(d)) == 5)
    assert tiles(browser)[-1].find_element(By.CLASS_NAME, "mark").text == "♥"
    artifacts = os.environ.get("CATCHLIGHT_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(artifacts) / "proofing-phone.png"))


def test_the_leads_page_groups_a_headshot_day_by_person(browser, proofing):
    """The lead sees each person's shots under their name (text, never HTML), in the order
    they were taken; Bo's own link shows only his, under his name."""
    browser.get(proofing.url(""))
    wait(browser, lambda d: len(tiles(d)) == 4)

    def layout(driver) -> list[str]:
        return [(child.get_attribute("textContent") if child.tag_name == "h2"
                 else "tile") for child in driver.find_elements(By.CSS_SELECTOR, "#grid > *")]

    assert layout(browser) == ["Zoë O'Brien", "tile", "tile", "Bo Berg", "tile", "tile"]
    browser.get(proofing.url("", proofing.person))
    wait(browser, lambda d: len(tiles(d)) == 2)
    assert layout(browser) == ["Bo Berg", "tile", "tile"]


def test_a_note_is_a_note_not_a_heart(browser, proofing):
    """"Please don't use this one" saved on a shot keeps it un-hearted; the note is kept."""
    browser.get(proofing.url(""))
    wait(browser, lambda d: len(tiles(d)) == 4)
    tiles(browser)[0].click()
    wait(browser, lambda d: d.find_element(By.ID, "viewer").is_displayed())
    note = browser.find_element(By.ID, "comment")
    note.send_keys("Please don't use this one, my eyes look tired")
    browser.find_element(By.ID, "send").click()
    shot_id = tiles(browser)[0].get_attribute("data-id")

    def said():  # type: ignore[no-untyped-def]
        store = FavouritesStore(proofing.folder)
        try:
            return {key: f for key, f in store.all().items() if f.comments}
        finally:
            store.close()

    wait(browser, lambda d: said())
    (favourite,) = said().values()
    assert favourite.comments == ("Please don't use this one, my eyes look tired",)
    assert not favourite.favourite and favourite.hearts == 0
    assert browser.find_element(By.ID, "heart").get_attribute("aria-pressed") == "false"
    browser.find_element(By.ID, "close").click()
    assert tiles(browser)[0].find_element(By.CLASS_NAME, "mark").text == ""
    assert tiles(browser)[0].get_attribute("data-id") == shot_id


def test_a_phone_that_was_away_catches_up_and_a_bad_link_is_a_404(browser, proofing,
                                                                   tmp_path):
    browser.get(proofing.url(""))
    wait(browser, lambda d: len(tiles(d)) == 4)
    # The phone sleeps: its stream is gone while two shots land and one is rejected.
    browser.execute_script("window.stop();")
    add_capture(proofing, tmp_path, 7)
    add_capture(proofing, tmp_path, 8)
    browser.execute_script("document.dispatchEvent(new Event('visibilitychange'))")
    wait(browser, lambda d: len(tiles(d)) == 6)
    ids = [t.get_attribute("data-id") for t in tiles(browser)]
    assert len(set(ids)) == 6                                   # each shot exactly once
    browser.get(f"{proofing.base}/s/not-a-token/")
    assert "does not exist" in browser.find_element(By.TAG_NAME, "body").text


def test_the_lead_pins_a_retouch_note_on_the_cropped_picture(browser, proofing, tmp_path):
    """On the phone's full-screen picture (the 4:5 crop the photographer's mask shows): ✎,
    tap a spot, type, Pin. The note is the shot's, by the client, at the same spot of the
    whole frame, in the catalog and the sidecar; HTML in it stays text."""
    from selenium.webdriver.common.action_chains import ActionChains

    from session.culling.retouch_notes import session_notes
    from session.culling.xmp_sidecar import read_regions
    from session.proofing.proof_view import build_view

    proofing.version += 1
    proofing.server.publish(build_view(proofing.model, {}, proofing.version, crop=(4, 5)))
    browser.get(proofing.url(""))
    wait(browser, lambda d: len(tiles(d)) == 4)
    tiles(browser)[0].click()
    big = browser.find_element(By.ID, "big")
    wait(browser, lambda d: d.execute_script("return arguments[0].naturalWidth", big) > 0)
    key = next(s.key for s in proofing.model.shots
               if proofing.server.view.shots[0].key == s.key)
    browser.find_element(By.ID, "spot").click()
    assert browser.find_element(By.ID, "pin-hint").is_displayed()
    box = browser.execute_script(
        "const b = arguments[0].getBoundingClientRect(), i = arguments[0];"
        "const s = Math.min(b.width / i.naturalWidth, b.height / i.naturalHeight);"
        "return [b.width, b.height, i.naturalWidth * s, i.naturalHeight * s];", big)
    width, height, shown_w, shown_h = box
    # A quarter across and a third down the picture the phone shows, from the element's centre.
    dx = -shown_w / 2 + 0.25 * shown_w
    dy = -shown_h / 2 + (1 / 3) * shown_h
    ActionChains(browser).move_to_element_with_offset(big, round(dx), round(dy)).click().perform()
    field = browser.find_element(By.ID, "pin-text")
    wait(browser, lambda d: field.is_displayed())
    field.send_keys("<b>stray hair</b> here")
    browser.find_element(By.ID, "pin-send").click()
    hint = browser.find_element(By.ID, "pin-hint")
    wait(browser, lambda d: "pinned for the retoucher" in hint.text)
    (note,) = session_notes(proofing.folder)[key]
    assert note.text == "<b>stray hair</b> here" and note.author == "client"
    # The phone saw a 4:5 crop of a 3:2 frame: x 0.25 of the crop is further in on the frame.
    shot_path = proofing.folder / key
    with Image.open(shot_path) as image:
        frame_w, frame_h = image.size
    kept = frame_h * 4 / 5
    assert abs(note.x - ((frame_w - kept) / 2 + 0.25 * kept) / frame_w) < 0.02
    assert abs(note.y - 1 / 3) < 0.02
    assert [r.description for r in read_regions(shot_path) if r.kind == "note"] == \
        ["<b>stray hair</b> here"]
    assert browser.find_elements(By.CSS_SELECTOR, "#viewer b") == []       # text, not HTML
    artifacts = os.environ.get("CATCHLIGHT_ARTIFACTS")
    if artifacts:
        browser.save_screenshot(str(Path(artifacts) / "proofing-pin.png"))


def test_the_lead_sees_each_approval_as_it_happens(browser, proofing):
    """Issue 29: Zoë approves a shot at the chair; the lead's page, open meanwhile, says she
    is approved (her approved picture marked) and Bo is waiting, without a reload; the lead
    vetoes it and adds a note (kept, heard by the studio, shown as text); Bo's own page says
    nothing of anyone's sign-off and cannot give a verdict; a closed day takes none."""
    import time

    from session.people.approvals import Approval, ApprovalStore
    from session.proofing.proof_view import shot_id
    from tests.proofing_session import post

    browser.get(proofing.url(""))
    wait(browser, lambda d: len(tiles(d)) == 4)
    headings = lambda d: [h.get_attribute("textContent")  # noqa: E731
                          for h in d.find_elements(By.CSS_SELECTOR, "#grid h2")]
    assert headings(browser) == ["Zoë O'Brien", "Bo Berg"]
    chosen = proofing.model.shot("Proof_0001.jpg")
    with ApprovalStore(proofing.folder) as store:
        store.add(Approval("E-1", chosen.key, time.time(), "Proof approved/Zoë O'Brien.jpg",
                           "0" * 64))
    proofing.republish()
    wait(browser, lambda d: headings(d) == ["Zoë O'Brien — approved ✓", "Bo Berg — waiting"])
    approved = browser.find_element(By.ID, f"t-{shot_id(chosen)}")
    assert "approved" in approved.get_attribute("class")
    assert "1 of 2 approved" in browser.find_element(By.ID, "status").text
    # The lead's veto and note, kept in the catalog and heard by the studio.
    heard = []
    proofing.server.on_verdict = heard.append
    browser.find_element(By.CSS_SELECTOR, ".verdict .veto").click()
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, ".verdict .veto").text
         == "Vetoed: undo")
    browser.find_element(By.CSS_SELECTOR, ".verdict .note").click()
    prompt = WebDriverWait(browser, 5).until(lambda d: d.switch_to.alert)
    prompt.send_keys("<b>Hair over the eye</b>")
    prompt.accept()
    wait(browser, lambda d: "Hair over the eye" in d.find_element(
        By.CSS_SELECTOR, ".verdict .words").text)
    artifacts = os.environ.get("CATCHLIGHT_ARTIFACTS")
    if artifacts:                                     # for the docs (make_screenshots)
        browser.save_screenshot(str(Path(artifacts) / "proofing-signoff.png"))
    assert [(v.person_id, v.veto) for v in heard] == [("E-1", True), ("E-1", True)]
    assert heard[-1].note == "<b>Hair over the eye</b>" and heard[-1].shot == chosen.key
    from session.people.lead_verdicts import session_verdicts

    assert session_verdicts(proofing.folder)["E-1"].veto
    key = browser.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-key")
    browser.get(proofing.url("", proofing.person))
    wait(browser, lambda d: len(tiles(d)) == 2)
    assert headings(browser) == ["Bo Berg"]
    assert "approved" not in browser.find_element(By.ID, "status").text
    assert not browser.find_elements(By.CSS_SELECTOR, ".verdict")
    # Only the lead's link may give it, and not once the day is closed.
    assert post(proofing.url(f"api/people/{key}/verdict", proofing.person),
                {"veto": False, "note": ""})[0] == 404
    with ApprovalStore(proofing.folder) as store:
        store.close_day()
    proofing.republish()
    deadline = time.monotonic() + 10
    while not proofing.server.view.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert post(proofing.url(f"api/people/{key}/verdict"), {"veto": False, "note": ""})[0] \
        == 409
