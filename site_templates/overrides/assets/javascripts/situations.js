/* 办理情形：选择一种情形后，摘要、受理条件和材料只显示该情形的内容，办结日期计算器按该情形的时限计算，
 * “打印告知单”打印该情形的告知单。选择写在网址中（?situation=…），可以分享、收藏，刷新后仍在。
 *
 * 不运行脚本时，选择框保持隐藏，各情形全部显示并各自标明，页面照样可读。
 * 不依赖任何外部库，不发出任何请求。
 */
(function () {
  "use strict";

  var LIMITS = ["committed", "committedUnit", "statutory", "statutoryUnit"];
  var PARAMETER = "situation";

  /* the address of this page with the choice in it (replaceState: the back button still leaves the page) */
  function remember(id) {
    if (!window.history || !history.replaceState) return;
    try {
      var url = new URL(window.location.href);
      if (id) url.searchParams.set(PARAMETER, id);
      else url.searchParams.delete(PARAMETER);
      history.replaceState(history.state, "", url.toString());
    } catch (e) { /* a page opened from a file: the choice still works on this page */ }
  }

  function choose(box, id) {
    var page = box.closest("article") || document;
    box.querySelectorAll(".bs-situation").forEach(function (panel) {
      panel.hidden = id !== "" && panel.dataset.situation !== id;
    });
    /* facts given for all situations and for each (the summary; a 一件事's materials) */
    page.querySelectorAll(".bs-summary [data-situation], .bs-for-situation[data-situation]").forEach(function (fact) {
      fact.hidden = fact.dataset.situation !== id;
    });
    var chosenName = page.querySelector(".bs-summary__situation");
    var label = id ? box.querySelector('input[value="' + id + '"]') : null;
    if (chosenName) {  /* a shared or reloaded address says which situation the facts are for */
      chosenName.hidden = !label;
      chosenName.querySelector("span").textContent = label ? label.parentNode.textContent.trim() : "";
    }
    /* rows and list entries that apply to some situations only (an item's materials and conditions, a 一件事's members) */
    page.querySelectorAll("table.bs-materials tbody tr, .bs-material-card, li[data-situations]").forEach(function (row) {
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
    var wanted = null;
    try { wanted = new URLSearchParams(window.location.search).get(PARAMETER); } catch (e) { /* no URLSearchParams */ }
    document.querySelectorAll(".bs-situations").forEach(function (box) {
      var choice = box.querySelector(".bs-situations__choice");
      if (!choice) return;
      choice.hidden = false;
      choice.addEventListener("change", function (event) {
        if (event.target.name && event.target.type === "radio") {
          choose(box, event.target.value);
          remember(event.target.value);
        }
      });
      if (!wanted) return;
      var radios = choice.querySelectorAll('input[type="radio"]');
      for (var i = 0; i < radios.length; i++) {
        if (radios[i].value === wanted) {
          radios[i].checked = true;
          choose(box, wanted);
        }
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
