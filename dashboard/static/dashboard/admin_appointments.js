/* The admin's appointment rules (POST /api/v1/admin/settings/appointments): the booking
   horizon, cut-off, check-in window, per-phone limit and ordering, and per service its
   bookable slots by weekday. Saving sends the whole setting; the server checks it and its
   message (naming the service and the rule) is shown as it is. */
(function () {
  "use strict";
  const t = Layso.t;
  const editors = window.LaysoAdminEditors;
  const typed = editors.typedNumber;
  const form = document.getElementById("appointments-form");
  const NUMBERS = ["horizon_days", "cutoff_min", "check_in_before_min", "grace_min", "per_phone", "retention_days"];
  const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  const template = document.getElementById("slot-rule");

  function ruleItem(rule) {
    const item = template.content.firstElementChild.cloneNode(true);
    const days = rule.days || WEEKDAYS.slice(0, 5);
    WEEKDAYS.forEach((day) => { item.querySelector(`[name=${day}]`).checked = days.includes(day); });
    item.querySelector("[name=from]").value = rule.from || "";
    item.querySelector("[name=to]").value = rule.to || "";
    item.querySelector("[name=every_min]").value = rule.every_min ?? 15;
    item.querySelector("[name=capacity]").value = rule.capacity ?? 1;
    return item;
  }

  function render(value, services) {
    NUMBERS.forEach((name) => { form.elements[name].value = value[name] ?? ""; });
    form.ordering.value = value.ordering || "appointment_first";
    const rows = services.map((service) => {
      const row = document.createElement("tr");
      row.dataset.code = service.code;
      const name = document.createElement("th");
      name.className = "text service-name"; name.textContent = `${service.code} — ${service.name}`;
      const cell = document.createElement("td");
      cell.className = "text";
      const list = document.createElement("ol");
      list.className = "slot-rules";
      list.append(...((value.services || {})[service.code] || []).map(ruleItem));
      cell.append(list);
      const add = document.createElement("td");
      add.innerHTML = `<button type="button" class="button secondary add-rule"></button>`;
      add.firstElementChild.textContent = t("Thêm khung giờ");
      row.append(name, cell, add);
      return row;
    });
    document.getElementById("slot-rows").replaceChildren(...rows);
  }

  function readRule(item) {
    const rule = { days: WEEKDAYS.filter((day) => item.querySelector(`[name=${day}]`).checked) };
    const from = item.querySelector("[name=from]").value.trim();
    const to = item.querySelector("[name=to]").value.trim();
    if (from) rule.from = from;
    if (to) rule.to = to === "00:00" ? "24:00" : to;  // 00:00 as an end is the end of the day
    ["every_min", "capacity"].forEach((name) => {
      const number = typed(item.querySelector(`[name=${name}]`));
      if (number !== undefined) rule[name] = number;
    });
    return rule;
  }

  function read() {
    const value = { ordering: form.ordering.value, services: {} };
    NUMBERS.forEach((name) => {
      const number = typed(form.elements[name]);
      if (number !== undefined) value[name] = number;
    });
    document.querySelectorAll("#slot-rows tr[data-code]").forEach((row) => {
      const rules = [...row.querySelectorAll(".slot-rule")].map(readRule);
      if (rules.length) value.services[row.dataset.code] = rules;
    });
    return value;
  }

  document.getElementById("slot-rows").addEventListener("click", (event) => {
    if (!event.target.closest(".add-rule")) return;
    event.target.closest("tr").querySelector(".slot-rules").append(ruleItem({}));
  });

  async function load() {
    const [settings, catalog] = await Promise.all([Layso.api("GET", "/api/v1/admin/settings"),
                                                   Layso.api("GET", "/api/v1/admin/services")]);
    render(settings.settings.appointments || {}, catalog.services);
    form.dataset.loaded = "yes";
  }

  editors.settingForm(form, "/api/v1/admin/settings/appointments", { load, read });
})();
