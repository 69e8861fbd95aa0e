/* coursebook default theme: search.js
 *
 * The part of search every page loads, kept tiny: it shows the search box in the top bar
 * (div#search, hidden until this script shows it), owns the shortcuts `/` and `s` (not in form
 * fields, not with Ctrl/Alt/Meta, not when the learner turned single-key shortcuts off), and the first time the box gets focus injects
 * static/search-panel.js, which does the rest (the results panel, Esc, arrows, Enter) and
 * loads the index and the WebAssembly search bundle beside itself. Classic scripts, no fetch,
 * so it works from file://. See theme/README.md.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var SRC = (script && script.getAttribute("src")) || "";
  // Shared with search-panel.js: this script's src, and where focus was before a shortcut.
  var shared = window.coursebookSearch = { src: SRC, returnFocus: null };
  var box, input, requested = false;

  function load() {
    if (requested) return;
    requested = true;
    var tag = document.createElement("script");
    tag.src = SRC.replace(/search\.js(?:[?#].*)?$/, "search-panel.js");
    document.head.appendChild(tag);
  }

  function isField(node) {
    if (!node || !node.tagName) return false;
    if (node.isContentEditable) return true;
    return /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName);
  }

  // The learner may turn the single-key shortcuts off (book.js, the footer's setting).
  function shortcutsOff() {
    try { return window.localStorage.getItem("coursebook-shortcuts") === "off"; } catch (e) { return false; }
  }

  function onPageKey(event) {
    if (shortcutsOff()) return;
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (event.key !== "/" && event.key !== "s") return;
    if (isField(event.target) || isField(document.activeElement)) return;
    event.preventDefault(); // the key opens search and is not typed into it
    var active = document.activeElement;
    shared.returnFocus = active && active !== document.body && !box.contains(active) ? active : null;
    input.focus();
    input.select();
  }

  function init() {
    box = document.getElementById("search");
    input = document.getElementById("search-input");
    if (!box || !input || !SRC) return;
    box.hidden = false;
    input.addEventListener("focus", load);
    document.addEventListener("keydown", onPageKey);
    // Esc before search-panel.js has arrived (it takes over Esc when it starts): leave the box,
    // so the panel does not open once it loads.
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || shared.panel) return;
      event.preventDefault();
      var target = shared.returnFocus;
      shared.returnFocus = null;
      if (target && document.contains(target) && target.focus) target.focus();
      else input.blur();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
