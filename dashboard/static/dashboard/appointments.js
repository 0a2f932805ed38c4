/* The day's bookings for staff (/lich-hen): the list from GET /api/v1/appointments, kept
   current by the appointment.* events; a booking still open can be cancelled (by staff). */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("appointments-data").textContent);
  const form = document.getElementById("appointments-form");
  const body = document.querySelector("#appointments-table tbody");
  const error = document.getElementById("appointments-error");

  function cell(text) {
    const element = document.createElement("td");
    element.textContent = text == null ? "" : String(text);
    return element;
  }

  async function load() {
    const query = new URLSearchParams(new FormData(form));
    if (!query.get("service")) query.delete("service");
    try {
      const answer = await Layso.api("GET", "/api/v1/appointments?" + query.toString());
      error.hidden = true;
      const counts = { booked: 0, checked_in: 0, no_show: 0, cancelled: 0 };
      body.replaceChildren(...answer.appointments.map((item) => {
        counts[item.status] += 1;
        const row = document.createElement("tr");
        row.dataset.status = item.status;
        row.dataset.code = item.code;
        let status = data.status_words[item.status];
        if (item.cancelled_by === "holiday") status += " (" + data.holiday + ")";
        row.append(cell(item.start.slice(11, 16) + "–" + item.end.slice(11, 16)), cell(item.service_name), cell(item.name),
                   cell(item.phone_masked), cell(status), cell(item.ticket ? item.ticket.number : ""));
        const actions = document.createElement("td");
        if (item.status === "booked") {
          const cancel = document.createElement("button");
          cancel.type = "button";
          cancel.className = "secondary";
          cancel.textContent = data.cancel;
          cancel.addEventListener("click", async () => {
            if (!window.confirm(data.confirm)) return;
            try {
              await Layso.api("POST", "/api/v1/appointments/" + item.code + "/cancel", {});
              load();
            } catch (failure) {
              error.textContent = failure.message; error.hidden = false;
            }
          });
          actions.appendChild(cancel);
        }
        row.appendChild(actions);
        return row;
      }));
      document.getElementById("appointments-empty").hidden = answer.appointments.length > 0;
      document.getElementById("appointments-counts").textContent = Layso.format(data.counts, counts);
      document.body.dataset.loaded = "yes";
    } catch (failure) {
      error.textContent = failure.message; error.hidden = false;
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  let timer = null;
  const soon = () => { clearTimeout(timer); timer = setTimeout(load, 300); };
  (async () => {
    const session = await Layso.api("GET", "/api/v1/auth/socket-token").catch(() => null);
    if (!session) return;
    const role = data.role === "officer" ? "counter" : "dashboard";
    Layso.connect({ role, token: session.token }, {
      "appointment.booked": soon, "appointment.rescheduled": soon, "appointment.cancelled": soon,
      "appointment.checked_in": soon, "ticket.called": soon, "ticket.finished": soon,
    });
  })();
  load();
})();
