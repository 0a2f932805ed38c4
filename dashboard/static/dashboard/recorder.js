/* Recording from the microphone into a WAV file, in the browser (no server-side ffmpeg):
   getUserMedia → Web Audio → 16-bit mono PCM at the microphone's rate. The server trims,
   normalises and resamples what it receives (layso/speech/audio.py). */
(function () {
  "use strict";

  function wavFile(chunks, rate) {
    const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const view = new DataView(new ArrayBuffer(44 + 2 * length));
    const ascii = (offset, text) => { for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i)); };
    ascii(0, "RIFF"); view.setUint32(4, 36 + 2 * length, true); ascii(8, "WAVE");
    ascii(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
    ascii(36, "data"); view.setUint32(40, 2 * length, true);
    let offset = 44;
    chunks.forEach((chunk) => chunk.forEach((sample) => {
      const clipped = Math.max(-1, Math.min(1, sample));
      view.setInt16(offset, clipped < 0 ? clipped * 0x8000 : clipped * 0x7fff, true);
      offset += 2;
    }));
    return new Blob([view], { type: "audio/wav" });
  }

  /* Start recording; onLevel(peak 0…1, seconds recorded) is called for each block. Resolves to
     {stop() → Promise<Blob> (the WAV), cancel()}. Rejects when there is no microphone
     or the browser refuses it. */
  async function start(onLevel) {
    // The announcer's own voice, untouched: no echo cancelling, noise gating or automatic gain.
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 } });
    const Context = window.AudioContext || window.webkitAudioContext;
    const context = new Context();
    if (context.state === "suspended") await context.resume();
    const source = context.createMediaStreamSource(stream);
    // ScriptProcessorNode needs no module file of its own (an AudioWorklet would); it still runs everywhere.
    const processor = context.createScriptProcessor(4096, 1, 1);
    const chunks = [];
    let frames = 0;
    processor.onaudioprocess = (event) => {
      const block = new Float32Array(event.inputBuffer.getChannelData(0));
      chunks.push(block);
      frames += block.length;
      let peak = 0;
      for (let i = 0; i < block.length; i++) peak = Math.max(peak, Math.abs(block[i]));
      if (onLevel) onLevel(peak, frames / context.sampleRate);
    };
    source.connect(processor);
    processor.connect(context.destination);  // a processor runs only while connected; it writes silence
    function end() {
      processor.onaudioprocess = null;
      source.disconnect(); processor.disconnect();
      stream.getTracks().forEach((track) => track.stop());
      return context.close();
    }
    return {
      async stop() { const rate = context.sampleRate; await end(); return wavFile(chunks, rate); },
      cancel() { end(); },
    };
  }

  window.LaysoRecorder = { start, wavFile };
})();
