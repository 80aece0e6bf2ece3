/* mkdocs serve only (see live_reload.py, which adds this file and its <script> to the preview's pages).
   MkDocs reloads the preview through an inline script, which the pages' Content-Security-Policy refuses, as it
   refuses every inline script: this file, from the site itself, does what that script would have done. Its
   epoch and request id are read from the inline script's text (present, though not run), or asked of the server
   on a page MkDocs gave no script (a « page not found »). */
(function () {
  "use strict";
  var epoch = null;
  var request = String(Date.now());
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

  // A page MkDocs served as not found (the preview of invalid data makes every directory page one) has no inline
  // script: the server's epoch, asked as soon as this runs (before the page's images and scripts load: a build
  // finishing meanwhile would be taken for this page's), is then this page's.
  var asked = null;
  var loaded = false;
  function ask() {
    var first = new XMLHttpRequest();
    first.onloadend = function () {
      if (this.status !== 200) { window.setTimeout(ask, 3000); return; }
      asked = parseFloat(this.responseText);
      if (loaded && epoch === null) { epoch = asked; start(); }
    };
    first.open("GET", "/livereload/0/" + request);
    first.send();
  }
  ask();

  window.addEventListener("load", function () {
    var scripts = document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length && epoch === null; i++) {
      var found = /livereload\((\d+), (\d+)\);\s*$/.exec(scripts[i].text);
      if (found) { epoch = Number(found[1]); request = found[2]; }
    }
    loaded = true;
    if (epoch === null && asked !== null) { epoch = asked; }
    if (epoch !== null) { start(); }
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
