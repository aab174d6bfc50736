/* Results pages: draw the plotly charts from the JSON in their data-figure attribute, and the
   print button. A file of its own because the Content-Security-Policy allows no inline script
   (docs/decisions/0004). Works without it: every chart has a table with the same numbers. */
(function () {
  "use strict";
  var CONFIG = { displayModeBar: false, responsive: true };

  function drawCharts() {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".plotly-chart[data-figure]").forEach(function (el) {
      try {
        var figure = JSON.parse(el.getAttribute("data-figure"));
        window.Plotly.newPlot(el, figure.data, figure.layout, CONFIG);
      } catch (err) { /* the table beside the chart holds the same numbers */ }
    });
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  drawCharts();
})();
