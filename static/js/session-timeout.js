/* Warn before the session runs out, so no form is lost; "stay logged in" renews it.
 * Reads data-session-age (seconds), data-warn-before (seconds) and data-keep-alive-url from the
 * <script> tag. The dialog is role="alertdialog" with a live message; focus moves to its button. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var age = parseInt(script.getAttribute("data-session-age"), 10) || 0;
  var warnBefore = parseInt(script.getAttribute("data-warn-before"), 10) || 300;
  var url = script.getAttribute("data-keep-alive-url");
  var texts = {
    title: script.getAttribute("data-text-title"),
    warning: script.getAttribute("data-text-warning"),
    expired: script.getAttribute("data-text-expired"),
    button: script.getAttribute("data-text-button")
  };
  if (!age || !url) { return; }
  var warnTimer = null;
  var expireTimer = null;
  var dialog = null;
  var previousFocus = null;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function close() {
    if (dialog) { dialog.remove(); dialog = null; }
    if (previousFocus && previousFocus.focus) { previousFocus.focus(); }
  }

  function show(expired) {
    if (!dialog) {
      previousFocus = document.activeElement;
      dialog = document.createElement("div");
      dialog.className = "session-dialog";
      dialog.setAttribute("role", "alertdialog");
      dialog.setAttribute("aria-modal", "false");
      dialog.setAttribute("aria-labelledby", "session-dialog-title");
      dialog.setAttribute("aria-describedby", "session-dialog-text");
      dialog.innerHTML = '<h2 id="session-dialog-title"></h2><p id="session-dialog-text" aria-live="assertive"></p>';
      dialog.querySelector("h2").textContent = texts.title;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = texts.button;
      button.addEventListener("click", keepAlive);
      dialog.appendChild(button);
      document.body.appendChild(dialog);
      button.focus();
    }
    dialog.querySelector("p").textContent = expired ? texts.expired : texts.warning;
    if (expired) { dialog.querySelector("button").hidden = true; }
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    warnTimer = setTimeout(function () { show(false); }, Math.max(0, age - warnBefore) * 1000);
    expireTimer = setTimeout(function () { show(true); }, age * 1000);
  }

  function keepAlive() {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok) { close(); schedule(); } else { show(true); }
    }).catch(function () { show(true); });
  }

  window.selfscanSessionTimeout = { keepAlive: keepAlive, show: show };
  // Requests made without a page load (htmx autosave) renew the session on the server too.
  document.addEventListener("htmx:afterRequest", function () { if (!dialog) { schedule(); } });
  schedule();
})();
