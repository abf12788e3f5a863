// Billing: choosing a catalogue item fills the line's empty fields (description, unit, price, VAT).
(function () {
  "use strict";
  function products() {
    var source = document.getElementById("billing-products");
    return source ? JSON.parse(source.textContent) : {};
  }
  function init() {
    var catalogue = products();
    document.querySelectorAll("tr[data-line] select[name$='-product']").forEach(function (select) {
      select.addEventListener("change", function () {
        var item = catalogue[select.value];
        if (!item) return;
        var row = select.closest("tr");
        function fill(suffix, value) {
          var field = row.querySelector("[name$='-" + suffix + "']");
          if (field && !field.value) field.value = value;
        }
        fill("description", item.name);
        fill("unit", item.unit);
        fill("unit_price", item.price);
        fill("vat_rate", item.vat);
        fill("quantity", "1");
      });
    });
  }
  if (document.readyState !== "loading") init(); else document.addEventListener("DOMContentLoaded", init);
})();
