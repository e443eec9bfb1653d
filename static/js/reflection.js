/* The reflection area page: keep the area's progress (header and stepper) in step with what
 * autosave has saved. The figures come from the server's answer to each save. */
(function () {
  "use strict";
  document.addEventListener("autosave:saved", function (event) {
    var area = event.detail && event.detail.area;
    if (!area) return;
    var progress = document.querySelector("[data-area-progress]");
    if (progress) {
      progress.textContent = (progress.getAttribute("data-template") || "")
        .replace("%(answered)s", String(area.answered))
        .replace("%(total)s", String(area.total));
    }
    var step = document.querySelector(".ca-stepper__step[aria-current='step']");
    if (step) {
      step.classList.toggle("is-started", area.answered > 0 && area.answered < area.total);
      step.classList.toggle("is-done", area.total > 0 && area.answered === area.total);
    }
  });
})();
