/* The admin's editors: the week grid of opening hours and the holiday list, the rating
   levels and reasons, and a counter's services in preference order. They only lay out
   and read back values; the server checks them and its message is shown as it is. */
(function () {
  "use strict";
  const t = Layso.t;
  const esc = (text) => String(text == null ? "" : text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const itemButtons = () => `<span class="item-buttons">
    <button type="button" class="move-up" title="${esc(t("Lên trên"))}" aria-label="${esc(t("Lên trên"))}">↑</button>
    <button type="button" class="move-down" title="${esc(t("Xuống dưới"))}" aria-label="${esc(t("Xuống dưới"))}">↓</button>
    <button type="button" class="remove-item" title="${esc(t("Bỏ"))}" aria-label="${esc(t("Bỏ"))}">✕</button></span>`;

  /* Up, down and remove for every list of [data-item] rows on the page. */
  document.addEventListener("click", (event) => {
    const item = event.target.closest("[data-item]");
    if (!item) return;
    if (event.target.closest(".move-up") && item.previousElementSibling) {
      item.parentNode.insertBefore(item, item.previousElementSibling);
    } else if (event.target.closest(".move-down") && item.nextElementSibling) {
      item.parentNode.insertBefore(item.nextElementSibling, item);
    } else if (event.target.closest(".remove-item")) {
      const list = item.parentNode;
      item.remove();
      list.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  /* Opening hours, on the 24-hour clock (the same field as dashboard/templates/dashboard/clock.html).
     A span that ends at midnight ends at 24:00; 00:00 typed as an end is read as 24:00 too
     (a span never ends at the start of its own day). */
  function clockField(name, value, label) {
    return `<input name="${name}" class="clock" type="text" inputmode="numeric" maxlength="5" placeholder="--:--"
      autocomplete="off" value="${esc(value)}" aria-label="${esc(t(label))}">`;
  }

  function spanItem(span) {
    const [start, end] = span ? span.split("-") : ["", ""];
    return `<li data-item class="span">${clockField("start", start, "Mở cửa")} – ${clockField("end", end, "Đóng cửa")}${itemButtons()}</li>`;
  }

  function renderHours(hours) {
    document.querySelectorAll("#week-rows tr[data-day]").forEach((row) => {
      row.querySelector(".spans").innerHTML = (hours[row.dataset.day] || []).map(spanItem).join("");
    });
    renderHolidays(hours.holidays || []);
  }

  function renderHolidays(days) {
    document.getElementById("holiday-list").innerHTML = days.slice().sort().map((day) =>
      `<li data-item data-day="${esc(day)}">${esc(day.split("-").reverse().join("/"))}
        <button type="button" class="remove-item" aria-label="${esc(t("Bỏ"))}">✕</button></li>`).join("");
  }

  function readHours() {
    const value = {};
    document.querySelectorAll("#week-rows tr[data-day]").forEach((row) => {
      value[row.dataset.day] = Array.from(row.querySelectorAll("li.span")).map((item) => {
        const start = item.querySelector("[name=start]").value.trim(), end = item.querySelector("[name=end]").value.trim();
        return `${start}-${end === "00:00" ? "24:00" : end}`;
      });
    });
    value.holidays = Array.from(document.querySelectorAll("#holiday-list li")).map((item) => item.dataset.day);
    return value;
  }

  document.addEventListener("click", (event) => {
    if (event.target.matches(".add-span")) {
      event.target.closest("tr").querySelector(".spans").insertAdjacentHTML("beforeend", spanItem("07:30-11:30"));
    } else if (event.target.matches("#add-holiday")) {
      const day = document.getElementById("holiday-date").value;
      if (!day) return;
      const days = readHours().holidays;
      if (!days.includes(day)) renderHolidays(days.concat([day]));
      document.getElementById("holiday-date").value = "";
    }
  });

  const labelMax = () => document.getElementById("rating-form").dataset.labelMax;  // layso/inputs.py TEXT_LIMITS

  /* Rating levels (in the tablet's order) and reasons. A new one has no id: the server makes
     one from its name, and keeps it when the name changes later. */
  function levelItem(level) {
    return `<tr data-item data-id="${esc(level.id || "")}"><td class="order">${itemButtons()}</td>
      <td class="text"><input name="label" value="${esc(level.label)}" maxlength="${labelMax()}" aria-label="${esc(t("Tên mức"))}"></td>
      <td><label class="check"><input type="checkbox" name="satisfied" ${level.satisfied ? "checked" : ""} aria-label="${esc(t("Tính là hài lòng"))}"></label></td>
      <td><input type="number" name="points" min="0" max="10" value="${esc(level.points == null ? 0 : level.points)}" aria-label="${esc(t("Điểm"))}"></td>
      <td><label class="check"><input type="checkbox" name="requires_reason" ${level.requires_reason ? "checked" : ""} aria-label="${esc(t("Bắt buộc chọn lý do"))}"></label></td><td></td></tr>`;
  }

  function reasonItem(reason) {
    return `<tr data-item data-id="${esc(reason.id || "")}"><td class="text"><input name="label" value="${esc(reason.label)}" maxlength="${labelMax()}"
      size="40" aria-label="${esc(t("Lý do"))}"></td><td>${itemButtons()}</td></tr>`;
  }

  function renderRating(rating) {
    document.getElementById("level-rows").innerHTML = (rating.levels || []).map(levelItem).join("");
    document.getElementById("reason-rows").innerHTML = (rating.reasons || []).map(reasonItem).join("");
  }

  const withId = (row, fields) => (row.dataset.id ? { id: row.dataset.id, ...fields } : fields);

  function readRating() {
    const levels = Array.from(document.querySelectorAll("#level-rows tr")).map((row) => withId(row, {
      label: row.querySelector("[name=label]").value, satisfied: row.querySelector("[name=satisfied]").checked,
      points: Number(row.querySelector("[name=points]").value), requires_reason: row.querySelector("[name=requires_reason]").checked }));
    const reasons = Array.from(document.querySelectorAll("#reason-rows tr")).map((row) =>
      withId(row, { label: row.querySelector("[name=label]").value }));
    return { levels, reasons };
  }

  document.addEventListener("click", (event) => {
    if (event.target.matches("#add-level")) {
      document.getElementById("level-rows").insertAdjacentHTML("beforeend", levelItem({ label: "", points: 0 }));
      document.querySelector("#level-rows tr:last-child [name=label]").focus();
    } else if (event.target.matches("#add-reason")) {
      document.getElementById("reason-rows").insertAdjacentHTML("beforeend", reasonItem({ label: "" }));
      document.querySelector("#reason-rows tr:last-child [name=label]").focus();
    }
  });

  /* A counter's services in preference order: a list with up/down/remove, and a menu that
     adds one of the services not yet in the list. */
  function renderOrder(box, codes, services) {
    const names = Object.fromEntries(services.map((service) => [service.code, service.name]));
    box.querySelector("[data-services]").innerHTML = codes.map((code) =>
      `<li data-item data-code="${esc(code)}"><span class="service-name">${esc(names[code] || code)} (${esc(code)})</span>${itemButtons()}</li>`).join("");
    box.dataset.catalog = JSON.stringify(services.map((service) => [service.code, service.name]));
    fillMenu(box);
  }

  function fillMenu(box) {
    const chosen = new Set(readOrder(box));
    const rest = JSON.parse(box.dataset.catalog || "[]").filter(([code]) => !chosen.has(code));
    box.querySelector(".add-service").innerHTML = `<option value="">${esc(t("+ Thêm dịch vụ"))}</option>` +
      rest.map(([code, name]) => `<option value="${esc(code)}">${esc(name)} (${esc(code)})</option>`).join("");
  }

  function readOrder(box) {
    return Array.from(box.querySelectorAll("[data-services] li")).map((item) => item.dataset.code);
  }

  document.addEventListener("change", (event) => {
    const box = event.target.closest("[data-order-box]");
    if (!box) return;
    if (event.target.matches(".add-service") && event.target.value) {
      renderOrder(box, readOrder(box).concat([event.target.value]),
                  JSON.parse(box.dataset.catalog).map(([code, name]) => ({ code, name })));
    } else {
      fillMenu(box);
    }
  });

  /* A form that saves one center setting whole (remote numbers, appointments, notices): the
     submit posts {value: read()} to ``url`` and reloads, and the server's answer is shown in the
     form's message line, as it words it. Starts the first load; returns the form's ``say``. */
  function settingForm(form, url, { load, read }) {
    const message = form.querySelector(".form-message");
    const say = (text, isError) => {
      message.textContent = text; message.hidden = false; message.classList.toggle("error", !!isError);
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await Layso.api("POST", url, { value: read() });
        await load();
        say(t("Đã lưu."));
      } catch (failure) {
        say(failure.message, true);
      }
    });
    load().catch((failure) => say(failure.message, true));
    return say;
  }

  // A number field as typed: undefined when empty; what is not a number goes as typed (the server says why not).
  const typedNumber = (field) => (field.value.trim() === "" ? undefined
    : (Number.isNaN(Number(field.value)) ? field.value : Number(field.value)));

  window.LaysoAdminEditors = { itemButtons, renderHours, readHours, renderRating, readRating, renderOrder, readOrder,
                               settingForm, typedNumber };
})();
