/* The admin's notices section: the settings in force (what the environment sets is shown and
   locked), and every text with its length in SMS parts as the server counts it. Saving sends
   the whole setting; the server checks each text (placeholders, parts) and says what is wrong. */
(function () {
  "use strict";
  const t = Layso.t;
  const form = document.getElementById("notify-form");
  const message = form.querySelector(".form-message");
  const NUMBERS = ["near_ahead", "reminder_before_min", "alert_after_s", "max_parts"];
  const TEXTS = ["quiet_hours", "reminder_day_before_at"];
  let view = null;

  function say(text, isError) {
    message.textContent = text; message.hidden = false; message.classList.toggle("error", !!isError);
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
      row.append(name, textCell(kind, "vi"), textCell(kind, "en"));
      return row;
    });
    document.getElementById("notify-texts").replaceChildren(...rows);
  }

  async function load() {
    try { view = await Layso.api("GET", "/api/v1/admin/notify"); render(); } catch (failure) { say(failure.message, true); }
  }

  function read() {
    const value = { ...view.settings, texts: {} };
    if (!form.channel.disabled) value.channel = form.channel.value;
    NUMBERS.forEach((name) => { value[name] = Number(form[name].value); });
    TEXTS.forEach((name) => { value[name] = form[name].value.trim(); });
    form.querySelectorAll("#notify-texts textarea").forEach((area) => {
      const [kind, language] = area.name.split(".");
      if (area.value.trim()) (value.texts[kind] = value.texts[kind] || {})[language] = area.value.trim();
    });
    return value;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await Layso.api("POST", "/api/v1/admin/settings/notify", { value: read() });
      await load();
      say(t("Đã lưu."));
    } catch (failure) {
      say(failure.message, true);
    }
  });
  load();
})();
