/* The staff login form: log in, then go on to the page that asked for it. */
(function () {
  "use strict";
  document.getElementById("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target, error = document.getElementById("login-error");
    try {
      await Layso.api("POST", "/api/v1/auth/login", { username: form.username.value, password: form.password.value });
      window.location.assign(form.dataset.next || "/dashboard");
    } catch (failure) {
      error.textContent = failure.message; error.hidden = false;
    }
  });
})();
