/* « Trouver un lieu »: the page (form, « Près de » combobox, filters panel, list, map) over trouver/index.json.
   The rules themselves are in finder-core.js (window.SproFinderCore), shared with the Node tests;
   tests/test_finder_agreement.py checks that they give what `spro search` gives.
   The communes (trouver/communes.json) are fetched only when « Près de » is first used, and Leaflet only
   when the map is shown (at once on a large screen, on « Carte » or « Voir sur la carte » on a phone).

   Mobile first: the fields, the criteria in use (chips) and the results come first; the filters open in a
   panel; a phone shows the list or the map. Every change of text, filter or place is a history entry (Back
   undoes it); coming back from a lieu restores the list where it was. The live region speaks when typing
   pauses and only when the count or the first results changed. */
(function () {
  "use strict";

  var core = window.SproFinderCore;
  var PAGE = 50;
  var OPTIONS = 10;
  var CODE = /^(\d{5}|2[AB]\d{3})$/;
  var GROUPS = ["service", "public", "bassin", "reseau", "modalite"];
  var TYPING_PAUSE = 800;  /* ms without a keystroke: the query is an entry of the history, and is announced */
  var LARGE = window.matchMedia("(min-width: 45em)");  /* list and map side by side */
  var WIDE = window.matchMedia("(min-width: 60em)");   /* the filters in a column of their own, always open */

  function plural(n, one, many) { return n + " " + (n > 1 ? many : one); }

  function setText(element, text) { if (element.textContent !== text) { element.textContent = text; } }

  function quoted(list) { return list.map(function (w) { return "« " + w + " »"; }).join(" ou "); }

  function loadScripts(sources) {
    return sources.reduce(function (previous, source) {
      return previous.then(function () {
        return new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = source;
          script.onload = resolve;
          script.onerror = reject;
          document.head.appendChild(script);
        });
      });
    }, Promise.resolve());
  }

  /* ---------------------------------------------------------------- the page */

  function Page(root, finder) {
    this.root = root;
    this.finder = finder;
    this.form = root.querySelector("form");
    this.text = root.querySelector("#spro-q");
    this.placeField = root.querySelector("#spro-commune");
    this.listbox = root.querySelector("#spro-communes-liste");
    this.status = root.querySelector("#spro-statut");
    this.announcer = root.querySelector("#spro-annonce");
    this.chips = root.querySelector("#spro-puces");
    this.suggestionBox = root.querySelector("#spro-suggestions");
    this.list = root.querySelector("#spro-resultats");
    this.more = root.querySelector("#spro-plus");
    this.geoMessage = root.querySelector("#spro-geo-message");
    this.filtersButton = root.querySelector("#spro-filtres-bouton");
    this.filters = root.querySelector("#spro-filtres");
    this.shown = PAGE;
    this.origin = null;
    this.originLabel = "";
    this.place = null;          /* the commune results are sorted from */
    this.placeMessage = "";     /* « not recognised », « choose »: said in the status */
    this.options = [];          /* the listbox's options: [{commune, label}] */
    this.active = -1;
    this.gazetteer = null;
    this.loading = null;
    this.announced = null;      /* what the live region last said: count and first results */
    this.base = root.getAttribute("data-base");
    this.territory = "en " + finder.index.territoire;
    this.build();
  }

  Page.prototype.build = function () {
    var self = this, index = this.finder.index;
    [["service", "services"], ["public", "publics"], ["bassin", "bassins"], ["reseau", "reseaux"],
      ["modalite", "modalites"]].forEach(function (spec) {  /* (services by their full names: « CEP » is jargon) */
      var box = self.root.querySelector("[data-groupe='" + spec[0] + "']");
      index[spec[1]].forEach(function (entry) {
        var label = document.createElement("label");
        var input = document.createElement("input");
        input.type = "checkbox";
        input.setAttribute("form", "spro-formulaire");
        input.name = spec[0];
        input.value = entry.code;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + entry.nom + " "));
        var count = document.createElement("span");
        count.className = "spro-compte";
        label.appendChild(count);
        box.appendChild(label);
      });
    });
    this.root.addEventListener("input", function (event) {  /* (the filters are outside the form: form= attribute) */
      if (event.target === self.placeField) {
        var before = [self.origin, self.placeMessage];
        self.placeTyped();
        if (before[0] === self.origin && before[1] === self.placeMessage) { return; }  /* same place: same results */
        self.shown = PAGE;
        self.changed(true);
        return;
      }
      if (event.target === self.text) {  /* typing: the list follows at once; history and voice when typing pauses */
        self.shown = PAGE;
        self.update();
        window.clearTimeout(self.typingTimer);
        self.typingTimer = window.setTimeout(function () { self.commit(true); self.announce(); }, TYPING_PAUSE);
      }
    });
    this.root.addEventListener("change", function (event) {
      if (event.target.type !== "checkbox") { return; }  /* text fields already followed on input */
      self.shown = PAGE;
      self.changed(true);
    });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); self.closeFilters(); self.changed(true); });
    this.form.addEventListener("reset", function (event) {
      event.preventDefault();
      self.clear();
    });
    this.placeField.addEventListener("focus", function () { self.loadGazetteer(); });
    this.placeField.addEventListener("keydown", function (event) { self.placeKey(event); });
    this.placeField.addEventListener("blur", function () { self.closeOptions(); });
    this.placeField.addEventListener("click", function () { self.openOptions(); });
    document.addEventListener("pointerdown", function (event) {  /* a list opened by a link closes like any other */
      if (event.target !== self.placeField && !self.listbox.contains(event.target)) { self.closeOptions(); }
    });
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });  /* keep the focus */
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.choose(Number(option.getAttribute("data-index"))); }
    });
    this.suggestionBox.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-mot], button[data-seul]");
      if (button && button.hasAttribute("data-mot")) { self.replaceWord(button.getAttribute("data-mot"), button.textContent); }
      else if (button) { self.text.value = button.getAttribute("data-seul"); self.text.focus(); self.shown = PAGE; self.changed(true); }
    });
    this.chips.addEventListener("click", function (event) {
      var chip = event.target.closest("button[data-critere]");
      if (chip) { self.removeCriterion(chip.getAttribute("data-critere"), chip.getAttribute("data-valeur")); }
    });
    this.filtersButton.addEventListener("click", function () {
      if (self.filtersButton.getAttribute("aria-expanded") === "true") { self.closeFilters(true); } else { self.openFilters(); }
    });
    this.root.querySelector("#spro-filtres-fermer").addEventListener("click", function () { self.closeFilters(true); });
    this.filters.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !LARGE.matches) { event.preventDefault(); self.closeFilters(true); }
    });
    this.root.querySelectorAll(".spro-vue").forEach(function (button) {
      button.addEventListener("click", function () { self.view(button.getAttribute("data-vue"), true); });
    });
    this.root.querySelector("#spro-autour").addEventListener("click", function () { self.locate(); });
    this.more.addEventListener("click", function () { self.shown += PAGE; self.render(); self.list.children[self.shown - PAGE].focus(); });
    this.list.addEventListener("click", function (event) {
      var item = event.target.closest("li[data-lieu-id]");
      if (item && event.target.tagName !== "A" && !event.target.closest(".spro-voir")) { self.highlight(item.getAttribute("data-lieu-id"), "liste"); }
    });
    window.addEventListener("popstate", function (event) {
      self.restore();
      self.update();
      self.view((event.state && event.state.vue) || "liste");
    });
    /* Coming back from a lieu: the list as long as it was, where it was. */
    if ("scrollRestoration" in window.history) { window.history.scrollRestoration = "manual"; }
    this.list.addEventListener("click", function (event) {  /* leaving for a lieu: where the list is, now */
      if (event.target.closest("a")) { self.remember(); self.leaving = true; }
    }, true);
    window.addEventListener("pagehide", function () { if (!self.leaving) { self.remember(); } });
    window.addEventListener("pageshow", function () { self.leaving = false; });
    this.root.hidden = false;  /* before the map: Leaflet measures its container */
    document.querySelector(".spro-sans-js-info").hidden = true;
    this.map = new ResultsMap(this.root.querySelector("#spro-carte"), this, index);
    LARGE.addEventListener("change", function () { if (LARGE.matches) { self.map.ensure(); } });
    this.restore();
    this.view("liste");
    if (WIDE.matches) { this.openFilters(); }  /* a wide screen shows them in a column of their own */
    WIDE.addEventListener("change", function () { if (WIDE.matches) { self.openFilters(); } });
    this.update();
    if (this.waiting) { this.returning = true; } else { this.returnToPlace(); this.announce(); }  /* (a place: once known) */
  };

  Page.prototype.selection = function () {
    var form = this.root, selection = { text: this.text.value, origin: this.origin };
    GROUPS.forEach(function (group) {
      selection[group] = new Set(Array.prototype.map.call(form.querySelectorAll("input[name='" + group + "']:checked"),
        function (input) { return input.value; }));
    });
    selection.pmr = form.querySelector("#spro-pmr").checked;
    selection.ouvert = form.querySelector("#spro-ouvert").checked;
    return selection;
  };

  /* A change the person made: the results, the address (a new entry of the history when ``push``), the voice. */
  Page.prototype.changed = function (push) {
    window.clearTimeout(this.typingTimer);
    this.update();
    this.commit(push);
    this.announce();
  };

  /* « Tout effacer »: text, place, filters, messages; a new entry of the history. */
  Page.prototype.clear = function () {
    var self = this;
    this.text.value = "";
    this.placeField.value = "";
    this.root.querySelectorAll("input[type=checkbox]").forEach(function (input) { input.checked = false; });
    this.setPlace(null);
    this.origin = null;
    this.originLabel = "";
    this.placeMessage = "";
    this.geoMessage.textContent = "";
    this.showOptions([]);
    this.shown = PAGE;
    this.changed(true);
    self.text.focus();
  };

  Page.prototype.removeCriterion = function (kind, value) {
    if (kind === "q") { this.text.value = ""; }
    else if (kind === "lieu") { this.placeField.value = ""; this.setPlace(null); this.origin = null; this.originLabel = ""; this.geoMessage.textContent = ""; }
    else {
      var input = this.root.querySelector("input[name='" + kind + "'][value='" + CSS.escape(value) + "']");
      if (input) { input.checked = false; }
    }
    this.shown = PAGE;
    this.changed(true);
    var next = this.chips.querySelector("button");
    (next || this.text).focus();
  };

  Page.prototype.openFilters = function () {
    var form = this.root;
    this.filtersButton.setAttribute("aria-expanded", "true");
    this.filters.classList.add("spro-filtres--ouverts");
    this.root.querySelectorAll("details[data-groupe-details]").forEach(function (details) {  /* what is in use, shown */
      if (form.querySelector("input[name='" + details.getAttribute("data-groupe-details") + "']:checked")) { details.open = true; }
    });
    var first = this.filters.querySelector("input");
    if (first && !LARGE.matches) { first.focus(); }
  };

  Page.prototype.closeFilters = function (focusButton) {
    if (this.filtersButton.getAttribute("aria-expanded") !== "true") { return; }
    this.filtersButton.setAttribute("aria-expanded", "false");
    this.filters.classList.remove("spro-filtres--ouverts");
    if (focusButton) { this.filtersButton.focus(); }
  };

  /* « Liste » or « Carte » on a phone (on a large screen both are shown side by side). Chosen by the person
     (``user``), the map is an entry of the history: Back (or « Liste ») returns to the list where it was. */
  Page.prototype.view = function (which, user) {
    var state = window.history.state || {};
    if (user && !LARGE.matches) {
      if (which === "carte" && state.vue !== "carte") {
        this.remember();
        window.history.pushState({ spro: true, vue: "carte" }, "");
      } else if (which === "liste" && state.vue === "carte") {
        window.history.back();  /* (popstate shows the list) */
        return;
      }
    }
    var before = this.root.getAttribute("data-vue");
    this.root.setAttribute("data-vue", which);
    this.root.querySelectorAll(".spro-vue").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-vue") === which));
    });
    if (which === "carte" || LARGE.matches) { this.map.ensure(); }
    if (which === "liste" && before === "carte") {  /* back to the list: where it was, or on the lieu shown on the map */
      var active = this.list.querySelector(".spro-actif");
      if (active) { active.scrollIntoView({ block: "center" }); } else { this.returnToPlace(); }
    }
  };

  /* ---------------------------------------------------------------- « Près de » */

  Page.prototype.loadGazetteer = function () {
    var self = this;
    if (!this.loading) {
      this.loading = fetch(this.root.getAttribute("data-communes")).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        self.gazetteer = new core.Gazetteer(data);
        self.root.setAttribute("data-communes-chargees", String(self.gazetteer.communes.length));
        return self.gazetteer;
      }, function () {
        self.placeMessage = "La liste des communes n'a pas pu être chargée : rechargez la page ou utilisez « Autour de moi ».";
        self.update();
        return null;
      });
    }
    return this.loading;
  };

  Page.prototype.setPlace = function (commune) {
    this.place = commune;
    this.origin = commune ? [commune.lat, commune.lon] : null;
    this.originLabel = commune ? core.de(commune.nom) : "";
    if (commune) { this.geoMessage.textContent = ""; }
  };

  /* The person typed in « Près de »: what does it designate now? */
  Page.prototype.placeTyped = function () {
    var self = this, text = this.placeField.value.trim();
    this.setPlace(null);
    this.placeMessage = "";
    if (!text) { this.showOptions([]); return; }
    if (!this.gazetteer) {
      this.loadGazetteer().then(function (gazetteer) {
        if (gazetteer && self.placeField.value.trim() === text) { self.placeTyped(); self.changed(true); }
      });
      return;
    }
    var gazetteer = this.gazetteer, answer = gazetteer.lookup(text, true);
    if (answer.communes.length === 1) {
      this.setPlace(answer.communes[0]);
      this.showOptions(gazetteer.complete(text, OPTIONS));
    } else if (answer.communes.length > 1) {
      this.placeMessage = "« " + text + " » désigne " + answer.communes.length + " communes : choisissez la vôtre dans la liste.";
      this.showOptions(answer.communes.map(function (c) { return { commune: c, label: gazetteer.describe(c, text) }; }), true);
    } else {
      var options = gazetteer.complete(text, OPTIONS);
      if (options.length) { this.showOptions(options); return; }
      answer = gazetteer.lookup(text);  /* nothing begins like it: the close names */
      this.placeMessage = /^\d{5}$/.test(text)
        ? "Aucune commune " + this.territory + " n'a le code postal " + text + " : vérifiez-le, ou tapez le nom de la commune."
        : "« " + text + " » : aucune commune de ce nom " + this.territory + "." + (answer.closest.length
          ? " Vouliez-vous dire " + quoted(answer.closest.map(function (c) { return c.nom; })) + " ?"
          : " Vérifiez l'orthographe ou tapez le code postal.");
      this.showOptions(answer.closest.map(function (c) { return { commune: c, label: gazetteer.label(c) }; }));
    }
  };

  /* A place from the address of the page: insee=, code_postal=, commune= (INSEE or postal code, or a name),
     or recherche= (the home page's box: a commune or postal code at either end of the text). */
  Page.prototype.placeFromLink = function (params) {
    var gazetteer = this.gazetteer, code;
    if ((code = params.get("insee"))) {
      var commune = gazetteer.byInsee(code);
      if (commune) { return this.choosePlace(commune); }
      this.placeField.value = code;
      this.placeMessage = "Le code INSEE " + code + " n'est celui d'aucune commune " + this.territory + ".";
    } else if ((code = params.get("code_postal"))) {
      this.placeField.value = code;
      this.ask(gazetteer.byPostalCode(code), "Le code postal " + code + " est celui de ", "Aucune commune " + this.territory + " n'a le code postal " + code + ".");
    } else if ((code = params.get("commune")) && CODE.test(code)) {
      var communes = gazetteer.byCode(code);
      this.placeField.value = code;
      this.ask(communes, "Le code " + code + " (code INSEE ou code postal) désigne ", "Aucune commune " + this.territory + " n'a le code " + code + ".", code);
    } else if (code) {
      this.placeField.value = code;
      this.placeTyped();
      if (this.place) { this.choosePlace(this.place); }  /* « Angouleme » shown as « Angoulême (16000) » */
    } else if ((code = params.get("recherche"))) {
      var split = gazetteer.splitPlace(code);
      this.text.value = split.text;
      if (split.communes.length) {
        this.placeField.value = split.place;
        this.ask(split.communes, "« " + split.place + " » désigne ", "");
      }
    }
  };

  /* One commune: chosen; several: listed for the person to choose (with why each is there); none: said. */
  Page.prototype.ask = function (communes, several, none, code) {
    var typed = this.placeField.value;
    var gazetteer = this.gazetteer;
    if (communes.length === 1) { this.choosePlace(communes[0]); return; }
    if (!communes.length) { this.placeMessage = none; return; }
    this.placeMessage = several + communes.length + " communes : choisissez la vôtre dans la liste « Près de ».";
    this.showOptions(communes.map(function (c) {
      var label = code === undefined ? gazetteer.describe(c, typed)
        : c.insee === code ? gazetteer.label(c) + " – code INSEE " + code : c.nom + " – code postal " + code;
      return { commune: c, label: label };
    }), true);
  };

  Page.prototype.choosePlace = function (commune, postalCode) {
    this.placeField.value = this.gazetteer.label(commune, postalCode);
    this.setPlace(commune);
    this.placeMessage = "";
    this.showOptions([]);
  };

  Page.prototype.choose = function (i) {
    var option = this.options[i];
    if (!option) { return; }
    var match = /\((\d{5})\)/.exec(option.label);
    this.choosePlace(option.commune, match && option.commune.cp.indexOf(match[1]) >= 0 ? match[1] : null);
    this.shown = PAGE;
    this.changed(true);
  };

  Page.prototype.showOptions = function (options, open) {
    var self = this, fragment = document.createDocumentFragment();
    this.options = options;
    this.active = -1;
    options.forEach(function (option, i) {
      var item = document.createElement("li");
      item.id = "spro-commune-option-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-index", String(i));
      item.textContent = option.label;
      fragment.appendChild(item);
    });
    this.listbox.replaceChildren(fragment);
    this.placeField.removeAttribute("aria-activedescendant");
    if (options.length && options.length !== this.optionsSaid && document.activeElement === this.placeField) {
      setText(this.announcer, plural(options.length, "commune proposée", "communes proposées") +
        " : flèche bas pour choisir, Entrée pour valider.");
      this.announced = null;  /* (the results are said again at the next change) */
    }
    this.optionsSaid = options.length;
    if (options.length && (open || document.activeElement === self.placeField)) { this.openOptions(); } else { this.closeOptions(); }
  };

  Page.prototype.openOptions = function () {
    if (!this.options.length) { return; }
    this.listbox.hidden = false;
    this.placeField.setAttribute("aria-expanded", "true");
  };

  Page.prototype.closeOptions = function () {
    this.listbox.hidden = true;
    this.placeField.setAttribute("aria-expanded", "false");
    this.placeField.removeAttribute("aria-activedescendant");
    this.setActive(-1);
  };

  Page.prototype.setActive = function (i) {
    var items = this.listbox.children;
    if (this.active >= 0 && items[this.active]) {
      items[this.active].setAttribute("aria-selected", "false");
      items[this.active].classList.remove("spro-combo__actif");
    }
    this.active = i;
    if (i >= 0 && items[i]) {
      items[i].setAttribute("aria-selected", "true");
      items[i].classList.add("spro-combo__actif");
      items[i].scrollIntoView({ block: "nearest" });
      this.placeField.setAttribute("aria-activedescendant", items[i].id);
    } else {
      this.placeField.removeAttribute("aria-activedescendant");
    }
  };

  /* WAI-ARIA combobox keys: Down/Up move in the list (Alt+Down opens it), Enter chooses, Escape closes, then clears. */
  Page.prototype.placeKey = function (event) {
    var open = !this.listbox.hidden, n = this.options.length;
    switch (event.key) {
      case "ArrowDown":
        if (!n) { return; }
        event.preventDefault();
        if (!open) { this.openOptions(); if (event.altKey) { return; } }
        this.setActive((this.active + 1) % n);
        break;
      case "ArrowUp":
        if (!n) { return; }
        event.preventDefault();
        if (!open) { this.openOptions(); }
        this.setActive(this.active <= 0 ? n - 1 : this.active - 1);
        break;
      case "Enter":
        if (open && this.active >= 0) { event.preventDefault(); this.choose(this.active); }
        else if (open && n === 1) { event.preventDefault(); this.choose(0); }
        else if (open) { event.preventDefault(); this.closeOptions(); }
        break;
      case "Escape":
        if (open) { event.preventDefault(); this.closeOptions(); }
        else if (this.placeField.value) {
          event.preventDefault();
          this.placeField.value = "";
          this.placeTyped();
          this.changed(true);
        }
        break;
      case "Tab":
        this.closeOptions();
        break;
    }
  };

  Page.prototype.locate = function () {
    var self = this;
    if (!navigator.geolocation) {
      this.geoMessage.textContent = "Votre navigateur ne permet pas la localisation : indiquez votre commune ou votre code postal.";
      this.placeField.focus();
      return;
    }
    this.geoMessage.textContent = "Recherche de votre position…";
    navigator.geolocation.getCurrentPosition(function (position) {
      self.setPlace(null);
      self.origin = [position.coords.latitude, position.coords.longitude];
      self.originLabel = "de votre position";
      self.placeMessage = "";
      self.placeField.value = "";
      self.showOptions([]);
      self.geoMessage.textContent = "Lieux triés par distance depuis votre position.";
      self.changed(false);
    }, function () {
      self.geoMessage.textContent = "Localisation refusée ou impossible : indiquez votre commune ou votre code postal.";
      self.placeField.focus();
    }, { timeout: 10000, maximumAge: 600000 });
  };

  /* ---------------------------------------------------------------- results */

  Page.prototype.update = function () {
    if (this.waiting) { setText(this.status, "Chargement de la liste des communes…"); return; }
    var selection = this.selection();
    var found = this.finder.search(selection);
    this.time = selection.time;
    this.results = found.results;
    this.unknown = found.unknown;
    this.ranked = this.finder.words(selection.text).length > 0;
    this.showCounts(found.counts);
    this.render();
    this.renderChips(selection);
    this.map.schedule(this.results);
  };

  /* What the live region says: after a pause, and only when the count or the first results changed. */
  Page.prototype.announce = function () {
    var first = this.results.slice(0, 3).map(function (r) { return r.lieu.id; }).join(" ");
    var key = this.results.length + "|" + first + "|" + this.status.textContent;
    if (key === this.announced) { return; }
    this.announced = key;
    setText(this.announcer, this.status.textContent);
  };

  Page.prototype.showCounts = function (counts) {
    var root = this.root;
    GROUPS.forEach(function (group) {
      root.querySelectorAll("input[name='" + group + "']").forEach(function (input) {
        var n = counts[group][input.value] || 0;
        setText(input.parentNode.querySelector(".spro-compte"), "(" + n + ")");
        input.parentNode.classList.toggle("spro-vide", n === 0 && !input.checked);
      });
    });
    setText(root.querySelector("#spro-pmr").parentNode.querySelector(".spro-compte"), "(" + counts.pmr + ")");
    setText(root.querySelector("#spro-ouvert").parentNode.querySelector(".spro-compte"), "(" + counts.ouvert + ")");
  };

  /* The criteria in use, above the results: each one a button that removes it. */
  Page.prototype.renderChips = function (selection) {
    var index = this.finder.index, fragment = document.createDocumentFragment(), count = 0;
    var names = { service: "services", public: "publics", bassin: "bassins", reseau: "reseaux", modalite: "modalites" };
    function chip(label, kind, value) {
      var item = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.className = "spro-puce";
      button.setAttribute("data-critere", kind);
      button.setAttribute("data-valeur", value || "");
      button.setAttribute("aria-label", "Retirer le critère : " + label);
      button.textContent = label + " ×";
      item.appendChild(button);
      fragment.appendChild(item);
    }
    if (selection.text.trim()) { chip("« " + selection.text.trim() + " »", "q"); }
    if (this.originLabel) { chip("Près " + this.originLabel, "lieu"); }
    GROUPS.forEach(function (group) {
      index[names[group]].forEach(function (entry) {
        if (selection[group].has(entry.code)) { chip(entry.nom, group, entry.code); count += 1; }
      });
    });
    if (selection.ouvert) { chip("Ouvert maintenant", "ouvert", "maintenant"); count += 1; }
    if (selection.pmr) { chip("Accessible en fauteuil roulant", "pmr", "oui"); count += 1; }
    this.chips.replaceChildren(fragment);
    this.chips.hidden = !this.chips.children.length;
    this.root.querySelector(".spro-effacer").hidden = this.chips.hidden;
    setText(this.filtersButton.querySelector(".spro-nombre-filtres"), count ? "(" + count + ")" : "");
  };

  Page.prototype.render = function () {
    var self = this, finder = this.finder, results = this.results;
    var time = this.time || finder.parisTime(new Date());
    var fragment = document.createDocumentFragment();
    results.slice(0, this.shown).forEach(function (result) {
      var lieu = result.lieu, item = document.createElement("li");
      item.setAttribute("data-lieu-id", lieu.id);
      item.tabIndex = -1;
      var link = document.createElement("a");
      link.href = self.base + "lieux/" + lieu.id + "/";
      link.textContent = lieu.nom;
      link.className = "spro-lieu-item__nom";
      item.appendChild(link);
      var meta = document.createElement("span");
      meta.className = "spro-meta";
      meta.textContent = finder.index.reseaux[lieu.reseau].nom + " · " + lieu.commune + (result.km !== null ? " · " + core.distanceFr(result.km) : "");
      item.appendChild(meta);
      var hours = document.createElement("span"), state = finder.status(lieu, time);
      hours.className = "spro-heures" + (state && state.open ? " spro-ouvert" : "");
      hours.textContent = state ? state.text : "Horaires non renseignés";
      if (lieu.rdv) {
        var rdv = document.createElement("span");
        rdv.className = "spro-rdv-mini";
        rdv.textContent = "Sur rendez-vous";
        hours.appendChild(document.createTextNode(" · "));
        hours.appendChild(rdv);
      }
      item.appendChild(hours);
      var services = document.createElement("span");
      services.className = "spro-badges";
      lieu.services.forEach(function (s) {
        var badge = document.createElement("span");
        badge.className = "spro-badge";
        badge.textContent = finder.index.services[s].nom_court;
        badge.title = finder.index.services[s].nom;
        services.appendChild(badge);
      });
      item.appendChild(services);
      if (lieu.lat !== null) {
        var show = document.createElement("button");
        show.type = "button";
        show.className = "spro-voir";
        show.textContent = "Voir sur la carte";
        show.setAttribute("aria-label", "Voir " + lieu.nom + " sur la carte");
        show.addEventListener("click", function () { self.showOnMap(lieu.id); });
        services.appendChild(show);
      }
      fragment.appendChild(item);
    });
    this.list.replaceChildren(fragment);
    this.renderStatus();
    var n = results.length;
    this.more.hidden = n <= this.shown;
    this.more.textContent = "Afficher " + plural(Math.min(PAGE, n - this.shown), "lieu", "lieux") + " de plus";
  };

  Page.prototype.renderStatus = function () {
    var n = this.results.length, parts = [], selection = this.selection();
    if (this.placeMessage) { parts.push(this.placeMessage); }
    var suggestions = this.unknown.filter(function (u) { return u[1].length; });
    var words = this.finder.words(selection.text);
    var filtered = GROUPS.some(function (g) { return selection[g].size; }) || selection.pmr || selection.ouvert;
    /* Nothing found: is it the filters (the words alone find lieux), or the words themselves? */
    var unfiltered = n === 0 && filtered ? this.finder.search({ text: selection.text, origin: selection.origin, pmr: false,
      ouvert: false, service: new Set(), public: new Set(), bassin: new Set(), reseau: new Set(), modalite: new Set(),
      now: selection.now }).results.length : 0;
    /* Every word is known, but no lieu has them all (« handicap jeune »): offer each word alone. */
    var alone = n === 0 && !unfiltered && !this.unknown.length && words.length > 1 ? words : [];
    if (n === 0) {
      var meant = suggestions.map(function (u) { return " « " + u[0] + " » : vouliez-vous dire " + quoted(u[1]) + " ?"; });
      if (unfiltered && selection.ouvert) {
        parts.push("Aucun lieu trouvé ouvert en ce moment : retirez « Ouvert maintenant » pour voir les " +
          plural(unfiltered, "lieu", "lieux") + (words.length ? " qui correspondent à votre recherche." : "."));
      } else if (unfiltered) {
        parts.push("Aucun lieu ne répond à tous ces filtres (" + plural(unfiltered, "lieu", "lieux") + " sans eux) : " +
          "retirez-en un ci-dessous.");
      } else if (alone.length) {
        parts.push("Aucun lieu ne correspond à tous ces mots à la fois : cherchez-les un par un.");
      } else {
        parts.push("Aucun lieu trouvé." + meant.join("") + (filtered && words.length ? " Essayez moins de filtres ou un autre mot."
          : filtered ? " Essayez moins de filtres." : " Essayez un autre mot."));
      }
    } else {
      var order = [];
      if (this.ranked && n > 1) { order.push("les plus pertinents d'abord"); }
      if (this.originLabel && n > 1) { order.push((this.ranked ? "puis " : "") + "du plus proche au plus éloigné " + this.originLabel); }
      parts.push(plural(n, "lieu trouvé", "lieux trouvés") + (order.length ? ", " + order.join(", ") : "") + ".");
    }
    setText(this.status, parts.join(" "));
    var box = this.suggestionBox, fragment = document.createDocumentFragment();
    function button(text, attribute, value) {
      var element = document.createElement("button");
      element.type = "button";
      element.className = "spro-bouton-secondaire spro-suggestion";
      element.setAttribute(attribute, value);
      element.textContent = text;
      fragment.appendChild(element);
      fragment.appendChild(document.createTextNode(" "));
    }
    if (n === 0 && suggestions.length) {
      fragment.appendChild(document.createTextNode("Corriger en : "));
      suggestions.forEach(function (u) { u[1].forEach(function (word) { button(word, "data-mot", u[0]); }); });
    } else if (alone.length) {
      fragment.appendChild(document.createTextNode("Chercher seulement : "));
      alone.forEach(function (word) { button(word, "data-seul", word); });
    }
    box.replaceChildren(fragment);
    box.hidden = !box.childNodes.length;
  };

  Page.prototype.replaceWord = function (word, replacement) {
    this.text.value = core.replaceWord(this.text.value, word, replacement);
    this.text.focus();
    this.shown = PAGE;
    this.changed(true);
  };

  Page.prototype.highlight = function (id, from) {
    var index = this.results.findIndex(function (r) { return r.lieu.id === id; });
    if (index < 0) { return; }
    if (index >= this.shown) { this.shown = (Math.floor(index / PAGE) + 1) * PAGE; this.render(); }
    this.list.querySelectorAll(".spro-actif").forEach(function (el) { el.classList.remove("spro-actif"); });
    var item = this.list.querySelector("li[data-lieu-id='" + CSS.escape(id) + "']");
    if (item) {
      item.classList.add("spro-actif");
      if (from === "carte" && LARGE.matches) { item.scrollIntoView({ block: "nearest" }); item.focus({ preventScroll: true }); }
    }
    if (from === "liste") { this.map.focus(id); }
  };

  /* « Voir sur la carte »: the map in view (on a phone, the « Carte » view), the lieu's marker open and focused. */
  Page.prototype.showOnMap = function (id) {
    if (!LARGE.matches) { this.view("carte", true); }
    var self = this, element = this.map.element;
    this.map.ensure().then(function () {
      self.highlight(id, "liste");
      var rect = element.getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > window.innerHeight) { element.scrollIntoView({ block: "center" }); }
      self.map.focusMarker(id);
    });
  };

  /* The address keeps the search (documented in the README): q, filters, insee= for the place chosen. */
  Page.prototype.address = function () {
    var selection = this.selection(), params = new URLSearchParams();
    if (selection.text.trim()) { params.append("q", selection.text.trim()); }
    GROUPS.forEach(function (group) {
      selection[group].forEach(function (code) { params.append(group, code); });
    });
    if (this.place) { params.append("insee", this.place.insee); }
    if (selection.pmr) { params.append("pmr", "oui"); }
    if (selection.ouvert) { params.append("ouvert", "maintenant"); }
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  };

  /* The search as an entry of the history: a new one (Back undoes it) or the current one, updated. */
  Page.prototype.commit = function (push) {
    var address = this.address();
    if (address === window.location.pathname + window.location.search) { return; }
    if (push) { window.history.pushState({ spro: true }, "", address); } else { window.history.replaceState({ spro: true }, "", address); }
  };

  /* Where the list was: the first result on screen and its distance from the top of the window (results above it
     may not be laid out yet when coming back, so a plain scroll position would land elsewhere). */
  Page.prototype.remember = function () {
    var items = this.list.children, anchor = null, offset = 0;
    for (var i = 0; i < items.length; i++) {
      var rect = items[i].getBoundingClientRect();
      if (rect.bottom > 0) { anchor = items[i].getAttribute("data-lieu-id"); offset = rect.top; break; }
    }
    var vue = (window.history.state || {}).vue;
    window.history.replaceState({ spro: true, ancre: anchor, decalage: offset, defilement: window.scrollY,
      affiches: this.shown, vue: vue }, "");
  };

  Page.prototype.returnToPlace = function () {
    var state = window.history.state;
    if (!state || state.defilement === undefined) { return; }
    if (state.affiches > this.shown) { this.shown = state.affiches; this.render(); }
    var item = state.ancre && this.list.querySelector("li[data-lieu-id='" + CSS.escape(state.ancre) + "']");
    var list = this.list;
    /* Every result laid out once (not only those on screen), so that the positions are the real ones; they
       keep their size afterwards (contain-intrinsic-size: auto). */
    list.classList.add("spro-resultats--mesurees");
    if (item) {
      item.scrollIntoView({ block: "start" });
      window.scrollBy(0, -state.decalage);
    } else {
      window.scrollTo(0, state.defilement);
    }
    window.requestAnimationFrame(function () { list.classList.remove("spro-resultats--mesurees"); });
  };

  Page.prototype.restore = function () {
    var self = this, params = new URLSearchParams(window.location.search), form = this.root;
    this.text.value = params.get("q") || "";
    form.querySelectorAll("input[type=checkbox]").forEach(function (input) { input.checked = false; });
    GROUPS.forEach(function (group) {
      params.getAll(group).forEach(function (code) {
        var input = form.querySelector("input[name='" + group + "'][value='" + CSS.escape(code) + "']");
        if (input) { input.checked = true; }
      });
    });
    form.querySelector("#spro-pmr").checked = params.get("pmr") === "oui";
    form.querySelector("#spro-ouvert").checked = params.get("ouvert") === "maintenant";
    if (["insee", "code_postal", "commune", "recherche"].some(function (name) { return params.get(name); })) {
      this.waiting = true;  /* the results wait for the communes: « Lezay » is a place, not a word */
      this.loadGazetteer().then(function (gazetteer) {
        self.waiting = false;
        if (gazetteer) { self.placeFromLink(params); }
        self.update();
        self.commit(false);  /* (an older commune= or a recherche= link becomes insee=) */
        self.announce();
        if (self.returning) { self.returning = false; self.returnToPlace(); }
      });
    } else {
      this.placeField.value = "";
      this.setPlace(null);
      this.origin = null;
      this.originLabel = "";
      this.placeMessage = "";
    }
  };

  /* ---------------------------------------------------------------- the map */

  /* The results on a Leaflet map, loaded (Leaflet included) only when the map is first shown. */
  function ResultsMap(element, page, index) {
    this.page = page;
    this.element = element;
    this.index = index;
    this.markers = {};
    this.timer = null;
    this.ready = null;
  }

  ResultsMap.prototype.ensure = function () {
    if (this.ready) { return this.ready; }
    var self = this, sources = this.page.root.getAttribute("data-leaflet").split(" ");
    this.timer = -1;  /* (busy: tests wait for the map) */
    this.ready = (window.L ? Promise.resolve() : loadScripts(sources)).then(function () {
      self.create();
      self.timer = null;
      self.show(self.page.results || []);
    });
    return this.ready;
  };

  ResultsMap.prototype.create = function () {
    var page = this.page, index = this.index, element = this.element, self = this;
    this.map = L.map(element, { scrollWheelZoom: false }).setView([46.3, -0.2], 8);
    L.tileLayer(element.getAttribute("data-tuiles"), { maxZoom: 19, attribution: element.getAttribute("data-attribution") }).addTo(this.map);
    this.layer = L.markerClusterGroup ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.layerGroup();
    this.layer.addTo(this.map);
    page.finder.lieux.forEach(function (lieu) {
      if (lieu.lat === null) { return; }
      var marker = L.marker([lieu.lat, lieu.lon], { title: lieu.nom, alt: lieu.nom });
      var box = document.createElement("div");
      var link = document.createElement("a");
      link.href = page.base + "lieux/" + lieu.id + "/";
      link.textContent = lieu.nom;
      box.appendChild(link);
      var details = document.createElement("div");
      details.textContent = index.reseaux[lieu.reseau].nom + " · " + lieu.commune;
      box.appendChild(details);
      marker.bindPopup(box);
      marker.on("click", function () { page.highlight(lieu.id, "carte"); });
      self.markers[lieu.id] = marker;
    });
  };

  ResultsMap.prototype.schedule = function (results) {
    if (!this.map) { return; }
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.timer = null; self.show(results); }, 150);
  };

  ResultsMap.prototype.show = function (results) {
    if (!this.map) { return; }
    var self = this, shown = [], origin = this.page.origin;
    var signature = results.map(function (r) { return r.lieu.id; }).join(" ") + "@" + (origin || "");
    if (signature === this.signature) { return; }  /* same lieux: leave the map as the person left it */
    this.signature = signature;
    results.forEach(function (r) { if (self.markers[r.lieu.id]) { shown.push(self.markers[r.lieu.id]); } });
    this.map.invalidateSize();
    this.layer.clearLayers();
    if (this.layer.addLayers) { this.layer.addLayers(shown); } else { shown.forEach(function (m) { self.layer.addLayer(m); }); }
    this.visible = shown.length;
    if (this.here) { this.here.remove(); this.here = null; }
    /* Not animated: an animation still running would undo a later setView (see focus). */
    if (origin) {  /* « vous êtes ici », and the nearest results around it */
      this.here = L.circleMarker(origin, { radius: 9, color: "#b00020", weight: 3, fillColor: "#fff", fillOpacity: 1 })
        .bindTooltip("Vous êtes ici : " + (this.page.place ? this.page.place.nom : "votre position")).addTo(this.map);
      var nearest = results.filter(function (r) { return self.markers[r.lieu.id]; }).slice()
        .sort(function (a, b) { return (a.km === null ? 1e9 : a.km) - (b.km === null ? 1e9 : b.km); }).slice(0, 5);
      var bounds = L.latLngBounds([origin]);
      nearest.forEach(function (r) { bounds.extend(self.markers[r.lieu.id].getLatLng()); });
      this.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14, animate: false });
    } else if (shown.length) {
      this.map.fitBounds(L.featureGroup(shown).getBounds(), { padding: [20, 20], maxZoom: 13, animate: false });
    }
    this.element.setAttribute("data-marqueurs", String(shown.length));
  };

  ResultsMap.prototype.focus = function (id) {
    var marker = this.markers[id], layer = this.layer;
    if (!marker || !this.map) { return; }
    if (this.timer) { window.clearTimeout(this.timer); this.timer = null; this.show(this.page.results); }
    /* Without animation the cluster layer re-renders at once, so the marker is on the map if it can be. */
    this.map.stop();
    this.map.setView(marker.getLatLng(), 17, { animate: false });
    if (marker._map) { marker.openPopup(); }
    else if (layer.zoomToShowLayer) { layer.zoomToShowLayer(marker, function () { marker.openPopup(); }); }
    this.element.setAttribute("data-actif", id);
  };

  /* The keyboard on the lieu: its marker (or, clustered, its popup's link) takes the focus. */
  ResultsMap.prototype.focusMarker = function (id) {
    var marker = this.markers[id];
    if (!marker) { return; }
    var target = marker.getElement && marker.getElement();
    if (!target && marker.getPopup() && marker.getPopup().getElement()) { target = marker.getPopup().getElement().querySelector("a"); }
    (target || this.element).focus({ preventScroll: true });
  };

  /* ---------------------------------------------------------------- start */

  window.sproFinder = {};

  function start() {
    var root = document.getElementById("spro-trouver");
    if (!root || !core) { return; }
    fetch(root.getAttribute("data-index")).then(function (response) { return response.json(); }).then(function (index) {
      var finder = new core.Finder(index);
      window.sproFinder.instance = finder;
      window.sproFinder.page = new Page(root, finder);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
