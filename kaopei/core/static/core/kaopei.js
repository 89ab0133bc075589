// Kaopei page helpers: confirmation before destructive actions, selects that submit their
// form, and ECharts mounting. Templates hold no inline script or on*= handler (the
// Content-Security-Policy forbids them): behaviour lives here, keyed by data- attributes.
(function () {
  document.documentElement.classList.add("kp-js");
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest(".kp-menu-toggle");
    if (!button) { return; }
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) { return; }
    var open = nav.classList.toggle("kp-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) { el.form.submit(); }
  });
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  }, true);
  function mountCharts(root) {
    if (!window.echarts) { return; }
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.mounted) { return; }
      var spec = document.getElementById(el.dataset.chart);
      if (!spec) { return; }
      var chart = window.echarts.init(el, null, { locale: document.documentElement.lang.indexOf("zh") === 0 ? "ZH" : "EN" });
      chart.setOption(JSON.parse(spec.textContent));
      el.dataset.mounted = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { mountCharts(document); });
  document.addEventListener("htmx:afterSwap", function (ev) { mountCharts(ev.target); });
})();
