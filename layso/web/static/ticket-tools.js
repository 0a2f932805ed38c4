/* The staff's ticket tools, on the console and the dashboard (templates/ticket_tools.html):
   look a ticket up by number or dossier code and see its day, step by step; reprint a ticket
   on a chosen kiosk. Statuses and history lines come worded by the server. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const panel = $("lookup-panel");
  const dialog = $("reprint-dialog");
  let reprinting = null;  // the ticket the reprint dialog is open for
  let pageSays = null;    // how the page says things itself (TicketTools.onMessage)

  /* In the look-up panel while it is on screen, else the page's own way. */
  function say(message, kind) {
    if (panel && (panel.checkVisibility() || !pageSays)) $("lookup-results").prepend(element("p", "tt-note " + kind, message));
    else if (pageSays) pageSays(message, kind);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function ticketCard(ticket) {
    const card = element("article", "tt-ticket");
    card.dataset.ticket = ticket.id;
    const head = element("header", "tt-ticket-head");
    head.append(element("strong", "tt-number", ticket.number), element("span", "tt-status", ticket.status_text));
    const facts = element("p", "tt-facts", ticket.service_name);
    if (ticket.counter) facts.textContent += " · " + panel.dataset.textCounter + " " + ticket.counter;
    if (ticket.dossier_code) facts.textContent += " · " + panel.dataset.textDossier + " " + ticket.dossier_code;
    const history = element("ol", "tt-history");
    history.append(...ticket.events.map((event) => {
      const line = element("li");
      line.append(element("time", null, event.at.slice(11, 16)), element("span", null, event.text));
      return line;
    }));
    const again = element("button", "tt-button secondary", panel.dataset.textReprint);
    again.type = "button";
    again.addEventListener("click", () => reprint(ticket));
    card.append(head, facts, history, again);
    return card;
  }

  async function search(query) {
    const results = $("lookup-results");
    try {
      const answer = await Layso.api("GET", "/api/v1/tickets/lookup?q=" + encodeURIComponent(query));
      results.replaceChildren(...(answer.tickets.length ? answer.tickets.map(ticketCard)
        : [element("p", "tt-note", panel.dataset.textNone)]));
    } catch (error) {
      results.replaceChildren(element("p", "tt-note error", error.message));
    }
  }

  if (panel) {
    $("lookup-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const query = $("lookup-query").value.trim();
      if (query) search(query);
    });
  }

  /* Choose the kiosk (the ticket's own when it has a printer), then ask the server. */
  async function reprint(ticket) {
    let kiosks;
    try {
      kiosks = (await Layso.api("GET", "/api/v1/kiosks")).kiosks.filter((kiosk) => kiosk.printer);
    } catch (error) {
      say(error.message, "error");
      return;
    }
    reprinting = ticket;
    $("reprint-number").textContent = ticket.number;
    $("reprint-kiosk").replaceChildren(...kiosks.map((kiosk) => new Option(
      kiosk.name + (kiosk.printer_failing ? " (" + dialog.dataset.textFailing + ")" : ""), kiosk.id,
      false, kiosk.id === ticket.kiosk)));
    $("reprint-note").hidden = kiosks.length > 0;
    $("reprint-note").textContent = dialog.dataset.textNoPrinter;
    $("reprint-submit").disabled = kiosks.length === 0;
    dialog.showModal();
  }

  if (dialog) {
    dialog.addEventListener("close", async () => {
      const ticket = reprinting;
      reprinting = null;
      if (dialog.returnValue !== "ok" || !ticket) return;
      const select = $("reprint-kiosk");
      try {
        await Layso.api("POST", `/api/v1/tickets/${ticket.id}/reprint`, { kiosk: select.value });
        say(dialog.dataset.textSent.replace("{number}", ticket.number)
          .replace("{kiosk}", select.options[select.selectedIndex].text), "info");
      } catch (error) {
        say(error.message, "error");
      }
    });
  }

  window.TicketTools = {
    search,
    reprint,
    onMessage(handler) { pageSays = handler; },
  };
})();
