// Catchlight proofing page: the client's shots, live; a heart and a note per picture, and
// retouch notes pinned on a spot of the full-screen picture.
// Plain JavaScript, no build step, nothing from the internet. Everything the server or a
// client typed is shown with textContent (never as HTML).
"use strict";
(function () {
  const base = location.pathname.replace(/[^/]*$/, "");   // /s/<token>/
  const deviceKey = "catchlight-device";
  let device = localStorage.getItem(deviceKey);
  if (!device) {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    device = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem(deviceKey, device);
  }
  let shots = new Map();        // id -> shot, in the order the studio took them
  let signoff = new Map();      // the lead's page of a headshot day: person -> {status, shot}
  const SIGNOFF_WORDS = {approved: "approved ✓", waiting: "waiting", missing: "not photographed"};
  const grid = document.getElementById("grid");
  const status = document.getElementById("status");
  const empty = document.getElementById("empty");
  const viewer = document.getElementById("viewer");
  const big = document.getElementById("big");
  const heart = document.getElementById("heart");
  const comment = document.getElementById("comment");
  const counter = document.getElementById("counter");
  const spot = document.getElementById("spot");
  const pinHint = document.getElementById("pin-hint");
  const pinForm = document.getElementById("pin");
  const pinText = document.getElementById("pin-text");
  const marker = document.getElementById("marker");
  let pinAt = null;             // {x, y} on the picture (0..1) waiting for its words
  let current = null;
  let stream = null;
  let revoked = false;

  function people() {             // the people in the shots, in the order they were taken
    const found = [];
    shots.forEach((shot) => { if (!found.includes(shot.person || "")) found.push(shot.person || ""); });
    return found;
  }

  function grouped() {            // the lead's page of a headshot day: by person
    const found = people();
    return found.length > 1 || (found.length === 1 && found[0] !== "");
  }

  function ordered() {            // the server's order (a new shot from the stream goes last),
    const all = Array.from(shots.values());   // person by person on a headshot day: the
    if (!grouped()) return all;               // order the grid shows and a swipe follows
    return people().flatMap((person) => all.filter((shot) => (shot.person || "") === person));
  }

  function tileFor(shot) {
    let tile = document.getElementById("t-" + shot.id);
    if (!tile) {
      tile = document.createElement("button");
      tile.className = "tile";
      tile.id = "t-" + shot.id;
      tile.dataset.id = shot.id;
      const img = document.createElement("img");
      img.loading = "lazy";
      img.alt = "";
      img.src = shot.image;
      const mark = document.createElement("span");
      mark.className = "mark";
      tile.append(img, mark);
      tile.addEventListener("click", () => open(shot.id));
    }
    tile.querySelector("img").alt = shot.name;
    const approved = Array.from(signoff.values()).some((said) => said.shot === shot.id);
    tile.querySelector(".mark").textContent = (approved ? "✓ " : "") + (shot.favourite ? "♥" : "");
    tile.classList.toggle("approved", approved);
    return tile;
  }

  function headingFor(person) {      // a headshot day's lead sees the shots by person
    const id = "p-" + Array.from(person, (c) => c.codePointAt(0).toString(16)).join("-");
    let heading = document.getElementById(id);
    if (!heading) {
      heading = document.createElement("h2");
      heading.className = "person";
      heading.id = id;
      heading.textContent = person;   // text, never HTML
    }
    return heading;
  }

  function render() {
    const list = ordered();
    const kept = new Set();
    if (grouped()) {
      people().forEach((person) => {
        const heading = headingFor(person || "Not yet given to anyone");
        const said = signoff.get(person);
        heading.textContent = (person || "Not yet given to anyone") +
          (said ? " — " + (SIGNOFF_WORDS[said.status] || "") : "");   // text, never HTML
        heading.dataset.signoff = said ? said.status : "";
        kept.add(heading.id);
        const verdict = said && said.key && said.status === "approved" ? verdictFor(heading.id, said) : null;
        if (verdict) kept.add(verdict.id);
        const mine = list.filter((shot) => (shot.person || "") === person);
        heading.dataset.count = mine.length;
        grid.append(heading);
        if (verdict) grid.append(verdict);
        mine.forEach((shot) => grid.append(tileFor(shot)));
      });
    } else {
      list.forEach((shot) => grid.append(tileFor(shot)));   // append moves: keeps the order
    }
    Array.from(grid.children).forEach((child) => {
      const named = child.classList.contains("person") || child.classList.contains("verdict");
      if (named ? !kept.has(child.id) : !shots.has(child.dataset.id)) {
        child.remove();
      }
    });
    empty.hidden = list.length > 0;
    const approvedCount = Array.from(signoff.values()).filter((s) => s.status === "approved").length;
    status.textContent = revoked ? "This link is no longer shared." :
      list.length + (list.length === 1 ? " picture" : " pictures") +
      (signoff.size ? " · " + approvedCount + " of " + signoff.size + " approved" : "");
    if (current && !shots.has(current)) close();
    if (current) show(current);
  }

  function upsert(entry) {
    const known = shots.get(entry.id);
    const merged = Object.assign({favourite: false, comment: ""}, known || {}, entry);
    if (known && entry.favourite === undefined) {   // the stream says nothing of this phone
      merged.favourite = known.favourite;
      merged.comment = known.comment;
    }
    shots.set(entry.id, merged);
  }

  async function catchUp() {
    if (revoked) return;
    try {
      const answer = await fetch(base + "api/shots?device=" + device, {cache: "no-store"});
      if (answer.status === 404) return gone();
      if (!answer.ok) return;
      const data = await answer.json();
      const before = shots;
      shots = new Map();
      data.shots.forEach((entry) => {
        if (before.has(entry.id)) shots.set(entry.id, before.get(entry.id));
        upsert(entry);
      });
      if (data.signoff) setSignoff(data.signoff);
      render();
    } catch (err) {
      status.textContent = "Waiting for the studio's network…";
    }
  }

  function verdictFor(headingId, said) {   // the lead's veto and note on an approval
    const id = "v-" + headingId;
    let row = document.getElementById(id);
    if (!row) {
      row = document.createElement("div");
      row.className = "verdict";
      row.id = id;
      const veto = document.createElement("button");
      veto.className = "veto";
      const note = document.createElement("button");
      note.className = "note";
      note.textContent = "Note";
      const words = document.createElement("span");
      words.className = "words";
      row.append(veto, note, words);
      veto.addEventListener("click", () => judge(row, !(row.dataset.veto === "true"), row.dataset.note || ""));
      note.addEventListener("click", () => {
        const text = window.prompt("A note for the photographer about this approval", row.dataset.note || "");
        if (text !== null) judge(row, row.dataset.veto === "true", text.slice(0, 280));
      });
    }
    row.dataset.key = said.key;
    row.dataset.veto = said.veto ? "true" : "false";
    row.dataset.note = said.note || "";
    row.querySelector(".veto").textContent = said.veto ? "Vetoed: undo" : "Veto";
    row.querySelector(".veto").setAttribute("aria-pressed", said.veto ? "true" : "false");
    row.querySelector(".words").textContent = said.note ? "“" + said.note + "”" : "";   // text, never HTML
    return row;
  }

  async function judge(row, veto, note) {
    const answer = await fetch(base + "api/people/" + row.dataset.key + "/verdict", {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({veto: veto, note: note})});
    if (!answer.ok) {
      status.textContent = answer.status === 409 ? "The day is closed." : "Not kept: try again.";
      return;
    }
    const kept = await answer.json();
    signoff.forEach((line) => { if (line.key === kept.key) { line.veto = kept.veto; line.note = kept.note; } });
    render();
  }

  function setSignoff(people) {      // the day's sign-off, as the studio says it now
    signoff = new Map();
    people.forEach((line) => signoff.set(String(line.person), {
      status: String(line.status), shot: String(line.shot || ""), key: String(line.key || ""),
      veto: line.veto === true, note: String(line.note || "")}));
  }

  function gone() {
    revoked = true;
    if (stream) stream.close();
    shots.clear();
    render();
  }

  function listen() {
    stream = new EventSource(base + "api/stream?device=" + device);
    stream.addEventListener("open", catchUp);          // first time and after every drop
    stream.addEventListener("shot", (e) => { upsert(JSON.parse(e.data).shot); render(); });
    stream.addEventListener("removed", (e) => { shots.delete(JSON.parse(e.data).id); render(); });
    stream.addEventListener("signoff", (e) => { setSignoff(JSON.parse(e.data).people); render(); });
    stream.addEventListener("revoked", gone);
    stream.addEventListener("error", () => {
      if (!revoked) status.textContent = "Reconnecting…";
    });
  }

  function open(id) { current = id; viewer.hidden = false; show(id); }
  function close() { current = null; viewer.hidden = true; endPin(); }
  function endPin() {
    pinAt = null;
    spot.setAttribute("aria-pressed", "false");
    pinHint.hidden = true;
    pinForm.hidden = true;
    marker.hidden = true;
  }
  function show(id) {
    const list = ordered();
    const index = list.findIndex((s) => s.id === id);
    const shot = list[index];
    if (!shot) return close();
    if (big.getAttribute("src") !== shot.image) big.src = shot.image;
    big.alt = shot.name;
    heart.setAttribute("aria-pressed", String(Boolean(shot.favourite)));
    heart.textContent = shot.favourite ? "♥" : "♡";
    if (document.activeElement !== comment) comment.value = shot.comment || "";
    counter.textContent = (index + 1) + " / " + list.length;
  }
  function step(by) {
    const list = ordered();
    const index = list.findIndex((s) => s.id === current);
    const next = list[index + by];
    if (next) { current = next.id; show(current); endPin(); }
  }

  function pictureBox() {       // where the picture is drawn inside the <img> (letterboxed)
    const box = big.getBoundingClientRect();
    const scale = Math.min(box.width / big.naturalWidth, box.height / big.naturalHeight);
    const w = big.naturalWidth * scale, h = big.naturalHeight * scale;
    return {left: box.left + (box.width - w) / 2, top: box.top + (box.height - h) / 2, w, h,
            offsetX: (box.width - w) / 2, offsetY: (box.height - h) / 2};
  }

  spot.addEventListener("click", () => {
    if (spot.getAttribute("aria-pressed") === "true") return endPin();
    spot.setAttribute("aria-pressed", "true");
    pinHint.textContent = "Tap the spot on the picture for the retoucher.";
    pinHint.hidden = false;
  });
  big.addEventListener("click", (e) => {
    if (spot.getAttribute("aria-pressed") !== "true" || !big.naturalWidth) return;
    const box = pictureBox();
    const x = (e.clientX - box.left) / box.w, y = (e.clientY - box.top) / box.h;
    if (x < 0 || x > 1 || y < 0 || y > 1) return;
    pinAt = {x, y};
    marker.style.left = (box.offsetX + x * box.w) + "px";
    marker.style.top = (box.offsetY + y * box.h) + "px";
    marker.textContent = "";
    marker.hidden = false;
    pinHint.textContent = "What should the retoucher do here?";
    pinForm.hidden = false;
    pinText.focus();
  });
  pinForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const shot = shots.get(current);
    const words = pinText.value.trim();
    if (!shot || !pinAt || !words) return;
    const answer = await fetch(base + "api/shots/" + shot.id + "/pin", {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({x: pinAt.x, y: pinAt.y, text: words, device: device}),
    });
    const data = await answer.json().catch(() => ({}));
    if (answer.ok) {
      pinText.value = "";
      endPin();
      marker.textContent = String(data.number);   // it stays where it was put
      marker.hidden = false;
      pinHint.textContent = "Note " + data.number + " pinned for the retoucher.";
      pinHint.hidden = false;
    } else if (answer.status === 404) {
      gone();
    } else {
      pinHint.textContent = data.error || "The note could not be saved.";
      pinHint.hidden = false;
    }
  });

  async function say(favourite, note) {
    const shot = shots.get(current);
    if (!shot) return;
    const answer = await fetch(base + "api/shots/" + shot.id + "/favourite", {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({favourite: favourite, comment: note, device: device}),
    });
    if (answer.ok) {
      const data = await answer.json();
      shot.favourite = data.favourite;
      shot.comment = data.comment;
      render();
    } else if (answer.status === 404) {
      gone();
    }
  }

  heart.addEventListener("click", () => {
    const shot = shots.get(current);
    if (shot) say(!shot.favourite, comment.value);
  });
  document.getElementById("note").addEventListener("submit", (e) => {
    e.preventDefault();
    const shot = shots.get(current);
    if (shot) say(Boolean(shot.favourite), comment.value);   // a note is a note, not a heart
    comment.blur();
  });
  document.getElementById("close").addEventListener("click", close);
  document.getElementById("prev").addEventListener("click", () => step(-1));
  document.getElementById("next").addEventListener("click", () => step(1));
  document.addEventListener("keydown", (e) => {
    if (viewer.hidden || document.activeElement === comment || document.activeElement === pinText)
      return;
    if (e.key === "ArrowLeft") step(-1);
    if (e.key === "ArrowRight") step(1);
    if (e.key === "Escape") close();
  });
  let touchX = null;
  viewer.addEventListener("touchstart", (e) => { touchX = e.touches[0].clientX; },
                          {passive: true});
  viewer.addEventListener("touchend", (e) => {
    if (touchX === null) return;
    const dx = e.changedTouches[0].clientX - touchX;
    touchX = null;
    if (Math.abs(dx) > 50) step(dx < 0 ? 1 : -1);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") catchUp();
  });
  catchUp();
  listen();
})();
