/* kg-timeline page script: network + timeline, linked; every article string goes on screen via textContent. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var meta = data.meta;
  performance.mark("kg-parsed");
  var ROLE_ORDER = ["agent", "speaker", "recipient", "addressee", "participant", "subject", "location"];

  /* ---------- small DOM helpers (no innerHTML anywhere) ---------- */
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function append(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  var SVG = "http://www.w3.org/2000/svg";
  function shapeIcon(shape, color, size) {
    var s = size || 14, svg = document.createElementNS(SVG, "svg"), c = s / 2, r = s / 2 - 1.5, fig;
    svg.setAttribute("width", s); svg.setAttribute("height", s); svg.setAttribute("viewBox", "0 0 " + s + " " + s);
    if (shape === "dot") {
      fig = document.createElementNS(SVG, "circle");
      fig.setAttribute("cx", c); fig.setAttribute("cy", c); fig.setAttribute("r", r);
    } else {
      var pts = {
        square: [[c - r, c - r], [c + r, c - r], [c + r, c + r], [c - r, c + r]],
        diamond: [[c, 1], [s - 1, c], [c, s - 1], [1, c]],
        triangle: [[c, 1], [s - 1, s - 1.5], [1, s - 1.5]],
        triangleDown: [[1, 1.5], [s - 1, 1.5], [c, s - 1]],
        hexagon: [[c - r / 2, 1.5], [c + r / 2, 1.5], [s - 1, c], [c + r / 2, s - 1.5], [c - r / 2, s - 1.5], [1, c]],
        star: [[c, 0.5], [c + 1.8, c - 1.6], [s - 0.5, c - 1.2], [c + 2.8, c + 1.4], [c + 3.6, s - 0.5], [c, c + 3],
               [c - 3.6, s - 0.5], [c - 2.8, c + 1.4], [0.5, c - 1.2], [c - 1.8, c - 1.6]]
      }[shape] || [[c - r, c - r], [c + r, c - r], [c + r, c + r], [c - r, c + r]];
      fig = document.createElementNS(SVG, "polygon");
      fig.setAttribute("points", pts.map(function (p) { return p.join(","); }).join(" "));
    }
    fig.setAttribute("fill", color); fig.setAttribute("stroke", "rgba(15,23,42,.35)"); fig.setAttribute("stroke-width", "0.8");
    svg.appendChild(fig);
    return svg;
  }

  function typeColor(kind, type) {
    var rows = data.legend[kind] || [];
    for (var i = 0; i < rows.length; i++) if (rows[i][0] === type) return rows[i][1];
    return "#94a3b8";
  }
  function fmtDate(iso) {
    if (!iso) return "";
    var d = new Date(iso + "T00:00:00Z");
    if (isNaN(d)) return iso;
    return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }
  function eventWhen(m) {
    if (!m.start) return m.value ? m.value + " (unplaced)" : "undated";
    var txt = m.end && m.end !== m.start ? fmtDate(m.start) + " \u2013 " + fmtDate(m.end) : fmtDate(m.start);
    return m.when ? txt + " \u00b7 \u201c" + m.when + "\u201d" : txt;
  }
  function dots(parts) {  // "a · b · c" from the parts that are present
    return parts.filter(function (p) { return p !== null && p !== undefined && p !== ""; }).join(" \u00b7 ");
  }
  function roleSort(a, b) { return ROLE_ORDER.indexOf(a[2]) - ROLE_ORDER.indexOf(b[2]); }

  /* ---------- header ---------- */
  document.getElementById("kg-title").textContent = data.title;
  var countsBox = document.getElementById("kg-counts");
  [["entities", data.counts.entities], ["events", data.counts.events], ["documents", data.counts.documents],
   ["links", data.counts.relations]].forEach(function (pair) {
    var chip = el("span", "kg-count");
    append(chip, el("b", null, pair[1]), document.createTextNode(" " + pair[0]));
    countsBox.appendChild(chip);
  });

  /* ---------- legend ---------- */
  var legend = document.getElementById("kg-legend");
  [["Entities", "entity"], ["Events", "event"]].forEach(function (pair) {
    var rows = data.legend[pair[1]] || [];
    if (!rows.length) return;
    var grid = el("div", "kg-legend-grid");
    rows.forEach(function (row) {
      var line = el("div", "kg-legend-row");
      append(line, shapeIcon(row[2], row[1]), el("span", null, row[0]), el("span", "n", row[3]));
      grid.appendChild(line);
    });
    append(legend, el("h3", null, pair[0]), grid);
  });
  var edgeKey = el("div", "kg-legend-edges");
  append(edgeKey, el("span", null, "\u2500 role"), el("span", null, "\u254c event link"), el("span", null, "\u2508 affiliation"), el("span", null, "\u00b7\u00b7 source agency"));
  append(legend, el("h3", null, "Links"), edgeKey);

  /* ---------- tooltip ---------- */
  var tip = document.getElementById("kg-tip");
  function sourcesBlock(parent, sources, limit) {
    sources.slice(0, limit).forEach(function (src) {
      var box = el("div", "kg-source"), caption = data.docs[src[0]];
      append(box, el("span", "kg-doc", caption ? src[0] + " \u00b7 " + caption : src[0]),
        document.createTextNode(src[1] || ""));
      parent.appendChild(box);
    });
    if (sources.length > limit) parent.appendChild(el("div", "kg-muted", "+ " + (sources.length - limit) + " more sources"));
  }
  function tipContent(id) {
    var m = meta[id], box = document.createDocumentFragment();
    if (!m) return box;
    if (m.kind === "event") {
      append(box, el("b", null, m.label), el("div", "kg-muted", dots([m.type, eventWhen(m), m.status])));
      var parts = m.participants.slice().sort(roleSort).map(function (p) { return p[1] + " (" + p[2] + ")"; });
      if (parts.length) box.appendChild(el("div", null, parts.join(", ")));
      sourcesBlock(box, m.sources, 3);
    } else {
      append(box, el("b", null, m.name), el("div", "kg-muted", dots([m.type, (m.mentions || 0) + " mentions",
        m.docs.length + " documents"])));
      if (m.aliases.length) box.appendChild(el("div", null, "Also: " + m.aliases.join(", ")));
    }
    return box;
  }
  function edgeTipContent(index) {
    var em = data.edgeMeta[index], box = document.createDocumentFragment();
    if (!em) return box;
    box.appendChild(el("b", null, em[0] + (em[1] ? ": " + em[1] : "")));
    if (em[3]) sourcesBlock(box, [[em[2], em[3]]], 1);
    return box;
  }
  function showTip(content, x, y) {
    clear(tip); tip.appendChild(content); tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.min(x + 14, window.innerWidth - w - 8) + "px";
    tip.style.top = (y + 14 + h > window.innerHeight ? Math.max(8, y - h - 10) : y + 14) + "px";
  }
  function hideTip() { tip.hidden = true; }

  /* ---------- network ---------- */
  var netBox = document.getElementById("kg-network");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  // Filters work through views: refreshing a view adds and removes only the nodes that change, which
  // stays fast on big graphs (updating a "hidden" flag on every node does not).
  var shown = null;  // id -> true for what the filters let through; null while no filter is set
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return !shown || shown[n.id] === true; } });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return !shown || (shown[e.from] === true && shown[e.to] === true); } });
  var network = new vis.Network(netBox, { nodes: nodeView, edges: edgeView }, data.options);
  performance.mark("kg-network");
  function fitNetwork() {
    // Fit everything, but never zoom a small graph in so far that its labels look oversized.
    network.fit({ animation: false });
    if (network.getScale() > 1.1) network.moveTo({ scale: 1.1 });
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.storePositions();  // nodes a filter removes and brings back return to their place
      fitNetwork();
      document.body.setAttribute("data-kg-stable", "1");
    });
  } else {
    network.once("afterDrawing", function () { fitNetwork(); });
  }
  network.once("afterDrawing", function () {  // for tests and benchmarks: when the network is first drawn
    performance.mark("kg-drawn");
    document.body.setAttribute("data-kg-drawn", String(Math.round(performance.now())));
  });
  var neighbours = {};  // node id -> list of adjacent node ids
  data.edges.forEach(function (e) {
    (neighbours[e.from] = neighbours[e.from] || []).push(e.to);
    (neighbours[e.to] = neighbours[e.to] || []).push(e.from);
  });
  function pointer(params) {
    var rect = netBox.getBoundingClientRect();
    return [rect.left + params.pointer.DOM.x, rect.top + params.pointer.DOM.y];
  }
  network.on("hoverNode", function (p) { var xy = pointer(p); showTip(tipContent(p.node), xy[0], xy[1]); });
  network.on("blurNode", hideTip);
  network.on("hoverEdge", function (p) { var xy = pointer(p); showTip(edgeTipContent(Number(p.edge)), xy[0], xy[1]); });
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0], "network");
    else if (!p.edges.length) select(null, "network");
  });

  /* ---------- timeline ---------- */
  var tlBox = document.getElementById("kg-timeline");
  var timeline = null;
  function itemElement(id) {
    var m = meta[id] || {}, box = el("div");
    box.setAttribute("data-kg-id", id);
    append(box, el("span", "kg-item-label", m.label), el("span", "kg-item-sub", dots([m.type, m.status])));
    return box;
  }
  var DAY = 1000 * 60 * 60 * 24;
  var OPEN_ITEMS = 150;  // a long timeline opens on its latest events: drawing thousands of boxes at once is slow
  function paddedWindow(all) {
    // Open on the precisely dated events (a month or less) when there are some, so that a few
    // year-long ranges do not squeeze them into a corner; "Fit view" shows everything.
    var items = itemView.get().filter(function (it) { return !it.end || Date.parse(it.end) - Date.parse(it.start) <= 32 * DAY; });
    if (all || items.length < 2) items = itemView.get();
    if (!items.length) items = data.items;
    var starts = items.map(function (it) { return Date.parse(it.start); }).sort(function (a, b) { return a - b; });
    var lo = starts[0], hi = -Infinity;
    items.forEach(function (it) { hi = Math.max(hi, Date.parse(it.end || it.start)); });
    // Open where the story is: skip the earliest sixth of the events (background, reachable by panning),
    // and on a long timeline show only its latest events.
    if (!all && starts.length >= 8) lo = starts[Math.floor(starts.length / 6)];
    if (!all && starts.length > OPEN_ITEMS) lo = Math.max(lo, starts[starts.length - OPEN_ITEMS]);
    // Box items are centred on their date: pad the span so the first and last boxes are not cut off.
    var pad = Math.max((hi - lo) * 0.15, 4 * DAY);
    return { start: new Date(lo - pad), end: new Date(hi + pad) };
  }
  var itemSet = new vis.DataSet(data.items);
  var itemView = new vis.DataView(itemSet, { filter: function (it) { return !shown || shown[it.id] === true; } });
  if (data.items.length) {
    var span = paddedWindow();
    timeline = new vis.Timeline(tlBox, itemView, {
      start: span.start, end: span.end,
      template: function (item) { return itemElement(item.id); },
      xss: { disabled: false },
      stack: true, selectable: true, multiselect: true, showCurrentTime: false, orientation: "top",
      margin: { item: { horizontal: 6, vertical: 6 }, axis: 8 }, zoomMin: 1000 * 60 * 60 * 24 * 2,
      height: "100%", verticalScroll: true, horizontalScroll: true, zoomKey: "ctrlKey",
      onInitialDrawComplete: function () { document.body.setAttribute("data-kg-timeline-drawn", "1"); }
    });
    timeline.on("select", function (p) { if (p.items.length) select(p.items[0], "timeline"); });
    timeline.on("itemover", function (p) { showTip(tipContent(p.item), p.event.clientX, p.event.clientY); });
    timeline.on("itemout", hideTip);
  } else {
    tlBox.appendChild(el("div", "kg-empty", "No dated events to place on the timeline."));
  }
  performance.mark("kg-timeline");
  var undated = data.counts.events - data.counts.dated;
  document.getElementById("kg-undated").textContent =
    data.counts.dated + " dated events" + (undated ? " \u00b7 " + undated + " undated (see the network)" : "") +
    " \u00b7 drag to pan, Ctrl + wheel to zoom";

  /* ---------- linked selection and details ---------- */
  var details = document.getElementById("kg-details");
  function link(id, text) {
    var a = el("button", "kg-link", text);
    a.type = "button";
    a.addEventListener("click", function () { select(id, "panel"); });
    return a;
  }
  function kv(pairs) {
    var dl = el("dl", "kg-kv");
    pairs.forEach(function (p) { if (p[1] !== null && p[1] !== undefined && p[1] !== "") append(dl, el("dt", null, p[0]), el("dd", null, p[1])); });
    return dl;
  }
  function eventsOf(id) {
    var set = {};
    (neighbours[id] || []).forEach(function (n) { if (meta[n] && meta[n].kind === "event") set[n] = true; });
    return data.eventOrder.filter(function (e) { return set[e]; });
  }
  function showHint() {
    clear(details);
    append(details, el("h2", null, "Explore the story"),
      el("p", "kg-hint", "Click a node in the network or an event in the timeline to see its participants and the " +
        "sentences it was read from. Hover for a summary. Diamonds are events, coloured by type; dashed borders mark " +
        "planned, postponed or hypothetical events, faded ones were cancelled or denied."));
  }
  function showEvent(id) {
    var m = meta[id], badge = el("span", "kg-badge", m.type);
    badge.style.background = typeColor("event", m.type);
    append(details, badge, m.status ? el("span", "kg-badge kg-status-badge", m.status) : null, el("h2", null, m.label));
    details.appendChild(kv([["When", eventWhen(m)], ["TIMEX3", m.value], ["Trigger", m.trigger], ["CAMEO", m.cameo],
      ["Location", m.location], ["Sources", m.sources.length]]));
    if (m.quote) append(details, el("h4", null, "Quote"), el("p", "kg-quote", m.quote));
    if (m.participants.length) {
      var ul = el("ul", "kg-list");
      m.participants.slice().sort(roleSort).forEach(function (p) {
        append(ul, append(el("li"), meta[p[0]] ? link(p[0], p[1]) : el("span", null, p[1]), el("span", "kg-role", p[2])));
      });
      append(details, el("h4", null, "Participants"), ul);
    }
    details.appendChild(el("h4", null, "Evidence"));
    sourcesBlock(details, m.sources, 50);
  }
  function showEntity(id) {
    var m = meta[id], badge = el("span", "kg-badge", m.type);
    badge.style.background = typeColor("entity", m.type);
    append(details, badge, el("h2", null, m.name));
    details.appendChild(kv([["Aliases", m.aliases.join(", ")], ["Mentions", m.mentions], ["Documents", m.docs.join(", ")]]));
    var evs = eventsOf(id);
    if (evs.length) {
      var ul = el("ul", "kg-list");
      evs.forEach(function (e) {
        append(ul, append(el("li"), link(e, meta[e].label), el("span", "kg-role", eventWhen(meta[e]))));
      });
      append(details, el("h4", null, "Events (" + evs.length + ")"), ul);
    }
    var others = (neighbours[id] || []).filter(function (n) { return meta[n] && meta[n].kind !== "event" && n !== id; });
    if (others.length) {
      var rel = el("ul", "kg-list"), seen = {};
      others.forEach(function (n) { if (!seen[n]) { seen[n] = 1; append(rel, append(el("li"), link(n, meta[n].name))); } });
      append(details, el("h4", null, "Related entities"), rel);
    }
  }
  function showItems(ids) {
    // Bring the selected items into view, keeping the zoom when they already fit (vis-timeline's own
    // focus zooms in to the width of one box, which loses the context of a one-day event).
    if (!ids.length) return;
    var lo = Infinity, hi = -Infinity, win = timeline.getWindow();
    ids.forEach(function (e) {
      var it = timeline.itemsData.get(e);
      lo = Math.min(lo, Date.parse(it.start));
      hi = Math.max(hi, Date.parse(it.end || it.start));
    });
    var width = win.end - win.start;
    if (lo >= win.start.valueOf() && hi <= win.end.valueOf()) return;
    if (hi - lo < width * 0.8) timeline.moveTo(new Date((lo + hi) / 2), { animation: { duration: 450 } });
    else {
      var pad = Math.max((hi - lo) * 0.1, 4 * DAY);
      timeline.setWindow(new Date(lo - pad), new Date(hi + pad), { animation: { duration: 450 } });
    }
  }
  var selected = null;
  function select(id, from) {
    selected = id;
    clear(details);
    if (!id || !meta[id]) {
      showHint();
      if (from !== "network") network.unselectAll();
      if (timeline && from !== "timeline") timeline.setSelection([]);
      return;
    }
    var m = meta[id];
    if (m.kind === "event") showEvent(id); else showEntity(id);
    if (from !== "network" && nodeView.get(id)) {
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 450, easingFunction: "easeInOutQuad" } });
    }
    if (timeline && from !== "timeline") {
      var ids = m.kind === "event" ? [id] : eventsOf(id);
      ids = ids.filter(function (e) { return timeline.itemsData.get(e); });
      timeline.setSelection(ids);
      showItems(ids);
    }
    document.body.setAttribute("data-kg-selected", id);
  }
  showHint();

  /* ---------- filters: search, event type, entity type, date range; node size ---------- */
  var $ = function (id) { return document.getElementById(id); };
  var search = $("kg-search"), typeSel = $("kg-type"), entSel = $("kg-etype"), fromBox = $("kg-from"),
    toBox = $("kg-to"), sizeSel = $("kg-size");
  function options(select, rows) {
    rows.forEach(function (row) {
      var opt = el("option", null, row[0] + " (" + row[3] + ")");
      opt.value = row[0];
      select.appendChild(opt);
    });
  }
  options(typeSel, data.legend.event || []);
  options(entSel, data.legend.entity || []);
  if (data.span) {  // the date inputs offer the span of the dated events
    fromBox.min = toBox.min = data.span[0];
    fromBox.max = toBox.max = data.span[1];
  }
  if (data.slice) {  // a graph bigger than the page holds: say what is shown, and where the rest is
    var banner = $("kg-banner");
    banner.textContent = "This graph has " + data.slice.total.toLocaleString("en") + " nodes, more than this page " +
      "can hold (" + data.slice.max.toLocaleString("en") + "). It shows a slice: the " +
      data.slice.entities.toLocaleString("en") + " best-connected entities and their events (" +
      data.slice.nodes.toLocaleString("en") + " nodes). Open graph.gexf or graph.graphml in Gephi for everything.";
    banner.hidden = false;
  }
  var haystack = {};
  Object.keys(meta).forEach(function (id) {
    var m = meta[id];
    haystack[id] = (m.kind === "event" ? [m.label, m.trigger] : [m.name].concat(m.aliases)).join("\n").toLowerCase();
  });
  function inRange(m, from, to) {  // an event is in the range when its interval overlaps it; undated ones are not
    if (!m.start) return false;
    return (!from || (m.end || m.start) >= from) && (!to || m.start <= to);
  }
  function applyFilter() {
    var q = search.value.trim().toLowerCase(), t = typeSel.value, et = entSel.value;
    var from = fromBox.value, to = toBox.value, visible = {}, hits = 0, n = 0;
    function hit(id) { return q !== "" && haystack[id].indexOf(q) >= 0; }
    function entityOk(id) { return meta[id] && meta[id].kind !== "event" && (!et || meta[id].type === et); }
    var eventFilter = q || t || from || to;
    data.eventOrder.forEach(function (id) {
      var m = meta[id];
      if (t && m.type !== t) return;
      if ((from || to) && !inRange(m, from, to)) return;
      if (q && !hit(id) && !m.participants.some(function (p) { return hit(p[0]); })) return;
      if (et && !m.participants.some(function (p) { return entityOk(p[0]); })) return;
      visible[id] = true;
      m.participants.forEach(function (p) { if (entityOk(p[0])) visible[p[0]] = true; });
    });
    Object.keys(meta).forEach(function (id) {
      if (!entityOk(id)) return;
      if (!eventFilter || hit(id)) visible[id] = true;
      if (hit(id)) hits++;
    });
    shown = (eventFilter || et) ? visible : null;
    nodeView.refresh();
    edgeView.refresh();
    itemView.refresh();
    nodes.forEach(function (node) { if (!shown || shown[node.id]) n++; });
    $("kg-status").textContent = shown ? "Showing " + n + " of " + data.nodes.length + " nodes" +
      (q ? " \u00b7 " + hits + " name matches" : "") : "";
    document.body.setAttribute("data-kg-visible", String(n));
    if (selected && shown && !shown[selected]) select(null, "filter");
    frame();
  }
  function frame() {  // after a filter, both views show what is left (or, with none, what they opened on)
    var ids = shown ? Object.keys(shown) : [];
    if (ids.length) {
      network.fit({ nodes: ids, animation: false });
      if (network.getScale() > 1.1) network.moveTo({ scale: 1.1 });
    } else if (!shown) fitNetwork();
    if (timeline && itemView.length) {
      var w = paddedWindow(!!shown);
      timeline.setWindow(w.start, w.end, { animation: false });
    }
  }
  var pending = null;
  search.addEventListener("input", function () { clearTimeout(pending); pending = setTimeout(applyFilter, 150); });
  [typeSel, entSel, fromBox, toBox].forEach(function (box) { box.addEventListener("change", applyFilter); });
  function resize() {  // node size by mentions (entities) and sources (events), or by links
    var sizes = data.sizes[sizeSel.value];
    nodes.update(data.nodes.map(function (node, i) { return { id: node.id, size: sizes[i] }; }));
  }
  sizeSel.addEventListener("change", resize);
  document.getElementById("kg-fit").addEventListener("click", function () {
    fitNetwork();
    if (timeline) { var w = paddedWindow(true); timeline.setWindow(w.start, w.end, { animation: { duration: 400 } }); }
  });

  /* ---------- state for tests and automation ---------- */
  window.kg = { data: data, network: network, timeline: timeline, select: select, filter: applyFilter, resize: resize };
  document.body.setAttribute("data-kg-nodes", String(nodes.length));
  document.body.setAttribute("data-kg-edges", String(edges.length));
  document.body.setAttribute("data-kg-items", String(timeline ? timeline.itemsData.length : 0));
  document.body.setAttribute("data-kg-ready", "1");
})();
