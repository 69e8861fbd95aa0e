/* coursebook search API: the facade that theme/search-panel.js calls. The query (reading the
 * learner's words with the index builder's tokeniser, exact and prefix lookup, BM25 ranking,
 * the snippet and the marked words) runs in the WebAssembly search bundle (crates/web with the
 * feature "search", over crates/search); this file unpacks the module and hands it the index
 * once. Texts come back in pieces (plain, marked, plain, …) for the page to show with
 * textContent. */
var coursebookSearchWasm = (function () {
  "use strict";

  /* The module is gzip-compressed and base64-encoded in COURSEBOOK_SEARCH_WASM (a classic
   * script, because file:// pages may not fetch() a .wasm file). */
  function unpack() {
    var text = atob(COURSEBOOK_SEARCH_WASM);
    var packed = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) packed[i] = text.charCodeAt(i);
    var stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer()
      .then(function (module) { return coursebookSearchBindgen({ module_or_path: module }); });
  }

  function str(value) { return typeof value === "string" ? value : ""; }

  /* Takes the index script's global (window.coursebookSearchIndex, described in
   * crates/site/src/search.rs) and returns { search(query, max) }, which gives null when the
   * query holds no word to search for, else { total, corrections: [[typed, read], …], hits:
   * [{ path, id, title, heading, snippet }] }, best first, heading and snippet [] when the section has none. Throws when
   * the index cannot be read. The terms and posting lists move into wasm; the section texts
   * stay here, and only the shown ones are passed back to be marked. */
  function open(raw) {
    var docs = raw && raw.docs, chapters = raw && raw.chapters;
    if (!Array.isArray(docs) || !Array.isArray(chapters) || typeof raw.terms !== "string" ||
        typeof raw.postings !== "string") {
      throw new Error("the search index is not readable");
    }
    var lengths = docs.map(function (d) { return (Array.isArray(d) && d[4]) >>> 0; });
    var questions = Array.isArray(raw.questions) ? raw.questions.map(function (n) { return n >>> 0; }) : [];
    var index = new coursebookSearchBindgen.SearchIndex(raw.terms, raw.postings, lengths, questions);
    raw.terms = raw.postings = null; // wasm holds them now

    function hit(found, n) {
      var doc = Array.isArray(docs[n]) ? docs[n] : [];
      var chapter = chapters[doc[0]] || [];
      var heading = str(doc[2]), text = str(doc[3]);
      return {
        path: str(chapter[0]), id: str(doc[1]), title: found.mark(str(chapter[1])),
        heading: heading ? found.mark(heading) : [], snippet: text ? found.snippet(text) : []
      };
    }

    function search(query, max) {
      var found = index.search(String(query), max >>> 0);
      if (!found) return null;
      try {
        var read = found.corrections, corrections = [];
        for (var i = 0; i + 1 < read.length; i += 2) corrections.push([read[i], read[i + 1]]);
        return {
          total: found.total, corrections: corrections,
          hits: Array.from(found.docs, function (n) { return hit(found, n); })
        };
      } finally {
        found.free();
      }
    }

    return { search: search };
  }

  var api = { open: open };
  var started = null;
  return { ready: function () { return started || (started = unpack().then(function () { return api; })); } };
})();
