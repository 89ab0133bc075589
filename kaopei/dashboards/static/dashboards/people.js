/* Printing: <details> holding a chart's numbers open so the tables are on paper too. */
(function () {
  "use strict";
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.kp-numbers").forEach(function (d) {
      if (!d.open) { d.dataset.wasClosed = "1"; d.open = true; }
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details.kp-numbers[data-was-closed]").forEach(function (d) {
      d.open = false; delete d.dataset.wasClosed;
    });
  });
})();
