/* 流程图：在手机上图比屏幕宽时，横向滚动的起点放在“申请”所在的主线上，而不是图的最左边。
   Without JavaScript the chart still scrolls from its left edge, and 办理步骤 below tells the same process. */
(function () {
  "use strict";

  function centre(scroller) {
    if (scroller.scrollWidth <= scroller.clientWidth + 1) return;
    var start = scroller.querySelector(".bs-chart-start");
    if (!start) return;
    var box = scroller.getBoundingClientRect();
    var node = start.getBoundingClientRect();
    var middle = node.left - box.left + scroller.scrollLeft + node.width / 2;
    scroller.scrollLeft = Math.max(0, middle - scroller.clientWidth / 2);
  }

  function start() {
    var scrollers = document.querySelectorAll(".bs-chart__scroll, .bs-chart-page__chart");
    for (var i = 0; i < scrollers.length; i++) centre(scrollers[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  /* the full-screen page's 原始大小 (#actual) and 大字 change the chart's size: centre again */
  window.addEventListener("hashchange", start);
  new MutationObserver(start).observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
})();
