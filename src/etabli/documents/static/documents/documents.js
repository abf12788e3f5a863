// Établi — documents: drop zone with a progress bar per file, highlights and keyboard on the validation
// screen. Every page works without JavaScript (plain form posts); this only makes them faster to use.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // --- Drop zone ---------------------------------------------------------------------------------------

  function statusLine(li, data) {
    var state = li.querySelector(".upload-state");
    var link = "";
    if (data.validate_url) {
      link = ' — <a href="' + data.validate_url + '">Valider</a>';
    } else if (data.detail_url) {
      link = ' — <a href="' + data.detail_url + '">Voir</a>';
    }
    var text = data.status_label + (data.doc_type ? " · " + data.doc_type : "");
    state.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = text;
    state.appendChild(strong);
    if (link) state.insertAdjacentHTML("beforeend", link);
    li.dataset.status = data.status;
    var progress = li.querySelector("progress");
    if (progress) progress.value = data.finished ? 100 : Math.max(progress.value, 50 + (data.progress || 0) / 2);
    var reason = li.querySelector(".reason");
    if (data.reason) {
      if (!reason) {
        reason = document.createElement("p");
        reason.className = "error reason";
        li.appendChild(reason);
      }
      reason.textContent = data.reason;
    }
  }

  function poll(li, url) {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) return;
      var data = JSON.parse(request.responseText);
      statusLine(li, data);
      if (!data.finished) window.setTimeout(function () { poll(li, url); }, 1000);
    };
    request.send();
  }

  function uploadOne(form, list, file) {
    var li = document.createElement("li");
    var name = document.createElement("span");
    name.textContent = file.name;
    var state = document.createElement("span");
    state.className = "upload-state";
    state.textContent = "Envoi…";
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", "Avancement de " + file.name);
    li.appendChild(name);
    li.appendChild(state);
    li.appendChild(progress);
    list.insertBefore(li, list.firstChild);
    var max = parseInt(form.dataset.maxBytes || "0", 10);
    if (max && file.size > max) {
      state.textContent = "Refusé";
      var error = document.createElement("p");
      error.className = "error";
      error.textContent = "Fichier trop volumineux pour l'envoi par le navigateur (" +
        Math.round(file.size / 1048576) + " Mo ; maximum " + Math.round(max / 1048576) +
        " Mo). Déposez-le dans le dossier surveillé ou utilisez « etabli documents ingest ».";
      li.appendChild(error);
      return;
    }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("files", file, file.name);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.onprogress = function (event) {
      if (event.lengthComputable) progress.value = Math.round(50 * event.loaded / event.total);
    };
    request.onload = function () {
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (e) { body = {}; }
      if (request.status === 201 && body.documents && body.documents.length) {
        var doc = body.documents[0];
        progress.value = 50;
        statusLine(li, doc);
        if (doc.message) {
          var note = document.createElement("p");
          note.className = "small muted";
          note.textContent = doc.message;
          li.appendChild(note);
        }
        if (!doc.finished) poll(li, doc.status_url);
      } else {
        state.textContent = "Échec de l'envoi";
        var message = document.createElement("p");
        message.className = "error";
        message.textContent = request.status === 413
          ? "Fichier trop volumineux pour l'envoi par le navigateur : utilisez le dossier surveillé."
          : ((body.error && body.error.message) || "Le serveur a refusé le fichier (" + request.status + ").");
        li.appendChild(message);
      }
    };
    request.onerror = function () { state.textContent = "Connexion perdue : renvoyez le fichier."; };
    request.send(data);
  }

  function initDropzone(form) {
    var zone = document.querySelector("[data-dropzone-area]");
    var input = form.querySelector("input[type=file]");
    var list = document.getElementById("upload-list");
    if (!zone || !input || !list) return;
    zone.hidden = false;
    function send(files) { Array.prototype.forEach.call(files, function (f) { uploadOne(form, list, f); }); }
    zone.addEventListener("click", function () { input.click(); });
    zone.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); }
    });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("is-over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.remove("is-over"); });
    });
    zone.addEventListener("drop", function (event) { send(event.dataTransfer.files); });
    input.addEventListener("change", function () { send(input.files); input.value = ""; });
    form.addEventListener("submit", function (event) {
      if (input.files.length) { event.preventDefault(); send(input.files); input.value = ""; }
    });
  }

  // --- Validation screen ----------------------------------------------------------------------------

  function placeBoxes(root) {
    root.querySelectorAll(".page[data-width]").forEach(function (page) {
      var width = parseFloat(page.dataset.width), height = parseFloat(page.dataset.height);
      page.querySelectorAll(".box[data-box]").forEach(function (box) {
        var b = box.dataset.box.split(",").map(parseFloat);
        box.style.left = (100 * b[0] / width) + "%";
        box.style.top = (100 * b[1] / height) + "%";
        box.style.width = (100 * (b[2] - b[0]) / width) + "%";
        box.style.height = (100 * (b[3] - b[1]) / height) + "%";
      });
    });
  }

  function normaliseAmount(text) {
    var cleaned = text.replace(/[^\d,.\-]/g, "");
    if (cleaned.indexOf(",") >= 0 && cleaned.indexOf(".") >= 0) cleaned = cleaned.replace(/\./g, "");
    return cleaned;
  }

  function initValidation(form) {
    var docSide = document.querySelector(".split-doc");
    if (docSide) placeBoxes(docSide);
    var pagesData = [];
    var source = document.getElementById("doc-pages");
    if (source) pagesData = JSON.parse(source.textContent);
    var lastField = null;

    function activate(name) {
      document.querySelectorAll(".box.active").forEach(function (b) { b.classList.remove("active"); });
      document.querySelectorAll(".field-row.is-active").forEach(function (r) { r.classList.remove("is-active"); });
      if (!name) return;
      var row = form.querySelector('.field-row[data-field="' + name + '"]');
      if (row) row.classList.add("is-active");
      var boxes = document.querySelectorAll('.box[data-field="' + name + '"]');
      boxes.forEach(function (b) { b.classList.add("active"); });
      if (boxes.length && docSide) {
        var box = boxes[0];
        var top = box.getBoundingClientRect().top - docSide.getBoundingClientRect().top + docSide.scrollTop;
        docSide.scrollTo({ top: Math.max(0, top - docSide.clientHeight / 3), behavior: "smooth" });
      }
    }

    form.querySelectorAll("[data-field]").forEach(function (el) {
      var name = el.dataset.field;
      var input = el.matches("input, select") ? el : el.querySelector("input, select");
      if (!input) return;
      input.addEventListener("focus", function () { lastField = input; activate(name); });
      el.addEventListener("mouseenter", function () { activate(name); });
    });

    // Click on a word of the page: it fills the field being edited (amounts are normalised).
    document.querySelectorAll(".page img").forEach(function (img) {
      img.addEventListener("click", function (event) {
        if (!lastField || lastField.tagName !== "INPUT") return;
        var page = img.closest(".page");
        var number = parseInt(page.dataset.page, 10);
        var data = pagesData.filter(function (p) { return p.number === number; })[0];
        if (!data) return;
        var rect = img.getBoundingClientRect();
        var x = (event.clientX - rect.left) / rect.width * data.width;
        var y = (event.clientY - rect.top) / rect.height * data.height;
        var word = data.words.filter(function (w) { return x >= w[1] - 1 && x <= w[3] + 1 && y >= w[2] - 1 && y <= w[4] + 1; })[0];
        if (!word) return;
        var value = word[0];
        if (lastField.dataset.kind === "amount") value = normaliseAmount(value);
        lastField.value = value;
        lastField.dispatchEvent(new Event("change"));
        lastField.focus();
      });
    });

    // Keyboard: Entrée validates (native submit); Alt+R refuse; Alt+D duplicate; Alt+N / Alt+P pages.
    document.addEventListener("keydown", function (event) {
      if (!event.altKey) return;
      var key = event.key.toLowerCase();
      if (key === "r") {
        var reason = document.getElementById("reject-reason");
        if (reason) { event.preventDefault(); reason.focus(); }
      } else if (key === "d") {
        var dup = document.getElementById("dismiss-duplicate");
        if (dup) { event.preventDefault(); dup.focus(); }
      } else if (key === "v") {
        var submit = document.getElementById("validate-submit");
        if (submit) { event.preventDefault(); submit.focus(); }
      } else if ((key === "n" || key === "p") && docSide) {
        event.preventDefault();
        docSide.scrollBy({ top: (key === "n" ? 1 : -1) * docSide.clientHeight * 0.9, behavior: "smooth" });
      }
    });

    var first = form.querySelector("[data-autofocus]");
    if (first) { first.focus(); if (first.select) first.select(); }
  }

  onReady(function () {
    var upload = document.querySelector("form[data-upload]");
    if (upload) initDropzone(upload);
    var validate = document.querySelector("form[data-validate]");
    if (validate) initValidation(validate);
  });
})();
