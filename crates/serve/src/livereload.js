/* coursebook serve: live reload. Injected into pages by the dev server only (never by build).
 * Reloads this tab once the server has the new files in place, swaps stylesheets in place,
 * and shows a failed rebuild's message over the page until the next good build. */
(function () {
  "use strict";
  var path = location.pathname.replace(/^\//, "");
  if (path === "" || path.charAt(path.length - 1) === "/") path += "index.html";
  path = decodeURIComponent(path);

  function overlay(message) {
    var box = document.getElementById("coursebook-error-overlay");
    if (message === null) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "coursebook-error-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,20,.94);color:#ffd7d7;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "coursebook: the last change did not build; still showing the previous site.\n\n" + message;
  }

  function swapStyles(paths) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var href = link.getAttribute("href").split("?")[0];
      var matches = paths.some(function (p) { return href.slice(-p.length) === p; });
      if (matches) link.setAttribute("href", href + "?v=" + Date.now());
    });
  }

  var events = new EventSource("/__coursebook/events");
  events.onmessage = function (event) {
    var message = JSON.parse(event.data);
    if (message.type === "error") overlay(message.message);
    else if (message.type === "ok") overlay(null);
    else if (message.type === "styles") { overlay(null); swapStyles(message.paths); }
    else if (message.type === "reload") {
      if (message.paths.length === 0 || message.paths.indexOf(path) >= 0) location.reload();
      else overlay(null);
    }
  };
})();
