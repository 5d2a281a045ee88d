// Byline editor: "Insert an image in the body" without leaving the page. Pressing "Upload
// image" sends the image and its alt text alone (POST editor.image_upload) and puts the
// Markdown line that comes back at the body's cursor (after the paragraph, when the cursor
// is inside one), on a line of its own. Without this file the button sends the whole form
// and the line comes back at the end of the body.
(function () {
  "use strict";

  var BUTTON_TEXT = "Upload image";

  // Type text at the textarea's cursor so that Ctrl+Z takes it out again; the browser's
  // own input event tells the live preview and the draft autosave.
  function typeAt(textarea, at, text) {
    textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(at, at);
    var typed = false;
    try {
      typed = document.execCommand("insertText", false, text);
    } catch (error) {
      typed = false;
    }
    if (!typed) {
      textarea.setRangeText(text, at, at, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // The line with what it needs around it to be a paragraph of its own: a blank line
  // before and after, unless the body starts or ends there or already has one.
  function onItsOwnLines(line, before, after) {
    var lead = "";
    if (before !== "" && !/\n\n$/.test(before)) {
      lead = /\n$/.test(before) ? "\n" : "\n\n";
    }
    var trail = "\n";
    if (after !== "") {
      trail = /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    }
    return { text: lead + line + trail, caret: lead.length + line.length + trail.length };
  }

  // Where the paragraph around `at` ends: its last character's end, before the blank line
  // or the end of the body. `at` itself on a line with nothing on it (between paragraphs,
  // or at the end of the body).
  function paragraphEnd(value, at) {
    var lineStart = value.lastIndexOf("\n", at - 1) + 1;
    var lineEnd = value.indexOf("\n", at);
    if (lineEnd === -1) {
      lineEnd = value.length;
    }
    if (/^[ \t]*$/.test(value.slice(lineStart, lineEnd))) {
      return at;
    }
    var blank = value.slice(at).search(/\n[ \t]*(\n|$)/);
    return blank === -1 ? value.length : at + blank;
  }

  function setUp(box) {
    var form = box.closest("form");
    var button = box.querySelector("[data-body-image-upload]");
    var status = box.querySelector("[data-body-image-status]");
    var url = box.getAttribute("data-upload-url");
    if (!form || !button || !status || !url || !window.FormData || !window.fetch) {
      return;
    }
    var body = form.elements.body;
    var file = form.elements.body_image;
    var alt = form.elements.body_image_alt;
    var token = form.elements.csrf_token;
    if (!body || !file || !alt || !token) {
      return;
    }

    // Where the cursor was when the body last had focus (pressing the button takes the
    // focus away); the end of the body until the writer has been in it.
    var cursor = null;
    body.addEventListener("blur", function () {
      cursor = body.selectionEnd;
    });

    function say(message, isError) {
      status.textContent = message;
      status.classList.toggle("field-errors", Boolean(isError));
    }

    function describedBy(input, id, isOn) {
      var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (each) {
        return each && each !== id;
      });
      if (isOn) {
        ids.push(id);
      }
      if (ids.length) {
        input.setAttribute("aria-describedby", ids.join(" "));
      } else {
        input.removeAttribute("aria-describedby");
      }
    }

    // The same markup as the field macro's (templates/_macros/forms.html).
    function markField(input, message) {
      var field = input.closest(".field");
      var id = input.id + "-errors";
      var list = document.getElementById(id);
      if (!list) {
        list = document.createElement("ul");
        list.className = "field-errors";
        list.id = id;
        field.appendChild(list);
      }
      var item = document.createElement("li");
      item.textContent = message;
      list.replaceChildren(item);
      field.classList.add("has-errors");
      input.setAttribute("aria-invalid", "true");
      describedBy(input, id, true);
    }

    function clearField(input) {
      var id = input.id + "-errors";
      var list = document.getElementById(id);
      if (list) {
        list.remove();
      }
      input.closest(".field").classList.remove("has-errors");
      input.removeAttribute("aria-invalid");
      describedBy(input, id, false);
    }

    // `errors`: {field name, or "" for none: message}, as the server sends them.
    function showErrors(errors) {
      var elsewhere = [];
      Object.keys(errors).forEach(function (name) {
        var input = name === "body_image" ? file : name === "body_image_alt" ? alt : null;
        if (input) {
          markField(input, errors[name]);
        } else {
          elsewhere.push(errors[name]);
        }
      });
      say(elsewhere.join(" ") || "The image was not uploaded: see the message beside the field.", true);
    }

    // Put the line where the cursor was, or, with the cursor in a paragraph (mid-word,
    // mid-line, in a list), after that paragraph; says where that is.
    function insert(line) {
      var value = body.value;
      var at = cursor === null ? value.length : Math.min(cursor, value.length);
      var where = cursor === null ? "The image is at the end of the body." : "The image is in the body, where the cursor was.";
      var end = paragraphEnd(value, at);
      if (end !== at) {
        at = end;
        where = "The image is in the body, after the paragraph the cursor was in.";
      }
      var block = onItsOwnLines(line, value.slice(0, at), value.slice(at));
      typeAt(body, at, block.text);
      cursor = at + block.caret;
      body.setSelectionRange(cursor, cursor);
      file.value = "";
      alt.value = "";
      button.focus({ preventScroll: true });
      return where;
    }

    function refusal(response, data) {
      if (data && data.errors && typeof data.errors === "object") {
        return data.errors;
      }
      if (response.status === 413) {
        return { body_image: "That file is too large: at most 10 MB, please." };
      }
      if (response.status === 400) {  // the CSRF page: the session this page began in is over
        return { "": "The image was not uploaded: this page has expired (signed out, or signed in again elsewhere). Copy your text, then reload the page." };
      }
      return { "": "The image could not be uploaded (the site answered " + response.status + "). Your text is safe; reload the page and try again." };
    }

    function upload() {
      clearField(file);
      clearField(alt);
      var chosen = file.files && file.files[0];
      var data = new FormData();
      if (chosen) {
        // Without alt text the server refuses the image whatever it is: an empty stand-in
        // hears that, so a phone does not send megabytes first.
        data.append("body_image", alt.value.trim() ? chosen : new Blob([]), chosen.name || "image");
      }
      data.append("body_image_alt", alt.value);
      button.disabled = true;
      button.textContent = "Uploading…";
      box.setAttribute("aria-busy", "true");
      say(chosen && alt.value.trim() ? "Uploading the image…" : "", false);
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Accept": "application/json", "X-CSRFToken": token.value },
        body: data
      }).then(function (response) {
        finish();
        if (response.type === "opaqueredirect") {
          say("The image was not uploaded: you have been signed out. Sign in again in another tab, then press Upload image again; your text is still here.", true);
          return;
        }
        return response.json().catch(function () { return null; }).then(function (answer) {
          if (response.ok && answer && typeof answer.markdown === "string") {
            say(insert(answer.markdown), false);
          } else {
            showErrors(refusal(response, answer));
          }
        });
      }).catch(function () {
        finish();
        say("The image could not be uploaded: the site did not answer. Your text is safe; try again.", true);
      });
    }

    // The button again, and the focus on it if disabling it took the focus away.
    function finish() {
      if (!button.disabled) {
        return;
      }
      button.disabled = false;
      button.textContent = BUTTON_TEXT;
      box.removeAttribute("aria-busy");
      if (!document.activeElement || document.activeElement === document.body) {
        button.focus({ preventScroll: true });
      }
    }

    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (!button.disabled) {
        upload();
      }
    });
    // Enter in the alt text uploads the image rather than saving the whole form.
    alt.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        button.click();
      }
    });
  }

  document.querySelectorAll("[data-body-image]").forEach(setUp);
})();
