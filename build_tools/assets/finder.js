/* « Trouver un lieu »: client-side search over trouver/index.json.
   The rules mirror build_tools/finder.py (fold, matching, filters, opening hours, order):
   tests/test_finder_agreement.py checks that both give the same lieux in the same order. */
(function () {
  "use strict";

  var PAGE = 50;
  var GROUPS = ["service", "public", "bassin", "reseau", "modalite", "pmr", "ouvert"];
  var LIGATURES = { "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss" };

  function fold(text) {
    return text.replace(/[œŒæÆß]/g, function (c) { return LIGATURES[c]; })
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function withinOneEdit(a, b) {
    if (a === b) { return true; }
    if (Math.abs(a.length - b.length) > 1) { return false; }
    if (a.length > b.length) { var t = a; a = b; b = t; }
    var i = 0;
    while (i < a.length && a[i] === b[i]) { i++; }
    return a.slice(i + (a.length === b.length ? 1 : 0)) === b.slice(i + 1);
  }

  function distanceKm(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
    var h = Math.pow(Math.sin(dlat / 2), 2) + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.pow(Math.sin(dlon / 2), 2);
    return 2 * 6371 * Math.asin(Math.sqrt(h));
  }

  function heure(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return h + " h" + (m ? " " + (m < 10 ? "0" : "") + m : "");
  }

  function kilometres(km) {
    if (km < 1) { return "à " + Math.round(km * 1000) + " m"; }
    return "à " + (km < 10 ? km.toFixed(1) : Math.round(km).toString()).replace(".", ",") + " km";
  }

  function plural(n, one, many) { return n + " " + (n > 1 ? many : one); }

  function setText(element, text) { if (element.textContent !== text) { element.textContent = text; } }

  /* ---------------------------------------------------------------- the index */

  function Finder(index) {
    var self = this;
    this.index = index;
    this.stop = new Set(index.stop);
    var ref = index.reference.split("-").map(Number);
    this.reference = Date.UTC(ref[0], ref[1] - 1, ref[2]);
    this.lieux = index.lieux.map(function (row, position) {
      return {
        position: position, id: row[0], nom: row[1], commune: row[2], reseau: row[3], services: row[4], publics: row[5],
        bassin: row[6], modalites: row[7], pmr: row[8], lat: row[9], lon: row[10], horaires: row[11], fermetures: row[12],
        rdv: row[13], tokens: row[14], cle: row[15]
      };
    });
    /* Sorted once by (folded name, id): without a position, filtering keeps that order. */
    this.lieux.sort(function (a, b) {
      return a.cle < b.cle ? -1 : a.cle > b.cle ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    this.lieux.forEach(function (lieu, rank) { lieu.rank = rank; });
    this.codes = {};
    ["services", "publics", "bassins", "reseaux", "modalites"].forEach(function (table) {
      self.codes[table] = index[table].map(function (entry) { return entry[0]; });
    });
    this.tousPublics = this.codes.publics.indexOf("tous-publics");
  }

  Finder.prototype.words = function (text) {
    var stop = this.stop;
    return fold(text).split(" ").filter(function (w) { return w && !stop.has(w); });
  };

  Finder.prototype.tokenSets = function (text) {
    var vocabulary = this.index.vocabulaire;
    return this.words(text).map(function (word) {
      var set = new Set();
      for (var i = 0; i < vocabulary.length; i++) {
        var token = vocabulary[i];
        if (token.lastIndexOf(word, 0) === 0 || (word.length >= 5 && withinOneEdit(word, token))) { set.add(i); }
      }
      return set;
    });
  };

  /* Paris wall-clock time of a Date: day offset from the index's reference day, weekday (0 = Monday), minute. */
  var PARIS_CLOCK = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });  /* costly to build: built once */

  Finder.prototype.parisTime = function (date) {
    var parts = {};
    PARIS_CLOCK.formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    var day = Date.UTC(+parts.year, +parts.month - 1, +parts.day);
    return { offset: Math.round((day - this.reference) / 86400000), weekday: (new Date(day).getUTCDay() + 6) % 7,
      minute: (+parts.hour % 24) * 60 + (+parts.minute) };
  };

  Finder.prototype.rangesOn = function (lieu, time) {
    var table = this.index.horaires[lieu.horaires];
    for (var i = 0; i < table.x.length; i++) {
      if (table.x[i][0] === time.offset) { return table.x[i][1]; }
    }
    return table.s[time.weekday];
  };

  Finder.prototype.closed = function (lieu, time) {
    return lieu.fermetures.some(function (f) { return f[0] <= time.offset && time.offset <= f[1]; });
  };

  Finder.prototype.openAt = function (lieu, time) {
    if (lieu.horaires < 0 || this.closed(lieu, time)) { return false; }
    var cache = time.open || (time.open = {});  /* one answer per opening-hours expression and instant */
    if (!(lieu.horaires in cache)) {
      cache[lieu.horaires] = this.rangesOn(lieu, time).some(function (r) { return r[0] <= time.minute && time.minute < r[1]; });
    }
    return cache[lieu.horaires];
  };

  Finder.prototype.today = function (lieu, time) {
    if (lieu.horaires < 0) { return lieu.rdv ? "Sur rendez-vous" : "Horaires non renseignés"; }
    if (this.closed(lieu, time)) { return "Fermé temporairement"; }
    var ranges = this.rangesOn(lieu, time);
    if (!ranges.length) { return "Fermé aujourd'hui"; }
    return "Aujourd'hui : " + ranges.map(function (r) { return heure(r[0]) + " – " + heure(r[1]); }).join(", ");
  };

  Finder.prototype.commune = function (code) {
    var communes = this.index.communes;
    for (var i = 0; i < communes.length; i++) { if (communes[i][0] === code) { return communes[i]; } }
    for (i = 0; i < communes.length; i++) { if (communes[i][2].indexOf(code) >= 0) { return communes[i]; } }
    return null;
  };

  /* Commune typed as « Poitiers (86000) », « poitiers », « 86000 » or an INSEE code. */
  Finder.prototype.communeFromText = function (text) {
    var code = (text.match(/\b(\d{5}|2[AB]\d{3})\b/) || [])[1];
    var wanted = fold(text.replace(/\(.*\)/, "").replace(code || "", ""));
    var communes = this.index.communes;
    for (var i = 0; i < communes.length; i++) {
      if (wanted && communes[i][5] === wanted && (!code || communes[i][2].indexOf(code) >= 0 || communes[i][0] === code)) {
        return communes[i];
      }
    }
    return code ? this.commune(code) : null;
  };

  /* selection: {text, service: Set(codes)..., pmr: bool, ouvert: bool, origin: [lat, lon] | null, now: Date} */
  Finder.prototype.groupTest = function (group, lieu, selection) {
    var codes = this.codes, chosen = selection[group], tous = this.tousPublics;
    function any(values, table) { return values.some(function (i) { return chosen.has(codes[table][i]); }); }
    switch (group) {
      case "service": return any(lieu.services, "services");
      case "public": return lieu.publics.indexOf(tous) >= 0 || any(lieu.publics, "publics");
      case "bassin": return chosen.has(codes.bassins[lieu.bassin]);
      case "reseau": return chosen.has(codes.reseaux[lieu.reseau]);
      case "modalite": return any(lieu.modalites, "modalites");
      case "pmr": return lieu.pmr === 1;
      case "ouvert": return this.openAt(lieu, selection.time);
    }
    return true;
  };

  Finder.prototype.active = function (group, selection) {
    return group === "pmr" || group === "ouvert" ? selection[group] : selection[group].size > 0;
  };

  Finder.prototype.search = function (selection) {
    var self = this;
    selection.time = this.parisTime(selection.now || new Date());
    var sets = this.tokenSets(selection.text || "");
    var active = GROUPS.filter(function (g) { return self.active(g, selection); });
    var textual = this.lieux.filter(function (lieu) {
      return sets.every(function (set) { return lieu.tokens.some(function (t) { return set.has(t); }); });
    });
    var passes = textual.map(function (lieu) {
      var failed = null, count = 0;
      for (var i = 0; i < active.length; i++) {
        if (!self.groupTest(active[i], lieu, selection)) { failed = active[i]; count++; if (count > 1) { break; } }
      }
      return count === 0 ? true : count === 1 ? failed : false;
    });
    var results = textual.filter(function (lieu, i) { return passes[i] === true; });
    var counts = this.counts(textual, passes, selection);
    var origin = selection.origin;
    results = results.map(function (lieu) {
      var km = origin && lieu.lat !== null ? distanceKm(origin[0], origin[1], lieu.lat, lieu.lon) : null;
      return { lieu: lieu, km: km, metres: origin ? (km === null ? Infinity : Math.round(km * 1000)) : 0 };
    });
    if (origin) {
      results.sort(function (a, b) { return a.metres - b.metres || a.lieu.rank - b.lieu.rank; });
    }
    return { results: results, counts: counts };
  };

  /* For each option, how many results there would be with it (other groups as chosen). */
  Finder.prototype.counts = function (textual, passes, selection) {
    var self = this, codes = this.codes;
    var counts = { service: {}, public: {}, bassin: {}, reseau: {}, modalite: {}, pmr: 0, ouvert: 0 };
    var tous = this.tousPublics;
    textual.forEach(function (lieu, i) {
      var pass = passes[i];
      function add(group, code) { counts[group][code] = (counts[group][code] || 0) + 1; }
      if (pass === true || pass === "service") { lieu.services.forEach(function (s) { add("service", codes.services[s]); }); }
      if (pass === true || pass === "public") {
        if (lieu.publics.indexOf(tous) >= 0) { codes.publics.forEach(function (p) { add("public", p); }); }
        else { lieu.publics.forEach(function (p) { add("public", codes.publics[p]); }); }
      }
      if (pass === true || pass === "bassin") { add("bassin", codes.bassins[lieu.bassin]); }
      if (pass === true || pass === "reseau") { add("reseau", codes.reseaux[lieu.reseau]); }
      if (pass === true || pass === "modalite") { lieu.modalites.forEach(function (m) { add("modalite", codes.modalites[m]); }); }
      if ((pass === true || pass === "pmr") && lieu.pmr === 1) { counts.pmr++; }
      if ((pass === true || pass === "ouvert") && self.openAt(lieu, selection.time)) { counts.ouvert++; }
    });
    return counts;
  };

  /* ---------------------------------------------------------------- the page */

  function Page(root, finder) {
    this.root = root;
    this.finder = finder;
    this.form = root.querySelector("form");
    this.text = root.querySelector("#spro-q");
    this.communeField = root.querySelector("#spro-commune");
    this.status = root.querySelector("#spro-statut");
    this.list = root.querySelector("#spro-resultats");
    this.more = root.querySelector("#spro-plus");
    this.geoMessage = root.querySelector("#spro-geo-message");
    this.shown = PAGE;
    this.origin = null;
    this.originLabel = "";
    this.base = root.getAttribute("data-base");
    this.build();
  }

  Page.prototype.build = function () {
    var self = this, index = this.finder.index;
    var datalist = this.root.querySelector("#spro-communes");
    index.communes.forEach(function (c) {
      var option = document.createElement("option");
      option.value = c[1] + " (" + c[2][0] + ")";
      datalist.appendChild(option);
    });
    [["service", "services", 1], ["public", "publics", 1], ["bassin", "bassins", 1], ["reseau", "reseaux", 1],
      ["modalite", "modalites", 1]].forEach(function (spec) {
      var box = self.root.querySelector("[data-groupe='" + spec[0] + "']");
      index[spec[1]].forEach(function (entry) {
        var label = document.createElement("label");
        var input = document.createElement("input");
        input.type = "checkbox";
        input.name = spec[0];
        input.value = entry[0];
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + entry[spec[2]] + " "));
        var count = document.createElement("span");
        count.className = "spro-compte";
        label.appendChild(count);
        box.appendChild(label);
      });
    });
    this.form.addEventListener("input", function (event) {
      if (event.target === self.communeField) { self.originFromCommune(); }
      self.shown = PAGE;
      self.update();
    });
    this.form.addEventListener("change", function (event) {
      if (event.target.type !== "checkbox") { return; }  /* text fields already updated on input */
      self.shown = PAGE;
      self.update();
    });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); self.update(); });
    this.form.addEventListener("reset", function () {
      window.setTimeout(function () { self.origin = null; self.geoMessage.textContent = ""; self.update(); }, 0);
    });
    this.root.querySelector("#spro-autour").addEventListener("click", function () { self.locate(); });
    this.more.addEventListener("click", function () { self.shown += PAGE; self.render(); self.list.children[self.shown - PAGE].focus(); });
    this.list.addEventListener("click", function (event) {
      var item = event.target.closest("li[data-lieu-id]");
      if (item && event.target.tagName !== "A") { self.highlight(item.getAttribute("data-lieu-id"), "liste"); }
    });
    this.root.hidden = false;  /* before the map: Leaflet measures its container */
    document.querySelector(".spro-sans-js-info").hidden = true;
    this.map = new ResultsMap(this.root.querySelector("#spro-carte"), this, index);
    this.restore();
    this.update();
  };

  Page.prototype.selection = function () {
    var form = this.form, selection = { text: this.text.value, origin: this.origin };
    ["service", "public", "bassin", "reseau", "modalite"].forEach(function (group) {
      selection[group] = new Set(Array.prototype.map.call(form.querySelectorAll("input[name='" + group + "']:checked"),
        function (input) { return input.value; }));
    });
    selection.pmr = form.querySelector("#spro-pmr").checked;
    selection.ouvert = form.querySelector("#spro-ouvert").checked;
    return selection;
  };

  Page.prototype.originFromCommune = function () {
    var value = this.communeField.value.trim();
    if (!value) { this.origin = null; this.originLabel = ""; return; }
    var commune = this.finder.communeFromText(value);
    if (commune) {
      this.origin = [commune[3], commune[4]];
      this.originLabel = commune[1];
      this.communeCode = commune[0];
    } else if (this.originLabel !== "ma position") {
      this.origin = null;
      this.originLabel = "";
    }
  };

  Page.prototype.locate = function () {
    var self = this;
    if (!navigator.geolocation) {
      this.geoMessage.textContent = "Votre navigateur ne permet pas la localisation : indiquez votre commune ou votre code postal.";
      this.communeField.focus();
      return;
    }
    this.geoMessage.textContent = "Recherche de votre position…";
    navigator.geolocation.getCurrentPosition(function (position) {
      self.origin = [position.coords.latitude, position.coords.longitude];
      self.originLabel = "ma position";
      self.communeCode = null;
      self.communeField.value = "";
      self.geoMessage.textContent = "Lieux triés par distance depuis votre position.";
      self.update();
    }, function () {
      self.geoMessage.textContent = "Localisation refusée ou impossible : indiquez votre commune ou votre code postal.";
      self.communeField.focus();
    }, { timeout: 10000, maximumAge: 600000 });
  };

  Page.prototype.update = function () {
    var selection = this.selection();
    var found = this.finder.search(selection);
    this.time = selection.time;
    this.results = found.results;
    this.showCounts(found.counts, selection);
    this.render();
    var self = this;
    window.clearTimeout(this.stateTimer);  /* the URL follows the search, without slowing down typing */
    this.stateTimer = window.setTimeout(function () { self.saveState(selection); }, 250);
    this.map.schedule(this.results);
  };

  Page.prototype.showCounts = function (counts, selection) {
    var root = this.root;
    ["service", "public", "bassin", "reseau", "modalite"].forEach(function (group) {
      root.querySelectorAll("input[name='" + group + "']").forEach(function (input) {
        var n = counts[group][input.value] || 0;
        setText(input.parentNode.querySelector(".spro-compte"), "(" + n + ")");
        input.parentNode.classList.toggle("spro-vide", n === 0 && !input.checked);
      });
    });
    setText(root.querySelector("#spro-pmr").parentNode.querySelector(".spro-compte"), "(" + counts.pmr + ")");
    setText(root.querySelector("#spro-ouvert").parentNode.querySelector(".spro-compte"), "(" + counts.ouvert + ")");
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
      meta.textContent = finder.index.reseaux[lieu.reseau][1] + " · " + lieu.commune + (result.km !== null ? " · " + kilometres(result.km) : "");
      item.appendChild(meta);
      var services = document.createElement("span");
      services.className = "spro-badges";
      lieu.services.forEach(function (s) {
        var badge = document.createElement("span");
        badge.className = "spro-badge";
        badge.textContent = finder.index.services[s][1];
        services.appendChild(badge);
      });
      item.appendChild(services);
      var hours = document.createElement("span");
      var open = finder.openAt(lieu, time);
      hours.className = "spro-heures" + (open ? " spro-ouvert" : "");
      hours.textContent = (open ? "Ouvert maintenant · " : "") + finder.today(lieu, time);
      item.appendChild(hours);
      var show = document.createElement("button");
      show.type = "button";
      show.className = "spro-voir";
      show.textContent = "Voir sur la carte";
      show.setAttribute("aria-label", "Voir " + lieu.nom + " sur la carte");
      show.addEventListener("click", function () { self.highlight(lieu.id, "liste"); });
      if (lieu.lat !== null) { item.appendChild(show); }
      fragment.appendChild(item);
    });
    this.list.replaceChildren(fragment);
    var n = results.length;
    var where = this.originLabel ? ", du plus proche au plus éloigné de " + this.originLabel : "";
    this.status.textContent = n === 0 ? "Aucun lieu trouvé. Essayez moins de filtres ou un autre mot."
      : plural(n, "lieu trouvé", "lieux trouvés") + where + ".";
    this.more.hidden = n <= this.shown;
    this.more.textContent = "Afficher " + Math.min(PAGE, n - this.shown) + " lieux de plus";
  };

  Page.prototype.highlight = function (id, from) {
    var index = this.results.findIndex(function (r) { return r.lieu.id === id; });
    if (index < 0) { return; }
    if (index >= this.shown) { this.shown = (Math.floor(index / PAGE) + 1) * PAGE; this.render(); }
    this.list.querySelectorAll(".spro-actif").forEach(function (el) { el.classList.remove("spro-actif"); });
    var item = this.list.querySelector("li[data-lieu-id='" + CSS.escape(id) + "']");
    if (item) {
      item.classList.add("spro-actif");
      if (from === "carte") { item.scrollIntoView({ block: "nearest" }); item.focus({ preventScroll: true }); }
    }
    if (from === "liste") { this.map.focus(id); }
  };

  Page.prototype.saveState = function (selection) {
    var params = new URLSearchParams();
    if (selection.text.trim()) { params.append("q", selection.text.trim()); }
    ["service", "public", "bassin", "reseau", "modalite"].forEach(function (group) {
      selection[group].forEach(function (code) { params.append(group, code); });
    });
    if (this.origin && this.communeCode && this.originLabel !== "ma position") { params.append("commune", this.communeCode); }
    if (selection.pmr) { params.append("pmr", "oui"); }
    if (selection.ouvert) { params.append("ouvert", "maintenant"); }
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  };

  Page.prototype.restore = function () {
    var params = new URLSearchParams(window.location.search), form = this.form;
    this.text.value = params.get("q") || "";
    ["service", "public", "bassin", "reseau", "modalite"].forEach(function (group) {
      params.getAll(group).forEach(function (code) {
        var input = form.querySelector("input[name='" + group + "'][value='" + CSS.escape(code) + "']");
        if (input) { input.checked = true; }
      });
    });
    form.querySelector("#spro-pmr").checked = params.get("pmr") === "oui";
    form.querySelector("#spro-ouvert").checked = params.get("ouvert") === "maintenant";
    var code = params.get("commune");
    if (code) {
      var commune = this.finder.commune(code);
      if (commune) {
        this.communeField.value = commune[1] + " (" + (commune[2].indexOf(code) >= 0 ? code : commune[2][0]) + ")";
        this.origin = [commune[3], commune[4]];
        this.originLabel = commune[1];
        this.communeCode = code;
      }
    }
  };

  /* ---------------------------------------------------------------- the map */

  function ResultsMap(element, page, index) {
    this.page = page;
    this.markers = {};
    this.timer = null;
    if (!window.L || !element) { return; }
    this.map = L.map(element, { scrollWheelZoom: false }).setView([46.3, -0.2], 8);
    L.tileLayer(element.getAttribute("data-tuiles"), { maxZoom: 19, attribution: element.getAttribute("data-attribution") }).addTo(this.map);
    this.layer = L.markerClusterGroup ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.layerGroup();
    this.layer.addTo(this.map);
    var self = this;
    page.finder.lieux.forEach(function (lieu) {
      if (lieu.lat === null) { return; }
      var marker = L.marker([lieu.lat, lieu.lon], { title: lieu.nom, alt: lieu.nom });
      var box = document.createElement("div");
      var link = document.createElement("a");
      link.href = page.base + "lieux/" + lieu.id + "/";
      link.textContent = lieu.nom;
      box.appendChild(link);
      var details = document.createElement("div");
      details.textContent = index.reseaux[lieu.reseau][1] + " · " + lieu.commune;
      box.appendChild(details);
      marker.bindPopup(box);
      marker.on("click", function () { page.highlight(lieu.id, "carte"); });
      self.markers[lieu.id] = marker;
    });
  }

  ResultsMap.prototype.schedule = function (results) {
    if (!this.map) { return; }
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.timer = null; self.show(results); }, 150);
  };

  ResultsMap.prototype.show = function (results) {
    var self = this, shown = [];
    var signature = results.map(function (r) { return r.lieu.id; }).join(" ");
    if (signature === this.signature) { return; }  /* same lieux: leave the map as the person left it */
    this.signature = signature;
    results.forEach(function (r) { if (self.markers[r.lieu.id]) { shown.push(self.markers[r.lieu.id]); } });
    this.map.invalidateSize();
    this.layer.clearLayers();
    if (this.layer.addLayers) { this.layer.addLayers(shown); } else { shown.forEach(function (m) { self.layer.addLayer(m); }); }
    this.visible = shown.length;
    /* Not animated: an animation still running would undo a later setView (see focus). */
    if (shown.length) { this.map.fitBounds(L.featureGroup(shown).getBounds(), { padding: [20, 20], maxZoom: 13, animate: false }); }
    this.map.getContainer().setAttribute("data-marqueurs", String(shown.length));
  };

  ResultsMap.prototype.focus = function (id) {
    var marker = this.markers[id], layer = this.layer;
    if (!marker || !this.map) { return; }
    if (this.timer) { window.clearTimeout(this.timer); this.show(this.page.results); }
    /* Without animation the cluster layer re-renders at once, so the marker is on the map if it can be. */
    this.map.stop();
    this.map.setView(marker.getLatLng(), 17, { animate: false });
    if (marker._map) { marker.openPopup(); }
    else if (layer.zoomToShowLayer) { layer.zoomToShowLayer(marker, function () { marker.openPopup(); }); }
    this.map.getContainer().setAttribute("data-actif", id);
  };

  /* ---------------------------------------------------------------- start */

  window.sproFinder = { fold: fold, Finder: Finder };

  function start() {
    var root = document.getElementById("spro-trouver");
    if (!root) { return; }
    fetch(root.getAttribute("data-index")).then(function (response) { return response.json(); }).then(function (index) {
      var finder = new Finder(index);
      window.sproFinder.instance = finder;
      window.sproFinder.page = new Page(root, finder);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
