/* mkdocs serve only (see live_reload.py, which adds this file and its <script> to the preview's pages).
   MkDocs reloads the preview through an inline script, which the pages' Content-Security-Policy refuses, as it
   refuses every inline script: this file, from the site itself, does what that script would have done. Its
   epoch and request id are read from the inline script's text (present, though not run). */
(function () {
  "use strict";
  var epoch = null;
  var request = null;
  var pending = null;
  var timer = null;

  function poll() {
    pending = new XMLHttpRequest();
    pending.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) {
        window.location.reload();
      } else {
        timer = window.setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    pending.open("GET", "/livereload/" + epoch + "/" + request);
    pending.send();
  }

  function stop() {
    if (pending) { pending.abort(); }
    if (timer) { window.clearTimeout(timer); }
    pending = timer = null;
  }

  window.addEventListener("load", function () {
    var scripts = document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length && epoch === null; i++) {
      var found = /livereload\((\d+), (\d+)\);\s*$/.exec(scripts[i].text);
      if (found) { epoch = Number(found[1]); request = found[2]; }
    }
    if (epoch === null) { return; }
    window.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { poll(); } else { stop(); }
    });
    window.addEventListener("beforeunload", stop);
    if (document.visibilityState === "visible") { poll(); }
  });
})();
