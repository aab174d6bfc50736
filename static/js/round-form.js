// The round form: "Alle" / "Geen" buttons per sector, bestuur and wijk tick or clear the
// schools of that group. Without JavaScript the group checkboxes do the same on the server.
(function () {
  "use strict";
  var picker = document.getElementById("school-picker");
  if (!picker) { return; }
  var labelAll = picker.getAttribute("data-label-all");
  var labelNone = picker.getAttribute("data-label-none");

  function schools(kind, value) {
    return picker.querySelectorAll(
      'input[name="invited_schools"][data-' + kind + '="' + value + '"]'
    );
  }

  function button(text, name, option, checked) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button secondary button-small";
    b.textContent = text;
    b.setAttribute("aria-label", text + ": " + name);
    b.addEventListener("click", function () {
      var boxes = schools(option.getAttribute("data-group-kind"), option.getAttribute("data-group-value"));
      for (var i = 0; i < boxes.length; i++) { boxes[i].checked = checked; }
      if (!checked) {
        // the group's own checkbox would invite them all again on the server
        var own = option.querySelector('input[type="checkbox"]');
        if (own) { own.checked = false; }
      }
    });
    return b;
  }

  var options = picker.querySelectorAll(".group-option");
  for (var i = 0; i < options.length; i++) {
    var option = options[i];
    var name = option.getAttribute("data-group-label");
    var span = document.createElement("span");
    span.className = "group-buttons";
    span.appendChild(button(labelAll, name, option, true));
    span.appendChild(button(labelNone, name, option, false));
    option.appendChild(span);
  }
})();
