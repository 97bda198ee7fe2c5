/* 办理情形：选择一种情形后，只显示该情形的材料、时限、收费和次数，办结日期计算器按该情形的时限计算。
 *
 * 不运行脚本时，选择框保持隐藏，各情形全部显示并各自标明，页面照样可读。
 * 不依赖任何外部库，不发出任何请求。
 */
(function () {
  "use strict";

  var LIMITS = ["committed", "committedUnit", "statutory", "statutoryUnit"];

  function choose(box, id) {
    var page = box.closest("article") || document;
    box.querySelectorAll(".bs-situation").forEach(function (panel) {
      panel.hidden = id !== "" && panel.dataset.situation !== id;
    });
    page.querySelectorAll("table.bs-materials tbody tr, .bs-material-card").forEach(function (row) {
      var only = row.dataset.situations;
      row.hidden = id !== "" && !!only && only.split(" ").indexOf(id) < 0;
    });
    var calculator = page.querySelector(".bs-deadline");
    if (!calculator) return;
    if (!("remembered" in calculator.dataset)) {  /* remember the item's own limits once (they may be none) */
      LIMITS.forEach(function (name) {
        calculator.dataset["item" + name.charAt(0).toUpperCase() + name.slice(1)] = calculator.dataset[name] || "";
      });
      calculator.dataset.remembered = "";
    }
    var chosen = id ? box.querySelector('.bs-situation[data-situation="' + id + '"]') : null;
    if (id) calculator.dataset.chosen = id;
    else delete calculator.dataset.chosen;
    LIMITS.forEach(function (name) {
      var value = chosen ? chosen.dataset[name] : calculator.dataset["item" + name.charAt(0).toUpperCase() + name.slice(1)];
      if (value) calculator.dataset[name] = value;
      else delete calculator.dataset[name];
    });
    calculator.dispatchEvent(new Event("banshi:limits"));
  }

  function start() {
    document.querySelectorAll(".bs-situations").forEach(function (box) {
      var choice = box.querySelector(".bs-situations__choice");
      if (!choice) return;
      choice.hidden = false;
      choice.addEventListener("change", function (event) {
        if (event.target.name && event.target.type === "radio") choose(box, event.target.value);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
