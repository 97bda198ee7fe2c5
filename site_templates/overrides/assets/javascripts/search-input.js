/* 搜索框：粘贴、语音输入、自动填充和不发按键事件的输入法输入的文字，同样立即搜索。
 *
 * The theme starts a search on key release only, so text that arrives without a key event (paste, voice input,
 * autofill, a phone keyboard's IME committing a word) found nothing until another key was pressed.  On input and
 * on compositionend the field gets the key release the theme waits for.  While an IME is still composing (pinyin
 * letters not yet turned into characters) nothing is sent.
 */
(function () {
  "use strict";

  function poke(field) {
    field.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  function wire(field) {
    if (field.dataset.bsInput) return;
    field.dataset.bsInput = "1";
    var composing = false;
    field.addEventListener("compositionstart", function () { composing = true; });
    field.addEventListener("compositionend", function () { composing = false; poke(field); });
    field.addEventListener("input", function (event) {
      if (!composing && !event.isComposing) poke(field);
    });
  }

  /* When a query finds nothing, the theme says so; below it, a way on: the guide lists, the popular items, the
     hotline (rendered hidden in partials/search.html). */
  function watchEmpty() {
    var result = document.querySelector(".md-search-result");
    var empty = result && result.querySelector(".bs-search-empty");
    var field = document.querySelector("input.md-search__input");
    if (!empty || !field) return;
    var none = "";
    try {
      none = JSON.parse(document.getElementById("__config").textContent).translations["search.result.none"] || "";
    } catch (e) { /* the theme's text is only a hint */ }
    var meta = result.querySelector(".md-search-result__meta");
    var list = result.querySelector(".md-search-result__list");
    function update() {
      var nothing = field.value.trim() !== "" && !list.children.length && (!none || meta.textContent.trim() === none);
      empty.hidden = !nothing;
    }
    new MutationObserver(update).observe(result, { childList: true, subtree: true, characterData: true });
    field.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("input.md-search__input").forEach(wire);
    watchEmpty();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
