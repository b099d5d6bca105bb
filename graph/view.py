"""One self-contained HTML page that draws the entity graph (no network access needed).

The page inlines vis-network (``static/vis-network.min.js``, MIT or Apache-2.0, see
``static/vis-network.LICENSE.txt``) to draw, graphology's ForceAtlas2 iteration
(``static/forceatlas2.js``, MIT, see ``static/forceatlas2.LICENSE.txt``) to lay out, its own code (``static/view.js``, ``static/view.css``) and the
graph as JSON in two ``<script type="application/json">`` elements: ``#graph-data`` (what is drawn)
and ``#graph-evidence`` (sentences, parsed only when a panel first needs them). Entities are
coloured by label and sized by mentions, edges coloured by relationship type, all from the one
palette (:mod:`innograph.graph.palette`); Article and Issue nodes are not drawn.

What makes it work beyond one issue:

* edges refer to nodes by index and evidence sentences are stored once; an edge keeps at most
  ``evidence_per_edge`` sentences and a co-mention only its count (the panel says in how many
  sentences), an entity's article at most ``sentences_per_article`` sentences;
* the page starts with CO_MENTIONED edges and isolated entities hidden, filters by label,
  relationship type and issue, and shows the ego network of an entity (``ego``/``radius`` here
  or the panel's button); each change lays the shown part out again;
* the layout is ForceAtlas2 on typed arrays (Barnes-Hut above 2,000 nodes), time-boxed to under
  two seconds, after which vis-network only draws (its own physics takes about 100 ms an
  iteration at 4,000 nodes); ``window.__innographTiming`` reports when the page settled.

Opening the page with ``#selftest=<name>`` searches for the name, selects the first match and
writes a JSON report (matches, nodes drawn, legend, errors caught) into ``#selftest-result``.

>>> embed_json({"name": "</script><!--"})
'{"name":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
"""
from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field

from innograph.graph.analysis import ego_network
from innograph.graph.export import atomic_write
from innograph.graph.model import InnoGraph, NodeRecord
from innograph.graph.palette import load_palette
from innograph.graph.paths import DEFAULT_VIEW
from innograph.graph.select import Selection, select
from innograph.models import Frozen
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType

DRAWN_TYPES: tuple[RelType | GraphRelType, ...] = tuple(RelType) + (GraphRelType.CO_MENTIONED,)

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class ViewOptions(Frozen):
    """What the page shows: a part of the graph, maybe one entity's ego network, how much evidence."""

    selection: Selection = Selection()
    ego: str | None = None  # a name or alias
    radius: int = Field(default=1, ge=1)
    evidence_per_edge: int = Field(default=3, ge=0)
    sentences_per_article: int = Field(default=3, ge=0)


def embed_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or line separators survive."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _asset(name: str) -> str:
    return (resources.files("innograph.graph") / "static" / name).read_text(encoding="utf-8")


def _ego_part(graph: InnoGraph, name: str, radius: int) -> tuple[InnoGraph, str]:
    """The entities within ``radius`` links of ``name`` (with the articles and issues), and the centre's key."""
    ego = ego_network(graph, name, radius)
    keep = {n.key for n in ego.nodes}
    nodes = [n for n in graph.nodes() if n.key in keep or isinstance(n.label, ProvenanceLabel)]
    edges = [e for e in graph.edges()
             if (e.source in keep or e.source.startswith(("Article:", "Issue:")))
             and (e.target in keep or e.target.startswith(("Article:", "Issue:")))]
    return InnoGraph.from_records(nodes, edges), ego.center


class _Sentences:
    """Evidence sentences stored once, referred to by index."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self._index: dict[tuple[int, str], int] = {}

    def ref(self, article: int, text: str) -> int:
        key = (article, text)
        if key not in self._index:
            self._index[key] = len(self.rows)
            self.rows.append([article, text])
        return self._index[key]


def view_data(graph: InnoGraph, options: ViewOptions = ViewOptions()) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON the page draws, and the evidence JSON it reads when a panel opens."""
    palette = load_palette()
    graph = select(graph, options.selection)
    centre = None
    if options.ego is not None:
        graph, centre = _ego_part(graph, options.ego, options.radius)

    issues = sorted(n.key.split(":", 1)[1] for n in graph.nodes(ProvenanceLabel.Issue))
    issue_index = {key: i for i, key in enumerate(issues)}
    published: dict[str, str] = {}
    for edge in graph.edges(GraphRelType.PUBLISHED_IN):
        published[edge.source] = edge.target.split(":", 1)[1]
    articles: list[list[Any]] = []
    article_index: dict[str, int] = {}

    def article(doc_id: str) -> int:
        if doc_id not in article_index:
            key = f"Article:{doc_id}"
            node = graph.node(key) if graph.has_node(key) else None
            props = node.properties if node is not None else {}
            issue = published.get(key)
            article_index[doc_id] = len(articles)
            articles.append([doc_id, props.get("title") or (node.name if node else None), props.get("section"),
                             props.get("page"), issue_index.get(issue) if issue is not None else None])
        return article_index[doc_id]

    entities: list[NodeRecord] = sorted((n for n in graph.nodes() if isinstance(n.label, EntityLabel)), key=lambda n: n.key)
    node_index = {n.key: i for i, n in enumerate(entities)}
    sentences = _Sentences()
    node_articles: list[list[list[Any]]] = [[] for _ in entities]
    node_issues: list[set[int]] = [set() for _ in entities]
    for edge in sorted(graph.edges(GraphRelType.MENTIONED_IN), key=lambda e: e.ident):
        i = node_index.get(edge.source)
        if i is None:
            continue
        doc_id = edge.target.split(":", 1)[1] if edge.target.startswith("Article:") else (
            edge.evidence[0].doc_id if edge.evidence else edge.target)
        a = article(doc_id)
        if articles[a][4] is not None:
            node_issues[i].add(articles[a][4])
        refs = [sentences.ref(a, e.sentence) for e in edge.evidence[: options.sentences_per_article]]
        node_articles[i].append([a, refs, len(edge.evidence)])

    types = [t.value for t in DRAWN_TYPES]
    type_index = {t: i for i, t in enumerate(types)}
    edges: list[list[int]] = []
    edge_evidence: list[list[int]] = []
    type_counts = [0] * len(types)
    for edge in sorted(graph.edges(), key=lambda e: e.ident):
        t = type_index.get(edge.type.value)
        if t is None or edge.source not in node_index or edge.target not in node_index:
            continue
        type_counts[t] += 1
        edges.append([node_index[edge.source], node_index[edge.target], t, edge.count])
        if edge.type is GraphRelType.CO_MENTIONED:  # the count says enough; its sentences would be most of the page
            edge_evidence.append([])
        else:
            edge_evidence.append([sentences.ref(article(e.doc_id), e.sentence) for e in edge.evidence[: options.evidence_per_edge]])
    edge_properties = {i: props for i, props in enumerate(
        {k: v for k, v in e.properties.items() if v is not None}
        for e in sorted(graph.edges(), key=lambda e: e.ident)
        if e.type.value in type_index and e.source in node_index and e.target in node_index) if props}

    label_counts: dict[EntityLabel, int] = {}
    for node in entities:
        label_counts[node.label] = label_counts.get(node.label, 0) + 1
    issue_counts = [0] * len(issues)
    for found in node_issues:
        for i in found:
            issue_counts[i] += 1
    data = {
        "labels": [{"label": l.value, "color": palette.label_color(l), "count": label_counts[l]}
                   for l in EntityLabel if l in label_counts],
        "types": [{"type": t, "color": palette.relationships[t], "count": type_counts[i],
                   "hidden": t == GraphRelType.CO_MENTIONED.value}
                  for i, t in enumerate(types) if type_counts[i]],
        "type_names": types,
        "symmetric": [t.value for t in RelType if t.symmetric],
        "co_mentioned": GraphRelType.CO_MENTIONED.value,
        "issues": [{"key": key, "entities": issue_counts[i]} for i, key in enumerate(issues)],
        "articles": articles,
        "size_range": [palette.size_range.min, palette.size_range.max],
        "nodes": [{
            "id": n.key, "name": n.name, "label": n.label.value, "aliases": [a for a in n.aliases if a != n.name],
            "mentions": n.mention_count, "first_issue": n.first_issue, "last_issue": n.last_issue,
            "issues": sorted(node_issues[i]),
        } for i, n in enumerate(entities)],
        "edges": edges,
        "ego": {"center": node_index[centre], "radius": options.radius} if centre is not None else None,
    }
    evidence = {"sentences": sentences.rows, "edges": edge_evidence, "edge_properties": edge_properties,
                "node_articles": node_articles}
    return data, evidence


def render_html(graph: InnoGraph, title: str | None = None, options: ViewOptions = ViewOptions()) -> str:
    """The whole page as one string; the default title says what it shows and how many entities."""
    data, evidence = view_data(graph, options)
    if title is None:
        what = f"ego network of {options.ego} (radius {options.radius})" if options.ego else "network"
        title = f"innograph · {what} · {len(data['nodes'])} entities"
    vis = _asset("vis-network.min.js")
    layout = _asset("forceatlas2.js")
    app = _asset("view.js")
    for name, code in (("vis-network.min.js", vis), ("forceatlas2.js", layout), ("view.js", app)):
        if re.search(r"</script|<!--", code, re.IGNORECASE):  # would end the inline <script> early
            raise AssertionError(f"static/{name} cannot be inlined: it contains '</script' or '<!--'")
    parts = {
        "TITLE": html.escape(title),
        "STYLE": _asset("view.css"),
        "DATA": embed_json(data),
        "EVIDENCE": embed_json(evidence),
        "VIS": vis,
        "FA": layout,
        "APP": app,
    }
    # one pass, so that no part's text is scanned for the markers of another
    return re.sub(r"@@([A-Z]+)@@", lambda m: parts[m.group(1)], _asset("view.html"))


def write_view(graph: InnoGraph, out: Path = DEFAULT_VIEW, title: str | None = None,
               options: ViewOptions = ViewOptions()) -> Path:
    """Write the page to ``out`` (atomically) and return the path."""
    out = Path(out)
    text = render_html(graph, title, options)
    atomic_write(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return out
