/* innograph view: the page's application code (the graph data is the #graph-data JSON). */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("graph-data").textContent);
  var hiddenLabels = new Set();
  var hiddenTypes = new Set(DATA.types.filter(function (t) { return t.hidden; }).map(function (t) { return t.type; }));
  var nodeById = new Map(DATA.nodes.map(function (n) { return [n.id, n]; }));
  var edgeById = new Map(DATA.edges.map(function (e) { return [e.id, e]; }));
  var colorOf = {};
  DATA.labels.forEach(function (l) { colorOf[l.label] = l.color; });
  var SYMMETRIC = new Set(DATA.symmetric);

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
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var color = colorOf[n.label] || "#999999";
    return {
      id: n.id, label: wrapped(n.name), value: Math.max(1, n.mention_count), shape: "dot",
      title: n.name + " (" + n.label + ", " + n.mention_count + " mentions)",
      color: { background: color, border: shade(color, -60),
               highlight: { background: shade(color, 30), border: "#1f2933" },
               hover: { background: shade(color, 30), border: "#1f2933" } },
      font: { size: 14, color: "#1f2933", strokeWidth: 3, strokeColor: "#ffffff" }
    };
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var co = e.type === DATA.co_mentioned;
    return {
      id: e.id, from: e.from, to: e.to,
      arrows: (co || SYMMETRIC.has(e.type)) ? "" : { to: { enabled: true, scaleFactor: 0.5 } },
      dashes: co, width: co ? Math.min(1 + e.count * 0.5, 4) : 1.6,
      color: { color: co ? "#c3cad4" : "#8a94a6", highlight: "#1f2933", hover: "#52606d" },
      title: e.type + (e.count > 1 ? " ×" + e.count : ""),
      smooth: { type: "continuous" }
    };
  }));

  function nodeShown(id) {
    var n = nodeById.get(id);
    return !!n && !hiddenLabels.has(n.label);
  }
  var nodeView = new vis.DataView(nodes, { filter: function (item) { return nodeShown(item.id); } });
  var edgeView = new vis.DataView(edges, {
    filter: function (item) {
      var e = edgeById.get(item.id);
      return !hiddenTypes.has(e.type) && nodeShown(e.from) && nodeShown(e.to);
    }
  });

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, {
    nodes: { scaling: { min: 10, max: 42, label: { enabled: true, min: 12, max: 17 } }, borderWidth: 1.5 },
    edges: { selectionWidth: 2 },
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, centralGravity: 0.01, springLength: 140, springConstant: 0.05, avoidOverlap: 0.8 },
      stabilization: { enabled: true, iterations: 600, updateInterval: 50, fit: true }
    },
    interaction: { hover: true, tooltipDelay: 150, navigationButtons: false, keyboard: false }
  });
  var stabilized = false;
  network.once("stabilizationIterationsDone", function () {
    stabilized = true;
    network.setOptions({ physics: { enabled: false } });
    network.fit();
  });

  function updateStats() {
    document.getElementById("stats").textContent =
      nodeView.length + " of " + DATA.nodes.length + " entities · " + edgeView.length + " relationships shown";
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
    var swatch = el("span", { className: "swatch" });
    swatch.style.background = l.color;
    checkbox(labelList, true, swatch, l.label, l.count, function (on) {
      if (on) { hiddenLabels.delete(l.label); } else { hiddenLabels.add(l.label); }
      nodeView.refresh(); edgeView.refresh(); updateStats();
    }, "label:" + l.label);
  });
  var typeList = document.getElementById("type-filters");
  DATA.types.forEach(function (t) {
    var swatch = el("span", { className: "line-swatch" + (t.type === DATA.co_mentioned ? " dashed" : "") });
    checkbox(typeList, !t.hidden, swatch, t.type, t.count, function (on) {
      if (on) { hiddenTypes.delete(t.type); } else { hiddenTypes.add(t.type); }
      edgeView.refresh(); updateStats();
    }, "type:" + t.type);
  });

  // -- side panel --------------------------------------------------------------------------
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  document.getElementById("panel-close").addEventListener("click", function () {
    panel.hidden = true; network.unselectAll();
  });

  function entityLink(id) {
    var n = nodeById.get(id);
    var a = el("a", { className: "entity", text: n ? n.name : id, title: id });
    a.addEventListener("click", function () { selectNode(id); });
    return a;
  }

  function evidenceList(evidence, names) {
    return evidence.map(function (ev) {
      var cite = ev.title ? "《" + ev.title + "》" : ev.doc_id;
      return el("blockquote", {}, [highlighted(ev.sentence, names), el("cite", { text: cite })]);
    });
  }

  function showPanel(id) {
    var n = nodeById.get(id);
    if (!n) { return; }
    panelBody.textContent = "";
    var swatch = el("span", { className: "swatch" });
    swatch.style.background = colorOf[n.label];
    panelBody.appendChild(el("h2", { id: "panel-title", text: n.name }));
    panelBody.appendChild(el("span", { className: "chip" }, [swatch, n.label]));
    var meta = [n.mention_count + " mentions"];
    if (n.aliases.length) { meta.push("also: " + n.aliases.join("、")); }
    if (n.first_issue) { meta.push(n.first_issue === n.last_issue ? "issue " + n.first_issue : "issues " + n.first_issue + " – " + n.last_issue); }
    panelBody.appendChild(el("p", { className: "meta", text: meta.join(" · ") }));

    var names = [n.name].concat(n.aliases);
    var related = DATA.edges.filter(function (e) { return e.from === id || e.to === id; });
    var extracted = related.filter(function (e) { return e.type !== DATA.co_mentioned; });
    var co = related.filter(function (e) { return e.type === DATA.co_mentioned; });

    panelBody.appendChild(el("h3", { text: "Relationships (" + extracted.length + ")" }));
    var list = el("ul", { id: "panel-relationships" });
    extracted.forEach(function (e) {
      var outgoing = e.from === id;
      var other = outgoing ? e.to : e.from;
      var head = el("div", { className: "rel-head" }, [
        el("span", { text: SYMMETRIC.has(e.type) ? "↔" : (outgoing ? "→" : "←") }),
        el("span", { className: "type", text: e.type }), entityLink(other)
      ]);
      Object.keys(e.properties || {}).forEach(function (key) {
        head.appendChild(el("span", { className: "meta", text: key + ": " + e.properties[key] }));
      });
      var other_node = nodeById.get(other);
      var allNames = names.concat(other_node ? [other_node.name].concat(other_node.aliases) : []);
      list.appendChild(el("li", { className: "rel" }, [head].concat(evidenceList(e.evidence, allNames))));
    });
    if (!extracted.length) { list.appendChild(el("li", { className: "meta", text: "none extracted" })); }
    panelBody.appendChild(list);

    if (co.length) {
      var coList = el("ul");
      co.sort(function (a, b) { return b.count - a.count; }).forEach(function (e) {
        var other = e.from === id ? e.to : e.from;
        coList.appendChild(el("li", { className: "rel" }, [el("div", { className: "rel-head" }, [
          entityLink(other), el("span", { className: "meta", text: "in " + e.count + (e.count > 1 ? " sentences" : " sentence") })
        ])]));
      });
      panelBody.appendChild(el("details", {}, [el("summary", { text: "Co-mentioned with " + co.length + " entities" }), coList]));
    }

    panelBody.appendChild(el("h3", { text: "Articles (" + n.articles.length + ")" }));
    var articles = el("ul", { id: "panel-articles" });
    n.articles.forEach(function (a) {
      var where = [a.section, a.page != null ? "p. " + a.page : null].filter(Boolean).join(", ");
      var item = el("li", { className: "rel" }, [
        el("div", {}, [el("span", { className: "article-title", text: a.title }), where ? el("span", { className: "meta", text: "  " + where }) : ""])
      ]);
      a.sentences.forEach(function (s) { item.appendChild(el("blockquote", {}, [highlighted(s, names)])); });
      articles.appendChild(item);
    });
    panelBody.appendChild(articles);
    panel.hidden = false;
  }

  function selectNode(id) {
    var n = nodeById.get(id);
    if (!n) { return; }
    if (hiddenLabels.has(n.label)) {  // show the label again rather than select an invisible node
      hiddenLabels.delete(n.label);
      var box = document.querySelector('input[data-filter="label:' + n.label + '"]');
      if (box) { box.checked = true; }
      nodeView.refresh(); edgeView.refresh(); updateStats();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showPanel(id);
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
    DATA.nodes.forEach(function (n) {
      var best = null;
      [n.name].concat(n.aliases).forEach(function (text) {
        var k = nameKey(text);
        var rank = k === q ? 0 : (k.startsWith(q) ? 1 : (k.indexOf(q) >= 0 ? 2 : null));
        if (rank !== null && (best === null || rank < best.rank)) { best = { rank: rank, via: text }; }
      });
      if (best) { found.push({ id: n.id, name: n.name, label: n.label, via: best.via, rank: best.rank, mentions: n.mention_count }); }
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
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(r.id); });
      results.appendChild(item);
    });
    results.hidden = false;
  }
  function choose(id) {
    results.hidden = true;
    selectNode(id);
  }
  input.addEventListener("input", function () { renderResults(search(input.value)); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && current.length) { choose(current[0].id); }
    if (event.key === "Escape") { results.hidden = true; }
  });
  input.addEventListener("blur", function () { results.hidden = true; });

  updateStats();

  // -- self-test: #selftest=<name> runs a search and writes what the page did into #selftest-result
  function drawnPixels() {
    var canvas = container.querySelector("canvas");
    if (!canvas || !canvas.width || !canvas.height) { return 0; }
    var pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    var count = 0;
    for (var i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { count += 1; } }
    return count;
  }
  function selfTest(query) {
    network.redraw();
    var positions = network.getPositions();
    var placed = Object.keys(positions).filter(function (id) {
      return isFinite(positions[id].x) && isFinite(positions[id].y);
    }).length;
    input.value = query;
    renderResults(search(query));
    var matches = current.map(function (r) { return { id: r.id, name: r.name, via: r.via }; });
    var listed = Array.prototype.map.call(results.querySelectorAll("li[data-id]"), function (li) { return li.getAttribute("data-id"); });
    if (current.length) { choose(current[0].id); }
    var title = document.getElementById("panel-title");
    var report = {
      query: query,
      matches: matches,
      listed: listed,
      selected: network.getSelectedNodes(),
      panel: title ? title.textContent : null,
      panel_relationships: document.querySelectorAll("#panel-relationships li.rel").length,
      panel_articles: document.querySelectorAll("#panel-articles li.rel").length,
      nodes_total: DATA.nodes.length,
      nodes_rendered: nodeView.length,
      nodes_placed: placed,
      edges_rendered: edgeView.length,
      edges_total: DATA.edges.length,
      drawn_pixels: drawnPixels(),
      stabilized: stabilized,
      legend_labels: document.querySelectorAll("#label-filters input").length,
      type_filters_on: Array.prototype.filter.call(document.querySelectorAll("#type-filters input"), function (b) { return b.checked; })
        .map(function (b) { return b.getAttribute("data-filter"); }),
      errors: window.__innographErrors.slice()
    };
    var out = document.getElementById("selftest-result");
    out.textContent = JSON.stringify(report);
    out.setAttribute("data-done", "true");
  }
  var hash = decodeURIComponent(location.hash || "");
  if (hash.indexOf("#selftest=") === 0) {
    var query = hash.slice("#selftest=".length);
    var ran = false;
    var run = function () { if (!ran) { ran = true; selfTest(query); } };
    network.once("stabilizationIterationsDone", function () { setTimeout(run, 0); });
    setTimeout(run, 8000);  // in case stabilisation never reports
  }
  window.innographView = { network: network, search: search, selectNode: selectNode };
})();
