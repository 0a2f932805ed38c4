/* The printable monthly report: its print button (the page itself is rendered on the server). */
(function () {
  "use strict";
  document.getElementById("print-report").addEventListener("click", () => window.print());
})();
