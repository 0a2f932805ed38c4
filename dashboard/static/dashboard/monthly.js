/* The printable monthly report: its chart of days, and the print button. */
(function () {
  "use strict";
  document.getElementById("print-report").addEventListener("click", () => window.print());
  const days = JSON.parse(document.getElementById("days-data").textContent);
  if (!window.Chart) return;
  new Chart(document.getElementById("days-chart"), { type: "bar", data: { labels: days.map((d) => d.key.slice(8)), datasets: [
    { label: Layso.t("Số đã phát"), data: days.map((d) => d.issued), backgroundColor: "#0b4f9c" },
    { label: Layso.t("Đã phục vụ"), data: days.map((d) => d.served), backgroundColor: "#1b7f3b" }] },
    options: { animation: false, maintainAspectRatio: false } });
})();
