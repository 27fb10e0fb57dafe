/* Groundswell proof of work (ALTCHA's scheme), self-hosted: no CDN, no third party.
 * When a moderator switches it on for a petition, the signing form carries a puzzle: find the
 * number n (0..max) for which sha256(salt + n) is the given challenge. This script solves it when
 * the form is sent, then sends the form. Without JavaScript the form still works: the signature
 * is stored and held for a moderator to check. */
(function () {
  "use strict";
  var numberInput = document.querySelector("input[name=gs_pow_number]");
  if (!numberInput || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var form = numberInput.form;
  var status = form.querySelector("[data-pow-status]");
  var salt = form.querySelector("input[name=gs_pow_salt]").value;
  var challenge = form.querySelector("input[name=gs_pow_challenge]").value;
  var maxNumber = parseInt(numberInput.getAttribute("data-max-number"), 10) || 0;
  var encoder = new TextEncoder();
  var solving = false;

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) { out += ("0" + bytes[i].toString(16)).slice(-2); }
    return out;
  }

  async function solve() {
    for (var n = 0; n <= maxNumber; n++) {
      var digest = await window.crypto.subtle.digest("SHA-256", encoder.encode(salt + n));
      if (hex(digest) === challenge) { return n; }
    }
    return null;
  }

  form.addEventListener("submit", function (event) {
    if (numberInput.value) { return; }
    event.preventDefault();
    if (solving) { return; }
    solving = true;
    if (status) { status.textContent = "Checking your signature is not automated. This takes a few seconds…"; }
    solve().then(function (n) {
      if (n !== null) { numberInput.value = String(n); }
      if (status) { status.textContent = "Sending your signature…"; }
      form.submit();
    });
  });
})();
