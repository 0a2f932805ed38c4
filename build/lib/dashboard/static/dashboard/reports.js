/* The reports page: the summary table and charts for a period, exports, the quarterly evaluation. */
(function () {
  "use strict";
  const form = document.getElementById("report-form");
  const esc = (text) => String(text == null ? "–" : text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const COLUMNS = [["issued", "Số phát ra"], ["served", "Đã phục vụ"], ["no_show", "Vắng mặt"], ["transferred", "Chuyển quầy"],
    ["avg_wait_s", "Chờ TB (giây)"], ["p90_wait_s", "Chờ P90"], ["avg_service_s", "Phục vụ TB (giây)"], ["p90_service_s", "Phục vụ P90"]];
  const COLORS = ["#1b7f3b", "#0b4f9c", "#c62828", "#b26a00", "#7b1fa2"];
  const charts = {};

  function query(format) {
    const params = new URLSearchParams({ from: form.from.value, to: form.to.value, by: form.by.value, format });
    return "/api/v1/reports/summary?" + params;
  }

  function table(element, levels, rows, extra) {
    const head = ["", ...COLUMNS.map(([, label]) => label), ...levels.map((l) => l.label), "Chưa đánh giá", "% hài lòng", ...extra.map(([, l]) => l)];
    element.querySelector("thead").innerHTML = "<tr>" + head.map((h) => `<th>${esc(Layso.t(h))}</th>`).join("") + "</tr>";
    element.querySelector("tbody").innerHTML = rows.map((row) => "<tr>" + [
      row.name || row.key, ...COLUMNS.map(([key]) => row[key]), ...levels.map((l) => row.ratings[l.id] || 0),
      row.not_rated, row.satisfied_pct, ...extra.map(([key]) => row[key]),
    ].map((value) => `<td>${esc(typeof value === "number" && !Number.isInteger(value) ? value.toFixed(1) : value)}</td>`).join("") + "</tr>").join("");
  }

  function draw(name, config) {
    if (!window.Chart) return;
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
      table(document.getElementById("report-table"), data.levels, data.rows, []);
      const labels = data.rows.map((row) => String(row.key));
      draw("volume-chart", { data: { labels, datasets: [
        { type: "bar", label: Layso.t("Đã phục vụ"), data: data.rows.map((r) => r.served), backgroundColor: "#1b7f3b", yAxisID: "y" },
        { type: "bar", label: Layso.t("Vắng mặt"), data: data.rows.map((r) => r.no_show), backgroundColor: "#c62828", yAxisID: "y" },
        { type: "line", label: Layso.t("Chờ TB (phút)"), data: data.rows.map((r) => r.avg_wait_s == null ? null : r.avg_wait_s / 60), borderColor: "#b26a00", yAxisID: "minutes" },
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
      table(document.getElementById("evaluation-table"), data.levels, data.officers,
            [["points", "Điểm"], ["points_avg", "Điểm TB"], ["rank", "Xếp hạng"]]);
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
