/* innograph view: the page's application code (the graph is the #graph-data JSON, the evidence
   sentences the #graph-evidence JSON, parsed the first time a panel needs them). */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("graph-data").textContent);
  var EVIDENCE = null;
  function evidence() {
    if (EVIDENCE === null) { EVIDENCE = JSON.parse(document.getElementById("graph-evidence").textContent); }
    return EVIDENCE;
  }
  var timing = window.__innographTiming = { parsed_ms: Math.round(performance.now()), network_ms: null, first_draw_ms: null,
                                             settled_ms: null, layouts: 0, iterations: null };

  var NODES = DATA.nodes;
  var EDGES = DATA.edges;  // [from index, to index, type index, count]
  var TYPE = DATA.type_names;
  var CO = DATA.type_names.indexOf(DATA.co_mentioned);
  var SYMMETRIC = new Set(DATA.symmetric.map(function (t) { return TYPE.indexOf(t); }));
  var colorOf = {};
  DATA.labels.forEach(function (l) { colorOf[l.label] = l.color; });
  var typeColor = {};
  DATA.types.forEach(function (t) { typeColor[t.type] = t.color; });
  var indexOf = new Map(NODES.map(function (n, i) { return [n.id, i]; }));
  var incident = NODES.map(function () { return []; });
  EDGES.forEach(function (e, k) { incident[e[0]].push(k); incident[e[1]].push(k); });

  // -- what is shown ---------------------------------------------------------------------
  var hiddenLabels = new Set();
  var hiddenTypes = new Set(DATA.types.filter(function (t) { return t.hidden; }).map(function (t) { return TYPE.indexOf(t.type); }));
  var hiddenIssues = new Set();
  var showIsolated = false;
  var ego = DATA.ego ? { center: DATA.ego.center, radius: DATA.ego.radius } : null;

  /* Which nodes and edges pass the filters: label, issue, type, then the ego network, then isolation. */
  function visibility() {
    var nodeOn = NODES.map(function (n) {
      if (hiddenLabels.has(n.label)) { return false; }
      if (!hiddenIssues.size || !n.issues.length) { return true; }
      return n.issues.some(function (i) { return !hiddenIssues.has(i); });
    });
    var edgeOn = EDGES.map(function (e) { return !hiddenTypes.has(e[2]) && nodeOn[e[0]] && nodeOn[e[1]]; });
    if (ego) {
      var distance = new Map([[ego.center, 0]]);
      var frontier = [ego.center];
      nodeOn[ego.center] = true;
      for (var step = 1; step <= ego.radius; step++) {
        var next = [];
        frontier.forEach(function (i) {
          incident[i].forEach(function (k) {
            var e = EDGES[k];
            if (hiddenTypes.has(e[2]) || !nodeOn[e[0]] || !nodeOn[e[1]]) { return; }
            var other = e[0] === i ? e[1] : e[0];
            if (!distance.has(other)) { distance.set(other, step); next.push(other); }
          });
        });
        frontier = next;
      }
      nodeOn = nodeOn.map(function (on, i) { return on && distance.has(i); });
      edgeOn = EDGES.map(function (e, k) { return edgeOn[k] && nodeOn[e[0]] && nodeOn[e[1]]; });
    }
    if (!showIsolated) {
      var degree = new Int32Array(NODES.length);
      EDGES.forEach(function (e, k) { if (edgeOn[k]) { degree[e[0]] += 1; degree[e[1]] += 1; } });
      nodeOn = nodeOn.map(function (on, i) { return on && (degree[i] > 0 || (ego !== null && i === ego.center)); });
    }
    return { nodes: nodeOn, edges: edgeOn };
  }

  // -- helpers ---------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key === "className") { node.className = attrs[key]; }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* The same identity of a name as innograph.text.name_key: NFKC, no spaces, lower case, outer quotes dropped. */
  function nameKey(text) {
    var folded = String(text || "").normalize("NFKC").replace(/\s+/g, "").toLowerCase();
    return folded.replace(/^[《》<>"'“”]+|[《》<>"'“”]+$/g, "");
  }

  function shade(hex, amount) {
    var n = parseInt(hex.slice(1), 16);
    var r = Math.max(0, Math.min(255, ((n >> 16) & 255) + amount));
    var g = Math.max(0, Math.min(255, ((n >> 8) & 255) + amount));
    var b = Math.max(0, Math.min(255, (n & 255) + amount));
    return "#" + ((1 << 24) + (r << 16) + (g << 8) + b).toString(16).slice(1);
  }

  /* Text with every occurrence of the given names wrapped in <mark>. */
  function highlighted(text, names) {
    var span = el("span");
    var wanted = names.filter(Boolean).sort(function (a, b) { return b.length - a.length; });
    var i = 0, plain = "";
    while (i < text.length) {
      var hit = null;
      for (var k = 0; k < wanted.length; k++) {
        if (text.startsWith(wanted[k], i)) { hit = wanted[k]; break; }
      }
      if (hit) {
        if (plain) { span.appendChild(document.createTextNode(plain)); plain = ""; }
        span.appendChild(el("mark", { text: hit }));
        i += hit.length;
      } else {
        plain += text[i];
        i += 1;
      }
    }
    if (plain) { span.appendChild(document.createTextNode(plain)); }
    return span;
  }

  /* Long names on two or more balanced lines, so that neighbouring labels overlap less. */
  function wrapped(name) {
    var chars = Array.from(name);
    if (chars.length <= 10) { return name; }
    var lines = Math.ceil(chars.length / 9);
    var size = Math.ceil(chars.length / lines);
    var out = [];
    for (var i = 0; i < chars.length; i += size) { out.push(chars.slice(i, i + size).join("")); }
    return out.join("\n");
  }

  // -- the network -----------------------------------------------------------------------
  var big = NODES.length > 1500 || EDGES.length > 5000;
  function nodeItem(i) {
    var n = NODES[i];
    var color = colorOf[n.label] || "#999999";
    return {
      id: i, label: wrapped(n.name), value: Math.max(1, n.mentions), shape: "dot",
      title: n.name + " (" + n.label + ", " + n.mentions + " mentions)",
      color: { background: color, border: shade(color, -60),
               highlight: { background: shade(color, 30), border: "#1f2933" },
               hover: { background: shade(color, 30), border: "#1f2933" } }
    };
  }
  function edgeItem(k) {
    var e = EDGES[k];
    var co = e[2] === CO;
    var color = typeColor[TYPE[e[2]]] || "#8a94a6";
    return {
      id: k, from: e[0], to: e[1],
      arrows: (co || SYMMETRIC.has(e[2])) ? "" : { to: { enabled: true, scaleFactor: 0.5 } },
      dashes: co && !big, width: co ? Math.min(1 + e[3] * 0.5, 4) : 1.8,
      color: { color: color, highlight: "#1f2933", hover: shade(color, -40), opacity: co ? 0.7 : 1.0 },
      title: TYPE[e[2]] + (e[3] > 1 ? " ×" + e[3] : "")
    };
  }

  var shown = visibility();
  var nodes = new vis.DataSet(NODES.map(function (_, i) { return i; }).filter(function (i) { return shown.nodes[i]; }).map(nodeItem));
  var edges = new vis.DataSet(EDGES.map(function (_, k) { return k; }).filter(function (k) { return shown.edges[k]; }).map(edgeItem));

  // -- layout: ForceAtlas2 (graphology's, Barnes-Hut above 2,000 nodes) on typed arrays, time-boxed;
  //    vis-network only draws (its own physics costs ~100 ms an iteration at 4,000 nodes)
  var LAYOUT_BUDGET_MS = 1800;  // a first layout; a re-layout starts from the current positions and gets less
  var seed = 7;
  function random() { seed = (seed * 16807) % 2147483647; return (seed - 1) / 2147483646; }

  function layout(budget) {
    var started = performance.now();
    var ids = nodes.getIds();
    var at = new Map(ids.map(function (id, j) { return [id, j]; }));
    var old = network ? network.getPositions(ids) : {};
    var PPN = 10, PPE = 3;
    var N = new Float32Array(ids.length * PPN);
    var shownEdges = edges.getIds();
    var E = new Float32Array(shownEdges.length * PPE);
    var spread = Math.sqrt(ids.length) * 10;
    ids.forEach(function (id, j) {
      var o = j * PPN, p = old[id];
      var r = spread * Math.sqrt(random()), a = 2 * Math.PI * random();
      var known = p && isFinite(p.x) && isFinite(p.y) && (p.x !== 0 || p.y !== 0);
      N[o] = known ? p.x / scale : r * Math.cos(a);
      N[o + 1] = known ? p.y / scale : r * Math.sin(a);
      N[o + 6] = 1;  // mass: 1 + degree, below
      N[o + 7] = 1;
      N[o + 8] = 1;
    });
    shownEdges.forEach(function (k, j) {
      var e = EDGES[k], o = j * PPE, s = at.get(e[0]) * PPN, t = at.get(e[1]) * PPN;
      E[o] = s; E[o + 1] = t; E[o + 2] = 1;
      N[s + 6] += 1; N[t + 6] += 1;
    });
    var order = ids.length;
    var settings = { linLogMode: false, outboundAttractionDistribution: false, adjustSizes: false, edgeWeightInfluence: 1,
                     scalingRatio: 10, strongGravityMode: true, gravity: 0.05, slowDown: 1 + Math.log(Math.max(1, order)),
                     barnesHutOptimize: order > 2000, barnesHutTheta: 0.5 };
    var iterations = 0;
    if (order > 1) {
      while (iterations < 1500 && (iterations < 30 || performance.now() - started < budget)) {
        window.forceAtlas2Iterate(settings, N, E);
        iterations += 1;
      }
    }
    // vis-network's units: the median edge 120 px long
    var lengths = [];
    for (var j = 0; j < E.length; j += PPE) {
      var s2 = E[j], t2 = E[j + 1];
      lengths.push(Math.hypot(N[s2] - N[t2], N[s2 + 1] - N[t2 + 1]));
    }
    lengths.sort(function (a, b) { return a - b; });
    var median = lengths.length ? lengths[Math.floor(lengths.length / 2)] : 1;
    scale = 120 / Math.max(median, 1e-3);
    nodes.update(ids.map(function (id, j) { return { id: id, x: N[j * PPN] * scale, y: N[j * PPN + 1] * scale }; }));
    timing.iterations = iterations;
  }
  var scale = 1;
  var network = null;
  layout(LAYOUT_BUDGET_MS);

  var container = document.getElementById("graph");
  network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: { scaling: { min: DATA.size_range[0] + 4, max: big ? DATA.size_range[1] * 0.6 : DATA.size_range[1],
                        label: { enabled: true, min: 11, max: 22, drawThreshold: big ? 14 : 9 } },
             borderWidth: 1.5, font: { size: 14, color: "#1f2933", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { selectionWidth: 2, smooth: big ? false : { type: "continuous" } },
    physics: { enabled: false },
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false, keyboard: false }
  });
  timing.network_ms = Math.round(performance.now());

  var settleWaiters = [];
  function whenSettled(callback) { settleWaiters.push(callback); }
  var stabilized = false;
  /* After a layout: fit the view, note the time of the first frame that shows it, run what waited for it. */
  function settled() {
    stabilized = true;
    network.fit();
    timing.layouts += 1;
    requestAnimationFrame(function () {  // the frame that shows the settled layout
      if (timing.settled_ms === null) { timing.settled_ms = Math.round(performance.now()); }
    });
    var waiting = settleWaiters;
    settleWaiters = [];
    waiting.forEach(function (callback) { setTimeout(callback, 0); });
  }
  network.once("afterDrawing", function () {
    timing.first_draw_ms = Math.round(performance.now());
    settled();
  });

  /* Apply the filters: add and remove the items whose visibility changed, then lay the shown graph out again. */
  function refresh() {
    var now = visibility();
    var addNodes = [], dropNodes = [], addEdges = [], dropEdges = [];
    now.nodes.forEach(function (on, i) {
      if (on && !shown.nodes[i]) { addNodes.push(nodeItem(i)); } else if (!on && shown.nodes[i]) { dropNodes.push(i); }
    });
    now.edges.forEach(function (on, k) {
      if (on && !shown.edges[k]) { addEdges.push(edgeItem(k)); } else if (!on && shown.edges[k]) { dropEdges.push(k); }
    });
    edges.remove(dropEdges);
    nodes.remove(dropNodes);
    nodes.add(addNodes);
    edges.add(addEdges);
    shown = now;
    updateStats();
    relayout();
  }
  function relayout() {
    stabilized = false;
    layout(LAYOUT_BUDGET_MS / 2);
    settled();
  }

  function updateStats() {
    document.getElementById("stats").textContent =
      nodes.length + " of " + NODES.length + " entities · " + edges.length + " relationships shown";
    var box = document.getElementById("ego-box");
    box.hidden = !ego;
    if (ego) {
      document.getElementById("ego-status").textContent = "Ego network of " + NODES[ego.center].name + ", radius " + ego.radius;
    }
  }

  // -- filters and legend ------------------------------------------------------------------
  function checkbox(list, checked, swatch, text, count, onChange, name) {
    var input = el("input", { type: "checkbox", "data-filter": name });
    input.checked = checked;
    input.addEventListener("change", function () { onChange(input.checked); });
    list.appendChild(el("li", {}, [el("label", {}, [input, swatch, el("span", { text: text }), el("span", { className: "count", text: String(count) })])]));
  }
  var labelList = document.getElementById("label-filters");
  DATA.labels.forEach(function (l) {
    var swatch = el("span", { className: "swatch", "data-color": l.color });
    swatch.style.background = l.color;
    checkbox(labelList, true, swatch, l.label, l.count, function (on) {
      if (on) { hiddenLabels.delete(l.label); } else { hiddenLabels.add(l.label); }
      refresh();
    }, "label:" + l.label);
  });
  var typeList = document.getElementById("type-filters");
  DATA.types.forEach(function (t) {
    var swatch = el("span", { className: "line-swatch" + (t.type === DATA.co_mentioned ? " dashed" : ""), "data-color": t.color });
    swatch.style.borderTopColor = t.color;
    checkbox(typeList, !t.hidden, swatch, t.type, t.count, function (on) {
      var index = TYPE.indexOf(t.type);
      if (on) { hiddenTypes.delete(index); } else { hiddenTypes.add(index); }
      refresh();
    }, "type:" + t.type);
  });
  var issueList = document.getElementById("issue-filters");
  DATA.issues.forEach(function (issue, index) {
    checkbox(issueList, true, "", issue.key, issue.entities, function (on) {
      if (on) { hiddenIssues.delete(index); } else { hiddenIssues.add(index); }
      refresh();
    }, "issue:" + issue.key);
  });
  document.getElementById("issue-section").hidden = DATA.issues.length < 2;
  var isolatedBox = document.getElementById("show-isolated");
  isolatedBox.checked = showIsolated;
  isolatedBox.addEventListener("change", function () { showIsolated = isolatedBox.checked; refresh(); });
  document.getElementById("ego-clear").addEventListener("click", function () { ego = null; refresh(); });

  function showEgo(i, radius) {
    ego = { center: i, radius: radius };
    refresh();
  }

  // -- side panel --------------------------------------------------------------------------
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  document.getElementById("panel-close").addEventListener("click", function () {
    panel.hidden = true; network.unselectAll();
  });

  function entityLink(i) {
    var n = NODES[i];
    var a = el("a", { className: "entity", text: n.name, title: n.id });
    a.addEventListener("click", function () { selectNode(i); });
    return a;
  }

  function article(index) {
    var a = DATA.articles[index];
    return { doc_id: a[0], title: a[1], section: a[2], page: a[3], issue: a[4] };
  }

  function evidenceList(refs, names) {
    var sentences = evidence().sentences;
    return refs.map(function (ref) {
      var row = sentences[ref];
      var a = article(row[0]);
      return el("blockquote", {}, [highlighted(row[1], names), el("cite", { text: a.title ? "《" + a.title + "》" : a.doc_id })]);
    });
  }

  function showPanel(i) {
    var n = NODES[i];
    var ev = evidence();
    panelBody.textContent = "";
    var swatch = el("span", { className: "swatch" });
    swatch.style.background = colorOf[n.label];
    panelBody.appendChild(el("h2", { id: "panel-title", text: n.name }));
    panelBody.appendChild(el("span", { className: "chip" }, [swatch, n.label]));
    var meta = [n.mentions + " mentions"];
    if (n.aliases.length) { meta.push("also: " + n.aliases.join("、")); }
    if (n.first_issue) { meta.push(n.first_issue === n.last_issue ? "issue " + n.first_issue : "issues " + n.first_issue + " – " + n.last_issue); }
    panelBody.appendChild(el("p", { className: "meta", text: meta.join(" · ") }));

    var radius = el("select", { "aria-label": "radius" }, [1, 2, 3].map(function (r) { return el("option", { value: String(r), text: "radius " + r }); }));
    var egoButton = el("button", { type: "button", className: "ego", id: "panel-ego", text: "Show its ego network" });
    egoButton.addEventListener("click", function () { showEgo(i, parseInt(radius.value, 10)); });
    panelBody.appendChild(el("div", { className: "ego-row" }, [egoButton, radius]));

    var names = [n.name].concat(n.aliases);
    var extracted = incident[i].filter(function (k) { return EDGES[k][2] !== CO; });
    var co = incident[i].filter(function (k) { return EDGES[k][2] === CO; });

    panelBody.appendChild(el("h3", { text: "Relationships (" + extracted.length + ")" }));
    var list = el("ul", { id: "panel-relationships" });
    extracted.forEach(function (k) {
      var e = EDGES[k];
      var outgoing = e[0] === i;
      var other = outgoing ? e[1] : e[0];
      var type = el("span", { className: "type", text: TYPE[e[2]] });
      type.style.background = typeColor[TYPE[e[2]]] || "#616e7c";
      var head = el("div", { className: "rel-head" }, [
        el("span", { text: SYMMETRIC.has(e[2]) ? "↔" : (outgoing ? "→" : "←") }), type, entityLink(other)
      ]);
      var props = ev.edge_properties[k] || {};
      Object.keys(props).forEach(function (key) { head.appendChild(el("span", { className: "meta", text: key + ": " + props[key] })); });
      var otherNode = NODES[other];
      var allNames = names.concat([otherNode.name]).concat(otherNode.aliases);
      var items = [head].concat(evidenceList(ev.edges[k], allNames));
      if (e[3] > ev.edges[k].length) { items.push(el("p", { className: "meta", text: "… stated in " + e[3] + " sentences" })); }
      list.appendChild(el("li", { className: "rel" }, items));
    });
    if (!extracted.length) { list.appendChild(el("li", { className: "meta", text: "none extracted" })); }
    panelBody.appendChild(list);

    if (co.length) {
      var coList = el("ul");
      co.sort(function (a, b) { return EDGES[b][3] - EDGES[a][3]; }).slice(0, 50).forEach(function (k) {
        var e = EDGES[k];
        var other = e[0] === i ? e[1] : e[0];
        coList.appendChild(el("li", { className: "rel" }, [el("div", { className: "rel-head" }, [
          entityLink(other), el("span", { className: "meta", text: "in " + e[3] + (e[3] > 1 ? " sentences" : " sentence") })
        ])]));
      });
      panelBody.appendChild(el("details", {}, [el("summary", { text: "Co-mentioned with " + co.length + " entities" }), coList]));
    }

    var mentioned = ev.node_articles[i];
    panelBody.appendChild(el("h3", { text: "Articles (" + mentioned.length + ")" }));
    var articles = el("ul", { id: "panel-articles" });
    mentioned.forEach(function (m) {
      var a = article(m[0]);
      var where = [a.section, a.page != null ? "p. " + a.page : null, a.issue != null ? DATA.issues[a.issue].key : null].filter(Boolean).join(", ");
      var item = el("li", { className: "rel" }, [
        el("div", {}, [el("span", { className: "article-title", text: a.title || a.doc_id }), where ? el("span", { className: "meta", text: "  " + where }) : ""])
      ]);
      m[1].forEach(function (ref) { item.appendChild(el("blockquote", {}, [highlighted(ev.sentences[ref][1], names)])); });
      if (m[2] > m[1].length) { item.appendChild(el("p", { className: "meta", text: "… " + m[2] + " sentences in all" })); }
      articles.appendChild(item);
    });
    panelBody.appendChild(articles);
    panel.hidden = false;
  }

  function selectNode(i) {
    var n = NODES[i];
    if (!shown.nodes[i]) {  // show it rather than select an invisible node
      hiddenLabels.delete(n.label);
      var box = document.querySelector('input[data-filter="label:' + n.label + '"]');
      if (box) { box.checked = true; }
      if (ego && ego.center !== i) { ego = null; }
      showIsolated = showIsolated || !incident[i].some(function (k) { return !hiddenTypes.has(EDGES[k][2]); });
      isolatedBox.checked = showIsolated;
      refresh();
    }
    network.selectNodes([i]);
    if (stabilized) {
      network.focus(i, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    }
    showPanel(i);
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showPanel(params.nodes[0]); }
  });

  // -- search ------------------------------------------------------------------------------
  /* Entities whose name or alias matches the query: exact first, then prefix, then substring. */
  function search(query) {
    var q = nameKey(query);
    if (!q) { return []; }
    var found = [];
    NODES.forEach(function (n, i) {
      var best = null;
      [n.name].concat(n.aliases).forEach(function (text) {
        var k = nameKey(text);
        var rank = k === q ? 0 : (k.startsWith(q) ? 1 : (k.indexOf(q) >= 0 ? 2 : null));
        if (rank !== null && (best === null || rank < best.rank)) { best = { rank: rank, via: text }; }
      });
      if (best) { found.push({ index: i, id: n.id, name: n.name, label: n.label, via: best.via, rank: best.rank, mentions: n.mentions }); }
    });
    found.sort(function (a, b) { return a.rank - b.rank || b.mentions - a.mentions || (a.id < b.id ? -1 : 1); });
    return found;
  }

  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  var current = [];
  function renderResults(found) {
    current = found;
    results.textContent = "";
    if (!input.value.trim()) { results.hidden = true; return; }
    if (!found.length) {
      results.appendChild(el("li", { className: "none", text: "no entity matches" }));
    }
    found.slice(0, 12).forEach(function (r, index) {
      var swatch = el("span", { className: "swatch" });
      swatch.style.background = colorOf[r.label];
      var item = el("li", { "data-id": r.id, className: index === 0 ? "active" : "" },
        [swatch, el("span", { text: r.name }), r.via !== r.name ? el("span", { className: "via", text: "(" + r.via + ")" }) : ""]);
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(r.index); });
      results.appendChild(item);
    });
    results.hidden = false;
  }
  function choose(i) {
    results.hidden = true;
    selectNode(i);
  }
  input.addEventListener("input", function () { renderResults(search(input.value)); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && current.length) { choose(current[0].index); }
    if (event.key === "Escape") { results.hidden = true; }
  });
  input.addEventListener("blur", function () { results.hidden = true; });

  updateStats();

  // -- self-test: #selftest=<name>[&ego=<radius>] writes what the page did into #selftest-result
  function canvasPixels() {
    var canvas = container.querySelector("canvas");
    if (!canvas || !canvas.width || !canvas.height) { return null; }
    return { canvas: canvas, data: canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data };
  }
  function drawnPixels(pixels) {
    if (!pixels) { return 0; }
    var count = 0;
    for (var i = 3; i < pixels.data.length; i += 4) { if (pixels.data[i] > 0) { count += 1; } }
    return count;
  }
  /* Shown nodes whose centre pixel on the canvas has their label's colour (or its highlight): drawn, not only placed. */
  function nodesDrawn(pixels) {
    if (!pixels) { return 0; }
    var ratio = pixels.canvas.width / pixels.canvas.clientWidth;
    var positions = network.getPositions();
    var drawn = 0;
    nodes.getIds().forEach(function (i) {
      var p = network.canvasToDOM(positions[i]);
      var x = Math.round(p.x * ratio), y = Math.round(p.y * ratio);
      if (x < 0 || y < 0 || x >= pixels.canvas.width || y >= pixels.canvas.height) { return; }
      var o = (y * pixels.canvas.width + x) * 4;
      var hex = "#" + ((1 << 24) + (pixels.data[o] << 16) + (pixels.data[o + 1] << 8) + pixels.data[o + 2]).toString(16).slice(1);
      var color = colorOf[NODES[i].label];
      if (hex === color || hex === shade(color, 30)) { drawn += 1; }
    });
    return drawn;
  }
  function report(query, matches, listed) {
    network.redraw();
    var pixels = canvasPixels();
    var positions = network.getPositions();
    var placed = Object.keys(positions).filter(function (id) { return isFinite(positions[id].x) && isFinite(positions[id].y); }).length;
    var title = document.getElementById("panel-title");
    var edgeColors = {};
    edges.get().forEach(function (item) { edgeColors[TYPE[EDGES[item.id][2]]] = item.color.color; });
    var out = document.getElementById("selftest-result");
    out.textContent = JSON.stringify({
      query: query,
      matches: matches,
      listed: listed,
      selected: network.getSelectedNodes().map(function (i) { return NODES[i].id; }),
      panel: title ? title.textContent : null,
      panel_relationships: document.querySelectorAll("#panel-relationships li.rel").length,
      panel_articles: document.querySelectorAll("#panel-articles li.rel").length,
      nodes_total: NODES.length,
      nodes_rendered: nodes.length,
      nodes_placed: placed,
      nodes_drawn: nodesDrawn(pixels),
      shown_ids: nodes.getIds().map(function (i) { return NODES[i].id; }).sort(),
      edges_rendered: edges.length,
      edges_total: EDGES.length,
      edge_colors: edgeColors,
      drawn_pixels: drawnPixels(pixels),
      stabilized: stabilized,
      layouts: timing.layouts,
      ego: ego ? { center: NODES[ego.center].id, radius: ego.radius } : null,
      legend_labels: Array.prototype.map.call(document.querySelectorAll("#label-filters li"), function (li) {
        return { text: li.querySelector("span:not(.swatch):not(.count)").textContent, color: li.querySelector(".swatch").getAttribute("data-color") };
      }),
      legend_types: Array.prototype.map.call(document.querySelectorAll("#type-filters li"), function (li) {
        return { text: li.querySelector("span:not(.line-swatch):not(.count)").textContent, color: li.querySelector(".line-swatch").getAttribute("data-color"),
                 on: li.querySelector("input").checked };
      }),
      isolated_shown: isolatedBox.checked,
      errors: window.__innographErrors.slice()
    });
    out.setAttribute("data-done", "true");
  }
  /* #selftest=<name>[&ego=<radius>][&hide=<filter>]...: search and select <name>, untick the filters named
     (as in data-filter: label:Lab, type:LEADS, issue:hzkj-2024-06), show <name>'s ego network, then report. */
  function selfTest(query, egoRadius, hide) {
    var matches = [], listed = [];
    hide.forEach(function (name) {
      var box = document.querySelector('input[data-filter="' + name + '"]');
      if (box && box.checked) { box.checked = false; box.dispatchEvent(new Event("change")); }
    });
    if (query) {
      input.value = query;
      renderResults(search(query));
      matches = current.map(function (r) { return { id: r.id, name: r.name, via: r.via }; });
      listed = Array.prototype.map.call(results.querySelectorAll("li[data-id]"), function (li) { return li.getAttribute("data-id"); });
      if (current.length) { choose(current[0].index); }
    }
    if (query && egoRadius && current.length) {
      whenSettled(function () { report(query, matches, listed); });
      showEgo(current[0].index, egoRadius);
    } else if (!stabilized) {
      whenSettled(function () { report(query, matches, listed); });
    } else {
      report(query, matches, listed);
    }
  }
  var hash = decodeURIComponent(location.hash || "");
  if (hash.indexOf("#selftest=") === 0) {
    var parts = hash.slice("#selftest=".length).split("&");
    var egoRadius = 0, hide = [];
    parts.slice(1).forEach(function (part) {
      var kv = part.split("=");
      if (kv[0] === "ego") { egoRadius = parseInt(kv[1], 10); }
      if (kv[0] === "hide") { hide.push(kv.slice(1).join("=")); }
    });
    var ran = false;
    var run = function () { if (!ran) { ran = true; selfTest(parts[0], egoRadius, hide); } };
    whenSettled(run);
    setTimeout(run, 12000);  // in case the first layout never reports
  }
  window.innographView = { network: network, search: search, selectNode: selectNode, showEgo: showEgo, refresh: refresh };
})();
