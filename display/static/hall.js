/* The hall display: counters being served, the latest call flashing, recent calls, waiting
   counts, the announcement line; a speaking screen also plays each call's chime and voice. */
(function () {
  "use strict";
  const t = Layso.t;
  const { boot, token, syncClock, startClock, blink, fitText, keepFitted, statusText, el } = window.LaysoDisplay;
  const screen = boot.screen;
  const RECENT_SHOWN = 6;
  let model = null;  // the state this screen shows; model.calls[0] is the call in the big panel
  const calledAt = new Map();  // counter number → Date.now() of its latest call (its tile flashes)

  const shows = (number) => screen.counters.length === 0 || screen.counters.includes(number);

  /* The center's state cut down to this screen's counters and their services. */
  function forScreen(state) {
    if (screen.counters.length === 0) return state;
    const counters = state.counters.filter((counter) => shows(counter.number));
    const services = new Set(counters.flatMap((counter) => counter.services));
    return { ...state, counters, services: state.services.filter((service) => services.has(service.code)),
             calls: state.calls.filter((call) => shows(call.counter)) };
  }

  function renderNow() {
    const latest = model.calls[0];
    const panel = document.getElementById("now-calling");
    panel.classList.toggle("empty", !latest);
    document.getElementById("now-number").textContent = latest ? latest.number : "—";
    document.getElementById("now-counter").textContent = latest ? latest.counter : "";
  }

  function renderCounters() {
    const grid = document.getElementById("counters");
    const count = model.counters.length;
    grid.style.setProperty("--columns", count <= 4 ? 2 : count <= 9 ? 3 : 4);
    grid.replaceChildren(...model.counters.map((counter) => {
      const tile = el("div", `counter-tile status-${counter.status}`);
      tile.dataset.counter = counter.number;
      tile.append(el("div", "tile-label", `${t("Quầy")} ${counter.number}`));
      tile.append(counter.current_ticket ? el("div", "tile-number", counter.current_ticket.number)
                                         : el("div", "tile-status", statusText(counter)));
      // A refresh draws the tiles again: one called a moment ago keeps flashing.
      if (calledAt.has(counter.number)) blink(tile, calledAt.get(counter.number));
      return tile;
    }));
  }

  function renderRecent() {
    // The newest call is in the big panel; the list shows the ones before it.
    document.getElementById("recent-calls").replaceChildren(...model.calls.slice(1, 1 + RECENT_SHOWN).map((call) => {
      const item = el("li");
      item.append(el("span", "call-number", call.number), el("span", "call-counter", `${t("Quầy")} ${call.counter}`));
      return item;
    }));
  }

  function renderWaiting() {
    document.getElementById("waiting").replaceChildren(...model.services.map((service) => {
      const item = el("li");
      item.append(el("span", "service-prefix", service.prefix), el("span", "service-name", service.name),
                  el("span", "service-waiting", String(service.waiting)));
      return item;
    }));
  }

  function renderTicker() {
    const text = (model.announcement || "").trim();
    const ticker = document.getElementById("ticker");
    const line = document.getElementById("ticker-text");
    ticker.hidden = !text;
    if (line.textContent !== text) {
      line.textContent = text;
      line.style.animationDuration = `${Math.max(15, text.length * 0.25)}s`;  // same speed for any length
    }
  }

  /* The center's name on two lines at most, numbers on one, service names on two (issue 15
     item 6): shrunk to fit, never cut. */
  function fitAll() {
    fitText(document.getElementById("center-name"), 2, 0.6);
    fitText(document.getElementById("now-number"), 1);
    document.querySelectorAll(".tile-number").forEach((number) => fitText(number, 1));
    document.querySelectorAll("#waiting .service-name").forEach((name) => fitText(name, 2));
    // Recent calls: as many as the space left shows whole (the waiting list above may have grown).
    const recent = document.getElementById("recent-calls");
    const items = [...recent.children];
    items.forEach((item) => { item.hidden = false; });
    const bottom = recent.parentElement.getBoundingClientRect().bottom;
    items.forEach((item) => { item.hidden = item.getBoundingClientRect().bottom > bottom + 1; });
  }

  function render() {
    document.getElementById("center-name").textContent = model.center;
    renderNow();
    renderCounters();
    renderRecent();
    renderWaiting();
    renderTicker();
    fitAll();
  }

  /* A full state: on every (re)connect, and after a refresh. */
  function applyState(state) {
    syncClock(state.at);
    model = forScreen(state);
    render();
  }

  /* Waiting counts change with every ticket event; fetch the state again, at most about once a
     second, spread out so a hall full of screens does not ask at the same instant. */
  let refreshTimer = null, refreshing = false, refreshAgain = false;
  function scheduleRefresh() {
    if (refreshing) { refreshAgain = true; return; }
    if (refreshTimer) return;
    refreshTimer = setTimeout(refresh, 300 + Math.random() * 700);
  }
  async function refresh() {
    refreshTimer = null;
    refreshing = true;
    try {
      applyState(await Layso.api("GET", "/api/v1/state"));
    } catch (error) {
      // Offline: the reconnect's `state` brings the screen back.
    } finally {
      refreshing = false;
      if (refreshAgain) { refreshAgain = false; scheduleRefresh(); }
    }
  }

  function onCall(data) {
    scheduleRefresh();
    if (!model || !shows(data.counter)) return;
    // Shown at once; the refresh that follows brings the server's own list.
    const call = { number: data.ticket.number, service: data.ticket.service, counter: data.counter };
    model.calls = [call, ...model.calls.filter((item) => item.number !== call.number)];
    const counter = model.counters.find((item) => item.number === data.counter);
    if (counter) { counter.current_ticket = data.ticket; counter.status = "serving"; }
    render();
    blink(document.getElementById("now-calling"));
    calledAt.set(data.counter, Date.now());
    blink(document.querySelector(`.counter-tile[data-counter="${data.counter}"]`));
  }

  function onCounter(data) {
    if (!model || !shows(data.counter.number)) return;
    model.counters = model.counters.map((item) => (item.number === data.counter.number ? data.counter : item));
    renderCounters();
    fitAll();
  }

  /* ---- Voice: announcements play one after another, in order, a chime before each
     (the recorded voice pack's own chime when the audio begins with it). ---- */
  const announcements = [];
  let speaking = false;
  let audioContext = null;
  // For tests and diagnostics: ticket numbers in the order their announcements started,
  // and every start and end ("start A001", "end A001"; "timeout A001" if the file stalled).
  window.__played = [];
  window.__speechLog = [];

  function chime() {
    // Three falling tones (ding-dong-dong), made here: no sound file to fetch.
    const Context = window.AudioContext || window.webkitAudioContext;
    const notes = [784, 659, 523];
    const step = 0.35;
    const length = (notes.length - 1) * step + 0.6;
    try {
      audioContext = audioContext || new Context();
      if (audioContext.state === "suspended") audioContext.resume();
      const start = audioContext.currentTime + 0.05;
      notes.forEach((frequency, index) => {
        const at = start + index * step;
        const oscillator = audioContext.createOscillator();
        const gain = audioContext.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.6, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.55);
        oscillator.connect(gain).connect(audioContext.destination);
        oscillator.start(at);
        oscillator.stop(at + 0.6);
      });
    } catch (error) {
      console.warn("chime unavailable", error);
    }
    return new Promise((resolve) => setTimeout(resolve, length * 1000 + 100));
  }

  /* Play one file to its end; resolves with how it ended: "end", "error" or "timeout". */
  function playAudio(url) {
    const audio = document.getElementById("announcer");
    return new Promise((resolve) => {
      // A stalled file must not stop the queue for good.
      let watchdog = setTimeout(() => finish("timeout"), 30000);
      function finish(how) {
        clearTimeout(watchdog);
        audio.onended = audio.onerror = audio.onloadedmetadata = null;
        resolve(how);
      }
      audio.onended = () => finish("end");
      audio.onerror = () => finish("error");
      audio.onloadedmetadata = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => finish("timeout"), audio.duration * 1000 + 5000);
      };
      audio.src = url;
      audio.play().catch((error) => {
        if (error.name !== "NotAllowedError") return finish("error");
        // The browser wants a tap before it plays sound: wait for it rather than skip the call.
        const button = document.getElementById("sound-unlock");
        button.hidden = false;
        button.onclick = () => { button.hidden = true; audio.play().catch(() => finish("error")); };
      });
    });
  }

  async function speakNext() {
    const next = announcements.shift();
    if (!next) { speaking = false; delete document.body.dataset.speaking; return; }
    speaking = true;
    document.body.dataset.speaking = next.ticket.number;
    window.__played.push(next.ticket.number);
    window.__speechLog.push(`start ${next.ticket.number}`);
    // A recorded voice pack's call brings its own chime; a short call (a backlog:
    // layso/speech/hall_queue.py) follows the one before at once, without one.
    if (!next.chime_included && !next.short) await chime();
    const how = next.audio_url ? await playAudio(next.audio_url) : "end";
    window.__speechLog.push(`${how} ${next.ticket.number}`);
    speakNext();
  }

  function onAnnouncement(data) {
    if (!screen.speak || !shows(data.counter)) return;
    announcements.push(data);
    if (!speaking) speakNext();
  }

  model = boot.state;
  syncClock(model.at);
  startClock();
  keepFitted(fitAll);
  const handlers = {
    "state": applyState,
    "ticket.called": onCall,
    "ticket.recalled": onCall,
    "counter.updated": onCounter,
    "announcement.ready": onAnnouncement,
    "settings.changed": scheduleRefresh,  // an admin's new announcement line, center name or services
  };
  ["ticket.issued", "ticket.held", "ticket.no_show", "ticket.transferred", "ticket.finished",
   "ticket.cancelled", "ticket.expired"].forEach((name) => { handlers[name] = scheduleRefresh; });
  Layso.connect({ role: "display", token }, handlers);
})();
