/* Service filter for the region map: checkboxes that show only the lieux offering the checked services. */
function sproFiltres(map, cluster, services) {
  "use strict";
  var markers = [];
  cluster.eachLayer(function (marker) { markers.push(marker); });
  var control = L.control({ position: "topright" });
  control.onAdd = function () {
    var form = L.DomUtil.create("form", "spro-filtres");
    var fieldset = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = "Services";
    fieldset.appendChild(legend);
    services.forEach(function (service) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = service.code;
      box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + service.nom));
      fieldset.appendChild(label);
    });
    form.appendChild(fieldset);
    L.DomEvent.disableClickPropagation(form);
    L.DomEvent.disableScrollPropagation(form);
    form.addEventListener("change", function () {
      var wanted = Array.prototype.filter.call(form.querySelectorAll("input"), function (box) { return box.checked; })
        .map(function (box) { return box.value; });
      cluster.clearLayers();
      cluster.addLayers(markers.filter(function (marker) {
        return marker.options.services.some(function (code) { return wanted.indexOf(code) >= 0; });
      }));
    });
    return form;
  };
  control.addTo(map);
}
