/* The kiosk's on-screen keypad: big keys for citizens at a touch screen without a keyboard.
   The keys and the length come from the server (page data "keypads", kiosk/pages.py: the code's
   own rule); the field keeps taking what a USB scanner or a keyboard types, then Enter.
   KioskKeypad.attach(container, input, {keys, length, groups, clear}) fills ``container`` with a
   key per character, then ⌫; a key tapped adds its character to ``input`` (shown in ``groups``,
   e.g. ABCD-EFGH-JKMNP, when the field holds only keypad characters); ``clear``, a button,
   empties the field. It returns {fill(text)}: puts a whole code read at once (by the camera) in the field,
   shown in the same groups as tapped keys when it can be a code, as it is otherwise (for the server to answer). */
(function () {
  "use strict";
  const t = Layso.t;

  // Digits only: laid out as on a phone (1 2 3 / 4 5 6 / 7 8 9 / 0), which citizens know.
  function ordered(keys) {
    return /^[0-9]+$/.test(keys) ? [..."123456789"].filter((key) => keys.includes(key)).concat(keys.includes("0") ? ["0"] : [])
                                 : [...keys];
  }

  function attach(container, input, options) {
    const keys = ordered(options.keys);
    const allowed = new Set(options.keys);
    const groups = options.groups || null;

    const typed = () => [...input.value.toUpperCase()].filter((char) => allowed.has(char)).join("");
    const onlyKeys = () => [...input.value.toUpperCase()].every((char) => allowed.has(char) || char === "-");

    function show(chars) {
      if (!groups) { input.value = chars; return; }
      const parts = [];
      let start = 0;
      for (const size of groups) {
        if (start >= chars.length) break;
        parts.push(chars.slice(start, start + size));
        start += size;
      }
      input.value = parts.join("-");
    }

    function changed() {
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function fill(text) {
      input.value = text;
      if (onlyKeys() && typed().length <= options.length) show(typed());
      changed();
    }

    function press(key) {
      // What a scanner typed (a link, say) is replaced by the first key tapped, not added to.
      const chars = onlyKeys() ? typed() : "";
      if (key === "back") show(chars.slice(0, -1));
      else if (chars.length < options.length) show(chars + key);
      changed();
    }

    function keyButton(label, value, className) {
      const element = document.createElement("button");
      element.type = "button";
      element.className = className;
      element.textContent = label;
      element.dataset.key = value;
      element.tabIndex = -1;  // the field keeps the focus: a scanner's keys still land in it
      element.addEventListener("pointerdown", (event) => event.preventDefault());
      element.addEventListener("click", () => press(value));
      return element;
    }

    const buttons = keys.map((key) => keyButton(key, key, "key"));
    const back = keyButton("⌫", "back", "key key-back");
    back.setAttribute("aria-label", t("Xóa một ký tự"));
    container.replaceChildren(...buttons, back);
    container.classList.add("keypad");
    container.dataset.keys = keys.length + 1;
    const columns = keys.length <= 10 ? 3 : keys.length <= 32 ? 11 : 10;
    container.style.setProperty("--key-cols", columns);
    container.style.setProperty("--key-rows", Math.ceil((keys.length + 1) / columns));
    if (columns === 3 && keys.at(-1) === "0") buttons.at(-1).classList.add("key-zero");  // 0 under 8, as on a phone
    if (options.clear) {
      options.clear.addEventListener("pointerdown", (event) => event.preventDefault());
      options.clear.addEventListener("click", () => { input.value = ""; changed(); input.focus(); });
    }
    return { fill };
  }

  window.KioskKeypad = { attach };
})();
