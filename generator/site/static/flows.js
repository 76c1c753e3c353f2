/* blueprint site: step through a flow on a picture, one hop at a time. The pictures say which element is which:
   overview and flow pictures label each step's patch with data-step, data-edge ("from->to:hop:flow") and
   data-badge ("cx cy r"); sequence pictures mark each message with data-step, data-from and data-to. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var data = {};
  var holder = document.getElementById("bp-flows");
  try { data = holder ? JSON.parse(holder.textContent) : {}; } catch (e) { data = {}; }
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function Player(fig) {
    this.fig = fig;
    this.svg = fig.querySelector("svg.bp-svg");
    this.prefix = this.svg ? this.svg.id : "";
    this.sequence = fig.getAttribute("data-kind") === "sequence";
    this.narration = fig.querySelector(".bp-narration");
    this.hint = this.narration ? this.narration.innerHTML : "";
    this.select = fig.querySelector(".bp-flow");
    var keys = (fig.getAttribute("data-flows") || "").split(" ").filter(function (k) { return data[k]; });
    var self = this;
    this.keys = keys.filter(function (k) { return self.hops(k).some(function (h) { return h.on.length; }); });
    if (this.select) {
      each(this.select.options, function (o) { if (self.keys.indexOf(o.value) < 0) { o.disabled = true; } });
      this.select.addEventListener("change", function () { self.use(self.select.value); });
    }
    this.at = -1;
    this.use(this.keys[0] || "");
  }

  Player.prototype.byId = function (kind, ident) {
    return document.getElementById(this.prefix + "-" + kind + "-" + ident);
  };

  /* The elements a badge's number and label text are drawn with: the badge, then what follows it in its layer. */
  Player.prototype.badgeParts = function (spec) {
    var at = (spec || "").split(" ");
    var out = [];
    var badges = this.svg.querySelectorAll(".badge");
    for (var i = 0; i < badges.length; i++) {
      var b = badges[i];
      if (b.getAttribute("cx") === at[0] && b.getAttribute("cy") === at[1]) {
        out.push(b);
        for (var n = b.nextElementSibling; n && !(n.classList && n.classList.contains("badge")); n = n.nextElementSibling) { out.push(n); }
        break;
      }
    }
    return out;
  };

  /* For each step of a flow: the elements to highlight (edge or message, the two components, label, badge). */
  Player.prototype.hops = function (key) {
    var flow = data[key];
    if (!flow || !this.svg) { return []; }
    var self = this;
    var name = key.slice(key.indexOf("/") + 1);
    return flow.steps.map(function (step) {
      var on = [];
      var rings = [];
      if (self.sequence) {
        each(self.svg.querySelectorAll("g.message[data-step]"), function (m) {
          if (m.getAttribute("data-step") !== step.n) { return; }
          on.push(m, self.byId("node", m.getAttribute("data-from")), self.byId("node", m.getAttribute("data-to")));
        });
        each(self.svg.querySelectorAll("rect.label[data-step]"), function (r) {
          if (r.getAttribute("data-step") !== step.n) { return; }
          on.push(r);
          on.push.apply(on, self.badgeParts(r.getAttribute("data-badge")));
          rings.push(r.getAttribute("data-badge"));
        });
      } else {
        each(self.svg.querySelectorAll("rect.label[data-step][data-edge]"), function (r) {
          var edge = r.getAttribute("data-edge");
          if (r.getAttribute("data-step") !== step.n || edge.split(":").pop() !== name) { return; }
          var ends = edge.split(":")[0].split("->");
          on.push(r, self.byId("edge", edge), self.byId("node", ends[0]), self.byId("node", ends[1]));
          each(self.svg.querySelectorAll("[data-edge]"), function (x) { if (x.getAttribute("data-edge") === edge && x !== r && x.tagName !== "rect") { on.push(x); } });
          on.push.apply(on, self.badgeParts(r.getAttribute("data-badge")));
          rings.push(r.getAttribute("data-badge"));
        });
      }
      return { on: on.filter(Boolean), rings: rings, step: step };
    });
  };

  Player.prototype.use = function (key) {
    this.reset();
    this.key = key;
    this.steps = key ? this.hops(key) : [];
  };

  Player.prototype.clear = function () {
    each(this.fig.querySelectorAll(".bp-on"), function (x) { x.classList.remove("bp-on"); });
    each(this.fig.querySelectorAll(".bp-ring"), function (x) { x.parentNode.removeChild(x); });
    each(document.querySelectorAll("ol.steps li.bp-current"), function (x) { x.classList.remove("bp-current"); });
  };

  Player.prototype.show = function (i) {
    var hop = this.steps[i];
    if (!hop) { return; }
    this.clear();
    this.at = i;
    this.svg.classList.add("bp-stepping");
    hop.on.forEach(function (x) { x.classList.add("bp-on"); });
    var svg = this.svg;
    hop.rings.forEach(function (spec) {
      var at = spec.split(" ").map(Number);
      var ring = document.createElementNS(SVG, "circle");
      ring.setAttribute("class", "bp-ring");
      ring.setAttribute("cx", at[0]);
      ring.setAttribute("cy", at[1]);
      ring.setAttribute("r", at[2] + 5);
      svg.appendChild(ring);
    });
    this.fig.setAttribute("data-step", hop.step.n);
    if (this.narration) {
      this.narration.textContent = "";
      var count = document.createElement("span");
      count.className = "bp-count";
      count.textContent = "Step " + (i + 1) + " of " + this.steps.length + " · " + data[this.key].name;
      this.narration.appendChild(count);
      this.narration.appendChild(document.createTextNode(hop.step.text));
    }
    var list = document.querySelector('ol.steps[data-flow="' + this.key + '"]');
    if (list) {
      each(list.querySelectorAll("li[data-step]"), function (li) {
        if (li.getAttribute("data-step") === hop.step.n) { li.classList.add("bp-current"); }
      });
    }
  };

  Player.prototype.reset = function () {
    if (!this.svg) { return; }
    this.clear();
    this.at = -1;
    this.svg.classList.remove("bp-stepping");
    this.fig.removeAttribute("data-step");
    if (this.narration) { this.narration.innerHTML = this.hint; }
  };

  /* Each returns whether it moved (a deck goes to the next slide when a flow has no step left). */
  Player.prototype.next = function () {
    if (this.at + 1 >= this.steps.length) { return false; }
    this.show(this.at + 1);
    return true;
  };
  Player.prototype.prev = function () {
    if (this.at < 0) { return false; }
    if (this.at === 0) { this.reset(); } else { this.show(this.at - 1); }
    return true;
  };

  var deck = document.body.classList.contains("deck");
  each(document.querySelectorAll("figure.bp-fig[data-flows]"), function (fig) {
    var player = new Player(fig);
    fig.bpPlayer = player;
    if (!player.keys.length) { fig.classList.add("bp-static"); return; }
    fig.classList.add("bp-playable");
    var pic = fig.querySelector(".bp-pic");
    pic.setAttribute("tabindex", "0");
    pic.setAttribute("aria-label", "Picture: press the right or left arrow to step through the flow");
    pic.setAttribute("role", "group");
    var on = function (cls, fn) { var b = fig.querySelector(cls); if (b) { b.addEventListener("click", fn); } };
    on(".bp-next", function () { player.next(); });
    on(".bp-prev", function () { player.prev(); });
    on(".bp-all", function () { player.reset(); });
    if (!deck) {
      fig.addEventListener("keydown", function (event) {
        if (event.target && event.target.tagName === "SELECT") { return; }
        if (event.key === "ArrowRight") { event.preventDefault(); player.next(); }
        else if (event.key === "ArrowLeft") { event.preventDefault(); player.prev(); }
        else if (event.key === "Escape") { player.reset(); }
      });
    }
  });
})();
