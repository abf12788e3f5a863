/* Établi — the assistant's widget. One <script> tag on the company's site:
 *   <script src="https://…/assistant/widget.js" data-assistant="KEY" async></script>
 * No cookie, no browser storage, no third-party request: the conversation lives in this page's memory.
 * Every text from the server is inserted with textContent (never as HTML). The first message always says that
 * this is an automated assistant, and « Parler à un humain » is always on screen. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-assistant]");
  if (!script || window.__etabliAssistant) return;
  window.__etabliAssistant = true;
  var key = script.getAttribute("data-assistant") || "";
  var mode = script.getAttribute("data-mode") === "page" ? "page" : "widget";
  var base = new URL(script.src, document.baseURI).origin;
  var api = base + "/assistant/public/" + encodeURIComponent(key) + "/";
  var state = { conversation: null, token: null, lastId: 0, seen: {}, waiting: false, busy: false, open: false,
                starting: null, timer: null, maxChars: 1000, pollSeconds: 4, unread: 0 };
  var ui = {};

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (e) { return null; }
  }

  function post(path, body) {
    return fetch(api + path, {
      method: "POST", mode: "cors", credentials: "omit", cache: "no-store",
      headers: { "Content-Type": "text/plain;charset=UTF-8" }, body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          throw new Error((data && data.error && data.error.message) || "Le service est momentanément indisponible.");
        }
        return data;
      });
    });
  }

  function showError(message) {
    ui.error.textContent = message || "";
    ui.error.hidden = !message;
  }

  function who(message) {
    if (message.sender === "client") return "Vous";
    if (message.sender === "equipe") return (message.author || "Équipe") + " — équipe";
    if (message.sender === "assistant") return message.label || "Assistant automatique";
    return "Information";
  }

  function render(message) {
    if (!message || state.seen[message.id]) return;
    state.seen[message.id] = true;
    state.lastId = Math.max(state.lastId, message.id);
    var item = el("li", "etabli-msg etabli-" + message.sender);
    item.setAttribute("data-id", message.id);
    item.appendChild(el("span", "etabli-who", who(message)));
    item.appendChild(el("p", "etabli-text", message.text));
    (message.sources || []).forEach(function (source) {
      var line = el("p", "etabli-sources", "Source : " + (source.title || ""));
      (source.links || []).forEach(function (link) {
        var href = safeUrl(link.url);
        if (!href) return;
        line.appendChild(document.createTextNode(" — "));
        var anchor = el("a", null, link.label || href);
        anchor.href = href;
        anchor.target = "_blank";
        anchor.rel = "noopener noreferrer";
        line.appendChild(anchor);
      });
      item.appendChild(line);
    });
    if (message.choices && message.choices.length) {
      var choices = el("div", "etabli-choices");
      message.choices.forEach(function (choice) {
        var button = el("button", "etabli-choice", choice);
        button.type = "button";
        button.addEventListener("click", function () { send(choice); });
        choices.appendChild(button);
      });
      item.appendChild(choices);
    }
    if (message.can_rate) {
      var rate = el("div", "etabli-rate");
      rate.appendChild(el("span", null, "Réponse utile ?"));
      [[1, "👍", "Réponse utile"], [-1, "👎", "Réponse pas utile"]].forEach(function (spec) {
        var button = el("button", "etabli-thumb", spec[1]);
        button.type = "button";
        button.setAttribute("aria-label", spec[2]);
        button.setAttribute("aria-pressed", message.feedback === spec[0] ? "true" : "false");
        button.addEventListener("click", function () {
          post("avis/", { conversation: state.conversation, token: state.token, message: message.id, value: spec[0] })
            .then(function () {
              rate.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
              button.setAttribute("aria-pressed", "true");
            }).catch(function (error) { showError(error.message); });
        });
        rate.appendChild(button);
      });
      item.appendChild(rate);
    }
    ui.log.appendChild(item);
    ui.log.scrollTop = ui.log.scrollHeight;
    if (!state.open && mode === "widget" && message.sender !== "client") {
      state.unread += 1;
      ui.launcherBadge.textContent = String(state.unread);
      ui.launcherBadge.hidden = false;
    }
  }

  function update(data) {
    (data.messages || []).forEach(render);
    if (data.status_label) ui.status.textContent = data.waiting_for_person ? data.status_label : "";
    state.waiting = !!data.waiting_for_person;
    schedule();
  }

  function schedule() {
    if (state.timer) clearTimeout(state.timer);
    if (!state.conversation) return;
    var seconds = state.waiting ? state.pollSeconds : 20;
    state.timer = setTimeout(poll, seconds * 1000);
  }

  function poll() {
    if (document.hidden || !state.conversation) { schedule(); return; }
    post("nouveaux/", { conversation: state.conversation, token: state.token, after: state.lastId })
      .then(update).catch(function () { schedule(); });
  }

  function start() {
    if (state.starting) return state.starting;
    state.starting = post("conversations/", { channel: mode }).then(function (data) {
      state.conversation = data.conversation;
      state.token = data.token;
      state.maxChars = data.max_chars || state.maxChars;
      state.pollSeconds = data.poll_seconds || state.pollSeconds;
      ui.input.maxLength = state.maxChars;
      ui.title.textContent = data.title || "Assistant";
      ui.footer.textContent = "Assistant automatique : vos messages sont lus par un programme et transmis à " +
        (data.company || "l'entreprise") + ". Aucun cookie, rien n'est gardé dans votre navigateur.";
      update(data);
      showError("");
    }).catch(function (error) {
      state.starting = null;
      showError(error.message);
      throw error;
    });
    return state.starting;
  }

  function setBusy(busy) {
    state.busy = busy;
    ui.send.disabled = busy;
    ui.human.disabled = busy;
  }

  function send(text) {
    text = (text || "").trim();
    if (!text || state.busy) return;
    if (text.length > state.maxChars) { showError("Message trop long : " + state.maxChars + " caractères au plus."); return; }
    setBusy(true);
    start().then(function () {
      return post("messages/", { conversation: state.conversation, token: state.token, text: text,
                                  after: state.lastId });
    }).then(function (data) {
      ui.input.value = "";
      showError("");
      update(data);
    }).catch(function (error) { showError(error.message); })
      .then(function () { setBusy(false); ui.input.focus(); });
  }

  function askHuman() {
    if (state.busy) return;
    setBusy(true);
    start().then(function () {
      return post("humain/", { conversation: state.conversation, token: state.token, after: state.lastId });
    }).then(function (data) { showError(""); update(data); })
      .catch(function (error) { showError(error.message); })
      .then(function () { setBusy(false); });
  }

  function buildPanel(container) {
    var panel = el("section", "etabli-panel" + (mode === "page" ? " etabli-panel-page" : ""));
    panel.setAttribute("aria-label", "Discussion avec l'assistant automatique");
    var header = el("header", "etabli-header");
    ui.title = el("span", "etabli-title", "Assistant");
    header.appendChild(ui.title);
    header.appendChild(el("span", "etabli-badge", "Assistant automatique"));
    if (mode === "widget") {
      var close = el("button", "etabli-close", "×");
      close.type = "button";
      close.setAttribute("aria-label", "Fermer la discussion");
      close.addEventListener("click", function () { toggle(false); });
      header.appendChild(close);
    }
    panel.appendChild(header);
    ui.human = el("button", "etabli-human", "Parler à un humain");
    ui.human.type = "button";
    ui.human.addEventListener("click", askHuman);
    var bar = el("div", "etabli-bar");
    bar.appendChild(ui.human);
    ui.status = el("span", "etabli-status");
    bar.appendChild(ui.status);
    panel.appendChild(bar);
    ui.log = el("ol", "etabli-log");
    ui.log.setAttribute("aria-live", "polite");
    panel.appendChild(ui.log);
    ui.error = el("p", "etabli-error");
    ui.error.setAttribute("role", "alert");
    ui.error.hidden = true;
    panel.appendChild(ui.error);
    var form = el("form", "etabli-form");
    var label = el("label", "etabli-sr", "Votre message");
    label.htmlFor = "etabli-input";
    ui.input = el("textarea", "etabli-input");
    ui.input.id = "etabli-input";
    ui.input.rows = 2;
    ui.input.maxLength = state.maxChars;
    ui.input.placeholder = "Votre question…";
    ui.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); send(ui.input.value); }
    });
    ui.send = el("button", "etabli-send", "Envoyer");
    ui.send.type = "submit";
    form.appendChild(label);
    form.appendChild(ui.input);
    form.appendChild(ui.send);
    form.addEventListener("submit", function (event) { event.preventDefault(); send(ui.input.value); });
    panel.appendChild(form);
    ui.footer = el("p", "etabli-footer", "Assistant automatique : aucun cookie, rien n'est gardé dans votre navigateur.");
    panel.appendChild(ui.footer);
    container.appendChild(panel);
    ui.panel = panel;
    return panel;
  }

  function toggle(open) {
    state.open = open;
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      state.unread = 0;
      ui.launcherBadge.hidden = true;
      start().catch(function () {});
      ui.input.focus();
    }
  }

  function mountWidget() {
    var host = document.createElement("div");
    host.id = "etabli-assistant";
    document.body.appendChild(host);
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = base + "/assistant/widget.css";
    root.appendChild(style);
    var wrapper = el("div", "etabli-widget");
    ui.launcher = el("button", "etabli-launcher");
    ui.launcher.type = "button";
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.appendChild(el("span", "etabli-launcher-text", "Une question ?"));
    ui.launcher.appendChild(el("span", "etabli-launcher-sub", "Assistant automatique"));
    ui.launcherBadge = el("span", "etabli-unread");
    ui.launcherBadge.hidden = true;
    ui.launcher.appendChild(ui.launcherBadge);
    ui.launcher.addEventListener("click", function () { toggle(!state.open); });
    buildPanel(wrapper);
    ui.panel.hidden = true;
    wrapper.appendChild(ui.launcher);
    root.appendChild(wrapper);
  }

  function mountPage() {
    var target = document.getElementById(script.getAttribute("data-target") || "etabli-chat");
    if (!target) return;
    target.textContent = "";
    target.className = "";
    ui.launcherBadge = el("span");
    buildPanel(target);
    state.open = true;
    start().catch(function () {});
  }

  function init() { if (mode === "page") mountPage(); else mountWidget(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
  document.addEventListener("visibilitychange", function () { if (!document.hidden && state.conversation) poll(); });
})();
