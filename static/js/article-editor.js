// Byline article editor: a live side-by-side preview, drafts kept in this browser, and a
// warning before leaving unsaved text (the Markdown toolbar is markdown-toolbar.js). Each
// piece enhances the working form: without this file it saves and its Preview button previews.
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 700;  // after typing pauses
  var DRAFT_DELAY_MS = 800;
  var DRAFT_FIELDS = ["title", "slug", "brief", "summary", "body"];  // brief: articles; summary: pages
  var SPLIT_KEY = "byline:editor:side-by-side";

  function storage() {
    // localStorage can be missing or refuse access (privacy settings); then no drafts.
    try {
      var store = window.localStorage;
      store.getItem(SPLIT_KEY);
      return store;
    } catch (error) {
      return null;
    }
  }

  function debounce(action, wait) {
    var timer = null;
    function run() {
      timer = null;
      action();
    }
    return {
      schedule: function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(run, wait);
      },
      flush: function () {
        if (timer !== null) {
          window.clearTimeout(timer);
          run();
        }
      },
      cancel: function () {
        window.clearTimeout(timer);
        timer = null;
      }
    };
  }

  // ---------- Live preview, rendered by the server's own sanitiser ----------

  function setUpPreview(form, store) {
    var editor = form.querySelector("[data-body-editor]");
    var toggle = form.querySelector("[data-preview-toggle]");
    var pane = form.querySelector("#live-preview");
    var body = form.elements.body;
    var token = form.elements.csrf_token;
    if (!editor || !toggle || !pane || !body || !token) {
      return;
    }
    var output = pane.querySelector("[data-preview-output]");
    var status = pane.querySelector("[data-preview-status]");
    var shownText = null;
    var inFlight = false;
    var again = false;

    function say(message) {
      status.textContent = message;
    }

    function refresh() {
      if (pane.hidden || body.value === shownText) {
        return;
      }
      if (inFlight) {
        again = true;  // one request at a time; the newest text follows the current one
        return;
      }
      inFlight = true;
      var text = body.value;
      pane.setAttribute("aria-busy", "true");
      fetch(form.getAttribute("data-preview-url"), {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": token.value
        },
        body: JSON.stringify({ body: text })
      }).then(function (response) {
        if (response.type === "opaqueredirect") {
          say("The preview stopped: you have been signed out. Sign in again in another tab; your text is still here.");
          return null;
        }
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok && typeof data.html === "string") {
            output.innerHTML = data.html;  // sanitized by the server's renderer
            shownText = text;
            say("");
          } else if (response.status === 429) {
            say("The preview pauses for a minute after many updates. Your text is safe.");
          } else {
            say(data.error || "The preview could not be updated. Your text is safe; the Preview button still works.");
          }
        });
      }).catch(function () {
        say("The preview could not be updated: the site did not answer. Your text is safe.");
      }).then(function () {
        inFlight = false;
        pane.removeAttribute("aria-busy");
        if (again) {
          again = false;
          refresh();
        }
      });
    }

    var later = debounce(refresh, PREVIEW_DELAY_MS);
    body.addEventListener("input", later.schedule);

    function show(isOn) {
      toggle.setAttribute("aria-pressed", String(isOn));
      pane.hidden = !isOn;
      editor.classList.toggle("is-split", isOn);
      if (store) {
        try {
          if (isOn) {
            store.setItem(SPLIT_KEY, "1");
          } else {
            store.removeItem(SPLIT_KEY);
          }
        } catch (error) { /* the choice is simply not remembered */ }
      }
      if (isOn) {
        refresh();
      }
    }
    toggle.addEventListener("click", function () {
      show(toggle.getAttribute("aria-pressed") !== "true");
    });
    if (store && store.getItem(SPLIT_KEY) === "1") {
      show(true);
    }
  }

  // ---------- Drafts kept in this browser, and the warning before leaving ----------

  function fieldValues(form) {
    var values = {};
    DRAFT_FIELDS.forEach(function (name) {
      if (form.elements[name]) {
        values[name] = form.elements[name].value;
      }
    });
    return values;
  }

  function sameValues(a, b) {
    return DRAFT_FIELDS.every(function (name) { return (a[name] || "") === (b[name] || ""); });
  }

  // Everything the form would send except its token, to tell whether anything changed.
  function formState(form) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.name === "csrf_token" || element.disabled) {
        return;
      }
      if (element.type === "file") {
        parts.push(element.name + "=" + element.files.length);
      } else if (element.type === "checkbox" || element.type === "radio") {
        parts.push(element.name + "=" + (element.checked ? element.value : ""));
      } else if (element.type !== "submit" && element.type !== "button") {
        parts.push(element.name + "=" + element.value);
      }
    });
    return parts.join("\u0000");
  }

  function readDraft(store, key) {
    try {
      var draft = JSON.parse(store.getItem(key));
      return draft && typeof draft.fields === "object" && typeof draft.savedAt === "number" ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function setUpDrafts(form, store) {
    var prefix = "byline:draft:" + form.getAttribute("data-draft-user") + ":";
    var key = prefix + form.getAttribute("data-draft-article");
    var serverTime = Date.parse(form.getAttribute("data-updated") || "") || 0;
    // A page answering a POST (errors, conflict, preview, upload) shows text not saved yet.
    var isUnsavedPage = form.hasAttribute("data-unsaved");
    var notice = document.querySelector("[data-draft-notice]");
    var baseline = formState(form);
    var isSubmitting = false;
    var isWaiting = false;  // a kept draft awaits Restore or Discard: do not overwrite it

    function write(isSubmitted) {
      if (!store || isWaiting) {
        return;
      }
      try {
        store.setItem(key, JSON.stringify({
          fields: fieldValues(form),
          savedAt: Date.now(),
          submitted: Boolean(isSubmitted)
        }));
      } catch (error) { /* storage full or refused: the form still holds the text */ }
    }
    var autosave = debounce(function () { write(false); }, DRAFT_DELAY_MS);

    function isDirty() {
      return isUnsavedPage || formState(form) !== baseline;
    }

    if (store) {
      // The page after a successful save names the draft it made redundant.
      var savedKey = form.getAttribute("data-saved-draft");
      var saved = savedKey && readDraft(store, prefix + savedKey);
      if (saved && saved.submitted) {
        store.removeItem(prefix + savedKey);
      }
      var draft = readDraft(store, key);
      if (isUnsavedPage) {
        write(false);
      } else if (draft && sameValues(draft.fields, fieldValues(form))) {
        store.removeItem(key);  // the server already has this text
      } else if (draft && draft.savedAt > serverTime && notice) {
        offer(draft);
      }
    }

    function offer(draft) {
      isWaiting = true;
      var time = notice.querySelector("[data-draft-time]");
      var when = new Date(draft.savedAt);
      time.setAttribute("datetime", when.toISOString());
      time.textContent = when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
      notice.hidden = false;
      // After the browser has put back the reload's scroll position: the choice is in view.
      function reveal() {
        window.requestAnimationFrame(function () { notice.scrollIntoView({ block: "nearest" }); });
      }
      if (document.readyState === "complete") {
        reveal();
      } else {
        window.addEventListener("load", reveal, { once: true });
      }
      notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
        DRAFT_FIELDS.forEach(function (name) {
          var field = form.elements[name];
          if (field && typeof draft.fields[name] === "string") {
            field.value = draft.fields[name];
            field.dispatchEvent(new Event("input", { bubbles: true }));
          }
        });
        close();
        form.elements.body.focus();
      });
      notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
        store.removeItem(key);
        close();
      });
      function close() {
        isWaiting = false;
        notice.hidden = true;
        if (isDirty()) {
          write(false);
        }
      }
    }

    form.addEventListener("input", autosave.schedule);
    form.addEventListener("change", autosave.schedule);
    // Leaving or hiding the page saves at once what the pause did not save yet.
    window.addEventListener("pagehide", autosave.flush);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        autosave.flush();
      }
    });
    // Listening on the document runs after editor.js's confirmation, which may cancel.
    document.addEventListener("submit", function (event) {
      if (event.target !== form || event.defaultPrevented) {
        return;
      }
      var target = event.submitter && event.submitter.getAttribute("formtarget");
      if ((target || form.getAttribute("target")) === "_blank") {
        // Preview answers in a new tab: this page stays, unsaved, and so does its draft.
        autosave.flush();
        return;
      }
      isSubmitting = true;
      autosave.cancel();
      write(true);
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        isSubmitting = false;
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (isSubmitting || !isDirty()) {
        return;
      }
      autosave.flush();
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value to ask
    });
  }

  var store = storage();
  var form = document.querySelector("[data-article-form]");
  if (form) {
    setUpPreview(form, store);
    setUpDrafts(form, store);
  }
})();
