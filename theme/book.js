/* coursebook default theme: book.js
 *
 * Owns the page behaviour: theme toggle, sidebar toggle, copy buttons on code blocks, page-TOC
 * highlight, print preparation, keyboard access to scrolling code blocks and tables, landing
 * on an anchor once the page settles, and ← / → for the previous and next chapter (not in a
 * form field, not with a modifier, not on a box that scrolls sideways, not when the learner
 * turned the single-key shortcuts off with the footer's #shortcuts-toggle). Classic
 * script (no modules, no dependencies) so it runs from file:// too. It must never throw or log:
 * every feature checks for its elements and is isolated from the others. The HTML it targets is
 * described in theme/README.md.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var THEME_KEY = "coursebook-theme";
  var SIDEBAR_KEY = "coursebook-sidebar";
  // "off" turns the single-key shortcuts off (WCAG 2.1.4): / and s (search.js), ← and →.
  var SHORTCUTS_KEY = "coursebook-shortcuts";

  // localStorage throws on some file:// setups and in privacy modes: treat as "nothing stored".
  function load(key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } }
  function save(key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /**/ } }
  function media(query) { return window.matchMedia ? window.matchMedia(query) : null; }
  function onMediaChange(mql, listener) {
    if (mql && mql.addEventListener) mql.addEventListener("change", listener);
    else if (mql && mql.addListener) mql.addListener(listener); // Safari < 14
  }
  function each(selector, fn, scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll(selector), fn);
  }
  // One broken feature must not take the others down.
  function safely(fn) { try { fn(); } catch (e) { /* silent by design */ } }

  /* ---- Copy text (pure, exposed for tests) ---- */

  // Shell blocks: the command lines without their prompts (output is not copied).
  // Other blocks: the whole code text without the trailing newline.
  function copyText(block) {
    if (!block || typeof block.querySelectorAll !== "function") return "";
    var lines = block.querySelectorAll(".cmd-line");
    if (lines.length) {
      return Array.prototype.map.call(lines, function (line) {
        var clone = line.cloneNode(true);
        each(".prompt", function (prompt) { prompt.parentNode.removeChild(prompt); }, clone);
        return clone.textContent.replace(/\r?\n$/, "");
      }).join("\n");
    }
    var code = block.querySelector("code") || block.querySelector("pre");
    return code ? code.textContent.replace(/\r?\n$/, "") : "";
  }

  window.coursebook = window.coursebook || {};
  window.coursebook.copyText = copyText;

  /* ---- Theme ---- */

  function initTheme() {
    var systemDark = media("(prefers-color-scheme: dark)");
    var button = document.getElementById("theme-toggle");
    function stored() { var v = load(THEME_KEY); return v === "light" || v === "dark" ? v : null; }
    function apply(theme) {
      root.dataset.theme = theme;
      if (!button) return;
      // aria-pressed carries the state, so the accessible name stays "Dark theme";
      // the tooltip says what a click will do.
      button.setAttribute("aria-pressed", String(theme === "dark"));
      button.title = theme === "dark" ? "Switch to light theme" : "Switch to dark theme";
    }

    var initial = root.dataset.theme; // normally set by the inline script in <head>
    if (initial !== "light" && initial !== "dark") {
      initial = stored() || (systemDark && systemDark.matches ? "dark" : "light");
    }
    if (button && !button.hasAttribute("aria-label") && !button.textContent.trim()) {
      button.setAttribute("aria-label", "Dark theme"); // an empty (icon-only) button needs a name
    }
    apply(initial);
    if (button) button.addEventListener("click", function () {
      var next = root.dataset.theme === "dark" ? "light" : "dark";
      save(THEME_KEY, next);
      apply(next);
    });
    // Follow the system live until the reader makes an explicit choice.
    onMediaChange(systemDark, function (event) {
      if (!stored()) apply(event.matches ? "dark" : "light");
    });
  }

  /* ---- Sidebar ---- */

  function initSidebar() {
    var sidebar = document.getElementById("sidebar");
    var button = document.getElementById("sidebar-toggle");
    var narrow = media("(max-width: 899px)");
    function isNarrow() { return Boolean(narrow && narrow.matches); }
    function isHidden() { return root.classList.contains("sidebar-hidden"); }
    // Narrow screens start hidden (the overlay would cover the page); wide ones as stored.
    function preferHidden() { return isNarrow() || load(SIDEBAR_KEY) === "hidden"; }

    // Scrolls the sidebar alone (never the page) so the current chapter sits in its middle,
    // and only when it is out of view. Setting scrollTop rather than calling scrollIntoView
    // keeps the keyboard's starting point at the top of the page: the first Tab still reaches
    // the skip link.
    function revealActive() {
      var link = sidebar && sidebar.querySelector('a.active, a[aria-current="page"]');
      if (!link) return;
      var box = sidebar.getBoundingClientRect(), rect = link.getBoundingClientRect();
      if (rect.top < box.top || rect.bottom > box.bottom) {
        sidebar.scrollTop += rect.top - box.top - (box.height - rect.height) / 2;
      }
    }
    function setHidden(hidden) {
      root.classList.toggle("sidebar-hidden", hidden);
      if (button) button.setAttribute("aria-expanded", String(!hidden));
      if (!hidden) revealActive();
    }

    setHidden(preferHidden());
    // Sections the browser skipped until now were laid out for this frame: check again.
    if (window.requestAnimationFrame) window.requestAnimationFrame(function () { if (!isHidden()) revealActive(); });
    onMediaChange(narrow, function () { setHidden(preferHidden()); });

    if (button) button.addEventListener("click", function () {
      var hidden = !isHidden();
      save(SIDEBAR_KEY, hidden ? "hidden" : "shown");
      setHidden(hidden);
    });
    // On narrow screens the sidebar is an overlay: following one of its links or clicking
    // outside it closes it (without touching the stored wide-screen choice).
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (!sidebar || !isNarrow() || isHidden() || (button && button.contains(target))) return;
      if (!sidebar.contains(target) || (target.closest && target.closest("a[href]"))) {
        setHidden(true);
      }
    });
  }

  /* ---- Copy buttons ---- */

  // Fallback when the async clipboard API is missing or refuses (file:// is not a secure
  // context in some browsers).
  function legacyCopy(text) {
    var previous = document.activeElement;
    var area = document.body.appendChild(Object.assign(document.createElement("textarea"),
      { value: text, readOnly: true }));
    var ok = false;
    area.style.cssText = "position:fixed;top:0;left:-9999px;opacity:0";
    area.select();
    area.setSelectionRange(0, text.length); // iOS ignores select()
    try { ok = document.execCommand("copy"); } catch (e) { /* unsupported: ok stays false */ }
    document.body.removeChild(area);
    if (previous && previous.focus) previous.focus({ preventScroll: true });
    return ok;
  }

  // Resolves to whether the copy worked.
  function writeClipboard(text) {
    try {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return legacyCopy(text); });
    } catch (e) { // no clipboard API: copy synchronously, while the click still counts
      return Promise.resolve(legacyCopy(text));
    }
  }

  function initCopyButtons() {
    var blocks = document.querySelectorAll(".code-block");
    if (!blocks.length) return;
    // The buttons' name stays "Copy code", so the outcome is announced through a status region
    // (it must exist before its text changes for screen readers to notice).
    var status = document.body.appendChild(Object.assign(document.createElement("div"),
      { className: "visually-hidden" }));
    status.setAttribute("role", "status");
    function showResult(button, ok) {
      clearTimeout(button.coursebookTimer);
      status.textContent = ok ? "Copied to clipboard" : "Copy failed";
      button.textContent = ok ? "Copied" : "Copy failed";
      button.classList.toggle("copied", ok);
      button.coursebookTimer = setTimeout(function () {
        button.textContent = "Copy";
        button.classList.remove("copied");
        status.textContent = "";
      }, 1500);
    }

    Array.prototype.forEach.call(blocks, function (block) {
      if (block.querySelector(".copy-button")) return; // never add two
      var button = Object.assign(document.createElement("button"),
        { type: "button", className: "copy-button", textContent: "Copy" });
      button.setAttribute("aria-label", "Copy code");
      button.addEventListener("click", function () {
        writeClipboard(copyText(block)).then(
          function (ok) { showResult(button, ok); },
          function () { showResult(button, false); });
      });
      block.appendChild(button);
    });
  }

  /* ---- Page TOC highlight ---- */

  function initTocHighlight() {
    var toc = document.querySelector("aside.page-toc");
    if (!toc || typeof window.IntersectionObserver !== "function") return;
    var items = [];
    each('a[href^="#"]', function (link) {
      var heading = null;
      try {
        heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      } catch (e) { /* malformed escape: skip the link */ }
      if (heading) items.push({ link: link, heading: heading });
    }, toc);
    if (!items.length) return;
    var atEnd = false; // set by the end-of-page sentinel below
    function update() {
      // Current: the last heading above a line a quarter down the viewport; at the end of the
      // page, the last heading on screen (short final sections never reach that line).
      var line = atEnd ? window.innerHeight : window.innerHeight * 0.25, current = null;
      items.forEach(function (item) {
        if (item.heading.getBoundingClientRect().top <= line) current = item;
      });
      items.forEach(function (item) { item.link.classList.toggle("active", item === current); });
    }
    var observer = new IntersectionObserver(update, { rootMargin: "0px 0px -75% 0px" });
    items.forEach(function (item) { observer.observe(item.heading); });
    // An empty element at the very end of the page tells when the bottom is in view.
    var sentinel = document.body.appendChild(document.createElement("div"));
    new IntersectionObserver(function (entries) {
      atEnd = entries[entries.length - 1].isIntersecting;
      update();
    }, { rootMargin: "0px 0px 40px 0px" }).observe(sentinel);
  }

  /* ---- Printing ---- */

  function initPrint() {
    var printPage = document.body.classList.contains("print-page");
    function openAll() { each("details:not([open])", function (d) { d.open = true; }); }
    if (printPage) openAll(); // interview answers are part of the printed book
    // Paper is always light: switch data-theme so highlight.css prints its light tokens too.
    var screenTheme = null;
    window.addEventListener("beforeprint", function () {
      if (printPage) openAll();
      screenTheme = root.dataset.theme;
      root.dataset.theme = "light";
    });
    window.addEventListener("afterprint", function () {
      if (screenTheme) root.dataset.theme = screenTheme;
    });
  }

  /* ---- Scrolling code blocks and tables ---- */

  // A code block or table wider than the column scrolls on its own, which keyboard users can
  // only do once it takes focus: those that overflow get tabindex=0 (removed again when they
  // fit). Re-checked on resize, when a <details> opens, and when quiz.js re-renders a calculator.
  function initScrollRegions() {
    var main = document.getElementById("content");
    if (!main) return;
    var pending = false;
    function update() {
      pending = false;
      each("pre, table", function (el) {
        var scrolls = el.scrollWidth > el.clientWidth + 1;
        if (scrolls && !el.hasAttribute("tabindex")) {
          el.setAttribute("tabindex", "0");
          el.setAttribute("data-scroll-focus", "");
        } else if (!scrolls && el.hasAttribute("data-scroll-focus")) {
          el.removeAttribute("tabindex");
          el.removeAttribute("data-scroll-focus");
        }
      }, main);
    }
    function schedule() {
      if (pending) return;
      pending = true;
      (window.requestAnimationFrame || setTimeout)(update);
    }
    update();
    window.addEventListener("resize", schedule);
    document.addEventListener("toggle", schedule, true); // <details> toggle does not bubble
    if (typeof window.MutationObserver === "function") {
      new MutationObserver(schedule).observe(main, { childList: true, subtree: true });
    }
  }

  /* ---- Landing on an anchor ---- */

  // A link to `page.html#id` must show its target below the sticky bar once the page has
  // settled. book.css reserves the room quiz.js fills, and scroll-margin-top keeps targets
  // clear of the bar; what still moves (a widget rendered by the bundle, a web font) is caught
  // here: until the learner scrolls, the target is put back in place when quiz.js has wired the
  // page (html[data-quiz]), on load, and while the page above it changes size, for a few seconds.
  function initLanding() {
    var id = null, target = null;
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
    if (id) target = document.getElementById(id);
    if (!target || typeof target.scrollIntoView !== "function") return;
    var settled = false;
    function stop() { settled = true; }
    ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (type) {
      window.addEventListener(type, stop, { passive: true, once: true, capture: true });
    });
    window.addEventListener("hashchange", stop, { once: true });
    function align() {
      if (settled || !document.contains(target)) return;
      var top = target.getBoundingClientRect().top;
      var margin = parseFloat(window.getComputedStyle(target).scrollMarginTop) || 0;
      if (Math.abs(top - margin) > 1) target.scrollIntoView({ block: "start", behavior: "instant" });
    }
    if (typeof window.MutationObserver === "function") {
      new MutationObserver(align).observe(root, { attributes: true, attributeFilter: ["data-quiz"] });
    }
    if (typeof window.ResizeObserver === "function") {
      var main = document.getElementById("content");
      if (main) new ResizeObserver(function () { align(); }).observe(main);
    }
    window.addEventListener("load", align);
    setTimeout(stop, 5000);
  }

  /* ---- Keys: ← and → for the previous and next chapter ---- */

  function isField(node) {
    if (!node || !node.tagName) return false;
    if (node.isContentEditable) return true;
    return /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(node.tagName);
  }

  // Whether `node` or a box around it scrolls sideways (a code block, a table): the arrows
  // scroll it instead.
  function scrollsSideways(node) {
    for (var el = node; el && el.nodeType === 1 && el !== document.body; el = el.parentElement) {
      if (el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(window.getComputedStyle(el).overflowX)) return true;
    }
    return document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;
  }

  function initKeys() {
    var toggle = document.getElementById("shortcuts-toggle");
    if (toggle) {
      toggle.checked = load(SHORTCUTS_KEY) !== "off";
      toggle.addEventListener("change", function () { save(SHORTCUTS_KEY, toggle.checked ? "on" : "off"); });
      var setting = toggle.closest("[hidden]");
      if (setting) setting.hidden = false;
    }
    document.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey || event.isComposing) return;
      if (load(SHORTCUTS_KEY) === "off") return;
      var target = event.target, active = document.activeElement;
      if (isField(target) || isField(active)) return;
      if (target.closest && target.closest("#search, #sidebar")) return;
      if (scrollsSideways(target)) return;
      var link = document.querySelector('nav.pager a[rel="' + (event.key === "ArrowLeft" ? "prev" : "next") + '"]');
      if (!link || !link.href) return;
      event.preventDefault();
      window.location.href = link.href;
    });
  }

  /* ---- Start ---- */

  var features = [initTheme, initSidebar, initCopyButtons, initTocHighlight, initPrint,
    initScrollRegions, initLanding, initKeys];
  function init() { features.forEach(safely); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
