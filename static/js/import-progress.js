/* People import: follow a run that applies. Polls the run's status endpoint about every second,
 * moves the bar, and reloads the page (which then shows the result) when the run ends. Without
 * this script the page offers a refresh link. */
(function () {
  "use strict";

  function start() {
    var box = document.querySelector("[data-import-progress]");
    if (!box || !window.fetch) return;
    var url = box.getAttribute("data-status-url");
    var rowsLabel = box.getAttribute("data-rows-label") || "{done} / {total}";
    var track = box.querySelector("[data-track]");
    var bar = box.querySelector("[data-bar]");
    var percent = box.querySelector("[data-percent]");
    var rows = box.querySelector("[data-rows]");
    var phase = box.querySelector("[data-phase]");
    var statuses = document.querySelectorAll("[data-status], [data-import-status]");
    var failures = 0;

    function show(data) {
      bar.style.width = data.percent + "%";
      track.setAttribute("aria-valuenow", String(data.percent));
      percent.textContent = data.percent + "%";
      rows.textContent = rowsLabel.replace("{done}", data.processed_rows.toLocaleString())
        .replace("{total}", data.total_rows.toLocaleString());
      phase.textContent = data.phase || "";
      Array.prototype.forEach.call(statuses, function (badge) {
        badge.textContent = data.status_label;
      });
    }

    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          show(data);
          if (data.finished) {
            window.location.reload();
            return;
          }
          window.setTimeout(tick, 1000);
        })
        .catch(function () {
          failures += 1;
          window.setTimeout(tick, Math.min(10000, 1000 * Math.pow(2, failures)));
        });
    }

    window.setTimeout(tick, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
