/* mkdocs serve only (see live_reload.py, which adds this file and its <script> to the preview's pages).
   MkDocs reloads the preview through an inline script, which the pages' Content-Security-Policy refuses, as it
   refuses every inline script: this file, from the site itself, does what that script would have done. The
   page's build is the server's latest when this runs (the server serves pages of finished builds only, and a
   build takes seconds): its epoch is asked then, rather than read from MkDocs' script, which is absent from the
   pages MkDocs serves as not found (the preview of invalid data makes every directory page one). */
(function () {
  "use strict";
  var request = String(Date.now());
  var epoch = null;
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

  function start() {
    document.documentElement.setAttribute("data-apercu-recharge", epoch);  // (what a test can wait on)
    window.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { poll(); } else { stop(); }
    });
    window.addEventListener("beforeunload", stop);
    if (document.visibilityState === "visible") { poll(); }
  }

  function ask() {
    var first = new XMLHttpRequest();
    first.onloadend = function () {
      if (this.status !== 200) { window.setTimeout(ask, 3000); return; }
      epoch = parseFloat(this.responseText);
      start();
    };
    first.open("GET", "/livereload/0/" + request);
    first.send();
  }

  ask();
})();
