/* A lieu's page: open or closed now with the next change, today in the hours table (horaires.js),
   « Partager » (the Web Share API where the device has it, otherwise the link copied) and « Imprimer ». */
(function () {
  "use strict";

  var H = window.SproHoraires;

  function hours() {
    var element = document.querySelector(".spro-etat[data-horaires]");
    if (!element || !H) { return; }
    var data = JSON.parse(element.getAttribute("data-horaires"));
    var ref = data.reference.split("-").map(Number), reference = Date.UTC(ref[0], ref[1] - 1, ref[2]) / 86400000;
    var now = H.parisTime(new Date());
    function closed(day) {
      var offset = day.number - reference;
      return data.fermetures.some(function (f) { return f[0] <= offset && offset <= f[1]; });
    }
    var state = H.status(data.horaires, reference, now, closed);
    element.textContent = state.text + ".";
    element.classList.add(state.open ? "spro-ouvert" : "spro-ferme-maintenant");
    element.hidden = false;
    var row = document.querySelector(".spro-horaires tr[data-jour='" + now.weekday + "']");
    if (row) {
      row.classList.add("spro-aujourdhui");
      row.setAttribute("aria-current", "date");
      var cell = row.querySelector("th");
      var mark = document.createElement("span");
      mark.className = "spro-aujourdhui__mot";
      mark.textContent = " (aujourd'hui)";
      cell.appendChild(mark);
      var today = closed(now) ? [] : H.rangesOn(data.horaires, reference, now);
      var usual = row.querySelector("td").textContent;
      var text = today.length ? today.map(function (r) { return H.heure(r[0]) + " – " + H.heure(r[1]); }).join(", ") : "Fermé";
      if (text !== usual) {  /* a holiday, a closure, another period of the year: today's real hours */
        row.querySelector("td").textContent = usual + " (aujourd'hui : " + text.toLowerCase() + ")";
      }
    }
  }

  function share() {
    var button = document.querySelector("#spro-partager");
    var said = document.querySelector("#spro-partager-statut");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = window.location.href.split("#")[0], title = document.title;
      if (navigator.share) {
        navigator.share({ title: title, url: url }).catch(function () { /* cancelled by the person */ });
      } else if (navigator.clipboard) {
        navigator.clipboard.writeText(url).then(function () { said.textContent = "Lien copié : collez-le où vous voulez."; },
          function () { said.textContent = "Copiez l'adresse de la page : " + url; });
      } else {
        said.textContent = "Copiez l'adresse de la page : " + url;
      }
    });
  }

  function print() {
    var button = document.querySelector("#spro-imprimer");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  function start() { hours(); share(); print(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
