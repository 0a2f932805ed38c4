/* Shared browser helpers for every LấySố page: translations, the JSON API, the socket. */
(function () {
  "use strict";
  const catalogBlock = document.getElementById("layso-i18n");  // a JSON data block: no inline script (CSP)
  const catalog = catalogBlock ? JSON.parse(catalogBlock.textContent) : {};
  // The page's own language (base.html sets it): sent with every request and the socket's
  // auth, so answers and errors follow the page, never the browser's settings.
  const language = document.documentElement.lang || "vi";
  const pluralRules = new Intl.PluralRules(language);

  function t(text) {
    const entry = catalog[text];
    if (entry && typeof entry === "object") return entry.other;
    return entry || text;
  }

  /* A text with a count, in the plural form the page's language gives that count (ICU
     rules: English "one"/"other", Vietnamese a single form). Catalog entries, from
     layso/web/i18n.py, map the Vietnamese "{n} dịch vụ" to {one: "{n} service", other: "{n} services"}.
     Other {name} placeholders come from values. */
  function plural(text, count, values) {
    const entry = catalog[text];
    const chosen = entry && typeof entry === "object" ? (entry[pluralRules.select(count)] || entry.other) : (entry || text);
    return format(chosen, { n: count, ...(values || {}) });
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  /* Headers every request to the server carries; a page's own fetch() adds these too. */
  function languageHeaders() {
    return { "X-Layso-Language": language };
  }

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
    const headers = { ...languageHeaders(), "Accept": "application/json" };
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
    const socket = io({ auth: { ...auth, lang: language }, transports: ["websocket", "polling"], reconnection: true,
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

  /* "Back" links (the error page): go back when there is a page to go back to, else follow the link. */
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-history-back]");
    if (link && history.length > 1) { event.preventDefault(); history.back(); }
  });

  window.Layso = { t, plural, format, headers: languageHeaders, language, api, connect, newKey, deviceToken };
})();
