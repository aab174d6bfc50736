/* Summary page: draw the charts from their JSON and, while the survey is open, refresh the
   figures every few seconds without reloading the page. Polling pauses while the tab is hidden;
   the response count is announced politely to screen readers. Works without it: the server
   renders every number, this only adds charts and live updates. */
(function () {
  "use strict";
  var root = document.getElementById("survey-summary");
  if (!root) { return; }
  var body = document.getElementById("summary-body");
  var status = document.getElementById("live-status");
  var INTERVAL = 4000;
  var timer = null;
  var busy = false;

  function drawCharts() {
    if (!window.Plotly) { return; }
    body.querySelectorAll("[data-figure]").forEach(function (el) {
      try {
        var figure = JSON.parse(el.getAttribute("data-figure"));
        window.Plotly.react(el, figure.data, figure.layout,
          { staticPlot: true, displayModeBar: false, responsive: true });
      } catch (err) { /* the table beside the chart holds the same numbers */ }
    });
  }

  function announce(count) {
    var text = count === 1 ? root.dataset.countOne : root.dataset.countMany.replace("__N__", count);
    status.textContent = text;
  }

  function poll() {
    var url = root.dataset.liveUrl;
    if (!url || busy || document.hidden) { return; }
    busy = true;
    fetch(url + "?count=" + encodeURIComponent(root.dataset.count), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      if (data.html !== undefined) {
        body.innerHTML = data.html;
        drawCharts();
      }
      if (String(data.count) !== root.dataset.count) {
        root.dataset.count = String(data.count);
        announce(data.count);
      }
      if (!data.open) { stop(); }
    }).catch(function () { /* try again at the next tick */ })
      .finally(function () { busy = false; });
  }

  function start() { if (!timer && root.dataset.liveUrl) { timer = window.setInterval(poll, INTERVAL); } }
  function stop() { if (timer) { window.clearInterval(timer); timer = null; } }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { stop(); } else { poll(); start(); }
  });
  drawCharts();
  start();
})();
