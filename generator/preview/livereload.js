// Briefing live reload: injected by `briefing serve` into HTML as it is served, never written
// to the output folder. It waits on /__livereload (server-sent events) and reloads the page
// only after a rebuild has fully finished, swaps stylesheets when only they changed, and shows
// build errors in an overlay until the next good build.
(function () {
  "use strict";
  var me = document.currentScript;
  var epoch = Number(me.getAttribute("data-epoch"));
  var server = me.getAttribute("data-server");
  var OVERLAY = "briefing-error-overlay";

  function hideOverlay() {
    var old = document.getElementById(OVERLAY);
    if (old) old.parentNode.removeChild(old);
  }

  function line(tag, text, css) {
    var el = document.createElement(tag);
    el.textContent = text; // textContent, never innerHTML: messages quote untrusted input
    if (css) el.style.cssText = css;
    return el;
  }

  function showOverlay(errors) {
    hideOverlay();
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(24,24,27,.95);color:#fafafa;font:15px/1.5 system-ui,sans-serif";
    box.appendChild(line("h2", "Build failed", "margin:0 0 1rem;color:#f87171;font-size:1.4rem"));
    errors.forEach(function (e) {
      var where = e.path ? e.path + (e.line ? ":" + e.line : "") : "";
      box.appendChild(line("div", where, "font:bold 14px ui-monospace,monospace;color:#fbbf24"));
      box.appendChild(line("pre", e.message,
        "margin:.25rem 0 1rem;white-space:pre-wrap;font:14px ui-monospace,monospace"));
    });
    box.appendChild(line("p",
      "The server keeps showing the last good build. Fix the file and save: this page updates by itself.",
      "color:#a1a1aa"));
    (document.body || document.documentElement).appendChild(box);
  }

  function swapStylesheets(n) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("__lr", String(n)); // a new address defeats the browser's cache
      link.href = url.href;
    });
  }

  var source = new EventSource("/__livereload");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.server !== server) { // the server was restarted: this page may be stale
      source.close();
      location.reload();
      return;
    }
    if (state.errors.length) {
      showOverlay(state.errors);
      return;
    }
    if (state.reload_epoch > epoch) {
      source.close();
      location.reload();
      return;
    }
    if (state.epoch > epoch) swapStylesheets(state.epoch);
    hideOverlay();
    epoch = state.epoch;
  };
})();
