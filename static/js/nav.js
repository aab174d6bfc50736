/* The main navigation collapses behind a "Menu" button on narrow screens (static/css/site.css,
 * .nav-js). Without this script the button stays hidden and the list is always shown. The
 * button is a disclosure: Enter and Space open and close it (native button), aria-expanded
 * tells the state, Escape closes the menu and returns focus to the button. Only classes and
 * attributes change here: the Content-Security-Policy allows no inline styles. */
(function () {
  "use strict";
  var nav = document.querySelector("[data-collapsible-nav]");
  if (!nav) { return; }
  var button = nav.querySelector(".nav-toggle");
  var list = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!list) { return; }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  function isOpen() {
    return button.getAttribute("aria-expanded") === "true";
  }

  nav.classList.add("nav-js");
  setOpen(false);
  button.hidden = false;

  button.addEventListener("click", function () {
    setOpen(!isOpen());
  });

  document.addEventListener("keydown", function (event) {
    // Only while the button is shown: on wide screens the list is always visible.
    if (event.key !== "Escape" || !isOpen() || !button.offsetParent) { return; }
    var focusInNav = nav.contains(document.activeElement);
    setOpen(false);
    if (focusInNav) { button.focus(); }
  });
})();
