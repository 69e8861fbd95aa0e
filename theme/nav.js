/* coursebook default theme: nav.js
 *
 * Renders the book's whole chapter list into the sidebar. The build writes this code to the
 * site root as `nav.js`, after one generated line that holds the list:
 *
 *   var coursebookNavData = {"quizzes":true,"items":[["Home","index.html"],
 *     ["Days","days/index.html",[["Day 1","days/architecture.html"], …]], …]};
 *
 * (`[title, path]` a chapter, `[title, path or null, [entries]]` a section; paths from the site
 * root). Every page loads it from <head> as a classic script (so it works from file://), and the
 * sidebar's inline script calls `coursebookNav.render(sidebar)` right after the page's own
 * bounded navigation is parsed: the full list replaces it before the first paint, so there is
 * no flash and no layout shift, and a reader without JavaScript keeps the bounded one. One file
 * for every page keeps each page's bytes independent of the size of the book.
 */
(function () {
  "use strict";

  var data = typeof coursebookNavData === "object" && coursebookNavData ? coursebookNavData : null;
  var SCROLL_KEY = "coursebook-sidebar-scroll";
  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" };

  function escape(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return ESCAPES[c]; });
  }

  // Entries in `items` and below: a section's estimated height before it is laid out.
  function count(items) {
    var n = items.length;
    for (var i = 0; i < items.length; i++) if (items[i].length > 2) n += count(items[i][2] || []);
    return n;
  }

  // The same markup as the bounded navigation of theme/sidebar.html, so book.css styles both.
  // A section's list carries its entry count (--entries): book.css lets the browser skip laying
  // out sections out of view (content-visibility), which keeps a 10,000-chapter list fast.
  function list(items, root, current, out, entries) {
    out.push(entries ? "<ol class=\"chapters\" style=\"--entries:" + entries + "\">" : "<ol class=\"chapters\">");
    for (var i = 0; i < items.length; i++) {
      var item = items[i], title = escape(item[0]), path = item[1], link = title;
      if (typeof path === "string") {
        link = "<a href=\"" + escape(root + path) + "\"" +
          (path === current ? " class=\"active\" aria-current=\"page\"" : "") + ">" + title + "</a>";
      }
      if (item.length > 2) {
        var children = item[2] || [];
        out.push("<li class=\"section\"><span class=\"section-title\">" + link + "</span>");
        list(children, root, current, out, count(children));
        out.push("</li>");
      } else {
        out.push("<li class=\"chapter\">" + link + "</li>");
      }
    }
    out.push("</ol>");
  }

  // The sections holding the current page are laid out at once (class "open"); the innermost
  // one's height per entry becomes the estimate for the sections the browser skips, so the
  // current chapter can be scrolled into view before those are ever laid out.
  function estimateHeights(sidebar, tree) {
    var active = tree.querySelector('a[aria-current="page"]');
    var list = active && active.closest("li.section > ol");
    var innermost = list;
    for (; list; list = list.parentNode.closest("li.section > ol")) list.classList.add("open");
    var entries = innermost && Number(innermost.style.getPropertyValue("--entries"));
    if (entries > 0) {
      sidebar.style.setProperty("--entry-height", (innermost.offsetHeight / entries).toFixed(2) + "px");
    }
  }

  function load(key) { try { return window.sessionStorage.getItem(key); } catch (e) { return null; } }
  function save(key, value) { try { window.sessionStorage.setItem(key, value); } catch (e) { /**/ } }

  // Replaces the sidebar's bounded navigation with the whole list; returns whether it did.
  function render(sidebar) {
    if (!data || !sidebar || !data.items) return false;
    var out = [];
    list(data.items, sidebar.getAttribute("data-root") || "", sidebar.getAttribute("data-current"), out, 0);
    var tree = document.createElement("div");
    tree.className = "sidebar-tree";
    tree.innerHTML = out.join("");
    var local = sidebar.querySelector(".sidebar-local");
    if (local) sidebar.replaceChild(tree, local);
    else sidebar.appendChild(tree);
    document.documentElement.classList.add("nav-rendered");
    estimateHeights(sidebar, tree);
    // Keep the list where the reader left it when they follow one of its links; book.js then
    // scrolls the current chapter into view only if it is not visible there.
    var top = Number(load(SCROLL_KEY));
    if (top > 0) sidebar.scrollTop = top;
    sidebar.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a[href]")) save(SCROLL_KEY, String(sidebar.scrollTop));
    });
    return true;
  }

  // The Review and Progress links show only in a book with quizzes (CSS reads this class).
  if (data && data.quizzes) document.documentElement.classList.add("has-quizzes");

  window.coursebookNav = { render: render, data: data };
})();
