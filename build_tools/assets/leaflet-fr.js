/* Leaflet in French, on every map of the site: the zoom buttons' names and the popups' close button
   (Leaflet says « Zoom in », « Zoom out », « Close popup »). Loaded right after leaflet.js. */
(function () {
  "use strict";
  if (!window.L) { return; }
  L.Control.Zoom.mergeOptions({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" });
  L.Map.addInitHook(function () {
    this.on("popupopen", function (event) {
      var button = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (button) { button.setAttribute("aria-label", "Fermer"); button.title = "Fermer"; }
    });
  });
})();
