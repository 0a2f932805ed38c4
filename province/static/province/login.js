/* The hub pages' login (the dashboard and the admin screen): the token is kept for this tab
   only (sessionStorage, sent as Authorization: Bearer; no cookie, so no CSRF). An account with
   a temporary password chooses its own first (POST /api/v1/auth/password). The login's role
   is kept beside the token: an element marked data-for-role="admin" (the dashboard's link to
   the admin screen) shows for that role only — a convenience, the server checks every call. */
(function () {
  "use strict";
  const KEY = "layso.province.token";
  const ROLE_KEY = "layso.province.role";

  function showForRole(role) {
    document.querySelectorAll("[data-for-role]").forEach((element) => {
      element.hidden = element.dataset.forRole !== role;
    });
  }

  /* onToken(token) shows the page (a refused call goes to refused()); onOut() hides it. */
  window.ProvinceLogin = function (onToken, onOut) {
    const form = document.getElementById("login-form");
    const change = document.getElementById("password-form");
    const logout = document.getElementById("logout");

    function out() {
      sessionStorage.removeItem(KEY);
      sessionStorage.removeItem(ROLE_KEY);
      showForRole(null);
      onOut();
      change.hidden = true;
      form.hidden = false;
      logout.hidden = true;
    }

    function enter(token) {
      form.hidden = true;
      change.hidden = true;
      logout.hidden = false;
      showForRole(sessionStorage.getItem(ROLE_KEY));
      return onToken(token);
    }

    function failed(element, failure) {
      element.textContent = failure.message;
      element.hidden = false;
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = document.getElementById("login-error");
      try {
        const answer = await Layso.api("POST", "/api/v1/auth/login",
          { username: form.username.value, password: form.password.value });
        sessionStorage.setItem(KEY, answer.token);
        sessionStorage.setItem(ROLE_KEY, answer.role);
        error.hidden = true;
        if (answer.must_change_password) {
          form.hidden = true;
          change.old_password.value = form.password.value;
          change.hidden = false;
          logout.hidden = false;
          change.new_password.focus();
        } else {
          await enter(answer.token);
        }
        form.password.value = "";
      } catch (failure) {
        failed(error, failure);
      }
    });
    change.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = document.getElementById("password-error");
      const token = sessionStorage.getItem(KEY);
      try {
        await Layso.api("POST", "/api/v1/auth/password",
          { old_password: change.old_password.value, new_password: change.new_password.value }, { token });
        change.reset();
        error.hidden = true;
        await enter(token);
      } catch (failure) {
        if (failure.status === 401) out();
        else failed(error, failure);
      }
    });
    logout.addEventListener("click", out);

    /* A refused call of the page: the login again, or the password to change first. Else rethrown. */
    function refused(failure) {
      if (failure.error === "password_change_required") {
        showForRole(null);
        onOut();
        form.hidden = true;
        change.hidden = false;
      } else if (failure.status === 401 || failure.status === 403) {
        out();
      } else {
        throw failure;
      }
    }

    const saved = sessionStorage.getItem(KEY);
    if (saved) enter(saved);
    else form.hidden = false;
    return { refused };
  };
})();
