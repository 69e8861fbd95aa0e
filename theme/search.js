/* coursebook default theme: search.js
 *
 * Owns search: the box in the top bar (div#search, hidden until this script shows it), the
 * shortcuts `/` and `s` (not in form fields, not with Ctrl/Alt/Meta), Esc, arrows and Enter,
 * loading static/search-index.js (crates/site/src/search.rs describes it) the first time the
 * box gets focus, BM25 ranking with the last word as a prefix, and the results: chapter,
 * heading and snippet, matches in <mark>, linked to the heading. Classic script, no fetch, so
 * it works from file://; index text is only set with textContent. See theme/README.md.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var SRC = (script && script.getAttribute("src")) || "";
  // The site root as this page links it ("", "../", or an absolute URL), and the index beside us.
  var ROOT = SRC.replace(/static\/search\.js(?:[?#].*)?$/, "");
  var INDEX_SRC = SRC.replace(/search\.js(?:[?#].*)?$/, "search-index.js");
  var MAX_RESULTS = 20;     // results shown (the count says how many matched)
  var MAX_EXPANSIONS = 200; // terms a prefix may stand for
  var PREFIX_WEIGHT = 0.7;  // a longer word matched by the typed prefix counts less
  var K1 = 1.2, B = 0.75;   // BM25
  var SNIPPET = 180;        // characters of text around the first match

  // Words as crates/site/src/search.rs sees them: runs of letters and digits (PART), possibly
  // joined by - _ . into one more term (WORD, e.g. kube-proxy). A browser without Unicode
  // property escapes fails to parse this file and simply shows no search box.
  var WORD = /[\p{Alpha}\p{N}]+(?:[-_.][\p{Alpha}\p{N}]+)*/gu;
  var PART = /[\p{Alpha}\p{N}]+/gu;
  var ENDS_IN_WORD = /[\p{Alpha}\p{N}]$/u;

  // Varint digits: 32 that end a number, then 32 that more digits follow (base 32).
  var DIGIT = {};
  "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_".split("").forEach(function (c, i) { DIGIT[c] = i; });

  var index = null;   // the prepared index, once loaded
  var loading = false;
  var failed = false;
  var box, input, panel, status, list;
  var returnFocus = null; // where focus was before a shortcut opened search

  /* ---- Small helpers ---- */

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function matchAll(re, text) { // [{ text, index }] of every match of the global `re`
    var out = [], m;
    re.lastIndex = 0;
    while ((m = re.exec(text))) out.push({ text: m[0], index: m.index });
    return out;
  }
  function startsWith(text, prefix) { return text.lastIndexOf(prefix, 0) === 0; }

  /* ---- The index ---- */

  function prepare(raw) {
    var terms = raw.terms ? raw.terms.split(" ") : [];
    var ids = new Map(), stop = new Map(), total = 0;
    terms.forEach(function (t, i) { ids.set(t, i); });
    (raw.stop || "").split(" ").forEach(function (w) { stop.set(w, true); });
    raw.docs.forEach(function (d) { total += d[4]; });
    return {
      chapters: raw.chapters,
      docs: raw.docs,
      terms: terms,
      postings: raw.postings ? raw.postings.split(" ") : [],
      decoded: [],
      ids: ids,
      stop: stop,
      avgdl: total / Math.max(1, raw.docs.length) || 1,
    };
  }

  // The posting list of term `i` as a flat array [doc, tf, doc, tf, …].
  function postings(i) {
    if (index.decoded[i]) return index.decoded[i];
    var s = index.postings[i] || "", out = [], n = 0, doc = 0, wantTf = false;
    for (var k = 0; k < s.length; k++) {
      var d = DIGIT[s.charAt(k)];
      if (d === undefined) break; // not an index this script can read
      if (d >= 32) { n = n * 32 + d - 32; continue; }
      n = n * 32 + d;
      if (wantTf) { out.push(doc, n + 2); wantTf = false; }
      else {
        doc += Math.floor(n / 2);
        if (n % 2) wantTf = true; else out.push(doc, 1);
      }
      n = 0;
    }
    index.decoded[i] = out;
    return out;
  }

  function isIndexed(term) {
    return term.length > 0 && !/^[a-z]$/.test(term) && Array.from(term).length <= 40 &&
      !index.stop.has(term);
  }

  // Terms starting with `prefix`, at most MAX_EXPANSIONS, in index order.
  function expand(prefix) {
    var out = [];
    for (var i = 0; i < index.terms.length && out.length < MAX_EXPANSIONS; i++) {
      if (startsWith(index.terms[i], prefix)) out.push(i);
    }
    return out;
  }

  /* ---- Queries ---- */

  // [{ text, prefix }]: joined words as one term when the index has it, else their parts; the
  // last word is a prefix unless the query ends with a space or punctuation.
  function parseQuery(query) {
    var spans = matchAll(WORD, query), out = [], seen = {};
    var typing = ENDS_IN_WORD.test(query);
    function add(text, prefix) {
      var key = (prefix ? "^" : "=") + text;
      if (!seen[key] && (prefix || isIndexed(text))) { seen[key] = true; out.push({ text: text, prefix: prefix }); }
    }
    spans.forEach(function (span, k) {
      var word = span.text.toLowerCase(), last = typing && k === spans.length - 1;
      var parts = matchAll(PART, word);
      var whole = parts.length > 1 && (last ? expand(word).length > 0 : index.ids.has(word));
      if (whole || parts.length === 1) { add(word, last); return; }
      parts.forEach(function (p, j) { add(p.text, last && j === parts.length - 1); });
    });
    return out;
  }

  function search(query) {
    var terms = parseQuery(query), n = index.docs.length;
    if (!terms.length) return null;
    var scores = new Float64Array(n), matched = new Uint16Array(n);
    terms.forEach(function (qt) {
      var candidates = qt.prefix ? expand(qt.text)
        : index.ids.has(qt.text) ? [index.ids.get(qt.text)] : [];
      var best = new Map(); // doc -> best score of this query term
      candidates.forEach(function (t) {
        var list = postings(t), df = list.length / 2;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        var weight = index.terms[t] === qt.text ? 1 : PREFIX_WEIGHT;
        for (var k = 0; k < list.length; k += 2) {
          var doc = list[k], tf = list[k + 1], dl = index.docs[doc][4];
          var s = weight * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / index.avgdl));
          if (!(best.get(doc) >= s)) best.set(doc, s);
        }
      });
      best.forEach(function (s, doc) { scores[doc] += s; matched[doc] += 1; });
    });
    var hits = [];
    for (var d = 0; d < n; d++) {
      // Sections holding every word come first: scale by the share of words found, squared.
      if (matched[d]) hits.push({ doc: d, score: scores[d] * Math.pow(matched[d] / terms.length, 2) });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return { terms: terms, total: hits.length, hits: hits.slice(0, MAX_RESULTS) };
  }

  /* ---- Showing results ---- */

  function matches(word, terms) {
    return terms.some(function (qt) { return qt.prefix ? startsWith(word, qt.text) : word === qt.text; });
  }

  // [start, end) ranges of `text` to mark: whole joined words that match, else matching parts.
  function ranges(text, terms) {
    var out = [];
    matchAll(WORD, text).forEach(function (span) {
      if (matches(span.text.toLowerCase(), terms)) { out.push([span.index, span.index + span.text.length]); return; }
      matchAll(PART, span.text).forEach(function (p) {
        if (matches(p.text.toLowerCase(), terms)) out.push([span.index + p.index, span.index + p.index + p.text.length]);
      });
    });
    return out;
  }

  // Appends `text` to `parent` as text nodes, with the matching words in <mark>.
  function highlight(parent, text, terms) {
    var at = 0;
    ranges(text, terms).forEach(function (r) {
      if (r[0] > at) parent.appendChild(document.createTextNode(text.slice(at, r[0])));
      parent.appendChild(make("mark", "", text.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  // About SNIPPET characters of `text` around its first match, cut at spaces.
  function snippet(text, terms) {
    if (text.length <= SNIPPET) return text;
    var first = ranges(text, terms)[0], start = 0;
    if (first && first[0] > SNIPPET / 3) {
      start = text.indexOf(" ", first[0] - SNIPPET / 3) + 1;
      if (start <= 0 || start > first[0]) start = first[0];
    }
    var end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) {
      var space = text.lastIndexOf(" ", end);
      if (space > start) end = space;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function setStatus(text) { if (status.textContent !== text) status.textContent = text; }

  function render() {
    list.textContent = "";
    if (!index) {
      setStatus(failed ? "The search index could not be loaded." : "Loading the search index…");
      return;
    }
    var result = search(input.value);
    if (!result) { setStatus("Type a word to search every chapter."); return; }
    setStatus(result.total === 0 ? "No results for “" + input.value.trim() + "”."
      : result.total === 1 ? "1 result."
      : result.total + " results" + (result.total > MAX_RESULTS ? ", the best " + MAX_RESULTS + " shown." : "."));
    result.hits.forEach(function (hit) {
      var doc = index.docs[hit.doc], chapter = index.chapters[doc[0]] || ["", ""];
      var link = make("a", "search-result");
      link.setAttribute("href", ROOT + chapter[0] + (doc[1] ? "#" + doc[1] : ""));
      highlight(link.appendChild(make("span", "search-result-title")), chapter[1], result.terms);
      if (doc[2]) highlight(link.appendChild(make("span", "search-result-heading")), doc[2], result.terms);
      if (doc[3]) highlight(link.appendChild(make("span", "search-result-snippet")), snippet(doc[3], result.terms), result.terms);
      list.appendChild(make("li")).appendChild(link);
    });
  }

  /* ---- Loading the index ---- */

  function loaded() {
    loading = false;
    var raw = window.coursebookSearchIndex;
    if (raw && raw.v === 1 && raw.docs) index = prepare(raw); else failed = true;
    if (!panel.hidden) render();
  }

  function ensureIndex() {
    if (index || loading || failed) return;
    if (window.coursebookSearchIndex) { loaded(); return; }
    loading = true;
    var tag = make("script");
    tag.src = INDEX_SRC;
    tag.async = true;
    tag.onload = loaded;
    tag.onerror = function () { loading = false; failed = true; if (!panel.hidden) render(); };
    document.head.appendChild(tag);
  }

  /* ---- Opening, closing and the keyboard ---- */

  function showPanel() {
    ensureIndex();
    if (panel.hidden) { panel.hidden = false; render(); }
  }
  function hidePanel() { panel.hidden = true; }

  function open() {
    var active = document.activeElement;
    returnFocus = active && active !== document.body && !box.contains(active) ? active : null;
    input.focus();
    input.select();
    showPanel();
  }

  // Esc: closes the results and gives focus back to where it was before `/` or `s`.
  function close() {
    hidePanel();
    var target = returnFocus;
    returnFocus = null;
    if (target && document.contains(target) && target.focus) target.focus();
    else if (box.contains(document.activeElement)) document.activeElement.blur();
  }

  function isField(node) {
    if (!node || !node.tagName) return false;
    if (node.isContentEditable) return true;
    return /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName);
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

  function onPageKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (event.key !== "/" && event.key !== "s") return;
    if (isField(event.target) || isField(document.activeElement)) return;
    event.preventDefault(); // the key opens search and is not typed into it
    open();
  }

  function init() {
    box = document.getElementById("search");
    input = document.getElementById("search-input");
    panel = document.getElementById("search-panel");
    status = document.getElementById("search-status");
    list = document.getElementById("search-results");
    if (!box || !input || !panel || !status || !list || !SRC) return;
    box.hidden = false;
    input.addEventListener("focus", showPanel);
    input.addEventListener("input", function () { if (panel.hidden) showPanel(); else render(); });
    box.addEventListener("keydown", onBoxKey);
    document.addEventListener("keydown", onPageKey);
    // Clicking a result must not blur the box first (the panel would close under the pointer).
    panel.addEventListener("mousedown", function (event) {
      if (event.target !== input) event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a")) { returnFocus = null; hidePanel(); input.blur(); }
    });
    box.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !box.contains(event.relatedTarget)) hidePanel();
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) hidePanel();
    });
    window.addEventListener("pagehide", hidePanel);
  }

  function start() {
    try { init(); } catch (e) { /* search stays hidden: the page works without it */ }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
