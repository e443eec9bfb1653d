/* Trellis: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function onReady(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  /* Side navigation: a menu button on narrow screens. */
  function setupNavToggle() {
    var button = document.querySelector("[data-nav-toggle]");
    if (!button) return;
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    button.hidden = false;

    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  /* Header menus are <details>: close them on Escape or a click elsewhere. */
  function setupMenus() {
    var menus = Array.prototype.slice.call(document.querySelectorAll("details[data-menu]"));
    if (!menus.length) return;
    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      menus.forEach(function (menu) {
        if (menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
    });
    menus.forEach(function (menu) {
      menu.addEventListener("toggle", function () {
        if (!menu.open) return;
        menus.forEach(function (other) {
          if (other !== menu) other.open = false;
        });
      });
    });
  }

  /* Dismissible messages. */
  function setupDismiss() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-dismiss]");
      if (!button) return;
      var box = button.closest(".toast");
      if (!box) return;
      box.classList.add("is-leaving");
      window.setTimeout(function () { box.remove(); }, 200);
    });
  }

  /* Copy a secret to the clipboard; the label is translated in the template. */
  function setupCopy() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-copy-target]");
      if (!button || !navigator.clipboard) return;
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      if (!source) return;
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        var label = button.querySelector("[data-copy-label]");
        if (!label) return;
        var original = label.textContent;
        label.textContent = button.getAttribute("data-copied-text") || original;
        window.setTimeout(function () { label.textContent = original; }, 2000);
      });
    });
  }

  /* Ask before destructive actions: <form data-confirm="…">. */
  function setupConfirm() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var question = form.getAttribute && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) event.preventDefault();
    });
  }

  /* Live search: <form data-live-search data-results="id">. Sends the form as the server would
     receive it on submit, with the HX-Request header so only the results partial comes back. */
  function setupLiveSearch() {
    var forms = document.querySelectorAll("form[data-live-search]");
    Array.prototype.forEach.call(forms, function (form) {
      var results = document.getElementById(form.getAttribute("data-results"));
      if (!results || !window.fetch || !window.URLSearchParams) return;
      var timer = null;
      var controller = null;

      function run() {
        var params = new URLSearchParams(new FormData(form));
        params.forEach(function (value, key) { if (value === "") params.delete(key); });
        var query = params.toString();
        var url = (form.getAttribute("action") || window.location.pathname) + (query ? "?" + query : "");
        if (controller) controller.abort();
        controller = window.AbortController ? new AbortController() : null;
        results.setAttribute("aria-busy", "true");
        fetch(url, {
          headers: { "HX-Request": "true" },
          credentials: "same-origin",
          signal: controller ? controller.signal : undefined,
        })
          .then(function (response) {
            if (!response.ok) throw new Error(String(response.status));
            return response.text();
          })
          .then(function (html) {
            results.innerHTML = html;
            results.removeAttribute("aria-busy");
            var status = document.getElementById(form.getAttribute("data-status"));
            var summary = results.querySelector("[data-results-summary]");
            if (status && summary) status.textContent = summary.textContent;
            if (window.history && window.history.replaceState) window.history.replaceState(null, "", url);
          })
          .catch(function (error) {
            if (error && error.name === "AbortError") return;
            results.removeAttribute("aria-busy");
            form.submit();
          });
      }

      form.addEventListener("input", function (event) {
        if (event.target.type !== "search" && event.target.type !== "text") return;
        window.clearTimeout(timer);
        timer = window.setTimeout(run, 300);
      });
      form.addEventListener("change", function (event) {
        if (event.target.tagName === "SELECT" || event.target.type === "checkbox") {
          window.clearTimeout(timer);
          run();
        }
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        window.clearTimeout(timer);
        run();
      });
    });
  }

  onReady(function () {
    setupNavToggle();
    setupMenus();
    setupDismiss();
    setupCopy();
    setupConfirm();
    setupLiveSearch();
  });
})();
