// Byline share buttons: the count and the thank-you in place, copy link, native share.
// Without this file every button still works: it is a form that counts the share and
// then sends the reader on to the network (a 303 from the server).
(function () {
  "use strict";

  var block = document.getElementById("share");
  if (!block || !window.fetch || !window.URLSearchParams || !window.FormData) {
    return;
  }
  var total = block.querySelector(".share-total");
  var noun = block.querySelector(".share-noun");
  var thanks = block.querySelector(".share-thanks");

  // The page may come from a cache that shows a count up to a minute old. After a share,
  // this browser remembers the count it showed for a few minutes, so that a reload never
  // takes the reader's own share away; the larger of the two figures is shown.
  var SHARES_KEY = "byline.shares";
  var KEEP_MS = 5 * 60 * 1000;
  var canonical = document.querySelector('link[rel="canonical"]');
  var article = canonical ? canonical.href : window.location.pathname;

  function keptCounts() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(SHARES_KEY) || "{}");
      return kept && typeof kept === "object" ? kept : {};
    } catch (error) {
      return {}; // storage switched off, or not ours to read
    }
  }

  function keepCount(count) {
    var kept = keptCounts();
    var now = Date.now();
    Object.keys(kept).forEach(function (key) {
      if (!kept[key] || !(now - kept[key].at < KEEP_MS)) {
        delete kept[key];
      }
    });
    kept[article] = { count: count, at: now };
    try {
      window.localStorage.setItem(SHARES_KEY, JSON.stringify(kept));
    } catch (error) {
      // Nothing kept: a reload may show the cached figure.
    }
  }

  function keptCount() {
    var mine = keptCounts()[article];
    var age = mine ? Date.now() - mine.at : Infinity;
    return age >= 0 && age < KEEP_MS && typeof mine.count === "number" ? mine.count : null;
  }

  function showCount(count) {
    if (typeof count !== "number") {
      return;
    }
    if (total) {
      total.textContent = String(count);
    }
    if (noun) {
      noun.textContent = noun.getAttribute(count === 1 ? "data-one" : "data-many");
    }
  }

  function thank() {
    if (thanks) {
      thanks.hidden = false;
    }
  }

  // Count the share (the server answers JSON to this request). keepalive lets the
  // request finish even when the page is left, e.g. for the mail program.
  function count(form) {
    thank();
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      keepalive: true
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && typeof data.count === "number") {
          showCount(data.count);
          keepCount(data.count);
        }
      })
      .catch(function () {
        // The share itself happened; only the updated count is missing.
      });
  }

  function flashLabel(button) {
    var done = button.getAttribute("data-done-label");
    if (!done) {
      return;
    }
    var original = button.textContent;
    button.textContent = done;
    window.setTimeout(function () {
      button.textContent = original;
    }, 2500);
  }

  function copyLink(form, url) {
    var button = form.querySelector("button");
    function copied() {
      if (button) {
        flashLabel(button);
      }
      count(form);
    }
    function byHand() {
      // No clipboard access (e.g. not https): let the reader copy it from a prompt.
      if (window.prompt("Copy this link:", url) !== null) {
        count(form);
      }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(copied, byHand);
    } else {
      byHand();
    }
  }

  function nativeShare(form, url) {
    navigator
      .share({ title: form.getAttribute("data-share-title") || document.title, url: url })
      .then(
        function () {
          count(form);
        },
        function () {
          // Dismissed by the reader, or not allowed: nothing was shared.
        }
      );
  }

  block.addEventListener("submit", function (event) {
    var form = event.target;
    var network = form.getAttribute("data-network");
    var url = form.getAttribute("data-share-url");
    if (!network || !url) {
      return; // not ours: let the form submit as it would without JavaScript
    }
    event.preventDefault();
    if (network === "copy") {
      copyLink(form, url);
    } else if (network === "native") {
      nativeShare(form, url);
    } else if (network === "email") {
      count(form);
      window.location.href = url;
    } else {
      // Open the network now, inside the click, so no pop-up blocker stops it; the count
      // travels separately. The new tab gets no handle on this page (noopener).
      window.open(url, "_blank", "noopener");
      count(form);
    }
  });

  var mine = keptCount();
  if (total && mine !== null && mine > parseInt(total.textContent, 10)) {
    showCount(mine);
  }

  // Buttons that need this script: copy link always, the share sheet where there is one.
  block.querySelectorAll(".share-js-only").forEach(function (item) {
    var network = item.querySelector("[data-network]");
    var kind = network && network.getAttribute("data-network");
    if (kind === "copy" || (kind === "native" && typeof navigator.share === "function")) {
      item.hidden = false;
    }
  });
})();
