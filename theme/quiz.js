/* coursebook default theme: quiz.js
 *
 * Owns the interactive learning features: quizzes (checking answers, options, order steps,
 * flashcards, scores), calculators, the review page (#review) and the progress page (#progress).
 * All logic (grading, spaced-repetition schedule, progress files, calculator output) lives in
 * the WebAssembly bundle static/coursebook-wasm.js, which this script loads on pages that need
 * it; this file only reads the DOM, calls the bundle and shows the results. Progress is kept as
 * a JSON string in localStorage["coursebook-progress:<book id>"].
 * Classic script (no modules, no fetch) so it works from file:// too. Without the bundle the
 * server-rendered fallbacks stay in place. Learner text is only ever set with textContent.
 * The print page (body.print-page) is left static so that the answers print.
 * Once everything is wired it sets <html data-quiz="ready"> (tests wait for it); when the
 * bundle cannot start, data-quiz="unavailable" and the static fallbacks stay.
 * Reviews measure recall: only the first answer to a question in a visit of the page (a
 * sitting) is recorded and scheduled; later answers, and answers to a question shown with its
 * last answer restored, are practice and change nothing stored.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var SCRIPT_SRC = (script && script.src) || "";
  // The site root as the page links it ("", "../", or an absolute URL).
  var ROOT = ((script && script.getAttribute("src")) || "").replace(/static\/quiz\.js(?:[?#].*)?$/, "");
  var RATINGS = { 1: "Again", 2: "Hard", 3: "Good", 4: "Easy" };

  var W = null;           // the page API (coursebookWasm, crates/web/js/api.js) once ready
  var progress = "";      // the progress as a JSON string
  var SITTING = Date.now(); // this visit: only its first answer to a question is a review
  var restored = {};      // questions shown with their last answer: practice on this visit
  var storageWarned = false;
  var notices = {};       // notices already shown on this page
  var calcCount = 0;      // calculators wired, for their error ids

  /* ---- Small helpers ---- */

  function all(selector, scope) {
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  }
  function one(selector, scope) { return (scope || document).querySelector(selector); }
  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function errorText(e) { return e && e.message ? e.message : String(e); }
  function safely(fn, arg) { try { fn(arg); } catch (e) { /* one broken widget spares the rest */ } }
  function parse(text, fallback) { try { return JSON.parse(text); } catch (e) { return fallback; } }
  function dateText(ms) { return new Date(ms).toLocaleDateString(); }
  function bookId() { return document.body.getAttribute("data-book") || "book"; }
  function storageKey() { return "coursebook-progress:" + bookId(); }

  /* ---- Notices and storage ---- */

  // A polite status line at the top of main, each text at most once per page.
  function notice(text) {
    if (notices[text]) return;
    notices[text] = true;
    var p = make("p", "progress-notice", text);
    p.setAttribute("role", "status");
    var main = one("main") || document.body;
    main.insertBefore(p, main.firstChild);
  }

  function storageFailed() {
    if (storageWarned) return;
    storageWarned = true;
    notice("This browser does not let the page store your progress: answers are kept only until you leave the page.");
  }

  function readStored() {
    try { return window.localStorage.getItem(storageKey()) || ""; } catch (e) { storageFailed(); return ""; }
  }

  function save() {
    try { window.localStorage.setItem(storageKey(), progress); } catch (e) { storageFailed(); }
  }

  function emptyProgress() { return JSON.stringify(JSON.parse(W.progress_load("")).progress); }

  function loadProgress() {
    var loaded = JSON.parse(W.progress_load(readStored()));
    progress = JSON.stringify(loaded.progress);
    if (loaded.notice) notice(loaded.notice.charAt(0).toUpperCase() + loaded.notice.slice(1));
  }

  function itemOf(key) {
    var items = (parse(progress, {}) || {}).items || {};
    return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null;
  }

  // Records a review; false when it is practice (already reviewed on this visit).
  function record(key, answer, rating) {
    var result = JSON.parse(W.progress_record(progress, key, JSON.stringify(answer), rating, Date.now(), SITTING));
    progress = JSON.stringify(result.progress);
    if (result.reviewed) save();
    return result.reviewed;
  }

  function scheduleOf(key) {
    return JSON.parse(W.progress_schedule(progress)).filter(function (s) { return s.key === key; })[0];
  }

  /* ---- Answers: read from and write to a question ---- */

  function kindOf(li) { return li.getAttribute("data-kind") || ""; }
  function keyOf(li) { return li.getAttribute("data-key") || ""; }
  function answerKey(li) { var s = one("script.answer-key", li); return s ? s.textContent : "{}"; }
  function textInput(li) { return one(".answer-input", li); }
  function stepList(li) { return one(".order-steps", li); }

  function chosenIndices(li) {
    return all(".option", li).filter(function (option) {
      var input = one("input", option);
      return input && input.checked;
    }).map(function (option) { return Number(option.getAttribute("data-index")); });
  }

  function stepOrder(li) {
    return all(".order-step", li).map(function (step) { return Number(step.getAttribute("data-step")); });
  }

  function readAnswer(li) {
    var kind = kindOf(li);
    if (kind === "single" || kind === "multiple") return { type: "choice", value: chosenIndices(li) };
    if (kind === "order") return { type: "order", value: stepOrder(li) };
    var input = textInput(li);
    return { type: "text", value: input ? input.value : "" };
  }

  function isBlank(answer) {
    if (answer.type === "choice") return answer.value.length === 0;
    return answer.type === "text" && !String(answer.value).trim();
  }

  function selectOptions(li, indices) {
    all(".option", li).forEach(function (option) {
      var input = one("input", option);
      if (input) input.checked = indices.indexOf(Number(option.getAttribute("data-index"))) >= 0;
    });
  }

  function orderSteps(li, steps) {
    var list = stepList(li);
    steps.forEach(function (n) {
      var step = one('.order-step[data-step="' + Number(n) + '"]', li);
      if (list && step) list.appendChild(step);
    });
  }

  function writeAnswer(li, answer) {
    if (answer.type === "choice") selectOptions(li, answer.value);
    else if (answer.type === "order") orderSteps(li, answer.value);
    else if (answer.type === "text" && textInput(li)) textInput(li).value = answer.value;
  }

  /* ---- Verdicts ---- */

  function showMessages(box, title, messages, note) {
    clear(box);
    box.appendChild(make("p", "verdict-title", title));
    if (messages && messages.length) {
      var list = box.appendChild(make("ul", "verdict-messages"));
      messages.forEach(function (m) { list.appendChild(make("li", "", m)); });
    }
    if (note) box.appendChild(make("p", "verdict-note", note));
  }

  function markOptions(li, verdict, chosen) {
    var wrong = verdict.wrong_options || [];
    var right = (verdict.correct_options || []).length ? verdict.correct_options : (verdict.correct ? chosen : []);
    all(".option", li).forEach(function (option) {
      var i = Number(option.getAttribute("data-index"));
      var picked = chosen.indexOf(i) >= 0, isRight = right.indexOf(i) >= 0;
      var chosenWrong = picked && wrong.indexOf(i) >= 0, missed = isRight && !picked;
      option.classList.toggle("chosen-wrong", chosenWrong);
      option.classList.toggle("missed", missed);
      option.classList.toggle("correct", isRight);
      var feedback = one(".option-feedback", option);
      if (feedback) feedback.hidden = !(chosenWrong || missed);
    });
  }

  function markSteps(li, verdict) {
    var misplaced = verdict.misplaced || [];
    all(".order-step", li).forEach(function (step, position) {
      step.classList.toggle("misplaced", misplaced.indexOf(position) >= 0);
    });
  }

  function showVerdict(li, verdict, answer, note) {
    var box = one(".verdict", li);
    var title = isBlank(answer) ? "No answer yet." : verdict.correct ? "Correct." : "Not quite.";
    if (box) showMessages(box, title, verdict.messages, note);
    if (isBlank(answer)) { li.removeAttribute("data-state"); return; }
    li.setAttribute("data-state", verdict.correct ? "correct" : "wrong");
    var explanation = one(".explanation", li);
    if (explanation) explanation.hidden = false;
    if (answer.type === "choice") markOptions(li, verdict, answer.value);
    if (answer.type === "order") markSteps(li, verdict);
  }

  var PRACTICE = "Practice: your first answer on this visit is the one reviewed; " +
    "the Review page asks this again when it is due.";

  function check(li) {
    var answer = readAnswer(li), key = keyOf(li), reviewed = false;
    var verdict = JSON.parse(W.grade(answerKey(li), JSON.stringify(answer)));
    if (!isBlank(answer) && !restored[key]) {
      safely(function () { reviewed = record(key, answer, verdict.correct ? 3 : 1); });
    }
    showVerdict(li, verdict, answer, isBlank(answer) || reviewed ? "" : PRACTICE);
    updateScores();
  }

  /* ---- Question set-up ---- */

  function shuffle(li) {
    var box = one(".options", li);
    if (!box || li.getAttribute("data-shuffle") !== "true") return;
    var options = all(".option", box);
    for (var i = options.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1)), t = options[i];
      options[i] = options[j];
      options[j] = t;
    }
    options.forEach(function (option) { box.appendChild(option); });
  }

  function moveStep(button, up) {
    var step = button.closest(".order-step");
    var other = step && (up ? step.previousElementSibling : step.nextElementSibling);
    if (!other) return;
    step.parentNode.insertBefore(step, up ? other : other.nextSibling);
    button.focus();
  }

  // A command pasted over several lines: a one-line field would turn each line break into a
  // space (and `\` + line break into an escaped space), so join the lines the way the shell
  // does: a `\` at the end of a line continues it, other line breaks separate commands.
  function pasteCommand(event) {
    var data = event.clipboardData, text = data ? data.getData("text") : "";
    if (!/[\r\n]/.test(text)) return;
    event.preventDefault();
    var input = event.target;
    var joined = text.replace(/\\\r?\n[ \t]*/g, " ").replace(/[ \t]*\r?\n\s*/g, " ; ").replace(/[ ;]+$/, "");
    input.setRangeText(joined.replace(/^[ ;]+/, ""), input.selectionStart, input.selectionEnd, "end");
  }

  function wireChecked(li) {
    var button = one("button.check", li);
    if (button) button.addEventListener("click", function () { check(li); });
    var input = textInput(li);
    if (input) input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.isComposing) { event.preventDefault(); check(li); }
    });
    if (input && kindOf(li) === "command") input.addEventListener("paste", pasteCommand);
    all(".step-up, .step-down", li).forEach(function (b) {
      b.addEventListener("click", function () { moveStep(b, b.classList.contains("step-up")); });
    });
  }

  function gradedText(prefix, key, rating) {
    var due = scheduleOf(key);
    return prefix + (RATINGS[rating] || rating) + "." + (due ? " Next review: " + dateText(due.due_ms) : "");
  }

  function revealCard(li, button) {
    var answer = one(".flashcard-answer", li), grades = one(".self-grade", li);
    if (answer) answer.hidden = false;
    if (grades) grades.hidden = false;
    if (button) button.setAttribute("aria-expanded", "true");
  }

  function gradeCard(li, rating) {
    var reviewed = record(keyOf(li), { type: "selfgrade", value: rating }, rating);
    var box = one(".verdict", li);
    if (box) {
      showMessages(box, reviewed ? gradedText("Graded: ", keyOf(li), rating)
        : gradedText("Already graded on this visit, so not changed: ", keyOf(li), (itemOf(keyOf(li)) || { answer: {} }).answer.value));
    }
    li.setAttribute("data-state", "graded");
  }

  function wireFlashcard(li) {
    var reveal = one("button.reveal", li);
    if (reveal) {
      reveal.setAttribute("aria-expanded", "false");
      reveal.addEventListener("click", function () { revealCard(li, reveal); });
    }
    all(".self-grade button[data-rating]", li).forEach(function (b) {
      b.addEventListener("click", function () { gradeCard(li, Number(b.getAttribute("data-rating"))); });
    });
  }

  function restore(li) {
    var item = itemOf(keyOf(li));
    if (!item || !item.answer) return;
    if (kindOf(li) === "flashcard") {
      var box = one(".verdict", li);
      if (box) showMessages(box, gradedText("Last graded: ", keyOf(li), item.answer.value));
      return;
    }
    writeAnswer(li, item.answer);
    restored[keyOf(li)] = true;
    showVerdict(li, JSON.parse(W.grade(answerKey(li), JSON.stringify(item.answer))), item.answer);
  }

  function initQuestion(li) {
    all(".answer-fallback", li).forEach(function (d) { d.parentNode.removeChild(d); });
    shuffle(li);
    if (kindOf(li) === "flashcard") wireFlashcard(li);
    else wireChecked(li);
    // On the Review page a due question is asked afresh, not shown with its last answer.
    if (!li.closest("#review")) restore(li);
  }

  /* ---- Scores ---- */

  function scoredKeys(section) {
    return all("li.question", section).filter(function (li) {
      return kindOf(li) !== "flashcard";
    }).map(keyOf);
  }

  function updateScore(section) {
    var p = one(".quiz-score", section);
    if (!p) return;
    var keys = scoredKeys(section);
    p.hidden = keys.length === 0;
    if (!keys.length) return;
    var s = JSON.parse(W.progress_score(progress, JSON.stringify(keys)));
    p.textContent = "Score: " + s.correct + " of " + s.total + " correct (" + s.answered + " answered)";
  }

  function updateScores() { all("section.quiz").forEach(function (s) { safely(updateScore, s); }); }

  /* ---- Calculators ---- */

  function calcArgs(form) {
    var args = {};
    all("input, select", form).forEach(function (input) {
      if (input.name && !input.hasAttribute("data-sim")) args[input.name] = input.value;
    });
    return args;
  }

  // Shows `message` ("field: what to enter", from the bundle) beside its field, marks the field
  // invalid and hides the results it no longer matches; no message clears all that.
  function calcError(calc, message, stale) {
    var p = one(".calc-error", calc), form = one(".calc-form", calc);
    if (!p || !form) return;
    all("[aria-invalid]", form).forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
    stale.forEach(function (box) { if (box) box.hidden = Boolean(message); });
    if (!message) { p.textContent = ""; p.hidden = true; return; }
    var m = /^([a-z-]+): ([\s\S]+)$/.exec(message);
    var field = m && form.elements[m[1]];
    var text = m ? m[2] : message;
    p.textContent = text.charAt(0).toUpperCase() + text.slice(1) + ".";
    p.hidden = false;
    if (field && field.setAttribute) {
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", p.id);
      var label = field.closest("label") || field;
      label.parentNode.insertBefore(p, label.nextSibling);
    } else {
      form.appendChild(p);
    }
  }

  function renderCalc(calc, form) {
    var output = one(".calc-output", calc), simulation = one(".calc-simulation", calc);
    try {
      var html = W.calc_render(calc.getAttribute("data-calc"), JSON.stringify(calcArgs(form)));
      if (output) output.innerHTML = html; // trusted: built by the bundle from numbers only
      if (simulation) simulation.textContent = ""; // it ran for other inputs
      calcError(calc, "", [output, simulation]);
    } catch (e) {
      calcError(calc, errorText(e), [output, simulation]);
    }
  }

  function simulate(calc, form) {
    var box = one(".calc-simulation", calc);
    var endpoints = form.elements.endpoints ? form.elements.endpoints.value : "";
    var connections = form.elements.connections ? form.elements.connections.value : "";
    try {
      var html = W.calc_simulate(endpoints, connections, Date.now() & 0x7fffffff);
      if (box) box.innerHTML = html; // trusted: numbers only
      calcError(calc, "", [box]);
    } catch (e) {
      if (box) box.textContent = "";
      calcError(calc, errorText(e), [box]);
    }
  }

  function initCalc(calc) {
    var form = one(".calc-form", calc), p = one(".calc-error", calc);
    if (!form) return;
    if (p && !p.id) p.id = "calc-error-" + (++calcCount);
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function (event) {
      if (!event.target.hasAttribute("data-sim")) renderCalc(calc, form);
    });
    var button = one(".calc-simulate", calc);
    if (button) button.addEventListener("click", function () { simulate(calc, form); });
    renderCalc(calc, form); // the browser may have restored other values than the static ones
  }

  /* ---- Review page ---- */

  function endOfToday() {
    var d = new Date();
    d.setHours(23, 59, 59, 999);
    return d.getTime();
  }

  function chapterLink(li) {
    var a = make("a", "", li.getAttribute("data-chapter-title") || "Chapter");
    a.href = ROOT + (li.getAttribute("data-chapter-url") || "");
    return a;
  }

  function poolByKey(review) {
    var map = {};
    all(".review-pool li.question", review).forEach(function (li) { map[keyOf(li)] = li; });
    return map;
  }

  function showDue(review, due) {
    var list = one(".review-list", review), empty = one(".review-empty", review);
    if (empty) empty.hidden = due.length > 0;
    due.forEach(function (li) {
      var label = make("p", "question-chapter");
      label.appendChild(chapterLink(li));
      li.insertBefore(label, li.firstChild);
      if (list) list.appendChild(li);
    });
  }

  function upcomingRow(li, entry) {
    var tr = make("tr");
    var prompt = one(".question-prompt", li);
    tr.appendChild(make("td", "", prompt ? prompt.textContent.trim() : keyOf(li)));
    tr.appendChild(make("td")).appendChild(chapterLink(li));
    tr.appendChild(make("td", "", dateText(entry.due_ms)));
    return tr;
  }

  function showUpcoming(review, rows) {
    var body = one(".review-schedule tbody", review);
    if (!body) return;
    rows.forEach(function (row) { body.appendChild(row); });
    if (rows.length) return;
    var td = body.appendChild(make("tr")).appendChild(make("td", "review-none", "Nothing is scheduled after today."));
    td.colSpan = 3;
  }

  function showNew(review, pool) {
    var p = one(".review-new-count", review);
    if (!p) return;
    var fresh = Object.keys(pool).filter(function (key) { return !itemOf(key); }).length;
    clear(p);
    p.appendChild(document.createTextNode(fresh + (fresh === 1 ? " question" : " questions") +
      " not tried yet. Your score per chapter is on the "));
    var a = p.appendChild(make("a", "", "Progress page"));
    a.href = ROOT + "progress.html";
    p.appendChild(document.createTextNode("."));
  }

  function initReview(review) {
    var pool = poolByKey(review), limit = endOfToday(), due = [], later = [];
    JSON.parse(W.progress_schedule(progress)).forEach(function (entry) {
      var li = pool[entry.key];
      if (!li) return;
      if (entry.due_ms <= limit) due.push(li);
      else later.push(upcomingRow(li, entry));
    });
    showDue(review, due);
    showUpcoming(review, later);
    showNew(review, pool);
  }

  /* ---- Progress page ---- */

  function setCell(tr, selector, text) {
    var td = one(selector, tr);
    if (td) td.textContent = text;
  }

  function fillProgress(box) {
    all("tr[data-keys]", box).forEach(function (tr) {
      var s = JSON.parse(W.progress_score(progress, tr.getAttribute("data-keys")));
      setCell(tr, ".answered", String(s.answered));
      setCell(tr, ".correct", String(s.correct));
      setCell(tr, ".score", s.answered && s.total ? Math.round(100 * s.correct / s.total) + "%" : "–");
    });
  }

  // `failed` styles the message as an error (p.progress-message.progress-error).
  function progressMessage(box, text, failed) {
    var p = one(".progress-message", box);
    if (!p) return;
    p.textContent = text;
    p.classList.toggle("progress-error", Boolean(failed));
  }

  function exportProgress(box) {
    var name = bookId() + "-progress.json";
    var blob = new Blob([W.progress_export(progress, bookId(), Date.now())], { type: "application/json" });
    var a = make("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
    progressMessage(box, "Progress saved as " + name + ".");
  }

  function importText(box, text) {
    try {
      var result = JSON.parse(W.progress_import(progress, text, bookId()));
      progress = JSON.stringify(result.progress);
      save();
      fillProgress(box);
      progressMessage(box, "Imported " + result.imported + (result.imported === 1 ? " answer." : " answers."));
    } catch (e) {
      progressMessage(box, "Import failed: " + errorText(e), true);
    }
  }

  function importProgress(box, input) {
    var file = input.files && input.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { importText(box, String(reader.result)); input.value = ""; };
    reader.onerror = function () { progressMessage(box, "Import failed: the file could not be read.", true); };
    reader.readAsText(file);
  }

  function resetProgress(box) {
    if (!window.confirm("Reset all progress? Every answer and review date of this book will be forgotten.")) return;
    try { window.localStorage.removeItem(storageKey()); } catch (e) { storageFailed(); }
    progress = emptyProgress();
    fillProgress(box);
    progressMessage(box, "Progress reset.");
  }

  function initProgress(box) {
    fillProgress(box);
    var exp = one(".progress-export", box), imp = one(".progress-import", box), reset = one(".progress-reset", box);
    if (exp) exp.addEventListener("click", function () { exportProgress(box); });
    if (imp) imp.addEventListener("change", function () { importProgress(box, imp); });
    if (reset) reset.addEventListener("click", function () { resetProgress(box); });
  }

  /* ---- Start: load the bundle, then wire everything ---- */

  function initAll() {
    loadProgress();
    var review = document.getElementById("review");
    if (review) safely(initReview, review); // moves due questions before they are wired
    all("li.question").forEach(function (li) { safely(initQuestion, li); });
    updateScores();
    all(".calc").forEach(function (calc) { safely(initCalc, calc); });
    var box = document.getElementById("progress");
    if (box) safely(initProgress, box);
    document.documentElement.setAttribute("data-quiz", "ready");
  }

  function startWasm() {
    /* global coursebookWasm */
    if (typeof coursebookWasm !== "object") return;
    coursebookWasm.ready().then(function (api) {
      W = api;
      initAll();
    }, function () { document.documentElement.setAttribute("data-quiz", "unavailable"); });
  }

  // The print page stays static: its answer fallbacks (opened by book.js) are what gets printed.
  function needsWasm() {
    if (document.body.classList.contains("print-page")) return false;
    return Boolean(one(".quiz, .calc, #review, #progress, li.question"));
  }

  function init() {
    if (!needsWasm() || !SCRIPT_SRC) return;
    if (typeof coursebookWasm === "object") { startWasm(); return; }
    var tag = document.createElement("script");
    tag.src = SCRIPT_SRC.replace(/quiz\.js(?:[?#].*)?$/, "coursebook-wasm.js");
    tag.onload = startWasm;
    tag.onerror = function () { document.documentElement.setAttribute("data-quiz", "unavailable"); };
    document.head.appendChild(tag);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
