"""One self-contained HTML page that draws the entity graph (no network access needed).

The page inlines vis-network (``static/vis-network.min.js``, MIT or Apache-2.0, see
``static/vis-network.LICENSE.txt``), its own code (``static/view.js``, ``static/view.css``) and the
graph as JSON in a ``<script type="application/json">`` element. Entities are coloured by label and
sized by mention count; Article and Issue nodes are not drawn, the side panel shows the articles
and evidence sentences of the entity clicked. CO_MENTIONED edges start hidden.

Opening the page with ``#selftest=<name>`` searches for the name, selects the first match and
writes a JSON report (matches, nodes drawn, errors caught) into ``#selftest-result``.

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

from innograph.graph.export import atomic_write
from innograph.graph.model import InnoGraph, NodeRecord
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType

DEFAULT_VIEW = Path(".innograph") / "graph.html"

# One colour per label (colour-blind-friendly Tableau 10 first, then extras).
LABEL_COLORS: dict[EntityLabel, str] = {
    EntityLabel.Lab: "#e15759",
    EntityLabel.University: "#4e79a7",
    EntityLabel.Institute: "#76b7b2",
    EntityLabel.Facility: "#b07aa1",
    EntityLabel.Ecosystem: "#59a14f",
    EntityLabel.Company: "#f28e2b",
    EntityLabel.Policy: "#edc948",
    EntityLabel.Platform: "#ff9da7",
    EntityLabel.Fund: "#9c755f",
    EntityLabel.Agency: "#17becf",
    EntityLabel.Region: "#bab0ac",
    EntityLabel.Person: "#8cd17d",
    EntityLabel.Event: "#d37295",
}

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def embed_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or line separators survive."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _asset(name: str) -> str:
    return (resources.files("innograph.graph") / "static" / name).read_text(encoding="utf-8")


def _article_info(graph: InnoGraph, doc_id: str) -> dict[str, Any]:
    key = f"Article:{doc_id}"
    if not graph.has_node(key):
        return {"doc_id": doc_id, "title": None, "section": None, "page": None}
    node = graph.node(key)
    props = node.properties
    return {"doc_id": doc_id, "title": props.get("title") or node.name,
            "section": props.get("section"), "page": props.get("page")}


def view_data(graph: InnoGraph) -> dict[str, Any]:
    """The JSON the page draws: entity nodes with their articles, entity-to-entity edges with evidence."""
    entities: dict[str, NodeRecord] = {
        n.key: n for n in sorted(graph.nodes(), key=lambda n: n.key) if isinstance(n.label, EntityLabel)
    }
    articles: dict[str, dict[str, Any]] = {}

    def article(doc_id: str) -> dict[str, Any]:
        if doc_id not in articles:
            articles[doc_id] = _article_info(graph, doc_id)
        return articles[doc_id]

    mentioned: dict[str, list[dict[str, Any]]] = {key: [] for key in entities}
    for edge in sorted(graph.edges(GraphRelType.MENTIONED_IN), key=lambda e: e.ident):
        if edge.source not in entities:
            continue
        target = graph.node(edge.target) if graph.has_node(edge.target) else None
        if target is not None and target.label == ProvenanceLabel.Article:
            doc_id = edge.target.split(":", 1)[1]
        else:
            doc_id = edge.evidence[0].doc_id if edge.evidence else edge.target
        info = dict(article(doc_id))
        info["sentences"] = [e.sentence for e in edge.evidence]
        mentioned[edge.source].append(info)

    shown = {t.value for t in RelType} | {GraphRelType.CO_MENTIONED.value}
    edges = []
    type_counts: dict[str, int] = {}
    for edge in sorted(graph.edges(), key=lambda e: e.ident):
        if edge.type.value not in shown or edge.source not in entities or edge.target not in entities:
            continue
        type_counts[edge.type.value] = type_counts.get(edge.type.value, 0) + 1
        edges.append({
            "id": f"{edge.source}|{edge.type.value}|{edge.target}",
            "from": edge.source, "to": edge.target, "type": edge.type.value, "count": edge.count,
            "properties": {k: v for k, v in edge.properties.items() if v is not None},
            "evidence": [{"doc_id": e.doc_id, "sentence": e.sentence, "title": article(e.doc_id)["title"]}
                         for e in edge.evidence],
        })

    label_counts: dict[EntityLabel, int] = {}
    for node in entities.values():
        label_counts[node.label] = label_counts.get(node.label, 0) + 1
    order = [t.value for t in RelType] + [GraphRelType.CO_MENTIONED.value]
    return {
        "labels": [{"label": l.value, "color": LABEL_COLORS[l], "count": label_counts[l]}
                   for l in EntityLabel if l in label_counts],
        "types": [{"type": t, "count": type_counts[t], "hidden": t == GraphRelType.CO_MENTIONED.value}
                  for t in order if t in type_counts],
        "symmetric": [t.value for t in RelType if t.symmetric],
        "co_mentioned": GraphRelType.CO_MENTIONED.value,
        "nodes": [{
            "id": n.key, "name": n.name, "label": n.label.value, "aliases": list(n.aliases),
            "mention_count": n.mention_count, "first_issue": n.first_issue, "last_issue": n.last_issue,
            "articles": mentioned[n.key],
        } for n in entities.values()],
        "edges": edges,
    }


def render_html(graph: InnoGraph, title: str = "innograph") -> str:
    """The whole page as one string."""
    vis = _asset("vis-network.min.js")
    app = _asset("view.js")
    for name, code in (("vis-network.min.js", vis), ("view.js", app)):
        if re.search(r"</script|<!--", code, re.IGNORECASE):  # would end the inline <script> early
            raise AssertionError(f"static/{name} cannot be inlined: it contains '</script' or '<!--'")
    parts = {
        "TITLE": html.escape(title),
        "STYLE": _asset("view.css"),
        "DATA": embed_json(view_data(graph)),
        "VIS": vis,
        "APP": app,
    }
    # one pass, so that no part's text is scanned for the markers of another
    return re.sub(r"@@([A-Z]+)@@", lambda m: parts[m.group(1)], _asset("view.html"))


def write_view(graph: InnoGraph, out: Path = DEFAULT_VIEW, title: str | None = None) -> Path:
    """Write the page to ``out`` (atomically) and return the path."""
    out = Path(out)
    if title is None:
        title = f"innograph · {sum(1 for n in graph.nodes() if isinstance(n.label, EntityLabel))} entities"
    text = render_html(graph, title)
    atomic_write(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return out
