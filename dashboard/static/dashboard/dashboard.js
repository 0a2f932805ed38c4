/* The live dashboard: loads GET /api/v1/dashboard and reloads it when the bus reports a
   change. Reloads are coalesced (one in flight, at most one every REFRESH_GAP_MS), so a
   burst of 50 events per second costs a couple of snapshots, not fifty. */
(function () {
  "use strict";
  const REFRESH_GAP_MS = 400;
  const t = Layso.t;
  let chart = null, inFlight = false, again = false, lastAt = 0, ticking = null, snapshotData = null;
  const eventAlerts = [];

  const $ = (id) => document.getElementById(id);
  const esc = (text) => String(text == null ? "" : text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  function renderCounters(counters) {
    $("counters").innerHTML = counters.map((c) => {
      const serving = c.status === "serving" ? `<div class="ticket">${esc(c.ticket)}</div><div class="muted">${esc(c.shown.serving)}</div>` : "";
      return `<div class="counter-card" data-counter="${c.number}" data-status="${c.status}">
        <div class="number">${esc(c.name)}</div>
        <div>${esc(c.officer ? c.officer.name : "—")}</div>
        <div class="status">${esc(c.shown.status)}${c.paused_reason ? ": " + esc(c.paused_reason) : ""}</div>${serving}</div>`;
    }).join("");
  }

  function renderServices(data) {
    const byService = Object.fromEntries(data.satisfaction.services.map((row) => [row.key, row]));
    $("services").innerHTML = data.services.map((s) => {
      const over = s.wait_target_s && s.longest_wait_s > s.wait_target_s;
      const rated = byService[s.code];
      return `<tr data-service="${esc(s.code)}"><td>${esc(s.name)}</td><td class="waiting">${s.waiting}</td>
        <td class="${over ? "over" : ""}">${esc(s.shown.longest_wait)}</td><td>${esc(s.shown.avg_wait)}</td>
        <td>${esc(s.shown.avg_service)}</td><td>${s.served}</td><td>${rated ? esc(rated.shown.satisfied) : "–"}</td></tr>`;
    }).join("");
  }

  function renderSatisfaction(data) {
    const levels = data.satisfaction.levels;
    $("officers-head").innerHTML = `<tr><th>${esc(t("Cán bộ"))}</th>${levels.map((l) => `<th>${esc(l.label)}</th>`).join("")}<th>%</th></tr>`;
    $("officers").innerHTML = data.satisfaction.officers.map((row) =>
      `<tr data-officer="${esc(row.key)}"><td>${esc(row.name)}</td>${levels.map((l) => `<td>${row.ratings[l.id] || 0}</td>`).join("")}<td>${esc(row.shown.satisfied)}</td></tr>`
    ).join("");
    $("today-satisfied").textContent = data.satisfaction.overall.shown.satisfied;
    $("today-rated").textContent = data.satisfaction.overall.shown.rated;
  }

  function renderAlerts(data) {
    const standing = data.alerts.map((a) => ({ ...a, at: data.at }));
    const known = new Map(eventAlerts.map((a, index) => [a.id, index]));
    // the snapshot's copy of an alert the socket brought carries its words in the page's language
    (data.events || []).forEach((a) => { if (known.has(a.id)) eventAlerts[known.get(a.id)] = a; else { known.set(a.id, eventAlerts.length); eventAlerts.push(a); } });
    eventAlerts.sort((a, b) => b.id - a.id);
    const items = standing.concat(eventAlerts);
    $("alerts").innerHTML = items.length ? items.map((a) =>
      `<li class="${esc(a.level)}${a.resolved ? " resolved" : ""}" data-kind="${esc(a.kind)}"><time>${esc((a.at || "").slice(11, 16))}</time>${esc(a.shown ? a.shown.message : a.message)}</li>`
    ).join("") : `<li class="info">${esc(t("Không có cảnh báo."))}</li>`;
  }

  function renderChart(hourly) {
    const labels = hourly.hours.map((h) => h + "h");
    const sets = [
      { type: "bar", label: t("Lượt đến hôm nay"), data: hourly.arrivals, backgroundColor: "#0b4f9c" },
      { type: "bar", label: t("Đã phục vụ hôm nay"), data: hourly.served, backgroundColor: "#1b7f3b" },
      { type: "line", label: t("Lượt đến thường ngày"), data: hourly.usual_arrivals, borderColor: "#b26a00", tension: 0.3 },
      { type: "line", label: t("Đã phục vụ thường ngày"), data: hourly.usual_served, borderColor: "#7b1fa2", tension: 0.3 },
    ];
    if (!window.Chart) return;
    Chart.defaults.locale = document.documentElement.lang;  // axis numbers as the page writes them (0,5 or 0.5)
    if (!chart) {
      chart = new Chart($("hourly-chart"), { data: { labels, datasets: sets },
        options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
    } else {
      chart.data.labels = labels;
      sets.forEach((set, index) => { chart.data.datasets[index].data = set.data; });
      chart.update("none");
    }
  }

  function render(data) {
    snapshotData = data;
    $("today-issued").textContent = data.today_shown.issued;
    $("today-waiting").textContent = data.today_shown.waiting;
    $("today-served").textContent = data.today_shown.served;
    $("today-no-show").textContent = data.today_shown.no_show;
    renderCounters(data.counters);
    renderServices(data);
    renderSatisfaction(data);
    renderAlerts(data);
    renderChart(data.hourly);
    // the link to the province hub, in the server's words; nothing when the center has none
    $("hub-link").hidden = data.hub_link.state === "off";
    $("hub-link").textContent = data.hub_link.shown.text;
    $("hub-link").dataset.level = data.hub_link.shown.level;
    document.body.dataset.snapshotAt = data.at;
  }

  async function refresh() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    try {
      render(await Layso.api("GET", "/api/v1/dashboard"));
    } catch (failure) {
      if (failure.status === 401) window.location.reload();
    } finally {
      inFlight = false; lastAt = Date.now();
      if (again) { again = false; schedule(); }
    }
  }

  function schedule() {
    if (ticking) return;
    ticking = setTimeout(() => { ticking = null; refresh(); }, Math.max(0, REFRESH_GAP_MS - (Date.now() - lastAt)));
  }

  async function start() {
    const { token } = await Layso.api("GET", "/api/v1/auth/socket-token");
    const handlers = { state: schedule, "counter.updated": schedule, "rating.submitted": schedule, "settings.changed": schedule,
                       "hub.link": schedule,
                       "alert.raised": (payload) => { if (payload.alert.id != null) eventAlerts.push(payload.alert); schedule(); } };
    // an alert without an id is a standing one (writes stopped): the refresh brings it in data.alerts
    ["issued", "called", "recalled", "held", "no_show", "transferred", "finished", "cancelled", "expired"]
      .forEach((name) => { handlers["ticket." + name] = schedule; });
    Layso.connect({ role: "dashboard", token }, handlers);
    refresh();
    setInterval(schedule, 30000);  // waits and idle times grow even when nothing happens
  }

  window.LaysoDashboard = { refresh, snapshot: () => snapshotData };
  start();
})();
