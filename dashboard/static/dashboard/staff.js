/* Every staff page (dashboard, reports, admin): logging out. The session ends on the
   server; the page then reloads to its login form. */
(function () {
  "use strict";
  document.getElementById("logout").addEventListener("click", async () => {
    try {
      await Layso.api("POST", "/api/v1/auth/logout");
    } catch (failure) {
      if (failure.status !== 401) { window.alert(failure.message); return; }  // 401: the session had ended already
    }
    window.location.reload();
  });
})();
