/* The kiosk's camera as a QR code reader (issues 16, 17): the booking page's QR code (its link,
   …/dat-lich/<code>) at check-in, a receipt's QR code at "Tra cứu hồ sơ". Decoded in the page
   by jsQR (npm, served at /vendor/jsQR.js). The camera is optional: without one, without a
   secure origin (docs/operations.md) or with the permission refused, the box stays hidden and
   the keypad and the USB scanner work as before; body[data-camera] says "on" or "off".
   KioskCamera.start(box, onText): show the camera in ``box`` (a <video> inside it) and call
   ``onText`` with each QR code read; KioskCamera.stop(box) releases it (any box: no argument). */
(function () {
  "use strict";
  const SCAN_EVERY_MS = 150;
  const MAX_WIDTH = 640;          // px decoded per frame: enough for a phone's QR code at arm's length
  const SAME_TEXT_AGAIN_MS = 4000; // a code held still is read once, until it has been away this long
  let session = null;             // {box, stream, timer}

  function supported() {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) && typeof window.jsQR === "function";
  }

  async function start(box, onText) {
    stop();
    document.body.dataset.camera = "off";
    if (!supported()) return false;
    const mine = session = { box, stream: null, timer: null };
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { width: { ideal: 640 }, height: { ideal: 480 } } });
    } catch (refused) {
      if (session === mine) session = null;
      return false;  // no camera, or no permission: the keypad is there
    }
    if (session !== mine) { stream.getTracks().forEach((track) => track.stop()); return false; }  // closed meanwhile
    mine.stream = stream;
    const video = box.querySelector("video");
    video.muted = true;
    video.srcObject = stream;
    try {
      await video.play();
    } catch (refused) {
      stop(box);
      return false;
    }
    if (session !== mine) return false;
    box.hidden = false;
    document.body.dataset.camera = "on";
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    let last = "", lastSeen = 0;
    mine.timer = setInterval(() => {
      if (video.readyState < 2 || !video.videoWidth) return;
      const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(pixels.data, canvas.width, canvas.height, { inversionAttempts: "dontInvert" });
      if (!found || !found.data) return;
      const now = Date.now();
      const again = found.data === last && now - lastSeen < SAME_TEXT_AGAIN_MS;
      last = found.data; lastSeen = now;
      if (!again) onText(found.data);
    }, SCAN_EVERY_MS);
    return true;
  }

  function stop(box) {
    if (!session || (box && session.box !== box)) return;
    clearInterval(session.timer);
    if (session.stream) session.stream.getTracks().forEach((track) => track.stop());
    session.box.querySelector("video").srcObject = null;
    session.box.hidden = true;
    session = null;
    document.body.dataset.camera = "off";
  }

  window.KioskCamera = { start, stop };
})();
