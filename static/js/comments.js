// Byline reader comments: reply in place, remember the reader's name on this device, copy
// a comment's link, and the edit page's deadline in the reader's own time.
// Without this file everything still works: Reply is a link that reloads the page with
// the form set for that comment, and the edit page gives its deadline in the site's time.
(function () {
  "use strict";

  var COMMENTER_KEY = "byline.commenter";

  function storage() {
    try {
      var store = window.localStorage;
      store.getItem(COMMENTER_KEY); // throws where storage is switched off
      return store;
    } catch (error) {
      return null;
    }
  }

  function bdi(text) {
    var element = document.createElement("bdi");
    element.textContent = text;
    return element;
  }

  // ---------- The edit page: the deadline in local time, and the minutes left ----------

  function minutesLeftText(deadline) {
    var seconds = (deadline - Date.now()) / 1000;
    if (seconds <= 0) {
      return "the time is up";
    }
    if (seconds < 60) {
      return "less than a minute left";
    }
    var minutes = Math.floor(seconds / 60);
    return minutes + (minutes === 1 ? " minute left" : " minutes left");
  }

  function showLocalTimes() {
    document.querySelectorAll("time[data-local-clock]").forEach(function (time) {
      var moment = new Date(time.getAttribute("datetime"));
      if (isNaN(moment.getTime())) {
        return;
      }
      time.textContent = moment.toLocaleTimeString([], {
        hour: "numeric",
        minute: "2-digit",
        timeZoneName: "short"
      });
    });
    var counters = document.querySelectorAll("[data-time-left]");
    if (!counters.length) {
      return;
    }
    function tick() {
      counters.forEach(function (counter) {
        var deadline = new Date(counter.getAttribute("data-time-left")).getTime();
        if (!isNaN(deadline)) {
          counter.textContent = minutesLeftText(deadline);
        }
      });
    }
    tick();
    window.setInterval(tick, 15000);
  }

  // Ask before a destructive button (data-confirm) sends its form.
  function confirmDestructive() {
    document.addEventListener("submit", function (event) {
      var button = event.submitter;
      var message = button && button.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        event.preventDefault();
      }
    });
  }

  // ---------- The article page's comment form ----------

  var form = document.getElementById("comment-form");

  // Reply in place: the form moves under the comment, and back on "Cancel reply".
  function inlineReplies() {
    var parent = form.querySelector('input[name="parent_id"]');
    var title = form.querySelector(".comment-form-title");
    var body = form.querySelector("textarea");
    var submit = form.querySelector('button[type="submit"]');
    if (!parent || !title || !submit) {
      return;
    }
    var home = null; // marks where the form lives when it replies to nobody in place
    var original = null;
    var cancel = null;
    var opener = null;

    function remember() {
      home = document.createComment("comment-form");
      form.parentNode.insertBefore(home, form);
      original = {
        parent: parent.value,
        title: Array.prototype.slice.call(title.childNodes),
        replying: form.querySelector(".comment-replying")
      };
      cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "comment-reply-cancel";
      cancel.textContent = "Cancel reply";
      cancel.addEventListener("click", putBack);
    }

    function putBack() {
      home.parentNode.insertBefore(form, home);
      parent.value = original.parent;
      title.replaceChildren.apply(title, original.title);
      if (original.replying) {
        original.replying.hidden = false;
      }
      cancel.remove();
      form.classList.remove("comment-form-inline");
      if (opener) {
        opener.focus();
      }
      opener = null;
    }

    function replyTo(link, comment, commentId) {
      if (!home) {
        remember();
      }
      var author = comment.querySelector(":scope > article .comment-author");
      var name = author ? author.textContent.trim() : "";
      var article = comment.querySelector(":scope > article");
      comment.insertBefore(form, article ? article.nextSibling : comment.firstChild);
      form.classList.add("comment-form-inline");
      parent.value = commentId;
      title.replaceChildren(document.createTextNode("Reply to "), bdi(name));
      if (original.replying) {
        original.replying.hidden = true; // it names the comment of the page's ?reply=
      }
      submit.insertAdjacentElement("afterend", cancel);
      opener = link;
      if (body) {
        body.focus();
      }
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.comment-reply");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
        return;
      }
      var commentId = new URL(link.href).searchParams.get("reply");
      var comment = link.closest("li.comment");
      if (!commentId || !/^\d+$/.test(commentId) || !comment) {
        return;
      }
      event.preventDefault();
      replyTo(link, comment, commentId);
    });
  }

  // "Remember my name and e-mail on this device": kept in this browser's storage only,
  // so the article page stays the same for every reader and may be cached.
  function rememberMe() {
    var name = document.getElementById("comment-name");
    var email = document.getElementById("comment-email");
    var box = document.getElementById("comment-remember");
    var store = storage();
    if (!name || !box || !store) {
      return;
    }
    box.closest(".comment-remember").hidden = false;
    var saved = null;
    try {
      saved = JSON.parse(store.getItem(COMMENTER_KEY) || "null");
    } catch (error) {
      saved = null;
    }
    if (saved && typeof saved.name === "string") {
      box.checked = true;
      if (!name.value) {
        name.value = saved.name;
      }
      if (email && !email.value && typeof saved.email === "string") {
        email.value = saved.email;
      }
    }
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) {
        return;
      }
      try {
        if (box.checked) {
          var kept = { name: name.value.trim(), email: email ? email.value.trim() : "" };
          store.setItem(COMMENTER_KEY, JSON.stringify(kept));
        } else {
          store.removeItem(COMMENTER_KEY);
        }
      } catch (error) {
        // Storage full or refused: the comment is sent all the same.
      }
    });
  }

  // ---------- Copy a comment's link ----------

  function commentUrl(commentId) {
    var canonical = document.querySelector('link[rel="canonical"]');
    var url = new URL(canonical ? canonical.href : window.location.href);
    // Keep the page of the thread and its order (?comments=, ?sort=), not ?reply=.
    var shown = new URL(window.location.href).searchParams;
    shown.delete("reply");
    url.search = shown.toString();
    url.hash = "comment-" + commentId;
    return url.href;
  }

  function copyLinks() {
    var section = document.getElementById("comments");
    var permalinks = section ? section.querySelectorAll(".comment-permalink") : [];
    if (!permalinks.length) {
      return;
    }
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    section.appendChild(status);

    function announce(button, text) {
      status.textContent = text;
      var label = button.querySelector(".comment-copy-label");
      label.textContent = "Link copied";
      window.setTimeout(function () {
        label.textContent = "Copy link";
      }, 2500);
    }

    permalinks.forEach(function (permalink) {
      var comment = permalink.closest("li.comment");
      var commentId = comment && comment.id.replace(/^comment-/, "");
      if (!commentId || !/^\d+$/.test(commentId)) {
        return;
      }
      var author = comment.querySelector(":scope > article .comment-author");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "comment-copy-link";
      var label = document.createElement("span");
      label.className = "comment-copy-label";
      label.textContent = "Copy link";
      var whose = document.createElement("span");
      whose.className = "visually-hidden";
      whose.append(" to ", bdi(author ? author.textContent.trim() : ""), "’s comment");
      button.append(label, whose);
      permalink.insertAdjacentElement("afterend", button);
    });

    section.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button.comment-copy-link");
      if (!button) {
        return;
      }
      var url = commentUrl(button.closest("li.comment").id.replace(/^comment-/, ""));
      function byHand() {
        // No clipboard access (e.g. not https): let the reader copy it from a prompt.
        window.prompt("Copy this link:", url);
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(function () {
          announce(button, "Link to the comment copied.");
        }, byHand);
      } else {
        byHand();
      }
    });
  }

  showLocalTimes();
  confirmDestructive();
  if (form) {
    inlineReplies();
    rememberMe();
  }
  copyLinks();
})();
