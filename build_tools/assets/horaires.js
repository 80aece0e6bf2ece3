/* Opening hours for any date, in the browser and under Node: build_tools/horaires_tables.py's schedules
   (a usual week per period of the year, public holidays, exceptions) and the French public holidays of any
   year, computed here, so that « ouvert maintenant » stays right however long the site goes without a rebuild.
   In a page this file defines window.SproHoraires; under Node it is a module. */
(function (root) {
  "use strict";

  var JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
  var MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre"];
  var NBSP = "\u00a0";
  var HORIZON = 62;  /* days looked ahead for the next opening (a long closure) */
  var DAY = 86400000;

  /* Gregorian Easter Sunday, as a UTC day number (days since 1970-01-01): horaires_tables.easter. */
  function easter(year) {
    var a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
    var f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
    var i = Math.floor(c / 4), k = c % 4, m = (32 + 2 * e + 2 * i - h - k) % 7, n = Math.floor((a + 11 * h + 22 * m) / 451);
    var month = Math.floor((h + m - 7 * n + 114) / 31), day = (h + m - 7 * n + 114) % 31 + 1;
    return Date.UTC(year, month - 1, day) / DAY;
  }

  var holidayCache = {};

  /* The French public holidays of a year (horaires_tables.public_holidays), as a Set of UTC day numbers. */
  function publicHolidays(year) {
    if (holidayCache[year]) { return holidayCache[year]; }
    var sunday = easter(year), days = new Set([sunday + 1, sunday + 39, sunday + 50]);
    [[1, 1], [5, 1], [5, 8], [7, 14], [8, 15], [11, 1], [11, 11], [12, 25]].forEach(function (md) {
      days.add(Date.UTC(year, md[0] - 1, md[1]) / DAY);
    });
    return (holidayCache[year] = days);
  }

  /* A day: {year, month (1-12), date, weekday (0 = Monday), number (UTC day number)}. */
  function day(year, month, date) {
    var number = Date.UTC(year, month - 1, date) / DAY;
    return { year: year, month: month, date: date, weekday: (new Date(number * DAY).getUTCDay() + 6) % 7, number: number };
  }

  function next(d, days) {
    var moment = new Date((d.number + days) * DAY);
    return day(moment.getUTCFullYear(), moment.getUTCMonth() + 1, moment.getUTCDate());
  }

  var PARIS = null;

  /* Paris wall-clock time of a Date: the day and the minute of the day. */
  function parisTime(date) {
    PARIS = PARIS || new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    var parts = {};
    PARIS.formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    var d = day(+parts.year, +parts.month, +parts.day);
    d.minute = (+parts.hour % 24) * 60 + (+parts.minute);
    return d;
  }

  /* The opening ranges of one day. schedule: {saisons: [[months, week]], feries, x: [[offset, ranges]]};
     reference: the UTC day number exceptions are counted from. */
  function rangesOn(schedule, reference, d) {
    var offset = d.number - reference;
    for (var i = 0; i < schedule.x.length; i++) { if (schedule.x[i][0] === offset) { return schedule.x[i][1]; } }
    if (schedule.feries !== null && publicHolidays(d.year).has(d.number)) { return schedule.feries; }
    for (var s = 0; s < schedule.saisons.length; s++) {
      if (schedule.saisons[s][0].indexOf(d.month) >= 0) { return schedule.saisons[s][1][d.weekday]; }
    }
    return [];
  }

  /* « 8 h 30 », never split across two lines (horaires: heure_fr). */
  function heure(minutes) {
    var h = Math.floor(minutes / 60) % 24, m = minutes % 60;
    return h + NBSP + "h" + (m ? NBSP + (m < 10 ? "0" : "") + m : "");
  }

  /* When the next opening is, as people say it: « à 13 h 30 », « demain à 9 h », « jeudi à 9 h », « lundi prochain
     à 9 h » (a week from today), « le lundi 4 janvier à 9 h » (further: a long closure). */
  function when(d, k, minutes) {
    var at = "à " + heure(minutes);
    if (k === 0) { return at; }
    if (k === 1) { return "demain " + at; }
    if (k < 7) { return JOURS[d.weekday] + " " + at; }
    if (k === 7) { return JOURS[d.weekday] + " prochain " + at; }
    return "le " + JOURS[d.weekday] + " " + (d.date === 1 ? "1er" : d.date) + " " + MOIS[d.month - 1] + " " + at;
  }

  /* What a person wants to know now: open or closed, and the next change within a week (closed: optional
     function telling the days the lieu is closed anyway, its « fermetures »).
     {open, text}: « Ouvert jusqu'à 17 h », « Fermé · ouvre à 13 h 30 », « Fermé · ouvre lundi à 9 h ». */
  function status(schedule, reference, now, closed) {
    var today = now, minute = now.minute;
    function ranges(d) { return closed && closed(d) ? [] : rangesOn(schedule, reference, d); }
    var current = ranges(today).filter(function (r) { return r[0] <= minute && minute < r[1]; })[0];
    if (current) { return { open: true, text: "Ouvert jusqu'à " + heure(current[1]) }; }
    for (var k = 0; k < HORIZON; k++) {
      var d = k ? next(today, k) : today;
      var later = ranges(d).filter(function (r) { return k || r[0] > minute; })[0];
      if (later) { return { open: false, text: "Fermé · ouvre " + when(d, k, later[0]) }; }
    }
    return { open: false, text: "Fermé" };
  }

  var api = { easter: easter, publicHolidays: publicHolidays, day: day, next: next, parisTime: parisTime,
    rangesOn: rangesOn, status: status, heure: heure, JOURS: JOURS };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; } else { root.SproHoraires = api; }
})(this);
