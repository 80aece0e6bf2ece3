/* « Trouver un lieu »: the rules without the page (no DOM), for the browser and for Node.
   Words, matching, relevance, filters, opening hours and order mirror build_tools/finder.py; the
   commune rules (« Près de ») mirror build_tools/places.py. The weights come from the index itself
   (index.regles), so they are written once, in finder.py.
   In a page this file defines window.SproFinderCore; under Node it is a module (tests/finder_node.cjs). */
(function (root) {
  "use strict";

  var Horaires = typeof module !== "undefined" && module.exports ? require("./horaires.js") : root.SproHoraires;
  var LIGATURES = { "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss" };
  var ABBREVIATIONS = { st: "saint", ste: "sainte" };
  var ARTICLES = { le: true, la: true, les: true, l: true };
  var NAME_AND_POSTAL_CODE = /^(.*?)[\s(]*(\d{5})\)?\s*$/;
  var POSTAL_CODE_AND_NAME = /^\s*(\d{5})\s+(.*\D.*)$/;
  var QUALIFIER = /\s*\([^()]*\)\s*$/;
  var GROUPS = ["service", "public", "bassin", "reseau", "modalite", "pmr", "ouvert"];
  var CLOSEST = 3;

  function fold(text) {
    return text.replace(/[œŒæÆß]/g, function (c) { return LIGATURES[c]; })
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  /* One wrong, missing or extra letter, or two neighbouring letters swapped (or none). */
  function withinOneEdit(a, b) {
    if (a === b) { return true; }
    if (Math.abs(a.length - b.length) > 1) { return false; }
    if (a.length > b.length) { var t = a; a = b; b = t; }
    var i = 0;
    while (i < a.length && a[i] === b[i]) { i++; }
    if (a.length === b.length) {
      var swapped = i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i];
      return a.slice(i + 1) === b.slice(i + 1) || (swapped && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.slice(i) === b.slice(i + 1);
  }

  /* Optimal string alignment distance, or limit + 1 beyond limit (places.osa_distance). */
  function osaDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
    var previous2 = [], previous = [], current, i, j;
    for (j = 0; j <= b.length; j++) { previous.push(j); }
    for (i = 1; i <= a.length; i++) {
      current = [i];
      var smallest = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) { value = Math.min(value, previous2[j - 2] + 1); }
        current.push(value);
        if (value < smallest) { smallest = value; }
      }
      if (smallest > limit) { return limit + 1; }
      previous2 = previous;
      previous = current;
    }
    return previous[b.length] <= limit ? previous[b.length] : limit + 1;
  }

  function distanceKm(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
    var h = Math.pow(Math.sin(dlat / 2), 2) + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.pow(Math.sin(dlon / 2), 2);
    return 2 * 6371 * Math.asin(Math.sqrt(h));
  }

  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  /* text.de: « d'Angoulême », « du Château-d'Oléron », « des Trois-Moutiers », « de La Rochelle ». */
  function de(name) {
    var space = name.indexOf(" "), first = space > 0 ? name.slice(0, space) : name, rest = name.slice(space + 1);
    if (first === "Le" && space > 0) { return "du " + rest; }
    if (first === "Les" && space > 0) { return "des " + rest; }
    if (/^[aeiouy]/i.test(name.normalize("NFD"))) { return "d'" + name; }
    return "de " + name;
  }

  /* text.distance_fr: « à 151 m », « à 2,3 km », « à 22 km ». */
  function distanceFr(km) {
    if (km < 1) { return "à " + Math.round(km * 1000) + " m"; }
    return "à " + (km < 10 ? (Math.round(km * 10) / 10).toFixed(1) : Math.round(km).toString()).replace(".", ",") + " km";
  }

  /* ---------------------------------------------------------------- lieux */

  function Finder(index) {
    var self = this;
    this.index = index;
    this.rules = index.regles;
    this.stop = new Set(index.stop);
    var ref = index.reference.split("-").map(Number);
    this.referenceDay = Date.UTC(ref[0], ref[1] - 1, ref[2]) / 86400000;
    Object.keys(index.colonnes_tables).forEach(function (table) {  /* finder.py TABLES: rows read by name */
      var names = index.colonnes_tables[table];
      index[table] = index[table].map(function (row) {
        if (!Array.isArray(row)) { return row; }  /* (already named: an index read twice) */
        var entry = {};
        names.forEach(function (name, column) { entry[name] = row[column]; });
        return entry;
      });
    });
    this.lieux = index.lieux.map(function (row, position) {
      var lieu = { rank: position };
      index.colonnes.forEach(function (name, column) { lieu[name] = row[column]; });  /* finder.py ROW */
      return lieu;
    });  /* rows come sorted by (folded name, id): the order of equal relevance and distance */
    this.codes = {};
    ["services", "publics", "bassins", "reseaux", "modalites"].forEach(function (table) {
      self.codes[table] = index[table].map(function (entry) { return entry.code; });
    });
    this.tousPublics = this.codes.publics.indexOf(index.tous_publics);
    this.cache = new Map();
    /* Postings, by rank: which lieux have a token in their name or commune, which have a network, service,
       public or basin. A keystroke then costs the vocabulary scan plus the lieux that match, not every lieu. */
    var size = index.vocabulaire.length;
    this.nameLieux = postings(this.lieux, size, function (lieu) { return lieu.noms; });
    this.communeLieux = postings(this.lieux, size, function (lieu) { return lieu.mots_commune; });
    this.reseauLieux = postings(this.lieux, index.reseaux.length, function (lieu) { return [lieu.reseau]; });
    this.serviceLieux = postings(this.lieux, index.services.length, function (lieu) { return lieu.services; });
    this.publicLieux = postings(this.lieux, index.publics.length, function (lieu) { return lieu.publics; });
    this.bassinLieux = postings(this.lieux, index.bassins.length, function (lieu) { return [lieu.bassin]; });
  }

  /* {start: Int32Array(size + 1), ranks: Int32Array}: the ranks of the lieux holding key k are
     ranks[start[k]] .. ranks[start[k + 1] - 1]. */
  function postings(lieux, size, keys) {
    var start = new Int32Array(size + 1), i, j, list;
    for (i = 0; i < lieux.length; i++) {
      list = keys(lieux[i]);
      for (j = 0; j < list.length; j++) { start[list[j] + 1]++; }
    }
    for (i = 0; i < size; i++) { start[i + 1] += start[i]; }
    var next = start.slice(0, size), ranks = new Int32Array(start[size]);
    for (i = 0; i < lieux.length; i++) {
      list = keys(lieux[i]);
      for (j = 0; j < list.length; j++) { ranks[next[list[j]]++] = lieux[i].rank; }
    }
    return { start: start, ranks: ranks };
  }

  /* scores[rank] = max(scores[rank], value) for the lieux holding key. */
  function raise(scores, post, key, value) {
    if (!value) { return; }
    for (var k = post.start[key], end = post.start[key + 1]; k < end; k++) {
      if (value > scores[post.ranks[k]]) { scores[post.ranks[k]] = value; }
    }
  }

  Finder.prototype.words = function (text) {
    var stop = this.stop;
    var longest = this.rules.longueur_max;
    return fold(text).split(" ").filter(function (w) { return w && !stop.has(w); }).slice(0, this.rules.mots_max)
      .map(function (w) { return w.slice(0, longest); });
  };

  /* finder.typos_allowed: a wrong letter is forgiven in words of faute_min letters or more, never in numbers. */
  Finder.prototype.typos = function (word) { return word.length >= this.rules.faute_min && !/[0-9]/.test(word); };

  Finder.prototype.matchWeight = function (word, token) {
    var rules = this.rules;
    if (word === token) { return rules.exacte; }
    if (this.typos(word) && withinOneEdit(word, token)) { return rules.proche; }
    return token.lastIndexOf(word, 0) === 0 ? rules.debut : 0;
  };

  /* For one word: each lieu's best field weight × match weight (0: no match), by rank; and whether any token matched.
     The hot loop of a keystroke: written with plain loops and local variables. */
  Finder.prototype.wordScores = function (word) {
    if (this.cache.has(word)) { return this.cache.get(word); }
    var index = this.index, vocabulary = index.vocabulaire, rules = this.rules, weights = rules.champs;
    var quality = new Uint8Array(vocabulary.length), matched = [], i, q;
    var exact = rules.exacte, near = rules.proche, prefix = rules.debut, typos = this.typos(word);
    for (i = 0; i < vocabulary.length; i++) {
      var token = vocabulary[i];
      q = token === word ? exact : typos && Math.abs(token.length - word.length) <= 1 && withinOneEdit(word, token) ? near
        : token.lastIndexOf(word, 0) === 0 ? prefix : 0;
      if (q) { quality[i] = q; matched.push(i); }
    }
    var scores = new Int32Array(this.lieux.length);
    var result = { scores: scores, known: matched.length > 0 };
    if (this.cache.size > 100) { this.cache.clear(); }
    this.cache.set(word, result);
    if (!matched.length) { return result; }
    function best(tokens) {
      var b = 0;
      for (var t = 0; t < tokens.length; t++) { if (quality[tokens[t]] > b) { b = quality[tokens[t]]; } }
      return b;
    }
    /* Fields shared by many lieux: one value per network, service, public, basin (already weighted). */
    var reseau = index.reseaux.map(function (r) { return weights.reseau * best(r.mots); });
    var service = index.services.map(function (s) {
      return Math.max(weights.service * best(s.mots), weights.description * best(s.mots_description));
    });
    var publicScore = index.publics.map(function (p) { return weights.public * best(p.mots); });
    var bassin = index.bassins.map(function (b) { return weights.bassin * best(b.mots); });
    index.synonymes.forEach(function (entry) {
      var found = best(entry.mots);
      if (!found) { return; }
      entry.services.forEach(function (c) { service[c] = Math.max(service[c], weights.synonyme_service * found); });
      entry.publics.forEach(function (c) { publicScore[c] = Math.max(publicScore[c], weights.synonyme_public * found); });
      entry.reseaux.forEach(function (c) { reseau[c] = Math.max(reseau[c], weights.synonyme_reseau * found); });
    });
    for (i = 0; i < matched.length; i++) {
      raise(scores, this.nameLieux, matched[i], weights.nom * quality[matched[i]]);
      raise(scores, this.communeLieux, matched[i], weights.commune * quality[matched[i]]);
    }
    for (i = 0; i < reseau.length; i++) { raise(scores, this.reseauLieux, i, reseau[i]); }
    for (i = 0; i < service.length; i++) { raise(scores, this.serviceLieux, i, service[i]); }
    for (i = 0; i < publicScore.length; i++) { raise(scores, this.publicLieux, i, publicScore[i]); }
    for (i = 0; i < bassin.length; i++) { raise(scores, this.bassinLieux, i, bassin[i]); }
    return result;
  };

  /* Words of the vocabulary close to a word that matches nothing (finder.did_you_mean). */
  Finder.prototype.didYouMean = function (word) {
    if (word.length < 3 || /^[0-9]+$/.test(word)) { return []; }
    var limit = word.length <= 4 ? 1 : 2, scored = [];
    this.index.vocabulaire.forEach(function (token) {
      if (token.length >= 3 && /^[a-z]+$/.test(token)) {
        var distance = osaDistance(word, token, limit);
        if (distance <= limit) { scored.push([distance, Math.abs(token.length - word.length), token]); }
      }
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || compare(a[2], b[2]); });
    return scored.slice(0, this.rules.suggestions).map(function (s) { return s[2]; });
  };

  /* Paris wall-clock time of a Date (horaires.js): its day, weekday, minute, and offset from the index's reference. */
  Finder.prototype.parisTime = function (date) {
    var time = Horaires.parisTime(date);
    time.offset = time.number - this.referenceDay;
    return time;
  };

  /* Any date, years after the build: the schedule knows the periods of the year and computes public holidays. */
  Finder.prototype.rangesOn = function (lieu, time) {
    return Horaires.rangesOn(this.index.horaires[lieu.horaires], this.referenceDay, time);
  };

  /* Open or closed now, and the next change: {open, text} (« Ouvert jusqu'à 17 h », « Fermé · ouvre lundi à 9 h »). */
  Finder.prototype.status = function (lieu, time) {
    if (lieu.horaires < 0) { return null; }
    var self = this, reference = this.referenceDay;
    return Horaires.status(this.index.horaires[lieu.horaires], reference, time, function (day) {
      return self.closed(lieu, { offset: day.number - reference });
    });
  };

  Finder.prototype.closed = function (lieu, time) {
    var closures = lieu.fermetures;
    for (var i = 0; i < closures.length; i++) { if (closures[i][0] <= time.offset && time.offset <= closures[i][1]) { return true; } }
    return false;
  };

  Finder.prototype.openAt = function (lieu, time) {
    if (lieu.horaires < 0 || (lieu.fermetures.length && this.closed(lieu, time))) { return false; }
    /* one answer per opening-hours expression and instant (-1: not known yet) */
    var cache = time.open || (time.open = new Int8Array(this.index.horaires.length).fill(-1));
    if (cache[lieu.horaires] < 0) {
      cache[lieu.horaires] = this.rangesOn(lieu, time).some(function (r) { return r[0] <= time.minute && time.minute < r[1]; }) ? 1 : 0;
    }
    return cache[lieu.horaires] === 1;
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
    return group === "pmr" || group === "ouvert" ? !!selection[group] : !!(selection[group] && selection[group].size > 0);
  };

  /* {results: [{lieu, relevance, km, metres}], counts, unknown: [[word, [suggestions]]]} */
  Finder.prototype.search = function (selection) {
    var self = this, lieux = this.lieux, i, k;
    selection.time = this.parisTime(selection.now || new Date());
    var words = this.words(selection.text || "");
    var perWord = words.map(function (w) { return self.wordScores(w).scores; });
    var textual = [], relevance = [];
    for (i = 0; i < lieux.length; i++) {
      var total = 0;
      for (k = 0; k < perWord.length; k++) {
        var s = perWord[k][i];
        if (!s) { total = -1; break; }
        total += s;
      }
      if (total >= 0) { textual.push(lieux[i]); relevance.push(total); }
    }
    var active = GROUPS.filter(function (g) { return self.active(g, selection); });
    var passes = !active.length ? null : textual.map(function (lieu) {
      var failed = null, count = 0;
      for (var g = 0; g < active.length; g++) {
        if (!self.groupTest(active[g], lieu, selection)) { failed = active[g]; count++; if (count > 1) { break; } }
      }
      return count === 0 ? true : count === 1 ? failed : false;
    });
    var counts = this.counts(textual, passes, selection);
    var origin = selection.origin || null;
    var results = [];
    for (i = 0; i < textual.length; i++) {
      if (passes && passes[i] !== true) { continue; }
      var lieu = textual[i];
      var km = origin && lieu.lat !== null ? distanceKm(origin[0], origin[1], lieu.lat, lieu.lon) : null;
      results.push({ lieu: lieu, relevance: relevance[i], km: km,
        metres: origin ? (km === null ? Infinity : Math.round(km * 1000)) : 0 });
    }
    if (origin) {
      results.sort(function (a, b) { return b.relevance - a.relevance || a.metres - b.metres || a.lieu.rank - b.lieu.rank; });
    } else if (words.length) {  /* already in (name, id) order: a stable sort by relevance alone */
      results = stableByRelevance(results);
    }
    var unknown = [];
    words.forEach(function (word) {
      if (!self.wordScores(word).known) { unknown.push([word, self.didYouMean(word)]); }
    });
    return { results: results, counts: counts, unknown: unknown };
  };

  function stableByRelevance(results) {
    var buckets = new Map();
    results.forEach(function (r) {
      var bucket = buckets.get(r.relevance);
      if (!bucket) { buckets.set(r.relevance, bucket = []); }
      bucket.push(r);
    });
    var ordered = [];
    Array.from(buckets.keys()).sort(function (a, b) { return b - a; }).forEach(function (key) {
      Array.prototype.push.apply(ordered, buckets.get(key));
    });
    return ordered;
  }

  /* For each option, how many results there would be with it (other groups as chosen). Counted in arrays
     by table position, then named by code. */
  Finder.prototype.counts = function (textual, passes, selection) {
    var self = this, codes = this.codes, tous = this.tousPublics;
    var service = new Int32Array(codes.services.length), publicCount = new Int32Array(codes.publics.length);
    var bassin = new Int32Array(codes.bassins.length), reseau = new Int32Array(codes.reseaux.length);
    var modalite = new Int32Array(codes.modalites.length), everyone = 0, pmr = 0, ouvert = 0, i, j;
    for (i = 0; i < textual.length; i++) {
      var lieu = textual[i], pass = passes ? passes[i] : true;
      if (pass === false) { continue; }
      var all = pass === true;
      if (all || pass === "service") { for (j = 0; j < lieu.services.length; j++) { service[lieu.services[j]]++; } }
      if (all || pass === "public") {
        if (lieu.publics.indexOf(tous) >= 0) { everyone++; }
        else { for (j = 0; j < lieu.publics.length; j++) { publicCount[lieu.publics[j]]++; } }
      }
      if (all || pass === "bassin") { bassin[lieu.bassin]++; }
      if (all || pass === "reseau") { reseau[lieu.reseau]++; }
      if (all || pass === "modalite") { for (j = 0; j < lieu.modalites.length; j++) { modalite[lieu.modalites[j]]++; } }
      if ((all || pass === "pmr") && lieu.pmr === 1) { pmr++; }
      if ((all || pass === "ouvert") && self.openAt(lieu, selection.time)) { ouvert++; }
    }
    function named(table, values, extra) {
      var result = {};
      codes[table].forEach(function (code, position) { if (values[position] + extra) { result[code] = values[position] + extra; } });
      return result;
    }
    return { service: named("services", service, 0), public: named("publics", publicCount, everyone),
      bassin: named("bassins", bassin, 0), reseau: named("reseaux", reseau, 0), modalite: named("modalites", modalite, 0),
      pmr: pmr, ouvert: ouvert };
  };

  /* ---------------------------------------------------------------- communes (places.py) */

  function placeKey(text) {
    return fold(text).split(" ").filter(Boolean).map(function (w) { return ABBREVIATIONS[w] || w; }).join(" ");
  }

  /* places.keys_of: the name, without its leading article, without a homonym's qualifier « (Canton de …) ». */
  function keysOf(name) {
    var keys = [];
    [name, name.replace(QUALIFIER, "")].forEach(function (variant) {
      var key = placeKey(variant), space = key.indexOf(" ");
      var found = space > 0 && ARTICLES[key.slice(0, space)] ? [key, key.slice(space + 1)] : [key];
      found.forEach(function (k) { if (k && keys.indexOf(k) < 0) { keys.push(k); } });
    });
    return keys;
  }

  /* « Niort (79000) », « Niort 79000 » or « 79000 Niort »: [name, postal code], or null. */
  function nameAndPostalCode(text) {
    var match = NAME_AND_POSTAL_CODE.exec(text);
    if (match) { return [match[1], match[2]]; }
    match = POSTAL_CODE_AND_NAME.exec(text);
    return match ? [match[2], match[1]] : null;
  }

  function closenessLimit(key) { return key.length <= 5 ? 1 : key.length <= 10 ? 2 : 3; }

  /* data: trouver/communes.json (build_tools.places.gazetteer_json). entries: [key, commune, former name or null,
     " " + key] for completion. */
  function Gazetteer(data) {
    var self = this, n = data.insee.length, i;
    this.communes = [];
    for (i = 0; i < n; i++) {
      this.communes.push({ index: i, insee: data.insee[i], nom: data.nom[i], cp: data.cp[i].split(" "),
        population: data.population[i], lat: data.lat[i] / 100000, lon: data.lon[i] / 100000, cle: fold(data.nom[i]) });
    }
    var ordered = this.communes.slice().sort(function (a, b) {
      return b.population - a.population || compare(a.cle, b.cle) || compare(a.insee, b.insee);
    });
    ordered.forEach(function (commune, rank) { commune.rank = rank; });
    this.byInseeCode = new Map();
    this.byPostal = new Map();
    this.byKey = new Map();
    this.entries = [];
    function add(map, key, commune) {
      var list = map.get(key);
      if (!list) { map.set(key, list = []); }
      if (list.indexOf(commune) < 0) { list.push(commune); }
    }
    this.communes.forEach(function (commune) {
      self.byInseeCode.set(commune.insee, commune);
      commune.cp.forEach(function (code) { add(self.byPostal, code, commune); });
      keysOf(commune.nom).forEach(function (key) { add(self.byKey, key, commune); self.entries.push([key, commune, null, " " + key]); });
    });
    data.anciens.forEach(function (former) {
      var commune = self.communes[former[1]];
      (commune.anciens = commune.anciens || []).push(former[0]);
      keysOf(former[0]).forEach(function (key) { add(self.byKey, key, commune); self.entries.push([key, commune, former[0], " " + key]); });
    });
    this.departements = data.departements || {};
  }

  /* An option of a list of several communes for what was typed: why this one is there (a former name: « Brie
     (aujourd'hui Plaine-et-Vallées, 79100) »), and which département it is in (homonyms). */
  Gazetteer.prototype.describe = function (commune, text) {
    var key = placeKey(text), former = null, typed = (/\b\d{5}\b/.exec(text) || [])[0];
    var postal = typed && commune.cp.indexOf(typed) >= 0 ? typed : null;  /* « 79500 »: Fontivillié (79500), not 79110 */
    if (/^\d{5}$/.test(text.trim())) { key = ""; }
    if (key && keysOf(commune.nom).indexOf(key) < 0) {
      former = (commune.anciens || []).filter(function (name) { return keysOf(name).indexOf(key) >= 0; })[0] || null;
    }
    var code = /^97/.test(commune.insee) ? commune.insee.slice(0, 3) : commune.insee.slice(0, 2);
    var where = this.departements[code] ? ", " + this.departements[code] : "";
    return former ? former + " (aujourd'hui " + commune.nom + ", " + (postal || commune.cp[0]) + where + ")"
      : this.label(commune, postal) + where;
  };

  Gazetteer.prototype.sorted = function (communes) {
    var seen = new Set();
    return communes.filter(function (c) { if (seen.has(c)) { return false; } seen.add(c); return true; })
      .sort(function (a, b) { return a.rank - b.rank; });
  };

  Gazetteer.prototype.byInsee = function (code) { return this.byInseeCode.get(code) || null; };

  Gazetteer.prototype.byPostalCode = function (code) { return this.sorted(this.byPostal.get(code) || []); };

  Gazetteer.prototype.byName = function (text) { return this.sorted(this.byKey.get(placeKey(text)) || []); };

  /* An INSEE code or a postal code (older commune= links): every commune it may mean. */
  Gazetteer.prototype.byCode = function (code) {
    var insee = this.byInsee(code);
    return this.sorted((insee ? [insee] : []).concat(this.byPostal.get(code) || []));
  };

  /* What the « Près de » field designates: {communes, closest} (places.Places.lookup). withoutClosest: skip the
     close names (the page asks for them only when nothing even begins like the text). */
  Gazetteer.prototype.lookup = function (text, withoutClosest) {
    var self = this;
    function closest(name) { return withoutClosest ? [] : self.closest(name); }
    text = text.trim();
    if (/^\d{5}$/.test(text)) { return { communes: this.byPostalCode(text), closest: [] }; }
    var match = nameAndPostalCode(text);
    if (match && placeKey(match[0])) {
      var named = this.byName(match[0]);
      var found = named.filter(function (c) { return c.cp.indexOf(match[1]) >= 0; });
      if (found.length) { return { communes: found, closest: [] }; }
      return named.length ? { communes: named, closest: [] } : { communes: [], closest: closest(match[0]) };
    }
    var communes = this.byName(text);
    return communes.length ? { communes: communes, closest: [] } : { communes: [], closest: closest(text) };
  };

  Gazetteer.prototype.closest = function (text) {
    var key = placeKey(text);
    if (key.length < 3) { return []; }
    var limit = closenessLimit(key), scored = new Map();
    this.byKey.forEach(function (communes, candidate) {
      var distance = osaDistance(key, candidate, limit);
      if (distance > limit) { return; }
      communes.forEach(function (commune) {
        var previous = scored.get(commune);
        if (!previous || distance < previous) { scored.set(commune, distance); }
      });
    });
    return Array.from(scored.keys()).sort(function (a, b) {
      return scored.get(a) - scored.get(b) || a.rank - b.rank;
    }).slice(0, CLOSEST);
  };

  Gazetteer.prototype.label = function (commune, postalCode) {
    return commune.nom + " (" + (postalCode || commune.cp[0]) + ")";
  };

  /* Options while typing: [{commune, label}] — names (and former names) that are, begin with, or have a word
     beginning with what is typed; or postal codes beginning with the digits typed. Best match first, then
     most populous. */
  Gazetteer.prototype.complete = function (text, limit) {
    var self = this, options = [];
    text = text.trim();
    if (!text) { return []; }
    if (/^\d{1,5}$/.test(text)) {
      var byCode = [];
      this.communes.forEach(function (commune) {
        for (var i = 0; i < commune.cp.length; i++) {
          if (commune.cp[i].lastIndexOf(text, 0) === 0) { byCode.push([commune.cp[i], commune]); break; }
        }
      });
      byCode.sort(function (a, b) { return compare(a[0], b[0]) || a[1].rank - b[1].rank; });
      return byCode.slice(0, limit).map(function (e) { return { commune: e[1], label: self.label(e[1], e[0]) }; });
    }
    var match = nameAndPostalCode(text);
    if (match && placeKey(match[0])) {
      return this.lookup(text).communes.slice(0, limit).map(function (c) {
        return { commune: c, label: self.label(c, c.cp.indexOf(match[1]) >= 0 ? match[1] : null) };
      });
    }
    var key = placeKey(text);
    if (!key) { return []; }
    var best = new Map(), spaced = " " + key;
    this.entries.forEach(function (entry) {
      var candidate = entry[0], rank;
      if (candidate === key) { rank = 0; }
      else if (candidate.lastIndexOf(key, 0) === 0) { rank = 2; }
      else if (entry[3].indexOf(spaced) > 0) { rank = 4; }
      else { return; }
      if (entry[2] !== null) { rank += 1; }
      var previous = best.get(entry[1]);
      if (!previous || rank < previous.rank) { best.set(entry[1], { rank: rank, former: entry[2] }); }
    });
    Array.from(best.keys()).sort(function (a, b) { return best.get(a).rank - best.get(b).rank || a.rank - b.rank; })
      .slice(0, limit).forEach(function (commune) {
        var former = best.get(commune).former;
        options.push({ commune: commune, label: former
          ? former + " (aujourd'hui " + commune.nom + ", " + commune.cp[0] + ")" : self.label(commune) });
      });
    return options;
  };

  /* The home page's box: a commune or postal code in what was typed, alone or at either end
     (« cep niort », « Lezay », « 79120 »). Returns {text, communes} (communes empty: no place). */
  Gazetteer.prototype.splitPlace = function (text) {
    var words = text.trim().split(/\s+/).filter(Boolean);
    for (var size = words.length; size > 0; size--) {
      var candidates = [[words.slice(words.length - size), words.slice(0, words.length - size)],
        [words.slice(0, size), words.slice(size)]];
      for (var k = 0; k < candidates.length; k++) {
        var place = candidates[k][0].join(" "), rest = candidates[k][1].join(" ");
        var communes = /^\d{5}$/.test(place) ? this.byPostalCode(place) : this.byName(place);
        if (communes.length && placeKey(place).length >= 3) { return { text: rest, place: place, communes: communes }; }
      }
    }
    return { text: text.trim(), place: "", communes: [] };
  };

  /* ``text`` with the typed word whose folded form is ``word`` (a word the search did not know) replaced by
     ``replacement`` (a suggestion); a word joined to another (« l'hadicapp », « aide-hadicapp »): the folded text,
     word by word. */
  function replaceWord(text, word, replacement) {
    var replaced = false;
    var tokens = text.split(/\s+/).map(function (token) {
      if (!replaced && fold(token) === word) { replaced = true; return replacement; }
      return token;
    });
    return replaced ? tokens.join(" ")
      : fold(text).split(" ").map(function (w) { return w === word ? replacement : w; }).join(" ");
  }

  var api = { fold: fold, withinOneEdit: withinOneEdit, osaDistance: osaDistance, distanceKm: distanceKm, de: de, distanceFr: distanceFr,
    placeKey: placeKey, keysOf: keysOf, replaceWord: replaceWord, Finder: Finder, Gazetteer: Gazetteer };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; } else { root.SproFinderCore = api; }
})(this);
