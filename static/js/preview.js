// Byline's Preview page: "Close the preview" closes the tab the editor's Preview button
// opened. Where the browser keeps the tab open (it holds other pages too), the link leads
// to the editor, as it does without this file.
(function () {
  "use strict";

  document.querySelectorAll("[data-close-preview]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.close();
      if (!window.closed) {
        window.location.assign(link.href);
      }
    });
  });
})();
