/* The notices page: every SMS/Zalo notice, newest first, refreshed every few seconds.
   The server words everything shown (kind, status, the masked phone). */
(function () {
  "use strict";
  const REFRESH_MS = 3000;
  const $ = (id) => document.getElementById(id);

  function cell(text, className) {
    const td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (className) td.className = className;
    return td;
  }

  function render(answer) {
    const body = $("notice-table").querySelector("tbody");
    body.replaceChildren(...answer.notices.map((notice) => {
      const row = document.createElement("tr");
      row.dataset.status = notice.status;
      row.dataset.kind = notice.kind;
      const status = cell(notice.status_words, "notice-" + notice.status);
      if (notice.last_error) status.title = notice.last_error;
      row.append(cell((notice.sent_at || notice.created_at || "").slice(11, 19)), cell(notice.kind_words),
                 cell(notice.phone_masked), cell(notice.text, "notice-text"), status, cell(notice.channel || "—"),
                 cell(notice.attempts));
      return row;
    }));
    $("notice-empty").hidden = answer.notices.length > 0;
    const counts = answer.counts;
    $("notice-counts").textContent = [["pending", "Đang chờ gửi"], ["sent", "Đã gửi"], ["failed", "Không gửi được"]]
      .map(([key, words]) => Layso.t(words) + ": " + counts[key]).join(" · ");
  }

  async function refresh() {
    const status = $("notice-status").value;
    try {
      render(await Layso.api("GET", "/api/v1/notices" + (status ? "?status=" + encodeURIComponent(status) : "")));
      $("notice-error").hidden = true;
    } catch (failure) {
      $("notice-error").textContent = failure.message;
      $("notice-error").hidden = false;
    }
  }

  $("notice-status").addEventListener("change", refresh);
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
