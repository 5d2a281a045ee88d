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

  // Bars that stay at the top of the screen (the save buttons on a wide screen, the
  // body's toolbar on a phone) must not hide what has focus or the caret being typed at:
  // the page's scroll padding (editor.css) follows the height of the one that is sticky.
  var stickyBars = document.querySelectorAll(".article-form > .form-actions, .body-editor .md-toolbar");
  if (stickyBars.length && window.ResizeObserver) {
    var measure = function () {
      var tallest = 0;
      stickyBars.forEach(function (bar) {
        if (!bar.hidden && getComputedStyle(bar).position === "sticky") {
          tallest = Math.max(tallest, bar.getBoundingClientRect().height);
        }
      });
      document.documentElement.style.setProperty("--sticky-height", Math.ceil(tallest) + "px");
    };
    var watcher = new ResizeObserver(measure);
    stickyBars.forEach(function (bar) { watcher.observe(bar); });
    window.addEventListener("resize", measure);
  }

  // One-time secrets (invitation links, temporary passwords) select themselves on focus.
  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
