/* blueprint site: choose light or dark before the page paints (the reader's stored choice, else the system's). */
(function () {
  "use strict";
  var stored = null;
  try { stored = window.localStorage.getItem("bp-theme"); } catch (e) { stored = null; }
  var dark = stored ? stored === "dark"
    : !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
})();
