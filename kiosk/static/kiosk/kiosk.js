/* The kiosk: field → service → number. Priority is chosen first, from the center's list.
   The number shows at once; the printer's outcome (ticket.printed / kiosk.alert) follows. */
(function () {
  "use strict";
  const t = Layso.t, plural = Layso.plural;
  const data = JSON.parse(document.getElementById("kiosk-data").textContent);
  const kiosk = data.kiosk;
  const english = Layso.language === "en";
  const token = Layso.deviceToken("layso.kiosk.token");
  const PRINTED_BACK_S = 8, FALLBACK_BACK_S = 25, PRINT_PATIENCE_MS = 8000, IDLE_BACK_MS = 45000;

  let services = data.services;
  let field = null, priority = null, busy = false;
  let current = null;            // {ticket, job}
  const outcomes = {};           // job → "printed" | "failed" (an event may beat the answer)
  let countdownTimer = null, patienceTimer = null, idleTimer = null;

  const $ = (id) => document.getElementById(id);

  const CHECK_IN_SCREENS = ["appointment", "phone", "phone-service"];

  function show(screen) {
    const before = document.body.dataset.screen;
    ["fields", "priority", "services", "ticket", ...CHECK_IN_SCREENS].forEach((name) => { $("screen-" + name).hidden = name !== screen; });
    $("prompt").textContent = t({ fields: "Mời chọn lĩnh vực", priority: "Chọn đối tượng ưu tiên",
                                  services: "Mời chọn dịch vụ", appointment: "Xác nhận lịch hẹn",
                                  phone: "Xác nhận lịch hẹn", "phone-service": "Chọn dịch vụ bạn đã đặt lịch",
                                  ticket: "Số thứ tự của bạn" }[screen]);
    document.body.dataset.screen = screen;
    clearTimeout(idleTimer);
    // A citizen who walks away mid-choice, or leaves the kiosk in English, leaves it ready for the next.
    if (screen === "priority" || screen === "services" || CHECK_IN_SCREENS.includes(screen) || (screen === "fields" && english)) {
      idleTimer = setTimeout(reset, IDLE_BACK_MS);
    }
    // A scanner types into the focused field at once; a code or phone number left by the last citizen is gone.
    if (screen === "appointment") { $("checkin-code").value = ""; $("checkin-code").focus(); }
    if (screen === "phone") {
      if (before !== "phone-service") $("checkin-phone").value = "";
      $("checkin-phone").focus();
    }
    if (screen === "phone-service") renderBookedServices();
    if (screen === "appointment" && before !== "appointment") KioskCamera.start($("checkin-camera"), scanned);
    if (screen !== "appointment") KioskCamera.stop($("checkin-camera"));
  }

  function codeOf(typed) {  // a booking's link (…/dat-lich/<code>), as its QR code holds it, or the code itself
    return typed.includes("/dat-lich/") ? typed.split("/dat-lich/")[1].split(/[/?#]/)[0] : typed;
  }

  function scanned(text) {  // the camera read a QR code: as if a scanner had typed it, then Enter
    if (busy) return;
    $("error-box").hidden = true; $("error-normal").hidden = true;
    // the code, not the whole link, grouped as a typed one (ABCD-EFGH-JKMNP): the citizen can compare it
    checkinKeypad.fill(codeOf(text.trim()));
    $("checkin-form").requestSubmit();
  }

  function restartIdle(screen) {  // a citizen still typing is not a citizen who walked away
    clearTimeout(idleTimer);
    if (CHECK_IN_SCREENS.includes(screen)) idleTimer = setTimeout(reset, IDLE_BACK_MS);
  }

  function reset() {
    clearInterval(countdownTimer); clearTimeout(patienceTimer);
    current = null; field = null; setPriority(null);
    delete document.body.dataset.print;
    if (english) { location.assign(location.pathname); return; }  // the next citizen starts in Vietnamese
    render(); show("fields");
  }

  function setPriority(reason) {
    priority = reason;
    $("priority-chosen").hidden = !reason;
    if (reason) $("priority-chosen-label").textContent = reason.label;
  }

  function columns(count) {
    const portrait = innerHeight > innerWidth;
    if (portrait) return count <= 3 ? 1 : 2;
    if (count <= 3) return count;
    return count <= 4 ? 2 : count <= 9 ? 3 : 4;
  }

  function tileGrid(container, count) {
    container.style.setProperty("--cols", columns(Math.max(count, 1)));
    // At least 4 rows in portrait (2 in landscape): a few tiles stay tile-sized, not screen-tall.
    const rows = Math.ceil(Math.max(count, 1) / columns(Math.max(count, 1)));
    container.style.setProperty("--rows", Math.max(rows, innerHeight > innerWidth ? 4 : 2));
    container.dataset.density = count > 6 ? "many" : "few";  // smaller words when tiles are many
  }

  function waitText(service) {  // the wait is worded by the server, by the rule the paper ticket uses
    return plural("Đang chờ: {n} người", service.waiting) + " · " + t("Chờ") + " " + service.estimated_wait_text;
  }

  function button(className, html, onTap) {
    const element = document.createElement("button");
    element.type = "button"; element.className = className; element.innerHTML = html;
    if (onTap) element.addEventListener("click", onTap);
    return element;
  }

  function escape(text) {
    const span = document.createElement("span"); span.textContent = text == null ? "" : String(text); return span.innerHTML;
  }

  function fieldsWithServices() {
    return data.fields.map((item) => ({ ...item, services: services.filter((s) => s.group === item.code) }))
                      .filter((item) => item.services.length);
  }

  function render() {
    const fields = fieldsWithServices();
    const fieldTiles = $("field-tiles");
    fieldTiles.replaceChildren(...fields.map((item) => {
      const open = item.services.filter((s) => s.open);
      const waiting = item.services.reduce((sum, s) => sum + s.waiting, 0);
      const detail = open.length ? plural("{n} dịch vụ", open.length) + " · " + plural("{n} người đang chờ", waiting)
                                 : t("Tạm ngừng");
      const tile = button("tile field-tile" + (open.length ? "" : " closed"),
        `<span class="tile-name">${escape(item.name)}</span><span class="tile-detail">${escape(detail)}</span>`,
        () => chooseField(item.code));
      tile.dataset.field = item.code;
      return tile;
    }));
    tileGrid(fieldTiles, fields.length);
    if (field) renderServices();
    if (document.body.dataset.screen === "phone-service") renderBookedServices();
  }

  function renderServices() {
    serviceTiles($("service-tiles"), services.filter((s) => s.group === field), take, waitText);
  }

  // Check-in by phone number: the services a booking can be for (no wait shown: a booking goes ahead at its time).
  function renderBookedServices() {
    serviceTiles($("booked-service-tiles"), services.filter((s) => data.appointment_services.includes(s.code)), checkInByPhone,
                 () => "");
  }

  function serviceTiles(tiles, list, onChoose, openDetail) {
    tiles.replaceChildren(...list.map((service) => {
      const detail = service.open ? openDetail(service) : t("Tạm ngừng:") + " " + (service.closed_reason || "");
      const tile = button("tile service-tile" + (service.open ? "" : " closed"),
        `<span class="tile-prefix">${escape(service.prefix)}</span><span class="tile-name">${escape(service.name)}</span>` +
        `<span class="tile-detail">${escape(detail)}</span>`, service.open ? () => onChoose(service) : null);
      tile.dataset.service = service.code;
      if (!service.open) { tile.disabled = true; tile.setAttribute("aria-disabled", "true"); }
      return tile;
    }));
    tileGrid(tiles, list.length);
  }

  function chooseField(code) {
    field = code;
    renderServices();
    show("services");
  }

  function renderPriorityReasons() {
    const tiles = $("priority-tiles");
    tiles.replaceChildren(...data.priority_reasons.map((reason) => {
      const tile = button("tile priority-tile", `<span class="tile-name">${escape(reason.label)}</span>`, () => {
        setPriority(reason);
        show("fields");
      });
      tile.dataset.reason = reason.id;
      return tile;
    }));
    tileGrid(tiles, data.priority_reasons.length);
  }

  async function take(service) {
    if (busy) return;
    busy = true; $("busy").hidden = false;
    const body = { service: service.code };
    if (kiosk) body.kiosk = kiosk;
    if (priority) { body.priority = true; body.priority_reason = priority.id; }
    try {
      const ticket = await Layso.api("POST", "/api/v1/tickets", body, { token });
      setPriority(null);  // the choice was this citizen's: it is on the ticket now
      showTicket(ticket);
    } catch (error) {
      $("error-message").textContent = error.message || "";
      $("error-box").hidden = false;
      refresh();
    } finally {
      busy = false; $("busy").hidden = true;
    }
  }

  /* Check in for an appointment: the code tapped on the keypad or typed, or as a USB scanner
     types the QR code (the booking page's link, …/dat-lich/<code>, then Enter). The server
     reads the code loosely. */
  function checkIn(event) {
    event.preventDefault();
    const code = codeOf($("checkin-code").value.trim());
    if (!code) { $("checkin-code").focus(); return; }
    checkInWith("/api/v1/appointments/" + encodeURIComponent(code) + "/check-in", {});
  }

  function checkInByPhone(service) {
    checkInWith("/api/v1/appointments/check-in", { phone: $("checkin-phone").value, service: service.code });
  }

  async function checkInWith(url, body) {
    if (busy) return;
    busy = true; $("busy").hidden = false;
    try {
      showTicket(await Layso.api("POST", url, kiosk ? { ...body, kiosk } : body, { token }));
    } catch (error) {
      $("error-message").textContent = error.message || "";  // as the server words it, in the page's language
      // Past the grace time (or no booking found): the kiosk offers a normal number instead.
      $("error-normal").hidden = !(error.error === "check_in_refused" || error.error === "unknown_appointment" ||
                                   error.error === "appointment_closed");
      $("error-box").hidden = false;
    } finally {
      busy = false; $("busy").hidden = true;
    }
  }

  function phoneTyped(event) {
    event.preventDefault();
    if (!$("checkin-phone").value.trim()) { $("checkin-phone").focus(); return; }
    show("phone-service");
  }

  function showTicket(ticket) {
    current = { ticket, job: ticket.print_job };
    $("ticket-number").textContent = ticket.number;
    $("ticket-service").textContent = ticket.service_name;
    $("ticket-ahead").textContent = plural("Trước bạn còn {n} người", ticket.ahead);
    $("ticket-wait").textContent = ticket.estimated_wait_text;
    $("ticket-priority").hidden = !ticket.priority;
    $("ticket-priority").textContent = t("Ưu tiên");  // the flag, not the group: others stand behind the citizen
    $("ticket-qr").src = new URL(ticket.status_url).pathname + "/qr.svg";
    $("print-progress").hidden = !ticket.print_job;
    $("print-done").hidden = true;
    $("fallback").hidden = true;
    document.body.dataset.print = "pending";
    show("ticket");
    if (!ticket.print_job) return fallback();  // this kiosk has no printer: the screen is the ticket
    if (outcomes[ticket.print_job] === "printed") return printed();
    if (outcomes[ticket.print_job] === "failed") return fallback();
    countdown(FALLBACK_BACK_S);
    patienceTimer = setTimeout(fallback, PRINT_PATIENCE_MS);  // never leave a citizen without a number
  }

  function printed() {
    clearTimeout(patienceTimer);
    $("print-progress").hidden = true;
    $("print-done").hidden = false;
    document.body.dataset.print = "printed";
    if ($("fallback").hidden) countdown(PRINTED_BACK_S);
  }

  function fallback() {
    clearTimeout(patienceTimer);
    $("print-progress").hidden = true;
    $("fallback").hidden = false;
    document.body.dataset.print = "fallback";
    countdown(FALLBACK_BACK_S);
  }

  function countdown(seconds) {
    clearInterval(countdownTimer);
    let left = seconds;
    const say = () => { $("countdown").textContent = plural("Tự động quay lại sau {n} giây", Math.max(left, 0)); };
    say();
    countdownTimer = setInterval(() => {
      left -= 1;
      say();
      if (left <= 0) reset();
    }, 1000);
  }

  let refreshTimer = null;
  function refresh() {  // many events can come at once: one fetch for them all
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(async () => {
      try {
        services = (await Layso.api("GET", "/api/v1/services")).services;
        render();
      } catch (error) { /* the connection marker already shows; the next event retries */ }
    }, 300);
  }

  function onPrinted(event) {
    outcomes[event.job] = "printed";
    if (current && current.job === event.job) printed();
  }

  function onAlert(event) {
    if (event.kiosk !== kiosk) return;
    $("printer-banner").hidden = !!event.resolved;
    document.body.dataset.printer = event.resolved ? "ok" : "failing";
    if (event.resolved || !event.job) return;
    outcomes[event.job] = "failed";
    if (current && current.job === event.job) fallback();
  }

  $("priority-button") && $("priority-button").addEventListener("click", () => { renderPriorityReasons(); show("priority"); });
  $("priority-clear").addEventListener("click", () => setPriority(null));
  document.querySelectorAll("[data-back]").forEach((element) => element.addEventListener("click", () => show(element.dataset.back)));
  $("ticket-done").addEventListener("click", reset);
  $("error-close").addEventListener("click", () => {
    $("error-box").hidden = true; $("error-normal").hidden = true;
    const screen = document.body.dataset.screen;
    if (CHECK_IN_SCREENS.includes(screen)) {  // the citizen corrects the code, the number or the service
      if (screen !== "phone-service") $(screen === "phone" ? "checkin-phone" : "checkin-code").focus();
      restartIdle(screen);
    } else {
      show("fields");
    }
  });
  $("error-normal").addEventListener("click", () => { $("error-box").hidden = true; $("error-normal").hidden = true; show("fields"); });
  $("appointment-button") && $("appointment-button").addEventListener("click", () => show("appointment"));
  $("checkin-form").addEventListener("submit", checkIn);
  $("phone-form").addEventListener("submit", phoneTyped);
  $("checkin-by-phone").addEventListener("click", () => show("phone"));
  document.addEventListener("kiosk.dossier_closed", () => {  // the look-up had the camera: check-in takes it back
    if (document.body.dataset.screen === "appointment") KioskCamera.start($("checkin-camera"), scanned);
  });
  const checkinKeypad = KioskKeypad.attach($("checkin-keypad"), $("checkin-code"),
                                           { ...data.keypads.appointment, clear: $("checkin-clear") });
  KioskKeypad.attach($("phone-keypad"), $("checkin-phone"), { ...data.keypads.phone, clear: $("phone-clear") });
  ["checkin-code", "checkin-phone"].forEach((id) => $(id).addEventListener("input", () => restartIdle(document.body.dataset.screen)));
  addEventListener("resize", render);

  const handlers = { state: refresh, "settings.changed": refresh, "ticket.printed": onPrinted, "kiosk.alert": onAlert };
  ["ticket.issued", "ticket.called", "ticket.recalled", "ticket.held", "ticket.no_show", "ticket.transferred",
   "ticket.finished", "ticket.cancelled", "ticket.expired"].forEach((name) => { handlers[name] = refresh; });
  const auth = { role: "kiosk" };
  if (kiosk) auth.kiosk = kiosk;
  if (token) auth.token = token;
  Layso.connect(auth, handlers);

  render();
  show("fields");
  document.body.dataset.ready = "yes";
})();
