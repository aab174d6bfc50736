/* Autosave for the zelfscan: each answer is posted as it is given, with the version the page
   saw. The server answers with the new version, or 409 with the other person's answer. Without
   this script the form still saves everything on "Volgende". */
(function () {
  "use strict";
  // The list of themes is folded on phones (it is long); on wider screens it starts open.
  var steps = document.querySelector(".step-list");
  if (steps && window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    steps.open = true;
  }
  var form = document.getElementById("scan-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.dataset.saveUrl;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var state = {}; // key -> {busy: bool, again: bool}

  function status(box, text, isError) {
    if (!box) { return; }
    box.textContent = text;
    box.classList.toggle("error", !!isError);
  }

  function progress(kind, data) {
    if (!data) { return; }
    var bar = document.querySelector("[data-progress=" + kind + "]");
    if (bar) { bar.value = data.answered; bar.max = data.total; }
    var label = data.answered + " " + form.dataset.msgOf + " " + data.total;
    document.querySelectorAll("[data-progress-text=" + kind + "]").forEach(function (el) {
      el.textContent = kind === "overall" ? label + " " + form.dataset.msgAnswered : "(" + label + ")";
    });
    if (kind === "theme") {
      var text = document.querySelector("[data-progress-text=theme-bar]");
      if (text) { text.textContent = label + " " + form.dataset.msgAnswered; }
    }
  }

  function toggleNvt(fieldset) {
    var box = fieldset.querySelector(".nvt-field");
    if (!box) { return; }
    var checked = fieldset.querySelector("input[type=radio][name$='-value']:checked");
    box.hidden = !(checked && checked.value === "NVT");
  }

  function payloadFor(fieldset) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    if (fieldset.dataset.theme) {
      data.append("theme", fieldset.dataset.theme);
      data.append("reflection", form.elements.reflection.value);
      data.append("action", form.elements.action.value);
      data.append("version", form.elements["reflection-version"].value);
      return data;
    }
    var p = fieldset.id;
    var checked = fieldset.querySelector("input[name='" + p + "-value']:checked");
    var nvt = form.elements[p + "-nvt"];
    data.append("statement", fieldset.dataset.statement);
    data.append("value", checked ? checked.value : "");
    data.append("comment", form.elements[p + "-comment"].value);
    data.append("nvt_explanation", nvt ? nvt.value : "");
    data.append("version", form.elements[p + "-version"].value);
    return data;
  }

  function versionInput(fieldset) {
    return fieldset.dataset.theme ? form.elements["reflection-version"]
      : form.elements[fieldset.id + "-version"];
  }

  function showConflict(fieldset, body) {
    var old = fieldset.querySelector(".conflict.js");
    if (old) { old.remove(); }
    var box = document.createElement("div");
    box.className = "conflict js";
    var text = document.createElement("p");
    text.textContent = body.message;
    box.appendChild(text);
    if (body.theirs) {
      var keep = document.createElement("button");
      keep.type = "button"; keep.className = "button secondary"; keep.textContent = form.dataset.msgKeep;
      keep.addEventListener("click", function () {
        var p = fieldset.id, theirs = body.theirs;
        fieldset.querySelectorAll("input[name='" + p + "-value']").forEach(function (r) { r.checked = r.value === theirs.value; });
        form.elements[p + "-comment"].value = theirs.comment;
        if (form.elements[p + "-nvt"]) { form.elements[p + "-nvt"].value = theirs.nvt_explanation; }
        versionInput(fieldset).value = theirs.version;
        toggleNvt(fieldset);
        box.remove();
        status(fieldset.querySelector(".save-status"), "");
      });
      var mine = document.createElement("button");
      mine.type = "button"; mine.className = "button"; mine.textContent = form.dataset.msgMine;
      mine.addEventListener("click", function () {
        versionInput(fieldset).value = body.theirs.version;
        box.remove();
        save(fieldset);
      });
      box.appendChild(keep);
      box.appendChild(document.createTextNode(" "));
      box.appendChild(mine);
    }
    fieldset.insertBefore(box, fieldset.querySelector(".scale") || fieldset.querySelector(".field"));
  }

  function save(fieldset) {
    var key = fieldset.id;
    var s = state[key] || (state[key] = {busy: false, again: false});
    if (s.busy) { s.again = true; return; }  // one request per statement at a time
    s.busy = true;
    var box = fieldset.querySelector(".save-status");
    status(box, form.dataset.msgSaving);
    fetch(url, {method: "POST", body: payloadFor(fieldset), credentials: "same-origin",
                headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.json().then(function (body) { return [response, body]; }); })
      .then(function (pair) {
        var response = pair[0], body = pair[1];
        if (body.ok) {
          versionInput(fieldset).value = body.version;
          status(box, body.message);
          progress("theme", body.theme);
          progress("overall", body.overall);
        } else if (body.conflict) {
          status(box, body.message, true);
          showConflict(fieldset, body);
          s.again = false;
        } else {
          status(box, body.message || form.dataset.msgError, true);
        }
        return response;
      })
      .catch(function () { status(box, form.dataset.msgError, true); s.again = false; })
      .then(function () {
        s.busy = false;
        if (s.again) { s.again = false; save(fieldset); }
      });
  }

  form.querySelectorAll("fieldset.statement, fieldset.reflection").forEach(function (fieldset) {
    toggleNvt(fieldset);
    fieldset.addEventListener("change", function (event) {
      if (event.target.name && event.target.name.slice(-8) === "-resolve") { return; }
      toggleNvt(fieldset);
      save(fieldset);
    });
  });
})();
