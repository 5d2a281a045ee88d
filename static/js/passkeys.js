// Byline passkeys: adding one on the profile and signing in with one. The passkey parts of
// a page stay hidden (and a sentence says why) where the browser has no WebAuthn.
(function () {
  "use strict";

  var supported = !!(window.PublicKeyCredential && navigator.credentials &&
    navigator.credentials.create && navigator.credentials.get);

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = window.atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, function (ch) { return ch.charCodeAt(0); });
  }

  function toText(buffer) {
    var binary = "";
    new Uint8Array(buffer).forEach(function (byte) { binary += String.fromCharCode(byte); });
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBytes(descriptors) {
    return (descriptors || []).map(function (d) {
      return Object.assign({}, d, { id: toBytes(d.id) });
    });
  }

  // The server's answer as JSON; a page instead (a limit, an expired form) as an error.
  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        throw new Error(response.status === 429
          ? "Too many attempts. Please wait 15 minutes and try again."
          : "Something went wrong. Reload the page and try again.");
      }
      return response.json().then(function (data) {
        if (!response.ok) {
          if (data.redirect) { window.location.assign(data.redirect); }
          throw new Error(data.error || "Something went wrong. Please try again.");
        }
        return data;
      });
    });
  }

  function show(box, error) {
    var message = box.querySelector("[data-passkey-message]");
    // The browser's own refusals (cancelled, timed out) name no reason worth showing.
    message.textContent = error.name === "NotAllowedError" || error.name === "AbortError"
      ? "The passkey request was cancelled or timed out."
      : error.message;
    message.hidden = false;
  }

  function credentialJSON(credential, response) {
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: response
    };
  }

  function addPasskey(form) {
    var name = form.querySelector("input[type=text], input:not([type])").value;
    var password = form.querySelector("input[type=password]");
    var csrf = form.getAttribute("data-csrf");
    var asked = { name: name, password: password.value };
    password.value = "";  // sent once, for the options; not kept in the page
    return post(form.getAttribute("data-options-url"), csrf, asked)
      .then(function (options) {
        options.challenge = toBytes(options.challenge);
        options.user.id = toBytes(options.user.id);
        options.excludeCredentials = withBytes(options.excludeCredentials);
        return navigator.credentials.create({ publicKey: options });
      })
      .then(function (credential) {
        var response = credential.response;
        return post(form.getAttribute("data-url"), csrf, {
          name: name,
          credential: credentialJSON(credential, {
            clientDataJSON: toText(response.clientDataJSON),
            attestationObject: toText(response.attestationObject),
            transports: response.getTransports ? response.getTransports() : []
          })
        });
      });
  }

  function signIn(box) {
    var csrf = box.getAttribute("data-csrf");
    var secondStep = box.hasAttribute("data-second-step");
    return post(box.getAttribute("data-options-url"), csrf, { second_step: secondStep })
      .then(function (options) {
        if (options.redirect) { return options; }
        options.challenge = toBytes(options.challenge);
        options.allowCredentials = withBytes(options.allowCredentials);
        return navigator.credentials.get({ publicKey: options }).then(function (credential) {
          var response = credential.response;
          var remember = document.getElementById(box.getAttribute("data-remember") || "");
          return post(box.getAttribute("data-url"), csrf, {
            remember: !!(remember && remember.checked),
            next: box.getAttribute("data-next") || null,
            credential: credentialJSON(credential, {
              clientDataJSON: toText(response.clientDataJSON),
              authenticatorData: toText(response.authenticatorData),
              signature: toText(response.signature),
              userHandle: response.userHandle ? toText(response.userHandle) : null
            })
          });
        });
      });
  }

  // Where the server sends the browser next; the same page again (only its #fragment
  // differs, which would not load it) is reloaded, so the new passkey shows.
  function follow(data) {
    var target = new URL(data.redirect, window.location.href);
    var here = window.location;
    if (target.pathname === here.pathname && target.search === here.search) {
      here.hash = target.hash;
      here.reload();
    } else {
      here.assign(target.href);
    }
  }

  if (!supported) { return; }
  document.querySelectorAll("[data-passkey-unsupported]").forEach(function (note) {
    note.hidden = true;
  });

  document.querySelectorAll("[data-passkey-add]").forEach(function (form) {
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      addPasskey(form).then(follow, function (error) {
        button.disabled = false;
        show(form, error);
      });
    });
  });

  document.querySelectorAll("[data-passkey-sign-in]").forEach(function (box) {
    box.hidden = false;
    var button = box.querySelector("button");
    button.addEventListener("click", function () {
      button.disabled = true;
      signIn(box).then(follow, function (error) {
        button.disabled = false;
        show(box, error);
      });
    });
  });
})();
