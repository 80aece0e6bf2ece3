/* Site-wide search page (/recherche/?q=): the lieux found by the finder's own rules (finder-core.js over
   trouver/index.json: every commune, accents and typos forgiven, the finder's ranking), then the site's other pages
   found by Pagefind (its JavaScript API; the lieu pages are not in its index: build_tools/pipeline.py).
   Each section says, with data-recherche, the query it shows (what the browser tests wait on). */
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
  var base = root.getAttribute("data-base");
  var suggestions = lieuxSection.querySelector(".spro-suggestions");
  var finderLoading = null, pagefindLoading = null, current = null, pagesShown = PAGES_STEP, addressTimer = null;

  function finder() {
    if (!finderLoading) {
      finderLoading = fetch(root.getAttribute("data-index"))
        .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
        .then(function (index) {
          var loaded = new core.Finder(index);
          root.setAttribute("data-lieux-charges", "");  /* (for the tests: what follows has run when they see it) */
          return loaded;
        });
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
    }
    return pagefindLoading;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function plural(count, one, many) { return count + " " + (count > 1 ? many : one); }

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

  /* « Corriger en : mission » when no lieu is found and a word is unknown (the finder's suggestions). */
  function showSuggestions(unknown, count) {
    var fragment = document.createDocumentFragment();
    unknown = unknown.filter(function (u) { return u[1].length; });
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

  function showLieux(query, found, text) {
    var list = lieuxSection.querySelector("ol"), index = found.index;
    var items = found.results.slice(0, LIEUX_SHOWN).map(function (result) {
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
    });
    list.replaceChildren.apply(list, items);
    var count = found.results.length;
    showSuggestions(found.unknown, count);
    lieuxSection.querySelector(".spro-recherche__compte").textContent = count === 0
      ? "Aucun lieu d'accueil ne correspond à «\u00a0" + text + "\u00a0»."
      : count > LIEUX_SHOWN ? "Les " + LIEUX_SHOWN + " premiers sur " + count + "." : "";
    var all = lieuxSection.querySelector(".spro-recherche__tous");
    all.hidden = count === 0;
    all.href = base + "trouver/?" + new URLSearchParams({ q: text }).toString();
    all.textContent = count === 1 ? "Voir ce lieu dans « Trouver un lieu » (carte, horaires, filtres)"
      : "Voir les " + count + " lieux dans « Trouver un lieu » (carte, horaires, filtres)";
    lieuxSection.hidden = false;
    lieuxSection.setAttribute("data-recherche", query);
    return count;
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
    pagesSection.querySelector(".spro-recherche__compte").textContent = count === 0
      ? "Aucune page ne correspond." : "";
    more.hidden = pages.length >= count;
    pagesSection.hidden = false;
    pagesSection.setAttribute("data-recherche", query);
    return count;
  }

  /* The section says it could not load; null tells the announcement the same. */
  function failed(section, query, what) {
    if (query !== current) { return undefined; }
    section.querySelector("ol").replaceChildren();
    section.querySelector(".spro-recherche__compte").textContent = what + " n'ont pas pu être chargés : rechargez la page.";
    section.querySelectorAll(".spro-recherche__tous, .spro-recherche__plus, .spro-suggestions").forEach(function (node) {
      node.hidden = true;
    });
    section.hidden = false;
    section.setAttribute("data-recherche", query);
    return null;
  }

  function searchLieux(query) {
    return finder().then(function (f) {
      if (query !== current) { return undefined; }  /* (a later keystroke took over) */
      if (!f.words(query).length) {  /* only words the search leaves out (« de », « la »): no lieu is meant */
        lieuxSection.hidden = true;
        lieuxSection.setAttribute("data-recherche", query);
        return -1;
      }
      var found = f.search({ text: query });
      return showLieux(query, { results: found.results, unknown: found.unknown, index: f.index }, query);
    }).then(null, function () { return failed(lieuxSection, query, "Les lieux d'accueil"); });
  }

  function searchPages(query, debounce) {
    return pagefind().then(function (module) {
      if (query !== current) { return undefined; }
      var search = debounce ? module.debouncedSearch(query, {}, 200) : module.search(query);
      return search.then(function (found) {
        if (!found || query !== current) { return undefined; }  /* (a later keystroke took over) */
        return Promise.all(found.results.slice(0, pagesShown).map(function (r) { return r.data(); })).then(function (pages) {
          return query === current ? showPages(query, found, pages) : undefined;
        });
      });
    }).then(null, function () { return failed(pagesSection, query, "Les résultats des pages"); });
  }

  function update(debounce) {
    var query = input.value.trim();
    if (query === current) { return; }
    current = query;
    pagesShown = PAGES_STEP;
    window.clearTimeout(addressTimer);
    addressTimer = window.setTimeout(function () { keepInAddress(query); }, debounce ? 400 : 0);
    if (!query) {
      lieuxSection.hidden = pagesSection.hidden = true;
      announce.textContent = "";
      return;
    }
    Promise.all([searchLieux(query), searchPages(query, debounce)]).then(function (counts) {
      if (query !== current || counts[0] === undefined || counts[1] === undefined) { return; }
      var parts = [];
      if (counts[0] !== null && counts[0] >= 0) { parts.push(plural(counts[0], "lieu d'accueil", "lieux d'accueil")); }
      if (counts[1] !== null) { parts.push(plural(counts[1], "page", "pages")); }
      var said = parts.length ? parts.join(" et ") + " pour « " + query + " »." : "";
      if (counts[0] === null) { said += " Les lieux d'accueil n'ont pas pu être chargés."; }
      if (counts[1] === null) { said += " Les pages du site n'ont pas pu être chargées."; }
      announce.textContent = said.trim();
    });
  }

  /* The address keeps the words (to share or come back), once typing pauses: some browsers refuse a burst of
     history changes. */
  function keepInAddress(query) {
    var params = new URLSearchParams(window.location.search);
    if (query) { params.set("q", query); } else { params.delete("q"); }
    try {
      window.history.replaceState(window.history.state, "", window.location.pathname + (params.toString() ? "?" + params.toString() : ""));
    } catch (refused) { /* (the search still works; only the address is behind) */ }
  }

  more.addEventListener("click", function () {
    pagesShown += PAGES_STEP;
    var query = current, first = pagesShown - PAGES_STEP;
    searchPages(query, false).then(function (count) {
      if (query !== current || typeof count !== "number") { return; }  /* (the words changed meanwhile) */
      var next = pagesSection.querySelectorAll("ol > li")[first];
      if (next) { next.querySelector("a").focus(); }
    });
  });
  suggestions.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-mot]");
    if (!button) { return; }
    var word = button.getAttribute("data-mot"), replaced = false;
    input.value = input.value.split(/\s+/).map(function (token) {
      if (!replaced && core.fold(token) === word) { replaced = true; return button.textContent; }
      return token;
    }).join(" ");
    input.focus();
    update(false);
  });
  input.addEventListener("input", function () { update(true); });
  input.form.addEventListener("submit", function (event) { event.preventDefault(); update(false); });

  var withoutScripts = document.getElementById("spro-sans-js");  /* (no <noscript>: build_tools/active_content.py) */
  if (withoutScripts) { withoutScripts.hidden = true; }
  root.hidden = false;
  input.value = new URLSearchParams(window.location.search).get("q") || "";
  input.focus();
  update(false);
})();
