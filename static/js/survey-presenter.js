/* Presenter mode: draw the chart, refresh the current question's results every two seconds,
   and move between questions with the keyboard (→/PageDown/space: next, ←/PageUp: previous,
   F: full screen). Without JavaScript the page still works: next/previous are plain links
   and the results are rendered by the server (reload to refresh). */
(function () {
  "use strict";
  var main = document.querySelector(".presenter-main");
  if (!main) { return; }
  var results = document.getElementById("presenter-results");
  var count = document.getElementById("presenter-count");
  var status = document.getElementById("presenter-status");
  var INTERVAL = 2000;
  var busy = false;
  var last = results ? results.innerHTML : "";

  function draw() {
    if (!window.Plotly || !results) { return; }
    results.querySelectorAll("[data-figure]").forEach(function (el) {
      try {
        var figure = JSON.parse(el.getAttribute("data-figure"));
        window.Plotly.react(el, figure.data, figure.layout,
          { staticPlot: true, displayModeBar: false, responsive: true });
      } catch (err) { /* the table holds the same numbers */ }
    });
  }

  function poll() {
    if (busy || document.hidden) { return; }
    busy = true;
    fetch(main.dataset.liveUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        if (results && data.html !== last) {
          last = data.html;
          results.innerHTML = data.html;
          draw();
        }
        if (count && data.count_text && count.textContent !== data.count_text) {
          count.textContent = data.count_text;
          status.textContent = data.count_text;
        }
      })
      .catch(function () { /* try again at the next tick */ })
      .finally(function () { busy = false; });
  }

  function go(url) { if (url) { window.location.assign(url); } }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = (event.target && event.target.tagName) || "";
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(tag)) { return; }
    var key = event.key;
    if (key === "ArrowRight" || key === "PageDown" || (key === " " && !/^(BUTTON|A)$/.test(tag))) {
      if (main.dataset.next) { event.preventDefault(); go(main.dataset.next); }
    } else if (key === "ArrowLeft" || key === "PageUp") {
      if (main.dataset.prev) { event.preventDefault(); go(main.dataset.prev); }
    } else if (key === "f" || key === "F") {
      toggleFullscreen();
    }
  });

  function toggleFullscreen() {
    if (!document.fullscreenEnabled) { return; }
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else { document.documentElement.requestFullscreen().catch(function () {}); }
  }
  var button = document.getElementById("presenter-fullscreen");
  if (button && document.fullscreenEnabled) {
    button.hidden = false;
    button.addEventListener("click", toggleFullscreen);
  }

  draw();
  window.setInterval(poll, INTERVAL);
})();
