// Établi — writing assistant: copy buttons, live length counters, keyboard shortcuts on drafts.
// Everything here is an enhancement: without JavaScript the forms post and the pages work the same.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function copyText(textarea, button) {
    var text = textarea.value;
    function done(ok) {
      var label = button.dataset.label || button.textContent;
      button.dataset.label = label;
      button.textContent = ok ? "Copié ✓" : "Copie impossible : sélectionnez le texte";
      window.setTimeout(function () { button.textContent = label; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      return;
    }
    textarea.focus();
    textarea.select();
    try { done(document.execCommand("copy")); } catch (e) { done(false); }
  }

  function updateCounter(textarea) {
    var counter = document.querySelector('[data-counter-for="' + textarea.id + '"]');
    if (!counter) return;
    var length = Array.from(textarea.value).length;  // characters, not UTF-16 units (an emoji counts once)
    counter.textContent = String(length);
    var limit = parseInt(textarea.dataset.limit || "0", 10);
    var target = parseInt(textarea.dataset.target || "0", 10);
    counter.classList.toggle("over-limit", limit > 0 && length > limit);
    counter.classList.toggle("over-target", target > 0 && length > target && !(limit > 0 && length > limit));
  }

  function init(root) {
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var textarea = document.getElementById(button.dataset.copy);
        if (textarea) copyText(textarea, button);
      });
    });
    root.querySelectorAll("textarea[data-limit]").forEach(function (textarea) {
      if (textarea.dataset.ready) return;
      textarea.dataset.ready = "1";
      textarea.addEventListener("input", function () { updateCounter(textarea); });
      updateCounter(textarea);
    });
    root.querySelectorAll("form[data-draft-form] textarea").forEach(function (textarea) {
      if (textarea.dataset.keys) return;
      textarea.dataset.keys = "1";
      textarea.addEventListener("keydown", function (event) {
        if (!(event.ctrlKey || event.metaKey)) return;
        var form = textarea.form;
        var button = null;
        if (event.key === "Enter") button = form.querySelector("[data-approve]") || form.querySelector("[data-save]");
        else if (event.key === "s" || event.key === "S") button = form.querySelector("[data-save]");
        if (button) {
          event.preventDefault();
          button.click();
        }
      });
    });
  }

  onReady(function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
})();
