/* Site-wide search page: Pagefind's UI (accent-insensitive, French stemming), query from ?q=. */
(function () {
  "use strict";
  var element = document.getElementById("spro-recherche");
  if (!element || !window.PagefindUI) { return; }
  var withoutScripts = document.getElementById("spro-sans-js");  /* (no <noscript>: build_tools/active_content.py) */
  if (withoutScripts) { withoutScripts.hidden = true; }
  /* Large directories index their lieu pages in several bundles (build_tools/search_bundles.py). */
  var bundles = (element.getAttribute("data-bundles-lieux") || "").split(" ").filter(Boolean)
    .map(function (path) { return { bundlePath: path }; });
  var ui = new PagefindUI({ element: "#spro-recherche", bundlePath: element.getAttribute("data-bundle"),
    mergeIndex: bundles, showSubResults: true, showImages: false, resetStyles: false, autofocus: true,
    /* A page whose subject is the word (its « sujet »: a lieu's network, services and publics, a service's short
       name, a network's former names) comes before a page that merely mentions it, or a word sharing its stem
       (« vae » is stemmed to « va », which also begins « Vals de Saintonge »). */
    ranking: { metaWeights: { sujet: 10 } },
    translations: { clear_search: "Effacer" },
    /* The subject ranks the pages; it is not for display (Pagefind would list it under each result). */
    processResult: function (result) { delete result.meta.sujet; return result; } });
  (function label() {  /* Pagefind's input has only a title attribute */
    var input = element.querySelector("input");
    if (input) { input.setAttribute("aria-label", "Rechercher dans le site"); } else { window.setTimeout(label, 50); }
  })();
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
