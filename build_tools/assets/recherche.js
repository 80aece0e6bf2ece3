/* Site-wide search page: Pagefind's UI (accent-insensitive, French stemming), query from ?q=. */
(function () {
  "use strict";
  var element = document.getElementById("spro-recherche");
  if (!element || !window.PagefindUI) { return; }
  var ui = new PagefindUI({ element: "#spro-recherche", bundlePath: element.getAttribute("data-bundle"),
    showSubResults: true, showImages: false, resetStyles: false, autofocus: true });
  (function label() {  /* Pagefind's input has only a title attribute */
    var input = element.querySelector("input");
    if (input) { input.setAttribute("aria-label", "Rechercher dans le site"); } else { window.setTimeout(label, 50); }
  })();
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
