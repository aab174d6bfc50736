/* Autosave for the zelfscan. Each change is posted with the version the page saw and the values
   it loaded (so the server compares only what this person changed). Until the server confirms
   it, a change is also kept in this browser (localStorage, per user and scan): a dropped
   network is retried with back-off and on "online", an ended session asks to log in again, and
   after the login the page offers to restore and save what was kept. Without this script the
   form still saves everything on "Volgende". */
(function () {
  "use strict";
  // The list of themes is folded on phones (it is long); on wider screens it starts open.
  var steps = document.querySelector(".step-list");
  if (steps && window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    steps.open = true;
  }
  var form = document.getElementById("scan-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var msg = JSON.parse(form.dataset.messages);
  var url = form.dataset.saveUrl;
  var csrf = field("csrfmiddlewaretoken").value;
  var stepCode = form.dataset.step;
  var storeKey = "zelfscan-concept:" + form.dataset.user + ":" + form.dataset.scan;
  var notices = document.getElementById("scan-notices");
  var MAX_AGE = 14 * 24 * 3600 * 1000; // drafts older than two weeks are dropped
  var state = {}; // fieldset key -> {busy, again, timer, retry, tries, promise}
  var sessionEnded = false;
  var submitting = false;

  // Look fields up by name only: `form.elements.x` also matches an element with id "x".
  function field(name) { return form.querySelector("[name='" + name + "']"); }
  function fieldsets() { return form.querySelectorAll("fieldset.statement, fieldset.reflection"); }
  function keyOf(fs) { return fs.dataset.theme ? "t" + fs.dataset.theme : "s" + fs.dataset.statement; }
  function fieldsetFor(key) {
    return key.charAt(0) === "t" ? form.querySelector("fieldset[data-theme='" + key.slice(1) + "']")
      : form.querySelector("fieldset[data-statement='" + key.slice(1) + "']");
  }
  // The server strips surrounding spaces, so they never make a difference here.
  function same(a, b) {
    return Object.keys(a).concat(Object.keys(b)).every(function (k) {
      return String(a[k] || "").trim() === String(b[k] || "").trim();
    });
  }

  function toggleNvt(fs) {
    var box = fs.querySelector(".nvt-field");
    if (!box) { return; }
    var checked = fs.querySelector("input[type=radio][name$='-value']:checked");
    box.hidden = !(checked && checked.value === "NVT");
  }

  // What the fieldset holds now, what the page loaded (the base of this person's change).
  function current(fs) {
    if (fs.dataset.theme) {
      return {reflection: field("reflection").value};
    }
    var p = fs.id, checked = fs.querySelector("input[name='" + p + "-value']:checked"), nvt = field(p + "-nvt");
    return {value: checked ? checked.value : "", comment: field(p + "-comment").value,
            nvt_explanation: nvt ? nvt.value : ""};
  }
  function loadedNames(fs) {
    if (fs.dataset.theme) { return {reflection: "reflection-loaded"}; }
    var p = fs.id;
    return {value: p + "-loaded-value", comment: p + "-loaded-comment", nvt_explanation: p + "-loaded-nvt"};
  }
  function loaded(fs) {
    var names = loadedNames(fs), out = {};
    Object.keys(names).forEach(function (k) { out[k] = field(names[k]).value; });
    return out;
  }
  function setLoaded(fs, values) {
    var names = loadedNames(fs);
    Object.keys(names).forEach(function (k) { field(names[k]).value = values[k] || ""; });
  }
  function versionInput(fs) { return field(fs.dataset.theme ? "reflection-version" : fs.id + "-version"); }
  function fill(fs, values) {
    if (fs.dataset.theme) {
      field("reflection").value = values.reflection || "";
      return;
    }
    var p = fs.id, nvt = field(p + "-nvt");
    fs.querySelectorAll("input[name='" + p + "-value']").forEach(function (r) { r.checked = r.value === values.value; });
    field(p + "-comment").value = values.comment || "";
    if (nvt) { nvt.value = values.nvt_explanation || ""; }
    toggleNvt(fs);
  }

  // Drafts: every change not yet confirmed by the server, with the version and values it was
  // based on. The key holds the user and the scan, so nobody else on this device sees them.
  function readDrafts() {
    try {
      var drafts = JSON.parse(window.localStorage.getItem(storeKey) || "{}");
      return drafts && typeof drafts === "object" ? drafts : {};
    } catch (e) { return {}; }
  }
  function writeDrafts(drafts) {
    try {
      if (Object.keys(drafts).length) { window.localStorage.setItem(storeKey, JSON.stringify(drafts)); }
      else { window.localStorage.removeItem(storeKey); }
    } catch (e) { /* private mode or full: the autosave still works */ }
  }
  function remember(fs) {
    var drafts = readDrafts(), now = current(fs), base = loaded(fs);
    if (same(now, base)) { delete drafts[keyOf(fs)]; }
    else {
      drafts[keyOf(fs)] = {step: stepCode, code: fs.dataset.code, fields: now, loaded: base,
                           version: versionInput(fs).value, at: Date.now()};
    }
    writeDrafts(drafts);
  }
  function forget(fs) {
    var drafts = readDrafts();
    delete drafts[keyOf(fs)];
    writeDrafts(drafts);
  }

  function status(fs, text, kind) {
    var box = fs.querySelector(".save-status");
    if (!box) { return; }
    box.textContent = text;
    box.classList.toggle("error", kind === "error");
    box.classList.toggle("pending", kind === "pending");
  }

  function progress(kind, data) {
    if (!data) { return; }
    var bar = document.querySelector("[data-progress=" + kind + "]");
    if (bar) { bar.value = data.answered; bar.max = data.total; }
    var label = data.answered + " " + msg.of + " " + data.total;
    document.querySelectorAll("[data-progress-text=" + kind + "]").forEach(function (el) {
      el.textContent = kind === "overall" ? label + " " + msg.answered : "(" + label + ")";
    });
    if (kind === "theme") {
      var text = document.querySelector("[data-progress-text=theme-bar]");
      if (text) { text.textContent = label + " " + msg.answered; }
    }
  }

  function notice(id, kind) {
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      notices.appendChild(box);
    }
    box.className = "scan-notice" + (kind ? " " + kind : "");
    box.textContent = "";
    return box;
  }
  function paragraph(box, text) {
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    return p;
  }
  function button(text, className, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function payload(fs, values) {
    var data = new FormData(), base = loaded(fs);
    data.append("csrfmiddlewaretoken", csrf);
    if (fs.dataset.theme) { data.append("theme", fs.dataset.theme); }
    else { data.append("statement", fs.dataset.statement); }
    Object.keys(values).forEach(function (k) { data.append(k, values[k]); });
    Object.keys(base).forEach(function (k) { data.append("base_" + k, base[k]); });
    data.append("version", versionInput(fs).value);
    return data;
  }

  function stateOf(fs) {
    var key = keyOf(fs);
    return state[key] || (state[key] = {busy: false, again: false, timer: null, retry: null, tries: 0, promise: null});
  }

  function sessionEnd() {
    if (sessionEnded) { return; }
    sessionEnded = true;
    Object.keys(state).forEach(function (key) {
      var s = state[key];
      if (s.retry) { clearTimeout(s.retry); s.retry = null; }
      if (s.timer) { clearTimeout(s.timer); s.timer = null; }
    });
    var box = notice("session-notice", "error");
    box.setAttribute("role", "alert");
    paragraph(box, msg.sessionNotice);
    var link = document.createElement("a");
    link.className = "button";
    link.id = "login-again";
    link.href = form.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname);
    link.textContent = msg.login;
    box.appendChild(link);
  }

  function scheduleRetry(fs) {
    var s = stateOf(fs);
    remember(fs);
    status(fs, navigator.onLine === false ? msg.offline : msg.retry, "pending");
    s.again = false;
    var delay = Math.min(60000, 2000 * Math.pow(2, s.tries));
    s.tries += 1;
    if (s.retry) { clearTimeout(s.retry); }
    s.retry = setTimeout(function () { s.retry = null; save(fs); }, delay);
  }

  function showConflict(fs, body) {
    var old = fs.querySelector(".conflict.js");
    if (old) { old.remove(); }
    var box = document.createElement("div");
    box.className = "conflict js";
    box.setAttribute("role", "group");
    paragraph(box, body.message);
    var theirs = {};
    Object.keys(loadedNames(fs)).forEach(function (k) { theirs[k] = body.theirs[k] || ""; });
    var theme = !!fs.dataset.theme;
    box.appendChild(button(theme ? msg.keepText : msg.keep, "button secondary", function () {
      fill(fs, theirs);
      versionInput(fs).value = body.theirs.version;
      setLoaded(fs, theirs);
      forget(fs);
      box.remove();
      status(fs, "");
    }));
    box.appendChild(document.createTextNode(" "));
    box.appendChild(button(theme ? msg.mineText : msg.mine, "button", function () {
      versionInput(fs).value = body.theirs.version;
      setLoaded(fs, theirs);
      box.remove();
      remember(fs);
      save(fs);
    }));
    fs.insertBefore(box, fs.querySelector(".scale") || fs.querySelector(".field"));
  }

  // Save one fieldset; the promise says how it ended: saved, conflict, session, pending, error.
  function save(fs) {
    var s = stateOf(fs);
    if (s.timer) { clearTimeout(s.timer); s.timer = null; }
    if (s.retry) { clearTimeout(s.retry); s.retry = null; }
    if (sessionEnded) { status(fs, msg.session, "pending"); return Promise.resolve("session"); }
    if (s.busy) { s.again = true; return s.promise; }  // one request per fieldset at a time
    s.busy = true;
    var sent = current(fs), sentVersion = versionInput(fs).value;
    status(fs, msg.saving);
    s.promise = fetch(url, {method: "POST", body: payload(fs, sent), credentials: "same-origin",
                            headers: {"X-Requested-With": "fetch"}})
      .then(function (response) {
        return response.json().then(
          function (body) { return {code: response.status, body: body}; },
          function () { return {code: response.status, body: null}; });
      })
      .then(function (r) {
        var body = r.body;
        if (body && body.ok) {
          s.tries = 0;
          versionInput(fs).value = body.version;
          setLoaded(fs, body.saved || sent);
          if (same(current(fs), sent)) {
            // someone else's change to another field was kept beside this one: show it
            if (body.saved && !same(body.saved, sent)) { fill(fs, body.saved); }
            forget(fs);
            status(fs, body.message);
          } else {
            remember(fs);  // typed on meanwhile: save again
            s.again = true;
          }
          progress("theme", body.theme);
          progress("overall", body.overall);
          return "saved";
        }
        if (body && body.conflict) {
          // The person chose in the conflict box while this request was under way (clicking a
          // button blurs the text field, whose "change" sent it with the old version): their
          // choice stands; "Mijn ... opslaan" has asked for a save with the new version.
          if (versionInput(fs).value !== sentVersion) { return s.again ? "pending" : "saved"; }
          s.again = false;
          status(fs, msg.conflict, "error");
          showConflict(fs, body);
          return "conflict";
        }
        if (r.code === 401 || r.code === 403) {
          s.again = false;
          remember(fs);
          sessionEnd();
          status(fs, msg.session, "pending");
          return "session";
        }
        if (r.code >= 500 || !body) { scheduleRetry(fs); return "pending"; }
        s.again = false;
        forget(fs);  // refused input would be refused again
        status(fs, body.message || msg.error, "error");
        return "error";
      }, function () { scheduleRetry(fs); return "pending"; })
      .then(function (outcome) {
        s.busy = false;
        if (s.again) { s.again = false; return save(fs); }
        return outcome;
      });
    return s.promise;
  }

  function offerDrafts() {
    var drafts = readDrafts(), here = [], elsewhere = [], changed = false;
    Object.keys(drafts).forEach(function (key) {
      var item = drafts[key], fs = null;
      if (!item || !item.fields || !(Date.now() - (item.at || 0) < MAX_AGE)) {
        delete drafts[key]; changed = true; return;
      }
      if (item.step !== stepCode) {
        if (elsewhere.indexOf(item.step) < 0) { elsewhere.push(item.step); }
        return;
      }
      fs = fieldsetFor(key);
      if (!fs || same(item.fields, loaded(fs))) { delete drafts[key]; changed = true; return; }  // saved
      here.push({fs: fs, item: item});
    });
    if (changed) { writeDrafts(drafts); }
    if (!here.length && !elsewhere.length) { return; }
    var box = notice("draft-notice");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", msg.restore);
    if (here.length) {
      paragraph(box, msg.drafts + " " + here.map(function (h) { return h.item.code; }).join(", "));
      var restore = button(msg.restore, "button", function () { restoreDrafts(here); });
      restore.id = "restore-drafts";
      box.appendChild(restore);
      box.appendChild(document.createTextNode(" "));
      box.appendChild(button(msg.discard, "button secondary", function () {
        here.forEach(function (h) { forget(h.fs); });
        notice("draft-notice").textContent = msg.discarded;
      }));
    }
    if (elsewhere.length) {
      paragraph(box, msg.otherSteps);
      var list = document.createElement("ul");
      elsewhere.forEach(function (code) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = window.location.pathname.replace(/[^/]+\/?$/, encodeURIComponent(code) + "/");
        a.textContent = code;
        li.appendChild(a);
        list.appendChild(li);
      });
      box.appendChild(list);
    }
  }

  function restoreDrafts(here) {
    var saves = here.map(function (h) {
      fill(h.fs, h.item.fields);
      setLoaded(h.fs, h.item.loaded || {});
      versionInput(h.fs).value = h.item.version || 0;
      return save(h.fs).then(function (outcome) { return {code: h.item.code, outcome: outcome}; });
    });
    Promise.all(saves).then(function (results) {
      var box = notice("draft-notice");
      box.setAttribute("role", "status");
      [["saved", msg.restored], ["conflict", msg.restoredConflict], ["pending", msg.restoredPending]]
        .forEach(function (pair) {
          var codes = results.filter(function (r) {
            return pair[0] === "pending" ? ["saved", "conflict"].indexOf(r.outcome) < 0 : r.outcome === pair[0];
          }).map(function (r) { return r.code; });
          if (codes.length || pair[0] === "saved") {
            paragraph(box, pair[1] + " " + (codes.length ? codes.join(", ") : msg.restoredNone))
              .className = "restore-" + pair[0];
          }
        });
    });
  }

  fieldsets().forEach(function (fs) {
    toggleNvt(fs);
    fs.addEventListener("change", function (event) {
      if (event.target.name && /-resolve$/.test(event.target.name)) { return; }
      toggleNvt(fs);
      remember(fs);
      save(fs);
    });
    fs.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA") { return; }
      remember(fs);  // kept in this browser at once, saved when the typing pauses
      var s = stateOf(fs);
      if (s.timer) { clearTimeout(s.timer); }
      s.timer = setTimeout(function () { s.timer = null; save(fs); }, 800);
    });
  });

  window.addEventListener("online", function () {
    fieldsets().forEach(function (fs) {
      var s = state[keyOf(fs)];
      if (s && s.retry) { s.tries = 0; save(fs); }
    });
  });

  // Leaving the page (theme list, closing the tab) sends what is not yet confirmed; the draft
  // stays in this browser until a later page finds it saved.
  window.addEventListener("pagehide", function () {
    if (sessionEnded || submitting) { return; }
    var drafts = readDrafts();
    fieldsets().forEach(function (fs) {
      var s = stateOf(fs);
      if (!s.timer && !drafts[keyOf(fs)]) { return; }
      if (s.timer) { clearTimeout(s.timer); s.timer = null; }
      try {
        fetch(url, {method: "POST", body: payload(fs, current(fs)), credentials: "same-origin",
                    headers: {"X-Requested-With": "fetch"}, keepalive: true});
      } catch (e) { /* the draft stays */ }
    });
  });

  // "Volgende" waits for saves under way, so the form posts the versions they produced.
  form.addEventListener("submit", function (event) {
    if (submitting) { return; }
    var submitter = event.submitter;
    if (navigator.onLine === false) {
      event.preventDefault();
      paragraph(notice("offline-notice", "error"), msg.offline).setAttribute("role", "alert");
      return;
    }
    var pending = [];
    fieldsets().forEach(function (fs) {
      var s = stateOf(fs);
      if (s.busy || s.timer) { pending.push(save(fs)); }
    });
    if (!pending.length) { submitting = true; return; }
    event.preventDefault();
    Promise.all(pending).then(function () {
      submitting = true;
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
    });
  });

  offerDrafts();
})();
