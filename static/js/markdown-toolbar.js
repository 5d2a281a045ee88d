// Byline editor: a Markdown toolbar for the textareas it names (templates/editor/_markdown.html):
// bold, italic, heading, link, quote, lists and code, with Ctrl/Cmd+B, I and K. The toolbar
// starts hidden, so without this file the textarea is as it always was.
(function () {
  "use strict";

  // Replace the selection with text, then select [from, to) of the inserted text.
  function insert(textarea, text, from, to) {
    var start = textarea.selectionStart;
    textarea.focus();
    var inserted = false;
    try {
      // execCommand keeps the browser's undo history (Ctrl+Z undoes the formatting).
      inserted = document.execCommand("insertText", false, text);
    } catch (error) {
      inserted = false;
    }
    if (!inserted) {
      textarea.setRangeText(text, start, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    textarea.setSelectionRange(start + from, start + to);
  }

  // How many `character`s run up to (step -1) or on from (step 1) the index.
  function runLength(value, index, step, character) {
    var count = 0;
    var at = step < 0 ? index - 1 : index;
    while (at >= 0 && value.charAt(at) === character) {
      count += 1;
      at += step;
    }
    return count;
  }

  function wrap(textarea, marker, placeholder) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var size = marker.length;
    var before = runLength(value, start, -1, marker.charAt(0));
    var after = runLength(value, end, 1, marker.charAt(0));
    // Pressing again removes the markers (** for bold is not mistaken for * of italic).
    var wrapped = size === 1 ? before % 2 === 1 && after % 2 === 1 : before >= 2 && after >= 2;
    if (marker === "`") {
      wrapped = before === 1 && after === 1;
    }
    if (wrapped && start !== end) {
      var inner = value.slice(start, end);
      textarea.setSelectionRange(start - size, end + size);
      insert(textarea, inner, 0, inner.length);
      return;
    }
    var selected = value.slice(start, end) || placeholder;
    // Markdown ignores "** word **": spaces stay outside the markers.
    var lead = selected.match(/^\s*/)[0];
    var rest = selected.slice(lead.length);
    var trail = rest.match(/\s*$/)[0];
    var core = rest.slice(0, rest.length - trail.length) || placeholder;
    insert(
      textarea,
      lead + marker + core + marker + trail,
      lead.length + size,
      lead.length + size + core.length
    );
  }

  function code(textarea) {
    var value = textarea.value;
    var selected = value.slice(textarea.selectionStart, textarea.selectionEnd);
    if (selected.indexOf("\n") === -1) {
      wrap(textarea, "`", "code");
      return;
    }
    var start = textarea.selectionStart;
    var opening = (start > 0 && value.charAt(start - 1) !== "\n" ? "\n" : "") + "```\n";
    var block = opening + selected.replace(/\n$/, "") + "\n```\n";
    insert(textarea, block, opening.length, opening.length + selected.replace(/\n$/, "").length);
  }

  var LINE_FORMATS = {
    heading: { pattern: /^#{1,6}\s+/, prefix: function () { return "## "; } },
    quote: { pattern: /^>\s?/, prefix: function () { return "> "; } },
    bullets: { pattern: /^[-*+]\s+/, prefix: function () { return "- "; } },
    numbers: { pattern: /^\d+[.)]\s+/, prefix: function (index) { return index + 1 + ". "; } }
  };

  // Add the format's prefix to every selected line, or remove it when all have it.
  function formatLines(textarea, format) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    if (end > start && value.charAt(end - 1) === "\n") {
      end -= 1;
    }
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    var lineEnd = value.indexOf("\n", end);
    if (lineEnd === -1) {
      lineEnd = value.length;
    }
    var lines = value.slice(lineStart, lineEnd).split("\n");
    var hasAll = lines.every(function (line) { return format.pattern.test(line); });
    var changed = lines.map(function (line, index) {
      if (hasAll) {
        return line.replace(format.pattern, "");
      }
      return line.trim() === "" && lines.length > 1 ? line : format.prefix(index) + line;
    }).join("\n");
    textarea.setSelectionRange(lineStart, lineEnd);
    if (start === end && lines.length === 1) {
      insert(textarea, changed, changed.length, changed.length);
    } else {
      insert(textarea, changed, 0, changed.length);
    }
  }

  function link(textarea) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd).trim();
    if (/^(https?:\/\/|mailto:)\S+$/.test(selected)) {
      insert(textarea, "[link text](" + selected + ")", 1, 10);
      return;
    }
    var text = "[" + (selected || "link text") + "](https://)";
    insert(textarea, text, text.length - 9, text.length - 1);
  }

  var ACTIONS = {
    bold: function (textarea) { wrap(textarea, "**", "bold text"); },
    italic: function (textarea) { wrap(textarea, "*", "italic text"); },
    code: code,
    link: link
  };
  Object.keys(LINE_FORMATS).forEach(function (name) {
    ACTIONS[name] = function (textarea) { formatLines(textarea, LINE_FORMATS[name]); };
  });
  var SHORTCUTS = { b: "bold", i: "italic", k: "link" };

  function setUpToolbar(toolbar) {
    var textarea = document.getElementById(toolbar.getAttribute("data-markdown-toolbar"));
    if (!textarea) {
      return;
    }
    textarea.parentNode.insertBefore(toolbar, textarea);
    toolbar.hidden = false;
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));

    // One tab stop for the whole toolbar; arrow keys, Home and End move along it.
    function rove(target) {
      buttons.forEach(function (button) { button.tabIndex = button === target ? 0 : -1; });
    }
    rove(buttons[0]);
    toolbar.addEventListener("focusin", function (event) {
      if (buttons.indexOf(event.target) !== -1) {
        rove(event.target);
      }
    });
    toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      var moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1 };
      if (index === -1 || !(event.key in moves)) {
        return;
      }
      event.preventDefault();
      var next = buttons[(moves[event.key] + buttons.length) % buttons.length];
      rove(next);
      next.focus();
    });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-markdown]");
      if (button) {
        ACTIONS[button.getAttribute("data-markdown")](textarea);
      }
    });
    textarea.addEventListener("keydown", function (event) {
      var action = SHORTCUTS[event.key.toLowerCase()];
      if (action && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        ACTIONS[action](textarea);
      }
    });
  }

  document.querySelectorAll("[data-markdown-toolbar]").forEach(setUpToolbar);
})();
