/* blueprint site: the theme toggle and the search box (index built at build time, searched in the page). */
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var html = document.documentElement;

  /* Dark mode: follows the system until the reader chooses; the choice is remembered. */
  function isDark() { return html.getAttribute("data-theme") === "dark"; }
  function showTheme() {
    var button = document.getElementById("bp-theme");
    if (button) {
      button.setAttribute("aria-pressed", isDark() ? "true" : "false");
      button.textContent = isDark() ? "Light mode" : "Dark mode";
    }
  }
  function setTheme(dark, remember) {
    html.setAttribute("data-theme", dark ? "dark" : "light");
    if (remember) { try { window.localStorage.setItem("bp-theme", dark ? "dark" : "light"); } catch (e) { /* private mode */ } }
    showTheme();
  }
  window.bpToggleTheme = function () { setTheme(!isDark(), true); };
  var toggle = document.getElementById("bp-theme");
  if (toggle) { toggle.addEventListener("click", window.bpToggleTheme); }
  if (window.matchMedia) {
    var query = window.matchMedia("(prefers-color-scheme: dark)");
    var follow = function (event) {
      var stored = null;
      try { stored = window.localStorage.getItem("bp-theme"); } catch (e) { stored = null; }
      if (!stored) { setTheme(event.matches, false); }
    };
    if (query.addEventListener) { query.addEventListener("change", follow); }
  }
  showTheme();

  /* Practice pages: each answer is a <details>; one button opens or folds them all. */
  var answers = document.getElementById("bp-answers");
  if (answers) {
    var all = function () { return Array.prototype.slice.call(document.querySelectorAll("details.answer")); };
    var showAnswers = function () {
      var open = all().length > 0 && all().every(function (d) { return d.open; });
      answers.setAttribute("aria-pressed", open ? "true" : "false");
      answers.textContent = open ? "Hide all answers" : "Show all answers";
    };
    answers.hidden = false;
    answers.addEventListener("click", function () {
      var open = answers.getAttribute("aria-pressed") !== "true";
      all().forEach(function (d) { d.open = open; });
      showAnswers();
    });
    all().forEach(function (d) { d.addEventListener("toggle", showAnswers); });
    showAnswers();
  }

  /* Search: every word must occur; titles and section names weigh most, the whole phrase more. */
  var box = document.getElementById("bp-q");
  var list = document.getElementById("bp-results");
  if (!box || !list) { return; }
  var entries = (window.BP_INDEX || []).map(function (e, i) {
    return { e: e, i: i, title: (e.title + " " + e.section).toLowerCase(), hay: (e.title + " " + e.section + " " + e.text).toLowerCase() };
  });
  function snippet(text, words) {
    var lower = text.toLowerCase();
    var at = lower.indexOf(words[0]);
    if (at < 0) { return text.slice(0, 120); }
    var start = Math.max(0, at - 50);
    return (start ? "…" : "") + text.slice(start, start + 140) + (start + 140 < text.length ? "…" : "");
  }
  function search(q) {
    var phrase = q.toLowerCase().trim().replace(/\s+/g, " ");
    var words = phrase.split(" ").filter(Boolean);
    if (!words.length) { return []; }
    var found = [];
    entries.forEach(function (x) {
      for (var k = 0; k < words.length; k++) { if (x.hay.indexOf(words[k]) < 0) { return; } }
      var score = 1;
      words.forEach(function (w) { if (x.title.indexOf(w) >= 0) { score += 10; } });
      if (x.hay.indexOf(phrase) >= 0) { score += 8; }
      if (x.title.indexOf(phrase) >= 0) { score += 20; }
      found.push({ x: x, score: score });
    });
    found.sort(function (a, b) { return b.score - a.score || a.x.i - b.x.i; });
    /* The lessons' own pages first; practice and appendix pages (kind "extra") after them, but always shown. */
    var main = found.filter(function (f) { return !f.x.e.kind; });
    var extra = found.filter(function (f) { return f.x.e.kind; });
    var room = Math.min(extra.length, Math.max(2, 12 - main.length));
    var top = main.slice(0, 12 - room).concat(extra.slice(0, room));
    return top.map(function (f) { return { e: f.x.e, words: words }; });
  }
  function render() {
    var results = search(box.value);
    list.textContent = "";
    if (!box.value.trim()) { list.hidden = true; return; }
    if (!results.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No match for “" + box.value.trim() + "”.";
      list.appendChild(none);
    }
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.e.url;
      var strong = document.createElement("strong");
      strong.textContent = r.e.title;
      a.appendChild(strong);
      if (r.e.section) { a.appendChild(document.createTextNode(" › " + r.e.section)); }
      var small = document.createElement("span");
      small.className = "snippet";
      small.textContent = snippet(r.e.text, r.words);
      a.appendChild(small);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }
  box.addEventListener("input", render);
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
  box.addEventListener("keydown", function (event) {
    var all = links();
    if (event.key === "ArrowDown" && all.length) { event.preventDefault(); all[0].focus(); }
    else if (event.key === "Enter" && all.length) { event.preventDefault(); window.location.href = all[0].href; }
    else if (event.key === "Escape") { box.value = ""; render(); }
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < all.length - 1) { event.preventDefault(); all[at + 1].focus(); }
    else if (event.key === "ArrowUp") { event.preventDefault(); if (at > 0) { all[at - 1].focus(); } else { box.focus(); } }
    else if (event.key === "Escape") { event.preventDefault(); box.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (event.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== box) { list.hidden = true; }
  });
  box.addEventListener("focus", function () { if (box.value.trim()) { render(); } });
})();
