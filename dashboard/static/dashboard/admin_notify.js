/* The admin's notices section: the settings in force (what the environment sets is shown and
   locked), the SMS and Zalo gateways (the secrets stay in the environment: the page names the
   variable and says whether it is set), and every text with its length in SMS parts and its
   ZNS template id. Saving sends the whole setting; the server checks each key and text and
   says what is wrong. */
(function () {
  "use strict";
  const t = Layso.t;
  const typed = window.LaysoAdminEditors.typedNumber;
  const form = document.getElementById("notify-form");
  const NUMBERS = ["near_ahead", "reminder_before_min", "alert_after_s", "max_parts", "timeout_s", "max_backoff_s",
                   "give_up_s"];
  const TEXTS = ["quiet_hours", "reminder_day_before_at"];
  let view = null;
  let services = [];
  const SMS_TEXTS = ["success_path"];
  const SECRETS = { sms: ["LAYSO_SMS_TOKEN", "sms_token", "LAYSO_SMS_URL", "sms_url"],
                    zns: ["LAYSO_ZNS_TOKEN", "zns_token", "LAYSO_ZNS_URL", "zns_url"] };

  // A JSON table typed by the admin: sent parsed, or as typed for the server to refuse in words.
  function jsonField(field, empty) {
    const text = field.value.trim();
    if (!text) return empty;
    try { return JSON.parse(text); } catch (error) { return text; }
  }
  const shownJson = (value) => (value && Object.keys(value).length ? JSON.stringify(value, null, 1) : "");

  function renderGateway(name) {
    const [tokenVar, tokenKey, urlVar, urlKey] = SECRETS[name];
    const environment = view.environment;
    document.getElementById(`${name}-secret`).textContent = t("Mã bí mật lấy từ biến môi trường") + ` ${tokenVar}: `
      + (environment[tokenKey] ? t("đã đặt") : t("chưa đặt"));
    const url = form.elements[`${name}.url`];
    url.value = environment[urlKey] || view.settings[name].url;
    url.disabled = !!environment[urlKey];
    url.title = environment[urlKey] ? urlVar : "";
  }

  function renderSms() {
    const sms = view.settings.sms;
    renderGateway("sms");
    ["method", "body_format", "phone_format"].concat(SMS_TEXTS).forEach((key) => { form.elements[`sms.${key}`].value = sms[key]; });
    form.elements["sms.headers"].value = shownJson(sms.headers);
    form.elements["sms.body"].value = sms.body ? JSON.stringify(sms.body, null, 1) : "";
    form.elements["sms.success_status"].value = sms.success_status.join(", ");
    form.elements["sms.success_value"].value = sms.success_value == null ? "" : sms.success_value;
    renderGateway("zns");
    form.elements["zns.fallback_sms"].checked = view.settings.zns.fallback_sms;
  }

  function readGateways(value) {
    const sms = { ...view.settings.sms };
    if (!form.elements["sms.url"].disabled) sms.url = form.elements["sms.url"].value.trim();
    ["method", "body_format", "phone_format"].concat(SMS_TEXTS).forEach((key) => { sms[key] = form.elements[`sms.${key}`].value.trim(); });
    sms.headers = jsonField(form.elements["sms.headers"], {});
    sms.body = jsonField(form.elements["sms.body"], null);
    const statuses = form.elements["sms.success_status"].value.split(",").map((part) => part.trim()).filter(Boolean);
    sms.success_status = statuses.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    const expected = form.elements["sms.success_value"].value.trim();
    sms.success_value = expected === "" ? null : expected;
    const zns = { ...view.settings.zns, fallback_sms: form.elements["zns.fallback_sms"].checked, templates: {} };
    if (!form.elements["zns.url"].disabled) zns.url = form.elements["zns.url"].value.trim();
    form.querySelectorAll("#notify-texts input[name=zns_template]").forEach((field) => {
      if (field.value.trim()) zns.templates[field.closest("tr").dataset.kind] = field.value.trim();
    });
    value.sms = sms;
    value.zns = zns;
  }

  function templateCell(kind) {
    const cell = document.createElement("td");
    const field = document.createElement("input");
    field.name = "zns_template"; field.size = 8;
    field.value = view.settings.zns.templates[kind.kind] || "";
    field.setAttribute("aria-label", t("Mã mẫu ZNS") + " — " + kind.words);
    cell.append(field);
    return cell;
  }

  function textCell(kind, language) {
    const cell = document.createElement("td");
    cell.className = "text";
    const area = document.createElement("textarea");
    area.name = `${kind.kind}.${language}`; area.rows = 2; area.cols = 34;
    const own = (view.settings.texts[kind.kind] || {})[language];
    area.value = own || "";
    area.placeholder = kind.defaults[language];
    const parts = document.createElement("small");
    parts.className = "muted parts";
    const count = kind.parts[language];
    parts.textContent = count == null ? "" : Layso.plural("{n} phần SMS", count);
    cell.append(area, parts);
    return cell;
  }

  /* "N people ahead" per service: a filled cell is the service's own N, an empty one follows
     the center's value, shown greyed as its placeholder (and kept up to date while typing). */
  function renderNearAhead() {
    const own = view.settings.near_ahead_by_service;
    const template = document.getElementById("near-row");
    const rows = services.map((service) => {
      const row = template.content.firstElementChild.cloneNode(true);
      row.dataset.code = service.code;
      row.querySelector(".service-name").textContent = `${service.code} — ${service.name}`;
      const cell = row.querySelector("input");
      cell.value = own[service.code] ?? "";
      cell.setAttribute("aria-label", t("Báo khi còn (người trước)") + " — " + service.name);
      return row;
    });
    document.getElementById("near-rows").replaceChildren(...rows);
    followCenter();
  }

  function followCenter() {
    form.querySelectorAll("#near-rows input").forEach((cell) => { cell.placeholder = form.near_ahead.value; });
  }
  form.near_ahead.addEventListener("input", followCenter);

  function readNearAhead() {
    const own = {};
    form.querySelectorAll("#near-rows tr").forEach((row) => {
      const number = typed(row.querySelector("input"));
      if (number !== undefined) own[row.dataset.code] = number;
    });
    return own;
  }

  function render() {
    const environment = view.environment;
    form.channel.value = view.settings.channel;
    form.channel.disabled = !!environment.channel;
    document.getElementById("notify-channel-now").textContent = t("Đang gửi qua") + ": " + view.channel
      + (environment.channel ? " (LAYSO_NOTIFY_CHANNEL)" : "");
    NUMBERS.concat(TEXTS).forEach((name) => { form[name].value = view.settings[name]; });
    const rows = view.kinds.map((kind) => {
      const row = document.createElement("tr");
      row.dataset.kind = kind.kind;
      const name = document.createElement("th");
      name.className = "text"; name.textContent = kind.words;
      const hint = document.createElement("small");
      hint.className = "muted placeholders"; hint.textContent = kind.placeholders.map((p) => `{${p}}`).join(" ");
      name.append(document.createElement("br"), hint);
      row.append(name, textCell(kind, "vi"), textCell(kind, "en"), templateCell(kind));
      return row;
    });
    document.getElementById("notify-texts").replaceChildren(...rows);
    renderNearAhead();
    renderSms();
    form.dataset.loaded = "yes";
  }

  async function load() {
    const [notify, catalog] = await Promise.all([Layso.api("GET", "/api/v1/admin/notify"),
                                                 Layso.api("GET", "/api/v1/admin/services")]);
    view = notify;
    services = catalog.services;
    render();
  }

  function read() {
    const value = { ...view.settings, texts: {} };
    if (!form.channel.disabled) value.channel = form.channel.value;
    NUMBERS.forEach((name) => { value[name] = Number(form[name].value); });
    TEXTS.forEach((name) => { value[name] = form[name].value.trim(); });
    value.near_ahead_by_service = readNearAhead();
    form.querySelectorAll("#notify-texts textarea").forEach((area) => {
      const [kind, language] = area.name.split(".");
      if (area.value.trim()) (value.texts[kind] = value.texts[kind] || {})[language] = area.value.trim();
    });
    readGateways(value);
    return value;
  }

  window.LaysoAdminEditors.settingForm(form, "/api/v1/admin/settings/notify", { load, read });
})();
