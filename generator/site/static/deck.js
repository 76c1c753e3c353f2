/* blueprint site: present a lesson as a deck. One slide at a time; a flow on a slide steps as builds before the
   next slide comes; full screen with the Fullscreen API; printing gives one slide per page. */
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var count = document.getElementById("bp-count");
  var at = 0;
  function player(slide) {
    var fig = slide && slide.querySelector("figure.bp-playable");
    return fig ? fig.bpPlayer : null;
  }
  function show(i) {
    at = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach(function (s, k) {
      s.classList.toggle("active", k === at);
      s.setAttribute("aria-hidden", k === at ? "false" : "true");
    });
    document.body.setAttribute("data-slide", String(at + 1));
    if (count) { count.textContent = "Slide " + (at + 1) + " of " + slides.length; }
  }
  function next() {
    var p = player(slides[at]);
    if (p && p.next()) { return; }
    if (at + 1 < slides.length) {
      show(at + 1);
      var q = player(slides[at]);
      if (q) { q.reset(); }
    }
  }
  function prev() {
    var p = player(slides[at]);
    if (p && p.prev()) { return; }
    if (at > 0) { show(at - 1); }
  }
  function fullScreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen().catch(function () { /* refused */ }); }
  }
  var bind = function (id, fn) { var b = document.getElementById(id); if (b) { b.addEventListener("click", fn); } };
  bind("bp-next-slide", next);
  bind("bp-prev-slide", prev);
  bind("bp-full", fullScreen);
  document.addEventListener("fullscreenchange", function () {
    var b = document.getElementById("bp-full");
    if (b) { b.textContent = document.fullscreenElement ? "Leave full screen" : "Full screen"; }
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var k = event.key;
    if (k === "ArrowRight" || k === "PageDown" || k === " " || k === "Enter" && tag !== "BUTTON" && tag !== "A") { event.preventDefault(); next(); }
    else if (k === "ArrowLeft" || k === "PageUp" || k === "Backspace") { event.preventDefault(); prev(); }
    else if (k === "Home") { event.preventDefault(); show(0); }
    else if (k === "End") { event.preventDefault(); show(slides.length - 1); }
    else if (k === "f" || k === "F") { event.preventDefault(); fullScreen(); }
    else if ((k === "d" || k === "D") && window.bpToggleTheme) { event.preventDefault(); window.bpToggleTheme(); }
  });
  var start = 0;
  var hash = decodeURIComponent(window.location.hash.slice(1));
  if (hash) { slides.forEach(function (s, k) { if (s.id === hash) { start = k; } }); }
  show(start);
})();
