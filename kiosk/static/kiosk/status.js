/* The status page follows its ticket live: its own ticket.* events, and a refetch now
   and then (people ahead change when others are called). */
(function () {
  "use strict";
  const page = JSON.parse(document.getElementById("status-data").textContent);
  const $ = (id) => document.getElementById(id);
  const REFRESH_MS = 20000;

  function render(ticket) {
    document.querySelector(".status-card").dataset.status = ticket.status;
    if (ticket.status === "called") $("status").textContent = Layso.t("Mời bạn đến quầy số {n}").replace("{n}", ticket.counter);
    else $("status").textContent = page.texts[ticket.status] || ticket.status;
    $("next-step").hidden = !page.next_steps[ticket.status];
    $("next-step").textContent = page.next_steps[ticket.status] || "";
    $("waiting-facts").hidden = ticket.status !== "waiting";
    $("ahead").textContent = ticket.ahead;
    if ($("come-when")) {  // a remote number: is it time to set out?
      $("come-when").hidden = ticket.status !== "waiting";
      $("come-now").hidden = ticket.ahead > page.come_when_ahead;
    }
    $("wait").textContent = ticket.estimated_wait_text;  // worded by the server, as on paper
  }

  async function refresh() {
    try { render(await Layso.api("GET", "/api/v1/tickets/by-token/" + encodeURIComponent(page.token))); }
    catch (error) { /* offline for a moment: the marker shows it; the next tick retries */ }
  }

  const handlers = { state: refresh };
  ["ticket.issued", "ticket.called", "ticket.recalled", "ticket.held", "ticket.no_show", "ticket.transferred",
   "ticket.finished", "ticket.cancelled", "ticket.expired"].forEach((name) => { handlers[name] = refresh; });
  Layso.connect({ role: "citizen", ticket: page.token }, handlers);
  setInterval(refresh, REFRESH_MS);
})();
