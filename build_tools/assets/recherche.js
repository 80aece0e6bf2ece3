/* Site-wide search page (/recherche/?q=): the lieux found by the finder's own rules (finder-core.js over
   trouver/index.json: every commune, accents and typos forgiven, the finder's ranking), then the site's other pages
   found by Pagefind (its JavaScript API; the lieu pages are not in its index: build_tools/pipeline.py).
   Each section says, with data-recherche, the query it shows (what the browser tests wait on). Every search has a
   number (``generation``): an answer arriving for an older one changes nothing. */
(function () {
  "use strict";
  var root = document.getElementById("spro-recherche");
  var core = window.SproFinderCore;
  if (!root || !core || !window.fetch || !window.URLSearchParams) { return; }
  var LIEUX_SHOWN = 5, PAGES_STEP = 10;
  var input = document.getElementById("spro-recherche-q");
  var announce = document.getElementById("spro-recherche-annonce");
  var lieuxSection = document.getElementById("spro-recherche-lieux");
  var pagesSection = document.getElementById("spro-recherche-pages");
  var more = pagesSection.querySelector(".spro-recherche__plus");
  var all = lieuxSection.querySelector(".spro-recherche__tous");
  var suggestions = lieuxSection.querySelector(".spro-suggestions");
  var base = root.getAttribute("data-base");
  var finderLoading = null, pagefindLoading = null, addressTimer = null;
  var current = null, generation = 0, pagesShown = PAGES_STEP, moreLoading = false;

  /* The finder's index, loaded once; a failed load is tried again by the next search. */
  function finder() {
    if (!finderLoading) {
      finderLoading = fetch(root.getAttribute("data-index"))
        .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
        .then(function (index) {
          var loaded = new core.Finder(index);
          root.setAttribute("data-lieux-charges", "");  /* (for the tests: what follows has run when they see it) */
          return loaded;
        });
      finderLoading.catch(function () { finderLoading = null; });
    }
    return finderLoading;
  }

  function pagefind() {
    if (!pagefindLoading) {
      pagefindLoading = import(new URL(root.getAttribute("data-pagefind"), window.location.href).href).then(function (module) {
        /* A page whose subject is the word (its « sujet »: a service's short name, a network's former names)
           comes before a page that merely mentions it. */
        return module.options({ baseUrl: new URL(base, window.location.href).pathname,
          ranking: { metaWeights: { sujet: 10 } } }).then(function () { return module; });
      });
      pagefindLoading.catch(function () { pagefindLoading = null; });
    }
    return pagefindLoading;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function quoted(text) { return "«\u00a0" + text + "\u00a0»"; }

  /* Pagefind's excerpt is HTML with <mark> around the words found: read in an inert document, and rebuilt from
     its text and marks only. */
  function excerpt(html) {
    var paragraph = element("p", "spro-recherche__extrait");
    var parsed = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    parsed.childNodes.forEach(function (node) {
      paragraph.appendChild(node.nodeName === "MARK" ? element("mark", "", node.textContent)
        : document.createTextNode(node.textContent));
    });
    return paragraph;
  }

  /* « Corriger en : handicap » when no lieu is found and a word is unknown (the finder's suggestions). */
  function showSuggestions(unknown, count) {
    var fragment = document.createDocumentFragment();
    if (count === 0 && unknown.length) {
      fragment.appendChild(document.createTextNode("Corriger en : "));
      unknown.forEach(function (u) {
        u[1].forEach(function (word) {
          var button = element("button", "spro-bouton-secondaire spro-suggestion", word);
          button.type = "button";
          button.setAttribute("data-mot", u[0]);
          fragment.appendChild(button);
          fragment.appendChild(document.createTextNode(" "));
        });
      });
    }
    suggestions.replaceChildren(fragment);
    suggestions.hidden = !suggestions.childNodes.length;
  }

  function showLieux(query, found) {
    var list = lieuxSection.querySelector("ol"), index = found.index;
    list.replaceChildren.apply(list, found.results.slice(0, LIEUX_SHOWN).map(function (result) {
      var lieu = result.lieu, item = element("li");
      var link = element("a", "spro-lieu-item__nom", lieu.nom);
      link.href = base + "lieux/" + lieu.id + "/";
      item.appendChild(link);
      item.appendChild(element("span", "spro-meta", index.reseaux[lieu.reseau].nom + " · " + lieu.commune));
      var badges = element("span", "spro-badges");
      lieu.services.forEach(function (s) {
        var badge = element("span", "spro-badge", index.services[s].nom_court);
        badge.title = index.services[s].nom;
        badges.appendChild(badge);
      });
      item.appendChild(badges);
      return item;
    }));
    var count = found.results.length;
    showSuggestions(found.unknown, count);
    lieuxSection.querySelector(".spro-recherche__compte").textContent = count === 0
      ? "Aucun lieu d'accueil ne correspond à " + quoted(query) + "."
      : count > LIEUX_SHOWN ? "Les " + LIEUX_SHOWN + " premiers sur " + count + "." : "";
    /* None found: the finder may still know the words as a place (« Lezay »: the lieux nearest to it). */
    all.href = base + "trouver/?" + new URLSearchParams(count === 0 ? { recherche: query } : { q: query }).toString();
    all.textContent = count === 0 ? "Chercher " + quoted(query) + " dans « Trouver un lieu » (une commune : les lieux les plus proches)"
      : count === 1 ? "Voir ce lieu dans « Trouver un lieu » (carte, horaires, filtres)"
      : "Voir les " + count + " lieux dans « Trouver un lieu » (carte, horaires, filtres)";
    all.hidden = false;
    lieuxSection.hidden = false;
    lieuxSection.setAttribute("data-recherche", query);
    return { count: count, meant: found.unknown };
  }

  function showPages(query, found, pages) {
    var list = pagesSection.querySelector("ol");
    list.replaceChildren.apply(list, pages.map(function (page) {
      var item = element("li"), link = element("a", "spro-recherche__titre", page.meta.title || page.url);
      link.href = page.url;
      item.appendChild(link);
      item.appendChild(excerpt(page.excerpt));
      return item;
    }));
    var count = found.results.length;
    pagesSection.querySelector(".spro-recherche__compte").textContent = count === 0 ? "Aucune page ne correspond." : "";
    more.hidden = pages.length >= count;
    pagesSection.hidden = false;
    pagesSection.setAttribute("data-recherche", query);
    return count;
  }

  var FAILED = { lieux: "Les lieux d'accueil n'ont pas pu être chargés", pages: "Les pages du site n'ont pas pu être chargées" };

  /* The section says it could not load; null tells the announcement the same. */
  function failed(section, query, what) {
    section.querySelector("ol").replaceChildren();
    section.querySelector(".spro-recherche__compte").textContent = what + " : vérifiez votre connexion, puis modifiez la recherche ou rechargez la page.";
    section.querySelectorAll(".spro-recherche__tous, .spro-recherche__plus, .spro-suggestions").forEach(function (node) {
      node.hidden = true;
    });
    section.hidden = false;
    section.setAttribute("data-recherche", query);
    return null;
  }

  /* Resolves to {count, meant} (count -1: only words the search leaves out), null (failed) or undefined (an
     older search). */
  function searchLieux(query, number) {
    if (!root.hasAttribute("data-lieux-charges")) {  /* the section keeps its place while the index loads */
      lieuxSection.querySelector(".spro-recherche__compte").textContent = "Recherche des lieux d'accueil…";
      lieuxSection.querySelector("ol").replaceChildren();
      suggestions.hidden = all.hidden = true;
      lieuxSection.hidden = false;
    }
    return finder().then(function (f) {
      if (number !== generation) { return undefined; }
      if (!f.words(query).length) {  /* « de la »: no lieu is meant */
        lieuxSection.hidden = true;
        lieuxSection.setAttribute("data-recherche", query);
        return { count: -1, meant: [] };
      }
      var found = f.search({ text: query });
      return showLieux(query, { results: found.results, unknown: found.unknown.filter(function (u) { return u[1].length; }), index: f.index });
    }).then(null, function () { return number === generation ? failed(lieuxSection, query, FAILED.lieux) : undefined; });
  }

  /* The first ``shown`` pages found: their count, or undefined for an older search; throws if they fail to load. */
  function searchPages(query, number, debounce, shown) {
    return pagefind().then(function (module) {
      if (number !== generation) { return undefined; }
      var search = debounce ? module.debouncedSearch(query, {}, 200) : module.search(query);
      return search.then(function (found) {
        if (!found || number !== generation) { return undefined; }
        return Promise.all(found.results.slice(0, shown).map(function (r) { return r.data(); })).then(function (pages) {
          return number === generation ? showPages(query, found, pages) : undefined;
        });
      });
    });
  }

  function said(query, lieux, pages) {
    var parts = [];
    if (lieux && lieux.count >= 0) { parts.push(lieux.count === 0 ? "aucun lieu d'accueil" : lieux.count + (lieux.count > 1 ? " lieux d'accueil" : " lieu d'accueil")); }
    if (pages !== null) { parts.push(pages === 0 ? "aucune page" : pages + (pages > 1 ? " pages" : " page")); }
    var text = "";
    if (parts.length) {
      text = parts.join(" et ") + " pour " + quoted(query) + ".";
      text = text.charAt(0).toUpperCase() + text.slice(1);
      if (lieux && lieux.count === 0 && pages === 0) { text = "Aucun lieu d'accueil ni aucune page pour " + quoted(query) + "."; }
    }
    if (lieux && lieux.count === 0) {
      lieux.meant.forEach(function (u) {
        text += " " + quoted(u[0]) + " : vouliez-vous dire " + u[1].map(quoted).join(" ou ") + " ?";
      });
    }
    if (lieux === null) { text += " " + FAILED.lieux + "."; }
    if (pages === null) { text += " " + FAILED.pages + "."; }
    return text.trim();
  }

  /* ``restored``: coming back to the page (Back), the pages that were shown and where it was scrolled. */
  function update(debounce, restored) {
    var query = input.value.trim();
    if (query === current) { return; }
    current = query;
    var number = ++generation;
    pagesShown = restored && restored.pages > PAGES_STEP ? restored.pages : PAGES_STEP;
    window.clearTimeout(addressTimer);
    addressTimer = window.setTimeout(function () { keepInAddress(); }, debounce ? 400 : 0);
    if (!query) {
      lieuxSection.hidden = pagesSection.hidden = true;
      announce.textContent = "";
      return;
    }
    var pages = searchPages(query, number, debounce, pagesShown).then(null, function () {
      return number === generation ? failed(pagesSection, query, FAILED.pages) : undefined;
    });
    Promise.all([searchLieux(query, number), pages]).then(function (answers) {
      if (number !== generation || answers[0] === undefined || answers[1] === undefined) { return; }
      announce.textContent = said(query, answers[0], answers[1]);
      if (restored && typeof restored.defilement === "number") { window.scrollTo(0, restored.defilement); }
    });
  }

  /* The address keeps the words (to share or come back), once typing pauses (some browsers refuse a burst of
     history changes), and at once when the page is left. */
  function keepInAddress(state) {
    window.clearTimeout(addressTimer);
    var params = new URLSearchParams(window.location.search);
    if (current) { params.set("q", current); } else { params.delete("q"); }
    var address = window.location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (!state && address === window.location.pathname + window.location.search) { return; }
    try {
      window.history.replaceState(state || window.history.state, "", address);
    } catch (refused) { /* (the search still works; only the address is behind) */ }
  }

  /* Leaving the page: the words in the address, and in its history entry the pages shown and the scroll, for
     Back when the browser loads the page again rather than keeping it. */
  function remember() {
    keepInAddress({ spro: true, pages: pagesShown, defilement: window.scrollY });
  }

  /* Ten more pages, the keyboard's focus on the first of them; nothing if the words change meanwhile, and the
     pages shown stay if the next ones cannot be loaded. */
  more.addEventListener("click", function () {
    if (moreLoading) { return; }
    moreLoading = true;
    var number = generation, first = pagesShown;
    searchPages(current, number, false, pagesShown + PAGES_STEP).then(function (count) {
      moreLoading = false;
      if (count === undefined || number !== generation) { return; }
      pagesShown += PAGES_STEP;
      var next = pagesSection.querySelectorAll("ol > li")[first];
      if (next) { next.querySelector("a").focus(); }
    }, function () {
      moreLoading = false;
      if (number === generation) { announce.textContent = "Les pages suivantes n'ont pas pu être chargées : réessayez."; }
    });
  });

  suggestions.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-mot]");
    if (!button) { return; }
    input.value = core.replaceWord(input.value, button.getAttribute("data-mot"), button.textContent);
    input.focus();
    update(false);
  });

  input.addEventListener("input", function () { update(true); });
  input.form.addEventListener("submit", function (event) { event.preventDefault(); update(false); keepInAddress(); });
  root.addEventListener("click", function (event) { if (event.target.closest("a")) { remember(); } });
  window.addEventListener("pagehide", remember);

  var withoutScripts = document.getElementById("spro-sans-js");  /* (no <noscript>: build_tools/active_content.py) */
  if (withoutScripts) { withoutScripts.hidden = true; }
  var header = document.querySelector(".spro-recherche-entete");  /* this page's own field replaces the header's */
  if (header) { header.hidden = true; }
  root.hidden = false;
  input.value = new URLSearchParams(window.location.search).get("q") || "";
  var restored = (window.history.state || {}).spro ? window.history.state : null;
  if (restored && "scrollRestoration" in window.history) { window.history.scrollRestoration = "manual"; }
  input.focus({ preventScroll: !!restored });
  update(false, restored);
})();
