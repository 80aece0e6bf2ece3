/* Runs build_tools/assets/finder-core.js under Node for the fast tests (tests/test_finder_node.py and
   tests/test_finder_agreement.py): reads a job as JSON on stdin, writes the answers as JSON on stdout.

   job = {index: path of trouver/index.json, communes: path of trouver/communes.json, now: ISO instant,
          queries: [{q, service: [], public: [], bassin: [], reseau: [], modalite: [], pmr, ouvert, insee}],
          lookups: [text], codes: [code], complete: [text], split: [text], de: [name], distances: [km]} */
"use strict";

const fs = require("fs");
const path = require("path");
const core = require(path.join(__dirname, "..", "build_tools", "assets", "finder-core.js"));
const horaires = require(path.join(__dirname, "..", "build_tools", "assets", "horaires.js"));

function main(job) {
  const answer = {};
  const gazetteer = job.communes ? new core.Gazetteer(JSON.parse(fs.readFileSync(job.communes, "utf-8"))) : null;
  const names = (communes) => communes.map((c) => c.insee);
  if (job.index) {
    const finder = new core.Finder(JSON.parse(fs.readFileSync(job.index, "utf-8")));
    const now = new Date(job.now);
    answer.queries = (job.queries || []).map((query) => {
      const place = query.insee ? gazetteer.byInsee(query.insee) : null;
      const selection = { text: query.q || "", pmr: !!query.pmr, ouvert: !!query.ouvert, now: now,
        origin: place ? [place.lat, place.lon] : null };
      for (const group of ["service", "public", "bassin", "reseau", "modalite"]) { selection[group] = new Set(query[group] || []); }
      const found = finder.search(selection);
      return { ids: found.results.map((r) => r.lieu.id), relevance: found.results.map((r) => r.relevance),
        km: found.results.map((r) => r.km), unknown: found.unknown };
    });
  }
  if (job.horaires) {  /* {reference: "YYYY-MM-DD", schedules: [schedule JSON], days: [[y, m, d]], years: [y], status: [[i, y, m, d, minute]]} */
    const h = job.horaires, ref = h.reference.split("-").map(Number), reference = Date.UTC(ref[0], ref[1] - 1, ref[2]) / 86400000;
    answer.ranges = h.schedules.map((schedule) => h.days.map(([y, m, d]) => horaires.rangesOn(schedule, reference, horaires.day(y, m, d))));
    answer.holidays = (h.years || []).map((y) => Array.from(horaires.publicHolidays(y)).sort((a, b) => a - b)
      .map((n) => new Date(n * 86400000).toISOString().slice(0, 10)));
    answer.status = (h.status || []).map(([i, y, m, d, minute]) => {
      const now = horaires.day(y, m, d); now.minute = minute;
      return horaires.status(h.schedules[i], reference, now).text;
    });
  }
  answer.de = (job.de || []).map(core.de);
  answer.distances = (job.distances || []).map(core.distanceFr);
  if (gazetteer) {
    answer.lookups = (job.lookups || []).map((text) => {
      const found = gazetteer.lookup(text);
      return { communes: names(found.communes), closest: names(found.closest) };
    });
    answer.codes = (job.codes || []).map((code) => names(gazetteer.byCode(code)));
    answer.complete = (job.complete || []).map((text) => gazetteer.complete(text, 8).map((o) => [o.commune.insee, o.label]));
    answer.split = (job.split || []).map((text) => {
      const found = gazetteer.splitPlace(text);
      return { text: found.text, place: found.place, communes: names(found.communes) };
    });
  }
  return answer;
}

let input = "";
process.stdin.setEncoding("utf-8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => { process.stdout.write(JSON.stringify(main(JSON.parse(input)))); });
