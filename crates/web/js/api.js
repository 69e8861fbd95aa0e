/* coursebook page API: the JSON-in, JSON-out facade that theme/quiz.js calls.
 * Grading, scheduling (FSRS) and calculators run in the WebAssembly module (crates/web);
 * this file unpacks the module, and keeps the learner's records: plain JSON in localStorage,
 * versioned, validated on every load so corrupt or foreign data is dropped, never trusted. */
var coursebookWasm = (function () {
  "use strict";
  var VERSION = 1;
  var FORMAT = "coursebook-progress";
  var wasm = null;

  /* The module is gzip-compressed and base64-encoded in COURSEBOOK_WASM (a classic script,
   * because file:// pages may not fetch() a .wasm file). */
  function ready() {
    var text = atob(COURSEBOOK_WASM);
    var packed = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) packed[i] = text.charCodeAt(i);
    var stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer()
      .then(function (module) { return wasm_bindgen({ module_or_path: module }); })
      .then(function () { wasm = wasm_bindgen; return api; });
  }

  function fail(message) { throw new Error(message); }

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }

  function validItem(item) {
    return isObject(item) && isObject(item.answer) && typeof item.answer.type === "string" &&
      typeof item.correct === "boolean" && Number.isInteger(item.attempts) && item.attempts > 0 &&
      Number.isFinite(item.updated) && Array.isArray(item.review) && item.review.length === 9 &&
      item.review.every(Number.isFinite);
  }

  /* Returns {progress, dropped} or throws with the reason the data is unusable. */
  function check(data) {
    if (!isObject(data) || !Number.isInteger(data.version) || !isObject(data.items)) {
      fail("the saved progress is not readable");
    }
    if (data.version > VERSION) {
      fail("the saved progress was written by a newer coursebook (version " + data.version + ")");
    }
    var items = {}, dropped = 0;
    Object.keys(data.items).forEach(function (key) {
      if (validItem(data.items[key])) items[key] = data.items[key];
      else dropped++;
    });
    return { progress: { version: VERSION, items: items }, dropped: dropped };
  }

  function progress_load(stored) {
    if (!stored) return JSON.stringify({ progress: { version: VERSION, items: {} }, notice: null });
    try {
      var checked = check(JSON.parse(stored));
      var notice = checked.dropped ? checked.dropped + " unreadable saved answers were skipped." : null;
      return JSON.stringify({ progress: checked.progress, notice: notice });
    } catch (e) {
      return JSON.stringify({
        progress: { version: VERSION, items: {} },
        notice: (e instanceof SyntaxError ? "the saved progress is not readable" : e.message) +
          "; starting afresh."
      });
    }
  }

  /* Records the learner's answer as a review, unless the question was already reviewed in this
   * sitting (the page visit that started at sittingMs): a later answer is practice and changes
   * nothing. Returns {progress, reviewed}. */
  function progress_record(progressJson, key, answerJson, rating, nowMs, sittingMs) {
    var progress = JSON.parse(progressJson), previous = progress.items[key];
    var review = wasm.review(previous ? previous.review : [], rating, nowMs,
      sittingMs === undefined ? nowMs : sittingMs);
    if (!review.length) return JSON.stringify({ progress: progress, reviewed: false });
    progress.items[key] = {
      answer: JSON.parse(answerJson),
      correct: rating >= 3,
      attempts: (previous ? previous.attempts : 0) + 1,
      updated: nowMs,
      review: Array.prototype.slice.call(review)
    };
    return JSON.stringify({ progress: progress, reviewed: true });
  }

  function progress_schedule(progressJson) {
    var items = JSON.parse(progressJson).items;
    return JSON.stringify(Object.keys(items).map(function (key) {
      var item = items[key];
      return { key: key, due_ms: item.review[0], correct: item.correct, reps: item.review[5] };
    }).sort(function (a, b) {
      return a.due_ms - b.due_ms || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    }));
  }

  function progress_score(progressJson, keysJson) {
    var items = JSON.parse(progressJson).items, score = { correct: 0, answered: 0, total: 0 };
    JSON.parse(keysJson).forEach(function (key) {
      score.total++;
      if (items[key]) { score.answered++; if (items[key].correct) score.correct++; }
    });
    return JSON.stringify(score);
  }

  function progress_export(progressJson, book, nowMs) {
    return JSON.stringify({
      format: FORMAT, book: book, exported: new Date(nowMs).toISOString(),
      progress: JSON.parse(progressJson)
    }, null, 2);
  }

  /* Merges an export file: for each question, the more recent answer wins. */
  function progress_import(progressJson, fileText, book) {
    var file;
    try { file = JSON.parse(fileText); } catch (e) { file = null; }
    if (!isObject(file) || file.format !== FORMAT) fail("this file is not a coursebook progress export");
    if (file.book !== book) {
      fail("this file holds progress for \"" + file.book + "\", not for \"" + book + "\"");
    }
    var incoming = check(file.progress).progress.items;
    var progress = JSON.parse(progressJson), imported = 0;
    Object.keys(incoming).forEach(function (key) {
      var mine = progress.items[key];
      if (!mine || incoming[key].updated > mine.updated) { progress.items[key] = incoming[key]; imported++; }
    });
    return JSON.stringify({ progress: progress, imported: imported });
  }

  function verdict(g) {
    var v = {
      correct: g.correct, wrong_options: Array.from(g.wrong_options),
      correct_options: Array.from(g.correct_options), misplaced: Array.from(g.misplaced),
      messages: g.messages
    };
    g.free();
    return v;
  }

  function gradeWith(key, answer) {
    var v = answer.value;
    var list = Array.isArray(v), text = typeof v === "string";
    switch (key.kind) {
      case "single": if (list) return verdict(wasm.grade_choice([key.correct], key.options, v, false)); break;
      case "multiple": if (list) return verdict(wasm.grade_choice(key.correct, key.options, v, true)); break;
      case "short":
        if (text) {
          var cased = typeof key.case_sensitive === "boolean" ? key.case_sensitive : undefined;
          return verdict(wasm.grade_short(key.answers, cased, key.words || [], v));
        }
        break;
      case "numeric":
        if (text) {
          return verdict(wasm.grade_numeric(key.answer, key.tolerance, key.unit || undefined, key.words || [], v));
        }
        break;
      case "order": if (list) return verdict(wasm.grade_order(key.steps, v)); break;
      case "command": if (text) return verdict(wasm.grade_command(key.answers, key.table || "", v)); break;
      case "flashcard":
        if (Number.isInteger(v) && v >= 1 && v <= 4) {
          return { correct: v >= 3, wrong_options: [], correct_options: [], misplaced: [], messages: [] };
        }
    }
    return { correct: false, wrong_options: [], correct_options: [], misplaced: [],
      messages: ["this answer does not fit the question"] };
  }

  function grade(keyJson, answerJson) {
    return JSON.stringify(gradeWith(JSON.parse(keyJson), JSON.parse(answerJson)));
  }

  function calc_render(kind, argsJson) {
    var args = JSON.parse(argsJson);
    return wasm.calc_render(kind, Object.keys(args).map(function (k) { return k + "=" + args[k]; }));
  }

  function calc_simulate(endpoints, connections, seed) {
    return wasm.calc_simulate(String(endpoints), String(connections), seed >>> 0);
  }

  var api = {
    grade: grade, progress_load: progress_load, progress_record: progress_record,
    progress_schedule: progress_schedule, progress_score: progress_score,
    progress_export: progress_export, progress_import: progress_import,
    calc_render: calc_render, calc_simulate: calc_simulate
  };
  var started = null;
  return { ready: function () { return started || (started = ready()); } };
})();
