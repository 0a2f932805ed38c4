/* Shared browser helpers for every LấySố page: translations, the JSON API, the socket. */
(function () {
  "use strict";
  const catalogBlock = document.getElementById("layso-i18n");  // a JSON data block: no inline script (CSP)
  const catalog = catalogBlock ? JSON.parse(catalogBlock.textContent) : {};

  function t(text) { return catalog[text] || text; }

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : null;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  /* Call the API. Throws {status, error, message} on an error answer.
     options.idempotencyKey: send it (repeat the same key to retry safely).
     options.token: a bearer token (device pages). */
  async function api(method, url, body, options) {
    options = options || {};
    const headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const csrf = csrfToken();
    if (csrf && method !== "GET") headers["X-CSRF-Token"] = csrf;
    if (options.token) headers["Authorization"] = "Bearer " + options.token;
    if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
    let response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                                    credentials: "same-origin" });
    } catch (networkError) {
      throw { status: 0, error: "network", message: t("Mất kết nối với máy chủ. Xin thử lại.") };
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw { status: response.status, error: data.error, message: data.message || response.statusText };
    return data;
  }

  /* Connect to the real-time bus with auth {role, ...}; handlers maps event → function.
     Shows the "mất kết nối" marker while disconnected; the server sends `state` on every
     (re)connect, so screens are right again without a reload. */
  function connect(auth, handlers) {
    const marker = document.getElementById("connection-status");
    const socket = io({ auth, transports: ["websocket", "polling"], reconnection: true,
                        reconnectionDelay: 500, reconnectionDelayMax: 3000 });
    const mark = (connected) => { if (marker) marker.hidden = connected; document.body.dataset.connected = connected ? "yes" : "no"; };
    socket.on("connect", () => mark(true));
    // A socket the page closes itself (leaving a counter) has not lost the connection.
    socket.on("disconnect", (reason) => {
      if (reason !== "io client disconnect") mark(false);
      else delete document.body.dataset.connected;
    });
    socket.on("connect_error", () => mark(false));
    Object.entries(handlers || {}).forEach(([name, handler]) => socket.on(name, handler));
    return socket;
  }

  /* A device's token: an admin opens the page once with ?token=…; it is kept on the device
     (localStorage under `key`) and taken out of the address bar, so it is not shown on the
     screen's URL, bookmarked, or echoed by the server. */
  function deviceToken(key) {
    const params = new URLSearchParams(location.search);
    if (params.get("token")) {
      localStorage.setItem(key, params.get("token"));
      params.delete("token");
      const query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
    return localStorage.getItem(key);
  }

  function minutes(seconds) {
    const value = Math.max(0, Math.round((seconds || 0) / 60));
    return value <= 1 ? t("dưới 1 phút") : t("khoảng {n} phút").replace("{n}", value);
  }

  /* "Back" links (the error page): go back when there is a page to go back to, else follow the link. */
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-history-back]");
    if (link && history.length > 1) { event.preventDefault(); history.back(); }
  });

  window.Layso = { t, api, connect, newKey, minutes, deviceToken };
})();
