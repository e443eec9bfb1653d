/* Autosave: <form data-autosave> with <textarea data-autosave-url="…" data-saved-at="ms">.
 *
 * Each text box is sent to its URL a moment after the member stops typing, when it loses focus
 * and when the page is hidden or closed (a keepalive request outlives the tab). Until the server
 * confirms, the text is also kept in this browser's localStorage, so a closed tab, a crash or a
 * lost connection loses nothing: on the next visit a local copy newer than the saved answer is
 * put back and sent. Messages come from data-msg-* attributes, translated by the template.
 * Without JavaScript the form's Save button sends everything.
 */
(function () {
  "use strict";

  var DELAY_MS = 800;
  var PREFIX = "trellis:autosave:";

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function setup(form) {
    var store = storage();
    var status = document.getElementById(form.getAttribute("data-autosave-status"));
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var boxes = Array.prototype.slice.call(form.querySelectorAll("textarea[data-autosave-url]"));
    if (!token || !boxes.length || !window.fetch) return;
    var hint = form.querySelector("[data-js-only]");
    if (hint) hint.hidden = false;

    function msg(name) { return form.getAttribute("data-msg-" + name) || ""; }
    function say(text) { if (status) status.textContent = text; }

    boxes.forEach(function (box) {
      var url = box.getAttribute("data-autosave-url");
      var key = PREFIX + url;
      var wrap = box.closest("[data-answer]");
      var state = wrap && wrap.querySelector("[data-answer-state]");
      var errorBox = wrap && wrap.querySelector(".ca-answer__error");
      var errorText = wrap && wrap.querySelector("[data-answer-error]");
      var max = parseInt(box.getAttribute("data-max-length") || "0", 10);
      var timer = null;
      var sent = box.value;      // what the server has
      var inFlight = null;       // the text of a request not yet answered

      function showError(text) {
        if (!errorBox) return;
        errorText.textContent = text;
        errorBox.hidden = !text;
        if (wrap) wrap.classList.toggle("field--invalid", !!text);
        box.setAttribute("aria-invalid", text ? "true" : "false");
      }
      function setState(text) { if (state) state.textContent = text; }

      function remember() {
        if (!store) return;
        try {
          store.setItem(key, JSON.stringify({ text: box.value, t: Date.now() }));
        } catch (e) { /* storage full: the server copy still follows */ }
      }
      function forget(text) {
        if (!store) return;
        var kept = read();
        if (kept && kept.text === text) store.removeItem(key);
      }
      function read() {
        if (!store) return null;
        try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
      }

      function body(text) {
        var data = new FormData();
        data.append("csrfmiddlewaretoken", token.value);
        data.append("text", text);
        return data;
      }

      function save(options) {
        window.clearTimeout(timer);
        var text = box.value;
        if (text === sent || text === inFlight) return;
        if (max && text.length > max) {
          var over = msg("too-long").replace("%(n)s", String(text.length - max));
          showError(over);
          setState(msg("failed"));
          return;
        }
        if (options && options.beacon) {
          // The page is going away: this request must survive it. Its answer is not awaited.
          inFlight = text;
          fetch(url, { method: "POST", body: body(text), credentials: "same-origin",
                       keepalive: true, headers: { "X-Requested-With": "fetch" } });
          return;
        }
        inFlight = text;
        setState(msg("saving"));
        fetch(url, { method: "POST", body: body(text), credentials: "same-origin",
                     headers: { "X-Requested-With": "fetch", "Accept": "application/json" } })
          .then(function (response) {
            return response.json().then(function (data) { return { ok: response.ok, data: data }; });
          })
          .then(function (result) {
            inFlight = null;
            if (result.ok && result.data.saved) {
              sent = text;
              forget(text);
              showError("");
              setState(result.data.saved_label);
              say(result.data.saved_label);
              document.dispatchEvent(new CustomEvent("autosave:saved", { detail: result.data }));
              if (box.value !== sent) schedule();
            } else {
              var errors = (result.data.errors && result.data.errors.text) || [];
              showError(errors.map(function (e) { return e.message; }).join(" "));
              setState(msg("failed"));
              say(msg("failed"));
            }
          })
          .catch(function () {
            inFlight = null;
            setState(msg("offline"));
            say(msg("offline"));
          });
      }

      function schedule() {
        window.clearTimeout(timer);
        timer = window.setTimeout(save, DELAY_MS);
      }

      box.addEventListener("input", function () {
        remember();
        setState(msg("typing"));
        schedule();
      });
      box.addEventListener("blur", function () { save(); });
      box._autosaveFlush = function () { save({ beacon: true }); };
      box._autosaveRetry = function () { if (box.value !== sent) save(); };

      // A local copy newer than the saved answer is what the member typed last: put it back.
      var kept = read();
      var savedAt = parseInt(box.getAttribute("data-saved-at") || "0", 10);
      if (kept && kept.text !== box.value && kept.t > savedAt) {
        box.value = kept.text;
        setState(msg("restored"));
        say(msg("restored"));
        save();
      } else if (kept && kept.text === box.value) {
        forget(kept.text);
      }
    });

    function flushAll() {
      boxes.forEach(function (box) { if (box._autosaveFlush) box._autosaveFlush(); });
    }
    window.addEventListener("pagehide", flushAll);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flushAll();
    });
    window.addEventListener("online", function () {
      boxes.forEach(function (box) { if (box._autosaveRetry) box._autosaveRetry(); });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
