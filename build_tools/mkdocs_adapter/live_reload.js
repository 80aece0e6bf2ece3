/* mkdocs serve only (see live_reload.py, which adds this file and its <script> to the preview's pages).
   MkDocs reloads the preview through an inline script, which the pages' Content-Security-Policy refuses, as it
   refuses every inline script: this file, from the site itself, does what that script would have done. Its
   epoch and request id are read from the inline script's text (present, though not run), or asked of the server
   on a page MkDocs gave no script (a « page not found »). */
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
    if (epoch === null) {
      // A missing page (the preview of invalid data makes every directory page one): MkDocs adds its script
      // to the pages it finds only. The server's epoch now, which it answers at once, is this page's.
      request = String(Date.now());
      var first = new XMLHttpRequest();
      first.onloadend = function () {
        if (this.status === 200) { epoch = parseFloat(this.responseText); start(); }
      };
      first.open("GET", "/livereload/0/" + request);
      first.send();
    } else {
      start();
    }
  });

  function start() {
    document.documentElement.setAttribute("data-apercu-recharge", epoch);  // (what a test can wait on)
    window.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { poll(); } else { stop(); }
    });
    window.addEventListener("beforeunload", stop);
    if (document.visibilityState === "visible") { poll(); }
  }
})();
