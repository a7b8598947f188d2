// The search page: Pagefind's UI over the index built with the site. Links stay relative
// to wherever the site is served from, and ?q= in the address starts a search.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  if (typeof PagefindUI === "undefined") {
    var note = document.querySelector(".search-unavailable");
    if (note) note.hidden = false;
    return;
  }
  var root = new URL(box.getAttribute("data-root"), window.location.href);
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: new URL(box.getAttribute("data-bundle"), window.location.href).pathname,
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
})();
