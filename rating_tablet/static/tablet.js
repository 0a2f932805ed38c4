/* The rating tablet: shows the officer at its counter; when a service ends it asks that
   citizen to rate it. Not answering stores nothing (the ticket stays "not rated"). */
(function () {
  "use strict";
  const t = Layso.t;
  const $ = (id) => document.getElementById(id);
  const root = $("tablet");
  const counterNumber = Number(root.dataset.counter);
  /* The device token: an admin opens /tablet/<n>?token=… once. The demo center's tablets need no set-up. */
  const token = Layso.deviceToken(`layso.tablet.${counterNumber}.token`) || root.dataset.demoToken || null;

  let config = { levels: [], reasons: [], window_s: 180, idle_timeout_s: 30 };
  let request = null;      // the rating.requested being answered
  let chosenLevel = null;
  let chosenReasons = new Set();
  let sending = false;
  let viewTimer = null;
  let clockOffsetMs = 0;   // server time − this device's time (from each state)

  function show(view) {
    ["idle-view", "ask-view", "thanks-view", "notice-view"].forEach((id) => { $(id).hidden = id !== view; });
  }

  function backToIdleIn(seconds) {
    clearTimeout(viewTimer);
    viewTimer = setTimeout(goIdle, seconds * 1000);
  }

  function goIdle() {
    clearTimeout(viewTimer);
    request = null;
    show("idle-view");
  }

  function notice(title, text, seconds) {
    $("notice-title").textContent = title;
    $("notice-text").textContent = text || "";
    show("notice-view");
    if (seconds) backToIdleIn(seconds);
  }

  /* ---- idle: who serves at this counter --------------------------------------- */
  const PERSON = '<svg viewBox="0 0 100 100" aria-hidden="true"><circle cx="50" cy="36" r="20" fill="#0b4f9c"/>' +
    '<path d="M14 92 C14 66 30 58 50 58 C70 58 86 66 86 92 Z" fill="#0b4f9c"/></svg>';

  function showCounter(counter) {
    if (counter.number !== counterNumber) return;
    const officer = counter.officer;
    $("officer-name").textContent = officer ? officer.name : t("Quầy chưa có cán bộ");
    $("officer-title").textContent = officer ? officer.title || t("Cán bộ tiếp nhận") : "";
    const photo = $("officer-photo");
    if (officer && officer.photo) {
      const image = new Image();
      image.alt = "";
      image.src = officer.photo;
      photo.replaceChildren(image);
    } else {
      photo.innerHTML = PERSON;
    }
    $("idle-note").textContent = counter.status === "paused" ? t("Quầy tạm dừng") + (counter.paused_reason ? " — " + counter.paused_reason : "")
      : t("Xin kính chào quý công dân");
  }

  /* ---- faces: drawn in SVG, best level first, green smile to red frown --------- */
  // Five faces, big smile to frown; shorter scales keep the top ones and end on the frown.
  const FACES = [[1, "#1b7f3b"], [0.55, "#4f8f1a"], [0, "#a86f00"], [-0.6, "#d35400"], [-1, "#c62828"]];

  function face(index, count) {
    const [mood, color] = FACES[count >= FACES.length || index < count - 1 ? Math.min(index, 4) : 4];
    const mouthY = 66 - mood * 4, curve = 66 + mood * 16;
    return `<svg viewBox="0 0 100 100" aria-hidden="true"><circle cx="50" cy="50" r="46" fill="${color}"/>` +
      `<circle cx="35" cy="40" r="6" fill="#fff"/><circle cx="65" cy="40" r="6" fill="#fff"/>` +
      `<path d="M28 ${mouthY} Q50 ${curve} 72 ${mouthY}" stroke="#fff" stroke-width="7" fill="none" stroke-linecap="round"/></svg>`;
  }

  function renderLevels() {
    const count = config.levels.length;
    document.body.dataset.levels = count;
    $("level-choices").replaceChildren(...config.levels.map((level, index) => {
      const button = document.createElement("button");
      button.className = "level";
      button.dataset.level = level.id;
      button.setAttribute("role", "radio");
      button.setAttribute("aria-checked", "false");
      button.innerHTML = face(index, count) + "<span></span>";
      button.querySelector("span").textContent = t(level.label);
      button.addEventListener("click", () => chooseLevel(level));
      return button;
    }));
    $("reason-choices").replaceChildren(...config.reasons.map((reason) => {
      const button = document.createElement("button");
      button.className = "reason";
      button.dataset.reason = reason.id;
      button.setAttribute("aria-pressed", "false");
      button.textContent = t(reason.label);
      button.addEventListener("click", () => {
        if (chosenReasons.has(reason.id)) chosenReasons.delete(reason.id); else chosenReasons.add(reason.id);
        button.setAttribute("aria-pressed", String(chosenReasons.has(reason.id)));
        updateSend();
      });
      return button;
    }));
  }

  function chooseLevel(level) {
    chosenLevel = level;
    document.querySelectorAll(".level").forEach((button) => {
      button.setAttribute("aria-checked", String(button.dataset.level === level.id));
    });
    $("reason-panel").hidden = !level.requires_reason;
    $("send-panel").hidden = false;
    $("ask-error").hidden = true;
    updateSend();
  }

  function updateSend() {
    const needsReason = chosenLevel && chosenLevel.requires_reason && chosenReasons.size === 0;
    $("send").disabled = !chosenLevel || needsReason || sending;
  }

  /* ---- asking ------------------------------------------------------------------ */
  /* A finish asks at once; a tablet that (re)connects is asked again for the rating still
     open. Past the window the server refuses anyway: leave quietly, nothing is stored. */
  function ask(data) {
    if (data.counter !== counterNumber) return;
    const leftMs = Date.parse(data.expires_at) - (Date.now() + clockOffsetMs);
    if (leftMs <= 0) return;
    clearTimeout(viewTimer);
    viewTimer = setTimeout(goIdle, leftMs);
    // The same request again (a reconnect while the citizen is choosing): keep their choice.
    if (request && request.ticket.id === data.ticket.id && !$("ask-view").hidden) return;
    request = data;
    chosenLevel = null;
    chosenReasons = new Set();
    renderLevels();
    $("ask-number").textContent = data.ticket.number;
    $("ask-officer").textContent = data.officer ? data.officer.name : "";
    $("reason-panel").hidden = true;
    $("send-panel").hidden = true;
    $("ask-error").hidden = true;
    $("comment").value = "";
    show("ask-view");
  }

  $("send").addEventListener("click", async () => {
    if (!request || !chosenLevel || sending) return;
    sending = true;
    updateSend();
    const body = { ticket: request.ticket.id, level: chosenLevel.id };
    if (chosenLevel.requires_reason || chosenReasons.size) body.reasons = [...chosenReasons];
    const comment = $("comment").value.trim();
    if (comment) body.comment = comment;
    try {
      await Layso.api("POST", "/api/v1/ratings", body, { token });
      show("thanks-view");
      request = null;
      backToIdleIn(config.idle_timeout_s);
    } catch (error) {
      if (error.status === 400 || error.status === 0) {  // fixable here: say so and let them retry
        $("ask-error").textContent = error.message;
        $("ask-error").hidden = false;
      } else {  // 401 unregistered, 403 not this counter / too late, 409 already rated
        notice(error.status === 409 ? t("Đã ghi nhận đánh giá") : t("Không thể ghi nhận đánh giá"), error.message, 8);
      }
    } finally {
      sending = false;
      updateSend();
    }
  });

  /* ---- start ------------------------------------------------------------------- */
  async function loadLevels() {
    try {
      config = await Layso.api("GET", "/api/v1/ratings/levels");
      renderLevels();
    } catch (error) {
      notice(t("Không tải được cấu hình đánh giá"), error.message);
    }
  }

  if (!token) {
    notice(t("Máy tính bảng chưa được đăng ký"), t("Quản trị viên hãy mở trang này kèm mã thiết bị: /tablet/{n}?token=…").replace("{n}", counterNumber));
    return;
  }
  function showState(state) {
    clockOffsetMs = Date.parse(state.at) - Date.now();
    const counter = state.counters.find((item) => item.number === counterNumber);
    if (counter) showCounter(counter);
  }

  loadLevels();
  const socket = Layso.connect({ role: "tablet", counter: counterNumber, token }, {
    state: showState,
    "counter.updated"(data) { showCounter(data.counter); },
    "rating.requested": ask,
    // An admin's new levels: a citizen must not be offered one the server no longer takes.
    "settings.changed"(data) { if (data.what === "rating" || data.what === "restore") loadLevels(); },
  });
  socket.on("connect_error", (error) => {
    if (error && error.message === "unauthorized") {
      socket.disconnect();  // a wrong token will not become right by retrying
      notice(t("Máy tính bảng chưa được đăng ký"), t("Mã thiết bị không hợp lệ. Xin báo quản trị viên."));
    }
  });
  show("idle-view");
})();
