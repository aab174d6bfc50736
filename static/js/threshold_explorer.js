/* Threshold explorer: a slider beside the number field that shows the figures of another
   threshold at once. Every text it shows was rendered by the server for each threshold (the
   JSON in #drempel-data's data-steps), so this only swaps text. Without JavaScript the slider stays hidden
   and the form (number field + "Toon") renders the page for the chosen threshold. */
(function () {
  "use strict";
  var data = document.getElementById("drempel-data");
  var form = document.getElementById("drempel-form");
  if (!data || !form) { return; }
  var steps = JSON.parse(data.getAttribute("data-steps"));
  var number = document.getElementById("id_drempel");
  var slider = document.getElementById("drempel-schuif");
  var summary = document.getElementById("drempel-gekozen");
  var chart = document.getElementById("drempelverkenner");
  var themeHead = document.getElementById("thema-gekozen");
  var shown = null;

  function show(t) {
    var step = steps[String(t)];
    if (!step || t === shown) { return; }
    shown = t;
    summary.querySelector("h2").textContent = step.heading;
    var items = summary.querySelectorAll("li");
    step.lines.forEach(function (line, i) { if (items[i]) { items[i].textContent = line; } });
    document.querySelectorAll("tr[data-drempel]").forEach(function (row) {
      var here = row.getAttribute("data-drempel") === String(t);
      row.classList.toggle("total", here);
      var mark = row.querySelector(".chosen-mark");
      if (mark) { mark.hidden = !here; }
    });
    if (themeHead) { themeHead.textContent = step.column; }
    document.querySelectorAll("td.chosen-column").forEach(function (cell, i) {
      if (step.themes[i] !== undefined) { cell.textContent = step.themes[i]; }
    });
    if (chart && window.Plotly && chart.layout) {
      window.Plotly.relayout(chart, {
        "shapes[1].x0": t, "shapes[1].x1": t,
        "annotations[1].x": t, "annotations[1].text": step.marker
      });
    }
    var url = new URL(window.location.href);
    url.searchParams.set("drempel", String(t));
    window.history.replaceState(null, "", url.toString());
  }

  function whole(value) {
    var t = Number(value);
    return Number.isInteger(t) && t >= Number(slider.min) && t <= Number(slider.max) ? t : null;
  }

  slider.closest(".threshold-slider").hidden = false;
  slider.addEventListener("input", function () {
    var t = whole(slider.value);
    if (t === null) { return; }
    number.value = String(t);
    number.removeAttribute("aria-invalid");
    show(t);
  });
  number.addEventListener("input", function () {
    var t = whole(number.value);
    if (t === null) { return; }
    slider.value = String(t);
    show(t);
  });
  shown = whole(slider.value);
})();
