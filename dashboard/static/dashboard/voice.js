/* The "Giọng đọc" page: every clip the center's calls need, recorded in the browser or
   uploaded as a WAV file; "nghe thử" for any number and counter; the synthetic voice's
   settings; the pack exported and imported. The server words every status. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const t = Layso.t;
  const esc = (text) => String(text == null ? "" : text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const PACK = "/api/v1/admin/voice-pack";
  let recording = null;  // {key, recorder}
  window.__voiceLog = [];  // for tests and diagnostics: "play <url>", "recorded <key>"

  function notify(text, isError) {
    const notice = $("voice-notice");
    notice.textContent = text; notice.hidden = false; notice.classList.toggle("error", !!isError);
  }

  /* A request the server answers with JSON; a body that is not JSON (a WAV, a form) as given. */
  async function send(method, url, body, contentType) {
    const csrf = document.querySelector('meta[name="csrf-token"]');
    const headers = { ...Layso.headers(), "Accept": "application/json", "X-CSRF-Token": csrf ? csrf.content : "" };
    if (contentType) headers["Content-Type"] = contentType;
    let response;
    try {
      response = await fetch(url, { method, body, headers, credentials: "same-origin" });
    } catch (networkError) {
      throw { message: t("Mất kết nối với máy chủ. Xin thử lại.") };
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw { status: response.status, message: data.message || response.statusText };
    return data;
  }

  function row(clip) {
    const play = clip.recorded ? `<button class="button secondary play" type="button">${esc(t("Nghe"))}</button>` : "";
    const remove = clip.recorded ? `<button class="button secondary delete" type="button">${esc(t("Xóa"))}</button>` : "";
    return `<tr data-key="${esc(clip.key)}" data-recorded="${clip.recorded}" data-optional="${clip.optional}">
      <td class="text"><span class="clip-text">${esc(clip.text)}</span> <span class="muted clip-key">${esc(clip.key)}</span></td>
      <td class="status">${esc(clip.shown.status)}</td><td class="duration">${esc(clip.shown.duration)}</td>
      <td class="actions">${play}<button class="button record" type="button">${esc(t("Ghi âm"))}</button>
        <label class="button secondary">${esc(t("Tải tệp WAV"))}<input class="wav-file" type="file" accept=".wav,audio/wav" hidden></label>${remove}</td></tr>`;
  }

  async function load() {
    const data = await Layso.api("GET", PACK);
    $("clip-rows").innerHTML = data.clips.map(row).join("");
    const missing = data.clips.filter((clip) => !clip.recorded && !clip.optional).length;
    $("pack-status").textContent = data.complete ? t("Đã ghi âm đủ: mọi lần gọi số đọc bằng giọng thu âm.")
      : Layso.plural("Còn thiếu {n} đoạn.", missing);
    document.body.dataset.packComplete = data.complete ? "yes" : "no";
    return data;
  }

  async function upload(key, blob) {
    const clip = await send("PUT", `${PACK}/clips/${encodeURIComponent(key)}`, blob, "audio/wav");
    window.__voiceLog.push(`recorded ${key}`);
    await load();
    notify(Layso.format(t("Đã lưu «{text}» ({duration} s)."), { text: clip.text, duration: clip.duration_s }));
  }

  function play(url) {
    const player = $("player");
    player.src = url;
    window.__voiceLog.push(`play ${url}`);
    return player.play().catch((error) => notify(error.message, true));
  }

  async function startRecording(key, text) {
    if (recording) return;
    try {
      const recorder = await LaysoRecorder.start((peak, seconds) => {
        $("level").value = peak;
        document.body.dataset.recordedSeconds = seconds.toFixed(2);
      });
      recording = { key, recorder };
    } catch (error) {
      notify(t("Không dùng được micrô: hãy cho phép trình duyệt dùng micrô.") + ` (${error.name || error})`, true);
      return;
    }
    $("recording-text").textContent = Layso.format(t("Đang ghi: «{text}»"), { text });
    $("recorder").hidden = false;
    document.body.dataset.recording = key;
  }

  async function stopRecording(save) {
    if (!recording) return;
    const { key, recorder } = recording;
    recording = null;
    $("recorder").hidden = true;
    delete document.body.dataset.recording;
    if (!save) { recorder.cancel(); return; }
    try {
      await upload(key, await recorder.stop());
    } catch (failure) {
      notify(failure.message, true);
    }
  }

  $("clip-rows").addEventListener("click", async (event) => {
    const tr = event.target.closest("tr");
    if (!tr) return;
    const key = tr.dataset.key;
    if (event.target.closest(".play")) play(`${PACK}/clips/${encodeURIComponent(key)}?v=${Date.now()}`);
    if (event.target.closest(".record")) startRecording(key, tr.querySelector(".clip-text").textContent);
    if (event.target.closest(".delete")) {
      try { await send("DELETE", `${PACK}/clips/${encodeURIComponent(key)}`); await load(); notify(t("Đã xóa.")); }
      catch (failure) { notify(failure.message, true); }
    }
  });
  $("clip-rows").addEventListener("change", async (event) => {
    if (!event.target.classList.contains("wav-file") || !event.target.files[0]) return;
    try { await upload(event.target.closest("tr").dataset.key, event.target.files[0]); }
    catch (failure) { notify(failure.message, true); }
  });
  $("stop-recording").addEventListener("click", () => stopRecording(true));
  $("cancel-recording").addEventListener("click", () => stopRecording(false));

  $("preview-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      const spoken = await Layso.api("POST", `${PACK}/preview`, { number: form.number.value, counter: Number(form.counter.value) });
      $("preview-result").textContent = `${spoken.shown.voice}: ${spoken.text}`;
      document.body.dataset.previewVoice = spoken.voice;
      play(spoken.audio_url);
    } catch (failure) {
      $("preview-result").textContent = failure.message;
    }
  });

  async function loadEngine() {
    const voice = (await Layso.api("GET", "/api/v1/admin/settings")).settings.voice || {};
    const form = $("engine-form");
    form.voice.value = voice.voice || "vi";
    form.speed.value = voice.speed || 150;
    form.part_pause_ms.value = voice.part_pause_ms == null ? 300 : voice.part_pause_ms;
    form.word_pause_ms.value = voice.word_pause_ms == null ? 60 : voice.word_pause_ms;
  }

  $("engine-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const value = { voice: form.voice.value, speed: Number(form.speed.value), part_pause_ms: Number(form.part_pause_ms.value),
                    word_pause_ms: Number(form.word_pause_ms.value) };
    try { await Layso.api("POST", "/api/v1/admin/settings/voice", { value }); notify(t("Đã lưu.")); }
    catch (failure) { notify(failure.message, true); }
  });

  $("import-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try { await send("POST", `${PACK}/import`, new FormData(event.target)); await load(); notify(t("Đã nhập bộ giọng đọc.")); }
    catch (failure) { notify(failure.message, true); }
  });

  load().then(() => { document.body.dataset.ready = "yes"; });
  loadEngine();
})();
