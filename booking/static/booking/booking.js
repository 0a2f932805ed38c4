/* The booking pages (/dat-lich and /dat-lich/<code>): choose a day and a slot of a service,
   then book it, or move or cancel a booking. Every word comes from the server (the data
   block and the API's answers). */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("booking-data").textContent);
  const $ = (id) => document.getElementById(id);
  const error = $("error");
  let service = data.service || null;
  let serviceName = "";
  let chosenDay = null;
  let chosenSlot = null;

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  function button(className, lines, onClick, disabled) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = className;
    lines.forEach((text, index) => {
      const line = document.createElement("span");
      line.className = index === 0 ? "choice-main" : "choice-sub";
      line.textContent = text;
      element.appendChild(line);
    });
    element.disabled = Boolean(disabled);
    element.addEventListener("click", () => onClick(element));
    return element;
  }

  function select(container, element) {
    container.querySelectorAll("[aria-pressed]").forEach((other) => other.setAttribute("aria-pressed", "false"));
    element.setAttribute("aria-pressed", "true");
  }

  const placesText = (count) => (count > 0 ? Layso.format(data.places, { n: count }) : data.full);

  async function loadDays() {
    $("step-day").hidden = false;
    $("step-slot").hidden = true;
    if ($("step-details")) $("step-details").hidden = true;
    const days = $("days");
    days.replaceChildren();
    try {
      const answer = await Layso.api("GET", "/api/v1/appointments/days?service=" + encodeURIComponent(service));
      answer.days.forEach((day) => {
        const shown = day.date.slice(8, 10) + "/" + day.date.slice(5, 7);
        const element = button("choice day-choice", [day.weekday, shown, placesText(day.available)], (pressed) => {
          select(days, pressed);
          chosenDay = day;
          loadSlots();
        }, day.available === 0);
        element.dataset.date = day.date;
        element.setAttribute("aria-pressed", "false");
        days.appendChild(element);
      });
      $("step-day").scrollIntoView({ behavior: "smooth", block: "start" });
    } catch (failure) {
      showError(failure.message);
    }
  }

  async function loadSlots() {
    showError("");
    const slots = $("slots");
    slots.replaceChildren();
    $("step-slot").hidden = false;
    if ($("step-details")) $("step-details").hidden = true;
    try {
      const answer = await Layso.api("GET", "/api/v1/appointments/slots?service=" + encodeURIComponent(service) +
                                     "&date=" + chosenDay.date);
      // Slots already past or inside the cut-off are left out; full ones are shown as full.
      const shown = answer.slots.filter((slot) => slot.available > 0 || slot.booked >= slot.capacity);
      if (!shown.length) showError(data.no_slots);
      shown.forEach((slot) => {
        const element = button("choice slot-choice", [slot.start.slice(11, 16), placesText(slot.available)], (pressed) => {
          select(slots, pressed);
          chosenSlot = slot;
          chooseSlot();
        }, slot.available === 0);
        element.dataset.start = slot.start;
        element.setAttribute("aria-pressed", "false");
        slots.appendChild(element);
      });
      $("step-slot").scrollIntoView({ behavior: "smooth", block: "start" });
    } catch (failure) {
      showError(failure.message);
    }
  }

  async function chooseSlot() {
    if (data.mode === "manage") {
      try {
        await Layso.api("POST", "/api/v1/appointments/" + data.code + "/reschedule", { start: chosenSlot.start });
        location.reload();
      } catch (failure) {
        showError(failure.message);
      }
      return;
    }
    $("chosen").textContent = Layso.format(data.chosen, {
      service: serviceName, weekday: chosenDay.weekday,
      date: chosenDay.date.slice(8, 10) + "/" + chosenDay.date.slice(5, 7) + "/" + chosenDay.date.slice(0, 4),
      time: chosenSlot.start.slice(11, 16),
    });
    $("step-details").hidden = false;
    $("step-details").scrollIntoView({ behavior: "smooth", block: "start" });
    $("phone").focus({ preventScroll: true });
  }

  if (data.mode === "book") {
    document.querySelectorAll(".service-choice").forEach((element) => {
      element.setAttribute("aria-pressed", "false");
      element.addEventListener("click", () => {
        select($("step-service"), element);
        service = element.dataset.service;
        serviceName = element.textContent.trim();
        showError("");
        loadDays();
      });
    });
    $("step-details").addEventListener("submit", async (event) => {
      event.preventDefault();
      showError("");
      if (!$("phone").value.trim()) return showError(data.phone_needed);
      if (!$("consent").checked) return showError(data.consent_needed);
      $("submit").disabled = true;
      try {
        const booked = await Layso.api("POST", "/api/v1/appointments", {
          service, start: chosenSlot.start, phone: $("phone").value, name: $("name").value.trim() || null,
        });
        location.assign(new URL(booked.manage_url).pathname);
      } catch (failure) {
        showError(failure.message);
        $("submit").disabled = false;
        if (failure.error === "slot_full") loadSlots();
      }
    });
  } else if ($("cancel")) {
    $("cancel").addEventListener("click", () => { $("confirm-cancel").hidden = false; });
    $("cancel-no").addEventListener("click", () => { $("confirm-cancel").hidden = true; });
    $("cancel-yes").addEventListener("click", async () => {
      try {
        await Layso.api("POST", "/api/v1/appointments/" + data.code + "/cancel", {});
        location.reload();
      } catch (failure) {
        showError(failure.message);
      }
    });
    $("reschedule").addEventListener("click", loadDays);
  }
})();
