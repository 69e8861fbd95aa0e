/* coursebook default theme: search-panel.js
 *
 * Injected by search.js the first time the search box gets focus (never with the page). Owns
 * the results panel: Esc, arrows and Enter; loading static/search-index.js (described in
 * crates/site/src/search.rs) and the WebAssembly search bundle static/coursebook-search-wasm.js
 * side by side; handing the index to the bundle once (coursebookSearchWasm, in
 * crates/web/js/search-api.js); and showing what the query returns: chapter, heading and
 * snippet, the matched words in <mark>, linked to the heading. It ranks nothing itself: reading
 * the query, BM25, snippets and marks run in wasm. Index text is only set with textContent.
 * See theme/README.md.
 */
(function () {
  "use strict";

  var shared = window.coursebookSearch || {};
  var SRC = shared.src || "";
  // The site root as this page links it ("", "../", or an absolute URL), and the files beside us.
  var ROOT = SRC.replace(/static\/search\.js(?:[?#].*)?$/, "");
  var INDEX_SRC = SRC.replace(/search\.js(?:[?#].*)?$/, "search-index.js");
  var WASM_SRC = SRC.replace(/search\.js(?:[?#].*)?$/, "coursebook-search-wasm.js");
  var INDEX_VERSION = 3;   // crates/site/src/search.rs FORMAT_VERSION
  var MAX_RESULTS = 20;    // results shown (the count says how many matched)

  var query = null;        // the query function, once the index and the bundle are in
  var state = "idle";      // then "loading", "ready" or "failed"
  var box, input, panel, status, list;

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* ---- Loading the index and the bundle ---- */

  // Runs the classic script `src` unless `isReady()` already holds; resolves once it does.
  function inject(src, isReady) {
    return new Promise(function (resolve, reject) {
      if (isReady()) { resolve(); return; }
      var tag = make("script");
      tag.src = src;
      tag.onload = function () { if (isReady()) resolve(); else reject(new Error(src)); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function ensureIndex() {
    if (state !== "idle") return;
    state = "loading";
    /* global coursebookSearchWasm */
    var wasm = inject(WASM_SRC, function () { return typeof coursebookSearchWasm === "object"; })
      .then(function () { return coursebookSearchWasm.ready(); });
    var index = inject(INDEX_SRC, function () { return !!window.coursebookSearchIndex; });
    Promise.all([wasm, index]).then(function (loaded) {
      var raw = window.coursebookSearchIndex;
      if (!raw || raw.v !== INDEX_VERSION) throw new Error("an index this page cannot read");
      query = loaded[0].open(raw).search;
      state = "ready";
    }).catch(function () { state = "failed"; }).then(function () {
      if (!panel.hidden) render();
    });
  }

  /* ---- Showing results ---- */

  // Appends a span of class `className` holding `pieces` (plain, marked, plain, …) as text
  // nodes and <mark>s; nothing for no pieces.
  function show(parent, className, pieces) {
    if (!pieces.length) return;
    var span = parent.appendChild(make("span", className));
    pieces.forEach(function (text, i) {
      if (i % 2) span.appendChild(make("mark", "", text));
      else if (text) span.appendChild(document.createTextNode(text));
    });
  }

  function setStatus(text) { if (status.textContent !== text) status.textContent = text; }

  function render() {
    list.textContent = "";
    if (state !== "ready") {
      setStatus(state === "failed" ? "The search index could not be loaded." : "Loading the search index…");
      return;
    }
    var result = query(input.value, MAX_RESULTS);
    if (!result) { setStatus("Type a word to search every chapter."); return; }
    // Words the index does not have were read as the closest terms it has: say which.
    var read = result.corrections.map(function (c) { return "“" + c[1] + "” for “" + c[0] + "”"; });
    var note = read.length ? " Showing " + read.join(", ") + "." : "";
    setStatus((result.total === 0 ? "No results for “" + input.value.trim() + "”."
      : result.total === 1 ? "1 result."
      : result.total + " results" + (result.total > MAX_RESULTS ? ", the best " + MAX_RESULTS + " shown." : ".")) + note);
    result.hits.forEach(function (hit) {
      var link = make("a", "search-result");
      link.setAttribute("href", ROOT + hit.path + (hit.id ? "#" + hit.id : ""));
      show(link, "search-result-title", hit.title);
      show(link, "search-result-heading", hit.heading);
      show(link, "search-result-snippet", hit.snippet);
      list.appendChild(make("li")).appendChild(link);
    });
  }

  /* ---- Opening, closing and the keyboard ---- */

  function showPanel() {
    ensureIndex();
    if (panel.hidden) { panel.hidden = false; render(); }
  }
  function hidePanel() { panel.hidden = true; }

  // Esc: closes the results and gives focus back to where it was before `/` or `s`.
  function close() {
    hidePanel();
    var target = shared.returnFocus;
    shared.returnFocus = null;
    if (target && document.contains(target) && target.focus) target.focus();
    else if (box.contains(document.activeElement)) document.activeElement.blur();
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a.search-result")); }

  function onBoxKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var all = links(), at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      showPanel();
      if (all.length) all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at > 0) all[at - 1].focus(); else if (at === 0) input.focus();
    } else if (event.key === "Enter" && event.target === input) {
      event.preventDefault();
      if (all.length) all[0].click();
    } else if (at >= 0 && event.key.length === 1) {
      // Typing on a result goes on in the box (the key lands there).
      event.stopPropagation();
      input.focus();
    }
  }

  function init() {
    box = document.getElementById("search");
    input = document.getElementById("search-input");
    panel = document.getElementById("search-panel");
    status = document.getElementById("search-status");
    list = document.getElementById("search-results");
    if (!box || !input || !panel || !status || !list || !SRC) return;
    shared.panel = true; // search.js leaves Esc to us from now on
    input.addEventListener("focus", showPanel);
    input.addEventListener("input", function () { if (panel.hidden) showPanel(); else render(); });
    box.addEventListener("keydown", onBoxKey);
    // Clicking a result must not blur the box first (the panel would close under the pointer).
    panel.addEventListener("mousedown", function (event) {
      if (event.target !== input) event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a")) { shared.returnFocus = null; hidePanel(); input.blur(); }
    });
    box.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !box.contains(event.relatedTarget)) hidePanel();
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) hidePanel();
    });
    window.addEventListener("pagehide", hidePanel);
    // search.js injected us because the box got focus: open now unless it has moved on.
    if (document.activeElement === input) showPanel();
  }

  try { init(); } catch (e) { /* the box stays a plain input: the page works without it */ }
})();
