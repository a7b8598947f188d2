// The search page: Pagefind's UI over the index built with the site. Its files are loaded
// from here, not linked from the page, so a copy of the site without an index has no broken
// links and says search is unavailable. Links stay relative to wherever the site is served
// from, and ?q= in the address starts a search. A big site's index comes in shards
// (pagefind/shards.json lists them): the first one's UI searches them all (mergeIndex).
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var bundle = new URL(box.getAttribute("data-bundle"), window.location.href);
  var root = new URL(box.getAttribute("data-root"), window.location.href);

  function unavailable() {
    var note = document.querySelector(".search-unavailable");
    if (note) note.hidden = false;
  }

  function start(shards) {
    if (typeof PagefindUI === "undefined") return unavailable();
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: shards[0].pathname,
      mergeIndex: shards.slice(1).map(function (url) {
        return { bundlePath: url.pathname };
      }),
      baseUrl: root.pathname,
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      translations: { placeholder: "Search briefings, people, places" }
    });
    // A visible label for the search box (Pagefind's own input only has a placeholder).
    var input = box.querySelector("input");
    var label = document.querySelector(".search-label");
    if (input && label) {
      input.id = "search-input";
      label.hidden = false;
    }
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }

  function load(shards) {
    var style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL("pagefind-ui.css", shards[0]).href;
    document.head.appendChild(style);
    var script = document.createElement("script");
    script.src = new URL("pagefind-ui.js", shards[0]).href;
    script.onload = function () {
      start(shards);
    };
    script.onerror = unavailable;
    document.head.appendChild(script);
  }

  fetch(new URL("shards.json", bundle).href)
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (state) {
      var shards = (state.shards || []).map(function (name) {
        return new URL(name, bundle);
      });
      if (!shards.length) throw new Error("no shards");
      load(shards);
    })
    .catch(unavailable);
})();
