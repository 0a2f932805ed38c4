/* The change-password form: the server checks the rules and says which one a password
   breaks; this page only checks that the new password was typed the same twice. */
(function () {
  "use strict";
  const form = document.getElementById("password-form");
  const error = document.getElementById("password-error");

  function show(text) { error.textContent = text; error.hidden = !text; }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.new_password.value !== form.repeat_password.value) { show(form.dataset.differ); return; }
    try {
      await Layso.api("POST", "/api/v1/auth/password",
                      { old_password: form.old_password.value, new_password: form.new_password.value });
      window.location.assign(form.dataset.next);
    } catch (failure) {
      show(failure.message);
    }
  });

  document.getElementById("logout").addEventListener("click", async () => {
    try { await Layso.api("POST", "/api/v1/auth/logout"); } catch (failure) { /* the session ends either way */ }
    window.location.assign("/");
  });
})();
