// Offline reading (classic script, loaded by base.html when book.toml leaves it on).
// Over http(s) it registers the site's service worker `sw.js` (at the site root, one level up
// from this file), which caches the complete build; when a new build's worker takes over a page
// that an older one served, the page reloads once, so that it and its files come from one build.
// From file:// it registers nothing and hides the "Download for offline reading" links: this
// copy is already on disk.
(function () {
  'use strict';
  var script = document.currentScript;
  if (location.protocol === 'file:') {
    document.addEventListener('DOMContentLoaded', function () {
      var links = document.querySelectorAll('.offline-download');
      for (var i = 0; i < links.length; i++) links[i].hidden = true;
    });
    return;
  }
  if (!script || !script.hasAttribute('data-service-worker')) return;
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return;
  if (!('serviceWorker' in navigator)) return;
  var workers = navigator.serviceWorker;
  var worker = new URL('../sw.js', script.src);
  // A page the network served is taken over by the first worker without reloading: it is
  // already whole. A page that a worker served reloads when another one takes over.
  var controlled = !!workers.controller;
  var reloading = false;
  workers.addEventListener('controllerchange', function () {
    if (!controlled) {
      controlled = true;
    } else if (!reloading) {
      reloading = true;
      location.reload();
    }
  });
  workers.register(worker.href, { scope: new URL('./', worker).href }).catch(function () {
    // No worker (private mode, storage refused): the site works online as before.
  });
})();
