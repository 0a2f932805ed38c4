/* The hub's admin screen: registered centers (a new token, deactivate) and hub accounts
   (reset a password, deactivate), each added from a form, then the latest entries of the audit
   log. A new token or a temporary password is shown once, in the box at the top. Statuses,
   times and audit entries are worded by the server (`shown`). */
(function () {
  "use strict";
  const lang = Layso.language;
  const words = JSON.parse(document.getElementById("admin-words").textContent);
  const view = document.getElementById("admin-view");
  const errorLine = document.getElementById("admin-error");
  let token = null;

  const call = (method, url, body) => Layso.api(method, url, body, { token });

  function cell(text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function button(label, action, className) {
    const element = document.createElement("button");
    element.type = "button";
    element.textContent = label;
    element.className = className || "";
    element.addEventListener("click", action);
    return element;
  }

  function showSecret(title, value) {
    document.getElementById("secret-title").textContent = title;
    document.getElementById("secret-value").textContent = value;
    document.getElementById("secret").hidden = false;
  }

  async function act(work) {
    errorLine.hidden = true;
    try {
      await work();
      await load();
    } catch (failure) {
      if (failure.status === 401 || failure.status === 403) return login.refused(failure);
      errorLine.textContent = failure.message;
      errorLine.hidden = false;
    }
  }

  function centerRow(center) {
    const shown = center.shown[lang] || center.shown.vi;
    const tr = document.createElement("tr");
    tr.dataset.center = center.code;
    tr.className = center.active ? (center.online ? "online" : "offline") : "inactive";
    const actions = document.createElement("td");
    actions.className = "actions";
    actions.append(button(words.new_token, () => {
      if (!confirm(Layso.format(words.confirm_token, { code: center.code }))) return;
      act(async () => {
        const answer = await call("POST", `/api/v1/admin/centers/${encodeURIComponent(center.code)}/token`, {});
        showSecret(Layso.format(words.token_of, { code: center.code }), "LAYSO_HUB_TOKEN=" + answer.token);
      });
    }, "new-token"));
    actions.append(button(center.active ? words.deactivate : words.activate, () => {
      if (center.active && !confirm(Layso.format(words.confirm_deactivate, { code: center.code }))) return;
      act(() => call("POST", `/api/v1/admin/centers/${encodeURIComponent(center.code)}`, { active: !center.active }));
    }, "toggle"));
    tr.append(cell(center.code, "code"), cell(center.name, "name"), cell(shown.status, "status"),
      cell(shown.last_contact, "last-contact"), cell(shown.acked, "number acked"), actions);
    return tr;
  }

  function accountRow(account) {
    const shown = account.shown[lang] || account.shown.vi;
    const tr = document.createElement("tr");
    tr.dataset.username = account.username;
    tr.className = account.active ? "online" : "inactive";
    const actions = document.createElement("td");
    actions.className = "actions";
    const path = `/api/v1/admin/accounts/${encodeURIComponent(account.username)}`;
    actions.append(button(words.reset_password, () => {
      if (!confirm(Layso.format(words.confirm_reset, { username: account.username }))) return;
      act(async () => {
        const answer = await call("POST", path + "/reset-password", {});
        showSecret(Layso.format(words.password_of, { username: account.username }), answer.password);
      });
    }, "reset-password"));
    actions.append(button(account.active ? words.deactivate : words.activate,
      () => act(() => call("POST", path, { active: !account.active })), "toggle"));
    tr.append(cell(account.username, "code"), cell(account.name, "name"), cell(shown.role, "role"),
      cell(shown.status, "status"), actions);
    return tr;
  }

  function auditRow(entry) {
    const shown = entry.shown[lang] || entry.shown.vi;
    const tr = document.createElement("tr");
    tr.dataset.action = entry.action;
    tr.append(cell(shown.at, "at"), cell(shown.actor, "actor"), cell(shown.action, "action"),
      cell(entry.target, "target"), cell(shown.detail, "detail"));
    return tr;
  }

  async function load() {
    const [centers, accounts, audit] = await Promise.all([
      call("GET", "/api/v1/admin/centers"), call("GET", "/api/v1/admin/accounts"),
      call("GET", "/api/v1/admin/audit?limit=50")]);
    document.querySelector("#admin-centers tbody").replaceChildren(...centers.centers.map(centerRow));
    document.querySelector("#admin-accounts tbody").replaceChildren(...accounts.accounts.map(accountRow));
    document.querySelector("#admin-audit tbody").replaceChildren(...audit.entries.map(auditRow));
    document.getElementById("no-audit").hidden = audit.entries.length > 0;
    const roles = document.querySelector("#account-form select[name=role]");
    if (!roles.options.length) {
      accounts.roles.forEach((role) => roles.add(new Option(role.label, role.id)));
    }
  }

  async function start(fresh) {
    token = fresh;
    try {
      await load();
    } catch (failure) {
      return login.refused(failure);
    }
    view.hidden = false;
  }

  function stop() {
    token = null;
    view.hidden = true;
    document.getElementById("secret").hidden = true;
  }

  document.getElementById("center-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const code = form.code.value.trim();
    act(async () => {
      const answer = await call("POST", "/api/v1/admin/centers", { code, name: form.name.value });
      form.reset();
      showSecret(Layso.format(words.token_of, { code }), "LAYSO_HUB_TOKEN=" + answer.token);
    });
  });
  document.getElementById("account-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    act(async () => {
      await call("POST", "/api/v1/admin/accounts", { username: form.username.value.trim(), name: form.name.value,
                                                      role: form.role.value, password: form.password.value });
      form.username.value = form.name.value = form.password.value = "";
    });
  });
  document.getElementById("secret-close").addEventListener("click", () => {
    document.getElementById("secret").hidden = true;
    document.getElementById("secret-value").textContent = "";
  });

  const login = ProvinceLogin(start, stop);
})();
