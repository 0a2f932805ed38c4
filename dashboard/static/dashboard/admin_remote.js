/* The admin's remote-number rules (POST /api/v1/admin/settings/remote): the center's values,
   and a row per service whose filled cells override them (an empty cell follows the center).
   Saving sends the whole setting; the server checks it and its message is shown as it is. */
(function () {
  "use strict";
  const editors = window.LaysoAdminEditors;
  const typed = editors.typedNumber;
  const form = document.getElementById("remote-form");
  const NUMBERS = ["per_phone_per_day", "cap_share", "close_margin_min", "come_when_ahead"];
  const CENTER_NUMBERS = ["code_ttl_s", "retention_days"];
  // The center's fields (the service rows below use the same names).
  const center = (name) => form.querySelector(`.center-rules [name=${name}]`);

  function render(stored, services) {
    const value = { ...JSON.parse(form.dataset.defaults), ...stored };  // a value never set shows its default
    center("enabled").checked = value.enabled !== false;
    center("one_time_code").checked = !!value.one_time_code;
    NUMBERS.concat(CENTER_NUMBERS).forEach((name) => { center(name).value = value[name] ?? ""; });
    center("last_issue").value = value.last_issue || "";
    const template = document.getElementById("remote-row");
    const rows = services.map((service) => {
      const row = template.content.firstElementChild.cloneNode(true);
      const own = (value.services || {})[service.code] || {};
      row.dataset.code = service.code;
      row.querySelector(".service-name").textContent = `${service.code} — ${service.name}`;
      row.querySelector("[name=enabled]").value = own.enabled === undefined ? "" : (own.enabled ? "yes" : "no");
      NUMBERS.forEach((name) => {  // an empty cell shows, greyed, the center's value it follows
        const cell = row.querySelector(`[name=${name}]`);
        cell.value = own[name] ?? ""; cell.placeholder = value[name] ?? "";
      });
      row.querySelector("[name=last_issue]").value = own.last_issue || "";
      return row;
    });
    document.getElementById("remote-rows").replaceChildren(...rows);
  }

  function read() {
    const value = { enabled: center("enabled").checked, one_time_code: center("one_time_code").checked,
                    last_issue: center("last_issue").value.trim() || null, services: {} };
    NUMBERS.concat(CENTER_NUMBERS).forEach((name) => {
      const number = typed(center(name));
      if (number !== undefined) value[name] = number;
    });
    document.querySelectorAll("#remote-rows tr").forEach((row) => {
      const own = {};
      const enabled = row.querySelector("[name=enabled]").value;
      if (enabled) own.enabled = enabled === "yes";
      NUMBERS.forEach((name) => {
        const number = typed(row.querySelector(`[name=${name}]`));
        if (number !== undefined) own[name] = number;
      });
      const last = row.querySelector("[name=last_issue]").value.trim();
      if (last) own.last_issue = last;
      if (Object.keys(own).length) value.services[row.dataset.code] = own;
    });
    return value;
  }

  async function load() {
    const [settings, catalog] = await Promise.all([Layso.api("GET", "/api/v1/admin/settings"),
                                                   Layso.api("GET", "/api/v1/admin/services")]);
    render(settings.settings.remote || {}, catalog.services);
    form.dataset.loaded = "yes";
  }

  editors.settingForm(form, "/api/v1/admin/settings/remote", { load, read });
})();
