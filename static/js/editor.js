// Byline editor: small enhancements; every form works without this file.
(function () {
  "use strict";

  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var button = event.submitter || event.target.querySelector("[data-confirm]");
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // A "select all" box over a list's checkboxes (the moderation queue). It is hidden in
  // the page, so without this file there is no box that does nothing.
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var name = all.getAttribute("data-select-all");
    var wrapper = all.closest("[hidden]");
    if (!all.form) { return; }
    var boxes = function () {
      return Array.prototype.filter.call(all.form.elements, function (box) {
        return box.type === "checkbox" && box.name === name;
      });
    };
    var sync = function () {
      var list = boxes();
      var ticked = list.filter(function (box) { return box.checked; }).length;
      all.checked = list.length > 0 && ticked === list.length;
      all.indeterminate = ticked > 0 && ticked < list.length;
    };
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    all.form.addEventListener("change", function (event) {
      if (event.target.name === name) { sync(); }
    });
    sync();
    if (wrapper) { wrapper.hidden = false; }
  });

  // One-time secrets (invitation links, temporary passwords) select themselves on focus.
  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
