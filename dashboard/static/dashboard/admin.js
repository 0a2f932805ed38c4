/* The admin page: every section reads its /api/v1/admin endpoint and posts changes back.
   The server validates; its message is shown as is. */
(function () {
  "use strict";
  const editors = window.LaysoAdminEditors;
  const $ = (id) => document.getElementById(id);
  const esc = (text) => String(text == null ? "" : text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const t = Layso.t;

  /* The answer is shown at the top of the page, and beside the editor that was saved. */
  let lastForm = null;
  function notify(text, isError) {
    const places = [$("admin-notice")];
    const beside = lastForm && lastForm.querySelector(".form-message");
    if (beside) places.push(beside);
    places.forEach((notice) => { notice.textContent = text; notice.hidden = false; notice.classList.toggle("error", !!isError); });
  }

  async function send(method, url, body, done) {
    try {
      const answer = await Layso.api(method, url, body);
      await load();  // the page shows what is stored now, before it says so
      notify(t("Đã lưu."));
      if (done) done(answer);
      return answer;
    } catch (failure) {
      notify(failure.message, true);
    }
  }

  // In a label of touch size: the label is what a finger presses.
  const checkbox = (name, value) => `<label class="check"><input type="checkbox" name="${name}" ${value ? "checked" : ""}></label>`;
  const input = (name, value, size) => `<input name="${name}" value="${esc(value)}" size="${size || 12}">`;

  function renderServices(data) {
    $("field-select").innerHTML = data.fields.map((f) => `<option value="${esc(f.code)}">${esc(f.name)}</option>`).join("");
    $("services-rows").innerHTML = data.services.map((s) => `<tr data-code="${esc(s.code)}"><td>${esc(s.code)}</td>
      <td>${input("prefix", s.prefix, 2)}</td><td>${input("name", s.name, 24)}${s.counters.length ? "" :
        `<span class="warn-chip">${t("Chưa có quầy nào phục vụ: kiosk không cấp số")}</span>`}</td><td>${esc(s.field)}</td>
      <td>${input("number_digits", s.number_digits, 2)}</td><td>${input("daily_cap", s.daily_cap || "", 4)}</td>
      <td>${input("wait_target_min", s.wait_target_s ? s.wait_target_s / 60 : "", 4)}</td><td>${input("closed_reason", s.closed_reason || "", 16)}</td>
      <td>${checkbox("active", s.active)}</td><td><button class="button save-service" type="button">${t("Lưu")}</button></td></tr>`).join("");
    $("counters-rows").innerHTML = data.counters.map((c) => `<tr data-number="${c.number}"><td>${c.number}</td>
      <td>${input("name", c.name, 14)}</td><td class="text" data-order-box><ol class="order-list" data-services></ol>
      <select class="add-service" aria-label="${esc(t("Thêm dịch vụ cho quầy"))}"></select></td><td>${checkbox("active", c.active)}</td>
      <td><button class="button save-counter" type="button">${t("Lưu")}</button></td></tr>`).join("");
    data.counters.forEach((c) => editors.renderOrder($("counters-rows").querySelector(`tr[data-number="${c.number}"] [data-order-box]`),
                                                     c.services, data.services));
    const newCounter = document.querySelector("#counter-form [data-order-box]");
    editors.renderOrder(newCounter, editors.readOrder(newCounter), data.services);
  }

  const numberOrNull = (value) => value.trim() === "" ? null : Number(value);

  /* An officer's photo: a thumbnail, a file picker that uploads at once, a remove button. */
  const photoCell = (o) => `<span class="photo-cell">${o.photo ? `<img class="photo-thumb" src="${esc(o.photo)}" alt="">` : ""}
      <label class="button secondary">${t("Chọn ảnh")}<input class="photo-file" type="file" accept="image/jpeg,image/png,image/webp" hidden></label>
      ${o.photo ? `<button class="button secondary remove-photo" type="button">${t("Bỏ ảnh")}</button>` : ""}</span>`;

  function renderOfficers(data) {
    $("officers-rows").innerHTML = data.officers.map((o) => `<tr data-username="${esc(o.username)}"><td>${esc(o.username)}</td>
      <td>${input("name", o.name, 18)}</td><td>${input("title", o.title, 12)}</td><td>${photoCell(o)}</td>
      <td><select name="role">${data.roles.map((r) => `<option value="${esc(r.id)}" ${r.id === o.role ? "selected" : ""}>${esc(r.label)}</option>`).join("")}</select></td>
      <td>${checkbox("active", o.active)}</td><td><button class="button save-officer" type="button">${t("Lưu")}</button>
      <button class="button secondary reset-password" type="button">${t("Đặt lại mật khẩu")}</button></td></tr>`).join("");
  }

  function renderDevices(data) {
    $("devices-rows").innerHTML = data.devices.map((d) => `<tr data-id="${esc(d.id)}"><td>${esc(d.id)}</td><td class="kind">${esc(d.shown.kind)}</td>
      <td>${esc(d.name)}</td><td>${esc(d.counter || "")}</td><td class="last-seen">${esc(d.shown.last_seen)}</td>
      <td>${d.revoked ? t("Đã thu hồi") : `<button class="button secondary revoke" type="button">${t("Thu hồi")}</button>`}</td></tr>`).join("");
  }

  function renderSettings(data) {
    editors.renderHours(data.settings.hours || {});
    document.querySelector("#place-form [name=value]").value = data.settings.place || "";
    document.querySelector("#announcement-form [name=value]").value = data.settings.announcement || "";
    const voice = data.settings.voice || {};
    document.querySelector("#voice-form [name=template]").value = voice.template || "";
    document.querySelector("#voice-form [name=speed]").value = voice.speed || 150;
    editors.renderRating(data.settings.rating || {});
  }

  function renderBackups(data) {
    $("keep-days").textContent = data.keep_days;
    $("backups-rows").innerHTML = data.backups.map((b) => `<tr data-name="${esc(b.name)}"><td>${esc(b.shown.created)}</td>
      <td>${esc(b.shown.size)}</td><td><a class="button secondary" href="/api/v1/admin/backups/${encodeURIComponent(b.name)}">${t("Tải về")}</a>
      <button class="button secondary restore" type="button">${t("Phục hồi")}</button></td></tr>`).join("");
  }

  function renderAudit(data) {
    $("audit-rows").innerHTML = data.entries.map((e) => `<tr><td class="at">${esc(e.shown.at)}</td><td>${esc(e.username)}</td>
      <td class="action">${esc(e.shown.action)}</td><td>${esc((e.detail || "").slice(0, 120))}</td></tr>`).join("");
  }

  /* The link to the province hub: its state in the server's words; the token is never shown, only whether one is set. */
  function renderHub(data) {
    const form = $("hub-form"), fromEnvironment = data.link.source === "environment";
    $("hub-state").textContent = data.status.shown.text;
    $("hub-state").dataset.level = data.status.shown.level;
    form.url.value = data.link.url;
    form.token.value = "";
    form.token.placeholder = data.link.token_set ? t("Đã đặt (để trống: giữ mã cũ)") : "";
    form.batch_max.value = data.link.batch_max;
    form.batch_ms.value = data.link.batch_ms;
    form.querySelectorAll("input, button").forEach((element) => { element.disabled = fromEnvironment; });
    $("hub-source").hidden = !fromEnvironment;
    $("hub-source").textContent = t("Đặt bằng biến môi trường LAYSO_HUB_URL, LAYSO_HUB_TOKEN trên máy chủ.");
  }

  async function load() {
    const [catalog, officers, devices, settings, backups, audit, hub] = await Promise.all([
      Layso.api("GET", "/api/v1/admin/services"), Layso.api("GET", "/api/v1/admin/officers"), Layso.api("GET", "/api/v1/admin/devices"),
      Layso.api("GET", "/api/v1/admin/settings"), Layso.api("GET", "/api/v1/admin/backups"), Layso.api("GET", "/api/v1/admin/audit?limit=30"),
      Layso.api("GET", "/api/v1/admin/hub")]);
    renderServices(catalog); renderOfficers(officers); renderDevices(devices); renderSettings(settings); renderBackups(backups); renderAudit(audit);
    renderHub(hub);
    document.body.dataset.loaded = "yes";
  }

  const field = (row, name) => row.querySelector(`[name=${name}]`);

  document.addEventListener("click", (event) => {
    const row = event.target.closest("tr");
    if (event.target.matches("button")) lastForm = event.target.closest("section");
    if (event.target.matches(".save-service")) {
      const minutes = numberOrNull(field(row, "wait_target_min").value);
      send("POST", "/api/v1/admin/services/" + row.dataset.code, {
        prefix: field(row, "prefix").value, name: field(row, "name").value, number_digits: Number(field(row, "number_digits").value),
        daily_cap: numberOrNull(field(row, "daily_cap").value), wait_target_s: minutes == null ? null : Math.round(minutes * 60),
        closed_reason: field(row, "closed_reason").value.trim() || null, active: field(row, "active").checked });
    } else if (event.target.matches(".save-counter")) {
      send("POST", "/api/v1/admin/counters/" + row.dataset.number, {
        name: field(row, "name").value, services: editors.readOrder(row.querySelector("[data-order-box]")), active: field(row, "active").checked });
    } else if (event.target.matches(".save-officer")) {
      send("POST", "/api/v1/admin/officers/" + row.dataset.username, { name: field(row, "name").value, title: field(row, "title").value,
        role: field(row, "role").value, active: field(row, "active").checked });
    } else if (event.target.matches(".remove-photo")) {
      send("POST", "/api/v1/admin/officers/" + row.dataset.username, { photo: null });
    } else if (event.target.matches(".reset-password")) {
      send("POST", `/api/v1/admin/officers/${row.dataset.username}/reset-password`, undefined,
           (answer) => notify(t("Mật khẩu tạm (chỉ hiện một lần): ") + answer.password));
    } else if (event.target.matches(".revoke")) {
      send("POST", `/api/v1/admin/devices/${row.dataset.id}/revoke`);
    } else if (event.target.matches(".restore") && confirm(t("Phục hồi bản sao lưu này? Dữ liệu hiện tại sẽ được sao lưu trước."))) {
      send("POST", "/api/v1/admin/restore", { name: row.dataset.name });
    }
  });

  function onSubmit(id, handler) {
    $(id).addEventListener("submit", (event) => { event.preventDefault(); lastForm = event.target.closest("section"); handler(event.target); });
  }

  onSubmit("service-form", (form) => {
    const minutes = numberOrNull(form.wait_target_min.value);
    send("POST", "/api/v1/admin/services", { code: form.code.value.trim(), prefix: form.prefix.value.trim(), name: form.name.value,
      field: form.field.value, wait_target_s: minutes == null ? null : Math.round(minutes * 60) }, () => form.reset());
  });
  onSubmit("counter-form", (form) => send("POST", "/api/v1/admin/counters",
    { number: Number(form.number.value), name: form.name.value, services: editors.readOrder(form.querySelector("[data-order-box]")) },
    () => { form.reset(); form.querySelector("[data-services]").innerHTML = ""; }));
  onSubmit("officer-form", (form) => send("POST", "/api/v1/admin/officers", { username: form.username.value.trim(),
    name: form.name.value, title: form.title.value, password: form.password.value, role: form.role.value }, () => form.reset()));
  onSubmit("device-form", (form) => send("POST", "/api/v1/admin/devices", { id: form.id.value.trim(), kind: form.kind.value,
    name: form.name.value, counter: numberOrNull(form.counter.value) }, (answer) => {
      form.reset();
      $("device-token").hidden = false;
      $("device-token").textContent = t("Mã truy cập của thiết bị (chỉ hiện một lần): ") + answer.token;
    }));
  onSubmit("hours-form", () => send("POST", "/api/v1/admin/settings/hours", { value: editors.readHours() }));
  onSubmit("place-form", (form) => send("POST", "/api/v1/admin/settings/place", { value: form.value.value }));
  onSubmit("announcement-form", (form) => send("POST", "/api/v1/admin/settings/announcement", { value: form.value.value }));
  onSubmit("voice-form", (form) => send("POST", "/api/v1/admin/settings/voice",
    { value: { template: form.template.value, speed: Number(form.speed.value) } }));
  onSubmit("rating-form", () => send("POST", "/api/v1/admin/settings/rating", { value: editors.readRating() }));
  onSubmit("hub-form", (form) => send("POST", "/api/v1/admin/hub", { url: form.url.value.trim(),
    ...(form.token.value ? { token: form.token.value } : {}), batch_max: Number(form.batch_max.value), batch_ms: Number(form.batch_ms.value) }));
  $("backup-now").addEventListener("click", () => send("POST", "/api/v1/admin/backups"));
  /* Send a file as a multipart form (the JSON helper cannot), then reload the page's data. */
  async function upload(url, data, doneText) {
    const csrf = document.querySelector('meta[name="csrf-token"]');
    const response = await fetch(url, { method: "POST", body: data, credentials: "same-origin",
      headers: { ...Layso.headers(), "X-CSRF-Token": csrf ? csrf.content : "", "Accept": "application/json" } });
    const answer = await response.json().catch(() => ({}));
    if (response.ok) { notify(doneText); load(); } else notify(answer.message || response.statusText, true);
  }

  onSubmit("upload-form", (form) => {
    if (confirm(t("Phục hồi từ tệp này? Dữ liệu hiện tại sẽ được sao lưu trước."))) upload("/api/v1/admin/restore", new FormData(form), t("Đã phục hồi."));
  });
  document.addEventListener("change", (event) => {
    if (!event.target.matches(".photo-file") || !event.target.files.length) return;
    const data = new FormData();
    data.append("photo", event.target.files[0]);
    upload(`/api/v1/admin/officers/${event.target.closest("tr").dataset.username}/photo`, data, t("Đã lưu ảnh."));
  });
  load();
})();
