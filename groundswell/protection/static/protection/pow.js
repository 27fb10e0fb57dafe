/* Groundswell proof of work (ALTCHA's scheme), self-hosted: no CDN, no third party.
 * When a moderator switches it on for a petition, sending the signing form first fetches a fresh
 * puzzle from this site (so cached pages never share one): find the number n (0..max) for which
 * sha256(salt + n) is the given challenge. This script solves it, fills in the hidden fields and
 * sends the form. Without JavaScript, or if anything here fails, the form is still sent: the
 * signature is stored and held for a moderator to check. */
(function () {
  "use strict";
  var numberInput = document.querySelector("input[name=gs_pow_number]");
  if (!numberInput || !window.crypto || !window.crypto.subtle || !window.TextEncoder || !window.fetch) { return; }
  var form = numberInput.form;
  var status = form.querySelector("[data-pow-status]");
  var encoder = new TextEncoder();
  var solving = false;

  function field(name) { return form.querySelector("input[name=" + name + "]"); }

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) { out += ("0" + bytes[i].toString(16)).slice(-2); }
    return out;
  }

  async function solve(puzzle) {
    for (var n = 0; n <= puzzle.max_number; n++) {
      var digest = await window.crypto.subtle.digest("SHA-256", encoder.encode(puzzle.salt + n));
      if (hex(digest) === puzzle.challenge) { return n; }
    }
    return null;
  }

  async function fetchAndSolve() {
    var response = await window.fetch(numberInput.getAttribute("data-puzzle-url"), { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) { return; }
    var puzzle = await response.json();
    var n = await solve(puzzle);
    if (n === null) { return; }
    field("gs_pow_salt").value = puzzle.salt;
    field("gs_pow_challenge").value = puzzle.challenge;
    field("gs_pow_signature").value = puzzle.signature;
    numberInput.value = String(n);
  }

  form.addEventListener("submit", function (event) {
    if (numberInput.value) { return; }
    event.preventDefault();
    if (solving) { return; }
    solving = true;
    if (status) { status.textContent = status.dataset.checking || "Checking your signature is not automated. This takes a few seconds…"; }
    fetchAndSolve().catch(function () {}).then(function () {
      if (status) { status.textContent = status.dataset.sending || "Sending your signature…"; }
      form.submit();
    });
  });
})();
