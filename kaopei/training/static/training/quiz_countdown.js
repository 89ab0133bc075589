// Quiz countdown: shows the time left on an attempt. The server is the authority (it
// refuses answers after the deadline); this only tells the learner.
(function () {
  "use strict";
  var box = document.getElementById("kp-countdown");
  if (!box) return;
  var clock = box.querySelector("[data-clock]");
  var end = Date.now() + parseInt(box.getAttribute("data-remaining"), 10) * 1000;
  function show() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left > 0) window.setTimeout(show, 1000);
  }
  show();
})();
