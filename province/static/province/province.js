/* The province dashboard: log in (login.js: the hub's token is kept for this tab only), then every
   center's live state, from GET /api/v1/province/live and the `province.center` events of
   the hub's Socket.IO (websocket only: any worker may answer, no sticky sessions needed).
   The server words every figure and alert (`shown`, `text`): this page only places them. */
(function () {
  "use strict";
  const lang = Layso.language;
  const view = document.getElementById("centers-view");
  const body = document.querySelector("#centers tbody");
  let socket = null;

  function cell(text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function row(state) {
    const shown = state.shown[lang] || state.shown.vi;
    const tr = document.createElement("tr");
    tr.dataset.center = state.center;
    tr.className = state.online ? "online" : "offline";
    const name = cell(state.name, "name");
    tr.append(name, cell(shown.status, "status"), cell(String(state.open_counters), "number open-counters"),
      cell(String(state.waiting), "number waiting"), cell(String(state.serving), "number serving"),
      cell(shown.avg_wait, "number avg-wait"), cell(shown.p90_wait, "number p90-wait"),
      cell(shown.satisfied, "number satisfied"), cell(shown.last_contact, "last-contact"));
    const alerts = document.createElement("td");
    alerts.className = "alerts";
    state.alerts.forEach((alert) => {
      const line = document.createElement("div");
      line.className = "alert " + alert.kind;
      line.textContent = alert.text[lang] || alert.text.vi;
      alerts.append(line);
    });
    tr.append(alerts);
    return tr;
  }

  function show(state) {
    const old = body.querySelector(`tr[data-center="${CSS.escape(state.center)}"]`);
    const fresh = row(state);
    if (old) old.replaceWith(fresh);
    else {
      const after = [...body.children].find((tr) => tr.dataset.center > state.center);
      body.insertBefore(fresh, after || null);
    }
    document.getElementById("no-centers").hidden = body.children.length > 0;
  }

  function loggedOut() {
    if (socket) socket.disconnect();
    socket = null;
    view.hidden = true;
    document.getElementById("live-mark").hidden = true;
  }

  async function start(token) {
    let snapshot;
    try {
      snapshot = await Layso.api("GET", "/api/v1/province/live", undefined, { token });
    } catch (failure) {
      return login.refused(failure);
    }
    view.hidden = false;
    body.replaceChildren();
    snapshot.centers.forEach(show);
    document.getElementById("no-centers").hidden = snapshot.centers.length > 0;
    socket = io({ auth: { token, lang }, transports: ["websocket"], reconnection: true,
                  reconnectionDelay: 500, reconnectionDelayMax: 3000 });
    const marker = document.getElementById("connection-status");
    socket.on("connect", () => {
      marker.hidden = true;
      document.getElementById("live-mark").hidden = false;
      document.body.dataset.connected = "yes";
      // events missed while away: the whole picture again
      Layso.api("GET", "/api/v1/province/live", undefined, { token }).then((fresh) => fresh.centers.forEach(show))
        .catch(() => {});
    });
    socket.on("disconnect", () => { marker.hidden = false; document.body.dataset.connected = "no"; });
    socket.on("province.center", show);
  }

  const login = ProvinceLogin(start, loggedOut);
})();
