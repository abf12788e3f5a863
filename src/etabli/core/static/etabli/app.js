// Établi — small progressive enhancements; every page also works without JavaScript.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function frenchNumber(value) {
    return new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format(value);
  }

  function initCharts(root) {
    if (typeof window.Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.ready) return;
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var stacked = canvas.dataset.stacked === "1";
      canvas.dataset.ready = "1";
      new window.Chart(canvas, {
        type: canvas.dataset.chartType || "bar",
        data: data,
        options: {
          responsive: true,
          animation: false,
          locale: "fr-FR",
          scales: { x: { stacked: stacked }, y: { stacked: stacked, ticks: { callback: frenchNumber } } },
          plugins: { legend: { position: "bottom" } }
        }
      });
    });
  }

  function init(root) {
    root.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    root.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll('input[name="' + box.dataset.selectAll + '"]').forEach(function (cb) { cb.checked = box.checked; });
      });
    });
    root.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.dataset.confirm)) event.preventDefault();
      });
    });
    root.querySelectorAll("[data-toggle-menu]").forEach(function (button) {
      button.addEventListener("click", function () {
        var menu = document.getElementById("menu");
        var open = menu.classList.toggle("open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
    initCharts(root);
  }

  onReady(function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
})();
