// Byline's Preview page: "Close the preview" closes the tab the editor's Preview button
// opened. Where the browser keeps the tab open (it holds other pages too), the page stays
// and the banner says to switch back to the editor's tab: loading the editor here would
// make a second editor with the text as last saved. Without this file the link leads to
// the editor.
(function () {
  "use strict";

  var status = document.querySelector("[data-preview-status]");

  document.querySelectorAll("[data-close-preview]").forEach(function (link) {
    link.removeAttribute("title"); // it speaks of the link without this file
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.close();
      if (!window.closed && status) {
        status.textContent = "Switch back to the editor’s tab to go on writing.";
      }
    });
  });
})();
