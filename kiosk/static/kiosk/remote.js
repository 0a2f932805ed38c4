/* The phone page (/lay-so): send the chosen service, the phone number and the consent;
   the answer is the ticket, whose live status page is where the citizen goes next. When the
   center asks for a code by SMS, the first answer (202) says one was sent and the page asks
   for it. Every refusal is shown as the server words it. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const form = $("remote-form");
  let codeAsked = false;

  function showError(text) {
    $("remote-error").textContent = text;
    $("remote-error").hidden = !text;
    if (text) $("remote-error").scrollIntoView({ block: "nearest" });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = form.querySelector('input[name="service"]:checked');
    if (!chosen) return showError(Layso.t("Xin chọn một dịch vụ."));
    const body = { channel: "remote", service: chosen.value, phone: $("phone").value, consent: $("consent").checked };
    if (codeAsked) body.code = $("code").value.trim();
    $("remote-submit").disabled = true;
    showError("");
    try {
      const answer = await Layso.api("POST", "/api/v1/tickets", body);
      if (answer.code_required) {
        codeAsked = true;
        $("code-step").hidden = false;
        $("code").focus();
        $("remote-submit").textContent = Layso.t("Xác nhận");
      } else {
        window.location.assign(answer.status_url);
      }
    } catch (error) {
      showError(error.message);
    } finally {
      $("remote-submit").disabled = false;
    }
  });
})();
