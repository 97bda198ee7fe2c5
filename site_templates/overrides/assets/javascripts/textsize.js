/* 大字版（适老化）开关：放大全站文字，并记住选择。没有 JavaScript 时不显示开关。 */
(function () {
  "use strict";
  var KEY = "bs-large-text";
  var root = document.documentElement;

  function remember(on) {
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: the switch still works on this page */ }
  }

  function start() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".bs-textsize")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button bs-textsize";
    button.textContent = "大字";
    button.title = "大字版：放大全站文字";
    button.setAttribute("aria-pressed", root.classList.contains("bs-large") ? "true" : "false");
    button.addEventListener("click", function () {
      var on = !root.classList.contains("bs-large");
      root.classList.toggle("bs-large", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      remember(on);
    });
    var search = header.querySelector('label[for="__search"]');
    header.insertBefore(button, search);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
