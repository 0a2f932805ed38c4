/* The officer's console: log in, take a counter, serve. Every action carries an
   Idempotency-Key; a retry after a network error reuses it, so nothing happens twice. */
(function () {
  "use strict";
  const t = Layso.t;
  const user = JSON.parse(document.getElementById("console-user").textContent);
  const $ = (id) => document.getElementById(id);
  const RETRIES = 3;

  let counterNumber = null;   // the counter this officer holds
  let counter = null;         // its counter object
  let clockOffsetMs = 0;      // server time − this device's time
  let socket = null;          // the console's, for its counter (a promise of the socket)
  let chooserSocket = null;   // while choosing (a promise of the socket): who takes or leaves which counter
  let chooserTimer = null;
  let busy = false;
  let pending = null;         // {signature, key}: the action a network error interrupted
  let refreshTimer = null;

  /* kind: error | warn | info (goes after 4 s) | notice (stays until the next action) |
     offline (goes when the socket is back). */
  function showMessage(text, kind) {
    const box = $("message");
    box.textContent = text;
    box.className = "message " + ({ offline: "warn", notice: "info" }[kind] || kind || "error");
    box.dataset.kind = kind || "error";
    box.hidden = !text;
    clearTimeout(showMessage.timer);
    if (text && kind === "info") showMessage.timer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  /* An API error; a network failure is a lost connection, said until the socket is back. */
  function showError(error) {
    showMessage(error.message, error.status === 0 ? "offline" : "error");
  }

  function connectionBack() {
    if ($("message").dataset.kind === "offline") showMessage("");
  }

  /* ---- login ---------------------------------------------------------------- */
  const loginForm = $("login-form");
  if (loginForm) {
    loginForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = new FormData(loginForm);
      try {
        await Layso.api("POST", "/api/v1/auth/login", { username: form.get("username"), password: form.get("password") });
        // Reload: the page then carries the session's CSRF token in its meta tag.
        window.location.reload();
      } catch (error) {
        showError(error);
      }
    });
    return;
  }
  if (!user) return;

  $("logout").addEventListener("click", async () => {
    try { await Layso.api("POST", "/api/v1/auth/logout"); } catch (error) { /* the session ends either way */ }
    window.location.reload();
  });

  /* ---- actions with idempotency keys ----------------------------------------- */
  function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  /* POST an action; on a network error retry with the same key. If it still fails, the
     key is kept: pressing the same button again resends it, never a second action. */
  async function act(path, body) {
    const signature = path + " " + JSON.stringify(body || {});
    const key = pending && pending.signature === signature ? pending.key : Layso.newKey();
    pending = { signature, key };
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await Layso.api("POST", path, body || {}, { idempotencyKey: key });
        pending = null;
        return answer;
      } catch (error) {
        if (error.status !== 0 || attempt >= RETRIES) {
          if (error.status !== 0) pending = null;  // refused: nothing happened, a new try is a new action
          throw error;
        }
        showMessage(t("Mất kết nối — đang thử lại…"), "offline");
        await sleep(400 * (attempt + 1));
      }
    }
  }

  /* ``refused(error)``: handles a refusal itself (true) instead of showing it. */
  async function counterAction(action, body, refused) {
    if (busy) return null;
    busy = true;
    document.body.classList.add("busy");
    try {
      const answer = await act(`/api/v1/counters/${counterNumber}/${action}`, body);
      showMessage("");
      if (answer.counter) showCounter(answer.counter);
      if (action === "call-next" && answer.ticket === null) showMessage(t("Không còn ai trong hàng chờ."), "info");
      scheduleRefresh();
      return answer;
    } catch (error) {
      if (!(refused && refused(error))) showError(error);
      return null;
    } finally {
      busy = false;
      document.body.classList.remove("busy");
    }
  }

  /* ---- choosing a counter ---------------------------------------------------- */
  function officerName(item) { return item.officer ? item.officer.name : t("Trống"); }

  function showChooser(state) {
    $("console-view").hidden = true;
    $("choose-view").hidden = false;
    $("leave-counter").hidden = true;
    $("counter-label").hidden = true;
    renderChooser(state);
    watchChooser();
  }

  function renderChooser(state) {
    const grid = $("counter-grid");
    grid.replaceChildren(...state.counters.map((item) => {
      const button = document.createElement("button");
      button.className = "counter-card" + (item.officer ? " taken" : "");
      button.dataset.counter = item.number;
      button.innerHTML = `<span class="card-number"></span><span class="card-name"></span><span class="card-officer"></span>`;
      button.querySelector(".card-number").textContent = item.number;
      button.querySelector(".card-name").textContent = item.name + " · " + item.services.join(", ");
      button.querySelector(".card-officer").textContent = officerName(item);
      button.addEventListener("click", () => takeCounter(item.number));
      return button;
    }));
  }

  /* Another officer taking or leaving a counter shows at once (counter.updated, then the
     state read again, once per burst). */
  function watchChooser() {
    if (chooserSocket) return;
    chooserSocket = openSocket({ role: "counter" }, {
      state(state) { if (!$("choose-view").hidden) renderChooser(state); },
      "counter.updated"() {
        clearTimeout(chooserTimer);
        chooserTimer = setTimeout(async () => {
          if ($("choose-view").hidden) return;
          try { renderChooser(await Layso.api("GET", "/api/v1/state")); } catch (error) { showError(error); }
        }, 120);
      },
    });
  }

  function closeSocket(opening) {
    if (opening) opening.then((opened) => opened && opened.disconnect());
  }

  function stopWatchingChooser() {
    closeSocket(chooserSocket);
    chooserSocket = null;
  }

  async function takeCounter(number) {
    try {
      const answer = await act(`/api/v1/counters/${number}/open`, {});
      stopWatchingChooser();
      startConsole(answer.counter);
    } catch (error) {
      showError(error);  // e.g. 409: another officer holds this counter
    }
  }

  $("leave-counter").addEventListener("click", async () => {
    const answer = await counterAction("close");
    if (!answer) return;
    closeSocket(socket);  // its auth names the counter just left
    socket = null;
    counterNumber = null;
    counter = null;
    loadState();
  });

  /* ---- the console ----------------------------------------------------------- */
  function startConsole(counterObject) {
    counterNumber = counterObject.number;
    $("choose-view").hidden = true;
    $("console-view").hidden = false;
    $("leave-counter").hidden = false;
    $("counter-label").hidden = false;
    $("counter-label").textContent = t("Quầy") + " " + counterNumber;
    showCounter(counterObject);
    connectSocket();
    refresh();
  }

  function badge(text, kind) {
    const span = document.createElement("span");
    span.className = "badge " + kind;
    span.textContent = text;
    return span;
  }

  function ticketBadges(ticket) {
    const badges = [];
    if (ticket.priority) badges.push(badge(t("Ưu tiên"), "priority"));
    if (ticket.transferred) badges.push(badge(t("Chuyển đến"), "transferred"));
    // Taken from a phone: the citizen may still be on the way; the masked number is enough to confirm it is theirs.
    if (ticket.channel === "remote") badges.push(badge([t("Từ xa"), ticket.phone_masked].filter(Boolean).join(" · "), "remote"));
    return badges;
  }


  function showCounter(counterObject) {
    if (counterNumber === null || counterObject.number !== counterNumber) return;
    counter = counterObject;
    const ticket = counter.current_ticket;
    $("current-number").textContent = ticket ? ticket.number : "—";
    $("current-service").textContent = ticket ? ticket.service_name : t("Chưa gọi số nào");
    $("current-badges").replaceChildren(...(ticket ? ticketBadges(ticket) : []));
    const status = $("counter-status");
    status.textContent = t(counter.status_text) +
      (counter.status === "paused" && counter.paused_reason ? " — " + counter.paused_reason : "");
    status.dataset.status = counter.status;
    document.body.dataset.counterStatus = counter.status;
    $("pause-label").textContent = counter.status === "paused" ? t("Tiếp tục") : t("Tạm dừng");
    const serving = Boolean(ticket);
    document.querySelectorAll(".action").forEach((button) => {
      const action = button.dataset.action;
      const needsTicket = ["recall", "hold", "no-show", "transfer", "finish", "cancel"].includes(action);
      button.disabled = counter.status === "paused" ? action !== "pause" : (needsTicket && !serving) || (action === "pause" && serving);
    });
    ["dossier-code", "dossier-phone", "dossier-consent"].forEach((id) => { $(id).disabled = !serving; });
    $("reprint-current").disabled = !serving;
    if (!serving) { $("dossier-code").value = ""; $("dossier-phone").value = ""; $("dossier-consent").checked = false; }
    tickTimer();
  }

  function tickTimer() {
    const ticket = counter && counter.current_ticket;
    let seconds = 0;
    if (ticket && ticket.called_at) seconds = Math.max(0, (Date.now() + clockOffsetMs - Date.parse(ticket.called_at)) / 1000);
    const minutes = Math.floor(seconds / 60), rest = Math.floor(seconds % 60);
    $("service-timer").textContent = String(minutes).padStart(2, "0") + ":" + String(rest).padStart(2, "0");
  }
  setInterval(tickTimer, 1000);

  function waitedText(ticket) {  // how long this citizen has waited so far (not an estimate)
    const minutes = Math.floor((Date.now() + clockOffsetMs - Date.parse(ticket.issued_at)) / 60000);
    return minutes < 1 ? t("vừa lấy số") : Layso.plural("đã chờ {n} phút", minutes);
  }

  function ticketRow(ticket, buttonText) {
    const row = document.createElement("li");
    row.className = "ticket-row" + (ticket.priority ? " is-priority" : "") + (ticket.transferred ? " is-transferred" : "");
    row.dataset.ticket = ticket.id;
    const number = document.createElement("span");
    number.className = "row-number";
    number.textContent = ticket.number;
    const detail = document.createElement("span");
    detail.className = "row-detail";
    const service = document.createElement("span");
    service.textContent = ticket.service_name;
    const waited = document.createElement("span");
    waited.textContent = waitedText(ticket);
    detail.append(...ticketBadges(ticket), service, waited);
    const buttons = document.createElement("span");
    buttons.className = "row-buttons";
    const call = document.createElement("button");
    call.className = "small-button";
    call.textContent = buttonText;
    call.addEventListener("click", () => counterAction("call", { ticket: ticket.id }));
    const again = document.createElement("button");
    again.className = "small-button secondary";
    again.textContent = t("In lại");
    again.addEventListener("click", () => TicketTools.reprint(ticket));
    buttons.append(call, again);
    row.append(number, detail, buttons);
    return row;
  }

  async function refresh() {
    if (counterNumber === null) return;
    try {
      const [queue, today] = await Promise.all([
        Layso.api("GET", `/api/v1/counters/${counterNumber}/queue`),
        Layso.api("GET", "/api/v1/officers/me/today"),
      ]);
      $("waiting-list").replaceChildren(...queue.waiting.map((ticket) => ticketRow(ticket, t("Gọi"))));
      $("held-list").replaceChildren(...queue.held.map((ticket) => ticketRow(ticket, t("Gọi lại"))));
      $("waiting-count").textContent = queue.waiting_total;
      $("held-count").textContent = queue.held.length;
      $("stat-served").textContent = today.served;
      $("stat-average").textContent = today.avg_service_s === null ? "—" :
        Math.floor(today.avg_service_s / 60) + ":" + String(Math.round(today.avg_service_s % 60)).padStart(2, "0");
    } catch (error) {
      if (error.status === 401) window.location.reload();
      else showError(error);
    }
  }

  /* Events come in bursts (a call is ticket.called + counter.updated): refresh once. */
  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 120);
  }

  /* A socket with a fresh socket token; ``auth`` says what it is for. Without a network the
     token is asked for again until it comes; a refusal (the session is over) ends it. */
  async function openSocket(auth, handlers) {
    let token;
    for (let attempt = 0; !token; attempt++) {
      try {
        token = (await Layso.api("GET", "/api/v1/auth/socket-token")).token;
      } catch (error) {
        showError(error);
        if (error.status !== 0) return null;
        await sleep(Math.min(500 * 2 ** attempt, 3000));
      }
    }
    return Layso.connect({ ...auth, token }, { connect: connectionBack, ...handlers });
  }

  function connectSocket() {
    if (socket) return;
    const handlers = {
      state(state) {
        clockOffsetMs = Date.parse(state.at) - Date.now();
        const mine = state.counters.find((item) => item.number === counterNumber);
        if (mine) showCounter(mine);
        scheduleRefresh();
      },
      "counter.updated"(data) { showCounter(data.counter); scheduleRefresh(); },
      "transfer.received"(data) {
        const text = t("Quầy {from} vừa chuyển số {number} sang quầy này.")
          .replace("{from}", data.from_counter).replace("{number}", data.ticket.number);
        showMessage(text + (data.note ? " " + t("Ghi chú:") + " " + data.note : ""), "notice");
        scheduleRefresh();
      },
    };
    ["ticket.issued", "ticket.called", "ticket.recalled", "ticket.held", "ticket.no_show", "ticket.transferred",
     "ticket.finished", "ticket.cancelled", "ticket.expired"].forEach((name) => { handlers[name] = scheduleRefresh; });
    socket = openSocket({ role: "counter", counter: counterNumber }, handlers);
  }

  /* ---- dialogs: transfer and pause -------------------------------------------- */
  async function openTransfer() {
    const [services, state] = await Promise.all([Layso.api("GET", "/api/v1/services"), Layso.api("GET", "/api/v1/state")]);
    $("transfer-service").replaceChildren(...services.services.map((service) => new Option(service.name, service.code)));
    // Say beforehand what the server would refuse: nobody there, or not this citizen's service.
    const service = counter && counter.current_ticket ? counter.current_ticket.service : null;
    const hint = (item) => item.status === "closed" ? " (" + t("đang đóng") + ")"
      : service && !item.services.includes(service) ? " (" + t("không phục vụ dịch vụ này") + ")" : "";
    $("transfer-counter").replaceChildren(...state.counters.filter((item) => item.number !== counterNumber)
      .map((item) => new Option(t("Quầy") + " " + item.number + " — " + officerName(item) + hint(item), item.number)));
    $("transfer-note").value = "";
    $("transfer-dialog").showModal();
  }

  $("transfer-dialog").addEventListener("close", () => {
    if ($("transfer-dialog").returnValue !== "ok") return;
    const target = document.querySelector('input[name="target"]:checked').value;
    const body = target === "service" ? { service: $("transfer-service").value } : { counter: Number($("transfer-counter").value) };
    const note = $("transfer-note").value.trim();
    if (note) body.note = note;
    counterAction("transfer", body, (error) => {
      if (error.error !== "transfer_refused") return false;
      // The officer decides: send the citizen anyway (that counter is told), or choose again.
      if (window.confirm(error.message + "\n\n" + t("Vẫn chuyển sang quầy này?"))) {
        setTimeout(() => counterAction("transfer", { ...body, force: true }), 0);
      }
      return true;
    });
  });

  $("pause-dialog").addEventListener("close", () => {
    if ($("pause-dialog").returnValue !== "ok") return;
    const chosen = document.querySelector('input[name="pause-reason"]:checked').value;
    const note = $("pause-note").value.trim();
    counterAction("pause", { reason: note ? chosen + ": " + note : chosen });
  });

  function run(action) {
    if (counterNumber === null || busy) return;
    if (action === "transfer") return openTransfer().catch((error) => showError(error));
    if (action === "pause") {
      if (counter && counter.status === "paused") return counterAction("resume");
      $("pause-note").value = "";
      return $("pause-dialog").showModal();
    }
    if (action === "cancel" && !window.confirm(t("Hủy số đang phục vụ?"))) return;
    return counterAction(action);
  }

  document.querySelectorAll(".action").forEach((button) => {
    button.addEventListener("click", () => run(button.dataset.action));
  });

  document.addEventListener("keydown", (event) => {
    if (counterNumber === null || event.ctrlKey || event.altKey || event.metaKey) return;
    if (document.querySelector("dialog[open]") || ["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName)) return;
    const key = event.key === " " ? "Space" : event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const button = [...document.querySelectorAll(".action")].find((item) => item.dataset.keys.split(" ").includes(key));
    if (!button) return;
    event.preventDefault();  // F1 would open the browser's help, Space would scroll
    if (!button.disabled) run(button.dataset.action);
  });

  /* ---- the ticket tools: look-up and reprint (layso/web/static/ticket-tools.js) ---- */
  TicketTools.onMessage(showMessage);
  $("open-lookup").addEventListener("click", () => {
    $("lookup-dialog").showModal();
    $("lookup-query").select();
  });
  $("reprint-current").addEventListener("click", () => {
    if (counter && counter.current_ticket) TicketTools.reprint(counter.current_ticket);
  });

  $("dossier-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = $("dossier-code").value.trim();
    if (!code) return;
    const phone = $("dossier-phone").value.trim();
    // with a phone, the server asks for the citizen's consent itself (its message says so)
    const body = phone ? { dossier_code: code, phone, consent: $("dossier-consent").checked } : { dossier_code: code };
    if (await counterAction("dossier", body)) {
      showMessage(t(phone ? "Đã lưu mã hồ sơ: công dân sẽ nhận tin nhắn khi hồ sơ đổi tình trạng." : "Đã lưu mã hồ sơ."), "info");
    }
  });

  /* ---- start: the counter this officer already holds, or the chooser ---------- */
  async function loadState() {
    try {
      const state = await Layso.api("GET", "/api/v1/state");
      clockOffsetMs = Date.parse(state.at) - Date.now();
      const mine = state.counters.find((item) => item.officer && item.officer.username === user.username);
      if (mine) startConsole(mine); else showChooser(state);
    } catch (error) {
      showError(error);
    }
  }
  loadState();
})();
