/* The counter display above one desk: its number, the ticket served, the officer, a pause. */
(function () {
  "use strict";
  const t = Layso.t;
  const { boot, token, blink, fitText, keepFitted, statusText } = window.LaysoDisplay;
  const number = boot.counter.number;

  function render(counter) {
    document.body.className = `display counter-display status-${counter.status}`;
    document.getElementById("counter-number").textContent = counter.current_ticket ? counter.current_ticket.number : "—";
    document.getElementById("officer-title").textContent = counter.officer ? (counter.officer.title || t("Cán bộ")) : "";
    document.getElementById("officer-name").textContent = counter.officer ? counter.officer.name : "";
    let status = "";
    // paused_reason reaches a public screen only when it is a public reason (layso.events.for_anyone).
    if (counter.status === "paused") status = counter.paused_reason ? `${statusText(counter)} — ${counter.paused_reason}` : t("Tạm dừng phục vụ");
    else if (counter.status === "closed") status = statusText(counter);
    document.getElementById("counter-status").textContent = status;
    fitNumber();
  }

  const fitNumber = () => fitText(document.getElementById("counter-number"), 1);

  function fromState(state) {
    const counter = state.counters.find((item) => item.number === number);
    if (counter) render(counter);
  }

  async function refresh() {  // an admin changed the officers (a name, a title): show them now
    try { fromState(await Layso.api("GET", "/api/v1/state")); } catch (error) { /* the connection marker shows; the next event retries */ }
  }

  function onCall(data) {
    if (data.counter !== number) return;
    document.getElementById("counter-number").textContent = data.ticket.number;
    fitNumber();
    blink(document.getElementById("counter-screen"));
  }

  keepFitted(fitNumber);
  Layso.connect({ role: "display", counter: number, token }, {
    "state": fromState,
    "settings.changed": refresh,
    "counter.updated": (data) => { if (data.counter.number === number) render(data.counter); },
    "ticket.called": onCall,
    "ticket.recalled": onCall,
  });
})();
