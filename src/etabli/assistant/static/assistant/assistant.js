// Établi — assistant pages: send messages without reloading, poll for new ones, copy the widget snippet.
// Everything also works without JavaScript (forms post and the page reloads). HTML comes from the server's
// templates, which escape every text.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function lastId(log) {
    var items = log.querySelectorAll("[data-message-id]");
    return items.length ? items[items.length - 1].getAttribute("data-message-id") : "0";
  }

  function append(log, html) {
    if (!log || !html || !html.trim()) return;
    var template = document.createElement("template");
    template.innerHTML = html;
    template.content.querySelectorAll("[data-message-id]").forEach(function (item) {
      var id = item.getAttribute("data-message-id");
      if (!log.querySelector('[data-message-id="' + id + '"]')) log.appendChild(item);
    });
    log.scrollTop = log.scrollHeight;
  }

  function showError(form, message) {
    var box = form.querySelector(".chat-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "chat-error";
      box.setAttribute("role", "alert");
      form.appendChild(box);
    }
    box.textContent = message || "";
  }

  function submit(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var log = document.getElementById(form.getAttribute("data-target") || "chat-log");
    if (log) data.append("after", lastId(log));
    return fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                                headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 204) return "";
        if (!response.ok) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            throw new Error((body.error && body.error.message) || "Envoi impossible, réessayez.");
          });
        }
        return response.text();
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-chat-form], [data-chat-rate]")) return;
    event.preventDefault();
    var submitter = event.submitter;
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    submit(form, submitter).then(function (html) {
      if (form.matches("[data-chat-rate]")) {
        form.querySelectorAll("button[name=value]").forEach(function (b) {
          b.setAttribute("aria-pressed", b === submitter ? "true" : "false");
        });
        return;
      }
      append(document.getElementById(form.getAttribute("data-target") || "chat-log"), html);
      var text = form.querySelector("textarea[name=text]");
      if (text) { text.value = ""; text.focus(); }
      showError(form, "");
      var log = document.getElementById("chat-log");
      if (log && !log.getAttribute("data-poll-url")) window.location.reload();
    }).catch(function (error) { showError(form, error.message); })
      .then(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && !event.shiftKey && target.matches && target.matches("[data-chat-form] textarea")) {
      event.preventDefault();
      target.form.requestSubmit();
    }
  });

  function poll(log) {
    var url = log.getAttribute("data-poll-url");
    if (!url) return;
    setInterval(function () {
      if (document.hidden) return;
      fetch(url + "?after=" + encodeURIComponent(lastId(log)), { credentials: "same-origin",
                                                                   headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.status === 200 ? response.text() : ""; })
        .then(function (html) { append(log, html); })
        .catch(function () {});
    }, 3000);
  }

  onReady(function () {
    var log = document.getElementById("chat-log");
    if (log) { log.scrollTop = log.scrollHeight; poll(log); }
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source || !navigator.clipboard) return;
        navigator.clipboard.writeText(source.textContent).then(function () { button.textContent = "Copié"; });
      });
    });
  });
})();
