/* The theme's menu button (a label for the drawer's checkbox) as a real button: Entrée or Espace open it,
   it says whether it is open, and Échap closes the menu and gives the focus back to the button. */
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var button = document.querySelector(".spro-menu");
  if (!toggle || !button) { return; }
  function said() { button.setAttribute("aria-expanded", String(toggle.checked)); }
  button.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      toggle.checked = !toggle.checked;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
      said();
      if (toggle.checked) {
        var first = document.querySelector(".md-sidebar--primary a");
        if (first) { first.focus(); }
      }
    }
  });
  toggle.addEventListener("change", said);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
      said();
      button.focus();
    }
  });
})();
