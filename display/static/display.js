/* What the hall and counter displays share: boot data, the center's clock, blinking, text helpers. */
(function () {
  "use strict";
  const t = Layso.t;
  const boot = JSON.parse(document.getElementById("display-boot").textContent);
  // A registered display's token: opened once as ?token=…, then kept by this screen's browser.
  const token = Layso.deviceToken("layso.display.token:" + location.pathname) || undefined;
  const WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"];
  const BLINK_MS = 8000;  // how long a new call flashes
  let serverOffsetMs = 0;  // the display PC's clock may be wrong; the server's is the truth

  /* Remember how far the server's clock is from ours (state.at is the server's now). */
  function syncClock(serverIso) {
    const server = Date.parse(serverIso);
    if (!Number.isNaN(server)) serverOffsetMs = server - Date.now();
  }

  /* The center's local date and time, whatever the display PC's time zone. */
  function centerTime() {
    const parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: boot.timezone, weekday: "short", day: "2-digit", month: "2-digit", year: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date(Date.now() + serverOffsetMs)).forEach((part) => { parts[part.type] = part.value; });
    const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday);
    return { date: `${t(WEEKDAYS[weekday])}, ${parts.day}/${parts.month}/${parts.year}`,
             clock: `${parts.hour}:${parts.minute}` };
  }

  function startClock() {
    const dateEl = document.getElementById("date");
    const clockEl = document.getElementById("clock");
    if (!clockEl) return;
    const tick = () => { const now = centerTime(); dateEl.textContent = now.date; clockEl.textContent = now.clock; };
    tick();
    setInterval(tick, 1000);
  }

  /* Flash an element for a few seconds from ``since`` (Date.now() of the call; default now): a
     new call restarts the flash, and an element drawn again mid-flash goes on where it was. */
  function blink(element, since = Date.now()) {
    if (!element) return;
    const elapsed = Date.now() - since;
    element.classList.remove("blink");
    clearTimeout(element._blinkTimer);
    if (elapsed >= BLINK_MS) return;
    element.style.setProperty("--flash-delay", `${-elapsed}ms`);
    void element.offsetWidth;  // restart the CSS animation
    element.classList.add("blink");
    element._blinkTimer = setTimeout(() => element.classList.remove("blink"), BLINK_MS - elapsed);
  }

  /* Shrink an element's text until it takes at most ``lines`` lines of its own width, down to
     ``smallest`` × its stylesheet size; past that it takes more lines rather than lose words. */
  function fitText(element, lines, smallest = 0.5) {
    if (!element) return;
    element.style.fontSize = "";
    const base = parseFloat(getComputedStyle(element).fontSize);
    const fits = () => {
      const lineHeight = parseFloat(getComputedStyle(element).lineHeight);
      return element.scrollWidth <= element.clientWidth + 1 && element.getBoundingClientRect().height <= lines * lineHeight + 1;
    };
    for (let size = base; !fits() && size > base * smallest;) {
      size *= 0.94;
      element.style.fontSize = `${size}px`;
    }
  }

  /* Fit the page's texts now, when the fonts arrive and whenever the screen changes size. */
  function keepFitted(fitAll) {
    fitAll();
    document.fonts.ready.then(fitAll);
    window.addEventListener("resize", fitAll);
  }

  function statusText(counter) {
    return t(counter.status_text);  // one set of words on every screen (layso/queue/counters.py)
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  window.LaysoDisplay = { boot, token, syncClock, startClock, blink, fitText, keepFitted, statusText, el };
})();
