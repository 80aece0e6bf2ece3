/* Region and basin map documents (carte/carte.html, bassins/<code>/carte.html).
   Everything shown comes from window.SPRO_CARTE (donnees.js, written by build_tools/generate/maps.py):
   text is only ever set with textContent; the attribution is HTML built and escaped by the generator. */
(function () {
  "use strict";
  var data = window.SPRO_CARTE;
  var element = document.getElementById("spro-carte");
  if (!data || !element) { return; }

  var map = L.map(element, { zoomControl: false });
  L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  L.tileLayer(data.tuiles.url, { maxZoom: 19, attribution: data.tuiles.attribution }).addTo(map);

  function link(text, href) {
    var a = document.createElement("a");
    a.href = href;
    a.target = "_top";
    a.textContent = text;
    return a;
  }

  if (data.bassins.length) {
    var features = data.bassins.map(function (bassin, index) {
      return { type: "Feature", geometry: bassin.geometrie, properties: { index: index } };
    });
    L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function (feature) {
        return { color: data.bassins[feature.properties.index].couleur, weight: 2, fillOpacity: 0.08 };
      },
      onEachFeature: function (feature, layer) {
        var bassin = data.bassins[feature.properties.index];
        layer.bindPopup(link(bassin.nom, bassin.url));
        var label = document.createElement("span");
        label.textContent = bassin.nom;
        layer.bindTooltip(label, { sticky: true });
        layer.on("add", function () {
          var path = layer.getElement && layer.getElement();
          if (path) {
            path.setAttribute("role", "img");
            path.setAttribute("aria-label", bassin.nom);
          }
        });
      }
    }).addTo(map);
  }

  var cluster = L.markerClusterGroup();
  var markers = data.lieux.map(function (row) {
    var lieu = {};
    data.colonnes.forEach(function (name, column) { lieu[name] = row[column]; });  /* maps.py ROW */
    var marker = L.marker([lieu.lat, lieu.lon], { title: lieu.nom, alt: lieu.nom });
    marker.services = lieu.services;
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.appendChild(link(lieu.nom, lieu.url));
    box.appendChild(name);
    var details = document.createElement("div");
    details.textContent = lieu.details;
    box.appendChild(details);
    if (lieu.approximatif) {
      var note = document.createElement("div");
      note.className = "spro-approximatif";
      note.textContent = "Position approximative";
      box.appendChild(note);
    }
    marker.bindPopup(box);
    return marker;
  });
  cluster.addLayers(markers);
  map.addLayer(cluster);

  if (data.services.length) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var form = L.DomUtil.create("form", "spro-filtres");
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = "Services";
      fieldset.appendChild(legend);
      data.services.forEach(function (service) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.value = service[0];
        box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(service[1]));
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
          return marker.services.some(function (code) { return wanted.indexOf(code) >= 0; });
        }));
      });
      return form;
    };
    control.addTo(map);
  }

  if (data.vue) {
    map.fitBounds(data.vue, { padding: [10, 10] });
  } else {
    map.setView([46.6, 2.4], 6);
  }
  // For tests and debugging in the console: the map and the marker group.
  window.sproCarte = { carte: map, groupe: cluster };
  document.documentElement.setAttribute("data-spro-carte", "prete");
})();
