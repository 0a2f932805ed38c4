/* The reports page: the summary table and charts for a period, exports, the quarterly evaluation. */
(function () {
  "use strict";
  const form = document.getElementById("report-form");
  const esc = (text) => String(text == null ? "–" : text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const COLORS = ["#1b7f3b", "#0b4f9c", "#c62828", "#b26a00", "#7b1fa2"];
  const charts = {};

  function query(format) {
    const params = new URLSearchParams({ from: form.from.value, to: form.to.value, by: form.by.value, format });
    return "/api/v1/reports/summary?" + params;
  }

  /* The server writes every cell (layso/reports/formats.py); the page only lays them out. */
  function table(element, shown) {
    const cell = (tag, column, text) => `<${tag} class="${column.kind} ${esc(column.key)}">${esc(text)}</${tag}>`;
    element.querySelector("thead").innerHTML = "<tr>" + shown.columns.map((c) => cell("th", c, c.title)).join("") + "</tr>";
    const line = (cells, extra) => `<tr${extra}>` + cells.map((text, index) => cell("td", shown.columns[index], text)).join("") + "</tr>";
    element.querySelector("tbody").innerHTML = shown.rows.map((cells) => line(cells, "")).join("");
    element.querySelector("tfoot").innerHTML = shown.totals ? line(shown.totals, ' class="totals"') : "";
  }

  function draw(name, config) {
    if (!window.Chart) return;
    Chart.defaults.locale = document.documentElement.lang;  // axis numbers as the page writes them (0,5 or 0.5)
    if (charts[name]) charts[name].destroy();
    charts[name] = new Chart(document.getElementById(name), config);
  }

  async function load(event) {
    if (event) event.preventDefault();
    document.getElementById("export-csv").href = query("csv");
    document.getElementById("export-xlsx").href = query("xlsx");
    const error = document.getElementById("report-error");
    try {
      const data = await Layso.api("GET", query("json"));
      error.hidden = true;
      table(document.getElementById("report-table"), data.table);
      document.getElementById("report-channels").textContent = data.channels.text;  // worded by the server
      document.getElementById("report-appointments").textContent = data.appointments.text;
      const labels = data.table.rows.map((cells) => data.by === "day" ? cells[0].slice(0, 5) : (cells[1] || cells[0]));
      draw("volume-chart", { data: { labels, datasets: [
        { type: "bar", label: Layso.t("Đã phục vụ"), data: data.rows.map((r) => r.served), backgroundColor: "#1b7f3b", yAxisID: "y" },
        { type: "bar", label: Layso.t("Vắng mặt"), data: data.rows.map((r) => r.no_show), backgroundColor: "#c62828", yAxisID: "y" },
        { type: "line", label: Layso.t("Chờ trung bình (phút)"), data: data.rows.map((r) => r.avg_wait_s == null ? null : r.avg_wait_s / 60), borderColor: "#b26a00", yAxisID: "minutes" },
      ] }, options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true }, minutes: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } } } } });
      draw("rating-chart", { type: "bar", data: { labels, datasets: data.levels.map((level, index) => ({
        label: level.label, data: data.rows.map((r) => r.ratings[level.id] || 0), backgroundColor: COLORS[index % COLORS.length] })) },
        options: { animation: false, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } });
      document.body.dataset.loaded = "yes";
    } catch (failure) {
      error.textContent = failure.message; error.hidden = false;
    }
  }

  async function evaluation() {
    const quarter = document.getElementById("quarter").value;
    try {
      const data = await Layso.api("GET", "/api/v1/reports/evaluation?quarter=" + encodeURIComponent(quarter));
      table(document.getElementById("evaluation-table"), data.table);
    } catch (failure) {
      document.getElementById("report-error").textContent = failure.message;
      document.getElementById("report-error").hidden = false;
    }
  }

  form.addEventListener("submit", load);
  document.getElementById("quarter").addEventListener("change", evaluation);
  load();
  evaluation();
})();
