/* The kiosk's "Tra cứu hồ sơ": a USB scanner types the receipt's code and presses Enter into
   the focused field (or the citizen taps it on the keypad); the server words the status, the next step
   and the dates (GET /api/v1/dossiers/<code>/public). Back to the kiosk after a while. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const IDLE_BACK_MS = 60000;
  const keypads = JSON.parse(document.getElementById("kiosk-data").textContent).keypads;
  let idleTimer = null;

  function showResult(shown) {  // the result where the keypad was: the screen holds one or the other
    $("dossier-result").hidden = !shown;
    $("dossier-keypad").hidden = shown;
  }

  function open() {
    $("dossier-lookup").hidden = false;
    document.body.dataset.dossier = "open";
    showResult(false);
    $("dossier-error").hidden = true;
    $("dossier-code").value = "";
    $("dossier-code").focus();
    restartIdle();
    KioskCamera.start($("dossier-camera"), scanned);
  }

  function close() {
    $("dossier-lookup").hidden = true;
    delete document.body.dataset.dossier;
    clearTimeout(idleTimer);
    KioskCamera.stop($("dossier-camera"));
    document.dispatchEvent(new Event("kiosk.dossier_closed"));
  }

  function scanned(text) {  // the camera read the receipt's QR code: as if a scanner had typed it, then Enter
    $("dossier-code").value = text;
    $("dossier-form").requestSubmit();
  }

  function restartIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(close, IDLE_BACK_MS);  // the next citizen finds the kiosk, not this dossier
  }

  async function lookUp(event) {
    event.preventDefault();
    const code = $("dossier-code").value.trim();
    if (!code) { $("dossier-code").focus(); return; }
    restartIdle();
    try {
      const dossier = await Layso.api("GET", "/api/v1/dossiers/" + encodeURIComponent(code) + "/public");
      $("dossier-result-code").textContent = dossier.code;
      $("dossier-status").textContent = dossier.status_words;
      $("dossier-status").dataset.status = dossier.status;
      $("dossier-next").textContent = dossier.next_step;
      $("dossier-received").textContent = dossier.shown.received_on;
      $("dossier-due").textContent = dossier.shown.due_date || "—";
      $("dossier-updated").textContent = dossier.shown.updated_at;
      showResult(true);
      $("dossier-error").hidden = true;
    } catch (failure) {
      showResult(false);
      $("dossier-error").textContent = failure.message;
      $("dossier-error").hidden = false;
    }
    $("dossier-code").select();  // the next scan replaces the code
  }

  $("dossier-open").addEventListener("click", open);
  $("dossier-close").addEventListener("click", close);
  $("dossier-form").addEventListener("submit", lookUp);
  $("dossier-again").addEventListener("click", () => {
    $("dossier-code").value = "";
    showResult(false);
    $("dossier-error").hidden = true;
    $("dossier-code").focus();
    restartIdle();
  });
  $("dossier-code").addEventListener("input", restartIdle);
  KioskKeypad.attach($("dossier-keypad"), $("dossier-code"), { ...keypads.dossier, clear: $("dossier-clear") });
})();
