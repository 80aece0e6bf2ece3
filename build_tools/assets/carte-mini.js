/* Small maps on lieu pages: one marker, tiles and attribution from the element's data attributes. */
(function () {
  "use strict";
  function init(element) {
    if (element.dataset.sproReady) { return; }
    element.dataset.sproReady = "1";
    var position = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    /* On a touch screen a swipe over the small map scrolls the page (two fingers still zoom). */
    var map = L.map(element, { scrollWheelZoom: false, dragging: !L.Browser.mobile, tap: false }).setView(position, 15);
    L.tileLayer(element.dataset.tuiles, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
    L.marker(position, { title: element.dataset.nom, alt: element.dataset.nom }).addTo(map);
  }
  function all() {
    document.querySelectorAll(".spro-carte-mini").forEach(init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", all);
  } else {
    all();
  }
})();
