// Banking: the what-if form shows only the fields its action needs (every field still works without JS).
(function () {
  "use strict";
  var NEEDS = {
    add: ["direction", "label", "amount", "day", "monthly", "until"],
    remove: ["direction", "label", "amount", "day"],
    move: ["direction", "label", "day"]
  };
  function field(form, name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.closest(".field") : null;
  }
  function update(form) {
    var action = form.querySelector('[name="action"]');
    if (!action) return;
    var wanted = NEEDS[action.value] || [];
    ["direction", "label", "amount", "day", "monthly", "until"].forEach(function (name) {
      var box = field(form, name);
      if (box) box.classList.toggle("is-hidden", wanted.indexOf(name) === -1);
    });
  }
  function init() {
    document.querySelectorAll("[data-whatif-form]").forEach(function (form) {
      var action = form.querySelector('[name="action"]');
      if (!action) return;
      action.addEventListener("change", function () { update(form); });
      update(form);
    });
  }
  if (document.readyState !== "loading") init(); else document.addEventListener("DOMContentLoaded", init);
})();
